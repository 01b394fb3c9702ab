"""Render plain Vietnamese text to a page image, as a word processor would print it.

Used to make OCR training and benchmark material whose ground truth is known exactly: channel
training renders clean corpus text, runs Tesseract on it and aligns the output back to the source.
Pages are grayscale `PIL.Image` (mode "L", white paper). `mild_scan` adds the light blur, noise,
resampling and JPEG artefacts of an office scanner; heavier, document-level degradation lives in
`synth/degrade.py`.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from vnplans.fonts import FONT_FILES, find_font

from .tables import PlacedTable, is_table_row, place_table, table_rows

__all__ = [
    "FONT_FILES",
    "find_font",
    "load_font",
    "RenderedPage",
    "wrap_text",
    "render_page",
    "render_paragraphs",
    "mild_scan",
]


@lru_cache(maxsize=64)
def load_font(name: str, size_px: int, style: str = "regular") -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(find_font(name, style)), size_px)


@dataclass
class RenderedPage:
    """A rendered page and the exact text of each printed line (the ground truth for OCR)."""

    image: Image.Image
    lines: list[str]
    dpi: int


def wrap_text(
    text: str, font: ImageFont.FreeTypeFont, width_px: int, *, first_indent_px: int = 0
) -> list[str]:
    """Greedy word wrap by rendered width (what a word processor does for justified text)."""
    words = text.split()
    lines: list[str] = []
    cur: list[str] = []
    limit = width_px - first_indent_px
    for w in words:
        trial = " ".join([*cur, w])
        if cur and font.getlength(trial) > limit:
            lines.append(" ".join(cur))
            cur = [w]
            limit = width_px
        else:
            cur.append(w)
    if cur:
        lines.append(" ".join(cur))
    return lines


def _draw_line(
    draw: ImageDraw.ImageDraw,
    text: str,
    x: int,
    y: int,
    width: int,
    font: ImageFont.FreeTypeFont,
    align: str,
    last: bool,
) -> None:
    if align == "center":
        draw.text((x + (width - font.getlength(text)) / 2, y), text, font=font, fill=0)
    elif align == "right":
        draw.text((x + width - font.getlength(text), y), text, font=font, fill=0)
    elif align == "justify" and not last and " " in text:
        words = text.split(" ")
        total = sum(font.getlength(w) for w in words)
        gap = (width - total) / (len(words) - 1)
        if gap > font.getlength(" ") * 3:  # a short line would look absurd stretched
            draw.text((x, y), text, font=font, fill=0)
            return
        cx = float(x)
        for w in words:
            draw.text((cx, y), w, font=font, fill=0)
            cx += font.getlength(w) + gap
    else:
        draw.text((x, y), text, font=font, fill=0)


def render_page(
    paragraphs: list[str],
    *,
    font: str = "Liberation Serif",
    size_pt: float = 13,
    dpi: int = 300,
    page_mm: tuple[float, float] = (210, 297),
    margins_mm: tuple[float, float, float, float] = (20, 20, 30, 15),  # top, bottom, left, right
    line_spacing: float = 1.15,
    para_spacing_pt: float = 6,
    align: str = "justify",
    indent_mm: float = 10,
    bold: bool = False,
    overflow: str = "clip",
    style_of: Callable[[str], str] | None = None,
    tables: bool = False,
) -> RenderedPage:
    """Lay out paragraphs on one page; returns the image and the printed lines in order.

    Paragraphs that do not fit are clipped (`overflow="clip"`) or the page grows (`"grow"`), so the
    returned `lines` are always exactly the text on the image. Text is NFC-normalised so precomposed
    glyphs are used, as in real documents. `style_of(paragraph)` -> "regular" | "bold" | "italic"
    sets a paragraph's face (Decree 30 prints legal bases in italics, headings in bold). `tables`:
    runs of markdown table rows are printed as tables (`synth.tables`), not as their text.
    """
    px_per_mm = dpi / 25.4
    size_px = max(6, round(size_pt * dpi / 72))
    base = load_font(font, size_px, "bold" if bold else "regular")
    W, H = round(page_mm[0] * px_per_mm), round(page_mm[1] * px_per_mm)
    top, bottom, left, right = (round(m * px_per_mm) for m in margins_mm)
    width = W - left - right
    step = round(size_px * line_spacing * 1.15)
    gap = round(para_spacing_pt * dpi / 72)
    indent = round(indent_mm * px_per_mm) if align == "justify" else 0
    placed: list[tuple[str, int, int, bool, str, ImageFont.FreeTypeFont]] = []  # + last-of-paragraph, align
    grids: list[tuple[PlacedTable, int, int]] = []
    truth: list[str] = []
    y = top
    k = 0
    while k < len(paragraphs):
        if tables and is_table_row(paragraphs[k]):
            end = k
            while end < len(paragraphs) and is_table_row(paragraphs[end]):
                end += 1
            rows = table_rows(paragraphs[k:end])
            if rows and len(rows[0]) == 1:  # one column of text: printed as paragraphs
                paragraphs = paragraphs[:k] + [r[0] for r in rows] + paragraphs[end:]
                continue
            k = end
            if not rows:
                continue
            room = H - bottom - y if overflow == "clip" else 10**9
            table = place_table(
                rows, regular=load_font(font, size_px), bold=load_font(font, size_px, "bold"),
                width=width, step=step, dpi=dpi, room=room,
            )  # fmt: skip
            if table is None:
                break
            grids.append((table, left, y))
            truth.extend(table.lines)
            y += table.height + gap
            if len(table.lines) < len(rows):
                break
            continue
        para = unicodedata.normalize("NFC", paragraphs[k])
        k += 1
        f = load_font(font, size_px, style_of(para)) if style_of else base
        wrapped = wrap_text(para, f, width, first_indent_px=indent)
        stop = False
        for i, line in enumerate(wrapped):
            if overflow == "clip" and y + step > H - bottom:
                stop = True
                break
            x = left + (indent if i == 0 else 0)
            placed.append((line, x, y, i == len(wrapped) - 1, align, f))
            truth.append(line)
            y += step
        if stop:
            break
        y += gap
    if overflow == "grow":
        H = max(H, y + bottom)
    img = Image.new("L", (W, H), 255)
    draw = ImageDraw.Draw(img)
    for text, x, ly, last, al, f in placed:
        w = width - (x - left)
        _draw_line(draw, text, x, ly, w, f, al, last)
    for table, x, ty in grids:
        table.draw(draw, x, ty)
    return RenderedPage(img, truth, dpi)


def render_paragraphs(
    paragraphs: list[str],
    *,
    font: str = "Liberation Serif",
    size_pt: float = 13,
    dpi: int = 300,
    **kwargs: object,
) -> Image.Image:
    """Render paragraphs to one page image (grayscale, white background); see `render_page`."""
    return render_page(paragraphs, font=font, size_pt=size_pt, dpi=dpi, **kwargs).image  # type: ignore[arg-type]


def mild_scan(
    image: Image.Image,
    *,
    seed: int = 0,
    blur: float | None = None,
    noise: float | None = None,
    scale: float | None = None,
    jpeg_quality: int | None = None,
    ink: int = 0,
    threshold: int | None = None,
) -> Image.Image:
    """Office-scanner look: slight blur, downscale/upscale resampling, sensor noise, JPEG.

    Unset parameters are drawn from mild ranges with `seed`, so a page set is reproducible.
    `ink` > 1 spreads dark strokes by that many pixels (toner bleed, a photocopy of a photocopy:
    thin crossbars and marks fill in), `threshold` binarises the result as fax/bitonal scanners
    do. Both default to off, so existing page sets render exactly as before.
    """
    rng = np.random.default_rng(seed)
    blur = float(rng.uniform(0.3, 1.0)) if blur is None else blur
    noise = float(rng.uniform(2, 10)) if noise is None else noise
    scale = float(rng.uniform(0.6, 1.0)) if scale is None else scale
    jpeg_quality = int(rng.integers(35, 85)) if jpeg_quality is None else jpeg_quality
    img = image.convert("L")
    if ink > 1:
        img = img.filter(ImageFilter.MinFilter(ink if ink % 2 else ink + 1))
    if blur > 0:
        img = img.filter(ImageFilter.GaussianBlur(blur))
    if scale < 0.999:
        small = img.resize(
            (max(1, round(img.width * scale)), max(1, round(img.height * scale))), Image.BILINEAR
        )
        img = small.resize(img.size, Image.BILINEAR)
    if noise > 0:
        arr = np.asarray(img, dtype=np.float32) + rng.normal(0, noise, (img.height, img.width))
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")
    if jpeg_quality < 100:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=jpeg_quality)
        buf.seek(0)
        img = Image.open(buf).convert("L")
    if threshold is not None:
        img = img.point(lambda v: 0 if v < threshold else 255)
    return img
