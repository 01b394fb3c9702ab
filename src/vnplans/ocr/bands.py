"""A page read as two bands, one per core: Tesseract reads a page on one core, and a whole command
on one page otherwise waits for it while the other core idles (its own OpenMP threads cost more than
they give: 5x the wall time of one thread on this 2-core class of machine).

The cut is a blank band across the full width of the page, near the middle of its text rows, so no
word or line is cut; each band is a page of its own to Tesseract's layout analysis, so some words read
differently (on the OCR benchmark's real and realistic pages, 124 -> 122 errors: noise of the size a
one-pixel shift of the page makes). A table is never cut through: in halves Tesseract dropped TT
numbers and merged rows. Until 0.9.0 a page with a table grid was read whole; now the pipeline names
the grid's rows (`keep_whole`) and the cut, when the page has one, lies above or below the table
(a plan's first page: the header and the plan's aims in one band, its task table in the other;
`convert` on samples/, OCR per table page 0.92 -> 0.52 s where a cut is found). Whether and where a
page is cut depends on the page alone (never on the machine or the batch), so a page reads the same
in `vnplans ocr`, in `convert` and in a batch worker.

Tried in 0.8.0 and not kept: a cut at half of the ink. Band by band on the 31 real and realistic
pages, ink predicts each band's share of Tesseract's time within 1.8 points (rows with ink: 6.0), and
the slower bands summed 11.40 s instead of 12.16 s; but on seal pages the cut moved towards the seal
and the held-out realistic pages went 79 -> 90 errors (one page 15 -> 22). Tried in 0.9.0 and not kept
either: a cut at half of the paper-to-ink steps along the rows, the best predictor of a band's time
(1.3 points; ink 1.9, rows 5.8) and blind to a seal's thick ring: the held-out pages went 79 -> 90
again, on the same two pages. Wherever the cut moves, Tesseract's layout of those pages changes; the
time the imbalance costs is now used instead: the text fix's models load on the first core free
(`read_in_bands(when_free=...)`).

Since 0.12.0 a band predicted to hold 70 % or more of the reading (`second_cut`: paper-to-ink steps,
the predictor above) is cut once more, and its far part is read by the other thread after its own
band: the first cut stays where it was, so only such pages read differently (2 of the benchmark's
43; the dev page `v3_001`, dense paragraphs over a seal, 1.09 -> 0.92 s in process). A band shorter
than `MIN_HEIGHT_IN` is not cut again, as such a page is read whole.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future

import numpy as np

from .engine import bands_wanted

__all__ = ["BANDS", "find_cut", "read_in_bands", "second_cut"]

# VNPLANS_OCR_BANDS=0: every page in one band, as the `tesseract` command reads it
BANDS = bands_wanted() == 2
MIN_HEIGHT_IN = 4.0  # pages (or crops) shorter than this are read whole: too little to share
MIN_GAP_IN = 0.05  # a blank band at least this tall (1.3 mm: the gap between two lines of 12 pt text)
TEXT_WINDOW = (0.3, 0.7)  # the cut lies where this share of the rows with ink is above it
INK_LEVEL = 128  # darker than this is ink (pages arrive cleaned, gray or bilevel)
TABLE_MARGIN_IN = 0.15  # a cut keeps this far from a table's grid (a line of text and its gap)
HEAVY_SHARE = 0.7  # a band predicted to hold this share of the reading time is cut once more

Reader = Callable[[np.ndarray], dict]


def _blank_bands(
    image: np.ndarray, dpi: int | None, keep_whole: tuple[int, int] | None
) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Rows with ink, and the blank full-width bands (start, end) tall enough to cut in, outside a
    table's grid and the margin around it."""
    dpi = dpi or 300
    gray = image if image.ndim == 2 else image.min(axis=2)
    ink = gray < INK_LEVEL
    inked = ink.any(axis=1)
    blocked = inked.copy()
    if keep_whole is not None:
        margin = round(TABLE_MARGIN_IN * dpi)
        blocked[max(0, keep_whole[0] - margin) : keep_whole[1] + margin + 1] = True  # no blank band there
    min_gap = max(2, round(MIN_GAP_IN * dpi))
    bands, start = [], None
    for y in range(len(blocked) + 1):
        if y < len(blocked) and not blocked[y]:
            start = y if start is None else start
            continue
        if start is not None and y - start >= min_gap:
            bands.append((start, y))
        start = None
    return inked, bands


def find_cut(image: np.ndarray, dpi: int | None, keep_whole: tuple[int, int] | None = None) -> int | None:
    """The row at the centre of a blank full-width band where about half of the page's text rows lie
    above (Tesseract's time goes by text lines, so a stamp's dense ink must not weigh: rows that hold
    ink are counted, not pixels); nearest to half first, then the tallest band. None when the page is
    short or has no such band within `TEXT_WINDOW`. `keep_whole`: rows no cut may fall within, nor
    nearer than a line to (a table's grid: Tesseract reads a table worse in halves)."""
    if image.shape[0] < MIN_HEIGHT_IN * (dpi or 300):
        return None
    inked, bands = _blank_bands(image, dpi, keep_whole)
    total = int(inked.sum())
    if total == 0:
        return None
    share = np.cumsum(inked) / total
    best: tuple[int, int, int] | None = None
    for start, end in bands:
        mid = (start + end) // 2
        if TEXT_WINDOW[0] <= share[mid] <= TEXT_WINDOW[1]:
            key = (round(abs(share[mid] - 0.5) * 40), start - end, mid)  # 2.5 % steps, then height
            best = key if best is None or key < best else best
    return None if best is None else best[2]


def second_cut(
    image: np.ndarray, dpi: int | None, cut: int, keep_whole: tuple[int, int] | None = None
) -> int | None:
    """A cut inside the band that will hold the reading up, or None when neither does.

    A band's share of Tesseract's time is predicted by its paper-to-ink steps along the rows (within
    5 points on the benchmark's 30 real and realistic pages; rows with ink, which place the first cut,
    miss dense paragraphs over a seal's tall ring). Where one band holds `HEAVY_SHARE` or more, it is
    cut again near where half of the page's steps lie above, so one thread reads that part and the other
    thread the rest, one band after the other. The first cut stays: pages under the threshold read as
    before, and the light band reads as before (moving the first cut changed held-out pages twice)."""
    gray = image[::2] if image.ndim == 2 else image[::2].min(axis=2)  # every other row: half the cost
    ink = gray < INK_LEVEL
    steps = np.repeat((ink[:, 1:] & ~ink[:, :-1]).sum(axis=1), 2)[: image.shape[0]]
    total = int(steps.sum())
    if total == 0:
        return None
    above = np.cumsum(steps) / total
    upper = above[cut - 1]
    if max(upper, 1 - upper) < HEAVY_SHARE:
        return None
    lo, hi = (0, cut) if upper >= HEAVY_SHARE else (cut, image.shape[0])
    if hi - lo < MIN_HEIGHT_IN * (dpi or 300):
        # a short band is read whole, as a short page is: a plan's last page cut between its body
        # and its signature block (3 inches of band, a seal's specks counted as steps) misread the
        # signer's name in the parse benchmark
        return None
    margin = round(MIN_HEIGHT_IN * (dpi or 300) / 4)  # no sliver of a band
    _, bands = _blank_bands(image, dpi, keep_whole)
    mids = [(s + e) // 2 for s, e in bands if lo + margin <= (s + e) // 2 <= hi - margin]
    return min(mids, key=lambda m: (abs(above[m] - 0.5), m), default=None)


class _Helper:
    """One daemon thread working through a queue, keeping its own engine across pages (an engine
    serves one thread at a time). Not a ThreadPoolExecutor: its idle worker is a non-daemon thread,
    and the CLI's quick exit (`cli._leave`) falls back to the interpreter's teardown while one lives
    (0.1 s after every `vnplans ocr PAGE`). Work is always awaited by the page that gave it, so a
    daemon thread never leaves a page half read."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[tuple[Future, Callable[[], object]]] = queue.SimpleQueue()
        threading.Thread(target=self._run, name="ocr-band", daemon=True).start()

    def submit(self, fn: Callable[[], object]) -> Future:
        future: Future = Future()
        self._queue.put((future, fn))
        return future

    def _run(self) -> None:
        while True:
            future, fn = self._queue.get()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn())
            except BaseException as e:  # noqa: BLE001 - raised again in the thread that waits for it
                future.set_exception(e)


_HELPERS: dict[int, _Helper] = {}  # by process: a forked batch worker makes its own
_HELPERS_LOCK = threading.Lock()


def _helper() -> _Helper:
    with _HELPERS_LOCK:
        helper = _HELPERS.get(os.getpid())
        if helper is None:
            helper = _HELPERS[os.getpid()] = _Helper()
        return helper


def on_helper(fn: Callable[[], None]) -> None:
    """Run `fn` on the band thread (work to overlap with a page read whole on this one)."""
    _helper().submit(fn)


def read_in_bands(
    image: np.ndarray,
    dpi: int | None,
    read: Reader,
    when_free: Callable[[], None] | None = None,
    keep_whole: tuple[int, int] | None = None,
) -> dict:
    """Tesseract's TSV columns for the page, its lower band read on the helper thread; boxes and
    block numbers of the lower band are moved to follow the upper band's, as on one page.
    `when_free`: work to overlap with the read (idempotent: both threads call it when their band is
    done, and the first one free does it); for a page read whole, the helper thread does it meanwhile.
    `keep_whole`: rows the cut must keep out of (`find_cut`)."""
    cut = find_cut(image, dpi, keep_whole) if BANDS else None
    if cut is None:
        if when_free is not None:
            _helper().submit(when_free)
        return read(image)
    extra = second_cut(image, dpi, cut, keep_whole)
    w, h = image.shape[1], image.shape[0]
    # the rows each thread reads, in order: this thread from the top, the helper the rest
    if extra is None:
        mine, theirs = [(0, cut)], [(cut, h)]
    elif extra < cut:  # the upper band is heavy: its lower part goes to the helper, after the lower band
        mine, theirs = [(0, extra)], [(cut, h), (extra, cut)]
    else:
        mine, theirs = [(0, cut), (cut, extra)], [(extra, h)]

    def work(spans: list[tuple[int, int]]) -> dict[int, dict]:
        out = {top: read(image[top:bottom]) for top, bottom in spans}
        if when_free is not None:
            when_free()
        return out

    helper = _helper().submit(lambda: work(theirs))
    parts = {**work(mine), **helper.result()}
    tops = sorted(parts)
    data = parts[tops[0]]
    for k, top in enumerate(tops[1:], 1):
        height = tops[k + 1] if k + 1 < len(tops) else h
        data = merge(data, parts[top], top, w, height)
    return data


def merge(upper: dict, lower: dict, cut: int, width: int, height: int) -> dict:
    """The two bands' columns as one page's: one page row (level 1) for the whole page, the lower
    band's blocks numbered after the upper's and its boxes moved down by `cut`."""
    out: dict[str, list] = {k: [] for k in upper}
    last_block = max((b for b in upper["block_num"]), default=0)
    for band, dy, db in ((upper, 0, 0), (lower, cut, last_block)):
        for i in range(len(band["level"])):
            if band["level"][i] == 1:
                if dy:
                    continue  # the page row: one for the page, the upper band's, made whole below
                row = {k: band[k][i] for k in band}
                row.update(left=0, top=0, width=width, height=height)
            else:
                row = {k: band[k][i] for k in band}
                row["top"] += dy
                row["block_num"] += db
            for k in out:
                out[k].append(row[k])
    return out
