"""Administrative abbreviations: protected from syllable restoration, stripped forms re-accented.

Two sources agree or stay silent: the curated `dictionaries/abbreviations.tsv` and the corpus
counts of abbreviation spellings (`Candidates.abbreviation`). `QD` becomes `QĐ` only when nothing
else folds to QD; an ambiguous stripped form (HD: HD or HĐ) is left as written.
"""

from __future__ import annotations

from functools import cache

from ..resources import dictionary_entries
from .candidates import Candidates
from .syllable import analyze, fold

__all__ = [
    "listed_abbreviations",
    "load_abbreviations",
    "is_protected",
    "restore_abbreviation",
    "restore_symbol",
]


@cache
def listed_abbreviations() -> frozenset[str]:
    """Every spelling in `dictionaries/abbreviations.tsv` (empty when the file is missing)."""
    try:
        lines = dictionary_entries("abbreviations.tsv")
    except OSError:
        return frozenset()
    return frozenset(line.split("\t", 1)[0].strip() for line in lines)


@cache
def load_abbreviations() -> tuple[frozenset[str], dict[str, str | None]]:
    """(protected spellings, folded form -> its unique accented spelling or None if ambiguous)."""
    forms = listed_abbreviations()
    if not forms:
        return frozenset(), {}
    groups: dict[str, set[str]] = {}
    for f in forms:
        groups.setdefault(fold(f), set()).add(f)
    unique = {k: (next(iter(v)) if len(v) == 1 else None) for k, v in groups.items()}
    # a syllable-shaped all-caps entry (TU, CA) is protected only when written in mixed case
    protected = frozenset(f for f in forms if analyze(f) is None or not (f.isupper() or f.islower()))
    return protected, unique


def is_protected(word: str) -> bool:
    return word in load_abbreviations()[0]


def restore_abbreviation(form: str, cands: Candidates | None) -> str:
    """Accented spelling of an abbreviation written without marks, when unambiguous; else `form`."""
    if not form.isascii() or len(form) < 2:
        return form
    unique = load_abbreviations()[1]
    key = fold(form)
    if key in unique:
        best = unique[key]
        return best if best is not None and fold(best) == form else form
    if cands is not None:
        best = cands.abbreviation(form)
        if best is not None and fold(best) == form:
            return best
    return form


def restore_symbol(text: str, cands: Candidates | None) -> str:
    """Restore the abbreviation parts of a document symbol (`16/2018/QD-UBND` -> `.../QĐ-UBND`)."""
    if not text.isascii() or "@" in text or "://" in text or text.lower().startswith("www."):
        return text
    out: list[str] = []
    cur: list[str] = []
    for c in text + "\0":
        if c.isalpha():
            cur.append(c)
            continue
        if cur:
            part = "".join(cur)
            out.append(restore_abbreviation(part, cands) if len(part) >= 2 and part[0].isupper() else part)
            cur = []
        out.append(c)
    return "".join(out[:-1])
