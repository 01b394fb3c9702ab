"""Seal rings on 1-bit pages (`image.seals`): found by their geometry, taken off before OCR.

The seal here is drawn by the test (a thick and a thin ring, a star, ticks of lettering), not by
the benchmark's generator, over a page of rendered text made 1-bit; OCR is real Tesseract."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest

from vnplans.image.preprocess import preprocess
from vnplans.image.seals import erase_rings, find_rings
from vnplans.ocr import ocr_image
from vnplans.synth.render import render_page

DPI = 200
PARAS = [
    "Điều 5. Căn cứ tính tiền sử dụng đất",
    "1. Căn cứ tính tiền sử dụng đất bao gồm diện tích đất được giao, được chuyển mục đích sử dụng, "
    "được công nhận quyền sử dụng đất; giá đất theo bảng giá đất; chính sách miễn, giảm tiền sử dụng "
    "đất của Nhà nước. Trường hợp đấu giá quyền sử dụng đất thì giá đất là giá trúng đấu giá.",
    "2. Căn cứ tính tiền cho thuê đất bao gồm diện tích đất cho thuê, thời hạn cho thuê đất, đơn giá "
    "thuê đất và hình thức Nhà nước cho thuê đất thu tiền thuê đất hằng năm hoặc một lần.",
    "3. Chính phủ quy định chi tiết Điều này.",
]


def _page() -> np.ndarray:
    img = np.asarray(render_page(PARAS, size_pt=13, dpi=DPI).image)
    gray = img if img.ndim == 2 else img.min(axis=2)
    return np.where(gray < 150, 0, 255).astype(np.uint8)  # a 1-bit scan


def _seal(shape: tuple[int, int], cx: int, cy: int, r: int) -> np.ndarray:
    """Ink mask (1 = seal ink) of a round seal: thick outer ring, thin inner ring, star, letter ticks."""
    m = np.zeros(shape, np.uint8)
    cv2.circle(m, (cx, cy), r, 1, thickness=9)
    cv2.circle(m, (cx, cy), int(r * 0.66), 1, thickness=3)
    star = [
        (cx + (0.22 if k % 2 == 0 else 0.09) * r * math.sin(k * math.pi / 5),
         cy - (0.22 if k % 2 == 0 else 0.09) * r * math.cos(k * math.pi / 5))
        for k in range(10)
    ]  # fmt: skip
    cv2.fillPoly(m, [np.array(star, np.int32)], 1)
    for k in range(24):  # the seal's lettering, as short radial strokes between the rings
        a = -2.6 + 5.2 * k / 23
        p0 = (int(cx + 0.76 * r * math.sin(a)), int(cy - 0.76 * r * math.cos(a)))
        p1 = (int(cx + 0.88 * r * math.sin(a)), int(cy - 0.88 * r * math.cos(a)))
        cv2.line(m, p0, p1, 1, thickness=3)
    return m


@pytest.fixture(scope="module")
def pages() -> tuple[np.ndarray, np.ndarray, tuple[int, int, int]]:
    clean = _page()
    rows = np.flatnonzero((clean < 128).sum(axis=1))
    cx, cy, r = int(clean.shape[1] * 0.62), int((rows[0] + rows[-1]) / 2), int(0.8 * DPI)
    sealed = np.where(_seal(clean.shape, cx, cy, r) > 0, 0, clean).astype(np.uint8)
    return clean, sealed, (cx, cy, r)


def test_the_ring_is_found_where_it_was_drawn_and_nowhere_on_the_clean_page(pages) -> None:
    clean, sealed, (cx, cy, r) = pages
    assert find_rings(clean, DPI) == []
    rings = find_rings(sealed, DPI)
    assert len(rings) == 1
    ring = rings[0]
    assert math.hypot(ring.cx - cx, ring.cy - cy) < 6
    assert ring.inner <= r <= ring.outer and ring.outer - ring.inner < 0.25 * r


def test_erasing_takes_the_seal_and_keeps_the_text_lines_inside_it(pages) -> None:
    clean, sealed, (cx, cy, r) = pages
    out = erase_rings(sealed, find_rings(sealed, DPI), DPI)
    seal = _seal(clean.shape, cx, cy, r) > 0
    text = clean < 128
    yy, xx = np.ogrid[: clean.shape[0], : clean.shape[1]]
    d = np.hypot(yy - cy, xx - cx)
    ring = seal & ~text & (d > 0.9 * r)
    assert ring.sum() > 2000 and (out[ring] < 128).mean() < 0.03  # the outer ring: gone
    lines = text.any(axis=1).astype(np.uint8)[:, None]
    gaps = ~(cv2.dilate(lines, np.ones((15, 1), np.uint8))[:, 0] > 0)[:, None]  # 7+ rows from any line
    between = seal & gaps & (d < 0.9 * r)
    assert between.sum() > 500 and (out[between] < 128).mean() < 0.03  # lettering, star between lines
    off_rings = (np.abs(d - r) > 12) & (np.abs(d - 0.66 * r) > 8)  # the ring bands cut what crosses them
    inner = (d < 0.9 * r) & off_rings & text & ~seal
    assert inner.sum() > 500
    assert (out[inner] < 128).mean() > 0.97


def test_the_step_runs_only_on_a_page_with_a_ring_and_the_words_beyond_it_are_read(pages) -> None:
    clean, sealed, (cx, cy, r) = pages
    assert not any(s.startswith("seal") for s in preprocess(clean, dpi=DPI).applied)
    pre = preprocess(sealed, dpi=DPI)
    assert "seal:1" in pre.applied
    truth = ocr_image(clean, lang="vie", dpi=DPI)
    beyond = [w.text for w in truth.words if w.x0 > cx + r and abs(w.y0 - cy) < r and w.text.isalpha()]
    assert len(beyond) >= 5  # words right of the seal, on lines it crosses
    read = {w.text for w in ocr_image(pre.image, lang="vie", dpi=pre.dpi).words}
    assert sum(w in read for w in beyond) >= 0.8 * len(beyond)


def test_a_short_line_wholly_inside_the_seal_is_kept() -> None:
    """A line may stand inside the seal with no ink beside it (`a) Đối với thành phố`, a signer's
    name): its letters are a row of many ink runs in the seal's core, which a star is not."""
    img = np.asarray(render_page(["a) Đối với thành phố"], size_pt=13, dpi=DPI, indent_mm=0).image)
    gray = np.where((img if img.ndim == 2 else img.min(axis=2)) < 150, 0, 255).astype(np.uint8)
    ys, xs = np.nonzero(gray < 128)
    cx, cy, r = int((xs.min() + xs.max()) / 2), int((ys.min() + ys.max()) / 2), int(0.95 * DPI)
    assert xs.max() - xs.min() < 1.6 * r  # the line lies inside the seal, across its core
    sealed = np.where(_seal(gray.shape, cx, cy + int(0.3 * r), r) > 0, 0, gray).astype(np.uint8)
    out = erase_rings(sealed, find_rings(sealed, DPI), DPI)
    line = gray < 128
    assert (out[line] < 128).mean() > 0.9  # what the inner ring crosses goes


def test_a_table_rule_through_the_seal_is_kept() -> None:
    """Between the lines of text inside a seal everything goes, but a table's column rule that runs
    through it stays (cut into dashes, the table lost its grid and a task row its content)."""
    clean = _page()
    rows = np.flatnonzero((clean < 128).sum(axis=1))
    x = int(clean.shape[1] * 0.5)
    clean[rows[0] : rows[-1], x : x + 2] = 0  # a thin column rule down the text
    cx, cy, r = x + 40, int((rows[0] + rows[-1]) / 2), int(0.8 * DPI)
    sealed = np.where(_seal(clean.shape, cx, cy, r) > 0, 0, clean).astype(np.uint8)
    out = erase_rings(sealed, find_rings(sealed, DPI), DPI)
    yy = np.arange(clean.shape[0])[:, None]
    rule = np.zeros(clean.shape, bool)
    rule[rows[0] : rows[-1], x : x + 2] = True
    d = np.hypot(yy - cy, np.arange(clean.shape[1])[None, :] - cx)
    inside = rule & (d < 0.6 * r)  # away from the rings, which may cut it
    assert inside.sum() > 200 and (out[inside] < 128).mean() > 0.95
