"""Official spellings of Vietnamese place names in a header (place of issue, issuing body).

A place name is the one part of a header that context cannot settle: to an n-gram model `Tien Du`
may as well be `Tiền Đủ`. The official list of administrative units (dictionaries/admin_units.tsv)
settles it when the letters without marks match exactly one known name, or, for OCR damage, when a
near match is clearly better than any other.
"""

from __future__ import annotations

from functools import cache

from rapidfuzz import fuzz, process

from ..lexicon import LEVEL_RE as _LEVEL_RE
from ..lexicon import LEVELS as _LEVELS
from ..lexicon import fold_words as _key
from ..resources import admin_unit_names

__all__ = ["canonical_place", "official_place", "official_authority"]

_FUZZY_MIN = 88  # rapidfuzz ratio on folded names
_FUZZY_MARGIN = 6  # ... and that much better than the next different name


@cache
def _index() -> dict[str, frozenset[str]]:
    """Folded bare name (no level word) -> official bare spellings."""
    out: dict[str, set[str]] = {}
    for name in admin_unit_names():
        for level in _LEVELS:
            if name.startswith(level + " "):
                name = name[len(level) + 1 :]
                break
        if name and not name.isdigit():
            out.setdefault(_key(name), set()).add(name)
    return {k: frozenset(v) for k, v in out.items()}


def canonical_place(name: str, *, fuzzy: bool = True) -> str | None:
    """The official spelling of a bare place name (`Tiền Đủ` -> `Tiên Du`), or None when unsure."""
    key = _key(_LEVEL_RE.sub("", _key(name)))
    if len(key) < 3:
        return None
    index = _index()
    hits = index.get(key)
    if hits is not None:
        return next(iter(hits)) if len(hits) == 1 else None
    if not fuzzy or len(key) < 5:
        return None
    best = process.extract(key, list(index), scorer=fuzz.ratio, limit=2)
    if not best or best[0][1] < _FUZZY_MIN:
        return None
    if len(best) > 1 and best[0][1] - best[1][1] < _FUZZY_MARGIN:
        return None
    hits = index[best[0][0]]
    return next(iter(hits)) if len(hits) == 1 else None


def official_place(place: str | None) -> str | None:
    """A header's place of issue with its official spelling; a leading level word is kept as written."""
    if not place:
        return place
    m = _LEVEL_RE.match(_key(place))
    cut = len(" ".join(place.split()[: len(m.group(0).split())])) if m else 0
    bare = place[cut:].strip()
    official = canonical_place(bare)
    return place if official is None else (place[:cut] + " " + official).strip()


def official_authority(authority: str | None) -> str | None:
    """Respell the place at the end of an issuing body (`ỦY BAN NHÂN DÂN HUYỆN TIỀN ĐỦ`)."""
    if not authority:
        return authority
    words = authority.split()
    folded = [_key(w) for w in words]
    for i in range(len(words) - 1, 0, -1):  # the last level word starts the place
        two = " ".join(folded[i - 1 : i + 1])
        if two not in ("thanh pho", "thi xa", "thi tran") and folded[i] not in (
            "tinh",
            "quan",
            "huyen",
            "xa",
            "phuong",
        ):
            continue
        start = i + 1
        tail = " ".join(words[start:])
        place = canonical_place(tail) if tail else None
        if place is None:
            return authority
        if tail.isupper():
            place = place.upper()
        return " ".join([*words[:start], place])
    return authority
