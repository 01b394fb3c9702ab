"""Realistic, seeded scan degradations of a rendered page, for benchmarks and OCR-channel training.

Applied in physical order: ink on paper (red/blue stamp), paper and lamp (uneven lighting,
photocopy streaks), placement on the glass (skew, dark borders), the sensor (low resolution, blur,
noise, dust speckle) and the file (JPEG). Intensities assume a ~300 dpi page and scale with its
size. The same (image, seed, level, kinds) always gives the same result.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

__all__ = ["KINDS", "LEVELS", "Degraded", "degrade", "degrade_detailed"]

KINDS = ("stamp", "lighting", "streaks", "skew", "borders", "low_dpi", "blur", "noise", "speckle", "jpeg")
LEVELS = ("light", "medium", "heavy")

# probability that a kind is drawn when `kinds` is None
_P = {
    "light": {"blur": 0.8, "noise": 0.8, "jpeg": 0.7, "skew": 0.5, "lighting": 0.3, "speckle": 0.2, "stamp": 0.2},
    "medium": {
        "blur": 0.9, "noise": 0.9, "jpeg": 0.8, "skew": 0.8, "lighting": 0.6, "speckle": 0.5,
        "stamp": 0.5, "streaks": 0.3, "borders": 0.4, "low_dpi": 0.3,
    },
    "heavy": {
        "blur": 1.0, "noise": 1.0, "jpeg": 0.9, "skew": 0.9, "lighting": 0.8, "speckle": 0.7,
        "stamp": 0.7, "streaks": 0.6, "borders": 0.6, "low_dpi": 0.6,
    },
}  # fmt: skip
_I = {"light": 0, "medium": 1, "heavy": 2}


@dataclass
class Degraded:
    image: Image.Image | np.ndarray  # same type as the input; RGB/BGR when a stamp was added
    scale: float = 1.0  # output pixels per input pixel (< 1 when the page was left at low dpi)
    applied: list[str] = field(default_factory=list)


def _r(rng: np.random.Generator, level: str, ranges: tuple[tuple[float, float], ...]) -> float:
    lo, hi = ranges[_I[level]]
    return float(rng.uniform(lo, hi))


def _to_float_rgb(image: Image.Image | np.ndarray) -> tuple[np.ndarray, bool, bool]:
    """(H, W, 3) float32 RGB in 0..255, whether the input was PIL, whether it was colour."""
    if isinstance(image, Image.Image):
        colour = image.mode not in ("L", "1", "LA", "I", "I;16", "F")
        a = np.asarray(image.convert("RGB"), dtype=np.float32)
        return a, True, colour
    a = np.asarray(image)
    if a.ndim == 2:
        return np.repeat(a[:, :, None].astype(np.float32), 3, axis=2), False, False
    return a[:, :, 2::-1].astype(np.float32), False, True  # BGR -> RGB


def _from_float_rgb(a: np.ndarray, pil: bool, colour: bool) -> Image.Image | np.ndarray:
    u = np.clip(a + 0.5, 0, 255).astype(np.uint8)
    if not colour:
        g = np.ascontiguousarray(u[:, :, 1])
        return Image.fromarray(g, "L") if pil else g
    return Image.fromarray(u, "RGB") if pil else np.ascontiguousarray(u[:, :, ::-1])


def _font(size: int) -> ImageFont.ImageFont:
    try:
        from .render import load_font

        return load_font("Liberation Serif", size, "bold")
    except (ImportError, OSError):
        return ImageFont.load_default()


_STAMP_WORDS = ("ỦY BAN NHÂN DÂN", "SỞ NỘI VỤ", "PHÒNG TÀI CHÍNH", "CÔNG AN", "BAN QUẢN LÝ")


def _stamp_mask(rng: np.random.Generator, radius: int) -> np.ndarray:
    """Ink coverage 0..1 of a round seal: two rings, text along the ring, a star; worn ink."""
    size = 2 * radius + 4
    img = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(img)
    c = size / 2
    w = max(2, radius // 30)
    d.ellipse((c - radius, c - radius, c + radius, c + radius), outline=255, width=w * 2)
    r2 = radius * 0.68
    d.ellipse((c - r2, c - r2, c + r2, c + r2), outline=255, width=w)
    # star in the centre
    rs = radius * 0.22
    pts = [
        (c + (rs if k % 2 == 0 else rs * 0.4) * math.sin(k * math.pi / 5), c - (rs if k % 2 == 0 else rs * 0.4) * math.cos(k * math.pi / 5))
        for k in range(10)
    ]  # fmt: skip
    d.polygon(pts, fill=255)
    # text around the ring, one rotated glyph at a time
    text = _STAMP_WORDS[int(rng.integers(len(_STAMP_WORDS)))] + " * " + f"{int(rng.integers(1, 99)):02d}"
    fsize = max(8, int(radius * 0.2))
    font = _font(fsize)
    rt = radius * 0.84
    span = math.radians(300)
    for k, ch in enumerate(text):
        ang = -span / 2 + span * k / max(1, len(text) - 1)
        glyph = Image.new("L", (fsize * 2, fsize * 2), 0)
        ImageDraw.Draw(glyph).text((fsize, fsize), ch, font=font, fill=255, anchor="mm")
        glyph = glyph.rotate(-math.degrees(ang), resample=Image.BILINEAR)
        x, y = c + rt * math.sin(ang), c - rt * math.cos(ang)
        img.paste(255, (int(x - fsize), int(y - fsize)), glyph)
    m = np.asarray(img, dtype=np.float32) / 255.0
    # worn ink: smooth random density, some holes
    field_ = cv2.GaussianBlur(rng.random((size // 8 + 1, size // 8 + 1)).astype(np.float32), (0, 0), 1.0)
    field_ = cv2.resize(field_, (size, size), interpolation=cv2.INTER_LINEAR)
    return m * np.clip(0.45 + 0.9 * field_, 0.25, 1.0)


def _stamp(a: np.ndarray, rng: np.random.Generator, level: str) -> None:
    h, w = a.shape[:2]
    radius = int(min(h, w) * rng.uniform(0.08, 0.12))
    mask = _stamp_mask(rng, radius)
    mask = cv2.warpAffine(
        mask,
        cv2.getRotationMatrix2D((mask.shape[1] / 2, mask.shape[0] / 2), float(rng.uniform(-30, 30)), 1.0),
        (mask.shape[1], mask.shape[0]),
    )
    mh, mw = mask.shape
    # anywhere over the text: seals sit on signatures, and on body text of short pages
    y = int(rng.uniform(0.15, 0.85) * (h - mh))
    x = int(rng.uniform(0.1, 0.9) * (w - mw))
    blue = rng.random() < 0.2
    ink = np.array([40, 60, 190] if blue else [205, 35, 45], dtype=np.float32)
    strength = _r(rng, level, ((0.55, 0.75), (0.7, 0.9), (0.85, 1.0)))
    region = a[y : y + mh, x : x + mw]
    m = (mask[: region.shape[0], : region.shape[1]] * strength)[:, :, None]
    region *= 1 - m + m * (ink / 255.0)  # multiply blend: ink darkens paper and black text alike


def _lighting(a: np.ndarray, rng: np.random.Generator, level: str) -> None:
    h, w = a.shape[:2]
    depth = _r(rng, level, ((0.08, 0.18), (0.18, 0.32), (0.3, 0.5)))
    yy, xx = np.mgrid[0:h:8, 0:w:8].astype(np.float32)
    yy /= h
    xx /= w
    ang = rng.uniform(0, 2 * math.pi)
    lin = (xx * math.cos(ang) + yy * math.sin(ang)) + 1.0
    lin = (lin - lin.min()) / (np.ptp(lin) + 1e-6)
    cx, cy = rng.uniform(0.2, 0.8, 2)
    rad = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2)
    rad = rad / (rad.max() + 1e-6)
    f = 1.0 - depth * (0.6 * lin + 0.4 * rad)
    f = cv2.resize(f, (w, h), interpolation=cv2.INTER_LINEAR)
    tone = rng.uniform(0.9, 1.0)  # paper is rarely pure white
    a *= (f * tone)[:, :, None]


def _streaks(a: np.ndarray, rng: np.random.Generator, level: str) -> None:
    h, w = a.shape[:2]
    n = int(_r(rng, level, ((1, 3), (2, 5), (4, 9))))
    for _ in range(n):
        x = int(rng.integers(0, w))
        width = int(rng.integers(1, max(2, w // 600) + 3))
        y0 = int(rng.integers(0, h // 3)) if rng.random() < 0.4 else 0
        y1 = h - (int(rng.integers(0, h // 3)) if rng.random() < 0.4 else 0)
        dark = rng.uniform(0.35, 0.8) if level != "light" else rng.uniform(0.7, 0.9)
        a[y0:y1, x : x + width] *= dark
    if level == "heavy":  # toner band: a broad faint grey stripe
        x = int(rng.integers(0, w - w // 20))
        a[:, x : x + int(rng.integers(w // 60, w // 20))] *= rng.uniform(0.8, 0.92)


def _skew(a: np.ndarray, rng: np.random.Generator, level: str) -> np.ndarray:
    h, w = a.shape[:2]
    lim = (1.0, 2.0, 3.0)[_I[level]]
    angle = float(rng.uniform(0.3, lim)) * (1 if rng.random() < 0.5 else -1)
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    paper = float(np.percentile(a[::16, ::16, 1], 90))
    return cv2.warpAffine(a, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(paper, paper, paper))


def _borders(a: np.ndarray, rng: np.random.Generator, level: str) -> None:
    h, w = a.shape[:2]
    frac = _r(rng, level, ((0.01, 0.02), (0.015, 0.035), (0.02, 0.05)))
    sides = rng.permutation(4)[: int(rng.integers(1, 4))]
    for s in sides:
        band = int(frac * (w if s in (0, 1) else h) * rng.uniform(0.6, 1.4))
        # ragged inner edge: width varies smoothly along the side
        n = h if s in (0, 1) else w
        wobble = cv2.resize(rng.random((1, 12)).astype(np.float32), (n, 1), interpolation=cv2.INTER_CUBIC)[0]
        widths = np.clip(band * (0.7 + 0.6 * wobble), 1, None).astype(int)
        val = rng.uniform(15, 70)
        for i in range(0, n, 4):
            bw = int(widths[i])
            if s == 0:
                a[i : i + 4, :bw] = val
            elif s == 1:
                a[i : i + 4, w - bw :] = val
            elif s == 2:
                a[:bw, i : i + 4] = val
            else:
                a[h - bw :, i : i + 4] = val


def _low_dpi(a: np.ndarray, rng: np.random.Generator, level: str, keep: bool) -> tuple[np.ndarray, float]:
    h, w = a.shape[:2]
    s = _r(rng, level, ((0.6, 0.75), (0.5, 0.6), (0.4, 0.5)))
    small = cv2.resize(a, (max(1, round(w * s)), max(1, round(h * s))), interpolation=cv2.INTER_AREA)
    if keep:
        return small, small.shape[1] / w
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR), 1.0


def _blur(a: np.ndarray, rng: np.random.Generator, level: str, scale: float) -> np.ndarray:
    sigma = _r(rng, level, ((0.5, 0.9), (0.8, 1.3), (1.2, 1.7))) * scale
    return cv2.GaussianBlur(a, (0, 0), sigma)


def _noise(a: np.ndarray, rng: np.random.Generator, level: str) -> None:
    sigma = _r(rng, level, ((3, 7), (7, 13), (12, 20)))
    a += rng.normal(0, sigma, a.shape[:2]).astype(np.float32)[:, :, None]


def _speckle(a: np.ndarray, rng: np.random.Generator, level: str, scale: float) -> None:
    h, w = a.shape[:2]
    per_mpx = _r(rng, level, ((40, 120), (120, 400), (400, 1200)))
    n = int(per_mpx * h * w / 1e6)
    ys, xs = rng.integers(0, h, n), rng.integers(0, w, n)
    rs = np.maximum(1, (rng.gamma(1.5, 0.8, n) * scale)).astype(int)
    for y, x, r in zip(ys, xs, rs, strict=True):
        v = float(rng.uniform(0, 90)) if rng.random() < 0.85 else 255.0  # mostly dust, some drop-outs
        cv2.circle(a, (int(x), int(y)), int(r), (v, v, v), -1)


def _jpeg(a: np.ndarray, rng: np.random.Generator, level: str, colour: bool) -> np.ndarray:
    q = int(_r(rng, level, ((60, 85), (35, 60), (18, 35))))
    u = np.clip(a + 0.5, 0, 255).astype(np.uint8)
    im = Image.fromarray(u, "RGB") if colour else Image.fromarray(np.ascontiguousarray(u[:, :, 1]), "L")
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=q)
    buf.seek(0)
    return np.asarray(Image.open(buf).convert("RGB"), dtype=np.float32)


def degrade_detailed(
    image: Image.Image | np.ndarray,
    *,
    seed: int,
    level: str = "medium",
    kinds: list[str] | tuple[str, ...] | None = None,
    keep_low_dpi: bool | None = None,
) -> Degraded:
    """`degrade` plus what was applied and the output scale (for a page left at low dpi)."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    rng = np.random.default_rng(seed)
    if kinds is None:
        chosen = [k for k in KINDS if rng.random() < _P[level].get(k, 0.0)]
    else:
        unknown = set(kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown degradation kinds {sorted(unknown)}; known: {KINDS}")
        chosen = [k for k in KINDS if k in kinds]
    a, pil, colour = _to_float_rgb(image)
    a = a.copy()
    size_scale = min(a.shape[:2]) / 2480  # 1.0 for an A4 page at 300 dpi
    out_scale = 1.0
    for k in chosen:
        if k == "stamp":
            _stamp(a, rng, level)
            colour = True
        elif k == "lighting":
            _lighting(a, rng, level)
        elif k == "streaks":
            _streaks(a, rng, level)
        elif k == "skew":
            a = _skew(a, rng, level)
        elif k == "borders":
            _borders(a, rng, level)
        elif k == "low_dpi":
            keep = bool(rng.random() < 0.4) if keep_low_dpi is None else keep_low_dpi
            a, out_scale = _low_dpi(a, rng, level, keep)
        elif k == "blur":
            a = _blur(a, rng, level, size_scale * out_scale)
        elif k == "noise":
            _noise(a, rng, level)
        elif k == "speckle":
            _speckle(a, rng, level, max(1.0, size_scale * out_scale))
        elif k == "jpeg":
            a = _jpeg(a, rng, level, colour)
    return Degraded(_from_float_rgb(a, pil, colour), out_scale, chosen)


def degrade(
    image: Image.Image | np.ndarray,
    *,
    seed: int,
    level: str = "medium",
    kinds: list[str] | tuple[str, ...] | None = None,
) -> Image.Image | np.ndarray:
    """A degraded copy of a page image (PIL in, PIL out; gray/BGR array in, array out).

    kinds: subset of `KINDS` to apply at `level` strength; None draws a realistic mix for the level.
    Low dpi is sometimes left low (the image shrinks); use `degrade_detailed` to know the scale.
    """
    return degrade_detailed(image, seed=seed, level=level, kinds=kinds).image
