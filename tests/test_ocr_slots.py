"""The number's blank read again on its own, with real Tesseract on a rendered header line."""

from __future__ import annotations

import numpy as np
import pytest

from vnplans.ocr import OcrPage, OcrWord, get_engine, ocr_image
from vnplans.ocr.slots import HANDWRITTEN_CONF, reread_number
from vnplans.synth.render import render_page


def _header(number_line: str) -> np.ndarray:
    rp = render_page(
        ["BỘ CÔNG THƯƠNG", number_line, "THÔNG TƯ"],
        dpi=200, page_mm=(150, 60), margins_mm=(8, 8, 8, 8), size_pt=13, align="left", indent_mm=0,
    )  # fmt: skip
    img = np.asarray(rp.image)
    return img if img.ndim == 2 else img.min(axis=2)


def _misread(page: OcrPage, word: str, pieces: list[str]) -> OcrWord:
    """Split `word` on the page as OCR splits a handwritten number (`2 †` then `/2026/TT-BCT`)."""
    k = next(i for i, w in enumerate(page.words) if w.text == word)
    w = page.words[k]
    head = word.split("/", 1)[0]
    step = (w.x1 - w.x0) * len(head) // len(word) // len(pieces)
    made = [
        OcrWord(p, 0.6, w.x0 + i * step, w.y0, w.x0 + (i + 1) * step, w.y1, w.block, w.par, w.line)
        for i, p in enumerate(pieces)
    ]
    slash = OcrWord(
        word[len(head) :], w.conf, w.x0 + len(pieces) * step, w.y0, w.x1, w.y1, w.block, w.par, w.line
    )
    page.words[k : k + 1] = [*made, slash]
    return slash


def test_a_misread_number_is_read_again_as_digits() -> None:
    img = _header("Số: 21/2026/TT-BCT")
    page = ocr_image(img, dpi=200)
    slash = _misread(page, "21/2026/TT-BCT", ["2", "†"])
    assert "2 † /2026/TT-BCT" in page.text
    assert reread_number(img, page, get_engine(), "vie", 200) == "21"
    assert "Số: 21/2026/TT-BCT" in page.text
    assert slash.text == "21/2026/TT-BCT" and slash.conf <= HANDWRITTEN_CONF  # the doubt shows


def test_a_printed_number_and_a_blank_left_blank_are_left_alone() -> None:
    img = _header("Số: 21/2026/TT-BCT")
    page = ocr_image(img, dpi=200)
    before = page.text
    assert "21/2026/TT-BCT" in before
    assert reread_number(img, page, get_engine(), "vie", 200) is None and page.text == before
    blank = _header("Số:            /2026/TT-BCT")
    page = ocr_image(blank, dpi=200)
    k = next(i for i, w in enumerate(page.words) if w.text == "Số:")
    label = page.words[k]
    dust = OcrWord(
        "'", 0.3, label.x1 + 20, label.y0, label.x1 + 24, label.y0 + 5, label.block, label.par, label.line
    )
    page.words.insert(k + 1, dust)  # a speck read in the blank: the blank is looked at, and is blank
    before = page.text
    assert reread_number(blank, page, get_engine(), "vie", 200) is None and page.text == before


@pytest.mark.parametrize("line", ["Số liệu tổng hợp/báo cáo", "số: 2 † /2026/TT-BCT"])
def test_only_a_capital_number_label_before_a_symbol_counts(line) -> None:
    img = _header(line)
    page = ocr_image(img, dpi=200)
    before = page.text
    assert reread_number(img, page, get_engine(), "vie", 200) is None and page.text == before


def test_a_misread_day_and_month_are_read_again() -> None:
    """`ngày¿2§ tháng ¡ năm 2026`: the day glued to its label and the month read as a mark are read
    again as digits; a printed date is left alone."""
    from vnplans.ocr.slots import reread_date

    img = _header("Hà Nội, ngày 28 tháng 4 năm 2026")
    page = ocr_image(img, dpi=200)
    assert reread_date(img, page, get_engine(), "vie", 200) == {}  # printed: nothing to read again
    texts = [w.text for w in page.words]
    day, label, month = texts.index("28"), texts.index("ngày"), texts.index("4")
    lab, d, m = page.words[label], page.words[day], page.words[month]
    lab.text, lab.x1 = "ngày¿2§", d.x1  # the day glued onto `ngày`
    m.text, m.conf = "¡", 0.3
    del page.words[day]
    assert "ngày¿2§ tháng ¡ năm" in page.text
    assert reread_date(img, page, get_engine(), "vie", 200) == {"day": "28", "month": "4"}
    assert "ngày 28 tháng 4 năm 2026" in page.text
    read = {w.text: w.conf for w in page.words}
    assert read["28"] <= HANDWRITTEN_CONF and read["4"] <= HANDWRITTEN_CONF
