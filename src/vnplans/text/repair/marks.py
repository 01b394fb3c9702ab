"""Marks OCR reads from dust next to words (`vực.hàng`, `quy -hành`, `ngành. huyện`, `khu: vui`,
`thời 'gian`) and marks it loses (the stop of `.”.`, the dots of a gapped `...`, an item's `1.`). Each finder returns
{token index: replacement}; the driver applies the first group on `vie` lines only."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ...resources import dictionary_entries
from ..syllable import is_valid_syllable, nfc
from ..tokens import Kind, Token
from .scan import attested, capital_word, line_label, line_start, one_word, two_syllables

_GLUED = frozenset("-._°`~*^")  # dust read as a mark between two words: never prose
_GLUED_PUNCT = frozenset(",;:")  # real punctuation that lost its space
_SPLIT_MARKS = frozenset({":", ".", "...", "…"})  # dust read between the syllables of one word


@lru_cache(maxsize=1)
def _colon_words() -> frozenset[str]:
    """Syllables a colon often follows before a lower-case word in clean legal text (`bao gồm: các`,
    `như sau: không`, `ví dụ: trường hợp`; 51% of all `word: word` colons there), from
    dictionaries/colon_words.txt (`python -m tools.colon_words`). After any other syllable such a
    colon is rarer than dust on a heavy scan (`khu: vui chơi`)."""
    try:
        return frozenset(nfc(w.strip()) for w in dictionary_entries("colon_words.txt"))
    except OSError:
        return frozenset()


def _sites(tokens: list[Token]) -> Iterator[tuple[int, bool, bool]]:
    """Marks the stray-mark rules look at: (index, next is a lower-case syllable, glued on both
    sides to syllables). Marks glued on both sides are for `glued_marks` only; the rest need a space."""
    n = len(tokens)
    for i, t in enumerate(tokens):
        if t.kind != Kind.PUNCT or (len(t.text) != 1 and t.text not in _SPLIT_MARKS) or i == 0 or i + 1 >= n:
            continue
        prev, nxt = tokens[i - 1], tokens[i + 1]
        lower_next = nxt.kind == Kind.WORD and nxt.text.islower() and is_valid_syllable(nxt.text)
        glued = lower_next and prev.kind == Kind.WORD and is_valid_syllable(prev.text.lower())
        yield i, lower_next, glued


def _open_sites(tokens: list[Token]) -> Iterator[tuple[int, bool]]:
    """Sites with a space on one side, not a capitalised dictionary word split by the mark."""
    for i, lower_next, glued in _sites(tokens):
        if glued or (tokens[i].text in _SPLIT_MARKS and capital_word(tokens[i - 1], tokens[i + 1])):
            continue
        if i >= 2:
            yield i, lower_next


def glued_marks(tokens: list[Token], lm) -> dict[int, str]:
    """Dust on a scan that OCR reads as a mark glued between two syllables: `Chính-phủ`, `vực.hàng`.

    A mark between two syllables the LM knows as a pair becomes a space (`,;:` keep themselves and
    get their space back), and so do `:`, `.` or `...` between the two syllables of a dictionary
    word (`doanh:nghiệp`, `KẾ.HOẠCH`). Capitalised right-hand words keep their hyphen (`Bà Rịa-Vũng Tàu`),
    and so does a chain of hyphenated syllables (`Mê-hi-cô`).
    """
    out: dict[int, str] = {}
    for i, _, glued in _sites(tokens):
        t, prev, nxt = tokens[i], tokens[i - 1], tokens[i + 1]
        if glued and t.text == "-" and _hyphen_chain(tokens, i):
            continue
        if glued:
            if t.text in _SPLIT_MARKS and (one_word(prev, nxt) or capital_word(prev, nxt)):
                out[i] = " "
            elif t.text in _GLUED_PUNCT:
                out[i] = t.text + " "
            elif (
                t.text in _GLUED
                and attested(lm, prev, nxt)
                or t.text in "'’"
                and two_syllables(prev.text, nxt.text)
            ):
                out[i] = " "
        elif t.text in _SPLIT_MARKS and capital_word(prev, nxt):
            out[i] = " "  # `KẾ.HOẠCH`: the same in a heading
    return out


def _hyphen_chain(tokens: list[Token], i: int) -> bool:
    """`Mê-hi-cô`, `Ma-lai-xi-a`: a foreign name spelled in syllables, three or more joined by
    hyphens. Its pairs are all attested (the LM learnt them from such names), but dust does not
    put two hyphens in a row of syllables."""
    for j in (i - 2, i + 2):
        if 0 < j < len(tokens) - 1 and tokens[j].text == "-":
            a, b = tokens[j - 1], tokens[j + 1]
            if a.kind == Kind.WORD and b.kind == Kind.WORD:
                return True
    return False


def front_marks(tokens: list[Token], lm) -> dict[int, str]:
    """`quy -hành`, `và :Xã hội`: a mark stuck to the front of a word, after a word and a space, is
    dropped; also at the start of a wrapped line (`sản` / `.phẩm`: 0.5 per million characters of
    clean text)."""
    out: dict[int, str] = {}
    n = len(tokens)
    for i, lower_next in _open_sites(tokens):
        t, prev, nxt = tokens[i], tokens[i - 1], tokens[i + 1]
        after_word = prev.kind == Kind.SPACE and "\n" not in prev.text and tokens[i - 2].kind == Kind.WORD
        wrapped = (
            prev.kind == Kind.SPACE
            and prev.text.count("\n") == 1
            and tokens[i - 2].kind == Kind.WORD
            and lower_next
            and (t.text in _GLUED_PUNCT | {"."} or t.text in _GLUED and tokens[i - 2].text[-1:].islower())
        )
        front = (
            wrapped
            or after_word
            and (
                (lower_next and t.text in _GLUED and tokens[i - 2].text[-1:].islower())
                or (
                    t.text in _GLUED_PUNCT | {"."}
                    and nxt.kind == Kind.WORD
                    and is_valid_syllable(nxt.text.lower())
                    and i + 2 < n
                )
            )
        )
        if front:
            out[i] = ""
    return out


def false_stops(tokens: list[Token], lm) -> dict[int, str]:
    """`các sở, ban, ngành. huyện`: a sentence never ends before a lower-case word on its line. A stop
    that ends a line stays, whatever the next line holds: until 0.9.0 it went too (meant for a table
    cell's wrap, `ngành.` / `huyện`), but measured it only ever removed real stops, where OCR read
    table columns or fragments one after the other (`cá nhân.` / `của Luật`: 15 on the `vie` garble
    pages, 3 on the held-out OCR pages, none right)."""
    out: dict[int, str] = {}
    n = len(tokens)
    for i, _ in _open_sites(tokens):
        t, prev, nxt = tokens[i], tokens[i - 1], tokens[i + 1]
        if (
            t.text == "."
            and i + 2 < n
            and prev.kind == Kind.WORD
            and prev.text.islower()
            and is_valid_syllable(prev.text)
            and nxt.text == " "
            and tokens[i + 2].kind == Kind.WORD
            and tokens[i + 2].text.islower()
            and is_valid_syllable(tokens[i + 2].text)
            and _plain_word_follows(tokens, i + 3)
        ):
            out[i] = ""
    return out


def split_word_marks(tokens: list[Token], lm) -> dict[int, str]:
    """`doanh: nghiệp`, `hoạt. động`, `bổ... sung`: a mark never splits a word (in clean legal text
    a dictionary word around `:` or `.` is 2 per million characters, mostly `label: value`)."""
    out: dict[int, str] = {}
    n = len(tokens)
    for i, _ in _open_sites(tokens):
        t, prev, nxt = tokens[i], tokens[i - 1], tokens[i + 1]
        if (
            t.text in _SPLIT_MARKS
            and i + 2 < n
            and prev.kind == Kind.WORD
            and nxt.kind == Kind.SPACE
            and nxt.text == " "
            and tokens[i + 2].kind == Kind.WORD
            and tokens[i + 2].text.islower()
            and one_word(prev, tokens[i + 2])
        ):
            out[i] = ""
    return out


def dust_colons(tokens: list[Token], lm) -> dict[int, str]:
    """Colons read from dust between two words of one phrase (`_dust_colon`), dropped."""
    return {i: "" for i, _ in _open_sites(tokens) if _dust_colon(tokens, i, lm)}


def dust_quotes(tokens: list[Token], lm) -> dict[int, str]:
    """Lone `'` stuck to one side of a word inside a line (`_dust_quote`), dropped."""
    return {i: "" for i, _ in _open_sites(tokens) if _dust_quote(tokens, i)}


def gapped_ellipses(tokens: list[Token]) -> list[int]:
    """Ellipses OCR read with a gap (`phòng, ban. .)` for `ban...)`): the index of the first stop. In
    clean legal text `word. .` before `)` never occurs, `word...)` 389 times."""
    return [
        i
        for i in range(1, len(tokens) - 3)
        if tokens[i].text == "."
        and tokens[i - 1].kind == Kind.WORD
        and tokens[i + 1].text == " "
        and tokens[i + 2].text == "."
        and tokens[i + 3].text[:1] == ")"
    ]


def quote_stops(tokens: list[Token]) -> list[int]:
    """Closing quotes of an amended passage that lost the full stop after them: `... sản.”` / `7.
    Sửa đổi`. In clean legal text a passage closed by `.”` or `;”` before a numbered item is followed
    by `.` 86% of the time (952 of 1,101 in training documents), and OCR drops that small dot after
    a quote (on scanned test pages it was never read)."""
    out = []
    for i in range(1, len(tokens) - 3):
        if (
            tokens[i].text == "”"
            and tokens[i - 1].text in (".", ";")
            and tokens[i + 1].kind == Kind.SPACE
            and "\n" in tokens[i + 1].text
            and tokens[i + 2].kind == Kind.NUMBER
            and (tokens[i + 3].text[:1] in ".)" or tokens[i + 3].text == " ")
        ):
            out.append(i)
    return out


_ITEM = re.compile(r"^[^\S\n]*(\d{1,2})([.,]?)[^\S\n]+(?=[^\W\d_])", re.M)


def item_stops(tokens: list[Token], text: str) -> dict[int, str]:
    """A numbered item that lost the stop after its number (`1 Tác phẩm`, `7, Thay thế`) between
    items that have it: the item before is `n-1.` or the one after `n+1.`. A neighbour numbered
    without a stop in sequence (a table's TT column: `1 Rà soát`, `2 Xây dựng`) leaves it alone.
    Returns {token index: replacement}: the number with its stop, or `.` for the comma."""
    items = [(m.start(1), int(m.group(1)), m.group(2)) for m in _ITEM.finditer(text)]
    at = {start: k for k, (start, _, _) in enumerate(items)}
    out: dict[int, str] = {}
    for i, t in enumerate(tokens[:-3]):
        k = at.get(t.start)
        if k is None or t.kind != Kind.NUMBER or items[k][2] == ".":
            continue
        if not tokens[i + (3 if items[k][2] else 2)].text[:1].isupper():
            continue
        n = items[k][1]
        near = {items[k - 1][1:] if k else None, items[k + 1][1:] if k + 1 < len(items) else None}
        if not near & {(n - 1, "."), (n + 1, ".")} or near & {(n - 1, ""), (n + 1, "")}:
            continue
        if items[k][2] == ",":
            out[i + 1] = "."
        elif tokens[i + 1].kind == Kind.SPACE:
            out[i] = t.text + "."
    return out


_MARKER_SPECKS = frozenset(".,:;'`")


_TILDE_DASHES = frozenset({"~", "~-", "-~", "~~"})
ITEM_REACH = 2  # lines: an item opening with `-` this near makes a tilde opening a line its dash


def item_dashes(tokens: list[Token]) -> dict[int, str]:
    """A list item's dash read as a tilde (`~ Văn phòng Quốc hội;`, `~- Lưu: VT.`) beside items that
    open with `-`: in clean legal text 25,357 lines open with `- ` and 223 with `~`, those themselves
    old OCR (a `+` opens 1,688: a sub-item's own mark, which stays)."""
    line, starts = 0, []  # (printed line, token) of each mark opening a line before a space and a word
    for i, t in enumerate(tokens):
        line += t.kind == Kind.SPACE and "\n" in t.text  # blank lines between items count for none
        if (
            t.kind == Kind.PUNCT
            and i + 2 < len(tokens)
            and tokens[i + 1].text == " "
            and tokens[i + 2].kind in (Kind.WORD, Kind.ABBR)
            and line_start(tokens, i)
        ):
            starts.append((line, i))
    dashed = [ln for ln, i in starts if tokens[i].text == "-"]
    return {
        i: "-"
        for ln, i in starts
        if tokens[i].text in _TILDE_DASHES and any(0 < abs(ln - d) <= ITEM_REACH for d in dashed)
    }


def marker_specks(tokens: list[Token]) -> dict[int, str]:
    """A mark between a line's list marker and its capitalised text (`b).Đối với`, `a), Phạt tiền`):
    dust. In clean legal text 13 of 174,000 such markers have one, themselves OCR'd. The mark
    becomes the marker's space, or goes where a space follows it."""
    out: dict[int, str] = {}
    for i in range(2, len(tokens) - 1):
        t, nxt = tokens[i], tokens[i + 1]
        if t.text not in _MARKER_SPECKS or tokens[i - 1].text != ")":
            continue
        letter = tokens[i - 2]
        if letter.kind != Kind.WORD or len(letter.text) != 1 or not line_start(tokens, i - 2):
            continue
        word = tokens[i + 2] if nxt.text == " " and i + 2 < len(tokens) else nxt
        if word.kind == Kind.WORD and word.text[:1].isupper():
            out[i] = "" if nxt.text == " " else " "
    return out


def _dust_quote(tokens: list[Token], i: int) -> bool:
    """A lone `'` stuck to one side of a word inside a line: `thời 'gian`, `quốc'` / `gia`. In clean
    legal text a word opening with `'` after another word is 0.5 per million characters, one closing
    with `'` before a lower-case word 0.2, after `,` or `;` 0.1 (quotes are `“”`); a quoted word (`'x'`)
    keeps its quotes."""
    t = tokens[i]
    if t.text != "'" or i < 2 or i + 2 >= len(tokens):
        return False
    prev, nxt = tokens[i - 1], tokens[i + 1]
    if prev.kind == Kind.SPACE and nxt.kind == Kind.WORD:  # opening: `thời 'gian`, `hóa, 'Thể thao`
        return (
            prev.text.count("\n") <= 2
            and (tokens[i - 2].kind == Kind.WORD or tokens[i - 2].text in (",", ";"))
            and is_valid_syllable(nxt.text.lower())
            and tokens[i + 2].text != "'"
        )
    if prev.kind == Kind.WORD and nxt.kind == Kind.SPACE:  # closing: `quốc' gia`
        after = tokens[i + 2]
        return (
            nxt.text.count("\n") <= 1
            and after.kind == Kind.WORD
            and after.text.islower()
            and is_valid_syllable(after.text)
            and is_valid_syllable(prev.text.lower())
            and tokens[i - 2].text != "'"
        )
    return False


def _plain_word_follows(tokens: list[Token], j: int) -> bool:
    """The word before tokens[j] is prose, not a list marker (`a)`, `b.`)."""
    return j >= len(tokens) or tokens[j].text[:1] not in ")."


def _dust_colon(tokens: list[Token], i: int, lm) -> bool:
    """`khu: vui chơi`, `văn bản: xác nhận`: a colon between two lower-case words that read on as one
    phrase (the LM has the pair), after a syllable a colon rarely follows (`_colon_words`)."""
    if tokens[i].text != ":" or i < 1 or i + 2 >= len(tokens):
        return False
    prev, gap, nxt = tokens[i - 1], tokens[i + 1], tokens[i + 2]
    return (
        prev.kind == nxt.kind == Kind.WORD
        and gap.text in (" ", "\n")  # `w:` + line break + lower-case word: 1 per million clean chars
        and prev.text.islower()
        and nxt.text.islower()
        and len(nxt.text) >= 2  # not a list marker (`như sau: a)`)
        and is_valid_syllable(prev.text)
        and is_valid_syllable(nxt.text)
        and prev.text not in _colon_words()
        and not line_label(tokens, i)
        and attested(lm, prev, nxt)
    )


_HEADING_WORDS = frozenset({"điều", "chương", "mục", "phần"})


def spaced_stops(tokens: list[Token]) -> list[int]:
    """`Điều 2 . Điều khoản`, `2 . Quy mô`: the space OCR opened before the stop of a heading or item
    number (the index of the space). In clean legal text `N .` there is 1 in 18,000 of `N.` (11 of
    200,089, themselves typos)."""
    out = []
    for i in range(1, len(tokens) - 2):
        num, prev = tokens[i], tokens[i - 1]
        if num.kind != Kind.NUMBER or not num.text.isdigit() or tokens[i + 1].text != " ":
            continue
        if tokens[i + 2].text != "." or (i + 3 < len(tokens) and tokens[i + 3].kind != Kind.SPACE):
            continue
        opens = prev.kind == Kind.SPACE and "\n" in prev.text
        heading = prev.text == " " and i >= 2 and tokens[i - 2].text.lower() in _HEADING_WORDS
        if opens or heading:
            out.append(i + 1)
    return out
