"""Ruled tables as grids: row bands between horizontal rules and the column rules of each band.

Why: skew and merged cells move column rules from band to band, so cuts are kept per band.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import cv2
import numpy as np

from vnplans.image.masks import components

from .page import Box


@dataclass
class Grid:
    """A ruled table: row bands between horizontal rules, column rules, which rules each band has."""

    bbox: Box
    bands: list[tuple[int, int]]
    cuts: list[int]  # x of every column rule, outer borders included (median over bands)
    present: list[list[bool]]  # per band, per inner rule (cuts[1:-1])
    band_cuts: list[list[int]]  # per band, x of every rule there (skew moves rules from band to band)


PIECE = 0.05  # of the page width: the shortest piece of a dashed rule that is joined to its line
PIECE_GAP = 0.15  # of the page width: the widest hole between two pieces of one rule
PIECE_INK = 0.6  # share of a joined rule's length that its pieces cover


def _h_segments(hor: np.ndarray, min_w: int) -> list[tuple[int, int, int]]:
    """Long horizontal rules as (y, x0, x1). A thin rule a 1-bit scan broke into dashes (its grey
    at the threshold: pieces of 100-350 px, holes up to 200 px) is joined from pieces on one row."""
    c = components(hor)
    w = hor.shape[1]
    pieces = sorted(
        (int(c.centroids[i][1]), int(c.stats[i, 0]), int(c.stats[i, 0] + c.stats[i, 2]))
        for i in range(1, c.n)
        if c.stats[i, 2] >= max(8, PIECE * w) and c.stats[i, 3] < c.stats[i, 2] / 8
    )
    rules: list[list[int]] = []  # [y, x0, x1, inked length]
    for y, a, b in sorted(pieces, key=lambda t: (t[1], t[0])):  # left to right
        for r in rules:
            if abs(r[0] - y) <= 3 and 0 <= a - r[2] <= PIECE_GAP * w:
                r[2], r[3] = b, r[3] + b - a
                break
        else:
            rules.append([y, a, b, b - a])
    return sorted(
        (y, a, b) for y, a, b, ink in rules if b - a >= min_w and (ink >= PIECE_INK * (b - a) or ink >= min_w)
    )


def _crowding(bw: np.ndarray, x: int, y0: int, y1: int, w: int) -> float:
    """Share of rows with ink right beside a vertical line on both sides.

    Cells are padded, so text keeps clear of a real column rule; a streak runs through the words.
    """
    half, d1 = 2, 3 + max(6, w // 200)
    left = bw[y0:y1, max(0, x - d1) : max(0, x - half - 2)] > 0
    right = bw[y0:y1, x + half + 2 : x + d1] > 0
    if not left.size or not right.size:
        return 0.0
    left = left[:, left.mean(axis=0) < 0.6]  # another line alongside (a streak) is not a letter
    right = right[:, right.mean(axis=0) < 0.6]
    if not left.size or not right.size:
        return 0.0
    return float((left.any(axis=1) & right.any(axis=1)).mean())


def _band_rules(spread: np.ndarray, bw: np.ndarray, a: int, b: int, lo: int, hi: int) -> list[int]:
    """x of the vertical rules crossing one row band: pixel columns inked on nearly every row."""
    pad = (b - a) // 10
    cover = (spread[a + pad : b - pad, lo:hi] > 0).mean(axis=0)
    xs = np.flatnonzero(cover >= 0.8)
    out = []
    for run in np.split(xs, np.flatnonzero(np.diff(xs) > 1) + 1) if xs.size else []:
        raw = (bw[a + pad : b - pad, lo + run[0] : lo + run[-1] + 1] > 0).mean(axis=0)
        strong = np.flatnonzero(raw >= 0.5)
        subs = (
            np.split(strong, np.flatnonzero(np.diff(strong) > 1) + 1)
            if strong.size
            else [np.arange(raw.size)]
        )
        merged = [subs[0]]
        for sub in subs[1:]:  # a faint dip inside one thick rule does not make two rules
            if raw[merged[-1][-1] + 1 : sub[0]].min() >= 0.2:
                merged[-1] = np.concatenate([merged[-1], sub])
            else:
                merged.append(sub)
        for sub in merged:  # a streak a few pixels from a rule: two lines, not one
            out.append(lo + int(run[0]) + int(sub[np.argmax(raw[sub])]))
    return out


def _same_table(span: tuple[int, int, int], sg: tuple[int, int, int], w: int, h: int) -> bool:
    """Whether rule `sg` belongs to the table that spans `span` (y of its last rule, x0, x1): close
    below, with both ends at the table's; or one within the other, the shorter over 60 % of the
    longer, for a rule whose end faded or broke off on a 1-bit scan (a top rule 60 px short cut a
    header row off the grid; dashed rules lose a piece at either end)."""
    y, a, b = span
    if sg[0] - y >= h * 0.3:
        return False
    tol = w * 0.03
    if abs(a - sg[1]) < tol and abs(b - sg[2]) < tol:
        return True
    (la, lb), (sa, sb) = sorted(((a, b), (sg[1], sg[2])), key=lambda r: r[0] - r[1])  # longer first
    return sa > la - tol and sb < lb + tol and sb - sa >= 0.6 * (lb - la)


def find_grids(bw: np.ndarray, hor: np.ndarray) -> list[Grid]:
    """Tables from long horizontal rules sharing an x-extent, then column rules band by band.

    A column rule is a pixel column inked on nearly every row of a band (between two horizontal
    rules): coverage tolerates broken, faded rules where morphology loses them, and measuring per
    band tolerates residual skew. Rules found in the bands are clustered into table columns; ink that
    continues above or below the table, or that letters crowd on both sides, is a photocopy streak.
    """
    h, w = bw.shape
    segs = _h_segments(hor, int(w * 0.2))
    groups: list[list[tuple[int, int, int]]] = []
    for sg in segs:
        for gr in groups:
            if _same_table((gr[-1][0], min(r[1] for r in gr), max(r[2] for r in gr)), sg, w, h):
                gr.append(sg)
                break
        else:
            groups.append([sg])
    r = max(1, w // 800)
    spread = cv2.dilate(bw, cv2.getStructuringElement(cv2.MORPH_RECT, (2 * r + 1, 1)))
    tol = max(8, int(w * 0.012))
    out: list[Grid] = []
    for gr in groups:
        ys: list[int] = []
        for y, _, _ in gr:
            if not ys or y - ys[-1] > max(6, h // 200):
                ys.append(y)
        bands = [(a, b) for a, b in zip(ys, ys[1:], strict=False) if b - a > max(8, w // 120)]
        if not bands:
            continue
        x0 = min(a for _, a, _ in gr)
        x1 = max(b for _, _, b in gr)
        lo, hi = max(0, x0 - 3 * r - 4), min(w, x1 + 3 * r + 5)
        found = [_band_rules(spread, bw, a, b, lo, hi) for a, b in bands]
        clusters: list[list[tuple[int, int]]] = []  # (band, x)
        for i, x in sorted(((i, x) for i, xs in enumerate(found) for x in xs), key=lambda t: t[1]):
            if clusters and x - clusters[-1][-1][1] <= tol and all(j != i for j, _ in clusters[-1]):
                clusters[-1].append((i, x))
            else:
                clusters.append([(i, x)])
        top, bot = bands[0][0], bands[-1][1]
        margin = max(4, h // 60)
        cols: list[dict[int, int]] = []
        for cl in clusters:
            if len(cl) < max(2, len(bands) // 4) and len(bands) > 1:
                continue
            at = dict(cl)
            first, last = min(at), max(at)
            xa, xb = at[first], at[last]
            above = bw[max(0, top - margin) : max(0, top - 4), xa - 1 : xa + 2]
            below = bw[bot + 4 : min(h, bot + margin), xb - 1 : xb + 2]
            if (above.size and (above > 0).any(axis=1).mean() > 0.5) or (
                below.size and (below > 0).any(axis=1).mean() > 0.5
            ):
                continue  # ink continuing past the table: a streak
            crowd = [_crowding(bw, x, bands[i][0] + 3, bands[i][1] - 3, w) for i, x in cl]
            if statistics.mean(crowd) > 0.1:
                continue
            cols.append(at)
        near = max(4, w // 250)
        for k in range(len(cols) - 1, 0, -1):  # both edges of one thick, hollow-looking rule
            a_med, b_med = statistics.median(cols[k - 1].values()), statistics.median(cols[k].values())
            if b_med - a_med <= near:
                both = {i: (cols[k - 1].get(i, x) + x) // 2 for i, x in cols[k].items()}
                cols[k - 1] = {**cols[k - 1], **both}
                del cols[k]
        if not cols or (len(cols) < 2 and len(bands) < 3):
            continue  # rules without column rules: underlines, a form's lines, not a table
        med = [statistics.median(c.values()) for c in cols]
        if med[0] - x0 > w * 0.02:
            cols.insert(0, {})
            med.insert(0, x0)
        if med[-1] < x1 - w * 0.02:
            cols.append({})
            med.append(x1)
        xs_per_band: list[list[int]] = []
        present: list[list[bool]] = []
        for i in range(len(bands)):
            offs = [c[i] - m for c, m in zip(cols, med, strict=True) if i in c]
            off = statistics.median(offs) if offs else 0
            xs_per_band.append([c.get(i, round(m + off)) for c, m in zip(cols, med, strict=True)])
            present.append([i in c for c in cols[1:-1]])
        out.append(Grid((x0, top, x1, bot), bands, [round(m) for m in med], present, xs_per_band))
    return sorted(out, key=lambda g: g.bbox[1])


def grid_cells(grid: Grid) -> list[list[tuple[int, int, int, int]]]:
    """Each band's cells as boxes (x0, y0, x1, y1) between its column rules, left to right (a merged
    cell comes out as the cells under it)."""
    return [
        [(xs[k], a, xs[k + 1], b) for k in range(len(xs) - 1)]
        for (a, b), xs in zip(grid.bands, grid.band_cuts, strict=True)
    ]
