"""A piece of a page read on its own by the OCR engine, its words put back where they stand.

Why one home: the second looks at a page (`ocr.cells`: cells Tesseract's layout left empty;
`ocr.lines`: lines it dropped) each crop a box, pad it with paper (Tesseract finds no text touching the
image's edge), read it, keep the words it is sure of and move them to page coordinates.
"""

from __future__ import annotations

import numpy as np

from .engine import OcrEngine
from .page import OcrWord

__all__ = ["read_alone", "row_runs"]

_BORDER = 16  # white pixels around the crop


def read_alone(
    engine: OcrEngine,
    crop: np.ndarray,
    *,
    lang: str,
    dpi: int | None,
    psm: int,
    min_conf: float,
    origin: tuple[int, int],
    block: int,
) -> list[OcrWord]:
    """Words of `crop` (whose top-left pixel is `origin` on the page) read alone in layout mode `psm`,
    those with letters or digits at `min_conf` and up, on the page's pixel grid as block `block`."""
    padded = np.pad(np.ascontiguousarray(crop), _BORDER, constant_values=255)
    dx, dy = origin[0] - _BORDER, origin[1] - _BORDER
    return [
        OcrWord(w.text, w.conf, w.x0 + dx, w.y0 + dy, w.x1 + dx, w.y1 + dy, block, w.par, w.line)
        for w in engine.read(padded, lang=lang, dpi=dpi, psm=psm).words
        if w.conf >= min_conf and any(c.isalnum() for c in w.text)
    ]


def row_runs(inked: np.ndarray, gap: int) -> list[tuple[int, int]]:
    """Runs (y0, y1) of the rows marked in `inked`, rows apart by at most `gap` taken as one (a tone
    mark floats a few blank rows above its letter: one line): where a second look finds lines."""
    ys = np.flatnonzero(inked)
    if ys.size == 0:
        return []
    return [(int(run[0]), int(run[-1]) + 1) for run in np.split(ys, np.flatnonzero(np.diff(ys) > gap) + 1)]
