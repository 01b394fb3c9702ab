"""Where a point of the cleaned page lies on the page as it came in: undo deskew, orientation, upscaling.

Why: OCR reads the preprocessed page (rotated, turned, enlarged), but an archive keeps the scan as it
was; the searchable PDF and the word-box exports place corrected words on the original pixels. The
geometric steps are replayed from `Preprocessed.applied` (`deskew:-1.40`, `orient:90`, `upscale:2.00`)
on the source size, and the final size is checked against the cleaned image's: a step this module
does not know would show there, and the mapping falls back to plain scaling.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["to_source", "apply"]

# steps that change colours only, never where a pixel is
_IN_PLACE = (
    "stamp",
    "gray",
    "border",
    "streaks",
    "normalize",
    "despeckle",
    "leaders",
    "seal",
    "median",
    "binarize",
    "dpi-tag",
)


def _rotation(w: float, h: float, angle: float) -> np.ndarray:
    """cv2.getRotationMatrix2D((w/2, h/2), angle, 1) as 3x3 (angle in degrees, counter-clockwise)."""
    a = np.deg2rad(angle)
    c, s = np.cos(a), np.sin(a)
    cx, cy = w / 2, h / 2
    return np.array([[c, s, (1 - c) * cx - s * cy], [-s, c, s * cx + (1 - c) * cy], [0, 0, 1]])


def _turn(w: float, h: float, rot: int) -> np.ndarray:
    """cv2.rotate by 90 (clockwise), 180 or 270 degrees on pixel-edge coordinates."""
    if rot == 90:
        return np.array([[0, -1, h], [1, 0, 0], [0, 0, 1]], dtype=float)
    if rot == 180:
        return np.array([[-1, 0, w], [0, -1, h], [0, 0, 1]], dtype=float)
    return np.array([[0, 1, 0], [-1, 0, w], [0, 0, 1]], dtype=float)


def to_source(
    source_size: tuple[int, int], applied: Sequence[str], processed_size: tuple[int, int]
) -> tuple[np.ndarray, bool]:
    """3x3 matrix taking (x, y, 1) on the cleaned page to the source page (both as (width, height)),
    and whether every step was understood (False: a plain scale between the two sizes)."""
    w, h = float(source_size[0]), float(source_size[1])
    forward = np.eye(3)
    exact = True
    for step in applied:
        name, _, value = step.partition(":")
        try:
            if name == "deskew":
                forward = _rotation(w, h, -float(value)) @ forward
            elif name == "orient":
                rot = int(value) % 360
                if rot:
                    forward = _turn(w, h, rot) @ forward
                    if rot in (90, 270):
                        w, h = h, w
            elif name == "upscale":  # the last geometric step: its exact factor is the size ratio
                pw, ph = processed_size
                forward = np.diag([pw / w, ph / h, 1.0]) @ forward
                w, h = float(pw), float(ph)
            elif name not in _IN_PLACE:
                exact = False
        except ValueError:
            exact = False
    if not exact or abs(w - processed_size[0]) > 1.5 or abs(h - processed_size[1]) > 1.5:
        sx, sy = source_size[0] / processed_size[0], source_size[1] / processed_size[1]
        return np.diag([sx, sy, 1.0]), False
    return np.linalg.inv(forward), True


def apply(matrix: np.ndarray, x: float, y: float) -> tuple[float, float]:
    """A point through a 3x3 affine matrix."""
    u = matrix @ np.array([x, y, 1.0])
    return float(u[0]), float(u[1])
