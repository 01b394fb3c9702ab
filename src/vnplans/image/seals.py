"""Seal rings on pages without colour, found by their geometry and taken off before OCR.

Why: a 1-bit scan prints the red seal black, over the signer's title or over body text, where the
colour step (`preprocess._stamp`) cannot tell it from toner. Tesseract then ends the lines the ring
crosses at the ring (`kiểm tra theo` read, `đúng phạm vi ghi trong giấy` lost) and reads the ring's
lettering and star as words (`g7 + Ở Ì`). On the 1-bit dev pages with a visible seal (14 of 130
fresh renders) this made most of the errors left after correction: 330 against 179 with the step.

A seal is a ring: at some radius, ink along most of the circle, which text never gives (a line of
text crosses a circle at two short arcs). Candidates come from a Hough transform on a ~50 dpi copy
of the page; one is kept only where the ring's radial profile shows it, re-centred to the pixel
first. What is taken off: inside the seal, the rows that hold no line of text (the lettering and
star between lines); its rings, off the lines of text everywhere and on them only where the ring is
solid. Letters a solid ring crosses are cut, but merged with it they were lost anyway; a worn ring
lets Tesseract read through its specks. Table rules that run through the seal are kept whole.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .masks import shrink, straight

__all__ = ["Ring", "erase_rings", "find_rings"]

# seals of Vietnamese agencies are 32-42 mm across (Decree 99/2016); room for scale and wear
MIN_RADIUS_IN, MAX_RADIUS_IN = 0.55, 1.1
# share of a circle's points on ink at the ring's radius: a printed ring 0.45+ even when worn
# (fresh dev pages: 0.47-0.61); rows of text 0.1-0.2 at any radius
RING_MIN = 0.45
BAND_MIN = 0.3  # the ring band: radii around the peak still this inked
# a second, thinner ring inside the first (most seals have one): its peak this inked, between these
# shares of the outer radius; text crossing the circle gives 0.1-0.2, as above
INNER_MIN, INNER_SPAN = 0.35, (0.5, 0.9)
MAX_BAND = 0.25  # of the radius: wider is a filled blot, not a ring
ANGLES = 720
CORE = 0.66  # of the ring's inner radius: where a seal has only its star (its lettering lies outside)
# share of a ring's radii inked (off the lines of text, over 8 degrees) where it is solid. On the 14
# seal pages (330 errors without the step): a ring erased on the lines everywhere 186 (a worn ring's
# page 2 -> 14), where solid at 0.5 206, at 0.3 179 (that page 0)
SOLID = 0.3
MIN_RUNS = 6  # ink runs on a row of the core that make it a row of letters (a star's row has 1-4)


@dataclass(frozen=True, slots=True)
class Ring:
    """A seal's ring in image pixels: centre, the radii its band spans, and the bands of the thinner
    rings inside it (inner radius, outer radius)."""

    cx: float
    cy: float
    inner: float
    outer: float
    rings_inside: tuple[tuple[float, float], ...] = ()


def _on_circles(
    ink: np.ndarray, cx: float, cy: float, radii: np.ndarray, theta: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Points on circles of `radii` around (cx, cy) at angles `theta` (one row a radius): their rows,
    whether each is on the page, and whether it is on ink."""
    h, w = ink.shape
    xs = np.rint(cx + radii[:, None] * np.cos(theta)).astype(np.intp)
    ys = np.rint(cy + radii[:, None] * np.sin(theta)).astype(np.intp)
    inside = (xs >= 0) & (xs < w) & (ys >= 0) & (ys < h)
    return ys, inside, np.where(inside, ink[np.clip(ys, 0, h - 1), np.clip(xs, 0, w - 1)], False)


def _profile(ink: np.ndarray, cx: float, cy: float, radii: np.ndarray, angles: int = ANGLES) -> np.ndarray:
    """Share of points on ink along each circle (circles mostly off the page count as empty)."""
    _, inside, hits = _on_circles(ink, cx, cy, radii, np.linspace(0, 2 * np.pi, angles, endpoint=False))
    share = hits.sum(axis=1) / angles
    return np.where(inside.sum(axis=1) >= angles // 2, share, 0.0)


def _band(prof: np.ndarray, k: int, floor: float) -> tuple[int, int]:
    """Indices of the radii around peak `k` still inked `floor` or more."""
    lo = hi = k
    while lo > 0 and prof[lo - 1] >= floor:
        lo -= 1
    while hi < len(prof) - 1 and prof[hi + 1] >= floor:
        hi += 1
    return lo, hi


def _rings_inside(ink: np.ndarray, cx: float, cy: float, inner: float) -> tuple[tuple[float, float], ...]:
    radii = np.arange(int(inner * INNER_SPAN[0]), int(inner * INNER_SPAN[1]))
    prof = _profile(ink, cx, cy, radii)
    out = []
    while prof.size and (k := int(prof.argmax())) >= 0 and prof[k] >= INNER_MIN:
        lo, hi = _band(prof, k, BAND_MIN)
        out.append((float(radii[lo]), float(radii[hi])))
        prof[max(0, lo - 3) : hi + 4] = 0
    return tuple(sorted(out))


def _sharpness(ink: np.ndarray, cx: float, cy: float, radii: np.ndarray) -> float:
    return float(np.square(_profile(ink, cx, cy, radii, ANGLES // 2)).sum())


def _centred(ink: np.ndarray, cx: float, cy: float, r: float) -> tuple[float, float]:
    """The centre near (cx, cy) where the ring at about radius r is sharpest (its radial profile most
    concentrated: the sum of its squares, which a thick ring's flat top does not saturate), climbed to
    in steps of 2 then 1 pixel: Hough's centre, found at a quarter of the resolution, is a few pixels
    off, and every pixel off widens the band that is erased and cuts more of the letters crossing it."""
    radii = np.arange(int(r * 0.9), int(r * 1.1) + 1)
    best = _sharpness(ink, cx, cy, radii)
    for step in (2, 1):
        moved = True
        while moved:
            moved = False
            for dx, dy in ((step, 0), (-step, 0), (0, step), (0, -step)):
                if (got := _sharpness(ink, cx + dx, cy + dy, radii)) > best:
                    best, cx, cy, moved = got, cx + dx, cy + dy, True
                    break
    return cx, cy


def find_rings(gray: np.ndarray, dpi: int | None) -> list[Ring]:
    """Seal rings on a grey or 1-bit page (ink darker than 128)."""
    dpi = dpi or 200
    ink = gray < 128
    f = max(1, round(dpi / 50))
    # the darkness of each ~50 dpi cell, doubled (a worn ring inks half its cells), blurred for Hough
    dark = 255 - shrink(gray, f)
    small = cv2.GaussianBlur(cv2.add(dark, dark), (5, 5), 1.5)
    rmin, rmax = round(MIN_RADIUS_IN * dpi / f), round(MAX_RADIUS_IN * dpi / f)
    found = cv2.HoughCircles(
        small,
        cv2.HOUGH_GRADIENT,
        dp=1,
        minDist=2 * rmin,
        param1=60,
        param2=25,
        minRadius=rmin,
        maxRadius=rmax,
    )
    rings: list[Ring] = []
    for cx, cy, r in [] if found is None else found[0][:3]:
        cx, cy, r = cx * f, cy * f, r * f
        radii = np.arange(int(r * 0.8), int(r * 1.25))
        if _profile(ink, cx, cy, radii, ANGLES // 2).max() < BAND_MIN:
            continue  # no ring near this circle, even a few pixels off: no centre to look for
        cx, cy = _centred(ink, cx, cy, r)
        # the seal's outer ring: Hough may have found a ring inside it
        radii = np.arange(int(r * 0.8), max(int(r * 1.25), int(min(1.6 * r, MAX_RADIUS_IN * dpi * 1.1))))
        prof = _profile(ink, cx, cy, radii)
        if prof.max() < RING_MIN:
            continue
        k = int(np.flatnonzero(prof >= RING_MIN)[-1])
        while k > 0 and prof[k - 1] > prof[k]:
            k -= 1  # up to the ring's peak
        lo, hi = _band(prof, k, BAND_MIN)
        if radii[hi] - radii[lo] > MAX_BAND * radii[k]:
            continue
        inside = _rings_inside(ink, cx, cy, float(radii[lo]))
        rings.append(Ring(float(cx), float(cy), float(radii[lo]), float(radii[hi]), inside))
    return rings


def _text_rows(ink: np.ndarray, box: tuple[int, int, int, int], core: np.ndarray, dpi: int) -> np.ndarray:
    """Rows of the box (y0, y1, x0, x1) that hold a line of text: ink beside the seal (within 1.5 in)
    on that row, or a row of letters inside its core (the disc inside its rings, where a seal has
    only its star): many ink runs, as a line of letters gives and a star does not (a short line such
    as `a) Đối với thành phố` may stand wholly inside the seal, with no ink beside it)."""
    y0, y1, x0, x1 = box
    reach = round(1.5 * dpi)
    beside = ink[y0:y1, max(0, x0 - reach) : x0].sum(axis=1) + ink[y0:y1, x1 : x1 + reach].sum(axis=1)
    rows = (beside > 0.02 * dpi).astype(np.uint8)
    pad = max(1, round(0.03 * dpi))  # a line's tone marks and descenders reach past its inked rows
    rows = cv2.dilate(rows[:, None], np.ones((2 * pad + 1, 1), np.uint8))[:, 0]
    inside = ink[y0:y1, x0:x1] & core
    runs = (inside[:, 1:] & ~inside[:, :-1]).sum(axis=1)
    letters = (runs >= MIN_RUNS).astype(np.uint8)[:, None]
    letters = cv2.morphologyEx(letters, cv2.MORPH_OPEN, np.ones((pad, 1), np.uint8))  # an x-height tall
    letters = cv2.dilate(letters, np.ones((4 * pad + 1, 1), np.uint8))[:, 0]  # and its marks
    return (rows | letters) > 0


def _solid(ink: np.ndarray, ring: Ring, band: tuple[float, float], text: np.ndarray, y0: int) -> np.ndarray:
    """Per angle (ANGLES bins from -pi): whether the band of radii is solid ink there, most of its
    radii inked over a few degrees. Measured off the lines of text (`text`: rows from y0), whose own
    ink would make any ring look solid; angles that lie on lines throughout take their nearest
    measured neighbour's (a seal's wear changes slowly around it)."""
    radii = np.arange(int(band[0]), int(band[1]) + 1)
    around = np.linspace(-np.pi, np.pi, ANGLES, endpoint=False)
    ys, inside, inked = _on_circles(ink, ring.cx, ring.cy, radii, around)
    seen = inside & ~text[np.clip(ys - y0, 0, len(text) - 1)]
    inked &= seen
    count, hits = seen.sum(axis=0), inked.sum(axis=0)
    if not count.any():
        return np.zeros(ANGLES, bool)
    known = np.flatnonzero(count)
    ring_of = np.concatenate([known - ANGLES, known, known + ANGLES])  # measured angles, around twice
    at = np.arange(ANGLES)
    after = np.searchsorted(ring_of, at)
    left, right = ring_of[after - 1], ring_of[after]
    nearest = np.where(at - left <= right - at, left, right) % ANGLES
    k = ANGLES // 90  # 4 degrees either side
    hits, count = hits[nearest].astype(float), count[nearest].astype(float)
    pad = lambda a: np.concatenate([a[-k:], a, a[:k]])  # noqa: E731 - around the circle
    share = np.convolve(pad(hits), np.ones(2 * k + 1), "valid") / np.convolve(
        pad(count), np.ones(2 * k + 1), "valid"
    )
    return share >= SOLID


def _rules_through(ink: np.ndarray, box: tuple[int, int, int, int], ring: Ring, dpi: int) -> np.ndarray:
    """Table rules across the seal, in the box (y0, y1, x0, x1): straight thin runs of ink, upright
    or level, longer than the seal is wide (found in a box three times its size), which no part of a
    ring is. Erased between the lines of text, a column rule broke into dashes, and the table lost
    its grid (a generated plan's 1-bit page)."""
    y0, y1, x0, x1 = box
    h, w = ink.shape
    span = round(ring.outer)
    Y0, Y1, X0, X1 = max(0, y0 - span), min(h, y1 + span), max(0, x0 - span), min(w, x1 + span)
    near = ink[Y0:Y1, X0:X1].view(np.uint8)
    length, gap = max(3, round(0.25 * dpi)), max(1, round(0.1 * dpi))
    keep = np.zeros(near.shape, np.uint8)
    for upright, axis in ((True, 3), (False, 2)):
        runs = straight(near, length, gap, upright)
        n, labels, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
        # long, and thin across (a rule left a little skewed drifts a few pixels; runs of letters
        # chained line to line spread wide)
        long_ = (stats[:, axis] > 2.4 * ring.outer) & (stats[:, 5 - axis] <= 0.06 * dpi)
        long_[0] = False
        keep |= long_[labels].view(np.uint8)
    keep = cv2.dilate(keep, np.ones((3, 3), np.uint8))
    return keep[y0 - Y0 : y1 - Y0, x0 - X0 : x1 - X0] > 0


def erase_rings(gray: np.ndarray, rings: list[Ring], dpi: int | None) -> np.ndarray:
    """The page with each ring's band made paper, and inside the ring the rows without a text line."""
    dpi = dpi or 200
    out = gray.copy()
    ink = gray < 128
    h, w = gray.shape
    pad = max(2, round(0.01 * dpi))
    for ring in rings:
        outer = ring.outer + pad
        y0, y1 = max(0, int(ring.cy - outer)), min(h, int(ring.cy + outer) + 1)
        x0, x1 = max(0, int(ring.cx - outer)), min(w, int(ring.cx + outer) + 1)
        yy, xx = np.ogrid[y0:y1, x0:x1]
        d = np.hypot(yy - ring.cy, xx - ring.cx)
        core = d < min([lo for lo, _ in ring.rings_inside] + [CORE * ring.inner]) - pad
        text = _text_rows(ink, (y0, y1, x0, x1), core, dpi)
        at = np.clip(
            ((np.arctan2(yy - ring.cy, xx - ring.cx) + np.pi) / (2 * np.pi) * ANGLES).astype(np.intp),
            0,
            ANGLES - 1,
        )
        erase = (d < ring.inner - pad) & ~text[:, None]  # inside, between the lines: lettering, star
        # a band on a line of text only where the ring is solid: there it merges the letters it crosses
        # into one blot, while a worn ring's specks let Tesseract read through them, and erasing them
        # cut the letters (`giải thưởng`, `bản án` on a fresh dev page with a worn seal: 2 -> 14 errors)
        for lo, hi in ((ring.inner, ring.outer), *ring.rings_inside):
            band = (d >= lo - pad) & (d <= hi + pad)
            erase |= band & (~text[:, None] | _solid(ink, ring, (lo, hi), text, y0)[at])
        erase &= ~_rules_through(ink, (y0, y1, x0, x1), ring, dpi)
        out[y0:y1, x0:x1][erase] = 255
    return out
