"""Page clean-up before Tesseract (OpenCV): each step can be switched on or off by name.

Steps, in the order they run: `stamp` (red/blue seal ink made paper-bright, from the colour
channels), `gray`, `border` (dark scanner margins painted as paper), `deskew` (projection-profile search),
`orient` (90/180/270: a cheap ink-asymmetry test, then the OCR engine's orientation (Tesseract
OSD) only on doubtful pages, applied only when the engine is confident), `streaks`
(photocopier lines running off the page edge; table rules are kept), `upscale`
(pages below 180 dpi to 225 dpi, what Tesseract is given), `normalize` (divide by an estimated background: uneven lighting and
grey paper become white), `despeckle` (isolated dust dots, never dots next to letters, which may
be diacritics; dotted leaders go too, listed in `Preprocessed.leaders` for the text), `seal` (a seal's
rings, lettering and star on a page without colour, where `stamp` cannot see it: `image.seals`),
`median` (3x3 median against sensor noise), `binarize` (Sauvola).

Each step runs only where a measurement of the page says it pays: `stamp` only where saturated seal
ink is found, `deskew` only beyond 0.5 degrees, `orient` only on pages the ink test doubts, `streaks`
only on lines that run off the page edge, `upscale` only below 180 dpi (`UPSCALE_BELOW_DPI`),
`normalize` only on grey pages (a 1-bit page has no paper shade), `despeckle` only on dots far from
letters and from any mark that sits on a letter (a tone mark over a circumflex is such a mark), `seal`
only where a ring of ink is found, and on lines of text only where the ring is solid.

Measured on the dev pages of `python -m bench.bench_ocr --ablation` (the real scan and the 13 realistic
dev pages in the calibrated real-scan profiles; steps applied directly, without the pipeline's rule
removal), syllable errors after correction, one step off at a time: all steps 57; without stamp 80,
despeckle 63, normalize 61, deskew 60, border 59; orient, streaks, upscale 57 (upscaling pays on
the 150-175 ppi pages before correction and in the synthetic set). Adding median 56 (the real scan
41 -> 34, 1-bit pages worse), Sauvola binarisation 63: both stay off. bench/results/ocr_ablation.json.
Orientation: Tesseract OSD costs ~1 s a page (as much as the OCR itself), so a ~50 ms
ink-asymmetry test runs first and OSD only on doubtful pages.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import cv2
import numpy as np

from ..arrays import percentile
from .masks import components, label, shrink, shrink_any
from .seals import erase_rings, find_rings

if TYPE_CHECKING:
    from ..ocr.engine import OcrEngine

__all__ = [
    "ALL_STEPS",
    "DEFAULT_STEPS",
    "Leader",
    "Preprocessed",
    "leader_runs",
    "preprocess",
    "estimate_skew",
    "TARGET_DPI",
]

ALL_STEPS = (
    "stamp",
    "gray",
    "border",
    "deskew",
    "orient",
    "streaks",
    "upscale",
    "normalize",
    "despeckle",
    "seal",
    "median",
    "binarize",
)
# median measured worse than dust removal (see above); binarisation is unmeasured, off because
# Tesseract's LSTM reads anti-aliased greyscale
OFF_BY_DEFAULT = ("median", "binarize")
DEFAULT_STEPS: tuple[str, ...] = tuple(s for s in ALL_STEPS if s not in OFF_BY_DEFAULT)
TARGET_DPI = 300
# Upscaling pays below this and not above: on calibrated 150-175 ppi JPEG scans it cut raw errors 5-10x,
# on 200 dpi bilevel scans it changed nothing, and on the real 200 ppi scan it added errors (55 -> 58 of
# 390 syllables) and cost 2.25x the pixels (bench/results/ocr.json, dev pages).
UPSCALE_BELOW_DPI = 180
# ... and to this: the resolution Tesseract is given anyway (`ocr.OCR_DPI`). Upscaling a 150 ppi page
# to 300 only for OCR to shrink it to 225 cost 16% more time for the same errors after correction
# (realistic dev pages below 180 dpi: 8 and 8 syllables).
UPSCALE_TO_DPI = 225
# Below this, rotating costs more than it gains: Tesseract reads a 0.4° skew fine, while the cubic
# resampling of a rotation softens small italic digits (`27` read as `237` on a rendered header).
MIN_DESKEW_DEG = 0.5
ORIENT_MIN_CONF = 0.5  # the OCR engine's orientation confidence (0..1) below which the page is left alone
UPRIGHT_MARGIN = 0.15  # log(ink above / ink below x-height band) that counts as clearly upright
# `_text_height` of 12-14 pt body text at 300 dpi (32-43 px on the OCR benchmark's pages and the
# samples; 18-23 px at 125-163 dpi, 26 at 200). Pages without a usable dpi tag are upscaled only when
# clearly below it.
TEXT_HEIGHT_300 = 38.0


@dataclass(frozen=True, slots=True)
class Leader:
    """A dotted leader `despeckle` took off the page, in `Preprocessed.image` coordinates."""

    x0: int
    y0: int
    x1: int
    y1: int
    dots: int


@dataclass
class Preprocessed:
    image: np.ndarray  # uint8 gray (or BGR when `gray` is off)
    dpi: int | None  # resolution of `image` (after upscaling), for `ocr_image(dpi=...)`
    applied: list[str] = field(default_factory=list)  # steps that changed the image, e.g. "deskew:-1.4"
    leaders: list[Leader] = field(default_factory=list)  # for the text after OCR (`ocr.leaders`)


def _gray(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image


def _stamp(image: np.ndarray) -> tuple[np.ndarray, float]:
    """Seal ink (saturated red or blue) becomes paper-bright; returns gray and the share of ink pixels.

    Black text under the seal stays dark in every channel, so the brightest channel on seal pixels
    keeps the text and drops the ink. That channel is still darker than paper where the ink lies
    (by 15-35% on the benchmark's seals), which left a grey ring Tesseract read as letters, so it is
    scaled to paper brightness. Blur and JPEG spread the rim into paler pixels: those are taken too
    where they touch the seal. Elsewhere the usual luminance is used.
    """
    if image.ndim != 3:
        return image, 0.0
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    if min(image.shape[:2]) < 8:  # no seal to find; OpenCV reads a 1-pixel BGR image as one column
        return gray, 0.0
    b, g, r = cv2.split(image)
    hi = cv2.max(cv2.max(b, g), r)
    lo = cv2.min(cv2.min(b, g), r)
    # chroma test first (cheap): seal ink has a wide channel spread, gray paper and black text do not
    spread = cv2.subtract(hi, lo)
    cand = cv2.compare(spread, 50, cv2.CMP_GE)
    if cv2.countNonZero(cand) < 1e-4 * cand.size:
        return gray, 0.0
    # Everything below lies within 3 px of a candidate (the 5x5 and 3x3 dilations): work in that box.
    x, y, w, h = cv2.boundingRect(cand)
    box = np.s_[max(0, y - 4) : y + h + 4, max(0, x - 4) : x + w + 4]
    hue = cv2.cvtColor(image[box], cv2.COLOR_BGR2HSV)[:, :, 0]
    hue_ok = (hue <= 12) | (hue >= 160) | ((hue >= 95) & (hue <= 135))  # red or blue
    ink = (cand[box] > 0) & hue_ok
    share = np.count_nonzero(ink) / cand.size
    if share < 1e-4:
        return gray, 0.0
    near = cv2.dilate(ink.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    rim = (spread[box] >= 30) & hue_ok & near
    mask = cv2.dilate(rim.astype(np.uint8), np.ones((3, 3), np.uint8))
    paper = float(percentile(gray[::4, ::4], 90))
    gain = float(np.clip(paper / max(1.0, float(np.median(hi[box][ink]))), 1.0, 2.0))
    np.copyto(gray[box], cv2.convertScaleAbs(hi[box], alpha=gain), where=mask.astype(bool))
    return gray, share


def _border(gray: np.ndarray) -> tuple[np.ndarray, bool]:
    """Paint dark regions that touch the image edge and run along it (scanner lid, page shadow)."""
    h, w = gray.shape
    f = max(1, round(max(h, w) / 1000))
    small = shrink(gray, f)
    paper = float(percentile(small, 90))
    dark = (small < min(paper * 0.45, 110)).astype(np.uint8)
    if not (dark[0].any() or dark[-1].any() or dark[:, 0].any() or dark[:, -1].any()):
        return gray, False  # nothing dark touches an edge: no region to paint, and no labelling
    n, labels, stats, _ = label(dark)
    sh, sw = small.shape
    # per component, as arrays (a loop over a scan's thousands of specks cost 10 ms a page);
    # side_x: it touches the left or right edge, side_y: the top or bottom one
    x, y, bw, bh, area = (stats[:, k].astype(np.int64) for k in range(5))
    side_x, side_y = (x == 0) | (x + bw >= sw), (y == 0) | (y + bh >= sh)
    long_side = np.maximum(np.where(side_x, bh / sh, 0.0), np.where(side_y, bw / sw, 0.0))
    kill = (side_x | side_y) & (long_side > 0.25) & (area > 0.05 * bw * bh)  # solid, not a frame line
    kill[0] = False
    if not kill.any():
        return gray, False
    mask = kill[labels].astype(np.uint8)
    mask = cv2.dilate(mask, np.ones((5, 5), np.uint8))
    if f > 1:
        mask = cv2.resize(mask, (w, h), interpolation=cv2.INTER_NEAREST)
    out = gray.copy()
    out[mask > 0] = np.uint8(min(255.0, paper))
    return out, True


def _streaks(gray: np.ndarray) -> tuple[np.ndarray, int]:
    """Erase photocopy streaks: thin, near-vertical lines over half the page tall that reach its top or bottom.

    Table rules never reach the page edge, so they are kept. A streak may lean (a page skewed less
    than MIN_DESKEW_DEG is not rotated), so it is followed row by row along a fitted line, not as a
    box. Found on a half-size copy (streaks are hundreds of pixels long).
    """
    h, w = gray.shape
    f = 2
    small = shrink(gray, f)
    sh, sw = small.shape
    ink = cv2.adaptiveThreshold(small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 15, 8)
    # a leaning streak moves one column every ~100 rows, and noise nicks it: widen and close first
    ink = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 1)))
    ink = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 5)))
    vert = cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(20, sh // 20)))
    )
    out, count = gray, 0
    for ys, xs, width in _streak_lines(vert):
        a, b = np.polyfit(ys.astype(np.float64), xs.astype(np.float64), 1)
        half = max(1.0, width - 2) * f / 2 + 2  # full-size half width (less the widening), plus blur
        rows = np.arange(max(0, (int(ys.min()) - 1) * f), min(h, (int(ys.max()) + 2) * f))
        centre = (a * (rows / f) + b + 0.5) * f
        x0 = np.clip(np.floor(centre - half), 0, w - 1).astype(np.intp)
        x1 = np.clip(np.ceil(centre + half), 0, w - 1).astype(np.intp)
        left = gray[rows, np.clip(x0 - 3, 0, w - 1)].astype(np.float32)
        right = gray[rows, np.clip(x1 + 3, 0, w - 1)].astype(np.float32)
        side = np.maximum(left, right)
        paper = side > 160
        if paper.sum() < 50:
            continue
        if out is gray:
            out = gray.copy()
        # a streak darkens by a factor (toner on the drum): divide it out, column by column across the
        # streak, so a letter under it stays a letter instead of being painted over
        for k in range(int((x1 - x0).max()) + 1):
            cols = x0 + k
            m = cols <= x1
            r, c = rows[m], cols[m]
            v = gray[r, c].astype(np.float32)
            ratio = float(np.median(v[paper[m]] / side[m][paper[m]])) if paper[m].any() else 1.0
            if ratio < 0.95:
                out[r, c] = np.clip(v / max(ratio, 0.15), 0, 255).astype(np.uint8)
        count += 1
    return out, count


def _streak_lines(vert: np.ndarray) -> list[tuple[np.ndarray, np.ndarray, float]]:
    """Pixels (ys, xs) and mean width of each streak in a mask of vertical runs.

    A faint streak breaks where it crosses text lines (the local threshold rises there), so thin
    segments are chained when they line up; the chain must span half the page and reach its top or
    bottom edge, which table rules never do.
    """
    sh, sw = vert.shape
    comps = components(vert)
    thin = max(6, sw // 150)  # mean width at half size, after the 3-px widening
    segs = []
    for i in range(1, comps.n):
        x, y, bw, bh, area = (int(v) for v in comps.stats[i])
        if area / bh <= thin and bw <= thin + bh * 0.06:  # thin and within ~3.5° of vertical
            segs.append((x + bw / 2, y, bh, area, i))
    chains: list[list[tuple[float, int, int, int, int]]] = []
    for seg in sorted(segs, key=lambda s: -s[2]):  # longest first: they set each chain's position
        for chain in chains:
            x0, y0, h0 = chain[0][:3]
            if abs(seg[0] - x0) <= 4 + 0.06 * abs(seg[1] + seg[2] / 2 - y0 - h0 / 2):
                chain.append(seg)
                break
        else:
            chains.append([seg])
    edge = max(2, sh // 30)
    found = []
    for chain in chains:
        top = min(s[1] for s in chain)
        bottom = max(s[1] + s[2] for s in chain)
        covered = sum(s[2] for s in chain)
        if bottom - top < sh * 0.5 or covered < 0.5 * (bottom - top) or (top > edge and bottom < sh - edge):
            continue
        ys_l, xs_l = [], []
        for _, y, _, _, i in chain:
            yy, xx = np.nonzero(comps.label_box(i) == i)
            ys_l.append(yy + y)
            xs_l.append(xx + int(comps.stats[i, 0]))
        found.append((np.concatenate(ys_l), np.concatenate(xs_l), sum(s[3] for s in chain) / covered))
    return found


def _ink(gray: np.ndarray, f: float) -> np.ndarray:
    small = shrink(gray, round(f))  # an integer factor: OpenCV's fast block average
    return cv2.adaptiveThreshold(small, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)


def upright_evidence(gray: np.ndarray) -> float | None:
    """> 0 when a deskewed page looks upright, < 0 when sideways or upside down; None if too little text.

    Cheap (tens of ms), so Tesseract OSD (about half a second) runs only on doubtful pages. Sideways:
    the column profile is sharper than the row profile. Upside down: in each text line, Vietnamese
    puts far more ink above the x-height band (ascenders, capitals, tone and vowel marks) than below.
    Lines are read in the left and right halves apart: the two header columns and the signature
    block sit at different heights, and their merged row profile hides both x-height bands.
    """
    ink = _ink(gray, max(1.0, max(gray.shape) / 1750))
    cols = ink.sum(axis=0).astype(np.float64)
    # a streak or rule inked in most rows would join every text line into one band
    ink[:, cols > 0.5 * ink.shape[0]] = 0
    rows, cols = _baseline_rows(ink), ink.sum(axis=0).astype(np.float64)
    if rows.sum() < 500:
        return None
    # clipped profiles: a streak or a table rule is one huge column, not text structure
    r_, c_ = np.minimum(rows, percentile(rows, 95)), np.minimum(cols, percentile(cols, 95))
    sharp_r = float((np.diff(r_) ** 2).sum()) / max(1.0, r_.sum()) ** 2
    sharp_c = float((np.diff(c_) ** 2).sum()) / max(1.0, c_.sum()) ** 2
    if sharp_c > sharp_r:
        return -1.0
    above = below = 0.0
    half = ink.shape[1] // 2
    for part in (ink[:, :half], ink[:, half:]):
        a, b = _ink_off_core(_baseline_rows(part))
        above, below = above + a, below + b
    if above + below < 200:
        return None
    return float(np.log((above + 1) / (below + 1)))


def _baseline_rows(ink: np.ndarray) -> np.ndarray:
    """Row profile less its 10th percentile: a leaning streak puts the same few pixels in every row."""
    rows = ink.sum(axis=1).astype(np.float64)
    return np.maximum(rows - percentile(rows, 10), 0)


def _ink_off_core(rows: np.ndarray) -> tuple[float, float]:
    """Ink above and below the x-height band (rows at least half the peak), summed over text lines."""
    above = below = 0.0
    if not rows.any():
        return above, below
    on = rows > 0.02 * rows.max()
    edges = np.flatnonzero(np.diff(np.r_[0, on.astype(np.int8), 0]))
    for a, b in zip(edges[::2], edges[1::2], strict=True):
        if not 6 <= b - a <= 120:
            continue
        prof = rows[a:b]
        core = np.flatnonzero(prof >= 0.5 * prof.max())
        above += float(prof[: core[0]].sum())
        below += float(prof[core[-1] + 1 :].sum())
    return above, below


def _orient(gray: np.ndarray, engine: OcrEngine | None) -> tuple[np.ndarray, int]:
    """Rotate by the OCR engine's orientation when confident; asked only when the page looks wrong way up."""
    evidence = upright_evidence(gray)
    if evidence is not None and evidence > UPRIGHT_MARGIN:
        return gray, 0
    if engine is None:
        from ..ocr import get_engine

        engine = get_engine()
    h, w = gray.shape
    f = 2 if min(h, w) > 1600 else 1  # ~150 dpi: as accurate, less work
    rot, conf = engine.orientation(shrink(gray, f))
    rot %= 360
    if rot == 0 or conf < ORIENT_MIN_CONF:
        return gray, 0
    code = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}[rot]
    return cv2.rotate(gray, code), rot


def estimate_skew(gray: np.ndarray, *, max_angle: float = 5.0) -> float:
    """Text skew in degrees (positive = counter-clockwise), by maximising row-profile sharpness.

    Works on ink pixel coordinates of a ~1000 px copy, so it costs a few ms, coarse then fine.
    """
    h, w = gray.shape
    small = shrink(gray, round(max(h, w) / 1200))  # an integer factor: OpenCV's fast block average
    ink = cv2.adaptiveThreshold(small, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)
    ys, xs = np.nonzero(ink)
    if len(ys) < 200:
        return 0.0
    if len(ys) > 60000:
        idx = np.random.default_rng(0).choice(len(ys), 60000, replace=False)
        ys, xs = ys[idx], xs[idx]
    ys = ys.astype(np.float32)
    xs = xs.astype(np.float32) - small.shape[1] / 2
    nbins = small.shape[0] + 64

    def score(a: float) -> float:
        t = math.radians(a)
        yr = ys + xs * math.tan(t) + 32
        hist = np.bincount(np.clip(yr, 0, nbins - 1).astype(np.int32), minlength=nbins).astype(np.float64)
        return float((np.diff(hist) ** 2).sum())

    best = max(np.arange(-max_angle, max_angle + 1e-6, 0.25), key=score)
    best = max(np.arange(best - 0.25, best + 0.25 + 1e-6, 0.05), key=score)
    return float(best)


def _rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    paper = int(percentile(gray[::8, ::8], 90))
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=paper)


def _text_height(gray: np.ndarray) -> float | None:
    """Typical letter height in pixels, a dpi-free measure of the print size.

    Weighted towards big components (area ** 1.5, 60th percentile): a noisy scan has thousands of
    4-6 px specks, and the plain median of component heights read a dusty 300 dpi page as 75 dpi
    (and upscaled it threefold).
    """
    ink = cv2.adaptiveThreshold(gray, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)
    _, _, stats, _ = label(ink)
    hs = stats[1:, cv2.CC_STAT_HEIGHT]
    ws = stats[1:, cv2.CC_STAT_WIDTH]
    ok = (hs >= 4) & (hs <= 200) & (ws <= hs * 1.5)
    if ok.sum() < 50:
        return None
    heights, weights = hs[ok], stats[1:, cv2.CC_STAT_AREA][ok].astype(np.float64) ** 1.5
    order = np.argsort(heights, kind="stable")
    cum = np.cumsum(weights[order])
    return float(heights[order][np.searchsorted(cum, cum[-1] * 0.6)])


def _tag_too_high(gray: np.ndarray, dpi: int) -> int | None:
    """The page's real resolution when its dpi tag overstates it, else None.

    A copy shrunk for e-mail or a fax keeps its scanner's tag: 1300 x 1850 pixels "at 300 dpi" would be
    a page 110 mm wide, and its letters are half the size 300 dpi gives. Checked only on pages the tag
    makes narrower than A5 (148 mm), so a true A4 scan pays nothing; trusted only when the letters agree.
    """
    if min(gray.shape) * 25.4 / dpi >= 148:
        return None
    th = _text_height(gray)
    if not th or th >= 0.75 * TEXT_HEIGHT_300 * dpi / 300:
        return None
    return max(50, round(300 * th / TEXT_HEIGHT_300))


def _bilevel(gray: np.ndarray) -> bool:
    """A 1-bit scan (black and white only, as most archive scans are): dividing by the paper's shade
    would return the same pixels."""
    hist = cv2.calcHist([gray[::3, ::3]], [0], None, [256], [0, 256]).ravel()
    return hist[1:255].sum() <= 1e-3 * hist.sum()


def _normalize(gray: np.ndarray) -> np.ndarray:
    """Divide by the paper's brightness, estimated by a closing larger than any stroke.

    Removes uneven lighting and grey paper while keeping anti-aliased edges (greyscale, not binary),
    which Tesseract's LSTM reads better than a hard threshold.
    """
    h, w = gray.shape
    f = 4
    small = cv2.resize(gray, (max(1, w // f), max(1, h // f)), interpolation=cv2.INTER_AREA)
    k = cv2.getStructuringElement(cv2.MORPH_RECT, (15, 15))
    bg = cv2.morphologyEx(small, cv2.MORPH_CLOSE, k)
    bg = cv2.GaussianBlur(bg, (0, 0), 3)
    bg = cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR)
    ratio = cv2.divide(gray, bg, dtype=cv2.CV_32F)  # OpenCV ops: a third of numpy's time on a page
    # stretch: ink's dark tail to 0, paper to 255. On a nearly blank page (a signature page, a back
    # side) the 0.5th percentile is paper itself, and stretching from it turned the whole page black
    lo = min(float(percentile(ratio[::4, ::4], 0.5)), 0.5)
    ratio -= lo
    cv2.max(ratio, 0.0, dst=ratio)
    return cv2.convertScaleAbs(ratio, alpha=255.0 / max(1e-3, 0.97 - lo))


def _despeckle(gray: np.ndarray, dpi: int | None) -> tuple[np.ndarray, int, list[Leader]]:
    """Remove small dark dots far from any letter: dust, toner specks. Dots near text are kept.

    "Near" is a box test on an integral image of letter ink (one pass, whatever the dust count),
    not a dilation of the page, which cost more than the rest of the clean-up together.
    """
    scale = (dpi or TARGET_DPI) / 300
    ink = (gray < 128).astype(np.uint8)
    # labelled inside the box around the ink: the blank margins are a quarter of a page's labelling time
    bx, by, bw_, bh_ = cv2.boundingRect(ink)
    if not bw_:
        return gray, 0, []
    n, labels, stats, _ = label(ink[by : by + bh_, bx : bx + bw_])  # stats and labels in box coordinates
    area = stats[:, cv2.CC_STAT_AREA]
    small = area <= max(4, int(60 * scale * scale))
    # a hyphen or dash between spaces is as small as dust but long and flat: `Lao động - Thương binh`
    # lost its dash here before; dust is compact
    bw, bh = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    small &= ~((bw >= 2 * bh) & (bw >= max(6, int(8 * scale))))
    small[0] = False
    if not small[1:].any():
        return gray, 0, []
    reach = max(3, int(14 * scale))
    lone_ids = small & ~_near_letters(small, labels, stats, reach)
    # A mark near a kept mark is a mark: a tone mark sits above a circumflex or breve (`ế`, `ổ`, `ằ`),
    # both dot-sized on a 200 dpi bilevel scan, and the tone mark can lie beyond `reach` of the letter
    # itself; the dot of `;` or `:` lies beside another dot. Real scans lost exactly these (`số` -> `sô`).
    # To a fixed point, not one pass: one pass cost the real scan 3 syllables (dotted leaders, rows of dots).
    lone_ids = _lone_to_fixed_point(lone_ids, labels, stats, reach)
    if not lone_ids.any():
        return gray, 0, []
    # A faint table rule breaks into dot-sized pieces at this threshold; at a lighter one it is whole.
    # Looked for at half size (a 2x2 block is faint ink if any pixel is): a quarter of the cost.
    faint = shrink_any((gray < 200).astype(np.uint8) * 255)
    _, flabels, fstats, _ = label(faint)
    long_ids = np.maximum(fstats[:, cv2.CC_STAT_WIDTH], fstats[:, cv2.CC_STAT_HEIGHT]) > int(60 * scale)
    long_ids[0] = False
    if long_ids.any():
        ids = np.flatnonzero(lone_ids)
        cx = np.clip((bx + stats[ids, 0] + stats[ids, 2] // 2) // 2, 0, flabels.shape[1] - 1)
        cy = np.clip((by + stats[ids, 1] + stats[ids, 3] // 2) // 2, 0, flabels.shape[0] - 1)
        lone_ids[ids[long_ids[flabels[cy, cx]]]] = False
        if not lone_ids.any():
            return gray, 0, []
    # Dotted leaders (`số ........ ngày`, a form's blanks) are as lone as dust. Read with them,
    # Tesseract misread the words beside them (held-out realistic pages 78 -> 129 syllable errors),
    # so they go like dust and come back as words after OCR (`vnplans.ocr.leaders`).
    ids = np.flatnonzero(lone_ids)
    leaders = []
    for run in leader_runs(stats[ids], max(3, int(12 * scale))):
        box = stats[ids[run]]
        x0, y0 = box[:, 0].min(), box[:, 1].min()
        x1, y1 = (box[:, 0] + box[:, 2]).max(), (box[:, 1] + box[:, 3]).max()
        leaders.append(Leader(int(bx + x0), int(by + y0), int(bx + x1), int(by + y1), len(run)))
    out = gray.copy()
    one = np.ones((3, 3), np.uint8)
    for i in np.flatnonzero(lone_ids):
        x, y, w_, h_ = (int(v) for v in stats[i, :4])
        dot = np.zeros((h_ + 2, w_ + 2), np.uint8)  # the dot and a 1 px frame, in page coordinates from
        dot[1:-1, 1:-1] = labels[y : y + h_, x : x + w_] == i  # (bx + x - 1, by + y - 1)
        x0, y0 = bx + x - 1, by + y - 1
        grown = cv2.dilate(dot, one)[max(0, -y0) :, max(0, -x0) :] > 0  # the frame may lie off the page
        region = out[max(0, y0) : y0 + h_ + 2, max(0, x0) : x0 + w_ + 2]
        region[grown[: region.shape[0], : region.shape[1]]] = 255
    return out, int(lone_ids.sum()), leaders


def _lone_to_fixed_point(lone: np.ndarray, labels: np.ndarray, stats: np.ndarray, reach: int) -> np.ndarray:
    """Dots with no ink but other lone dots within reach, repeating until none leaves the set.

    Each round only adds the ink of the dots that left the set, so after one whole-page count the
    rounds count those few pixels inside the remaining dots' boxes: a dozen rounds of whole-page
    integrals were half the cost of preprocessing a 200 dpi scan. Same answer as recounting.
    """
    if not lone.any():
        return lone
    ids = np.flatnonzero(lone)
    count = _ink_near(lone, labels, stats, reach)[ids]
    h, w = labels.shape
    x, y = stats[ids, cv2.CC_STAT_LEFT], stats[ids, cv2.CC_STAT_TOP]
    x0, y0 = np.clip(x - reach, 0, w), np.clip(y - reach, 0, h)
    x1 = np.clip(x + stats[ids, cv2.CC_STAT_WIDTH] + reach, 0, w)
    y1 = np.clip(y + stats[ids, cv2.CC_STAT_HEIGHT] + reach, 0, h)
    while True:
        left = count > 0  # ink within reach: a mark, kept on the page
        if not left.any() or left.all():
            break
        ay, ax = _pixels_of(ids[left], labels, stats)
        keep = ~left
        ids, count = ids[keep], count[keep]
        x0, y0, x1, y1 = x0[keep], y0[keep], x1[keep], y1[keep]
        for a in range(0, len(ids), 256):  # bounded memory: 256 boxes x the new pixels at a time
            s = slice(a, a + 256)
            inside = (ax >= x0[s, None]) & (ax < x1[s, None]) & (ay >= y0[s, None]) & (ay < y1[s, None])
            count[s] += inside.sum(axis=1)
    out = np.zeros_like(lone)
    out[ids[count == 0]] = True
    return out


def leader_runs(stats: np.ndarray, gap: int, run: int = 3) -> list[np.ndarray]:
    """Dotted leaders among dust-like dots: runs of `run` or more dots of one size on one baseline at
    one pitch, each within `gap` of the next (indices into `stats`, left to right).

    Dust falls anywhere: even on a page with 600 specks, three of one size on one baseline at one
    pitch are rare; a leader is nothing else. Each dot's next along its row is found by a binary
    search on (baseline, x) keys, allowing a pixel of baseline jitter: no pass over the page.
    """
    n = len(stats)
    if n < run:
        return []
    x = stats[:, cv2.CC_STAT_LEFT].astype(np.int64)
    w, h = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    bottom = (stats[:, cv2.CC_STAT_TOP] + h).astype(np.int64)
    size = np.maximum(w, h)
    solid = (np.minimum(w, h) >= 2) & (stats[:, cv2.CC_STAT_AREA] * 2 >= w * h)  # a dot, not a hair
    span = int(x.max() + w.max() + gap + 2)
    key = bottom * span + x
    order = np.argsort(key, kind="stable")
    skey = key[order]
    nexts, pitch = np.full(n, -1), np.full(n, span)
    for db in (0, -1, 1):
        lo = (bottom + db) * span + x + 1
        pos = np.minimum(np.searchsorted(skey, lo), n - 1)
        j = order[pos]
        ok = (skey[pos] >= lo) & (skey[pos] <= lo - 1 + w + gap) & solid & solid[j]
        ok &= np.abs(size - size[j]) <= np.maximum(1, size // 3)
        step = x[j] - x
        better = ok & (step < pitch)
        nexts[better], pitch[better] = j[better], step[better]
    has_prev = np.zeros(n, bool)
    has_prev[nexts[nexts >= 0]] = True
    runs: list[np.ndarray] = []
    seen = np.zeros(n, bool)  # two dots may share a next: each dot joins one run
    for head in np.flatnonzero((nexts >= 0) & ~has_prev):  # x only grows along a chain: no cycles
        chain = [int(head)]
        seen[head] = True
        while nexts[chain[-1]] >= 0 and not seen[nexts[chain[-1]]]:
            chain.append(int(nexts[chain[-1]]))
            seen[chain[-1]] = True
        if len(chain) < run:
            continue
        steps = pitch[chain[:-1]]  # link k joins dots k and k + 1
        # split where the pitch changes: a leader's dots are set at one advance, dust is not
        breaks = np.flatnonzero(np.abs(np.diff(steps)) > np.maximum(2, steps[:-1] // 4)) + 1
        for links in np.split(np.arange(len(steps)), breaks):
            dots = chain[links[0] : links[-1] + 2]
            if len(dots) >= run:
                runs.append(np.array(dots))
    return runs


def _near_letters(small: np.ndarray, labels: np.ndarray, stats: np.ndarray, reach: int) -> np.ndarray:
    """Per component: does letter ink (a component that is not a dot) lie within `reach` of its box?"""
    return _ink_near(small, labels, stats, reach) > 0


def _ink_near(small: np.ndarray, labels: np.ndarray, stats: np.ndarray, reach: int) -> np.ndarray:
    """Per component: pixels of letter ink (components not in `small`) within `reach` of its box."""
    h, w = labels.shape
    letter = labels != 0
    ys, xs = _pixels_of(np.flatnonzero(small[1:]) + 1, labels, stats)
    letter[ys, xs] = False  # the dots' own pixels: a few thousand, not a lookup of every pixel
    integral = cv2.integral(letter.view(np.uint8), sdepth=cv2.CV_32S)  # (h+1, w+1)
    x, y = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    x0, y0 = np.clip(x - reach, 0, w), np.clip(y - reach, 0, h)
    x1 = np.clip(x + stats[:, cv2.CC_STAT_WIDTH] + reach, 0, w)
    y1 = np.clip(y + stats[:, cv2.CC_STAT_HEIGHT] + reach, 0, h)
    return integral[y1, x1] - integral[y0, x1] - integral[y1, x0] + integral[y0, x0]


def _pixels_of(ids: np.ndarray, labels: np.ndarray, stats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(rows, columns) of the pixels of components `ids`, searched inside their boxes only.

    Why not `table.take(labels)` over the page: that lookup of every pixel cost 15-60 ms a call (a
    third of the clean-up of a 200 dpi page), while the dots' boxes hold a few hundred thousand pixels
    at most. Pages whose listed components cover much of the page fall back to the lookup."""
    if len(ids) == 0:
        return np.empty(0, np.intp), np.empty(0, np.intp)
    bw = stats[ids, cv2.CC_STAT_WIDTH].astype(np.intp)
    size = bw * stats[ids, cv2.CC_STAT_HEIGHT]
    if int(size.sum()) > labels.size // 4:
        member = np.zeros(len(stats), bool)
        member[ids] = True
        return np.nonzero(member.take(labels, mode="clip"))
    owner = np.repeat(np.arange(len(ids)), size)
    offset = np.arange(len(owner)) - np.repeat(np.cumsum(size) - size, size)
    ys = stats[ids, cv2.CC_STAT_TOP][owner] + offset // bw[owner]
    xs = stats[ids, cv2.CC_STAT_LEFT][owner] + offset % bw[owner]
    hit = labels[ys, xs] == ids[owner]
    return ys[hit], xs[hit]


def _sauvola(gray: np.ndarray, window: int = 41, k: float = 0.2, r: float = 128.0) -> np.ndarray:
    g = gray.astype(np.float64)
    mean = cv2.boxFilter(g, -1, (window, window), borderType=cv2.BORDER_REPLICATE)
    sq = cv2.boxFilter(g * g, -1, (window, window), borderType=cv2.BORDER_REPLICATE)
    std = np.sqrt(np.maximum(sq - mean * mean, 0))
    thresh = mean * (1 + k * (std / r - 1))
    return np.where(g > thresh, 255, 0).astype(np.uint8)


def preprocess(
    image: np.ndarray,
    *,
    dpi: int | None = None,
    steps: Iterable[str] | None = None,
    engine: OcrEngine | None = None,
) -> Preprocessed:
    """Clean a page for OCR; `steps` (names from ALL_STEPS, any order) defaults to DEFAULT_STEPS.
    `engine` answers the orientation question (None: the default engine).

    Steps that need gray (everything after `gray`) convert on the fly when `gray` is off.
    """
    wanted = set(DEFAULT_STEPS if steps is None else steps)
    unknown = wanted - set(ALL_STEPS)
    if unknown:
        raise ValueError(f"unknown preprocessing steps {sorted(unknown)}; known: {ALL_STEPS}")
    img = np.asarray(image)
    if img.dtype != np.uint8:
        img = np.clip(img, 0, 255).astype(np.uint8)
    if img.ndim == 3 and img.shape[2] == 4:
        img = img[:, :, :3]
    applied: list[str] = []
    if "stamp" in wanted:  # also converts to gray
        img, share = _stamp(img)
        if share:
            applied.append(f"stamp:{share:.3f}")
    rest = wanted - {"stamp", "gray"}
    if "gray" in wanted or rest:
        if img.ndim == 3:
            applied.append("gray")
        img = _gray(img)
    if "border" in wanted:
        img, changed = _border(img)
        if changed:
            applied.append("border")
    if "deskew" in wanted:
        angle = estimate_skew(img)
        if abs(angle) >= MIN_DESKEW_DEG:
            img = _rotate(img, -angle)  # estimate is the page's skew; undo it
            applied.append(f"deskew:{angle:.2f}")
    if "orient" in wanted:
        img, rot = _orient(img, engine)
        if rot:
            applied.append(f"orient:{rot}")
            if rot in (90, 270) and "deskew" in wanted and abs(angle := estimate_skew(img)) >= MIN_DESKEW_DEG:
                img = _rotate(img, -angle)
                applied.append(f"deskew:{angle:.2f}")
    if "streaks" in wanted:
        img, n = _streaks(img)
        if n:
            applied.append(f"streaks:{n}")
    if "upscale" in wanted:
        factor = 1.0
        if dpi and (measured := _tag_too_high(img, dpi)):
            applied.append(f"dpi-tag:{dpi}->{measured}")
            dpi = measured
        if dpi and dpi < UPSCALE_BELOW_DPI:
            factor = UPSCALE_TO_DPI / dpi
        elif not dpi and (th := _text_height(img)) and th < TEXT_HEIGHT_300 * UPSCALE_BELOW_DPI / TARGET_DPI:
            dpi = round(TARGET_DPI * th / TEXT_HEIGHT_300)  # no tag: the resolution the letters show
            factor = min(3.0, UPSCALE_TO_DPI / dpi)
        if factor > 1.1:
            img = cv2.resize(img, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
            dpi = round(dpi * factor)
            applied.append(f"upscale:{factor:.2f}")
    if "normalize" in wanted and not _bilevel(img):  # a 1-bit page has no paper shade to remove
        img = _normalize(img)
        applied.append("normalize")
    leaders: list[Leader] = []
    if "despeckle" in wanted:
        img, n, leaders = _despeckle(img, dpi)
        if n:
            applied.append(f"despeckle:{n}")
        if leaders:
            applied.append(f"leaders:{len(leaders)}")
    if "seal" in wanted and (rings := find_rings(img, dpi)):
        img = erase_rings(img, rings, dpi)
        applied.append(f"seal:{len(rings)}")
    if "median" in wanted:
        img = cv2.medianBlur(img, 3)
        applied.append("median")
    if "binarize" in wanted:
        img = _sauvola(img)
        applied.append("binarize")
    return Preprocessed(img, dpi, applied, leaders)
