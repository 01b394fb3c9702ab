"""`np.percentile` and `np.unique` without their first-call cost.

Both import `numpy.ma` the first time they run (`np.unique` asks `np.ma.is_masked`): 15 ms of
Python, under the GIL, in every `vnplans ocr PAGE` process, where it lay on the clean-up's path
before OCR (the page's first percentile). These give numpy's answers (`percentile`: its default
linear method, the same rounding) from `np.partition` and `np.sort`, which import nothing.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["percentile", "unique"]


def percentile(a: np.ndarray, q: float) -> float:
    """`float(np.percentile(a, q))` for a non-empty array and one q in [0, 100]."""
    flat = np.asarray(a).ravel()
    n = flat.size
    if n == 0:
        raise ValueError("percentile of an empty array")
    virtual = (q / 100) * (n - 1)
    lo = min(n - 1, max(0, math.floor(virtual)))
    hi = min(n - 1, lo + 1)
    part = np.partition(flat, (lo, hi)) if hi != lo else np.partition(flat, lo)
    below, above = part[lo], part[hi]  # numpy scalars: float32 data interpolates in float32, as numpy's
    t = virtual - lo
    diff = above - below
    # numpy's `_lerp`: from the lower value below t = 0.5, from the upper one above (same rounding)
    return float(above - diff * (1 - t) if t >= 0.5 else below + diff * t)


def unique(a: np.ndarray) -> np.ndarray:
    """`np.unique(a)` for a plain (unmasked) array: its sorted distinct values."""
    s = np.sort(np.asarray(a).ravel())
    if s.size == 0:
        return s
    keep = np.empty(s.size, dtype=bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]
