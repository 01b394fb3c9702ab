"""Where a token stands: line starts and ends, neighbours on the line, Roman numerals, LM pairs.

Shared by the rules of the repairer; nothing here changes text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from ...resources import two_syllable_words
from ..lm import ROMAN, is_roman_numeral, token_unit
from ..syllable import Tone, apply_tone, is_valid_syllable, strip_tone
from ..tokens import Kind, Token

# Roman numerals as administrative texts use them (headings `II.`, `QUÝ III`, `lần thứ IX`).
_ROMAN = re.compile(r"^(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
ROMAN_OCR = str.maketrans({"1": "I", "l": "I", "|": "I", "!": "I"})  # shapes eng prints for `I`


def is_break(t: Token) -> bool:
    """A space token holding a line break."""
    return t.kind == Kind.SPACE and "\n" in t.text


def line_begin(tokens: list[Token], i: int) -> int:
    """Index of the first token of tokens[i]'s line."""
    j = i - 1
    while j >= 0 and not is_break(tokens[j]):
        j -= 1
    return j + 1


def ends_line(tokens: list[Token], i: int) -> bool:
    return i + 1 >= len(tokens) or is_break(tokens[i + 1])


def is_roman(text: str) -> bool:
    """An upper-case Roman numeral (I .. LXXXIX): heading numbers, quarters, congress numbers."""
    return bool(text) and text.isupper() and _ROMAN.match(text) is not None


def line_start(tokens: list[Token], i: int) -> bool:
    j = i - 1
    while j >= 0 and tokens[j].kind == Kind.SPACE and "\n" not in tokens[j].text:
        j -= 1
    return j < 0 or is_break(tokens[j])


def marker_follows(tokens: list[Token], i: int) -> bool:
    return i + 1 < len(tokens) and tokens[i + 1].kind == Kind.PUNCT and tokens[i + 1].text[:1] in ".)"


def roman_ocr_form(text: str) -> str | None:
    """`I1I` -> `III`, `Il` -> `II`: an OCR form of a Roman numeral (digit one / small L / bar for I)."""
    norm = text.translate(ROMAN_OCR)
    if norm == text or len(norm) < 2 or not any(c in "IVX" for c in text):
        return None
    return norm if is_roman(norm) else None


# A chapter or part heading (`Chương I`, `PHẦN II`) numbers in Roman figures: 7,200 of 7,300 in the corpus
_CHAPTER_WORDS = frozenset({"chương", "phần"})
# ... where `vie` reads `I` as a marked `i` too (`Chương ï`): no Vietnamese word is that letter alone
_CHAPTER_I = str.maketrans(dict.fromkeys("ïíìỉĩịÏÍÌỈĨỊ", "I"))


def chapter_numeral(tokens: list[Token], i: int) -> str | None:
    """The Roman numeral an OCR form stands for when it alone follows `Chương`/`Phần` opening a line and
    ends the line or meets a stop (`Chương ï`, `CHƯƠNG Il.`), else None. Arabic figures stay
    (`Chương 1` is written too), as does a numeral read right."""
    t = tokens[i].text
    if t.isdigit() or is_roman(t) or i < 2 or tokens[i - 1].text != " ":
        return None
    head = tokens[i - 2]
    if (
        head.kind != Kind.WORD
        or head.text.lower() not in _CHAPTER_WORDS
        or line_begin(tokens, i - 2) != i - 2
    ):
        return None
    if not (ends_line(tokens, i) or tokens[i + 1].text[:1] in ".:"):
        return None
    norm = t.translate(ROMAN_OCR).translate(_CHAPTER_I)
    return norm if norm != t and is_roman(norm) else None


def numeral_unit(text: str) -> str:
    """LM unit of a numeral's text, as training saw it (Roman numerals are `<roman>`)."""
    return ROMAN if is_roman_numeral(text) else text.lower()


def space_or_comma(tok: Token) -> bool:
    return (tok.kind == Kind.SPACE and "\n" not in tok.text) or tok.text == ","


def _not_word_or_break(tok: Token) -> bool:
    return tok.kind != Kind.WORD and not is_break(tok)


def line_neighbours(
    tokens: list[Token], i: int, through: Callable[[Token], bool] | None = None
) -> Iterator[str]:
    """The words just before and after token `i` on its line, across the tokens `through` accepts
    (default: anything but a word or a line break)."""
    if through is None:
        through = _not_word_or_break
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(tokens) and through(tokens[j]):
            j += step
        if 0 <= j < len(tokens) and tokens[j].kind == Kind.WORD:
            yield tokens[j].text


def attested(lm, left: Token, right: Token) -> bool:
    """The LM has seen `left right` as a pair (a joined pair like `các-bon` is a word, not dust)."""
    ul, ur = token_unit(left), token_unit(right)
    if ul is None or ur is None or ul not in lm.index or ur not in lm.index:
        return False
    a, b = lm.vocab_id(ul), lm.vocab_id(ur)
    pair = float(lm.score([a], [b])[0])
    return pair > max(-3.0, float(lm.uni_bow[a] + lm.uni_lp[b]))


def one_word(left: Token, right: Token) -> bool:
    """`left right` is a two-syllable dictionary word (`doanh nghiệp`, `KẾ HOẠCH`)."""
    return f"{left.text.lower()} {right.text.lower()}" in two_syllable_words()


def capital_word(left: Token, right: Token) -> bool:
    """`left right` in capitals is a two-syllable dictionary word (`KẾ HOẠCH`), its tones as OCR may
    have slipped them (`TỐ.CHỨC` for `TỔ CHỨC`: a heading's small marks are the first to go)."""
    words = left.kind == Kind.WORD and right.kind == Kind.WORD
    if not (words and left.text.isupper() and right.text.isupper()):
        return False
    return one_word(left, right) or _word_but_tones(left.text.lower(), right.text.lower())


def _word_but_tones(left: str, right: str) -> bool:
    known = two_syllable_words()
    return any(f"{a} {b}" in known for a in _tone_variants(left) for b in _tone_variants(right))


def _tone_variants(syllable: str) -> set[str]:
    bare = strip_tone(syllable)
    return {v for tone in Tone if (v := apply_tone(bare, tone)) is not None} | {syllable}


def line_label(tokens: list[Token], i: int) -> bool:
    """The colon ends a short capitalised label opening its line (`Phạm vi: không quá ...`)."""
    begin = line_begin(tokens, i)
    kinds = [t.kind for t in tokens[begin:i]]
    if any(k not in (Kind.WORD, Kind.SPACE) for k in kinds):
        return False
    return kinds.count(Kind.WORD) <= 3 and tokens[begin].text[:1].isupper()


def two_syllables(left: str, right: str) -> bool:
    """`sấu'tổ`: two whole syllables on either side of the mark are two words with dust between, not
    one word with a misread letter (`thu'c`, `chi?c` leave a stub that is no syllable). Both must carry
    Vietnamese marks: English-model OCR prints none, and writes the horn as `'` (`ngu'ời`)."""
    return (
        not left.isascii()
        and not right.isascii()
        and len(left) >= 2
        and len(right) >= 2
        and is_valid_syllable(left.lower())
        and is_valid_syllable(right)
        and not is_valid_syllable((left + right).lower())
    )
