"""Document-level cache for diacritic restoration: a document spells its own words consistently.

A trigram model sees five syllables at a time, so a drainage decision's tenth `tieu ung` is as
hard as its first (`tiêu ứng`?), though the document settled `úng` wherever the context was clear,
or printed it with its marks in a title. The cache collects, per folded syllable, the readings the
first pass chose with high confidence and the readings the document itself printed with valid marks;
words decoded with low confidence are then decoded again with a bonus for the document's own reading,
in proportion to its share of that syllable's cached readings, so a document that writes both
`ứng phó` and `úng ngập` keeps both.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

from .syllable import fold, is_valid_syllable

__all__ = ["DocCache", "PRINTED_FACTOR"]

PRINTED_FACTOR = 3.0  # a reading printed with its marks is the document's word, not a guess


class DocCache:
    """Readings of one document: folded lower-case syllable -> Counter of chosen syllables."""

    def __init__(self, usual: Callable[[str], str | None] | None = None) -> None:
        self.readings: dict[str, Counter[str]] = defaultdict(Counter)
        self.printed: set[str] = set()  # readings the document printed with their marks
        self._printed_by_fold: dict[str, set[str]] = defaultdict(set)  # the same, by folded form
        self.usual = usual or (lambda folded: None)

    def add(self, unit: str, *, weight: int = 1) -> None:
        """Count `unit` (a lower-case syllable) as one of the document's readings of its folded form."""
        if unit.isalpha() and is_valid_syllable(unit):
            self.readings[fold(unit)][unit] += weight

    def bonus(self, unit: str, weight: float) -> float:
        """log10 bonus for `unit`: `weight` times its share of the cached readings of its folded form.

        The usual reading of a folded form (the corpus's commonest, `của` for `cua`) earns nothing:
        the model already prefers it, and a document confident about `của` a hundred times says
        nothing about its one `cửa xả`. The cache speaks for the document's own, rarer words.
        """
        folded = fold(unit)
        seen = self.readings.get(folded)
        if not seen or unit == self.usual(folded):
            return 0.0
        share = seen[unit] / sum(seen.values())
        return weight * share * (PRINTED_FACTOR if unit in self.printed else 1.0)

    def collect(
        self, units: Sequence[str], confs: Sequence[float], printed: Sequence[bool], high: float
    ) -> None:
        """Add the confident choices (`conf >= high`) and the words printed with their own marks."""
        for u, c, p in zip(units, confs, printed, strict=True):
            if p:
                self.add(u, weight=2)
                self.printed.add(u)  # the document's own marks are stronger evidence than a guess
                self._printed_by_fold[fold(u)].add(u)
            elif c >= high:
                self.add(u)

    def knows(self, unit: str) -> bool:
        return fold(unit) in self.readings

    def contradicts(self, unit: str) -> bool:
        """Whether the document printed another reading of `unit`'s folded form with its marks."""
        return bool(self._printed_by_fold.get(fold(unit), set()) - {unit})
