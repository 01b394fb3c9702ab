"""A receipt stamp (`CÔNG VĂN ĐẾN`) is kept out of a scanned page's text, through real Tesseract on a
rendered header with a stamp drawn over it; and text that only shares a stamp's words is left alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import ImageDraw

from vnplans.layout.stamps import find_receipt_stamp, take_receipt_stamp
from vnplans.ocr import OcrPage, OcrWord
from vnplans.synth.render import load_font, render_page

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")

DPI = 200
_HEADER = [
    "BỘ CÔNG THƯƠNG",
    "Số: 21/2026/TT-BCT",
    "THÔNG TƯ",
    "Quy định về kinh doanh xăng dầu",
    "Căn cứ Luật Thương mại ngày 14 tháng 6 năm 2005; theo đề nghị của Vụ trưởng Vụ Pháp chế, Bộ "
    "trưởng Bộ Công Thương ban hành Thông tư quy định về kinh doanh xăng dầu.",
]
_STAMP = ["VĂN PHÒNG CHÍNH PHỦ", "CÔNG VĂN ĐẾN", "Giờ ........ Ngày ..........", "Kính chuyển .........."]


def _page_with_stamp(tmp: Path) -> Path:
    rp = render_page(_HEADER, dpi=DPI, page_mm=(210, 140), align="left", indent_mm=0, size_pt=13)
    img = rp.image.convert("L")
    draw = ImageDraw.Draw(img)
    font = load_font("Liberation Sans", round(11 * DPI / 72))
    x, y = round(img.width * 0.6), round(15 * DPI / 25.4)
    step = round(font.size * 1.5)
    draw.rectangle((x - 12, y - 10, img.width - 60, y + step * len(_STAMP) + 4), outline=0, width=3)
    for i, line in enumerate(_STAMP):
        draw.text((x, y + i * step), line, font=font, fill=0)
    path = tmp / "stamped.png"
    img.save(path, dpi=(DPI, DPI))
    return path


@pytest.mark.slow
@needs_tesseract
def test_a_receipt_stamp_leaves_the_text_and_is_reported(tmp_path: Path) -> None:
    from vnplans.pipeline import process_document

    result = process_document(_page_with_stamp(tmp_path))
    text = result.text
    assert "21/2026/TT-BCT" in text and "THÔNG TƯ" in text and "kinh doanh xăng dầu" in text
    for stamp_words in ("ĐẾN", "chuyển", "VĂN PHÒNG", "Giờ", "Ngày"):
        assert stamp_words not in text, text
    notes = [msg for code, msg in result.warnings if code == "receipt-stamp"]
    assert len(notes) == 1 and "ĐẾN" in notes[0] and "chuyển" in notes[0]  # nothing lost


def _line(texts: list[str], x0: int, y0: int, line: int, width: int = 60, gap: int = 12) -> list[OcrWord]:
    words, x = [], x0
    for t in texts:
        w = max(width, 14 * len(t))
        words.append(OcrWord(t, 0.9, x, y0, x + w, y0 + 30, 1, 1, line))
        x += w + gap
    return words


def test_text_that_shares_the_stamps_words_is_not_a_stamp() -> None:
    # a letter's body: `Kính chuyển` opens a sentence, a line ends in `ĐẾN` in a title in capitals
    page = OcrPage(1600, 2400)
    page.words += _line(["KẾ", "HOẠCH", "PHÁT", "TRIỂN", "GIAI", "ĐOẠN", "2021", "ĐẾN"], 200, 300, 1)
    page.words += _line(["Kính", "chuyển", "Quý", "cơ", "quan", "xem", "xét,", "giải", "quyết", "kiến", "nghị"],
                        200, 345, 2)  # fmt: skip
    before = list(page.words)
    assert find_receipt_stamp(page) is None
    assert take_receipt_stamp(page) is None and page.words == before


def test_the_documents_date_under_a_stamp_stays() -> None:
    page = OcrPage(1600, 2400)
    page.words += _line(["VĂN", "PHÒNG", "CHÍNH", "PHỦ"], 1200, 300, 1)
    # the date line runs under the stamp: its words read there are the document's
    page.words += _line(["Hà", "Nội,", "ngày", "28"], 900, 350, 2) + _line(["tháng", "4", "năm", "2026", "ĐẾN"],
                                                                          1220, 350, 2)  # fmt: skip
    page.words += _line(["Giờ....", "Ngày....."], 1200, 400, 3)
    page.words += _line(["Kính", "chuyển"], 1200, 450, 4)
    stamp = take_receipt_stamp(page)
    assert stamp is not None and {"den", "gio", "chuyen"} <= set(stamp.kinds)
    assert page.text.split() == ["Hà", "Nội,", "ngày", "28", "tháng", "4", "năm", "2026"]
    assert stamp.lines[0] == "VĂN PHÒNG CHÍNH PHỦ" and "Kính chuyển" in stamp.lines[-1]


def test_one_label_alone_is_not_a_stamp() -> None:
    page = OcrPage(1600, 2400)
    page.words += _line(["Giờ....", "Ngày....."], 1200, 400, 1)
    before = list(page.words)
    assert find_receipt_stamp(page) is None
    assert take_receipt_stamp(page) is None and page.words == before
