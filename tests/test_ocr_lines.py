"""Printed lines Tesseract's layout dropped, read again on their own (real Tesseract on rendered
pages): a line of words, and a form's dotted line that Tesseract finds nothing in until its leaders
are taken off."""

from __future__ import annotations

import numpy as np
import pytest

from vnplans.ocr import OcrPage, get_engine, ocr_image
from vnplans.ocr.lines import lost_bands, reread_lost_lines
from vnplans.synth.render import render_page

PARAS = [
    "Điều 1. Phạm vi điều chỉnh",
    "Thông tư này quy định chi tiết một số điều của Luật Lâm nghiệp về định giá rừng.",
    "THÁNG ... NĂM ..........",
    "Điều 2. Đối tượng áp dụng",
    "Cơ quan, tổ chức, cá nhân có liên quan đến việc định giá rừng.",
]


@pytest.fixture(scope="module")
def page() -> tuple[np.ndarray, OcrPage]:
    img = np.asarray(render_page(PARAS, size_pt=14, dpi=200, bold=True).image)
    gray = img if img.ndim == 2 else img.min(axis=2)
    return gray, ocr_image(gray, lang="vie", dpi=200)


def _without_line(read: OcrPage, first: str) -> OcrPage:
    """`read` as if Tesseract's layout had dropped the line that opens with `first`."""
    w0 = next(w for w in read.words if w.text == first)
    line = (w0.block, w0.par, w0.line)
    return OcrPage(read.width, read.height, [w for w in read.words if (w.block, w.par, w.line) != line])


def test_a_dropped_line_is_found_and_read_again(page: tuple[np.ndarray, OcrPage]) -> None:
    gray, read = page
    assert lost_bands(gray, read.words) == []  # every printed line has its words
    lost = _without_line(read, "Thông")
    assert len(lost_bands(gray, lost.words)) == 1
    assert reread_lost_lines(gray, lost, get_engine(None), "vie", 200) == 1
    text = lost.text
    assert "Thông tư này quy định" in text
    assert text.index("Phạm vi") < text.index("Thông tư này") < text.index("giá rừng.")
    assert reread_lost_lines(gray, lost, get_engine(None), "vie", 200) == 0  # nothing left to read


def test_a_dotted_form_line_is_read_without_its_leaders_and_they_come_back(
    page: tuple[np.ndarray, OcrPage],
) -> None:
    gray, read = page
    lost = _without_line(read, "THÁNG")
    assert reread_lost_lines(gray, lost, get_engine(None), "vie", 200) == 1
    again = [w.text for w in lost.words if w.y0 > next(w for w in read.words if w.text == "THÁNG").y0 - 10]
    assert "THÁNG" in again and "NĂM" in again
    assert any(set(t) == {"."} and len(t) >= 3 for t in again)  # the blanks are printed, so kept


def test_a_band_of_ink_that_is_no_text_gives_no_words(page: tuple[np.ndarray, OcrPage]) -> None:
    gray, read = page
    scribble = gray.copy()
    rng = np.random.default_rng(0)
    y = gray.shape[0] - 200
    h = int(np.median([w.y1 - w.y0 for w in read.words]))
    for x in range(300, 900, 3):  # a signature's strokes: a band of text height, no letters
        scribble[y + rng.integers(0, h) : y + h, x : x + 2] = 0
    assert len(lost_bands(scribble, read.words)) == 1
    n = len(read.words)
    copy = OcrPage(read.width, read.height, list(read.words))
    assert reread_lost_lines(scribble, copy, get_engine(None), "vie", 200) == 0
    assert len(copy.words) == n


def test_a_phrase_level_with_a_read_line_is_read_again(page: tuple[np.ndarray, OcrPage]) -> None:
    """A signer's name printed level with a recipient and far right of it, which Tesseract's layout
    dropped while it read the recipient (a JPEG first page of a real circular): the phrase stands a
    letter's height and more from every word read beside it, so it is read again on its own."""
    gray, read = page
    name = np.asarray(render_page(["Lê Tấn Cận"], size_pt=14, dpi=200, bold=True).image)
    name = name if name.ndim == 2 else name.min(axis=2)
    ys, xs = np.nonzero(name < 128)
    name = name[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    first = [
        w
        for w in read.words
        if (w.block, w.par, w.line) == (read.words[0].block, read.words[0].par, read.words[0].line)
    ]
    y = max(w.y1 for w in first) - name.shape[0]  # on the line's baseline, right of its end
    x = gray.shape[1] - name.shape[1] - 150
    assert x > max(w.x1 for w in first) + 100
    both = gray.copy()
    both[y : y + name.shape[0], x : x + name.shape[1]] = np.minimum(
        both[y : y + name.shape[0], x : x + name.shape[1]], name
    )
    assert lost_bands(gray, read.words) == []
    boxes = lost_bands(both, read.words)
    assert len(boxes) == 1 and boxes[0][0] >= x - 5
    copy = OcrPage(read.width, read.height, list(read.words))
    assert reread_lost_lines(both, copy, get_engine(None), "vie", 200) == 1
    assert "Lê Tấn Cận" in copy.text
