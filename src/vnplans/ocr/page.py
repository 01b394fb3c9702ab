"""What an OCR engine hands the rest of the pipeline: words with boxes and confidences, grouped in lines.

Why engine-neutral: layout, repair, provenance and the word exports read only these types, so an engine
is swapped behind `vnplans.ocr` without touching them. Confidences are on a 0..1 scale whatever the
engine's own (Tesseract's whole percents are divided by 100); writers of formats that print percents
(hOCR, TSV) convert back with `percent`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["OcrLine", "OcrPage", "OcrUnavailable", "OcrWord", "letters_or_digits", "percent", "mean_conf"]


class OcrUnavailable(RuntimeError):
    """The OCR engine, or a language it needs, is not installed."""


def percent(conf: float) -> float:
    """A 0..1 confidence as a percentage; exact for whole percents (`0.57` -> `57.0`, not
    `57.00000000000001`), so Tesseract's own numbers come back unchanged."""
    return round(conf * 100, 6)


def mean_conf(words: Sequence[OcrWord]) -> float:
    """Mean confidence (0..1; 0 for no words), summed on the percent scale: for whole-percent
    confidences (Tesseract's) that sum is exact, so a mean is the same number whichever scale it is
    compared or rounded on."""
    return sum(percent(w.conf) for w in words) / len(words) / 100 if words else 0.0


def letters_or_digits(words: Sequence[OcrWord]) -> int:
    """Letters and digits in the words' text, spacing marks left out (`ˆ`, `˜`: letters to Unicode,
    what Tesseract prints for specks): how much text a run of words holds, against a speck's."""
    return sum(ch.isalnum() and unicodedata.category(ch) != "Lm" for w in words for ch in w.text)


@dataclass(slots=True)
class OcrWord:
    text: str
    conf: float  # 0..1, the engine's word confidence
    x0: int
    y0: int
    x1: int
    y1: int
    block: int
    par: int
    line: int


@dataclass(slots=True)
class OcrLine:
    """Words of one text line as the engine found it, left to right, with the line's box."""

    words: list[OcrWord]
    block: int
    par: int

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def box(self) -> tuple[int, int, int, int]:
        return (
            min(w.x0 for w in self.words),
            min(w.y0 for w in self.words),
            max(w.x1 for w in self.words),
            max(w.y1 for w in self.words),
        )

    @property
    def conf(self) -> float:
        return mean_conf(self.words)


@dataclass
class OcrPage:
    width: int
    height: int
    words: list[OcrWord] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Words joined by line, lines by blocks, in Tesseract's reading order."""
        lines: list[str] = []
        key = None
        for w in self.words:
            k = (w.block, w.par, w.line)
            if k != key:
                if key is not None and k[:2] != key[:2]:
                    lines.append("")
                lines.append(w.text)
                key = k
            else:
                lines[-1] += " " + w.text
        return "\n".join(lines) + ("\n" if lines else "")

    def lines(self) -> list[OcrLine]:
        """Lines in reading order: Tesseract's block order, lines top to bottom, words left to right."""
        groups: dict[tuple[int, int, int], list[OcrWord]] = {}
        for w in self.words:
            groups.setdefault((w.block, w.par, w.line), []).append(w)
        out = [OcrLine(sorted(ws, key=lambda w: w.x0), k[0], k[1]) for k, ws in groups.items()]
        order = {b: i for i, b in enumerate(dict.fromkeys(w.block for w in self.words))}
        out.sort(key=lambda ln: (order[ln.block], ln.box[1]))
        return out

    def blocks(self) -> list[list[OcrLine]]:
        """Lines grouped by Tesseract block, blocks in reading order."""
        out: list[list[OcrLine]] = []
        for ln in self.lines():
            if not out or out[-1][0].block != ln.block:
                out.append([])
            out[-1].append(ln)
        return out

    def confidences(self) -> dict[tuple[int, int], float]:
        """{(start, end): conf (0..1)} of each word's span in `self.text`, for the repair stage."""
        text = self.text
        spans: dict[tuple[int, int], float] = {}
        pos = 0
        for w in self.words:
            start = text.index(w.text, pos)
            spans[(start, start + len(w.text))] = w.conf
            pos = start + len(w.text)
        return spans

    @property
    def mean_conf(self) -> float:
        return mean_conf(self.words)
