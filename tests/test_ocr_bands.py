"""A page read in two bands at once: where it is cut, how the bands are put back, and real Tesseract
on a real A4 page reading the same words either way."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from vnplans.ocr import bands, tessapi
from vnplans.ocr import tesseract as ocr
from vnplans.synth.render import render_page

PARAS = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Ủy ban nhân dân tỉnh ban hành Kế hoạch triển khai công tác cải cách hành chính năm 2023 như sau:",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1. Tổ chức tập huấn nghiệp vụ cho cán bộ, công chức cấp xã trong quý II (tháng 5/2023).",
    "2. Giao Sở Tư pháp chủ trì, phối hợp với các đơn vị liên quan triển khai thực hiện.",
    "3. Kiểm tra, đánh giá kết quả thực hiện nhiệm vụ của các cơ quan, đơn vị trên địa bàn tỉnh.",
] * 3


def _page(lines: int, dpi: int = 200, h_in: float = 11.0) -> np.ndarray:
    """White page with `lines` black text-like bars, evenly spaced."""
    img = np.full((round(h_in * dpi), round(8 * dpi)), 255, np.uint8)
    step = img.shape[0] // (lines + 1)
    for k in range(1, lines + 1):
        img[k * step : k * step + dpi // 10, dpi : 7 * dpi] = 0
    return img


def test_cut_falls_in_a_blank_band_near_half_of_the_text_rows() -> None:
    img = _page(10)
    cut = bands.find_cut(img, 200)
    assert cut is not None
    assert not (img[cut] < 128).any()  # no ink on the cut row
    rows = (img < 128).any(axis=1)
    assert 0.4 <= rows[:cut].sum() / rows.sum() <= 0.6


def test_no_cut_within_the_rows_kept_whole() -> None:
    img = _page(10)
    free = bands.find_cut(img, 200)
    assert free is not None
    kept = (free - 300, free + 300)  # a table around the free cut
    cut = bands.find_cut(img, 200, kept)
    assert cut is not None and not kept[0] - 30 <= cut <= kept[1] + 30
    assert not (img[cut] < 128).any()
    assert bands.find_cut(img, 200, (0, img.shape[0])) is None  # a table over the whole page


def test_dense_ink_does_not_pull_the_cut() -> None:
    img = _page(10)
    img[200:220, :] = 0  # the first two lines black across the page (a seal's ink on them): much
    img[400:420, :] = 0  # ink, no more rows of text, and Tesseract's time goes by lines
    cut = bands.find_cut(img, 200)
    rows = (img < 128).any(axis=1)
    assert cut is not None and 0.4 <= rows[:cut].sum() / rows.sum() <= 0.6


@pytest.mark.parametrize(
    "img",
    [
        _page(10, h_in=3.0),  # short: nothing worth sharing
        np.full((2200, 1600), 255, np.uint8),  # blank page
        np.zeros((2200, 1600), np.uint8),  # no gap anywhere
    ],
)
def test_no_cut_on_short_blank_or_gapless_pages(img) -> None:
    assert bands.find_cut(img, 200) is None


def test_merge_moves_the_lower_band_down_and_numbers_its_blocks_after() -> None:
    cols = ["level", "page_num", "block_num", "par_num", "line_num", "word_num"]
    cols += ["left", "top", "width", "height", "conf", "text"]

    def tsv(rows):
        return {c: [r[i] for r in rows] for i, c in enumerate(cols)}

    upper = tsv([(1, 1, 0, 0, 0, 0, 0, 0, 800, 500, -1, ""), (5, 1, 1, 1, 1, 1, 10, 20, 50, 30, 95, "Số:")])
    lower = tsv([(1, 1, 0, 0, 0, 0, 0, 0, 800, 400, -1, ""), (5, 1, 1, 1, 1, 1, 12, 30, 60, 30, 90, "Điều")])
    out = bands.merge(upper, lower, 500, 800, 900)
    assert out["text"] == ["", "Số:", "Điều"]
    assert out["level"].count(1) == 1 and (out["width"][0], out["height"][0]) == (800, 900)
    assert out["top"][2] == 530 and out["block_num"][2] == 2 and out["top"][1] == 20


@pytest.fixture(scope="module")
def a4() -> np.ndarray:
    img = np.asarray(render_page(PARAS, dpi=200, size_pt=13).image)
    return img if img.ndim == 2 else img.min(axis=2)


@pytest.mark.skipif(not tessapi.available() and shutil.which("tesseract") is None, reason="no Tesseract")
def test_real_page_reads_the_same_words_in_two_bands(a4) -> None:
    cut = bands.find_cut(a4, 200)
    assert cut is not None
    two = ocr.ocr_image(a4, dpi=200, bands=True)
    one = ocr.ocr_image(a4, dpi=200)
    assert len(one.words) > 150
    same = sum(a.text == b.text for a, b in zip(one.words, two.words, strict=False))
    assert len(two.words) == len(one.words) and same >= 0.97 * len(one.words)
    # the lower band's words are on the page where they are printed, in the same order as one band's
    for a, b in zip(one.words, two.words, strict=False):
        if a.text == b.text:
            assert abs(a.y0 - b.y0) <= 3 and abs(a.x0 - b.x0) <= 3
    assert any(w.y0 > cut for w in two.words) and any(w.y1 < cut for w in two.words)


def _dense_over_sparse(dpi: int = 200) -> np.ndarray:
    """A page whose upper half holds dense text lines (many strokes a row) and whose lower half short
    ones: the rows with ink split evenly, the strokes (Tesseract's time) do not."""
    img = np.full((round(11 * dpi), round(8 * dpi)), 255, np.uint8)
    step = img.shape[0] // 21
    for k in range(1, 21):
        y = k * step
        if k <= 10:  # a line of words: a stroke every 8 px across the page
            for x in range(dpi, 7 * dpi, 8):
                img[y : y + dpi // 10, x : x + 3] = 0
        else:  # a short heading-like bar
            img[y : y + dpi // 10, dpi : 2 * dpi] = 0
    return img


def test_second_cut_splits_only_a_band_predicted_to_hold_the_reading_up(monkeypatch) -> None:
    img = _dense_over_sparse()
    cut = bands.find_cut(img, 200)
    assert cut is not None
    extra = bands.second_cut(img, 200, cut)
    assert extra is not None and extra < cut  # inside the heavy upper band
    assert not (img[extra] < 128).any()
    ink = img < 128
    steps = (ink[:, 1:] & ~ink[:, :-1]).sum(axis=1)
    assert 0.35 <= steps[:extra].sum() / steps.sum() <= 0.65  # about half of the work above it
    even = _page(10)
    assert bands.second_cut(even, 200, bands.find_cut(even, 200)) is None  # balanced: two bands as before
    assert bands.second_cut(img, 200, cut, (0, cut)) is None  # never inside a table's rows
    # a last page: its text in the top 5 inches, the heavy upper band under 4 inches tall
    last = np.full_like(img, 255)
    last[: 5 * 200] = img[::2][: 5 * 200]  # every other row: the lines at half the spacing
    last_cut = bands.find_cut(last, 200)
    assert last_cut is not None and last_cut < 4 * 200
    assert bands.second_cut(last, 200, last_cut) is None  # read whole, as a short page is
    monkeypatch.setattr(bands, "MIN_HEIGHT_IN", 2.0)
    assert bands.second_cut(last, 200, last_cut) is not None  # only its height kept it whole


@pytest.mark.skipif(not tessapi.available() and shutil.which("tesseract") is None, reason="no Tesseract")
@pytest.mark.parametrize("heavy", ["upper", "lower"])
def test_real_page_read_in_three_bands_puts_every_band_in_place(a4, monkeypatch, heavy: str) -> None:
    """The A4 page with its first cut and a second one forced into either band: the same words as
    one band, on their boxes, in reading order."""
    cut = bands.find_cut(a4, 200)
    assert cut is not None
    blank = ~(a4 < 128).any(axis=1)
    lo, hi = (150, cut - 150) if heavy == "upper" else (cut + 150, a4.shape[0] - 150)
    rows = lo + np.flatnonzero(blank[lo:hi])
    extra = int(rows[len(rows) // 2])
    monkeypatch.setattr(bands, "second_cut", lambda *a, **k: extra)
    three = ocr.ocr_image(a4, dpi=200, bands=True)
    one = ocr.ocr_image(a4, dpi=200)
    same = sum(a.text == b.text for a, b in zip(one.words, three.words, strict=False))
    assert len(three.words) == len(one.words) and same >= 0.97 * len(one.words)
    for a, b in zip(one.words, three.words, strict=False):
        if a.text == b.text:
            assert abs(a.y0 - b.y0) <= 3 and abs(a.x0 - b.x0) <= 3
    assert three.height == a4.shape[0]


class _Asked:
    """Tesseract under another name, recording whether the pipeline asked for bands."""

    name = "asked"
    splits_pages = True

    def __init__(self) -> None:
        self.inner = ocr.TesseractEngine()
        self.bands: list[bool] = []
        self.kept: list[tuple[int, int] | None] = []

    def languages(self) -> frozenset[str]:
        return self.inner.languages()

    def check(self, lang: str) -> None:
        self.inner.check(lang)

    def read(self, image, *, lang, dpi=None, psm=None, bands=False, when_free=None, keep_whole=None):
        self.bands.append(bands)
        self.kept.append(keep_whole)
        return self.inner.read(
            image, lang=lang, dpi=dpi, psm=psm, bands=bands, when_free=when_free, keep_whole=keep_whole
        )

    def orientation(self, image):
        return self.inner.orientation(image)


@pytest.mark.skipif(not tessapi.available() and shutil.which("tesseract") is None, reason="no Tesseract")
def test_pipeline_cuts_pages_but_keeps_a_table_in_one_band(a4) -> None:
    from vnplans.ocr import register_engine
    from vnplans.pipeline import read_page
    from vnplans.synth.document import render_document
    from vnplans.synth.plans import generate_plan

    asked = _Asked()
    register_engine("asked", lambda: asked)
    _, page, _ = read_page(a4, 200, engine="asked")
    assert asked.bands == [True] and "Tư pháp" in page.text
    table_page = next(p for p in render_document(generate_plan(3)) if p.tables)
    img = np.asarray(table_page.image.convert("L"))
    _, page, rules = read_page(img, 300, engine="asked")
    assert asked.bands == [True, True] and asked.kept[0] is None
    top, bottom = asked.kept[1]  # the ruled task table's rows: no cut among them
    hor = rules[0]
    ruled = np.flatnonzero(hor.any(axis=1))
    assert top <= ruled[-1] and bottom >= ruled[0] and bottom - top > 300
    cut = bands.find_cut(img, 300, asked.kept[1])
    assert cut is None or not top - 40 <= cut <= bottom + 40
    assert "TT" in page.text or "Nội dung" in page.text


def test_band_thread_lets_the_process_exit_quickly_and_hands_errors_back() -> None:
    """The CLI skips the interpreter's teardown only when no non-daemon thread is left: the band
    thread must be a daemon, and a failure on it must reach the page that waits for it."""
    import threading

    img = _page(10)

    def boom(part: np.ndarray) -> dict:
        if threading.current_thread().name == "ocr-band":  # the lower band only
            raise ValueError("band failed")
        return {"level": [1], "block_num": [0], "top": [0], "left": [0], "width": [1], "height": [1]}

    with pytest.raises(ValueError, match="band failed"):
        bands.read_in_bands(img, 200, boom)
    got = bands.read_in_bands(img, 200, lambda part: {"level": [1], "block_num": [0], "top": [0],
                                                      "left": [0], "width": [part.shape[1]],
                                                      "height": [part.shape[0]]})  # fmt: skip
    assert got["height"] == [img.shape[0]]
    helpers = [t for t in threading.enumerate() if t.name == "ocr-band"]
    assert len(helpers) == 1 and helpers[0].daemon
