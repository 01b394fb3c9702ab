"""The common result of every text corrector (restore, repair, legacy conversion, keep)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["WordInfo", "TextResult"]


@dataclass(slots=True)
class WordInfo:
    """One input token a corrector looked at; offsets point into the *input* text."""

    start: int
    end: int
    source: str
    output: str  # '' when the token was dropped as OCR junk
    confidence: float  # 0..1, the decoder's belief in `output`

    @property
    def changed(self) -> bool:
        return self.source != self.output


@dataclass(slots=True)
class TextResult:
    """Corrected text plus what happened to each word, so later stages can flag uncertain words."""

    text: str
    mode: str  # keep | restore | repair | legacy-tcvn3 | legacy-vni | not-vietnamese | empty
    words: list[WordInfo] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. "dropped junk '|' at line 12"

    @property
    def corrected_count(self) -> int:
        return sum(1 for w in self.words if w.changed)

    def low_confidence(self, threshold: float = 0.6) -> list[WordInfo]:
        return [w for w in self.words if w.confidence < threshold]

    @property
    def mean_confidence(self) -> float:
        return sum(w.confidence for w in self.words) / len(self.words) if self.words else 1.0
