"""What an OCR engine hands the rest of the pipeline: words with boxes and confidences, grouped in lines.

Why engine-neutral: layout, repair, provenance and the word exports read only these types, so an engine
is swapped behind `vnplans.ocr` without touching them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["OcrLine", "OcrPage", "OcrUnavailable", "OcrWord"]


class OcrUnavailable(RuntimeError):
    """Tesseract, or a language it needs, is not installed."""


@dataclass(slots=True)
class OcrWord:
    text: str
    conf: float  # 0..100, Tesseract's word confidence
    x0: int
    y0: int
    x1: int
    y1: int
    block: int
    par: int
    line: int


@dataclass(slots=True)
class OcrLine:
    """Words of one Tesseract text line, left to right, with the line's box."""

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
        return sum(w.conf for w in self.words) / len(self.words)


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
        """{(start, end): conf} of each word's span in `self.text`, for the repair stage."""
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
        return sum(w.conf for w in self.words) / len(self.words) if self.words else 0.0
