"""Mask and downsampling helpers shared by page clean-up (`preprocess`) and rule finding (`layout`).

Both run several connected-component passes per page on masks that are mostly empty (rules, streaks,
borders). OpenCV's labelling costs about 50 ms on an A4 page at 300 dpi even when the mask is blank,
so `components` labels only the box around the ink. Every pass labels with `label`.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

__all__ = ["Components", "components", "erase", "label", "shrink", "shrink_any", "straight"]


# OpenCV's default labelling (Spaghetti) spends most of its time on the statistics: on the rule
# masks of an A4 page 35 ms against 12 ms for Grana's (BBDT), on a page of text 55 against 45 ms.
# Labels, statistics and centroids are identical (checked on the samples' pages, 4- and 8-way).
_ALGORITHM = getattr(cv2, "CCL_GRANA", getattr(cv2, "CCL_DEFAULT", -1))


def label(mask: np.ndarray, connectivity: int = 8) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """`cv2.connectedComponentsWithStats` of a uint8 mask, with OpenCV's faster algorithm."""
    return cv2.connectedComponentsWithStatsWithAlgorithm(mask, connectivity, cv2.CV_32S, _ALGORITHM)


@dataclass
class Components:
    """`cv2.connectedComponentsWithStats` of a mask, labelled inside the box around its ink.

    `stats` and `centroids` are in the mask's coordinates; `labels` covers the box only, starting at
    (`x0`, `y0`). Component 0 is the background, as in OpenCV (its statistics are not computed).
    """

    n: int
    labels: np.ndarray
    stats: np.ndarray
    centroids: np.ndarray
    x0: int = 0
    y0: int = 0

    def label_box(self, i: int) -> np.ndarray:
        """Labels under component `i`'s bounding box."""
        x, y, w, h = (int(v) for v in self.stats[i, :4])
        return self.labels[y - self.y0 : y - self.y0 + h, x - self.x0 : x - self.x0 + w]


def _label_at(
    img: np.ndarray, connectivity: int, x: int, y: int
) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """`label` of an image cut from a mask at (`x`, `y`): statistics and centroids in the mask's coordinates."""
    n, labels, stats, cents = label(img, connectivity)
    stats[:, 0] += x
    stats[:, 1] += y
    cents += (x, y)
    return n, labels, stats, cents


def components(mask: np.ndarray, connectivity: int = 8) -> Components:
    """Connected components of a uint8 mask (non-zero = ink), labelled band by band.

    Labelling costs per pixel of the box it is given, and rule masks are mostly blank rows: no
    component crosses a row without ink, so the inked runs of rows are labelled apart and blank rows
    never (12 -> 1 ms on the horizontal-rule mask of an A4 page). Ids, statistics and centroids are
    those of one labelling of the whole mask, which also numbers components in raster order.
    """
    x, y, w, h = cv2.boundingRect(mask)
    if not w or not h:
        return Components(1, np.zeros((0, 0), np.int32), np.zeros((1, 5), np.int32), np.zeros((1, 2)))
    box = mask[y : y + h, x : x + w]
    inked = box.max(axis=1) > 0
    if inked.mean() > 0.5:  # text, not rules: one labelling
        return Components(*_label_at(box, connectivity, x, y), x, y)
    edges = np.flatnonzero(np.diff(np.r_[0, inked.astype(np.int8), 0]))
    # OpenCV labels two rows at a time and numbers components in that scan order: bands start on
    # even rows of the box (one blank row more at most), so the numbering is the whole mask's
    edges[::2] -= edges[::2] % 2
    labels = np.zeros((h, w), np.int32)
    stats = [np.array([[x, y, w, h, 0]], np.int32)]  # the background's row: no caller reads it
    cents = [np.array([[x + w / 2, y + h / 2]])]
    n = 1
    for a, b in zip(edges[::2], edges[1::2], strict=True):
        k, lab, st, ce = _label_at(box[a:b], connectivity, x, y + a)
        lab[lab > 0] += n - 1
        labels[a:b] = lab
        stats.append(st[1:])
        cents.append(ce[1:])
        n += k - 1
    return Components(n, labels, np.concatenate(stats), np.concatenate(cents), x, y)


def erase(mask: np.ndarray, comps: Components, ids: list[int] | np.ndarray) -> np.ndarray:
    """A copy of `mask` without components `ids`, erased box by box (a full-page `np.isin` costs ~50 ms)."""
    out = mask.copy()
    for i in ids:
        x, y, w, h = (int(v) for v in comps.stats[i, :4])
        out[y : y + h, x : x + w][comps.label_box(i) == i] = 0
    return out


def shrink(image: np.ndarray, f: int) -> np.ndarray:
    """The mean of each f x f block; rows and columns left over at the bottom and right are dropped.

    OpenCV averages blocks in a fast path only when the size ratio is an exact integer: halving an A4
    page at 300 dpi costs 0.4 ms instead of 12.7 ms (2481 px is odd, so `w // 2` is a ratio of 2.0008).
    """
    h, w = image.shape[:2]
    if f <= 1:
        return image
    hh, ww = max(1, h // f), max(1, w // f)
    return cv2.resize(image[: hh * f, : ww * f], (ww, hh), interpolation=cv2.INTER_AREA)


def shrink_any(mask: np.ndarray) -> np.ndarray:
    """A 0/255 mask at half size, where a 2x2 block is ink if any of its pixels is.

    Thin rules and streaks stay connected, and the passes that follow cost a quarter.
    """
    _, half = cv2.threshold(shrink(mask, 2), 63, 255, cv2.THRESH_BINARY)  # mean >= 1/4: one of the 4
    return half


def straight(mask: np.ndarray, length: int, gap: int, upright: bool) -> np.ndarray:
    """Runs of ink at least `length` long, upright or level, once gaps of up to `gap` along them are
    closed (a faded, despeckled or 1-bit rule has pin-holes): what table rules are made of, for
    `layout`'s rule finder and for the seal step, which must not cut a rule that crosses a seal."""
    along = (lambda n: (n, 1)) if upright else (lambda n: (1, n))  # kernel shape, rows x columns
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones(along(gap), np.uint8))
    return cv2.morphologyEx(closed, cv2.MORPH_OPEN, np.ones(along(length), np.uint8))
