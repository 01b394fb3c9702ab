"""PDF pages: the text layer when it is good Vietnamese, otherwise a >= 300 dpi rendering for OCR.

PDFium (pypdfium2, pdfplumber's renderer) opens the file first: it is fast, tells encrypted from
corrupt, and renders; pdfplumber then reads the text layer. A page whose text layer is not clean
Vietnamese (scans, legacy TCVN3/VNI fonts, broken ToUnicode maps) is rendered *and* keeps its text,
so the pipeline can choose. Pages are produced one at a time.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import numpy as np

from ..errors import CorruptInput, EmptyInput, EncryptedInput, TooLargeInput

__all__ = ["RENDER_DPI", "MAX_PAGES", "MAX_PAGE_PIXELS", "pdf_page_count", "iter_pdf_pages", "assess_text"]

RENDER_DPI = 300
MIN_DPI = 150  # a huge page is rendered at less than RENDER_DPI, but never below this
MAX_PAGES = 2000
MAX_PAGE_PIXELS = 150_000_000
IMAGE_COVER = 0.3  # a clean text layer over images covering this share of the page: render too


def _open_pdfium(path: Path):  # -> pypdfium2.PdfDocument
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        # PDFium's error code can be left over from an earlier file in the same worker: confirm the
        # reason from the file itself, so the manifest does not depend on what a worker did before
        if _encrypted(path):
            raise EncryptedInput(path) from None
        if _pypdf_page_count(path) == 0:
            raise EmptyInput(path, "PDF has no pages") from None
        reason = str(e).split(" (PDFium")[0] if "password" in str(e).lower() else str(e)
        raise CorruptInput(path, f"PDF cannot be opened ({reason})") from None


def _encrypted(path: Path) -> bool:
    """An /Encrypt entry in the trailer, which is never itself encrypted (first and last MiB)."""
    with path.open("rb") as f:
        head = f.read(1 << 20)
        f.seek(max(0, path.stat().st_size - (1 << 20)))
        tail = f.read()
    return b"/Encrypt" in head or b"/Encrypt" in tail


def _pypdf_page_count(path: Path) -> int | None:
    import logging

    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.CRITICAL)  # its repair warnings are noise here: the file is refused anyway
    try:
        from pypdf import PdfReader

        return len(PdfReader(str(path)).pages)
    except Exception:  # unreadable to pypdf as well: corrupt
        return None
    finally:
        log.setLevel(level)


def pdf_page_count(path: str | Path) -> int:
    """Page count after the corrupt / encrypted / empty / page-cap checks."""
    path = Path(path)
    doc = _open_pdfium(path)
    try:
        n = len(doc)
    finally:
        doc.close()
    if n == 0:
        raise EmptyInput(path, "PDF has no pages")
    if n > MAX_PAGES:
        raise TooLargeInput(path, f"{n} pages exceed the limit of {MAX_PAGES}")
    return n


def assess_text(text: str) -> str:
    """Quality kind of a text layer: `vnplans.text.quality.assess` when present, else a simple check."""
    try:
        from ..text.quality import assess
    except ImportError:
        return _interim_kind(text)
    return assess(text).kind


def _interim_kind(text: str) -> str:
    """Until text.quality exists: clean if enough syllables carry Vietnamese diacritics."""
    from ..text.syllable import is_vietnamese_letter

    words = [w for w in text.split() if any(c.isalpha() for c in w)]
    if not words:
        return "empty"
    if "(cid:" in text or text.count("\ufffd") > len(words) // 50:
        return "garbled"
    letters = [c for w in words for c in w if c.isalpha()]
    foreign = sum(1 for c in letters if not c.isascii() and not is_vietnamese_letter(c))
    if foreign > len(letters) * 0.02:
        return "garbled"
    marked = sum(1 for w in words if any(not c.isascii() and c.isalpha() for c in w))
    if marked >= len(words) * 0.25:
        return "clean"
    return "stripped" if marked < len(words) * 0.02 else "garbled"


def _scan_dpi(page, w_pt: float, h_pt: float) -> int | None:  # page: PdfPage
    """Resolution of the scan a page is made of (one image over >= 90% of it), else None.

    Rendering a 200 ppi scan at 300 dpi resamples every pixel (and costs 2.25x the pixels); at its own
    resolution the page keeps the scanner's pixels, and preprocessing decides whether to upscale.
    """
    import pypdfium2.raw as pdfium_c

    try:
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=1):
            left, bottom, right, top = obj.get_bounds()
            if (right - left) * (top - bottom) >= 0.9 * w_pt * h_pt:
                meta = obj.get_metadata()
                return round(min(meta.horizontal_dpi, meta.vertical_dpi)) or None
    except Exception:  # an unreadable image object: render as any other page
        return None
    return None


def _render(path: Path, page, number: int, dpi: int) -> tuple[np.ndarray, int]:  # page: PdfPage
    w_pt, h_pt = page.get_size()
    native = _scan_dpi(page, w_pt, h_pt)
    if native:
        dpi = min(dpi, max(MIN_DPI, native))
    while dpi > MIN_DPI and (w_pt * dpi / 72) * (h_pt * dpi / 72) > MAX_PAGE_PIXELS:
        dpi = max(MIN_DPI, int(dpi * 0.8))
    if (w_pt * dpi / 72) * (h_pt * dpi / 72) > MAX_PAGE_PIXELS:
        raise TooLargeInput(path, f"page {number} ({w_pt:.0f}x{h_pt:.0f} pt) is too large to render")
    try:
        bitmap = page.render(scale=dpi / 72)
        arr = bitmap.to_numpy()  # BGR(x), OpenCV order
    except Exception as e:  # PDFium raises its own error types for broken content streams
        raise CorruptInput(path, f"page {number} cannot be rendered ({e})") from None
    arr = np.ascontiguousarray(arr[:, :, :3]) if arr.ndim == 3 else arr
    if arr.ndim == 3:
        sample = arr[::7, ::7].astype(np.int16)
        if int((sample.max(axis=2) - sample.min(axis=2)).max()) < 24:  # no colour (no stamp): save 2/3
            arr = np.ascontiguousarray(arr[:, :, 1])
    return arr, dpi


def _text_layers(path: Path, start: int = 0, stop: int | None = None) -> Iterator[tuple[str | None, float]]:
    """(text, share of the page covered by images) per page from `start`; (None, 0) when pdfminer cannot
    parse it. A page range parses only those pages (a worker's share of a split document)."""
    import pdfplumber

    wanted = None
    if start or stop is not None:
        wanted = list(range(start + 1, (MAX_PAGES if stop is None else stop) + 1))
    try:
        pdf = pdfplumber.open(path, pages=wanted)
    except Exception:  # pdfminer is stricter than PDFium: fall back to rendering everything
        while True:
            yield None, 0.0
    with pdf:
        for page in pdf.pages:
            try:
                text = unicodedata.normalize("NFC", page.extract_text() or "")
                area = float(page.width * page.height) or 1.0
                cover = sum(
                    max(0.0, float(im["x1"] - im["x0"])) * max(0.0, float(im["bottom"] - im["top"]))
                    for im in page.images
                )
                yield text, min(1.0, cover / area)
            except Exception:
                yield None, 0.0
            finally:
                with suppress(Exception):
                    page.close()  # drop pdfplumber's per-page object cache
        while True:
            yield None, 0.0


def iter_pdf_pages(
    path: str | Path, *, dpi: int = RENDER_DPI, render: str = "auto", start: int = 0, stop: int | None = None
) -> Iterator[tuple[str | None, np.ndarray | None, int | None, str | None]]:
    """(text, image, dpi, text_quality) per page, for pages `start` to `stop` (0-based, stop exclusive).

    render: "auto" renders pages without a clean text layer (or mostly images), "always" every
    page (searchable output), "never" none (text only). A page gives the same result whether it is
    read alone or with the whole document.
    """
    path = Path(path)
    if render not in ("auto", "always", "never"):
        raise ValueError(f"render must be auto|always|never, not {render!r}")
    doc = _open_pdfium(path)
    try:
        n = min(len(doc), MAX_PAGES, stop if stop is not None else MAX_PAGES)
        texts = _text_layers(path, start, stop)
        for i in range(start, n):
            text, cover = next(texts)
            quality = assess_text(text) if text is not None else None
            want = render == "always" or (render == "auto" and (quality != "clean" or cover >= IMAGE_COVER))
            image, used_dpi = None, None
            if want:
                try:
                    page = doc[i]
                except Exception as e:  # PdfiumError: a page object the file does not really hold
                    raise CorruptInput(path, f"page {i + 1} cannot be loaded ({e})") from None
                try:
                    image, used_dpi = _render(path, page, i + 1, dpi)
                finally:
                    page.close()
            yield (text or None), image, used_dpi, quality
        texts.close()
    finally:
        doc.close()
