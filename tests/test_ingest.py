"""Ingest on real files written by the test: images by PIL, PDFs by reportlab/pypdf."""

from __future__ import annotations

import hashlib
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from vnplans.errors import CorruptInput, EmptyInput, EncryptedInput, TooLargeInput, UnsupportedInput
from vnplans.ingest import iter_pages, load, probe, read_pages
from vnplans.ingest.detect import detect_kind
from vnplans.synth.render import find_font, render_paragraphs

TEXT = "Ủy ban nhân dân tỉnh ban hành kế hoạch triển khai công tác chuyển đổi số năm nay"


def _page(size=(400, 200)) -> Image.Image:
    im = Image.new("RGB", size, "white")
    ImageDraw.Draw(im).rectangle((50, 50, 150, 120), fill=(0, 0, 0))
    return im


def _pdf_pages(path: Path, pages: list[tuple[list[str], Image.Image | None]]) -> Path:
    """A real PDF (reportlab): per page, text lines drawn as a text layer over an optional full-page image."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("LSerif", str(find_font("Liberation Serif"))))
    c = canvas.Canvas(str(path), pagesize=A4)
    for lines, image in pages:
        if image is not None:
            c.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
        if lines:
            c.setFont("LSerif", 13)
            for i, line in enumerate(lines):
                c.drawString(72, 760 - 18 * i, line)
        c.showPage()
    c.save()
    return path


def _pdf(path: Path, lines: list[str] | None = None, image: Image.Image | None = None) -> Path:
    return _pdf_pages(path, [(lines or [], image)])


@pytest.mark.parametrize("fmt,kind", [("PNG", "png"), ("JPEG", "jpeg"), ("WEBP", "webp"), ("BMP", "bmp")])
def test_image_kinds_by_content_not_extension(tmp_path: Path, fmt: str, kind: str) -> None:
    p = tmp_path / "scan.dat"  # misleading / missing extension
    _page().save(p, format=fmt, dpi=(300, 300))
    doc = load(p)
    assert doc.kind == kind
    assert len(doc.pages) == 1
    pg = doc.pages[0]
    assert pg.image is not None and pg.image.shape[:2] == (200, 400)
    assert pg.image.dtype == np.uint8
    # black box stays black, white paper stays white, whatever the codec
    assert pg.image[85, 100].max() < 40 and pg.image[10, 10].min() > 215
    assert doc.sha256 == hashlib.sha256(p.read_bytes()).hexdigest()
    if fmt in ("PNG", "JPEG"):
        assert pg.dpi == 300


def test_multipage_tiff_and_lazy_iteration(tmp_path: Path) -> None:
    p = tmp_path / "multi.tif"
    frames = [_page(), Image.new("L", (120, 90), 200), Image.new("1", (64, 48), 1)]
    frames[0].save(p, save_all=True, append_images=frames[1:], dpi=(200, 200), compression="tiff_lzw")
    assert probe(p).page_count == 3
    it = iter_pages(p)
    first = next(it)
    assert first.number == 1 and first.image.shape == (200, 400, 3) and first.dpi == 200
    rest = list(it)
    assert [r.image.shape for r in rest] == [(90, 120), (48, 64)]
    assert rest[1].image.max() == 255  # 1-bit white stays white after conversion


def _multipage_pdf(path: Path) -> Path:
    """Page 1 a clean text layer, page 2 a scan, page 3 a stripped text layer over a scan."""
    scan = render_paragraphs([TEXT], dpi=100)
    return _pdf_pages(path, [([TEXT], None), ([], scan), (["Uy ban nhan dan tinh ban hanh ke hoach"], scan)])


def test_a_page_range_reads_like_the_whole_document(tmp_path: Path) -> None:
    tif = tmp_path / "multi.tif"
    frames = [_page(), Image.new("L", (120, 90), 200), _page((300, 100))]
    frames[0].save(tif, save_all=True, append_images=frames[1:], dpi=(200, 200), compression="tiff_lzw")
    for path in (tif, _multipage_pdf(tmp_path / "mixed.pdf")):
        whole = load(path).pages
        doc = probe(path, digest=False)
        assert doc.sha256 == "" and doc.page_count == 3
        for first, last in ((1, 1), (2, 3), (3, 3)):
            part = list(read_pages(doc, first, last))
            assert [p.number for p in part] == list(range(first, last + 1))
            for got, want in zip(part, whole[first - 1 : last], strict=True):
                assert (got.text, got.text_quality, got.dpi) == (want.text, want.text_quality, want.dpi)
                assert (got.image is None) == (want.image is None)
                assert got.image is None or np.array_equal(got.image, want.image)
        with pytest.raises(ValueError, match="not within"):
            read_pages(doc, 3, 4)  # refused before any page is read
    assert [p.image is None for p in load(tmp_path / "mixed.pdf").pages] == [True, False, False]


def test_transparent_png_lands_on_white(tmp_path: Path) -> None:
    p = tmp_path / "alpha.png"
    im = Image.new("RGBA", (50, 40), (0, 0, 0, 0))
    ImageDraw.Draw(im).rectangle((10, 10, 20, 20), fill=(0, 0, 0, 255))
    im.save(p)
    a = load(p).pages[0].image
    assert a[0, 0].min() == 255 and a[15, 15].max() == 0


@pytest.mark.parametrize("mode", ["L", "RGB"])
def test_a_photo_turned_by_its_exif_tag_is_read_upright(tmp_path: Path, mode: str) -> None:
    """Phones store a page sideways with an EXIF orientation: the page comes out upright, as stored
    pixels turned by the tag (in place, no copy), and an untagged page as its pixels."""
    upright = _page((400, 200)).convert(mode)
    ImageDraw.Draw(upright).rectangle((0, 0, 30, 30), fill=0)  # a mark in the top left corner
    exif = Image.Exif()
    exif[0x0112] = 6  # the stored image's top is the page's right side: turn 90 degrees clockwise
    p = tmp_path / "sideways.png"
    upright.transpose(Image.Transpose.ROTATE_90).save(p, exif=exif)
    a = load(p).pages[0].image
    want = np.asarray(upright) if mode == "L" else np.asarray(upright)[..., ::-1]  # BGR
    assert a.shape == want.shape and np.array_equal(a, want)
    plain = tmp_path / "plain.png"
    upright.save(plain)
    assert np.array_equal(load(plain).pages[0].image, want)


def test_pdf_with_clean_text_layer_is_not_rendered(tmp_path: Path) -> None:
    doc = load(_pdf(tmp_path / "t.pdf", [TEXT, "Điều 1. Phê duyệt kế hoạch thực hiện"]))
    assert doc.kind == "pdf"
    pg = doc.pages[0]
    assert pg.text_quality == "clean"
    assert TEXT in pg.text
    assert pg.image is None
    # searchable output wants every page as an image too
    pg2 = load(tmp_path / "t.pdf", render="always").pages[0]
    assert pg2.image is not None and pg2.text == pg.text


def test_scanned_pdf_is_rendered_at_its_scan_resolution_never_below_150_dpi(tmp_path: Path) -> None:
    # a full-page 100 ppi scan: its own resolution would be too coarse to render at; 150 is the floor,
    # and preprocessing decides about upscaling from there
    scan = render_paragraphs([TEXT], dpi=100)
    doc = load(_pdf(tmp_path / "scan.pdf", image=scan))
    pg = doc.pages[0]
    assert pg.text is None and pg.dpi == 150
    assert pg.image is not None
    # A4 at 150 dpi is 1240 x 1754
    assert abs(pg.image.shape[0] - 1754) <= 2 and abs(pg.image.shape[1] - 1240) <= 2


def test_pdf_with_stripped_text_layer_keeps_text_and_renders(tmp_path: Path) -> None:
    stripped = "Uy ban nhan dan tinh ban hanh ke hoach trien khai cong tac chuyen doi so nam nay"
    pg = load(_pdf(tmp_path / "s.pdf", [stripped] * 3)).pages[0]
    assert pg.text_quality != "clean"
    assert stripped in pg.text
    assert pg.image is not None


def test_encrypted_pdf(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    src = _pdf(tmp_path / "plain.pdf", [TEXT])
    w = PdfWriter(clone_from=str(src))
    w.encrypt("mật khẩu", algorithm="RC4-128")
    enc = tmp_path / "enc.pdf"
    with enc.open("wb") as f:
        w.write(f)
    with pytest.raises(EncryptedInput, match="encrypted"):
        load(enc)
    with pytest.raises(EncryptedInput):
        iter_pages(enc)  # refused before the first page is asked for


def test_pdf_refusal_reason_does_not_depend_on_the_previous_file(tmp_path: Path) -> None:
    """PDFium's last error outlives a document: after an encrypted PDF, a page-less one was "encrypted"."""
    from pypdf import PdfWriter

    nopages = tmp_path / "nopages.pdf"
    PdfWriter().write(str(nopages))
    locked = tmp_path / "locked.pdf"
    w = PdfWriter()
    w.add_blank_page(200, 200)
    w.encrypt("pw")
    w.write(str(locked))
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.4\n" + b"x" * 500)
    for _ in range(2):
        with pytest.raises(EmptyInput, match="no pages"):
            load(nopages)
        with pytest.raises(EncryptedInput):
            load(locked)
        with pytest.raises(CorruptInput):
            load(junk)


def test_corrupt_inputs(tmp_path: Path) -> None:
    src = _pdf(tmp_path / "plain.pdf", [TEXT]).read_bytes()
    (tmp_path / "cut.pdf").write_bytes(src[: len(src) // 3])
    with pytest.raises(CorruptInput):
        load(tmp_path / "cut.pdf")
    buf = tmp_path / "full.png"
    _page((800, 600)).save(buf)
    data = buf.read_bytes()
    (tmp_path / "cut.png").write_bytes(data[: len(data) // 2])
    with pytest.raises(CorruptInput):
        load(tmp_path / "cut.png")


def test_empty_and_unsupported(tmp_path: Path) -> None:
    (tmp_path / "empty.pdf").write_bytes(b"")
    with pytest.raises(EmptyInput):
        load(tmp_path / "empty.pdf")
    (tmp_path / "blob.bin").write_bytes(bytes(range(256)) * 10)
    with pytest.raises(UnsupportedInput):
        load(tmp_path / "blob.bin")
    (tmp_path / "blank.txt").write_text("  \n\n ", encoding="utf-8")
    with pytest.raises(EmptyInput):
        load(tmp_path / "blank.txt")


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims a huge image; the pixel data would be tiny if ever decoded."""

    def chunk(tag: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def test_decompression_bomb_refused_from_header(tmp_path: Path) -> None:
    p = tmp_path / "bomb.png"
    p.write_bytes(_png_header_only(60000, 60000))
    with pytest.raises(TooLargeInput, match="too large|limit"):
        load(p)


def test_text_file(tmp_path: Path) -> None:
    p = tmp_path / "plan.txt"
    p.write_text(TEXT + "\n", encoding="utf-8")
    doc = load(p)
    assert doc.kind == "text"
    assert doc.pages[0].text.strip() == TEXT and doc.pages[0].image is None
    assert doc.pages[0].text_quality == "clean"


def test_detect_kind_signatures() -> None:
    assert detect_kind(b"%PDF-1.7\n...") == "pdf"
    assert detect_kind(b"II*\x00" + b"\x00" * 20) == "tiff"
    assert detect_kind(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "webp"
    assert detect_kind("Kế hoạch số 12".encode()) == "text"
    assert detect_kind(b"\x00\x01\x02\x03" * 10, "x.txt") is None
