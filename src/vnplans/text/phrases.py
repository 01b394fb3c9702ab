"""The national name and motto, which Decree 30 fixes word for word, pinned to their official words.

Why: every document prints them, and OCR damages them like any other words (`Péc lap - Tw do - Hanh
phic`, `XA HQI`); with two letters of a short word wrong the decoder cannot get `Độc` back from its
neighbours, so the text printed `Pác lập` where the record already said `Độc lập`. A run of words on
one line that matches the whole phrase closely is that phrase: at least half of its words right once
folded, each other word within a couple of edits, and at most a third of its letters edited in all.
Its punctuation is left as printed (`-` or `–`); only the words are pinned.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from rapidfuzz.distance import Levenshtein

from ..lexicon import QUOC_HIEU, TIEU_NGU, fold
from .tokens import Kind, Token

__all__ = ["FIXED_PHRASES", "archive_pins", "label_pins", "office_pins", "phrase_pins", "phrase_specks"]

FIXED_PHRASES = (QUOC_HIEU, TIEU_NGU)
_WORDISH = (Kind.WORD, Kind.ABBR, Kind.MIXED)
_LINKS = frozenset("-–— ")  # what may stand between two words of a phrase on its line


def _words(phrase: str) -> list[str]:
    return [w.lower() for w in phrase.split() if any(c.isalpha() for c in w)]


def _runs(tokens: Sequence[Token]) -> list[list[int]]:
    """Word-like tokens grouped into runs joined only by spaces and dashes on one line."""
    runs: list[list[int]] = [[]]
    gap_ok = True
    for i, t in enumerate(tokens):
        if t.kind in _WORDISH:
            if not gap_ok:
                runs.append([])
            runs[-1].append(i)
            gap_ok = True
        elif "\n" in t.text or not set(t.text) <= _LINKS:
            gap_ok = False
    return [r for r in runs if r]


def _matches(read: list[str], official: list[str]) -> bool:
    exact = dist = 0
    for r, o in zip(read, official, strict=True):
        d = Levenshtein.distance(fold(r), fold(o))
        if d > max(1, min(2, len(o) - 1)):
            return False
        exact += d == 0
        dist += d
    letters = sum(len(o) for o in official)
    return exact >= math.ceil(len(official) / 2) and dist <= letters / 3


def _found(tokens: Sequence[Token]) -> list[tuple[list[int], list[str]]]:
    """(token indices, official words) of each fixed phrase found whole on a line."""
    out = []
    for phrase in FIXED_PHRASES:
        official = _words(phrase)
        n = len(official)
        for run in _runs(tokens):
            for k in range(len(run) - n + 1):
                idx = run[k : k + n]
                if _matches([tokens[i].text.lower() for i in idx], official):
                    out.append((idx, official))
                    break
    return out


def phrase_pins(tokens: Sequence[Token]) -> dict[int, str]:
    """Token index -> official word (lower case) for each fixed phrase found whole on a line."""
    return {i: w for idx, official in _found(tokens) for i, w in zip(idx, official, strict=True)}


_SPECKS = frozenset("“”\"'‘’`.,·")
_CLOSING = frozenset('”"’')
_RULE_CHARS = frozenset("-_—–=~")


def _rest_of_line(tokens: Sequence[Token], start: int) -> list[str]:
    out = []
    for t in tokens[start:]:
        if "\n" in t.text:
            break
        out.append(t.text)
    return out


def _opens_line(tokens: Sequence[Token], j: int) -> bool:
    """Nothing before token `j` on its line but the rule under the other header column (`———`)."""
    for t in reversed(tokens[:j]):
        if "\n" in t.text:
            return True
        if t.kind != Kind.SPACE and not set(t.text) <= _RULE_CHARS:
            return False
    return True


def phrase_specks(tokens: Sequence[Token], text: str = "") -> set[int]:
    """A speck read as a mark stuck to the front of a fixed phrase that opens its line (`“Độc lập`),
    maybe after the rule under the other header column: neither phrase is quoted there (no closing
    quote follows on the line)."""
    out: set[int] = set()
    for idx, _ in _found(tokens):
        j = idx[0] - 1
        if j < 0 or tokens[j].text not in _SPECKS or not _opens_line(tokens, j):
            continue
        if not any(q in _CLOSING for q in _rest_of_line(tokens, idx[-1] + 1)):
            out.add(j)
    return out


_LABEL = re.compile(r"^[s5$][a-z0-9]$")  # `Số` with its second letter misread (`Sb`, `S6`, `So`)


def label_pins(tokens: Sequence[Token]) -> dict[int, str]:
    """Token index -> `số` for the label of a document number (`Sb: 244/KH-UBND`): two characters
    from `S`, then `:` and a number with its symbol (`244 /KH-UBND`, `12/2024/QĐ-UBND`). Nothing but
    the number line is written so. Without the colon, the word must read `so` with some marks and the
    symbol must hold letters (`Số 12/KH-UBND`, `quyết định sổ 1189/1998/QĐ-BGTVT`): no `sổ`, `sợ`
    or `sơ` stands before a document's symbol, and the LM, which saw `số 12/KH-UBND` mostly before
    `ngày` or `về`, took `Hà Nội` after it (a header's next column) for a reason to read `sổ`."""
    pins: dict[int, str] = {}
    seq = [i for i, t in enumerate(tokens) if t.kind != Kind.SPACE or "\n" in t.text]
    for k, i in enumerate(seq[:-1]):
        t = tokens[i]
        if t.kind not in _WORDISH or not _LABEL.match(fold(t.text.lower())):
            continue
        colon = tokens[seq[k + 1]].text == ":"
        if not colon and fold(t.text.lower()) != "so":
            continue
        at = k + 2 if colon else k + 1
        if at >= len(seq):
            continue
        nxt = tokens[seq[at]]
        after = tokens[seq[at + 1]].text if at + 1 < len(seq) else ""
        numbered = nxt.kind == Kind.NUMBER and after == "/"
        symbol = nxt.kind == Kind.SYMBOL and nxt.text[:1].isdigit() and "/" in nxt.text
        if (colon and (numbered or symbol)) or (symbol and any(c.isalpha() for c in nxt.text)):
            pins[i] = "số"
    return pins


_ARCHIVE_T = re.compile(r"^V[Il1|ÍÌỈĨỊi]$")  # `VT` with its `T` read as a bar: `VI`, `V1`, `Vl`, `Vi`
# and the comma after it read as a letter glued on (`VTj`, `VTE`): no `Lưu: VT` of clean text has one
_ARCHIVE_J = re.compile(r"^V[TIl1|i][^\W\d_]$")


def archive_pins(tokens: Sequence[Token]) -> dict[int, str]:
    """Token index -> `VT` in the archive line that closes `Nơi nhận` (`- Lưu: VI, UBND.`). Decree 30
    has every document kept by its clerical office, `Lưu: VT` (Văn thư; 511 of the corpus's 536 `Lưu:`
    lines, then `VP` and `HC`); `VI` and the like are its `T` read as a bar, and a Roman numeral never
    stands there. Only right after a line's own `Lưu` (its dash aside) and `:`."""
    pins: dict[int, str] = {}
    seq = [i for i, t in enumerate(tokens) if t.kind != Kind.SPACE or "\n" in t.text]
    for k, i in enumerate(seq[:-2]):
        if tokens[i].text != "Lưu" or tokens[seq[k + 1]].text != ":":
            continue
        before = [tokens[j] for j in seq[max(0, k - 2) : k]]
        at_line_start = (
            k == 0
            or "\n" in before[-1].text
            or (before[-1].text in "-–+•" and (len(before) < 2 or "\n" in before[0].text))
        )
        nxt = seq[k + 2]
        if not at_line_start:
            continue
        text = tokens[nxt].text
        if not (text == "VT" or _ARCHIVE_T.match(text) or _ARCHIVE_J.match(text)):
            continue
        # the drafting unit's code or name follows with no mark between: the comma was lost (or read as a
        # letter); no `Lưu: VT` line of the corpus has a word after it without a mark between (456 a comma)
        after = tokens[seq[k + 3]] if k + 3 < len(seq) else None
        if after is not None and (
            after.kind == Kind.ABBR or (after.kind == Kind.WORD and after.text[0].isupper())
        ):
            pins[nxt] = "VT,"
        elif text != "VT":
            pins[nxt] = "VT"
    return pins


_LINE_OPENERS = set("-–+•|*_>#")  # a dash, or the marks of a markdown cell or emphasis


def _in_recipient_list(tokens: Sequence[Token]) -> list[bool]:
    """Per token: inside a `Nơi nhận` list (the heading's line and the lines after it, up to a blank
    line or the archive line `Lưu: ...`)."""
    out, inside, line_start, ended = [], False, True, False
    for k, t in enumerate(tokens):
        if t.kind == Kind.SPACE and "\n" in t.text:
            if t.text.count("\n") > 1 or ended:
                inside = ended = False
            line_start = True
            out.append(inside)
            continue
        if line_start and t.kind == Kind.WORD:
            first = fold(t.text.lower())
            nxt = fold(tokens[k + 2].text.lower()) if k + 2 < len(tokens) else ""
            if first == "noi" and nxt == "nhan":
                inside = True
            elif first == "luu" and inside:
                ended = True  # the list's last item: it ends with its line
            line_start = False
        elif line_start and t.kind != Kind.SPACE and not set(t.text) <= _LINE_OPENERS:
            line_start = False
        out.append(inside)
    return out


def office_pins(tokens: Sequence[Token]) -> dict[int, str]:
    """Token index -> `sở` for a capitalised `Số`/`Sổ`/`So` before an abbreviation where a province's
    department is named by its initials (`các Sở VHTTDL`, `- Sở KH&CN các tỉnh`): mid-line (after a
    word, `,` or `;`), where clean text capitalises `Sở` 32 times to one `Số`, or opening an item of a
    `Nơi nhận` list. The LM, blind to case, prefers `số`; at a line start elsewhere `Số CCCD` and the
    table head `Số TT` are right and stay."""
    pins: dict[int, str] = {}
    listed = None
    for i, t in enumerate(tokens):
        if t.kind != Kind.WORD or not t.text[:1].isupper() or not t.text[1:].islower():
            continue
        if fold(t.text.lower()) != "so" or i + 2 >= len(tokens):
            continue
        if tokens[i + 1].text != " " or tokens[i + 2].kind != Kind.ABBR:
            continue
        mid_line = (
            i >= 2
            and tokens[i - 1].text == " "
            and (tokens[i - 2].kind == Kind.WORD or tokens[i - 2].text in (",", ";"))
        )
        if not mid_line:
            listed = listed if listed is not None else _in_recipient_list(tokens)
            if not listed[i]:
                continue
        pins[i] = "sở"
    return pins
