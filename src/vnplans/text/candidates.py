"""Candidate tables: which accented syllables (and abbreviations) a folded form can stand for.

Learned from corpus counts by `vnplans train-lm`; priors are log10 P(accented | folded).
"""

from __future__ import annotations

import json
import lzma
import math
from collections.abc import Mapping
from pathlib import Path

from ..resources import load_once, model_path
from .syllable import fold

__all__ = ["Candidates", "get_candidates", "CANDIDATES_NAME"]

CANDIDATES_NAME = "candidates.json.xz"


class Candidates:
    """folded lower-case syllable -> [(accented, log10 prior)], most likely first."""

    def __init__(self, syllables: dict[str, list], abbrev: dict[str, list] | None = None):
        syl: dict[str, list[tuple[str, float]]] = {}
        for folded, forms in syllables.items():
            total = sum(c for _, c in forms)
            syl[folded] = [(u, math.log10(c / total)) for u, c in forms]
        self._syl: Mapping[str, list[tuple[str, float]]] = syl
        self._abbr = {k: [(f, int(c)) for f, c in v] for k, v in (abbrev or {}).items()}
        self.inventory = frozenset(u for forms in self._syl.values() for u, _ in forms)

    @classmethod
    def load(cls, path: str | Path | None = None) -> Candidates:
        path = Path(path) if path is not None else model_path(CANDIDATES_NAME)
        if path.is_dir():
            path = path / CANDIDATES_NAME

        def build() -> tuple:
            with lzma.open(path, "rt", encoding="utf-8") as fh:
                data = json.load(fh)
            made = cls(data["syllables"], data.get("abbrev"))
            return pack(made._syl), made._abbr, made.inventory

        from ..derived import Packed, derived, pack  # built once from the file, kept in the user's cache

        made = cls.__new__(cls)
        syl, made._abbr, made.inventory = derived("candidates", (path, __file__), build, codec="marshal")
        made._syl = Packed(syl)  # a page looks up a few hundred of the 5,000 forms
        return made

    def for_toneless(self, folded_lower: str) -> list[tuple[str, float]]:
        """Accented candidates of a folded lower-case syllable ([] when unknown)."""
        return self._syl.get(folded_lower, [])

    def __contains__(self, folded_lower: str) -> bool:
        return folded_lower in self._syl

    def abbreviation(self, form: str, *, min_share: float = 0.9, min_count: int = 5) -> str | None:
        """The accented spelling of an upper-case abbreviation when the corpus makes it unambiguous.

        `QD` -> `QĐ` only if QĐ is at least `min_share` of every form folding to QD (QD itself
        included) and was seen `min_count` times; otherwise None (leave the input alone).
        """
        forms = self._abbr.get(fold(form))
        if not forms:
            return None
        total = sum(c for _, c in forms)
        best, count = forms[0]
        if count < min_count or count / total < min_share:
            return None
        return best

    def abbreviation_forms(self, form: str) -> list[tuple[str, int]]:
        return list(self._abbr.get(fold(form), []))


def get_candidates(path: str | Path | None = None) -> Candidates:
    """The process-wide candidate tables (loaded once; thread-safe)."""
    return load_once("candidates", path, Candidates.load)
