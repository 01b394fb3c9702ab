"""Dotted leaders: taken off the page with the dust, found as leaders, back in the text as dots."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from vnplans.image.preprocess import Leader, preprocess
from vnplans.ocr import OcrPage, OcrWord
from vnplans.ocr.leaders import restore_leaders
from vnplans.synth.render import load_font

FONT_PX = 50  # 12 pt at 300 dpi


def _form_line(width: int = 2000) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """`Kèm theo đơn số <14 dots> ngày <9 dots> tháng`, each leader a wide space from its words (so no
    dot is within reach of a letter, as on a scan where the leader starts a space and more away)."""
    img = Image.new("L", (width, 160), 255)
    draw = ImageDraw.Draw(img)
    font = load_font("Liberation Serif", FONT_PX)
    x, runs = 60, []
    for part, dots in (("Kèm theo đơn số", 14), ("ngày", 9), ("tháng", 0)):
        draw.text((x, 50), part, font=font, fill=0)
        x += int(draw.textlength(part, font=font)) + 40
        if dots:
            draw.text((x, 50), "." * dots, font=font, fill=0)
            runs.append((x, dots))
            x += int(draw.textlength("." * dots, font=font)) + 40
    return np.array(img), runs


def test_despeckle_takes_leaders_off_and_reports_them_dust_is_not_a_leader() -> None:
    line, runs = _form_line()
    page = np.full((900, line.shape[1]), 255, np.uint8)
    page[100:260] = line
    rng = np.random.default_rng(5)
    for _ in range(300):  # dust in the blank lower part of the page
        y, x = int(rng.integers(400, 880)), int(rng.integers(10, page.shape[1] - 10))
        page[y : y + 4, x : x + 4] = 0
    out = preprocess(page, dpi=300, steps=["despeckle"])
    assert (out.image[400:] < 128).sum() == 0  # the dust is gone
    assert [ld.dots for ld in out.leaders] == [dots for _, dots in runs]  # only the two leaders
    for ld, (x, _) in zip(out.leaders, runs, strict=True):
        assert abs(ld.x0 - x) < 15 and 100 < ld.y0 < ld.y1 < 260
        assert (out.image[ld.y0 : ld.y1, ld.x0 : ld.x1] < 128).sum() == 0  # off the page for OCR
    assert f"leaders:{len(runs)}" in out.applied


def test_a_row_of_unlike_or_uneven_dots_is_not_a_leader() -> None:
    page = np.full((300, 900), 255, np.uint8)
    for x, size in ((100, 4), (113, 7), (129, 4)):  # one size out of three
        page[100 : 100 + size, x : x + size] = 0
    for x in (300, 310, 335, 345):  # pitch 10, 25, 10: no three at one pitch
        page[200:204, x : x + 4] = 0
    out = preprocess(page, dpi=300, steps=["despeckle"])
    assert out.leaders == [] and (out.image < 128).sum() == 0


def _w(text: str, x0: int, y0: int, line: int, block: int = 1) -> OcrWord:
    return OcrWord(text, 0.95, x0, y0, x0 + 20 * len(text), y0 + 40, block, 1, line)


def test_restore_puts_a_leader_in_its_row_and_a_long_one_alone_after_the_line_above() -> None:
    page = OcrPage(2000, 1000, [_w("số", 100, 100, 1), _w("ngày", 600, 100, 1), _w("Ghi", 100, 200, 2)])
    leaders = [Leader(160, 128, 560, 136, 30), Leader(100, 328, 900, 336, 60), Leader(100, 500, 140, 506, 3)]
    out = restore_leaders(page, leaders)
    assert out.text == "số " + "." * 30 + " ngày\nGhi\n" + "." * 60 + "\n"
    assert [ln.text for ln in out.lines()][-1] == "." * 60
    assert restore_leaders(page, []) is page


@pytest.mark.parametrize("dpi", [300])
def test_read_page_gives_the_leaders_back_between_the_words(dpi: int) -> None:
    """Through preprocessing and real Tesseract: the words read, the blanks kept in place."""
    from vnplans.pipeline import read_page

    line, runs = _form_line()
    page = np.full((700, line.shape[1]), 255, np.uint8)
    page[200:360] = line
    pre, ocr, _ = read_page(page, dpi)
    assert len(pre.leaders) == 2
    text = " ".join(ocr.text.split())
    first, second = "." * runs[0][1], "." * runs[1][1]
    assert f"số {first} ngày {second} tháng" in text


def test_the_leaders_step_does_not_blur_the_page_map() -> None:
    """`leaders:N` in `applied` moves no pixel: word boxes still map exactly to the source page."""
    from vnplans.image.pagemap import to_source

    matrix, exact = to_source((1000, 1400), ["deskew:1.00", "despeckle:40", "leaders:2"], (1000, 1400))
    assert exact and not np.allclose(matrix, np.eye(3))


def test_a_short_run_of_dots_joins_a_line_only_a_space_from_its_words() -> None:
    """Three dots a space after `chỉ:` are an ellipsis; two line heights away they are dust."""
    page = OcrPage(2000, 1000, [_w("chỉ:", 100, 100, 1), _w("Ghi", 100, 300, 2)])
    near = restore_leaders(page, [Leader(200, 130, 230, 136, 3)])
    far = restore_leaders(page, [Leader(270, 330, 300, 336, 3)])  # 2.5 line heights after `Ghi`
    assert near.text == "chỉ: ...\nGhi\n"
    assert far.text == page.text
