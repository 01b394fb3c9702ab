"""Real Tesseract on small pages the test renders: text, boxes, confidences, reading order, errors."""

from __future__ import annotations

import numpy as np
import pytest
from rapidfuzz.distance import Levenshtein

from vnplans.ocr import OcrUnavailable, check_tesseract, ocr_hocr, ocr_image
from vnplans.synth.render import render_page

LINES = [
    "Điều 2. Giao Sở Tài chính chủ trì, phối hợp với các đơn vị liên quan.",
    "Thời gian thực hiện: trước ngày mười lăm tháng tám.",
    "Kinh phí được bảo đảm từ nguồn ngân sách địa phương.",
]


@pytest.fixture(scope="module")
def rendered():
    rp = render_page(LINES, page_mm=(190, 60), margins_mm=(8, 8, 8, 8), size_pt=12, align="left", indent_mm=0)
    return np.asarray(rp.image), rp.lines


@pytest.fixture(scope="module")
def page(rendered):
    img, _ = rendered
    return ocr_image(img, dpi=300)


def test_reads_vietnamese(rendered, page) -> None:
    _, truth = rendered
    ref = " ".join(" ".join(truth).split())
    got = " ".join(page.text.split())
    assert Levenshtein.distance(ref, got) / len(ref) < 0.03


def test_words_have_boxes_and_confidences(rendered, page) -> None:
    img, _ = rendered
    h, w = img.shape
    assert page.width == w and page.height == h
    assert len(page.words) >= 25
    for wd in page.words:
        assert 0 <= wd.x0 < wd.x1 <= w and 0 <= wd.y0 < wd.y1 <= h
        assert 0 <= wd.conf <= 1
        # the box really holds ink
        assert img[wd.y0 : wd.y1, wd.x0 : wd.x1].min() < 128
    assert page.mean_conf > 0.8


def test_lines_in_reading_order(rendered, page) -> None:
    _, truth = rendered
    lines = page.lines()
    assert len(lines) == len(truth)
    tops = [ln.box[1] for ln in lines]
    assert tops == sorted(tops)
    for ln, t in zip(lines, truth, strict=True):
        assert Levenshtein.normalized_distance(ln.text, t) < 0.1
    assert sum(len(b) for b in page.blocks()) == len(lines)


def test_confidence_spans_point_at_words(page) -> None:
    spans = page.confidences()
    assert len(spans) == len(page.words)
    text = page.text
    for (a, b), wd in zip(spans, page.words, strict=True):
        assert text[a:b] == wd.text
        assert spans[(a, b)] == wd.conf


def test_bgr_input_and_hocr(rendered) -> None:
    img, _ = rendered
    crop = np.ascontiguousarray(img[: img.shape[0] // 2])
    bgr = np.repeat(crop[:, :, None], 3, axis=2)
    p = ocr_image(bgr, dpi=300, psm=6)
    assert "Điều" in p.text
    hocr = ocr_hocr(crop, dpi=300)
    assert b"ocrx_word" in hocr and "Điều".encode() in hocr


def test_missing_language_is_a_clear_error() -> None:
    with pytest.raises(OcrUnavailable, match="tesseract-ocr-klingon"):
        check_tesseract("vie+klingon")
    with pytest.raises(OcrUnavailable):
        ocr_image(np.full((50, 50), 255, np.uint8), lang="klingon")


def test_blank_page_has_no_words() -> None:
    p = ocr_image(np.full((300, 400), 255, np.uint8))
    assert p.words == [] and p.text == ""


def _bold_lines(lines: list[str]) -> np.ndarray:
    from PIL import Image, ImageDraw

    from vnplans.synth.render import load_font

    font = load_font("Liberation Serif", 58, "bold")  # 14 pt at 300 dpi
    img = Image.new("L", (1600, 120 * len(lines) + 80), 255)
    d = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        d.text((120, 60 + 120 * i), line, font=font, fill=0)
    return np.array(img)


@pytest.mark.parametrize("numeral", ["I", "II", "III"])
def test_roman_numerals_of_repeated_strokes_are_recounted(numeral: str) -> None:
    """Bold `III` and `II` lose or merge strokes in `vie` (`II`, `H`); the stem recount restores them."""
    img = _bold_lines([f"QUÝ {numeral}", f"{numeral}. TỔ CHỨC THỰC HIỆN"])
    lines = ocr_image(img, dpi=300).text.split("\n")
    assert f"QUÝ {numeral}" in lines
    assert f"{numeral}. TỔ CHỨC THỰC HIỆN" in lines


def test_sharp_pages_are_read_at_ocr_dpi_with_boxes_in_caller_pixels(rendered, page) -> None:
    """A 300-dpi page is handed to Tesseract at OCR_DPI; the boxes still land on the 300-dpi words."""
    from vnplans.ocr import OCR_DPI

    img, truth = rendered
    assert OCR_DPI < 300
    full = ocr_image(img, dpi=300, max_dpi=None)
    ref = " ".join(" ".join(truth).split())
    assert Levenshtein.distance(ref, " ".join(page.text.split())) / len(ref) < 0.03
    same = {w.text: w for w in full.words}
    matched = 0
    for w in page.words:
        f = same.get(w.text)
        if f is None:
            continue
        matched += 1
        assert abs(w.x0 - f.x0) <= 4 and abs(w.y0 - f.y0) <= 4 and abs(w.x1 - f.x1) <= 4, w.text
    assert matched >= 0.8 * len(page.words)


def test_look_alike_glyphs_read_as_the_common_ones() -> None:
    """`5⁄NQ-HĐND`, `QĐÐ`: the fraction slash and the eth are OCR look-alikes of `/` and `Đ`."""
    from vnplans.text.repair import repair
    from vnplans.text.syllable import GLYPH_TWINS

    assert "5⁄NQ-HĐND và 61∕QĐÐ-TTg".translate(GLYPH_TWINS) == "5/NQ-HĐND và 61/QĐĐ-TTg"
    assert "5/NQ-HĐND" in repair("Căn cứ Nghị quyết số 5⁄NQ-HĐND ngày 20 tháng 2", profile="vie")
