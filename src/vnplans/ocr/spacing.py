"""What the scan says about a space inside an OCR word: did the print leave one there?

Why: the text fix splits a word that reads as two (`tốchức` -> `tổ chức`), which is right where
Tesseract ran two printed words together, and wrong where the print itself has no space (scraped
metadata printed as `Loại văn bảnQuyết định`, a typesetting slip): a faithful transcription keeps
what is printed. The text cannot tell the two apart; the page can. On the realistic dev pages and a
tuning set of dev-document pages (1-bit 200 dpi and JPEG), every word Tesseract had run together
held a blank run of columns of 0.37-0.48 of the word box's height, and every word printed glued at
most 0.11 (kerning and letter spacing): `SPACE_GAP` lies between (`bench/bench_spacing.py` measures
it again: `bench/results/spacing.json`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from .bands import INK_LEVEL  # darker is ink: the page as it was read, cleaned, gray or 1-bit
from .page import OcrWord

if TYPE_CHECKING:
    import numpy as np

__all__ = ["SPACE_GAP", "widest_gap", "unspaced_check"]

SPACE_GAP = 0.17  # a blank run this share of the word box's height or wider could be a space
SPECK = 0.15  # a blot of at most (this x the box's height) squared pixels alone in a gap is dust


def widest_gap(image: np.ndarray, box: tuple[int, int, int, int]) -> int:
    """The widest run of ink-free columns between the first and the last inked column of `box`; a
    speck alone in a run (ink of a dust dot, not of a letter: `SPECK` of the box's height, squared)
    does not end it. A scan's dust sat in the space of `Triển khai` and halved it."""
    x0, y0, x1, y1 = box
    crop = image[max(0, y0) : y1, max(0, x0) : x1]
    if crop.ndim == 3:
        crop = crop.min(axis=2)
    counts = (crop < INK_LEVEL).sum(axis=0).tolist()
    speck = (SPECK * max(1, y1 - y0)) ** 2
    runs: list[list[int]] = []  # [inked, columns, ink] per run of like columns, left to right
    for c in counts:
        if runs and runs[-1][0] == (c > 0):
            runs[-1][1] += 1
            runs[-1][2] += c
        else:
            runs.append([c > 0, 1, c])
    while runs and not runs[0][0]:
        runs.pop(0)
    while runs and not runs[-1][0]:
        runs.pop()
    widest = blank = 0
    for k, (inked, width, ink) in enumerate(runs):
        if inked and not (0 < k < len(runs) - 1 and ink <= speck):
            blank = 0
            continue
        blank += width
        widest = max(widest, blank)
    return widest


def unspaced_check(
    image: np.ndarray, words: Sequence[OcrWord], spans: Sequence[tuple[int, int]]
) -> Callable[[int, int], bool]:
    """For the text fix: `check(start, end)` is True when the characters at [start, end) of the
    page text (`spans`: each word's, in `words` order) lie in one OCR word whose print shows no gap a
    space could have left. A part of a word is located by its share of the word's characters (a
    part that reaches into a neighbouring gap reads as spaced: the fix then splits as it did before).
    Measured only when asked: the fix asks of the few words it would split."""
    starts = [s for s, _ in spans]

    def check(start: int, end: int) -> bool:
        k = bisect_right(starts, start) - 1
        if k < 0 or end > spans[k][1]:
            return False
        w, (ws, we) = words[k], spans[k]
        width = w.x1 - w.x0
        x0 = w.x0 + width * (start - ws) // max(1, we - ws)
        x1 = w.x0 + -(-width * (end - ws) // max(1, we - ws))
        return widest_gap(image, (x0, w.y0, x1, w.y1)) < SPACE_GAP * max(1, w.y1 - w.y0)

    return check
