"""A second look at table cells Tesseract left empty.

Why: on a table page Tesseract's layout analysis sometimes drops a whole block of cells (a 1-bit
plan page lost the `QUÝ II` row, the TT number and the first lines of two content cells, while the
unit column beside them was read), and the parser then loses or merges task rows. A cell of a ruled
grid that has ink inside its rules but no word is read again on its own, as a block of text; the
words found are put on the page in its place (a block of their own per run of empty cells), and the pipeline
warns how many cells were read so.
"""

from __future__ import annotations

import numpy as np

from .crops import read_alone, row_runs
from .engine import OcrEngine
from .page import OcrPage, OcrWord

__all__ = ["reread_empty_cells"]

MIN_CONF = 0.3  # a word of the second reading below this is dropped (dust read as letters)
_INSET = 0.006  # of the page width: kept clear of the cell's rules (and of a rule's dots)
_MIN_INK = 30  # dark pixels: less is a speck, not a word
_MIN_LINE = 8  # rows: shorter ink is a rule's dot or a speck, not a line of text


def _has_word(words: list[OcrWord], box: tuple[int, int, int, int]) -> bool:
    x0, y0, x1, y1 = box
    return any(x0 <= (w.x0 + w.x1) / 2 <= x1 and y0 <= (w.y0 + w.y1) / 2 <= y1 for w in words)


def _empty_runs(
    row: list[tuple[int, int, int, int]], words: list[OcrWord]
) -> list[tuple[int, int, int, int]]:
    """Neighbouring cells of one row without words, each run as one box: a merged cell (`QUÝ II`
    across the table) or a TT number with its content is read as one."""
    runs: list[tuple[int, int, int, int]] = []
    joined = False
    for cell in row:
        if _has_word(words, cell):
            joined = False
            continue
        if joined:
            x0, y0, _, y1 = runs[-1]
            runs[-1] = (x0, y0, cell[2], y1)
        else:
            runs.append(cell)
        joined = True
    return runs


def _unread_lines(
    gray: np.ndarray, box: tuple[int, int, int, int], words: list[OcrWord]
) -> list[tuple[int, int]]:
    """Rows (y0, y1) of the text lines inside `box` that no word stands on: lines of a cell that
    Tesseract read in part (a content cell lost its first two lines)."""
    x0, y0, x1, y1 = box
    ink = (gray[y0:y1, x0:x1] < 128).sum(axis=1) >= 2
    mine = [w for w in words if x0 <= (w.x0 + w.x1) / 2 <= x1]
    gap = max(3, (x1 - x0) // 150)  # a tone mark floats a few rows above its letter: same line
    out: list[tuple[int, int]] = []
    for a, b in row_runs(ink, gap):
        a, b = y0 + a, y0 + b
        if b - a < _MIN_LINE or any(w.y0 < b and w.y1 > a for w in mine):
            continue
        margin = (b - a) // 4
        a, b = max(y0, a - margin), min(y1, b + margin)
        if out and a - out[-1][1] <= _MIN_LINE:
            out[-1] = (out[-1][0], b)  # lines next to each other: one crop
        else:
            out.append((a, b))
    return out


def reread_empty_cells(
    image: np.ndarray,
    page: OcrPage,
    engine: OcrEngine,
    lang: str,
    dpi: int | None,
    rows: list[list[tuple[int, int, int, int]]],
) -> int:
    """Read every inked run of cells without words, and every unread line of a cell, again; returns
    how many of those crops gave words."""
    gray = image if image.ndim == 2 else image.min(axis=2)
    inset = max(4, round(_INSET * gray.shape[1]))
    read = [w for w in page.words if any(c.isalnum() for c in w.text)]
    block = max((w.block for w in page.words), default=0)
    found = 0
    boxes = [run for row in rows for run in _empty_runs(row, read)]
    for row in rows:  # cells read in part: their unread lines
        for cell in row:
            inner = (cell[0] + inset, cell[1] + inset, cell[2] - inset, cell[3] - inset)
            if inner[2] - inner[0] > 2 * inset and inner[3] > inner[1] and _has_word(read, cell):
                boxes += [
                    (cell[0], a - inset, cell[2], b + inset) for a, b in _unread_lines(gray, inner, read)
                ]
    for box in boxes:
        x0, y0, x1, y1 = box[0] + inset, box[1] + inset, box[2] - inset, box[3] - inset
        if x1 - x0 < 2 * inset or y1 - y0 < inset:
            continue
        crop = gray[y0:y1, x0:x1]
        if int((crop < 128).sum()) < _MIN_INK:
            continue
        words = read_alone(
            engine, crop, lang=lang, dpi=dpi, psm=6, min_conf=MIN_CONF, origin=(x0, y0), block=block + 1
        )
        if not words:
            continue
        block += 1
        found += 1
        page.words.extend(words)
    return found
