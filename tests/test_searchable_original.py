"""Searchable PDF/A on the scan's own pixels: real pages, real Tesseract, the whole pipeline.

What an archive checks: the image in the output is the input's (same bytes for JPEG and PDF image
streams, same pixels for PNG), the corrected words come out of the layer where they are printed
(also on a skewed, upscaled page), and the file identifies as PDF/A-2b with embedded fonts, an sRGB
output intent and the record's metadata.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import unicodedata
from pathlib import Path

import cv2
import numpy as np
import pdfplumber
import pikepdf
import pytest
from PIL import Image, ImageDraw

from vnplans.export.pdfa import DocMeta
from vnplans.export.searchable import PageLayer, write_original_searchable
from vnplans.image.pagemap import apply, to_source
from vnplans.ocr import ocr_image
from vnplans.pipeline import build_record, process_document, write_searchable
from vnplans.synth.render import render_page
from vnplans.text.syllable import strip_diacritics

LINES = [
    "ỦY BAN NHÂN DÂN TỈNH BẮC NINH",
    "Số: 27/KH-UBND",
    "KẾ HOẠCH",
    "Triển khai công tác cải cách hành chính năm 2024",
    "Các sở, ban, ngành chủ động thực hiện và báo cáo kết quả về Sở Nội vụ trước ngày 15 tháng 12.",
]


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _scan(dpi: int, angle: float = 0.0) -> Image.Image:
    """A colour page with a red seal, optionally skewed, as a scanner would give it."""
    page = render_page(LINES, dpi=dpi, page_mm=(210, 120), margins_mm=(12, 10, 20, 15))
    im = page.image.convert("RGB")
    d = ImageDraw.Draw(im)
    r = dpi // 3
    cx, cy = im.width * 2 // 3, im.height * 3 // 4
    d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(210, 30, 40), width=max(2, dpi // 50))
    if angle:
        im = im.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=(255, 255, 255))
    return im


def _images(pdf: pikepdf.Pdf) -> list[pikepdf.Stream]:
    return [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]


def _fold(s: str) -> str:
    return strip_diacritics(nfc(s)).lower().strip(".,:;")


def _check_pdfa(path: Path) -> pikepdf.Pdf:
    pdf = pikepdf.open(path)
    assert pdf.check_pdf_syntax() == []  # qpdf's structural check: xref, streams, object graph
    assert pdf.pdf_version >= "1.7"
    meta = pdf.open_metadata()
    assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
    assert "/Filter" not in pdf.Root.Metadata  # XMP stays readable as text
    (intent,) = pdf.Root.OutputIntents
    assert intent.S == "/GTS_PDFA1"
    icc = intent.DestOutputProfile
    assert int(icc.N) == 3 and icc.read_bytes()[36:40] == b"acsp" and icc.read_bytes()[16:20] == b"RGB "
    assert "/ID" in pdf.trailer
    fonts = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/Font"]
    assert fonts
    for font in fonts:
        desc = font.get("/FontDescriptor")
        assert desc is not None and any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), font
        assert "/ToUnicode" in font
    return pdf


def _matched_centres(path: Path, source: Image.Image, dpi: float) -> list[float]:
    """Distances (pt) between layer words and the same words Tesseract finds on the source image
    itself (no preprocessing), for words that occur once in both."""
    raw = ocr_image(np.asarray(source.convert("L")), lang="vie")
    k = 72.0 / dpi
    ref: dict[str, list[tuple[float, float]]] = {}
    for w in raw.words:
        ref.setdefault(_fold(w.text), []).append(((w.x0 + w.x1) / 2 * k, (w.y0 + w.y1) / 2 * k))
    with pdfplumber.open(path) as doc:
        words = doc.pages[0].extract_words()
    got: dict[str, list[tuple[float, float]]] = {}
    for w in words:
        got.setdefault(_fold(w["text"]), []).append(((w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2))
    return [
        float(np.hypot(got[t][0][0] - ref[t][0][0], got[t][0][1] - ref[t][0][1]))
        for t in got
        if len(t) >= 3 and len(got[t]) == 1 and len(ref.get(t, [])) == 1
    ]


@pytest.mark.slow
def test_png_scan_skewed_keeps_pixels_and_places_words(tmp_path: Path) -> None:
    dpi = 150
    scan = _scan(dpi, angle=2.0)
    src = tmp_path / "scan.png"
    scan.save(src, dpi=(dpi, dpi))
    result = process_document(src)
    page = result.pages[0]
    assert any(s.startswith("deskew") for s in page.preprocessing)
    assert any(s.startswith("upscale") for s in page.preprocessing)  # OCR ran on another grid
    record = build_record(result, name=src.name)
    out = tmp_path / "scan.pdf"
    write_searchable(result, out, record)

    pdf = _check_pdfa(out)
    (img,) = _images(pdf)
    pixels = np.asarray(pikepdf.PdfImage(img).as_pil_image().convert("RGB"))
    assert np.array_equal(pixels, np.asarray(scan))  # the red seal and every pixel as scanned
    assert (float(pdf.pages[0].mediabox[2]), float(pdf.pages[0].mediabox[3])) == pytest.approx(
        (scan.width * 72 / dpi, scan.height * 72 / dpi), abs=0.01
    )

    with pdfplumber.open(out) as doc:
        layer = [nfc(w["text"]) for w in doc.pages[0].extract_words()]
    placed = [nfc(w.text) for w in page.ocr.words]  # the corrected words, in order
    assert difflib.SequenceMatcher(None, layer, placed).ratio() > 0.9
    assert {"HOẠCH", "Triển", "cải", "cách", "chính"} <= set(layer)

    dist = _matched_centres(out, scan, dpi)
    assert len(dist) >= 12
    assert float(np.median(dist)) < 3.0 and max(dist) < 12.0  # points; a line is ~13 pt apart

    xmp = pdf.open_metadata()
    h = record.header
    assert h.authority and xmp["dc:creator"] == [h.authority]
    if h.title:
        assert xmp["dc:title"] == h.title
    if h.number:
        assert xmp["dc:identifier"].startswith(h.number)


def test_jpeg_goes_in_byte_for_byte(tmp_path: Path) -> None:
    src = tmp_path / "scan.jpg"
    _scan(200).save(src, quality=85, dpi=(200, 200))
    result = process_document(src)
    out = tmp_path / "scan.pdf"
    write_searchable(result, out, None)
    pdf = _check_pdfa(out)
    (img,) = _images(pdf)
    assert img.Filter == "/DCTDecode" and img.read_raw_bytes() == src.read_bytes()
    with pdfplumber.open(out) as doc:
        assert "Nội" in nfc(doc.pages[0].extract_text())


def _pdf_with_old_layer(scan: Image.Image, dpi: int) -> bytes:
    """A scanner's PDF: the JPEG page plus an invisible text layer of an earlier, bad OCR."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    jpeg = io.BytesIO()
    scan.save(jpeg, format="JPEG", quality=80)
    w, h = scan.width * 72 / dpi, scan.height * 72 / dpi
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(w, h))
    c.drawImage(ImageReader(io.BytesIO(jpeg.getvalue())), 0, 0, width=w, height=h)
    t = c.beginText(40, h - 60)
    t.setTextRenderMode(3)
    t.textLine("OLDLAYER Uy ban nhan dan tinh Bac Ninh")
    c.drawText(t)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_pdf_keeps_its_image_stream_and_replaces_the_old_layer(tmp_path: Path) -> None:
    src = tmp_path / "scan.pdf"
    src.write_bytes(_pdf_with_old_layer(_scan(200), 200))
    with pikepdf.open(src) as original:
        before = [i.read_raw_bytes() for i in _images(original)]
    with pdfplumber.open(src) as doc:
        assert "OLDLAYER" in doc.pages[0].extract_text()
    result = process_document(src, force_ocr=True)
    assert result.pages[0].route == "ocr"
    out = tmp_path / "out.pdf"
    write_searchable(result, out, None)
    pdf = _check_pdfa(out)
    assert [i.read_raw_bytes() for i in _images(pdf)] == before
    with pdfplumber.open(out) as doc:
        text = nfc(doc.pages[0].extract_text())
    assert "OLDLAYER" not in text
    assert "HOẠCH" in text and "Nội" in text


def test_metadata_and_pages_without_a_layer(tmp_path: Path) -> None:
    """Given metadata lands in XMP and Info alike; a page with no layer is kept as it was."""
    src = tmp_path / "two.tiff"
    frames = [_scan(150), _scan(150).convert("L")]
    frames[0].save(src, save_all=True, append_images=frames[1:], dpi=(150, 150), compression="tiff_lzw")
    ocr = ocr_image(np.asarray(frames[0].convert("L")), lang="vie")
    layer = PageLayer(1, ocr, np.eye(3), frames[0].size, 150)
    meta = DocMeta(
        title="Kế hoạch cải cách", identifier="27/KH-UBND", date=dt.date(2024, 3, 5), issuer="UBND"
    )
    out = write_original_searchable(src, [layer], tmp_path / "two.pdf", meta=meta)
    pdf = _check_pdfa(out)
    assert len(pdf.pages) == 2
    imgs = [pikepdf.PdfImage(i).as_pil_image() for i in _images(pdf)]
    assert sorted(i.mode for i in imgs) == ["L", "RGB"]
    for im in imgs:
        want = frames[0] if im.mode == "RGB" else frames[1]
        assert np.array_equal(np.asarray(im), np.asarray(want))
    xmp = pdf.open_metadata()
    assert xmp["dc:title"] == "Kế hoạch cải cách" and xmp["dc:identifier"] == "27/KH-UBND"
    assert xmp["dc:date"] == ["2024-03-05"] and xmp["dc:creator"] == ["UBND"]
    assert str(pdf.docinfo["/Title"]) == "Kế hoạch cải cách"
    with pdfplumber.open(out) as doc:
        assert "Nội" in nfc(doc.pages[0].extract_text())
        assert not (doc.pages[1].extract_text() or "").strip()


@pytest.mark.parametrize(
    "steps", [["deskew:-3.00"], ["orient:90"], ["orient:270", "upscale:2.00"], ["orient:180"]]
)
def test_pagemap_undoes_the_geometry(steps: list[str]) -> None:
    """A dot moved by the real OpenCV operations comes back to where it was on the source."""
    w, h = 300, 200
    src = np.full((h, w), 255, np.uint8)
    sx, sy = 70, 50
    cv2.circle(src, (sx, sy), 3, 0, -1)
    img = src
    for step in steps:
        name, value = step.split(":")
        if name == "deskew":
            ih, iw = img.shape
            m = cv2.getRotationMatrix2D((iw / 2, ih / 2), -float(value), 1.0)
            img = cv2.warpAffine(img, m, (iw, ih), borderValue=255)
        elif name == "orient":
            code = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
            img = cv2.rotate(img, code[int(value)])
        else:
            img = cv2.resize(img, None, fx=float(value), fy=float(value), interpolation=cv2.INTER_CUBIC)
    ys, xs = np.nonzero(img < 128)
    matrix, exact = to_source((w, h), steps, (img.shape[1], img.shape[0]))
    assert exact
    x, y = apply(matrix, float(xs.mean()) + 0.5, float(ys.mean()) + 0.5)
    assert abs(x - (sx + 0.5)) < 1.5 and abs(y - (sy + 0.5)) < 1.5


def test_every_step_that_moves_no_pixel_keeps_the_map_exact() -> None:
    """A clean-up step the map does not know made it fall back to a plain scale, so a deskewed page
    with a seal taken off put its words off their print (word exports, the searchable PDF)."""
    from vnplans.image.preprocess import ALL_STEPS

    moving = {"deskew", "orient", "upscale"}
    steps = ["deskew:1.00", *(f"{s}:1" for s in ALL_STEPS if s not in moving)]
    assert to_source((1000, 1400), steps, (1000, 1400))[1]


def test_rotated_pdf_page_gets_its_words_where_they_show(tmp_path: Path) -> None:
    """A page stored sideways with /Rotate 90 (as some scanners write them): PDFium renders it
    upright, OCR reads it upright, and the layer goes back into the page's own user space."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    dpi = 200
    upright = _scan(dpi).convert("L")
    stored = upright.rotate(90, expand=True)
    jpeg = io.BytesIO()
    stored.save(jpeg, "JPEG", quality=85)
    w, h = stored.width * 72 / dpi, stored.height * 72 / dpi
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(w, h))
    c.drawImage(ImageReader(io.BytesIO(jpeg.getvalue())), 0, 0, width=w, height=h)
    c.showPage()
    c.save()
    src = tmp_path / "rotated.pdf"
    with pikepdf.open(io.BytesIO(buf.getvalue())) as pdf:
        pdf.pages[0].Rotate = 90
        pdf.save(src)
    result = process_document(src, force_ocr=True)
    out = tmp_path / "out.pdf"
    write_searchable(result, out, None)
    _check_pdfa(out)
    dist = _matched_centres(out, upright, dpi)  # pdfplumber gives positions as the page shows
    assert len(dist) >= 12
    assert float(np.median(dist)) < 3.0 and max(dist) < 12.0
