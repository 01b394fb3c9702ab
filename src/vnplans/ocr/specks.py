"""Words Tesseract read from specks: a worn seal's or a dirty scan's dots, not print.

Why: on a 1-bit scan a faded seal leaves its ring and lettering as scattered dots, which the seal step
cannot find as a ring and `despeckle` leaves (they are not alone), and Tesseract reads them as words
(`Bị`, `tÌxếC-`, `dữểm` beside a page's header); the text fix then makes Vietnamese of them (`và`).
A printed letter is one stroke at least about as tall as the x-height of the page's print, half of
its words' usual height (ascenders, descenders and marks included); a speck word's ink is dots. A word
with letters is dropped when no piece of its ink reaches `LETTER_SHARE` of the page's median word
height and Tesseract doubted it (conf under `MAX_CONF`): small print read cleanly keeps its words.
On 123 fresh 1-bit and JPEG dev pages, every word so found was a speck's (15 words on 6 pages).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .bands import INK_LEVEL
from .page import OcrPage, OcrWord

if TYPE_CHECKING:
    import numpy as np

__all__ = ["LETTER_SHARE", "MAX_CONF", "drop_speck_words"]

LETTER_SHARE = 0.4  # of the page's median word height: the shortest piece of ink a letter has
MAX_CONF = 0.6  # Tesseract's confidence (0..1) under which a word may be specks


def _tallest_piece(ink: np.ndarray) -> int:
    """Height of the tallest 8-connected piece of ink."""
    from ..image.masks import label

    n, _, stats, _ = label(ink)
    return int(stats[1:, 3].max()) if n > 1 else 0


def drop_speck_words(image: np.ndarray, page: OcrPage) -> list[OcrWord]:
    """Take the words read from specks off `page` (in place); the words taken, in page order."""
    lettered = [w for w in page.words if any(c.isalpha() for c in w.text)]
    if len(lettered) < 10:  # too few words to know the print's size
        return []
    heights = sorted(w.y1 - w.y0 for w in lettered)
    floor = LETTER_SHARE * heights[len(heights) // 2]
    gray = image if image.ndim == 2 else image.min(axis=2)
    dropped: list[OcrWord] = []
    for w in lettered:
        if w.conf >= MAX_CONF:
            continue
        crop = gray[max(0, w.y0) : w.y1, max(0, w.x0) : w.x1]
        if crop.size and _tallest_piece((crop < INK_LEVEL).view("uint8")) < floor:
            dropped.append(w)
    if dropped:
        gone = {id(w) for w in dropped}
        page.words = [w for w in page.words if id(w) not in gone]
    return dropped
