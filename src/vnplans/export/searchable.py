"""Searchable PDF/A-2b: the scan's own pixels under an invisible layer of the corrected Vietnamese words.

Why: archives keep the scan as the record, but need it searchable and copyable with correct
diacritics. The page a user sees is the input's: a PDF's pages are kept as they are (image streams
untouched), an image is embedded losslessly (a JPEG byte for byte, anything else as Flate-compressed
pixels). OCR ran on the cleaned page, so each word box is mapped back through the preprocessing
(`pagemap`) onto the original, and placed with a text matrix (render mode 3, scaled to the box) so
selection lines up with the picture and `pdftotext` / pdfplumber return the corrected text.

pikepdf (qpdf) assembles the file: maintained, lossless on the input's objects. reportlab draws the
text layer, which embeds a subset of a TrueType font with Vietnamese glyphs (Liberation Serif) and its
ToUnicode map, as PDF/A requires; `pdfa` adds the XMP metadata and output intent.
"""

from __future__ import annotations

import difflib
import io
import unicodedata
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pikepdf
from PIL import Image, ImageOps

from vnplans.export.pdfa import DocMeta, finish_pdfa, save_pdfa
from vnplans.lexicon import fold_any as _fold
from vnplans.ocr import OcrPage, OcrWord

__all__ = ["write_searchable_pdf", "write_original_searchable", "align_corrected", "PageLayer"]

_FONT_NAME = "VnplansSerif"
A4_LONG_INCH = 297 / 25.4

PageItem = tuple[object, OcrPage, "str | Sequence[str] | None"]


@dataclass
class PageLayer:
    """One input page's text layer: the OCR words (corrected) on the cleaned page, and the matrix taking
    that page's pixels to the source page's (`pagemap.to_source`), sized `source_size` (w, h) pixels."""

    number: int  # 1-based page of the input
    ocr: OcrPage
    to_source: np.ndarray
    source_size: tuple[int, int]
    dpi: float | None = None  # of the source pixels (an image's tag, a PDF page's rendering)


def _register_font(path: str | Path | None) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if path is None:
        from vnplans.fonts import find_font

        path = find_font("Liberation Serif", "regular")
    name = f"{_FONT_NAME}-{Path(path).stem}"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


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


def _lines(words: Sequence[OcrWord]) -> list[list[int]]:
    lines: dict[tuple[int, int, int], list[int]] = {}
    for i, w in enumerate(words):
        lines.setdefault((w.block, w.par, w.line), []).append(i)
    return list(lines.values())


def _placements(
    ocr: OcrPage, corrected: str | Sequence[str] | None, to_user: np.ndarray, font: str
) -> list[tuple[str, tuple[float, ...]]]:
    """(text, text matrix at font size 1) per word: the word's box on the OCR grid, through `to_user`
    (OCR pixels -> PDF user space), with the baseline and size of its line and the box's width."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    texts = align_corrected(ocr.words, corrected)
    out: list[tuple[str, tuple[float, ...]]] = []
    for line in _lines(ocr.words):
        ws = [ocr.words[i] for i in line]
        base = float(np.median([w.y1 for w in ws]))
        size = max(1.0, float(np.median([w.y1 - w.y0 for w in ws])) * 0.85)
        todo = [(ocr.words[i], unicodedata.normalize("NFC", texts[i]).strip()) for i in line]
        todo = [(w, s) for w, s in todo if s]
        for j, (w, s) in enumerate(todo):
            natural = stringWidth(s, font, 1.0) or 1.0
            hscale = max(0.2, min(4.0, (w.x1 - w.x0) / (natural * size)))
            # text space (font size 1) -> OCR pixels: x along the box, y up from the baseline
            local = np.array([[hscale * size, 0.0, w.x0], [0.0, -size, base], [0.0, 0.0, 1.0]])
            m = to_user @ local
            tm = (m[0, 0], m[1, 0], m[0, 1], m[1, 1], m[0, 2], m[1, 2])
            out.append((s + (" " if j < len(todo) - 1 else ""), tuple(round(float(v), 4) for v in tm)))
    return out


def _text_layer(
    width: float, height: float, words: list[tuple[str, tuple[float, ...]]], font: str
) -> pikepdf.Pdf:
    """A one-page PDF with only invisible text (render mode 3), drawn by reportlab."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(width, height), invariant=1, pageCompression=1)
    c.setFont(font, 1.0)  # before the text object, so it names no other (unembedded) font
    t = c.beginText()
    t.setTextRenderMode(3)
    t.setFont(font, 1.0)
    for s, tm in words:
        t.setTextTransform(*tm)
        t.textOut(s)
    c.drawText(t)
    c.showPage()
    c.save()
    layer = pikepdf.open(io.BytesIO(buf.getvalue()))
    _drop_text(layer, layer.pages[0])
    return layer


_SHOW = {"Tj", "TJ", "'", '"'}


def _flate(pdf: pikepdf.Pdf, data: bytes) -> pikepdf.Stream:
    """A Flate-compressed stream (files are saved without recompressing, to keep the input's as is)."""
    stream = pikepdf.Stream(pdf, zlib.compress(data, 6))
    stream.Filter = pikepdf.Name.FlateDecode
    return stream


def _drop_text(pdf: pikepdf.Pdf, page: pikepdf.Page, *, invisible: bool = False) -> None:
    """Remove text objects that show nothing (reportlab opens each page with one naming Helvetica) and,
    with `invisible`, those drawn in render mode 3 (an earlier OCR layer, replaced by ours); then the
    fonts the page no longer names, so it uses only embedded fonts. Everything drawn stays."""
    ops = pikepdf.parse_content_stream(page)
    out: list = []
    block: list | None = None
    for operands, op in ops:
        name = str(op)
        if name == "BT":
            block = []
        if block is None:
            out.append((operands, op))
            continue
        block.append((operands, op))
        if name == "ET":
            shows = any(str(o) in _SHOW for _, o in block)
            hidden = any(str(o) == "Tr" and oper and int(oper[0]) == 3 for oper, o in block)
            if shows and not (invisible and hidden):
                out.extend(block)
            block = None
    if len(out) == len(ops):
        return
    page.obj.Contents = _flate(pdf, pikepdf.unparse_content_stream(out))
    resources = page.obj.get("/Resources")
    fonts = resources.get("/Font") if resources is not None else None
    xobjects = resources.get("/XObject") if resources is not None else None
    if fonts is None or any(  # a form without resources of its own would use the page's
        x.get("/Subtype") == "/Form" and "/Resources" not in x for x in (xobjects or {}).values()
    ):
        return
    used = {str(operands[0]) for operands, op in out if str(op) == "Tf" and operands}
    for key in list(fonts.keys()):
        if key not in used:
            del fonts[key]


def _graft(pdf: pikepdf.Pdf, page: pikepdf.Page, layer: pikepdf.Pdf, origin: tuple[float, float]) -> None:
    """Lay the text layer's page over `page` as a form XObject, the page's own content untouched."""
    form = pdf.copy_foreign(pikepdf.Page(layer.pages[0]).as_form_xobject())
    name = page.add_resource(form, pikepdf.Name.XObject, _free_name(page, "VnText"))
    page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
    ox, oy = origin
    page.contents_add(pikepdf.Stream(pdf, f"Q\nq 1 0 0 1 {ox:g} {oy:g} cm {name} Do Q\n".encode()))


def _free_name(page: pikepdf.Page, stem: str) -> pikepdf.Name:
    """A resource name the page does not use yet; fixed, not random (pikepdf's `prefix` is), so the
    same input gives the same file."""
    resources = page.obj.get("/Resources")
    used = set(resources.get("/XObject", {}).keys()) if resources is not None else set()
    n = 0
    while f"/{stem}{n or ''}" in used:
        n += 1
    return pikepdf.Name(f"/{stem}{n or ''}")


def _page_box(page: pikepdf.Page) -> tuple[float, float, float, float]:
    box = page.obj.get("/CropBox") or _inherited(page.obj, "/CropBox") or page.mediabox
    x0, y0, x1, y1 = (float(v) for v in box)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _inherited(obj: pikepdf.Object, key: str) -> pikepdf.Object | None:
    seen = 0
    while obj is not None and seen < 64:
        if key in obj:
            return obj[key]
        obj = obj.get("/Parent")
        seen += 1
    return None


def _display_to_user(page: pikepdf.Page, size_px: tuple[int, int]) -> np.ndarray:
    """Source pixels of a rendered PDF page (top-left origin, rotation applied, as PDFium renders the
    crop box) -> the page's user space."""
    x0, y0, x1, y1 = _page_box(page)
    rot = int(_inherited(page.obj, "/Rotate") or 0) % 360
    w, h = x1 - x0, y1 - y0
    dw, dh = (h, w) if rot in (90, 270) else (w, h)
    kx, ky = dw / max(1, size_px[0]), dh / max(1, size_px[1])
    scale = np.diag([kx, ky, 1.0])  # pixels -> display points, y down
    if rot == 90:
        d = np.array([[0, 1, x0], [1, 0, y0], [0, 0, 1]], dtype=float)
    elif rot == 180:
        d = np.array([[-1, 0, x1], [0, 1, y0], [0, 0, 1]], dtype=float)
    elif rot == 270:
        d = np.array([[0, -1, x1], [-1, 0, y1], [0, 0, 1]], dtype=float)
    else:
        d = np.array([[1, 0, x0], [0, -1, y1], [0, 0, 1]], dtype=float)
    return d @ scale


def _overlay(pdf: pikepdf.Pdf, page: pikepdf.Page, layer: PageLayer, to_user: np.ndarray, font: str) -> None:
    mx0, my0, mx1, my1 = (float(v) for v in page.mediabox)
    origin = (min(mx0, mx1), min(my0, my1))
    shift = np.array([[1, 0, -origin[0]], [0, 1, -origin[1]], [0, 0, 1]], dtype=float)
    words = _placements(layer.ocr, None, shift @ to_user @ layer.to_source, font)
    if words:
        _graft(pdf, page, _text_layer(abs(mx1 - mx0), abs(my1 - my0), words, font), origin)


def _image_xobject(pdf: pikepdf.Pdf, im: Image.Image, raw: bytes | None) -> pikepdf.Stream:
    """The frame as an image XObject: a plain JPEG's own bytes, else its exact pixels, Flate-compressed."""
    if raw is not None and im.mode in ("L", "RGB", "CMYK"):  # raw: a JPEG file's bytes
        cs = {"L": pikepdf.Name.DeviceGray, "RGB": pikepdf.Name.DeviceRGB, "CMYK": pikepdf.Name.DeviceCMYK}
        s = pikepdf.Stream(pdf, raw)
        s.Filter = pikepdf.Name.DCTDecode
        s.ColorSpace = cs[im.mode]
        if im.mode == "CMYK" and "adobe" in im.info:  # Adobe's inverted CMYK JPEGs
            s.Decode = pikepdf.Array([1, 0] * 4)
        bpc, mode = 8, im.mode
    else:
        alpha = None
        if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
            im = im.convert("RGBA" if im.mode != "LA" else "LA")
            alpha = im.getchannel("A")
            im = im.convert("RGB" if im.mode == "RGBA" else "L")
        if im.mode == "1":
            data, bpc, mode = im.tobytes(), 1, "L"
        elif im.mode in ("I;16", "I;16B", "I;16L", "I"):
            arr = np.asarray(im)
            if arr.max(initial=0) > 65535 or arr.min(initial=0) < 0:
                im, arr = im.convert("L"), None
            data, bpc, mode = (
                (arr.astype(">u2").tobytes(), 16, "L") if arr is not None else (im.tobytes(), 8, "L")
            )
        else:
            if im.mode not in ("L", "RGB"):
                im = im.convert("RGB")
            data, bpc, mode = im.tobytes(), 8, im.mode
        s = pikepdf.Stream(pdf, zlib.compress(data, 6))
        s.Filter = pikepdf.Name.FlateDecode
        s.ColorSpace = pikepdf.Name.DeviceGray if mode == "L" else pikepdf.Name.DeviceRGB
        if alpha is not None:
            mask = pikepdf.Stream(pdf, zlib.compress(alpha.tobytes(), 6))
            mask.Type, mask.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
            mask.Width, mask.Height = alpha.width, alpha.height
            mask.ColorSpace, mask.BitsPerComponent = pikepdf.Name.DeviceGray, 8
            mask.Filter = pikepdf.Name.FlateDecode
            s.SMask = mask
    s.Type, s.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    s.Width, s.Height, s.BitsPerComponent = im.width, im.height, bpc
    return s


def _image_page(pdf: pikepdf.Pdf, im: Image.Image, raw: bytes | None, dpi: float | None) -> pikepdf.Page:
    res = dpi or max(im.size) / A4_LONG_INCH
    w, h = im.width * 72.0 / res, im.height * 72.0 / res
    pdf.add_blank_page(page_size=(w, h))
    page = pdf.pages[-1]
    name = page.add_resource(_image_xobject(pdf, im, raw), pikepdf.Name.XObject, _free_name(page, "Im"))
    page.contents_add(pikepdf.Stream(pdf, f"q {w:.4f} 0 0 {h:.4f} 0 0 cm {name} Do Q\n".encode()))
    return page


def _image_to_user(page: pikepdf.Page, size_px: tuple[int, int]) -> np.ndarray:
    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    kx, ky = (x1 - x0) / size_px[0], (y1 - y0) / size_px[1]
    return np.array([[kx, 0, x0], [0, -ky, y1], [0, 0, 1]], dtype=float)


def _frames(path: Path) -> Iterator[tuple[Image.Image, bytes | None]]:
    """The frames of an image file as ingest reads them (EXIF-upright when single), one at a time, with
    the file's bytes where they can go into the PDF as they are (a single upright JPEG)."""
    with Image.open(path) as im:
        n = int(getattr(im, "n_frames", 1))
        if n == 1:
            im.load()
            if im.getexif().get(0x0112, 1) not in (0, 1):  # EXIF orientation: turned as ingest turned it
                yield ImageOps.exif_transpose(im), None
            else:
                yield im.copy(), path.read_bytes() if im.format == "JPEG" else None
            return
        for i in range(n):
            im.seek(i)
            im.load()
            yield im.copy(), None


def write_original_searchable(
    source: str | Path,
    layers: Sequence[PageLayer],
    out_path: str | Path,
    *,
    meta: DocMeta | None = None,
    font_path: str | Path | None = None,
) -> Path:
    """A PDF/A-2b of the input's own pages with the corrected words as an invisible layer; atomic.

    `source` is the input file: a PDF (its pages kept; an earlier invisible OCR layer is dropped on
    the pages that have a new one) or an image (every frame embedded losslessly). Pages without a
    layer are kept as they are (a PDF page whose text layer was already good).
    """
    source = Path(source)
    font = _register_font(font_path)
    by_number = {layer.number: layer for layer in layers}
    with source.open("rb") as fh:
        head = fh.read(1024)
    with pikepdf.open(source) if b"%PDF-" in head else pikepdf.new() as pdf:
        if b"%PDF-" in head:
            for number, page in enumerate(pdf.pages, start=1):
                layer = by_number.get(number)
                if layer is None:
                    continue
                _drop_text(pdf, page, invisible=True)
                _overlay(pdf, page, layer, _display_to_user(page, layer.source_size), font)
        else:
            for number, (im, raw) in enumerate(_frames(source), start=1):
                layer = by_number.get(number)
                dpi = layer.dpi if layer is not None and layer.dpi else _image_dpi(im)
                page = _image_page(pdf, im, raw, dpi)
                if layer is not None:
                    _overlay(pdf, page, layer, _image_to_user(page, im.size), font)
        finish_pdfa(pdf, meta or DocMeta())
        return save_pdfa(pdf, out_path)


def _image_dpi(im: Image.Image) -> float | None:
    dpi = im.info.get("dpi")
    try:
        x = float(dpi[0] if isinstance(dpi, tuple | list) else dpi)
    except (TypeError, ValueError, IndexError):
        return None
    return x if 100 <= x <= 2400 else None


def write_searchable_pdf(
    pages: Sequence[PageItem],
    out_path: str | Path,
    *,
    dpi: float | None = None,
    font_path: str | Path | None = None,
    title: str | None = None,
    meta: DocMeta | None = None,
) -> Path:
    """A PDF/A-2b of page images in memory with invisible corrected text on the word boxes; atomic.

    pages: (image, OcrPage, corrected) per page; image is PIL or an array (gray, or BGR as OpenCV
    loads it) on the OcrPage's pixel grid, embedded losslessly; corrected is None, a string per word,
    or the page text. dpi: resolution of the images; None assumes A4 pages (the long side is 297 mm).
    For a scan on disk, `write_original_searchable` keeps the file's own pixels instead.
    """
    font = _register_font(font_path)
    pdf = pikepdf.new()
    for image, ocr, corrected in pages:
        img = _to_pil(image)
        page = _image_page(pdf, img, None, dpi)
        to_user = _image_to_user(page, img.size) @ np.diag(
            [img.width / max(1, ocr.width), img.height / max(1, ocr.height), 1.0]
        )
        mx0, my0, mx1, my1 = (float(v) for v in page.mediabox)
        words = _placements(ocr, corrected, to_user, font)
        if words:
            _graft(pdf, page, _text_layer(mx1 - mx0, my1 - my0, words, font), (0.0, 0.0))
    finish_pdfa(pdf, meta or DocMeta(title=title))
    return save_pdfa(pdf, out_path)


def _to_pil(image: object) -> Image.Image:
    if isinstance(image, Image.Image):
        return image if image.mode in ("L", "RGB") else image.convert("RGB")
    arr = np.asarray(image)
    if arr.dtype != np.uint8:
        arr = np.clip(arr, 0, 255).astype(np.uint8)
    if arr.ndim == 3:
        return Image.fromarray(np.ascontiguousarray(arr[:, :, 2::-1]), "RGB")  # BGR (OpenCV) -> RGB
    return Image.fromarray(arr, "L")
