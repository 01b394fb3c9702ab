"""Ruled lines of a page (OpenCV morphology): tables' grid lines, told apart from bold text and streaks.

Why: rules are the surest sign of a table's cells, and painting them out before OCR stops Tesseract
reading `|` into words; but a bold word's underline or a scanner streak must not count as a rule.
"""

from __future__ import annotations

import cv2
import numpy as np

from vnplans.image.masks import components, erase, shrink_any, straight

from .settings import DEFAULT_LAYOUT, LayoutSettings

# ---------------------------------------------------------------- image helpers


def as_gray(image: object) -> np.ndarray:
    arr = np.asarray(image)
    if arr.ndim == 3:
        arr = cv2.cvtColor(arr[:, :, :3], cv2.COLOR_RGB2GRAY) if arr.shape[2] >= 3 else arr[:, :, 0]
    if arr.dtype != np.uint8:
        arr = np.clip(arr, 0, 255).astype(np.uint8)
    return arr


def _drop_streaks(mask: np.ndarray, vertical: bool, s: LayoutSettings = DEFAULT_LAYOUT) -> np.ndarray:
    """Remove line components that reach the image edge: scanner borders and photocopy streaks."""
    h, w = mask.shape
    comps = components(mask)
    margin = max(3, (h if vertical else w) // s.streak_margin)
    bad = []
    for i in range(1, comps.n):
        x, y, bw, bh = comps.stats[i, :4]
        if vertical:
            edge = y <= margin or y + bh >= h - margin or x <= 1 or x + bw >= w - 1
        else:
            edge = x <= margin or x + bw >= w - margin or y <= 1 or y + bh >= h - 1
        if edge:
            bad.append(i)
    return erase(mask, comps, bad) if bad else mask


def binarize(gray: np.ndarray, s: LayoutSettings = DEFAULT_LAYOUT) -> np.ndarray:
    block = max(15, (gray.shape[1] // s.binarize_block) | 1)
    return cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, s.binarize_offset
    )


HALF_SIZE_FROM = DEFAULT_LAYOUT.half_size_from  # px on the short side: smaller images keep full size


def find_rules(
    image: object, settings: LayoutSettings = DEFAULT_LAYOUT, *, bw: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Masks (uint8, 255 = ink) of horizontal and vertical ruled lines, by morphological opening.

    Kernels are about 1/30 of the page width: longer than any glyph stroke, shorter than a table row.
    A full page is searched at half size (a 2x2 block is ink if any pixel is): rules stay connected,
    and the morphology and component passes cost a quarter; masks come back at full size. `bw`: the
    page's `binarize` when the caller has it (the pipeline makes it once for rules, cells and layout).
    """
    bw = binarize(as_gray(image), settings) if bw is None else bw
    h, w = bw.shape
    if min(h, w) < settings.half_size_from:
        return rule_masks(bw, settings)
    hor, ver = rule_masks(shrink_any(bw), settings)

    def up(mask: np.ndarray) -> np.ndarray:
        full = np.zeros((h, w), np.uint8)
        full[: (h // 2) * 2, : (w // 2) * 2] = cv2.resize(
            mask, ((w // 2) * 2, (h // 2) * 2), interpolation=cv2.INTER_NEAREST
        )
        return full

    return up(hor), up(ver)


def rule_masks(bw: np.ndarray, s: LayoutSettings = DEFAULT_LAYOUT) -> tuple[np.ndarray, np.ndarray]:
    w = bw.shape[1]
    k = max(s.rule_kernel_min_px, w // s.rule_kernel)
    g = max(2, w // s.rule_gap)  # closes pin-holes of faded or despeckled rules, not the gaps between letters
    hor = straight(bw, k, g, upright=False)
    hor = cv2.morphologyEx(
        hor, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, w // s.rule_bridge), 3))
    )
    ver = straight(bw, k, g, upright=True)
    ver = cv2.morphologyEx(
        ver, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (3, max(3, w // s.rule_bridge)))
    )
    hor = _drop_thick_runs(_drop_text_runs(_drop_streaks(hor, False, s), bw, s), bw, s)
    return hor, _drop_streaks(ver, True, s)


def _drop_thick_runs(hor: np.ndarray, bw: np.ndarray, s: LayoutSettings = DEFAULT_LAYOUT) -> np.ndarray:
    """Remove "rules" that are as tall as letters: on a 1-bit scan a bold line's letters touch and
    pass the opening as one long run. Down a printed rule the ink is a few pixels thick; down that
    run, the ink is a letter's height (its stems). Painting such a run white erased the words."""
    w = bw.shape[1]
    limit = max(4, w // s.thick_run)  # ~4 px at half size of a 200 dpi page; letters' stems are 8-10
    reach = 4 * limit
    comps = components(hor)
    bad = []
    for i in range(1, comps.n):
        x, y, cw, ch = (int(v) for v in comps.stats[i, :4])
        cy = y + ch // 2
        top = max(0, cy - reach)
        band = bw[top : cy + reach + 1, x : x + cw : 3] > 0
        if not band.size:
            continue
        c = cy - top
        # ink run through the rule's middle row, per sampled column: rows up and down until paper
        up = np.argmin(band[c::-1], axis=0)
        up[band[c::-1].all(axis=0)] = c + 1
        down = np.argmin(band[c:], axis=0)
        down[band[c:].all(axis=0)] = band.shape[0] - c
        runs = (up + down - 1)[band[c]]
        if runs.size and float(np.median(runs)) > limit:
            bad.append(i)
    return erase(hor, comps, bad) if bad else hor


def _drop_text_runs(hor: np.ndarray, bw: np.ndarray, s: LayoutSettings = DEFAULT_LAYOUT) -> np.ndarray:
    """Remove "rules" with letters standing on them: bold serif text closes into a baseline run.

    A printed rule has paper above or below it (cell padding); a baseline has stems above it.
    """
    w = bw.shape[1]
    d, dd = max(2, w // s.text_run_near), max(6, w // s.text_run_far)
    comps = components(hor)
    bad = []
    for i in range(1, comps.n):
        x, y, bw_, bh = comps.stats[i, :4]
        above = bw[max(0, y - dd) : max(0, y - d), x : x + bw_] > 0
        below = bw[y + bh + d : y + bh + dd, x : x + bw_] > 0
        up = float(above.mean()) if above.size else 0.0
        down = float(below.mean()) if below.size else 0.0
        if max(up, down) > s.text_run_ink:
            bad.append(i)
    return erase(hor, comps, bad) if bad else hor


def crossings(rules: tuple[np.ndarray, np.ndarray]) -> int:
    """How many places horizontal and vertical rules meet: a table's grid has many, a page without one
    none. Upright "rules" on a page without a grid are a seal's arcs or its star: painting them white
    cost Tesseract words (11 -> 17 syllable errors on a realistic page), so the pipeline paints vertical
    rules out only on a page with a grid."""
    meet = _meet(rules)
    return 0 if meet is None else components(meet).n - 1


def _meet(rules: tuple[np.ndarray, np.ndarray]) -> np.ndarray | None:
    """Where horizontal and vertical rules meet (within 2 px), or None when one kind is missing."""
    hor, ver = rules
    if not hor.any() or not ver.any():
        return None
    k = cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5))
    return cv2.dilate(hor, k) & cv2.dilate(ver, k)


MIN_GRID_CROSSINGS = DEFAULT_LAYOUT.min_grid_crossings  # a box: two rules crossing at its four corners


def grid_rows(rules: tuple[np.ndarray, np.ndarray]) -> tuple[int, int] | None:
    """The rows from the first to the last place where rules cross (a table's top rule to its bottom
    rule; a stamp's box on the page widens the span), or None when no rules cross."""
    meet = _meet(rules)
    rows = np.flatnonzero(meet.any(axis=1)) if meet is not None else np.empty(0, np.intp)
    return (int(rows[0]), int(rows[-1])) if rows.size else None


def remove_rules(
    image: object,
    rules: tuple[np.ndarray, np.ndarray] | None = None,
    settings: LayoutSettings = DEFAULT_LAYOUT,
) -> np.ndarray:
    """The page (gray) with ruled lines painted white, so Tesseract does not read rules as `|` or `I`."""
    gray = as_gray(image).copy()
    hor, ver = rules if rules is not None else find_rules(gray, settings)
    w = gray.shape[1]
    comps = components(hor)
    # a short one may be a bold word's baseline
    short = [i for i in range(1, comps.n) if comps.stats[i, 2] < w // settings.short_rule]
    if short:
        hor = erase(hor, comps, short)
    mask = cv2.dilate(hor | ver, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    gray[mask > 0] = 255
    return gray
