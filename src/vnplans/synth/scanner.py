"""Pages as archives really hold them: a printed page through an office scanner's bilevel or JPEG mode.

`degrade.py` makes hard synthetic pages (raw Tesseract misses ~17% of syllables on them); real
government scans are milder and different: mostly 1-bit at 200 dpi (the scanner thresholds a
slightly soft image, so thin tone marks break or vanish), some colour JPEG at 150-200 ppi, with a
red seal, a little dust and a small skew. Raw Tesseract `vie` reads such pages at 90-95% of
syllables (the real scan in `bench/data/realscans`: 89%, with its receipt stamp). The two profiles
here are calibrated to that range (`python -m bench.bench_ocr --calibrate` prints raw Tesseract's
error per profile), so a step that helps here is likely to help on real scans.

Physical order: toner on paper (stroke weight varies with the printer), seal ink, placement on the
glass (skew), optics (blur at scan resolution), sensor noise, then the file: a global threshold
(bilevel) or JPEG (colour). Same (image, seed, profile) -> same page.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image

from .degrade import _stamp

__all__ = ["PROFILES", "ScannedPage", "scan_like", "decree30_style"]

PROFILES = ("bilevel", "jpeg")


@dataclass
class ScannedPage:
    image: np.ndarray  # uint8: gray 0/255 for bilevel, BGR for jpeg
    dpi: int
    profile: str
    applied: list[str] = field(default_factory=list)


_ITALIC_OPENERS = ("căn cứ", "theo đề nghị", "xét đề nghị", "thực hiện", "theo quyết định", "xét tờ trình")
_ARTICLE = re.compile(r"^(Điều|Chương|Mục|Phần)\s+[\dIVXLC]+\b")


def decree30_style(paragraph: str) -> str:
    """The face a Decree 30 document prints a paragraph in: legal bases in italics, headings in bold.

    The real scan's errors sit mostly in its italic preamble (`số` -> `sô`, `ổn` -> `ôn`); pages set
    all in upright type were far easier for Tesseract than real pages.
    """
    p = paragraph.strip()
    if p.lower().startswith(_ITALIC_OPENERS):
        return "italic"
    letters = [c for c in p if c.isalpha()]
    if (letters and sum(c.isupper() for c in letters) > 0.8 * len(letters)) or (
        _ARTICLE.match(p) and len(p) < 160
    ):
        return "bold"
    return "regular"


def _toner(gray: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Stroke weight of the print: a soft threshold that thickens or thins every stroke a little."""
    soft = cv2.GaussianBlur(gray, (0, 0), float(rng.uniform(0.6, 1.0)))
    level = float(rng.uniform(140, 200))  # < 128 thins strokes, > 128 thickens them
    return np.clip((soft - level) * 4.0 + 128.0, 0, 255)


def _dust(a: np.ndarray, rng: np.random.Generator, dpi: int) -> int:
    """A few dark specks (dust on the glass, paper fibres): far fewer than `degrade`'s heavy levels."""
    h, w = a.shape[:2]
    n = int(rng.integers(10, 80))
    ys, xs = rng.integers(0, h, n), rng.integers(0, w, n)
    r = max(1, dpi // 200)
    for y, x in zip(ys, xs, strict=True):
        cv2.circle(a, (int(x), int(y)), int(rng.integers(0, r + 1)), (float(rng.uniform(0, 80)),) * 3, -1)
    return n


def scan_like(
    page: Image.Image | np.ndarray, *, seed: int, profile: str = "bilevel", src_dpi: int = 300
) -> ScannedPage:
    """A rendered `src_dpi` page (white paper, gray) as an archive's scan in `profile`."""
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {PROFILES}, not {profile!r}")
    rng = np.random.default_rng(seed)
    gray = np.asarray(page.convert("L") if isinstance(page, Image.Image) else page, dtype=np.float32)
    applied: list[str] = []
    a = _toner(gray, rng)
    rgb = np.repeat(a[:, :, None], 3, axis=2)
    if rng.random() < 0.4:  # seal over the signature or text
        _stamp(rgb, rng, "light")
        applied.append("seal")
    if profile == "jpeg":
        tint = np.array([rng.uniform(238, 255), rng.uniform(232, 252), rng.uniform(220, 248)], np.float32)
        rgb = rgb / 255.0 * tint  # paper tint (RGB), ink stays dark
    h, w = rgb.shape[:2]
    angle = float(rng.uniform(-0.7, 0.7))
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    paper = tuple(float(v) for v in np.percentile(rgb[::16, ::16].reshape(-1, 3), 90, axis=0))
    rgb = cv2.warpAffine(rgb, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=paper)
    applied.append(f"skew:{angle:.2f}")
    dpi = 200 if profile == "bilevel" else int(rng.choice([150, 175, 200]))
    f = dpi / src_dpi
    rgb = cv2.resize(rgb, (round(w * f), round(h * f)), interpolation=cv2.INTER_AREA)
    rgb = cv2.GaussianBlur(rgb, (0, 0), float(rng.uniform(0.5, 0.9)))
    applied.append(f"dust:{_dust(rgb, rng, dpi)}")
    rgb += rng.normal(0, float(rng.uniform(3, 9)), rgb.shape[:2]).astype(np.float32)[:, :, None]
    if profile == "bilevel":
        g = cv2.cvtColor(np.clip(rgb, 0, 255).astype(np.uint8), cv2.COLOR_RGB2GRAY)
        t = int(rng.integers(120, 170))
        applied.append(f"threshold:{t}")
        return ScannedPage(np.where(g < t, 0, 255).astype(np.uint8), dpi, profile, applied)
    q = int(rng.integers(45, 80))
    buf = io.BytesIO()
    Image.fromarray(np.clip(rgb + 0.5, 0, 255).astype(np.uint8), "RGB").save(buf, "JPEG", quality=q)
    applied.append(f"jpeg:{q}")
    out = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))[:, :, ::-1]
    return ScannedPage(np.ascontiguousarray(out), dpi, profile, applied)
