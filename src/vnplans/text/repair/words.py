"""Word-level rules: glyphs glued into words (`ti€u`), false capitals mid-sentence (`trong Chiến
tranh`), numbers glued to words (`3năm`), list-marker letters (`¢)` -> `c)`), date fields printed
with look-alike digits, and the case a repaired word takes from what OCR printed."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import lru_cache

from ...resources import dictionary_entries
from ..candidates import get_candidates
from ..channel import NOT_GLYPH, Channel
from ..quality import is_skeleton
from ..syllable import SAME_SHAPE_CAPITALS, fold, is_valid_syllable, nfc
from ..tokens import Kind, Token
from .scan import ROMAN_OCR, attested, line_neighbours, line_start, space_or_comma, two_syllables


@lru_cache(maxsize=1)
def capital_pairs() -> frozenset[str]:
    """Pairs `prev word` whose second word is printed capitalised after the lower-case first in clean
    legal text (`của chính` for `của Chính phủ`, `các sở`, `tỉnh nghệ`), `* word` for a word capitalised
    after many, and `!prev word` for such a word's pairs printed small (`!cơ sở`), from
    dictionaries/capital_pairs.txt (`python -m tools.capital_pairs`)."""
    try:
        return frozenset(nfc(w.strip()) for w in dictionary_entries("capital_pairs.txt"))
    except OSError:
        return frozenset()


def false_capitals(tokens: list[Token], lm) -> set[int]:
    """Words OCR capitalised mid-sentence because the capital looks like the small letter: `dịch` /
    `Vụ công`, `trong Chiến tranh`, `lịch SỬ`. Lower-cased after a lower-case word when the LM knows
    the pair and clean text does not capitalise it there (`capital_pairs`: `của Chính phủ` stays)."""
    out: set[int] = set()
    for i in range(2, len(tokens)):
        t = tokens[i]
        if not (
            t.text[:1].isupper() and fold(t.text[0].lower()) in SAME_SHAPE_CAPITALS and _looks_small(t.text)
        ):
            continue
        if _small_after(tokens, i, t.text.lower(), lm):
            out.add(i)
    return out


def changed_capital(tokens: list[Token], i: int, chosen: str, lm) -> bool:
    """A capital the decoder read as another letter (`trong Hước` -> `nước`) says nothing of the
    printed case: the misread glyph was taller, not a capital. Small after a lower-case word on the
    terms of `false_capitals` (`trong Nước` is not clean text; `của Chính phủ`, names stay)."""
    src = tokens[i].text
    if not (i >= 2 and src[:1].isupper() and chosen[:1] and not src[1:].isupper()):
        return False
    if fold(src[0].lower()) == fold(chosen[0].lower()):
        return False
    if i + 2 < len(tokens) and tokens[i + 1].text == " " and tokens[i + 2].text[:1].isupper():
        return False  # a name goes on: `tỉnh Hghệ An`
    return _small_after(tokens, i, chosen.lower(), lm)


def _small_after(tokens: list[Token], i: int, low: str, lm) -> bool:
    """`low` at `i` follows a lower-case word outside a capitalised name, in a pair the LM knows and
    clean text does not capitalise."""
    gap, prev = tokens[i - 1], tokens[i - 2]
    if not (gap.text in (" ", "\n") and prev.kind == Kind.WORD and prev.text.islower()):
        return False
    if i >= 4 and tokens[i - 3].text == " " and tokens[i - 4].text[:1].isupper():
        return False  # inside a capitalised name: `Hợp đồng Xây dựng - Chuyển giao`
    if not (is_valid_syllable(prev.text) and is_valid_syllable(low)):
        return False
    pairs = capital_pairs()
    if f"{prev.text} {low}" in pairs or (f"* {low}" in pairs and f"!{prev.text} {low}" not in pairs):
        return False  # clean text capitalises it there, or after most words and not known small here
    if (name := _type_before_so(tokens, i)) is not None and f"{low} {name} số" in pairs:
        return False  # a document type cited by number: `theo Chỉ thị số`, not `theo chỉ đạo`
    return attested(lm, prev, Token(low, Kind.WORD, tokens[i].start))


def _type_before_so(tokens: list[Token], i: int) -> str | None:
    """The next word, lower-cased, when `số` follows it (`Chỉ thị số`: `thị`)."""
    if i + 4 >= len(tokens) or tokens[i + 1].text != " " or tokens[i + 3].text != " ":
        return None
    if tokens[i + 2].kind != Kind.WORD or tokens[i + 4].text.lower() not in ("số", "số:"):
        return None
    return tokens[i + 2].text.lower()


def _looks_small(text: str) -> bool:
    """Capitalised (`Vụ`), or all capitals of the small letters' shapes (`SỬ`, `SƠ`)."""
    if text[1:].islower() or len(text) == 1:
        return True
    return len(text) <= 3 and text.isupper() and all(fold(c.lower()) in SAME_SHAPE_CAPITALS for c in text)


_GLUED_NUMBER = re.compile(
    r"^(?:(?P<lead>\d{1,4})(?P<w1>[^\W\d_]{2,})|(?P<w2>[^\W\d_]{2,})(?P<trail>\d{1,4}))$"
)


def glued_number(tok: Token, channel: Channel) -> tuple[str, str, bool] | None:
    """(number, word, number first) for a number glued to a word by a lost space (`3năm`, `tháng3`).

    Digits carry facts (a month, a count), so they are split off and kept rather than read as
    letters, unless the learned letter shapes of the digits make the whole token a syllable
    (`1ập` for `lập`): then it is a garbled word like any other.
    """
    if tok.kind != Kind.MIXED or not (m := _GLUED_NUMBER.match(tok.text)):
        return None
    num, word = (m["lead"], m["w1"]) if m["lead"] else (m["trail"], m["w2"])
    if not is_valid_syllable(word.lower()):
        return None
    shape = channel.shapes()[0]
    as_letters = "".join(shape.get(c, c) for c in tok.text.lower())
    if as_letters.isalpha() and (is_valid_syllable(as_letters) or is_skeleton(fold(as_letters))):
        return None
    return num, word, bool(m["lead"])


_INNER = frozenset("'’?")  # punctuation elsewhere; between two letters of a word, OCR's reading of ư/ứ


def glue_glyphs(tokens: list[Token], glyphs: frozenset[str]) -> list[Token]:
    """Re-read tokens that carry glyphs OCR prints for letters: `ti€u`, `1€` (punctuation to the
    tokenizer) become word-like MIXED tokens, `x&` (a word and a glued glyph) one token, and so do
    `thu'c`, `chi?c` (an apostrophe or question mark between a word and lower-case letters, no space:
    Vietnamese words have none, and `M'Đrắk`, `H'Leo` continue in upper case)."""
    out: list[Token] = []
    i = 0
    n = len(tokens)
    while i < n:
        t = tokens[i]
        if (
            t.kind == Kind.WORD
            and i + 2 < n
            and tokens[i + 1].text in _INNER
            and tokens[i + 2].kind == Kind.WORD
            and tokens[i + 2].text[:1].islower()
            and len(t.text) + 1 + len(tokens[i + 2].text) <= 7
            and not two_syllables(t.text, tokens[i + 2].text)
        ):
            out.append(Token(t.text + tokens[i + 1].text + tokens[i + 2].text, Kind.MIXED, t.start))
            i += 3
            continue
        if (
            t.kind == Kind.PUNCT
            and 2 <= len(t.text) <= 7
            and any(c in glyphs for c in t.text)
            and any(c.isalnum() for c in t.text)
            and all(c.isalnum() or c in glyphs for c in t.text)
        ):
            out.append(Token(t.text, Kind.MIXED, t.start))
            i += 1
            continue
        if (
            t.kind in (Kind.WORD, Kind.MIXED)
            and i + 1 < n
            and tokens[i + 1].kind == Kind.PUNCT
            and 1 <= len(tokens[i + 1].text) <= 2
            and all(c in glyphs for c in tokens[i + 1].text)
            and len(t.text) + len(tokens[i + 1].text) <= 7
            and (i + 2 >= n or tokens[i + 2].kind in (Kind.SPACE, Kind.PUNCT))
        ):
            out.append(Token(t.text + tokens[i + 1].text, Kind.MIXED, t.start))
            i += 2
            continue
        if t.kind == Kind.PUNCT and len(t.text) == 1 and t.text in glyphs and _lone_glyph(tokens, i):
            out.append(Token(t.text, Kind.MIXED, t.start))
            i += 1
            continue
        out.append(t)
        i += 1
    return out


def _lone_glyph(tokens: list[Token], i: int) -> bool:
    """A glyph standing as a word between lower-case words of its line: the English model prints `ở`
    as `&` or `@` (`làm việc & nước ngoài`, `tiền ăn, &, chi phí`). Names keep theirs: a capitalised
    or upper-case neighbour (`Xây dựng & Thương mại`), a glued glyph (`R&D`) and neighbours that are
    no Vietnamese words (`abc @ gmail`) are left alone."""
    if i == 0 or tokens[i - 1].kind != Kind.SPACE or "\n" in tokens[i - 1].text:
        return False
    if i + 1 < len(tokens) and tokens[i + 1].kind not in (Kind.SPACE, Kind.PUNCT):
        return False
    # across spaces and commas only: `hi - #@mlang` is no word between words
    sides = list(line_neighbours(tokens, i, through=space_or_comma))
    if len(sides) < 2 or not all(w[:1].islower() for w in sides):
        return False
    known = get_candidates()  # missing tables are a broken install (`ModelNotFound`), not "no evidence"
    return any(fold(w).lower() in known for w in sides)  # not `abc @ gmail`


_MARKER_LINE = re.compile(r"^[^\S\n]*(?:[-–“\"][^\S\n]*)?([^\W_])\)", re.M)
_MARKER_LETTERS = "abcdđeghiklmnopqrstuvxy"  # the Vietnamese alphabet lists count in


def _marker_start(tokens: list[Token], i: int) -> bool:
    """tokens[i] opens its line, or follows a dash or an opening quote that does (`- đ)`, `“c)`)."""
    if line_start(tokens, i):
        return True
    j = i - 1
    if j >= 1 and tokens[j].text == " ":
        j -= 1
    return j >= 0 and tokens[j].text in ("-", "–", "“", '"') and line_start(tokens, j)


def list_markers(
    tokens: list[Token],
    text: str,
    channel: Channel,
    conf: Callable[[Token], float | None] | None = None,
) -> dict[int, str]:
    """Line-initial list markers read back as letters: a glyph (`¢)`) as the letter the channel says
    it is, preferring the letter after the previous marker (`b)` ... `¢)` -> `c)`); a letter no list
    counts in (`j)`, `ø)`, `])`, `1)` after `h)`), or the expected letter in the wrong case or tone
    (`C)`, `đ)` after `c)`), as the expected letter; after a figure (`4)`) no letter is expected.
    Two glyphs are a marker only where the list says so (`_two_glyph_marker`)."""
    out: dict[int, str] = {}
    read_as: dict[int, str] = {}  # where a marker the line pattern cannot see was read back (`gø)`)
    for i, t in enumerate(tokens):
        if len(t.text) == 2 and i + 1 < len(tokens) and tokens[i + 1].text.startswith(")"):
            if _marker_start(tokens, i) and (got := _two_glyph_marker(t.text, text, tokens[i + 1].end)):
                out[i] = read_as[t.start] = got
            continue
        if not (
            len(t.text) == 1
            and t.kind in (Kind.PUNCT, Kind.WORD, Kind.NUMBER)
            and (t.kind != Kind.PUNCT or t.text not in NOT_GLYPH or t.text == "]")
            and i + 1 < len(tokens)
            and tokens[i + 1].text.startswith(")")
            and _marker_start(tokens, i)
        ):
            continue
        last = _last_marker(text, t.start, read_as)
        expect = _after(last)
        if last is None and (first := _expected_before(text, tokens[i + 1].end)) is not None:
            # a list's first marker: a figure or glyph before `b)` is no list of its own (`8)`, `@)`)
            if fold(t.text.lower()) not in _MARKER_LETTERS:
                out[i] = first
            continue
        if t.text == expect:
            continue
        if t.kind != Kind.PUNCT or t.text == "]":
            if _next_confirms(t.text, text, tokens[i + 1].end):
                continue  # `c)`, `đ)`, `e)`: a marker the page skipped (`d)`), not a misread
            if expect is not None and _misread_marker(t.text, expect, channel):
                c = conf(t) if conf is not None else None
                if _twin_as_printed(t.text, expect, text, tokens[i + 1].end, channel, c):
                    continue
                out[i] = expect
            continue
        scored = {c: channel.logp(t.text, c, "eng") for c in _MARKER_LETTERS if c != "đ"}
        if expect is not None and scored.get(expect, -99.0) >= -4.0:
            out[i] = expect
            continue
        best = max(scored, key=scored.__getitem__)
        if scored[best] >= -2.5:
            out[i] = best
    return out


def _last_marker(text: str, start: int, read_as: dict[int, str] | None = None) -> str | None:
    """The last line-initial marker before `start`; `read_as`: markers of two glyphs already read back,
    by start, which the line pattern does not see (`gø)`)."""
    last = None
    for m in _MARKER_LINE.finditer(text, 0, start):
        last = (m.start(1), m.group(1))
    for at, letter in (read_as or {}).items():
        if at < start and (last is None or at > last[0]):
            last = (at, letter)
    return None if last is None else last[1]


def _after(last: str | None) -> str | None:
    """The letter a list puts after marker `last` (after `4)` or `A)` no letter is expected)."""
    return _next_letter(last) if last is not None and last in _MARKER_LETTERS[:-1] else None


def _expected_at(text: str, start: int) -> str | None:
    """The letter a list would put at `start`, after the last line-initial marker before it."""
    return _after(_last_marker(text, start))


def _expected_before(text: str, end: int) -> str | None:
    """The letter before the next line-initial marker after `end`: what a list's first marker is
    when none stands before it (`8)` then `b)`: the `8` is an `a`)."""
    m = _MARKER_LINE.search(text, end)
    if m is None or m.group(1) not in _MARKER_LETTERS[1:]:
        return None
    return _MARKER_LETTERS[_MARKER_LETTERS.index(m.group(1)) - 1]


def _two_glyph_marker(read: str, text: str, end: int) -> str | None:
    """A marker OCR read as two glyphs, as the letter the list expects there: the letter with a
    speck glued on that makes no Vietnamese letter (`gø)` after `e)`), or anything between the
    markers before and after it (`II)` between `k)` and `m)`: the list's order names it)."""
    expect = _expected_at(text, end - len(read) - 1)  # `end`: after the `)`
    twin = fold(read[0].lower())
    if read[0] != read[1] and twin == fold(read[1].lower()) and not is_valid_syllable(read.lower()):
        # one letter read twice, with and without its stroke (`đd)`): the list's letter, else the plain
        # one (after `c)` the corpus's lists have `d)` 28 times as often as `đ)`)
        if expect is None and twin in _MARKER_LETTERS:
            return twin
        if expect is not None and fold(expect) == twin:
            return expect
    if expect is None:
        return None
    if read[0] == expect and not is_valid_syllable(read.lower()) and not read[1].isdigit():
        return expect
    return expect if _next_confirms(expect, text, end) else None


def _next_letter(letter: str) -> str:
    return _MARKER_LETTERS[_MARKER_LETTERS.index(letter) + 1]


def _next_confirms(read: str, text: str, end: int) -> bool:
    """Whether the next line-initial marker after `end` is the letter after `read`: then `read` is
    counted as printed, whatever came before it."""
    if read not in _MARKER_LETTERS[:-1]:
        return False
    m = _MARKER_LINE.search(text, end)
    return m is not None and m.group(1) == _next_letter(read)


# of the corpus's line-initial markers after `c)`, 18,169 are `d)` and 638 `đ)`: lists that skip `d`
_NEXT_LP, _SKIP_LP = math.log10(18_169 / 18_807), math.log10(638 / 18_807)
# Tesseract reads a list's `d)` as `đ)` far more often than a `d` in a word (the `vie` channel's 1.2 %):
# 16 of the 73 `d)` on 1-bit and JPEG dev pages (the realistic dev pages, four fresh draws of dev
# documents), 13 of the 46 after `c)`; `đ)` was never read `d)`
_MARKER_MISREAD_LP = math.log10(16 / 73)


def _twin_as_printed(
    read: str, expect: str, text: str, end: int, channel: Channel, conf: float | None
) -> bool:
    """Whether `đ)` where `d)` was expected is as printed: a list that skips `d` (3.4 % of the
    corpus's lists) against a `d)` Tesseract misreads as `đ)` (`_MARKER_MISREAD_LP`, 22 %), weighed by
    its confidence in the marker; a next marker `đ)` again settles it as a misread."""
    if read == expect or read.lower() != read or fold(read) != fold(expect):
        return False
    m = _MARKER_LINE.search(text, end)
    if m is not None and m.group(1) == read:
        return False
    printed = channel.logp(read, read, "vie") + _SKIP_LP
    misread = _MARKER_MISREAD_LP + _NEXT_LP
    if conf is not None:
        printed += channel.conf_adjust(conf, True)
        misread += channel.conf_adjust(conf, False)
    return printed >= misread


def _misread_marker(read: str, expect: str, channel: Channel) -> bool:
    """`read` stands for the expected marker letter: it is that letter in another case or tone
    (`C`, `đ` for `d`), or a character no list counts in that the channel can confuse with it."""
    if read.lower() == expect or fold(read.lower()) == fold(expect):
        return True
    if read.isdigit():  # `1)` for `i)` or `l)`; other figures open numbered lists (`4)`)
        return read.translate(ROMAN_OCR).lower() == expect or channel.logp(read, expect, "eng") >= -3.0
    return read.lower() not in _MARKER_LETTERS and channel.logp(read, expect, "eng") >= -4.0


# ----- case ------------------------------------------------------------------------------------
def case_like(source: str, target: str, line_upper: bool) -> str:
    letters = [c for c in source if c.isalpha()]
    if not letters:
        return target
    ups = sum(c.isupper() for c in letters)
    if (ups == len(letters) and len(letters) >= 2) or (line_upper and ups >= max(1, len(letters) - 1)):
        return target.upper()
    if letters[0].isupper() or source[:1].isdigit() and line_upper:
        return target[:1].upper() + target[1:]
    return target


def capital_misread(tokens: list[Token], i: int, chosen: str) -> bool:
    """`Các BO, cơ quan ngang Bo`: the English model reads a small `ộ` as a capital O, so a two- or
    three-letter word comes out in capitals among small-letter words. It is title case when the word
    it stands for has marks the capitals lost and neither neighbour on its line is in capitals."""
    t = tokens[i].text
    if tokens[i].kind != Kind.WORD or not 2 <= len(t) <= 3 or not t.isupper() or chosen == fold(chosen):
        return False
    if fold(t.lower()) != t.lower():
        return False  # capitals with their marks (`BỘ`): written so
    return not any(len(w) > 1 and w.isupper() for w in line_neighbours(tokens, i))


# a day or month OCR printed with look-alikes of its digits: `ngày !1 tháng ! năm 2018`, `tháng O3`
_DATE_FIELD = re.compile(r"(?<!\S)(\w+)([ \t]+)([0-9!|lIOo]{1,2})(?=[ \t]+(\w+)(?!\S))")
_DATE_SLOTS = {("ngay", "thang"): 31, ("thang", "nam"): 12}  # word before, word after: largest value
_AS_DIGIT = str.maketrans("!|lIOo", "111100")


# a speck between a date's number and the next date word (`tháng 5-năm 2025`, `ngày 15.tháng 5`)
_DATE_SPECK = re.compile(
    r"(?i)(\b(?:ngày|tháng|ngay|thang)[ \t]+\d{1,2})[-.,:;'_](?=(?:tháng|năm|thang|nam)\b)"
)


def date_specks(text: str) -> tuple[str, list[str]]:
    """A mark between a date's number and the next date word is a speck read as one: a space,
    character for character (offsets into the text stay valid)."""
    notes = [f"speck {m.group()[-1]!r} in a date read as a space" for m in _DATE_SPECK.finditer(text)]
    return _DATE_SPECK.sub(lambda m: m.group(1) + " ", text), notes


# an article or clause number printed with look-alike glyphs: `Điều B1`, `Điều 1O`, `khoản l`
_ARTICLE_FIELD = re.compile(r"(?<!\S)(\w+)([ \t]+)([0-9lIOoBS]{1,3})(?![^\W_])")
_AS_ARTICLE_DIGIT = str.maketrans("lIOoBS", "110085")  # not `!`: `Điều 1!` is `Điều 1.`


def article_digits(text: str) -> tuple[str, list[str]]:
    """Article and clause numbers after `Điều` / `khoản` read back as digits, character for character.
    Laws number both in Arabic figures, so a field with a figure in it (`B1`, `1O`) is a number; a
    lone bar-like glyph (`khoản l`) is `1`. A lower-case `điều` is the common noun (`điều lo ngại`),
    so only the capitalised label counts."""
    notes: list[str] = []

    def fix(m: re.Match[str]) -> str:
        label, field = m.group(1), m.group(3)
        key = fold(label.lower())
        if not ((key == "dieu" and label[:1].isupper()) or key == "khoan"):
            return m.group(0)
        digits = field.translate(_AS_ARTICLE_DIGIT)
        lone_bar = len(field) == 1 and field in "lI"
        if digits == field or digits[0] == "0" or not (lone_bar or any(c.isdigit() for c in field)):
            return m.group(0)
        notes.append(f"article number {field!r} read as {digits!r} (after {label!r})")
        return label + m.group(2) + digits

    return _ARTICLE_FIELD.sub(fix, text), notes


def date_digits(text: str) -> tuple[str, list[str]]:
    """Day and month numbers between `ngày`/`tháng`/`năm` read back as digits, character for character
    (offsets into the text stay valid). The words around are the evidence, so a field is changed only
    in that slot and only to a day or month that exists."""
    notes: list[str] = []

    def fix(m: re.Match[str]) -> str:
        field = m.group(3)
        top = _DATE_SLOTS.get((fold(m.group(1).lower()), fold(m.group(4).lower())))
        digits = field.translate(_AS_DIGIT)
        if top is None or digits == field or not 1 <= int(digits) <= top:
            return m.group(0)
        notes.append(f"date number {field!r} read as {digits!r} (after {m.group(1)!r})")
        return m.group(1) + m.group(2) + digits

    return _DATE_FIELD.sub(fix, text), notes
