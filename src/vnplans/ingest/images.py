"""Raster inputs (PNG, JPEG, TIFF incl. multi-page, WebP, BMP, GIF) to numpy pages, one frame at a time.

Every frame's size is checked against `MAX_PIXELS` from the header, before any pixel is decoded,
so a decompression bomb costs nothing; PIL's own bomb check is turned into the same clear error.
Pages are decoded lazily so a 200-page TIFF never sits in memory at once.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from ..errors import CorruptInput, EmptyInput, TooLargeInput

__all__ = ["MAX_PIXELS", "MAX_PAGES", "image_page_count", "iter_image_pages", "to_array"]

MAX_PIXELS = 150_000_000  # per page: an A3 page at 600 dpi is 70 MP; more is a bomb or a poster
MAX_PAGES = 2000
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, TypeError)


def _open(path: Path) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # we check sizes ourselves
            return Image.open(path)
    except Image.DecompressionBombError as e:
        raise TooLargeInput(path, f"image is too large to decode safely ({e})") from None
    except _DECODE_ERRORS as e:
        raise CorruptInput(path, f"cannot read image header ({type(e).__name__}: {e})") from None


def image_page_count(path: str | Path) -> int:
    """Number of frames (TIFF pages), after the page-count cap; raises the ingest errors."""
    path = Path(path)
    with _open(path) as im:
        try:
            n = int(getattr(im, "n_frames", 1))
        except _DECODE_ERRORS as e:
            raise CorruptInput(path, f"cannot count image frames ({type(e).__name__}: {e})") from None
        if n < 1:
            raise EmptyInput(path, "image has no frames")
        if n > MAX_PAGES:
            raise TooLargeInput(path, f"{n} frames exceed the limit of {MAX_PAGES} pages")
        _check_size(path, im, 1)
        return n


def _check_size(path: Path, im: Image.Image, number: int) -> None:
    w, h = im.size
    if w <= 0 or h <= 0:
        raise EmptyInput(path, f"page {number} has no pixels")
    if w * h > MAX_PIXELS:
        raise TooLargeInput(path, f"page {number} is {w}x{h} pixels, above the {MAX_PIXELS:,} pixel limit")


def _dpi(im: Image.Image) -> int | None:
    """Resolution from the file, or None when absent or a screen default (72/96) that scanners never use."""
    dpi = im.info.get("dpi")
    try:
        x = float(dpi[0] if isinstance(dpi, tuple | list) else dpi)
    except (TypeError, ValueError, IndexError):
        return None
    return round(x) if 100 <= x <= 2400 else None


def to_array(im: Image.Image) -> np.ndarray:
    """A decoded PIL image as uint8 gray (H, W) or BGR (H, W, 3); transparency goes onto white paper."""
    mode = im.mode
    # no `convert` to the mode the image has: it copies the page (0.01 s on an A4 colour scan)
    if mode == "L":
        return np.asarray(im)
    if mode in ("1", "P;L"):
        return np.asarray(im.convert("L"))
    if mode.startswith(("I", "F")):  # 16/32-bit gray scans: stretch to 8 bits
        a = np.asarray(im, dtype=np.float32)
        lo, hi = float(a.min()), float(a.max())
        return ((a - lo) * (255.0 / (hi - lo)) if hi > lo else np.zeros_like(a)).astype(np.uint8)
    if mode in ("LA", "La") or (mode == "P" and "transparency" in im.info) or mode in ("RGBA", "RGBa", "PA"):
        rgba = im.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        im = Image.alpha_composite(paper, rgba)
    import cv2  # its channel swap is ~6x numpy's strided copy (0.03 s on an A4 colour scan)

    return cv2.cvtColor(np.asarray(im if im.mode == "RGB" else im.convert("RGB")), cv2.COLOR_RGB2BGR)


def iter_image_pages(
    path: str | Path, *, start: int = 0, stop: int | None = None
) -> Iterator[tuple[np.ndarray, int | None]]:
    """(array, dpi) per frame from `start` to `stop` (0-based, stop exclusive), decoded one at a time,
    upright per EXIF orientation."""
    path = Path(path)
    im = _open(path)
    try:
        n = int(getattr(im, "n_frames", 1))
        for i in range(start, min(n, MAX_PAGES, stop if stop is not None else MAX_PAGES)):
            try:
                im.seek(i)
            except _DECODE_ERRORS as e:
                raise CorruptInput(path, f"cannot seek to page {i + 1} ({type(e).__name__}: {e})") from None
            _check_size(path, im, i + 1)
            dpi = _dpi(im)
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                    im.load()
                    if n == 1:  # in place: a copy of every upright page cost 0.01 s
                        ImageOps.exif_transpose(im, in_place=True)
                    frame = im
                    arr = to_array(frame)
            except Image.DecompressionBombError as e:
                raise TooLargeInput(path, str(e)) from None
            except _DECODE_ERRORS as e:
                raise CorruptInput(
                    path, f"page {i + 1} cannot be decoded ({type(e).__name__}: {e})"
                ) from None
            yield arr, dpi
    finally:
        im.close()
