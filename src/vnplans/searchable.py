"""Searchable PDF: each page image with an invisible text layer of the corrected Vietnamese text.

Why: archives keep the scan as the record, but need it searchable and copyable with correct
diacritics. Words are placed on their OCR boxes (text render mode 3, horizontally scaled to the box
width) so selection lines up with the picture and `pdftotext` / pdfplumber return the corrected text.
The font is embedded (a TrueType with Vietnamese glyphs, Liberation Serif by default), so extraction
gives Unicode, not glyph ids.
"""

from __future__ import annotations

import difflib
import io
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image

from vnplans.atomic import atomic_write_bytes
from vnplans.ocr import OcrPage, OcrWord

__all__ = ["write_searchable_pdf", "align_corrected"]

_FONT_NAME = "VnplansSerif"
A4_LONG_INCH = 297 / 25.4

PageItem = tuple[object, OcrPage, "str | Sequence[str] | None"]


def _register_font(path: str | Path | None) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if path is None:
        from vnplans.synth.render import find_font

        path = find_font("Liberation Serif", "regular")
    name = f"{_FONT_NAME}-{Path(path).stem}"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFD", s.lower()).replace("đ", "d")
    return "".join(ch for ch in s if not unicodedata.combining(ch))


def align_corrected(words: Sequence[OcrWord], corrected: str | Sequence[str] | None) -> list[str]:
    """The corrected text for each OCR word box.

    `corrected` is None (use the OCR text), one string per word, or the corrected page text, which
    is aligned to the words on diacritic-folded tokens; tokens the alignment cannot pair are spread
    over the unmatched boxes in order, so no corrected text is lost.
    """
    ocr = [w.text for w in words]
    if corrected is None:
        return ocr
    if not isinstance(corrected, str):
        out = list(corrected)
        if len(out) != len(ocr):
            raise ValueError(f"{len(out)} corrected words for {len(ocr)} OCR words")
        return out
    toks = corrected.split()
    if len(toks) == len(ocr):
        return toks
    out = [""] * len(ocr)
    sm = difflib.SequenceMatcher(None, [_fold(t) for t in ocr], [_fold(t) for t in toks], autojunk=False)
    for op, i0, i1, j0, j1 in sm.get_opcodes():
        if op == "equal" or (op == "replace" and i1 - i0 == j1 - j0):
            out[i0:i1] = toks[j0:j1]
        elif op == "replace":
            n, m = i1 - i0, j1 - j0
            for k in range(n):
                out[i0 + k] = " ".join(toks[j0 + k * m // n : j0 + (k + 1) * m // n])
        elif op == "insert":
            extra = " ".join(toks[j0:j1])
            if i0 > 0:
                out[i0 - 1] = (out[i0 - 1] + " " + extra).strip()
            elif out:
                out[0] = (extra + " " + out[0]).strip()
    return out


def _to_pil(image: object) -> Image.Image:
    if isinstance(image, Image.Image):
        return image if image.mode in ("L", "RGB") else image.convert("RGB")
    arr = np.asarray(image)
    if arr.dtype != np.uint8:
        arr = np.clip(arr, 0, 255).astype(np.uint8)
    if arr.ndim == 3:
        return Image.fromarray(np.ascontiguousarray(arr[:, :, 2::-1]), "RGB")  # BGR (OpenCV) -> RGB
    return Image.fromarray(arr, "L")


def _lines(words: Sequence[OcrWord]) -> list[list[int]]:
    lines: dict[tuple[int, int, int], list[int]] = {}
    for i, w in enumerate(words):
        lines.setdefault((w.block, w.par, w.line), []).append(i)
    return list(lines.values())


def write_searchable_pdf(
    pages: Sequence[PageItem],
    out_path: str | Path,
    *,
    dpi: float | None = None,
    jpeg_quality: int = 75,
    font_path: str | Path | None = None,
    title: str | None = None,
) -> Path:
    """Write a PDF of page images with invisible corrected text on the word boxes; atomic.

    pages: (image, OcrPage, corrected) per page; image is PIL or an array (gray, or BGR as OpenCV
    loads it) on the OcrPage's pixel grid; corrected is None, a string per word, or the page text.
    dpi: resolution of the images; None assumes A4 pages (the long side is 297 mm).
    Photographic pages are stored as JPEG, two-tone (binarised) pages losslessly.
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    font = _register_font(font_path)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1, pageCompression=1)
    c.setCreator("vnplans")
    if title:
        c.setTitle(title)
    for image, ocr, corrected in pages:
        img = _to_pil(image)
        res = dpi or max(img.size) / A4_LONG_INCH
        k = 72.0 / res  # points per pixel
        pw, ph = img.width * k, img.height * k
        c.setPageSize((pw, ph))
        sx, sy = img.width / max(1, ocr.width), img.height / max(1, ocr.height)
        c.drawImage(_encoded(img, jpeg_quality), 0, 0, pw, ph)
        texts = align_corrected(ocr.words, corrected)
        for line in _lines(ocr.words):
            ws = [ocr.words[i] for i in line]
            base = float(np.median([w.y1 for w in ws])) * sy
            size = max(1.0, float(np.median([w.y1 - w.y0 for w in ws])) * sy * k * 0.85)
            t = c.beginText()
            t.setTextRenderMode(3)
            t.setFont(font, size)
            todo = [(ocr.words[i], unicodedata.normalize("NFC", texts[i]).strip()) for i in line]
            todo = [(w, s) for w, s in todo if s]
            for j, (w, s) in enumerate(todo):
                natural = stringWidth(s, font, size) or 1.0
                scale = min(400.0, max(20.0, (w.x1 - w.x0) * sx * k / natural * 100))
                t.setHorizScale(scale)
                t.setTextOrigin(w.x0 * sx * k, ph - base * k)
                t.textOut(s + (" " if j < len(todo) - 1 else ""))
            c.drawText(t)
        c.showPage()
    c.save()
    out = Path(out_path)
    atomic_write_bytes(out, buf.getvalue())
    return out


def _encoded(img: Image.Image, quality: int) -> object:
    """The page as reportlab embeds it: JPEG passed through for photos, Flate for two-tone pages.

    An in-memory reader (not a temp file) keeps the PDF byte-identical from run to run.
    """
    from reportlab.lib.utils import ImageReader

    if len(np.unique(np.asarray(img)[::7, ::7])) <= 2:
        return ImageReader(img.convert("L"))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality, optimize=True)
    buf.seek(0)
    return ImageReader(buf)
