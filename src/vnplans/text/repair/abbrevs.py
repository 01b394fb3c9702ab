"""Abbreviations and document symbols: garbled all-caps forms mapped to known ones (`TPKT` -> `TĐKT`),
symbol parts repaired unless they spell a name printed in the text, and the OCR profile of a line."""

from __future__ import annotations

import math
import re
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from ...lexicon import doc_type_by_code
from ..abbrev import load_abbreviations
from ..candidates import get_candidates
from ..channel import UNSEEN_SUB, Channel, get_channel
from ..syllable import fold, strip_tone
from ..tokens import Kind, Token, tokenize

_VIE_MARKS = set("ăâđêôơư")
_SPLIT_SEP = re.compile(r"([/\-.:])")
_UNSEEN_ABBR = -1.0  # log10 odds against an all-caps token being a new abbreviation, not garble
_SEEN = 0.05  # margin above the channel's unseen-substitution floor that counts as a learned confusion
_DICT_ABBR_COUNT = 20  # pseudo-count of a curated dictionary abbreviation (the "known" threshold)


def detect_profile(text: str) -> str:
    """`vie` when the text carries Vietnamese-only letters (the English model never prints them)."""
    words = [t.text for t in tokenize(text) if t.kind in (Kind.WORD, Kind.ABBR)]
    if not words:
        return "eng"
    marked = sum(1 for w in words if any(c in _VIE_MARKS for c in fold_keep_shape(w.lower())))
    return "vie" if marked >= max(1, 0.04 * len(words)) else "eng"


def fold_keep_shape(s: str) -> str:
    return strip_tone(s)


def _abbr_table(channel: Channel) -> dict[str, int]:
    """Abbreviation inventory: corpus counts (channel + LM candidate tables) plus the curated
    dictionary, whose entries count as at least `_DICT_ABBR_COUNT` occurrences. Missing candidate
    tables are a broken install (`ModelNotFound`); a missing dictionary leaves corpus counts only."""
    table = dict(channel.abbreviations)
    for forms in get_candidates()._abbr.values():
        for form, n in forms:
            table[form] = max(table.get(form, 0), n)
    protected, unique = load_abbreviations()
    for form in {*protected, *(f for f in unique.values() if f)}:
        if len(form) >= 2 and form[0].isupper():
            table[form] = table.get(form, 0) + _DICT_ABBR_COUNT
    return table


@lru_cache(maxsize=4)
def _abbr_index(channel: Channel) -> tuple[dict[str, int], list[str], int]:
    """(table, its keys, total count), built once per channel object."""
    table = _abbr_table(channel)
    return table, list(table), sum(table.values()) or 1


def repair_abbreviation(token: str, channel: Channel | None = None, profile: str = "eng") -> str:
    """Map a garbled upper-case abbreviation to a frequent known one (`TPKT` -> `TĐKT`), else keep."""
    channel = channel or get_channel()
    table, keys, total = _abbr_index(channel)
    if not token.isupper():
        return token  # mixed-case forms (`TTg`, `QyĐ`) are written on purpose
    if (accented := _accented(token)) != token:
        return accented
    own = table.get(token, 0)
    if own >= 20 or len(token) < 3:
        return token  # known as written, or too short to tell garble from a real abbreviation
    # Keeping an unknown form means it is a new abbreviation that OCR read right; mapping it means
    # a known one (prior: its count) was garbled (the learned channel: `Đ` -> `P`/`DP`, ...).
    keep = math.log10((own + 0.5) / total) + (_UNSEEN_ABBR if own < 3 else 0.0)
    best, best_score = token, keep
    dmax = 1 if len(token) <= 4 else 2
    for cand, d, _ in process.extract(
        fold(token), keys, processor=fold, scorer=Levenshtein.distance, score_cutoff=dmax, limit=30
    ):
        if cand == token or table[cand] < 5:
            continue
        lp = channel.logp(token, cand, profile)
        if lp < -4.0 * max(1, d) or _other_body(token, cand, channel, profile):
            continue
        score = math.log10(table[cand] / total) + lp
        if score > best_score + 0.5:
            best, best_score = cand, score
    return best


def marked_abbreviation(token: str, channel: Channel | None = None, profile: str = "vie") -> str | None:
    """The known abbreviation an all-caps token with a tone mark is, letter for letter (`ỦBND`, `UỔND`:
    a seal's speck or a stroke read as a mark, which makes the token no abbreviation to the lattice),
    else None. Same length only: in clean text such tokens are words glued by a lost space
    (`CÔNGTẠI`), and a deletion (`STTỈ` -> `STT`) is as likely a stray mark as a lost letter."""
    if len(token) < 3:
        return None
    fixed = repair_abbreviation(token, channel, profile)
    if fixed == token or len(fixed) != len(token) or not is_known_abbreviation(fixed, channel):
        return None
    return fixed


def _accented(token: str) -> str:
    """The fold-identical accented spelling the corpus makes unambiguous (`QD` -> `QĐ`), else `token`."""
    accented = get_candidates().abbreviation(token)
    return accented if accented and fold(accented) == fold(token) else token


def _other_body(token: str, cand: str, channel: Channel, profile: str) -> bool:
    """The mapping changes the first letter through a confusion OCR was never seen to make. That letter
    names the kind of body (`S`ở, `B`ộ, `P`hó, `U`ỷ ban), and the national corpus lacks the local forms
    (`STTTT`, `PCT`) that differ from a national one (`BTTTT`, `BCT`) only there: no evidence of garble."""
    a, b = token[:1], cand[:1]
    return fold(a) != fold(b) and channel.logp(a, b, profile) <= UNSEEN_SUB + _SEEN


def is_known_abbreviation(token: str, channel: Channel | None = None) -> bool:
    """Seen at least 20 times in training text as an upper-case abbreviation."""
    channel = channel or get_channel()
    return _abbr_index(channel)[0].get(token, 0) >= 20


_NAME_WORD = re.compile(r"[^\W\d_]+")
_NAME_GAP = re.compile(r"^[\s,\-–]*$")  # what may stand between two words of one printed name


def name_initials(text: str) -> frozenset[str]:
    """Initials of every run of upper-case words in the text, `VÀ` skipped (`SỞ KẾ HOẠCH VÀ ĐẦU TƯ`
    gives `SKHĐT`, and its sub-runs `KHĐT`, `SKH`, ...): how a body's own abbreviation is made."""
    out: set[str] = set()
    for line in text.split("\n"):
        runs: list[list[str]] = [[]]
        end = 0
        for m in _NAME_WORD.finditer(line):
            w = m.group()
            if not w.isupper() or not _NAME_GAP.match(line[end : m.start()]):
                runs.append([])
            if w.isupper():
                runs[-1].append(w)
            end = m.end()
        for run in runs:
            heads = [w[0] if w[0] == "Đ" else fold(w[0]).upper() for w in run if w != "VÀ"]  # ỦY -> U
            for a in range(len(heads)):
                for b in range(a + 2, len(heads) + 1):
                    out.add("".join(heads[a:b]))
    return frozenset(out)


def repair_symbol(
    text: str, channel: Channel, profile: str, names: frozenset[str] = frozenset(), named: str | None = None
) -> str:
    """Fix the abbreviation parts of a document symbol (`42/NQ-HDPND`); digits never change, nor a part
    that spells the initials of a name printed in the text (the issuer's own `SVHTTDL`). On an
    English-model line such a part still gets back the `Đ` OCR took (`QĐ`, `NĐ`, where the corpus
    knows no other spelling): that model prints `NGHỊ ĐỊNH` as `NGHI DINH`, whose initials `ND` kept
    `30/2017/ND-CP` from `NĐ-CP`. `named`: the initials of the document type named before it
    (`cited_type`)."""
    out = []
    for p in _SPLIT_SEP.split(text):
        if named is not None and _type_code_for(p, named, channel):
            out.append(named)
        elif len(p) >= 2 and p.isalpha() and p.isupper() and p not in names:
            out.append(repair_abbreviation(p, channel, profile))
        elif len(p) >= 2 and p.isalpha() and p.isupper():  # a printed name's initials
            out.append(_accented(p) if profile == "eng" else p)
        else:
            out.append(p)
    return "".join(out)


_TYPE_SEEN = 3  # corpus count below which a two-letter symbol part is taken for garble of the type named


def _type_code_for(part: str, named: str, channel: Channel) -> bool:
    """`part` is the type code `named` garbled: two capitals training text has (almost) never shown,
    one letter away from the named type's code, which it knows (`KU` for `KL` after `Kết luận số`)."""
    if len(part) != 2 or len(named) != 2 or part == named or not (part.isalpha() and part.isupper()):
        return False
    table = _abbr_index(channel)[0]
    if table.get(part, 0) >= _TYPE_SEEN or table.get(named, 0) < _DICT_ABBR_COUNT:
        return False
    return Levenshtein.distance(fold(part), fold(named)) == 1


def cited_type(tokens: list[Token], i: int) -> str | None:
    """The code of the document type named before a cited symbol: the initials of the two words before
    `số` (`Kết luận số 14-KL/TW`, `Nghị định số 30/2020/NĐ-CP`), misread tones and all (`Kứ luận`)."""
    words: list[str] = []
    j = i - 1
    for want in ("space", "số", "space", "word", "space", "word"):
        if j < 0:
            return None
        t = tokens[j]
        if want == "space":
            if t.kind != Kind.SPACE:
                return None
        elif want == "số":
            if t.text.lower() not in ("số", "số:"):
                return None
        elif t.kind != Kind.WORD or not t.text[:1].isalpha():
            return None
        else:
            words.append(t.text)
        j -= 1
    return (words[1][0] + words[0][0]).upper()


_TYPE_CODE = re.compile(r"\d{1,5}(?:/\d{4})?[/-]([^\W\d_]+)(?:[-/]|$)")  # `14-KL/TW`, `30/2017/NĐ-CP`


def cited_type_pins(tokens: list[Token]) -> dict[int, str]:
    """Token index -> word of the type a cited symbol's code names, for the two words before `số`
    (`Kứ luận số 14-KL/TW` -> `Kết luận`, `Nghi quyet so 42/NQ-HDND` -> `Nghị quyết`). The symbol's
    code and the words name one type, so words within two edits of its name, one of them exact once
    folded, are its words: the LM alone read `Ký luận` (a tone and a letter lost are beyond its reach).
    A code that names no type but is one letter from the words' initials (`Kứ luận số 14-KU/TW`) is
    that type's, garbled too (the symbol gets its code back in `symbol_type_code`)."""
    pins: dict[int, str] = {}
    for i, sym in enumerate(tokens):
        if sym.kind != Kind.SYMBOL or (m := _TYPE_CODE.match(sym.text)) is None:
            continue
        if (initials := cited_type(tokens, i)) is None:
            continue
        dtype = doc_type_by_code(m.group(1))
        if dtype is None and len(m.group(1)) == 2:  # the code garbled too: the words' initials name it
            named = doc_type_by_code(initials)
            near = named is not None and Levenshtein.distance(fold(m.group(1)).upper(), fold(named.code)) == 1
            dtype = named if near else None
        if dtype is None or len(names := dtype.name.lower().split()) != 2:
            continue
        at = (i - 6, i - 4)  # `cited_type` matched word, space, word, space, `số`, space
        dist = [
            Levenshtein.distance(fold(tokens[j].text.lower()), fold(n))
            for j, n in zip(at, names, strict=True)
        ]
        if 0 in dist and sum(dist) <= 2:
            pins.update(zip(at, names, strict=True))
    return pins


_SYMBOL_HEAD = re.compile(r"\d/\d{4}/(?:[A-ZĐ]+-)*[A-ZĐ]{2,}$")  # `95/2026/NĐ`, `15/2012/QH`


_NUMBERED_SYMBOL = re.compile(r"\d{1,4}/\d{4}/")


def _split_number(tokens: list[Token], i: int) -> bool:
    """`số 1 93/2025/NĐ-CP`: a space OCR opened in the number of a cited symbol. In clean legal text
    `số N NN/YYYY/` is 1 in 8,000 of `số NNN/YYYY/` (10 of 84,043, themselves typos)."""
    return (
        tokens[i].kind == Kind.NUMBER
        and len(tokens[i].text) <= 3
        and tokens[i].text.isdigit()
        and i >= 2
        and i + 2 < len(tokens)
        and tokens[i - 2].text.lower() in ("số", "số:")
        and tokens[i - 1].text == " "
        and tokens[i + 1].text == " "
        and tokens[i + 2].kind == Kind.SYMBOL
        and _NUMBERED_SYMBOL.match(tokens[i + 2].text) is not None
    )


def split_symbols(tokens: list[Token]) -> dict[int, str]:
    """Spaces OCR opened inside a document symbol, to close: `95/2026/NĐ- CP`, `162/2018/NĐ- -CP`,
    `15/2012/QH 13`, `số 1 93/2025/NĐ-CP`. In clean legal text `/NĐ- CP` is 0.4% of `/NĐ-CP` (323 of
    73,390), `NĐ- -CP` 5 times, and a congress number apart from its `QH` 3 times in 22,087."""
    out: dict[int, str] = {}
    n = len(tokens)
    for i, t in enumerate(tokens):
        if _split_number(tokens, i):
            out[i + 1] = ""
            continue
        if t.kind != Kind.SYMBOL or not _SYMBOL_HEAD.search(t.text) or i + 3 >= n:
            continue
        a, b, c = tokens[i + 1], tokens[i + 2], tokens[i + 3]
        if a.text == "-" and b.text == " ":
            if c.kind == Kind.ABBR:
                out[i + 2] = ""
            elif c.text == "-" and i + 4 < n and tokens[i + 4].kind == Kind.ABBR:
                out[i + 2] = out[i + 3] = ""
        elif (
            a.text == " "
            and b.kind == Kind.NUMBER
            and len(b.text) <= 2
            and "-" not in t.text.rsplit("/", 1)[1]
            and (c.kind == Kind.SPACE or c.text[:1] in ",;.)")
        ):
            out[i + 1] = ""
    return out
