"""Lossless tokenisation: every character of the input lands in exactly one token.

Correctors rewrite only WORD tokens (and, when repairing OCR, ABBR/MIXED ones); everything else is
copied through, which is how line structure, numbers, document symbols, dates, e-mails and URLs
survive untouched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from .syllable import analyze, fold, nfc

__all__ = [
    "Kind",
    "Token",
    "acronyms",
    "comma_after",
    "folded_before",
    "tokenize",
    "detokenize",
    "word_tokens",
]


class Kind(StrEnum):
    WORD = "word"  # letters only: a syllable candidate
    ABBR = "abbr"  # all-caps letters that are not a syllable (UBND, TĐKT, KH)
    MIXED = "mixed"  # letters and digits glued (H6i, 14p): OCR garble or a code
    NUMBER = "number"  # digits with . or , inside (2023, 1.000.000, 3,5)
    SYMBOL = "symbol"  # document symbols, dates, times, e-mails, URLs: never rewritten
    SPACE = "space"  # whitespace, including newlines
    PUNCT = "punct"  # anything else


@dataclass(slots=True)
class Token:
    text: str
    kind: Kind
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


_URL = r"(?:https?://|ftp://|www\.)[^\s<>\"'“”]+[^\s<>\"'“”.,;:!?)\]]"
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_SPACE = r"\s+"
# A chunk: a maximal run of characters that are neither space nor "hard" punctuation.
_CHUNK = r"[^\s()\[\]{}<>\"“”‘’'«»,;!?…|·•]+"
_MASTER = re.compile(
    f"(?P<url>{_URL})|(?P<email>{_EMAIL})|(?P<space>{_SPACE})|(?P<chunk>{_CHUNK})|(?P<other>.)", re.S
)
_EDGE_PUNCT = ".:-–—/\\+*=&%#~^_`´"
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)*$")
_COMPOUND_SEP = re.compile(r"([/\-–.:+])")
_AMPERSAND_ABBR = re.compile(r"^[A-ZĐ]{1,5}(?:&[A-ZĐ]{1,5})+$")


def _has_digit(s: str) -> bool:
    return any(c.isdigit() for c in s)


def _is_abbr(s: str) -> bool:
    return len(s) >= 2 and s.isalpha() and s.isupper() and analyze(s) is None


def _word_choice(parts: list[str], pieces: list[str]) -> bool:
    """`tổ chức/cá nhân`, `và/hoặc`, `đồng/người/ngày`: syllables joined by slashes are words (the
    corrector must see them: `tố chức/thực hiện`), not a document symbol (`KH/UBND`, `ký/TTg`: a
    piece in capitals, or one that is not a syllable, keeps the whole a symbol)."""
    return (
        len(pieces) > 1
        and len(parts) == 2 * len(pieces) - 1
        and all(p == "/" for p in parts[1::2])
        and all(p.isalpha() and not (len(p) > 1 and p.isupper()) and analyze(p) is not None for p in pieces)
    )


def _classify_core(core: str, start: int, out: list[Token]) -> None:
    """Classify a chunk stripped of edge punctuation; may split compounds like `Rịa-Vũng`."""
    if _NUMBER.match(core):
        out.append(Token(core, Kind.NUMBER, start))
        return
    if core.isalpha():
        out.append(Token(core, Kind.ABBR if _is_abbr(core) else Kind.WORD, start))
        return
    if _AMPERSAND_ABBR.match(core):  # `KH&CN`, `NN&MT`: initials joined by `&` are one abbreviation
        out.append(Token(core, Kind.ABBR, start))
        return
    if not _COMPOUND_SEP.search(core):
        if any(c.isalpha() for c in core) and all(c.isalnum() for c in core):
            out.append(Token(core, Kind.MIXED, start))
        else:
            out.append(Token(core, Kind.PUNCT, start))
        return
    parts = [p for p in _COMPOUND_SEP.split(core) if p]
    pieces = [p for p in parts if not _COMPOUND_SEP.fullmatch(p)]
    if _word_choice(parts, pieces):
        pos = start
        for p in parts:
            out.append(Token(p, Kind.PUNCT if p == "/" else Kind.WORD, pos))
            pos += len(p)
        return
    structured = "/" in core or ":" in core or (_has_digit(core) and len(pieces) > 1)
    all_caps = all(p.isupper() or p.isdigit() or not p.isalpha() for p in pieces) and any(
        _is_abbr(p) for p in pieces
    )
    if structured or all_caps:
        out.append(Token(core, Kind.SYMBOL, start))
        return
    pos = start
    for p in parts:
        if _COMPOUND_SEP.fullmatch(p):
            out.append(Token(p, Kind.PUNCT, pos))
        else:
            _classify_core(p, pos, out)
        pos += len(p)


def _classify_chunk(chunk: str, start: int, out: list[Token]) -> None:
    lead = len(chunk) - len(chunk.lstrip(_EDGE_PUNCT))
    core = chunk[lead:].rstrip(_EDGE_PUNCT)
    trail = len(chunk) - lead - len(core)
    if lead:
        out.append(Token(chunk[:lead], Kind.PUNCT, start))
    if core:
        _classify_core(core, start + lead, out)
    if trail:
        out.append(Token(chunk[len(chunk) - trail :], Kind.PUNCT, start + lead + len(core)))


def tokenize(text: str) -> list[Token]:
    """Split `text` (NFC-normalised first) into tokens whose texts concatenate back to it."""
    text = nfc(text)
    out: list[Token] = []
    for m in _MASTER.finditer(text):
        kind = m.lastgroup
        s = m.group()
        if kind in ("url", "email"):
            out.append(Token(s, Kind.SYMBOL, m.start()))
        elif kind == "space":
            out.append(Token(s, Kind.SPACE, m.start()))
        elif kind == "chunk":
            _classify_chunk(s, m.start(), out)
        else:
            out.append(Token(s, Kind.PUNCT, m.start()))
    return out


def detokenize(tokens: list[Token]) -> str:
    return "".join(t.text for t in tokens)


def word_tokens(tokens: list[Token]) -> list[Token]:
    return [t for t in tokens if t.kind == Kind.WORD]


ACRONYM_LINE_CAPS = 0.4  # a line with this share of its words in capitals is a heading, not prose


def comma_after(tokens: Sequence[Token], i: int) -> int | None:
    """Index of the comma right after token `i`, glued or after a space on the line (`tỉnh,`, `tỉnh ,`)."""
    j = i + 1
    if j < len(tokens) and tokens[j].kind == Kind.SPACE and "\n" not in tokens[j].text:
        j += 1
    return j if j < len(tokens) and tokens[j].text == "," else None


def folded_before(tokens: Sequence[Token], i: int) -> str:
    """The word one space before token `i`, folded (`""` when none): what OCR or stripped text still
    shows of the syllable before, whatever its marks turn out to be."""
    if i >= 2 and tokens[i - 1].text == " " and tokens[i - 2].kind == Kind.WORD:
        return fold(tokens[i - 2].text.lower())
    return ""


def acronyms(tokens: list[Token]) -> set[int]:
    """WORD tokens that are acronyms: in capitals, without marks, alone in a line of small letters
    (`thuế VAT`, `dự án BOT`, `Ban Tuyên giáo TU`), a Roman numeral aside.

    Why: such a token spells a syllable (`VAT`, `BOT`, `TU`), so correctors read it as a word and gave
    it marks (`VẬT`, `BỘT`, `TỰ`). In the corpus's clean text, capitals standing alone in a line of
    small letters are mostly acronyms kept as written: 2,447 without marks against 557 with them
    (`Quyển SỐ`, `cơ SỞ`, the abbreviation `TƯ`), so 4 in 5; a word beside other capitals (`TM. ỦY BAN`, `SỞ Y TẾ`) or in a
    line mostly in capitals (a heading) is not one of them."""
    from ..lexicon import ROMAN_NUMERAL  # here, not at the top: `lexicon` imports this package

    out: set[int] = set()
    line: list[int] = []
    for i in range(len(tokens) + 1):
        if i < len(tokens) and "\n" not in tokens[i].text:
            if tokens[i].kind in (Kind.WORD, Kind.ABBR):
                line.append(i)
            continue
        caps = [tokens[k].text.isupper() for k in line]
        long = [c for k, c in zip(line, caps, strict=True) if len(tokens[k].text) > 1]
        if long and sum(long) < ACRONYM_LINE_CAPS * len(long):
            for n, k in enumerate(line):
                t = tokens[k].text
                if (
                    tokens[k].kind == Kind.WORD
                    and len(t) > 1
                    and t.isupper()
                    and fold(t) == t
                    and not ROMAN_NUMERAL.fullmatch(t)
                    and not (n > 0 and caps[n - 1])
                    and not (n + 1 < len(line) and caps[n + 1])
                ):
                    out.add(k)
        line = []
    return out
