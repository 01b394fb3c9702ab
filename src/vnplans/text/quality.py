"""Text-quality detector: is this line/page clean Vietnamese, stripped of marks, OCR garble, a legacy
font encoding, another language, or empty? The answer picks the corrector (see `auto.py`).

Only cheap features are used (syllable validity, marks, skeletons, glued digits, foreign letters,
English function words, non-Latin scripts, legacy signatures), so a page costs milliseconds.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from ..lexicon import ROMAN_NUMERAL as _ROMAN
from .legacy import guess_legacy
from .syllable import Tone, apply_tone, fold, is_valid_syllable, is_vietnamese_letter, nfc
from .tokens import Kind, tokenize


@lru_cache(maxsize=1)
def _place_words() -> frozenset[str]:
    """Words of official unit names that are not Vietnamese syllables (`Kon` Tum, `Krông` Pắc, `Ea` Kar).

    Minority-language place names are spelled outside Vietnamese orthography; on a clean page they
    must not make a line look like OCR garble (which sends it to the repairer).
    """
    from ..resources import admin_unit_names

    return frozenset(
        w
        for name in admin_unit_names()
        for w in name.lower().split()
        if w.isalpha() and not is_valid_syllable(w)
    )


__all__ = [
    "KINDS",
    "QualityReport",
    "assess",
    "assess_lines",
    "features",
    "is_skeleton",
    "simulate_garble",
]

KINDS = ("legacy-tcvn3", "legacy-vni", "clean", "stripped", "garbled", "not-vietnamese", "empty")
"""Every kind `assess` returns; on a tie the earlier kind wins."""


@dataclass(frozen=True, slots=True)
class QualityReport:
    """`kind` is the best guess, `score` its 0..1 confidence, `scores` one value per kind."""

    kind: str
    score: float
    scores: dict[str, float]
    features: dict[str, float] = field(default_factory=dict)
    words: int = 0  # word-like tokens seen: a short line's verdict weighs less than a page's


# Shape variants of each plain letter, to ask whether a folded word can be a syllable at all.
_SHAPES = {"a": "aăâ", "e": "eê", "o": "oôơ", "u": "uư", "d": "dđ"}


@lru_cache(maxsize=32768)
def is_skeleton(folded: str) -> bool:
    """True when some choice of shape and tone marks makes the mark-less `folded` word a syllable."""
    w = folded.lower()
    if not w or len(w) > 7 or not w.isascii() or not w.isalpha():
        return False
    variants = [""]
    for i, c in enumerate(w):
        opts = _SHAPES.get(c, c) if (c != "d" or i == 0) else c
        variants = [v + o for v in variants for o in opts]
    for v in variants:
        for tone in Tone:
            s = apply_tone(v, tone)
            if s is not None and is_valid_syllable(s):
                return True
    return False


# Common English (and generic Western) words whose spelling cannot be a Vietnamese syllable.
_ENGLISH_WORDS = """the of and to in is that for it as was with be by on not he this are or his from at which
    but have an they you were her she there been one all we their has would when if so no will more
    can who its said about than into them only other new some could these two may first then do any
    like my now over such our man me even most made after also did many before must through back
    years where much your way well down should because each just those people how too little state
    good very make world still own see men work long get here between both life being under never day
    same another know while last might us great old year off come since against go came right used
    take three states himself few house use during without again place around however home small
    found thought went say part once general high upon school every does got united left number
    course war until always away something fact though water less public put think almost hand
    enough far took head yet government system better set told nothing night end why called didn
    eyes find going look asked later knew point next program city business give group toward young
    days let room president side social given present several order national possible rather second
    face per among form important often things looking early white case john become large big need
    four within felt along children saw best church ever least power development light thing seemed
    family interest want members mind country area others done turned although open problem sense
    returns return value values function functions object objects string strings file files default
    argument arguments method class module data type list dict none true false error errors"""


@lru_cache(maxsize=1)
def _english() -> frozenset[str]:
    """The English words above that are not skeletons of a Vietnamese syllable: 0.03 s of syllable
    analysis, kept in the user's cache (`derived`) rather than done by every process at import."""
    from pathlib import Path

    from ..derived import derived
    from . import syllable

    def build() -> frozenset[str]:
        return frozenset(w for w in _ENGLISH_WORDS.split() if not is_skeleton(w))

    return derived("english-words", (Path(__file__), Path(syllable.__file__)), build, codec="marshal")


def _is_vn_marked(ch: str) -> bool:
    return not ch.isascii() and is_vietnamese_letter(ch)


def _is_nonlatin(ch: str) -> bool:
    if ch.isascii() or not ch.isalpha():
        return False
    name = unicodedata.name(ch, "")
    return not name.startswith("LATIN")


def features(text: str) -> dict[str, float]:
    """Shares over word-like tokens (and counts) that the classifier combines."""
    toks = tokenize(text)
    n_word = n_abbr = n_mixed = 0
    valid = marked = skel = badmark = foreign = english = longw = missing = 0
    letters = nonlatin = 0
    junk = text.count("\ufffd") + text.count("(cid:")  # undecodable glyphs from a PDF text layer
    for t in toks:
        if t.kind == Kind.PUNCT:
            if any(c.isalpha() for c in t.text):
                junk += 1
            continue
        if t.kind not in (Kind.WORD, Kind.ABBR, Kind.MIXED):
            continue
        letters += sum(c.isalpha() for c in t.text)
        nonlatin += sum(_is_nonlatin(c) for c in t.text)
        if t.kind == Kind.ABBR:
            n_abbr += 1
            continue
        if t.kind == Kind.MIXED:
            n_mixed += 1
            continue
        w = t.text.lower()
        if len(w) == 1 and w not in "aeiouy":
            continue  # list labels (a, b, đ) and symbols (x, t): no evidence either way
        if _ROMAN.fullmatch(t.text) or (t.text[0].isupper() and w in _place_words()):
            continue  # QUÝ III, Kon Tum: no evidence either way
        n_word += 1
        ok = is_valid_syllable(w)
        valid += ok
        has_mark = any(_is_vn_marked(c) for c in w)
        marked += has_mark
        if has_mark and not ok:
            badmark += 1
        if not all(c.isascii() or is_vietnamese_letter(c) for c in w) or any(c in "fjwz" for c in w):
            foreign += 1
        if ok or is_skeleton(fold(w)):
            skel += 1
            missing += not ok and w.isascii()
        if w in _english():
            english += 1
        if len(w) > 7:
            longw += 1
    n = n_word + n_mixed
    d = max(n, 1)
    dw = max(n_word, 1)
    return {
        "n": float(n),
        "n_abbr": float(n_abbr),
        "valid": valid / dw,
        "marked": marked / dw,
        "skel": skel / dw,
        "badmark": badmark / dw,
        "foreign": foreign / dw,
        "english": english / dw,
        "missing": missing / dw,  # plain words that need marks to be syllables (thac, truong)
        "long": longw / dw,
        "mixed": n_mixed / d,
        "junk": junk / (d + junk),
        "nonlatin": nonlatin / max(letters, 1),
    }


def _sat(x: float, at: float) -> float:
    """0..1 ramp reaching 1 at `at`."""
    return max(0.0, min(1.0, x / at)) if at > 0 else 1.0


def _scores(f: dict[str, float], legacy: dict[str, float]) -> dict[str, float]:
    n = f["n"]
    if n == 0 and f["n_abbr"] == 0 and f["junk"] == 0 and max(legacy.values(), default=0) == 0:
        return {k: (1.0 if k == "empty" else 0.0) for k in KINDS}
    nonskel = 1 - f["skel"]
    noise = min(1.0, f["mixed"] * 3 + f["junk"] * 2 + f["badmark"] * 4 + f["foreign"] * 2 + nonskel * 3)
    latin_vn = (1 - f["nonlatin"]) * (1 - _sat(f["english"], 0.3))
    legacy_max = max(legacy.values(), default=0.0)
    clean = f["valid"] * _sat(f["marked"], 0.5) * (1 - noise) * latin_vn
    # Clean lines of 5+ words have over half their words marked; a few marks among plain words
    # is what the English OCR model makes of Vietnamese.
    sparse = (f["marked"] > 0) * (1 - _sat(f["marked"], 0.5)) * _sat(n, 5)
    stripped = f["skel"] * (1 - _sat(f["marked"], 0.1)) * (1 - noise) * latin_vn
    garbled = (
        _sat(f["skel"], 0.7)
        * latin_vn
        * max(noise, sparse, _sat(f["marked"], 0.15) * (1 - f["valid"]) * 2)
        * (1 - legacy_max) ** 2
    )
    notvn = max(
        f["nonlatin"],
        _sat(f["english"], 0.25) * (1 - f["marked"]),
        nonskel * (1 - f["marked"]) * (1 - f["mixed"]) * _sat(f["long"], 0.15),
    )
    out = {
        "clean": clean,
        "stripped": stripped,
        "garbled": min(1.0, garbled),
        "legacy-tcvn3": legacy.get("tcvn3", 0.0),
        "legacy-vni": legacy.get("vni", 0.0),
        "not-vietnamese": min(1.0, notvn),
        "empty": 0.0,
    }
    return {k: round(v, 4) for k, v in out.items()}


def assess(text: str, *, legacy: bool = True) -> QualityReport:
    """Classify a line, block or page; never raises. `legacy=False` rules the legacy kinds out
    (a caller that already knows the page is not in a legacy font)."""
    text = nfc(text or "")
    f = features(text)
    if legacy:
        g = guess_legacy(text)
        leg = {k: (v if g.encoding == k else v * 0.5) for k, v in g.scores.items()}
    else:
        leg = {}
    scores = _scores(f, leg)
    kind = max(KINDS, key=lambda k: scores[k])
    total = sum(scores.values()) or 1.0
    conf = scores[kind] if scores[kind] >= 0.999 else scores[kind] / max(total, scores[kind] + 1e-9)
    if scores[kind] == 0:  # no kind has any support: a fragment; say garbled with no confidence
        kind, conf = ("empty", 1.0) if f["n"] == 0 and not f["n_abbr"] else ("garbled", 0.0)
        if f["n"] == 0 and f["n_abbr"]:
            kind, conf = "clean", 0.3  # abbreviations only (UBND, TT): nothing to fix
    return QualityReport(kind, round(conf, 4), scores, f, int(f["n"] + f["n_abbr"]))


def assess_lines(text: str, *, legacy: bool = True) -> list[QualityReport]:
    """One report per line (split on '\\n'); a page may mix clean and garbled blocks."""
    return [assess(line, legacy=legacy) for line in (text or "").split("\n")]


# ---------------------------------------------------------------------------------------------------
# A crude OCR-garble simulator for calibration and tests: the real channel is learned in channel.py.
_LOOKALIKE = {
    "ă": "a4d&",
    "â": "aé4",
    "ê": "eé€c",
    "ô": "o6dô0",
    "ơ": "o6gd",
    "ư": "uwi",
    "đ": "dPD",
    "Đ": "DP",
    "Ư": "UW",
    "Ơ": "OQ",
    "Ô": "OQ0",
}
_LATIN1_TONED = "áàảãạéèẻẽẹíìỉĩịóòỏõọúùủũụ"  # the English model reads toned vowels as these or plain
_ASCII_SWAP = {
    "l": "1I",
    "o": "0c",
    "i": "l1",
    "e": "c",
    "c": "e¢",
    "n": "ri",
    "m": "rn",
    "h": "b",
    "u": "ii",
}


def simulate_garble(text: str, rng: random.Random, *, rate: float = 1.0) -> str:
    """English-model OCR of Vietnamese: most marks lost, shaped vowels misread, a few letter swaps.

    `rate` (0..1) is the share of marked letters that are damaged at all.
    """
    out = []
    for ch in nfc(text):
        if not ch.isalpha() or rng.random() > rate:
            out.append(ch)
            continue
        r = rng.random()
        if not ch.isascii() and is_vietnamese_letter(ch):
            base = fold(ch)
            if r < 0.75:
                out.append(base)
                continue
            if r < 0.88:
                pool = [c for c in _LATIN1_TONED if fold(c) == base.lower()] or [base]
            else:
                pool = list(_LOOKALIKE.get(ch, "") or _LOOKALIKE.get(ch.lower(), "") or base)
            pick = rng.choice(pool)
            out.append(pick.upper() if ch.isupper() else pick)
        elif r < 0.03 and ch.lower() in _ASCII_SWAP:
            out.append(rng.choice(_ASCII_SWAP[ch.lower()]))
        else:
            out.append(ch)
    return "".join(out)
