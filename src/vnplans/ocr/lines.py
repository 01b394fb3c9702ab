"""A second look at printed lines no OCR word stands on.

Why: read in two bands (`ocr.bands`), or around a table, Tesseract's layout analysis sometimes drops a
whole line that it reads when given the page whole: a form's `THÁNG ... NĂM ..........` line under
its title was lost on 5 of 60 new dev pages, and a faithful transcription must not lose printed
text. A band of rows that holds ink of a text line's height, with no word on any of its rows across
the page, is read again on its own; words read with confidence are put on the page in its place.
So is a phrase of such a band that stands a letter's height or more from every word read beside it:
Tesseract read `- Văn phòng Quốc hội;` and dropped the signer's `Lê Tấn Cận` printed level with it
(a JPEG first page of a real circular, 0.12.16); plain Tesseract had the name.

Such a line is read again without its dotted leaders: with them Tesseract finds no line in the crop
at all (`THÁNG ... NĂM ....`: nothing at psm 6 or 7; without: both words at 0.92 and up), and the
dots come back as words, as `despeckle`'s leaders do (`ocr.leaders`). A seal's ring, a signature or
a rule make such bands too; they are read as well, and kept out by what the second reading says of
them: `MIN_CONF` and letters, as for the cells (`ocr.cells`).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

import cv2
import numpy as np

from ..image.masks import label
from ..image.preprocess import Leader, leader_runs
from .bands import INK_LEVEL
from .crops import read_alone, row_runs
from .engine import OcrEngine
from .leaders import restore_leaders
from .page import OcrPage, OcrWord

__all__ = ["MIN_CONF", "lost_bands", "reread_lost_lines"]

MIN_CONF = 0.75  # a word of the second reading below this is dropped (a signature read as letters)
_HEIGHT = (0.6, 2.2)  # of the page's median word height: a line of text, not a speck nor a seal
_JOIN = 0.35  # of that height: blank rows a tone mark floats above its letter by (one line)
_MIN_INK = 40  # dark pixels: less is dust
_MARGIN = 0.3  # of the band's height: paper kept around the band on every side


def lost_bands(
    gray: np.ndarray, words: list[OcrWord], skip: Sequence[tuple[int, int]] = ()
) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, y0, x1, y1) of text-high bands of ink that no word overlaps in height, and of phrases
    of ink a letter's height or more from every word read on their rows; `skip`: row ranges read
    elsewhere (a ruled table's, whose cells `ocr.cells` reads again)."""
    read = [w for w in words if any(c.isalnum() for c in w.text)]
    if len(read) < 5:
        return []  # a page OCR found (nearly) nothing on is no page of lines lost among lines read
    h = statistics.median(w.y1 - w.y0 for w in read)
    ink = gray < INK_LEVEL
    counts = ink.sum(axis=1)
    rows = counts >= 2
    covered = np.zeros(len(rows), bool)
    for w in read:
        covered[max(0, w.y0) : w.y1] = True
    skipped = np.zeros(len(rows), bool)
    for a, b in skip:
        skipped[max(0, a) : b] = True
    out = []
    join = max(2, round(_JOIN * h)) + 1
    for y0, y1 in row_runs(rows, join):
        if skipped[y0:y1].any() or int(counts[y0:y1].sum()) < _MIN_INK:
            continue
        if not covered[y0:y1].any():  # no word on these rows: the whole band
            cols = np.flatnonzero(ink[y0:y1].any(axis=0))
            x0, x1 = int(cols[0]), int(cols[-1]) + 1
            if _HEIGHT[0] * h <= y1 - y0 <= _HEIGHT[1] * h and x1 - x0 >= h:  # narrower: a blot
                out.append((x0, y0, x1, y1))
            continue
        beside = [w for w in read if w.y0 < y1 and w.y1 > y0]
        for x0, x1 in row_runs(ink[y0:y1].any(axis=0), round(h)):
            if x1 - x0 < h or any(w.x0 < x1 + h and w.x1 > x0 - h for w in beside):
                continue  # a blot, or a phrase a word was read in
            for ya, yb in row_runs(ink[y0:y1, x0:x1].any(axis=1), join):
                if (
                    _HEIGHT[0] * h <= yb - ya <= _HEIGHT[1] * h
                    and ink[y0 + ya : y0 + yb, x0:x1].sum() >= _MIN_INK
                ):
                    out.append((x0, y0 + ya, x1, y0 + yb))
    return out


def _without_leaders(crop: np.ndarray) -> tuple[np.ndarray, list[Leader]]:
    """The crop with its dotted leaders painted as paper, and the leaders (in crop coordinates): runs of
    dots of one size on one baseline at one pitch (`leader_runs`), however near a word they stand."""
    ink = (crop < INK_LEVEL).astype(np.uint8)
    n, labels, stats, _ = label(ink)
    if n < 4:
        return crop, []
    h = crop.shape[0]
    dots = np.flatnonzero(np.maximum(stats[1:, 2], stats[1:, 3]) <= max(2, h // 6)) + 1  # a letter's dot
    out, leaders = crop.copy(), []
    taken = np.zeros(crop.shape, np.uint8)
    for run in leader_runs(stats[dots], max(3, h // 2)):
        ids = dots[run]
        box = stats[ids]
        taken[np.isin(labels, ids)] = 1
        x0, y0 = int(box[:, 0].min()), int(box[:, 1].min())
        x1, y1 = int((box[:, 0] + box[:, 2]).max()), int((box[:, 1] + box[:, 3]).max())
        leaders.append(Leader(x0, y0, x1, y1, len(ids)))
    if leaders:  # with the dots' grey rims (a JPEG page): the rims alone read as `°°°`
        out[cv2.dilate(taken, np.ones((5, 5), np.uint8)) > 0] = 255
    return out, leaders


def reread_lost_lines(
    image: np.ndarray,
    page: OcrPage,
    engine: OcrEngine,
    lang: str,
    dpi: int | None,
    skip: Sequence[tuple[int, int]] = (),
) -> int:
    """Read every lost band again (`lost_bands`) and put its words on the page, a block of their own
    where the line stands in the reading order; returns how many bands gave words."""
    gray = image if image.ndim == 2 else image.min(axis=2)
    found = 0
    block = max((w.block for w in page.words), default=0)
    dotted: list[Leader] = []
    for x0, y0, x1, y1 in lost_bands(gray, page.words, skip):
        margin = round(_MARGIN * (y1 - y0))
        ya, yb = max(0, y0 - margin), min(gray.shape[0], y1 + margin)
        xa, xb = max(0, x0 - margin), min(gray.shape[1], x1 + margin)
        crop, leaders = _without_leaders(np.ascontiguousarray(gray[ya:yb, xa:xb]))
        words = read_alone(
            engine, crop, lang=lang, dpi=dpi, psm=7, min_conf=MIN_CONF, origin=(xa, ya), block=block + 1
        )
        if not words:
            continue
        block += 1
        found += 1
        # in reading order, before the first word below the line (the text fix reads it in its context)
        at = next((k for k, w in enumerate(page.words) if w.y0 >= y1), len(page.words))
        page.words[at:at] = words
        dotted += [Leader(a.x0 + xa, a.y0 + ya, a.x1 + xa, a.y1 + ya, a.dots) for a in leaders]
    if dotted:
        page.words[:] = restore_leaders(page, dotted).words
    return found
