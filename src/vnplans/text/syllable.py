"""Vietnamese syllables: analysis, validity, diacritic stripping, tone placement, case transfer.

Everything works on NFC text and keeps one character per letter, so a case pattern or a
character offset survives every transformation here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

__all__ = [
    "Tone",
    "Syllable",
    "nfc",
    "analyze",
    "is_valid_syllable",
    "is_vietnamese_letter",
    "strip_diacritics",
    "strip_tone",
    "fold",
    "apply_tone",
    "get_tone",
    "normalize_tone_placement",
    "transfer_case",
    "TONE_STYLES",
]


class Tone(IntEnum):
    """The six tones; the value doubles as an index for tables."""

    NGANG = 0  # level (no mark)
    HUYEN = 1  # grave
    SAC = 2  # acute
    HOI = 3  # hook above
    NGA = 4  # tilde
    NANG = 5  # dot below


_TONE_MARKS = {
    "\u0300": Tone.HUYEN,
    "\u0301": Tone.SAC,
    "\u0309": Tone.HOI,
    "\u0303": Tone.NGA,
    "\u0323": Tone.NANG,
}
_MARK_OF_TONE = {v: k for k, v in _TONE_MARKS.items()}
# Shape marks (breve, circumflex, horn) belong to the vowel's identity, not to the tone.
_SHAPED = "ăâêôơư"
_BASE_VOWELS = "aăâeêioôơuưy"
# Glyphs OCR prints for their look-alikes: the fraction slash in document numbers (`5⁄NQ-HĐND`) and
# the Icelandic eth for `Đ` (`QĐÐ-TTg`). Clean legal text has them 98 and 173 times in 132 M characters
# (against 350,702 `/` and 660,814 `Đ`), so in OCR output they are read as the common ones.
GLYPH_TWINS = str.maketrans({"\u2044": "/", "\u2215": "/", "\u00d0": "\u0110"})
# folded letters whose capital has the small letter's shape: OCR capitalises them mid-sentence (the
# repairer's case rule and the tool that lists the pairs clean text capitalises share this set)
SAME_SHAPE_CAPITALS = frozenset("cosuvwxz")
_STRIP_SHAPE = str.maketrans(
    {
        "ă": "a",
        "â": "a",
        "ê": "e",
        "ô": "o",
        "ơ": "o",
        "ư": "u",
        "đ": "d",
        "Đ": "D",
        "Ă": "A",
        "Â": "A",
        "Ê": "E",
        "Ô": "O",
        "Ơ": "O",
        "Ư": "U",
    }
)

TONE_STYLES = ("keep", "old", "new")
"""`old` puts the mark on the first vowel of open oa/oe/uy (hòa, thủy), as Decree 30 samples and most
administrative documents do; `new` puts it on the second (hoà, thuỷ). `keep` leaves each syllable as the
document spells it (both are correct, documents differ, and an archive copy should not rewrite them);
syllables whose marks are restored get the `old` placement."""

ONSETS = (
    "ngh",
    "ng",
    "nh",
    "ch",
    "gh",
    "gi",
    "kh",
    "ph",
    "qu",
    "th",
    "tr",
    "b",
    "c",
    "d",
    "đ",
    "g",
    "h",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "x",
)
CODAS = ("ng", "nh", "ch", "c", "m", "n", "p", "t")
_STOP_CODAS = ("c", "ch", "p", "t")

# Nuclei with glides, in their toneless shaped form; the value says which vowel takes the tone
# (index into the nucleus) for the open (no coda) case in `old` style and whether a coda may follow.
#   (open_old_idx, open_new_idx, closed_idx or None when the nucleus cannot take a coda)
_NUCLEI: dict[str, tuple[int, int, int | None]] = {
    "a": (0, 0, 0),
    "ă": (0, 0, 0),
    "â": (0, 0, 0),
    "e": (0, 0, 0),
    "ê": (0, 0, 0),
    "i": (0, 0, 0),
    "o": (0, 0, 0),
    "ô": (0, 0, 0),
    "ơ": (0, 0, 0),
    "u": (0, 0, 0),
    "ư": (0, 0, 0),
    "y": (0, 0, 0),
    "ai": (0, 0, None),
    "ao": (0, 0, None),
    "au": (0, 0, None),
    "ay": (0, 0, None),
    "âu": (0, 0, None),
    "ây": (0, 0, None),
    "eo": (0, 0, None),
    "êu": (0, 0, None),
    "ia": (0, 0, None),
    "iu": (0, 0, None),
    "iê": (1, 1, 1),
    "yê": (1, 1, 1),
    "oa": (0, 1, 1),
    "oă": (1, 1, 1),
    "oe": (0, 1, 1),
    "oi": (0, 0, None),
    "ôi": (0, 0, None),
    "ơi": (0, 0, None),
    "oo": (1, 1, 1),
    "ua": (0, 0, None),
    "uâ": (1, 1, 1),
    "uê": (1, 1, 1),
    "ui": (0, 0, None),
    "uô": (1, 1, 1),
    "uơ": (1, 1, None),
    "uy": (0, 1, 1),
    "ưa": (0, 0, None),
    "ưi": (0, 0, None),
    "ươ": (1, 1, 1),
    "ưu": (0, 0, None),
    "uya": (1, 1, None),
    "uyê": (2, 2, 2),
    "uôi": (1, 1, None),
    "ươi": (1, 1, None),
    "ươu": (1, 1, None),
    "oai": (1, 1, None),
    "oay": (1, 1, None),
    "uây": (1, 1, None),
    "iêu": (1, 1, None),
    "yêu": (1, 1, None),
    "oao": (1, 1, None),
    "oeo": (1, 1, None),
    "uyu": (1, 1, None),
    "ueo": (1, 1, None),
    "uai": (1, 1, None),
    "uay": (1, 1, None),
}
# After `qu` the u is part of the onset, after `gi` the i is; these nuclei then read without them.
_LETTERS = set("abcdđeghiklmnopqrstuvxyăâêôơư")


def nfc(text: str) -> str:
    """Normalise to NFC: OCR engines, PDFs and legacy converters emit decomposed marks."""
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=4096)
def _split_char(ch: str) -> tuple[str, Tone]:
    """Split one character into its toneless form (shape kept) and its tone."""
    decomposed = unicodedata.normalize("NFD", ch)
    tone = Tone.NGANG
    rest = []
    for c in decomposed:
        if c in _TONE_MARKS:
            tone = _TONE_MARKS[c]
        else:
            rest.append(c)
    if not rest:  # a tone mark standing alone, on no letter: kept as it is (one character per character)
        return ch, Tone.NGANG
    return unicodedata.normalize("NFC", "".join(rest)), tone


def _with_tone(ch: str, tone: Tone) -> str:
    if tone == Tone.NGANG:
        return ch
    return unicodedata.normalize("NFC", ch + _MARK_OF_TONE[tone])


def is_vietnamese_letter(ch: str) -> bool:
    """True for a-z, đ and every Vietnamese vowel with any marks, in either case."""
    base, _ = _split_char(ch.lower())
    return base in _LETTERS


class _CharMap(dict):
    """A `str.translate` table filled on first sight of each character: folding runs for every word
    the corrector and the parsers look at, and per-character Python was most of their set-up time."""

    def __init__(self, convert: Callable[[str], str]) -> None:
        super().__init__()
        self.convert = convert

    def __missing__(self, code: int) -> str:
        out = self[code] = self.convert(chr(code))
        return out


_TONELESS = _CharMap(lambda c: _split_char(c)[0])
_MARKLESS = _CharMap(lambda c: _split_char(c)[0].translate(_STRIP_SHAPE))


def strip_tone(text: str) -> str:
    """Remove tone marks only (keep ă â ê ô ơ ư đ); length is preserved."""
    text = nfc(text)
    return text if text.isascii() else text.translate(_TONELESS)


def strip_diacritics(text: str) -> str:
    """Remove every Vietnamese mark (tones, shapes, đ→d); length and case are preserved."""
    text = nfc(text)
    return text if text.isascii() else text.translate(_MARKLESS)


fold = strip_diacritics


def get_tone(syllable: str) -> Tone:
    """The tone carried by a syllable (the first tone mark found)."""
    for c in syllable:
        if not c.isascii():
            t = _split_char(c)[1]
            if t != Tone.NGANG:
                return t
    return Tone.NGANG


@dataclass(frozen=True, slots=True)
class Syllable:
    """A parsed lower-case syllable: onset + nucleus (with shape marks) + coda, and tone."""

    onset: str
    nucleus: str
    coda: str
    tone: Tone

    @property
    def toneless(self) -> str:
        return self.onset + self.nucleus + self.coda

    def render(self, style: str = "old") -> str:
        """Spell the syllable with its tone mark placed by `style`."""
        idx = _tone_index(self.onset, self.nucleus, self.coda, style)
        n = self.nucleus
        n = n[:idx] + _with_tone(n[idx], self.tone) + n[idx + 1 :]
        return self.onset + n + self.coda


def _tone_index(onset: str, nucleus: str, coda: str, style: str) -> int:
    for i, c in enumerate(nucleus):  # a shaped vowel always carries the tone (for ươ: the ơ)
        if c in _SHAPED and not (nucleus.startswith("ươ") and i == 0):
            return i
    info = _NUCLEI.get(nucleus)
    if info is None:
        return len(nucleus) - 1
    open_old, open_new, closed = info
    if coda:
        return closed if closed is not None else len(nucleus) - 1
    return open_new if style == "new" else open_old


@lru_cache(maxsize=65536)
def analyze(word: str) -> Syllable | None:
    """Parse one syllable (any case, any tone placement); None when it is not Vietnamese-shaped."""
    w = nfc(word).lower()
    if not w or len(w) > 8:
        return None
    tone = Tone.NGANG
    chars = []
    for c in w:
        base, t = _split_char(c)
        if base not in _LETTERS:
            return None
        if t != Tone.NGANG:
            if tone != Tone.NGANG:
                return None  # two tone marks
            tone = t
        chars.append(base)
    s = "".join(chars)
    onset = ""
    for o in ONSETS:
        if s.startswith(o):
            onset = o
            break
    rest = s[len(onset) :]
    if onset == "gi" and (not rest or rest[0] not in _BASE_VOWELS):
        onset, rest = "g", s[1:]  # gì, gìn: the i is the vowel
    if onset == "qu" and not rest:
        return None
    coda = ""
    for c in CODAS:
        if rest.endswith(c) and len(rest) > len(c):
            coda = c
            break
    nucleus = rest[: len(rest) - len(coda)]
    if not nucleus or any(ch not in _BASE_VOWELS for ch in nucleus):
        return None
    return Syllable(onset, nucleus, coda, tone)


@lru_cache(maxsize=65536)
def is_valid_syllable(word: str) -> bool:
    """Phonotactic check: known onset, nucleus and coda, compatible, and stop codas only with sắc/nặng."""
    syl = analyze(word)
    if syl is None:
        return False
    info = _NUCLEI.get(syl.nucleus)
    if info is None:
        return False
    if syl.coda and info[2] is None:
        return False
    if syl.coda in _STOP_CODAS and syl.tone not in (Tone.SAC, Tone.NANG, Tone.NGANG):
        return False
    if syl.coda in _STOP_CODAS and syl.tone == Tone.NGANG:
        return False
    first = syl.nucleus[0]
    if syl.onset in ("k", "gh", "ngh") and first not in "ieêy":
        return False
    if syl.onset in ("c", "g", "ng") and first in "eê":
        return False
    if syl.onset == "qu" and first in "uư":
        return False
    if syl.coda in ("ch", "nh") and syl.nucleus not in ("a", "ê", "i", "y", "oa", "uê", "uy"):
        return False
    if (
        syl.nucleus in ("yê", "uyê", "yêu")
        and syl.onset not in ("", "qu")
        and not syl.nucleus.startswith("u")
    ):
        return False  # yê only starts a syllable (yên) or follows u (khuyên)
    if syl.nucleus in ("iê", "iêu") and syl.onset == "":
        return False  # spelt yê at the start of a syllable
    return True


def apply_tone(toneless: str, tone: Tone, style: str = "old") -> str | None:
    """Put `tone` on a toneless (shape-marked) lower-case syllable; None when it is not a syllable."""
    syl = analyze(toneless)
    if syl is None:
        return None
    return Syllable(syl.onset, syl.nucleus, syl.coda, tone).render(style)


def normalize_tone_placement(text: str, style: str = "old") -> str:
    """Rewrite every syllable of `text` with the tone mark where `style` puts it (hòa/hoà, thủy/thuỷ);
    `keep` only composes it (NFC)."""
    if style not in TONE_STYLES:
        raise ValueError(f"style must be one of {TONE_STYLES}, got {style!r}")
    if style == "keep":
        return nfc(text)
    text = nfc(text)
    if strip_tone(text) == text:  # no tone mark anywhere: nothing to move (most words of a gazetteer)
        return text
    out = []
    word: list[str] = []

    def flush() -> None:
        if word:
            w = "".join(word)
            syl = analyze(w)
            if syl is not None and syl.tone != Tone.NGANG and syl.nucleus in _NUCLEI:
                out.append(transfer_case(w, syl.render(style)))
            else:
                out.append(w)
            word.clear()

    for c in nfc(text):
        if c.isalpha():
            word.append(c)
        else:
            flush()
            out.append(c)
    flush()
    return "".join(out)


def transfer_case(source: str, target: str) -> str:
    """Give `target` the case pattern of `source` (same length expected; falls back by shape)."""
    if source.isupper():
        return target.upper()
    if source.islower():
        return target.lower()
    if len(source) == len(target):
        return "".join(t.upper() if s.isupper() else t.lower() for s, t in zip(source, target, strict=True))
    if source[:1].isupper():
        return target[:1].upper() + target[1:].lower()
    return target.lower()
