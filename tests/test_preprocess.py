"""Preprocessing steps on rendered pages: each step does its job and only when needed."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from vnplans.image.preprocess import ALL_STEPS, estimate_skew, preprocess
from vnplans.synth.render import render_page

PARAS = [
    "Ủy ban nhân dân xã tổ chức hội nghị tổng kết công tác phòng chống thiên tai, "
    "đánh giá kết quả thực hiện nhiệm vụ và đề ra phương hướng cho năm tiếp theo."
] * 5


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    img = render_page(PARAS, page_mm=(148, 150), margins_mm=(12, 12, 12, 12), size_pt=12).image
    return np.asarray(img)


def _rotate(a: np.ndarray, angle: float) -> np.ndarray:
    h, w = a.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(a, m, (w, h), borderValue=255)


@pytest.mark.parametrize("angle", [2.5, -1.5])
def test_deskew(page: np.ndarray, angle: float) -> None:
    skewed = _rotate(page, angle)
    assert estimate_skew(skewed) == pytest.approx(angle, abs=0.15)
    out = preprocess(skewed, steps=["deskew"])
    assert any(a.startswith("deskew") for a in out.applied)
    assert abs(estimate_skew(out.image)) <= 0.15


def test_straight_page_is_left_alone(page: np.ndarray) -> None:
    out = preprocess(page, dpi=300, steps=["gray", "border", "deskew", "upscale", "despeckle"])
    assert out.applied == []
    assert np.array_equal(out.image, page)


def test_stamp_ink_removed_text_kept(page: np.ndarray) -> None:
    bgr = cv2.cvtColor(page, cv2.COLOR_GRAY2BGR).astype(np.float32)
    mask = np.zeros(page.shape, np.uint8)
    cv2.circle(mask, (600, 400), 220, 255, 18)
    m = (mask > 0)[:, :, None]
    bgr = np.where(m, bgr * (np.array([45, 35, 205]) / 255.0), bgr).astype(np.uint8)  # multiply: red ink
    text = page < 100
    out = preprocess(bgr, steps=["stamp", "gray"])
    assert out.image.ndim == 2
    assert any(a.startswith("stamp") for a in out.applied)
    ink_only = (mask > 0) & ~cv2.dilate(text.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    assert out.image[ink_only].mean() > 200  # the seal is gone where there is no text
    assert out.image[text & (mask > 0)].mean() < 90  # text under the seal is still dark
    plain = preprocess(bgr, steps=["gray"]).image
    assert plain[ink_only].mean() < 120  # without the step the seal stays


def test_dark_blurred_seal_leaves_no_grey_ring(page: np.ndarray) -> None:
    """Scanned seals: the ink darkens its own colour channel too, and blur pales the rim."""
    bgr = cv2.cvtColor(page, cv2.COLOR_GRAY2BGR).astype(np.float32)
    mask = np.zeros(page.shape, np.uint8)
    cv2.circle(mask, (600, 400), 220, 255, 14)
    tint = np.where((mask > 0)[:, :, None], np.array([40, 30, 165]) / 255.0, 1.0).astype(np.float32)
    tint = cv2.GaussianBlur(tint, (0, 0), 2.0)  # soft rim: paler, less saturated pixels at its edges
    bgr = np.clip(bgr * tint, 0, 255).astype(np.uint8)
    text = cv2.dilate((page < 100).astype(np.uint8), np.ones((7, 7), np.uint8)).astype(bool)
    ring = cv2.dilate(mask, np.ones((9, 9), np.uint8)).astype(bool) & ~text
    out = preprocess(bgr, steps=["stamp", "gray"]).image
    assert np.percentile(out[ring], 5) > 215  # paper (255) all across the ring, rim included
    assert out[(page < 100) & (mask > 0)].mean() < 110  # text under the seal is still dark


def test_normalize_flattens_uneven_lighting(page: np.ndarray) -> None:
    h, w = page.shape
    ramp = np.linspace(0.55, 1.0, w, dtype=np.float32)[None, :]
    dim = (page.astype(np.float32) * ramp).astype(np.uint8)
    paper = page > 200
    assert np.ptp([dim[paper][:1000].mean(), dim[:, -50:][paper[:, -50:]].mean()]) > 80
    out = preprocess(dim, steps=["normalize"]).image
    left, right = out[:, :200][paper[:, :200]], out[:, -200:][paper[:, -200:]]
    assert abs(float(left.mean()) - float(right.mean())) < 10
    assert out[page < 60].mean() < 80  # ink stays dark


def test_normalize_keeps_a_nearly_blank_page_white() -> None:
    """A signature-only page: so little ink that the darkest 0.5% of the page is paper."""
    blank = np.full((1600, 1200), 250, np.uint8)
    cv2.putText(blank, "Nguyen Van A", (700, 1300), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 20, 2)
    out = preprocess(blank, steps=["normalize"]).image
    assert np.median(out) > 230  # paper stays paper (it went black before)
    assert out[1270:1310, 700:960].min() < 80  # the signature's ink stays dark


def test_border_removed(page: np.ndarray) -> None:
    framed = page.copy()
    framed[:, :60] = 30
    framed[-40:, :] = 40
    out = preprocess(framed, steps=["border"])
    assert "border" in out.applied
    assert out.image[:, :50].mean() > 200 and out.image[-30:, :].mean() > 200
    assert (out.image < 100).sum() > 0.5 * (page < 100).sum()  # text survives


def test_despeckle_removes_lone_dots_keeps_diacritics(page: np.ndarray) -> None:
    dusty = page.copy()
    rng = np.random.default_rng(0)
    blank_rows = np.where((page < 128).sum(axis=1) == 0)[0]
    pts = [(int(rng.integers(20, page.shape[1] - 20)), int(rng.choice(blank_rows))) for _ in range(40)]
    for x, y in pts:
        cv2.circle(dusty, (x, y), 2, 0, -1)
    out = preprocess(dusty, dpi=300, steps=["despeckle"])
    kept = sum(out.image[y, x] < 128 for x, y in pts)
    assert kept <= 4
    # letters with their dots/marks untouched: every ink pixel of the clean page survives
    assert (out.image[page < 128] < 128).mean() > 0.99


def test_upscale_low_dpi(page: np.ndarray) -> None:
    small = cv2.resize(page, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    out = preprocess(small, dpi=150, steps=["upscale"])  # to the 225 dpi Tesseract is given
    assert out.dpi == 225 and out.image.shape[0] == round(1.5 * small.shape[0])
    guessed = preprocess(small, dpi=None, steps=["upscale"])  # no metadata: from letter height
    assert guessed.image.shape[0] > 1.3 * small.shape[0] and guessed.dpi is not None


def test_dusty_page_without_dpi_is_not_upscaled(page: np.ndarray) -> None:
    """Thousands of specks must not pass for tiny letters (a 300 dpi scan read as 75 dpi, upscaled 3x)."""
    rng = np.random.default_rng(3)
    dusty = page.copy() if page.ndim == 2 else cv2.cvtColor(page, cv2.COLOR_RGB2GRAY)
    h, w = dusty.shape
    for y, x in zip(rng.integers(0, h - 6, 6000), rng.integers(0, w - 6, 6000), strict=True):
        dusty[y : y + rng.integers(4, 7), x : x + rng.integers(2, 5)] = 40
    out = preprocess(dusty, dpi=None, steps=["upscale"])
    assert not any(a.startswith("upscale") for a in out.applied)
    assert out.image.shape == dusty.shape


def test_shrunk_copy_with_its_scanners_dpi_tag(page: np.ndarray) -> None:
    """A copy shrunk for e-mail keeps "300 dpi": its letters say otherwise, and it is upscaled."""
    gray = page if page.ndim == 2 else cv2.cvtColor(page, cv2.COLOR_RGB2GRAY)
    small = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    out = preprocess(small, dpi=300, steps=["upscale"])
    assert any(a.startswith("dpi-tag:300->") for a in out.applied)
    assert out.image.shape[0] > 1.3 * small.shape[0] and out.dpi == 225
    # a small piece of a real 300 dpi page (a narrow crop) keeps its tag
    crop = gray[: gray.shape[0] // 2, : gray.shape[1] // 2]
    assert preprocess(crop, dpi=300, steps=["upscale"]).applied == []


def test_binarize_gives_two_levels(page: np.ndarray) -> None:
    out = preprocess(page, steps=["binarize"]).image
    assert set(np.unique(out)) <= {0, 255}


def test_orientation_fixed_by_osd(page: np.ndarray) -> None:
    upside = cv2.rotate(page, cv2.ROTATE_180)
    out = preprocess(upside, steps=["orient"])
    assert "orient:180" in out.applied
    assert np.mean(np.abs(out.image.astype(int) - page.astype(int))) < 3


def test_steps_validated_and_default_runs(page: np.ndarray) -> None:
    with pytest.raises(ValueError, match="unknown"):
        preprocess(page, steps=["sharpen"])
    out = preprocess(page, dpi=300)
    assert out.image.dtype == np.uint8 and out.image.ndim == 2
    assert set(a.split(":")[0] for a in out.applied) <= set(ALL_STEPS)


def test_upright_evidence_is_cheap_orientation_signal(page: np.ndarray) -> None:
    from vnplans.image.preprocess import upright_evidence

    assert upright_evidence(page) > 0.3  # upright: no OSD run needed
    assert upright_evidence(cv2.rotate(page, cv2.ROTATE_180)) < 0
    assert upright_evidence(cv2.rotate(page, cv2.ROTATE_90_CLOCKWISE)) < 0
    assert upright_evidence(np.full((500, 400), 255, np.uint8)) is None


def test_upright_evidence_reads_offset_columns_apart() -> None:
    """A signature page: two short columns whose lines sit at different heights on the same rows."""
    from vnplans.image.preprocess import upright_evidence

    col = np.asarray(
        render_page(["Nơi nhận: Ủy ban nhân dân các huyện, thị xã, thành phố; Văn phòng tỉnh ủy."] * 2,
                    page_mm=(70, 60), margins_mm=(6, 6, 6, 6), size_pt=13).image.convert("L")
    )  # fmt: skip
    h, w = col.shape
    sheet = np.full((h + 35, 2 * w), 255, np.uint8)
    sheet[:h, :w] = col
    sheet[35:, w:] = col  # about half a line lower: merged rows hide each column's x-height band
    assert upright_evidence(sheet) > 0.15
    assert upright_evidence(cv2.rotate(sheet, cv2.ROTATE_180)) < 0


def test_streaks_removed_table_rules_kept(page: np.ndarray) -> None:
    streaked = page.copy()
    h = streaked.shape[0]
    streaked[:, 700:703] = 40  # photocopier streak, edge to edge
    streaked[200 : h - 200, 300:302] = 0  # a table rule inside the page
    out = preprocess(streaked, steps=["streaks"])
    assert any(a.startswith("streaks") for a in out.applied)
    assert out.image[:, 700:703].mean() > 200
    assert out.image[200 : h - 200, 300:302].mean() < 60


def test_despeckle_keeps_dashes_between_words() -> None:
    """A spaced hyphen is dust-sized but flat; unit names such as `Lao động - Thương binh` need it."""
    from PIL import Image, ImageDraw

    from vnplans.ocr import ocr_image
    from vnplans.synth.render import load_font

    img = Image.new("L", (1800, 160), 255)
    ImageDraw.Draw(img).text(
        (80, 50), "Ban Thi đua - Khen thưởng tỉnh", font=load_font("Liberation Serif", 54), fill=0
    )
    dusty = np.array(img)
    dusty[20:24, 1500:1504] = 0  # a lone speck far from any letter
    out = preprocess(dusty, dpi=300, steps=["despeckle"]).image
    assert out[20:24, 1500:1504].min() > 200
    assert ocr_image(out, dpi=300, psm=7).text.strip() == "Ban Thi đua - Khen thưởng tỉnh"


def test_despeckle_keeps_a_blurred_list_dash_of_an_upscaled_page() -> None:
    """At 130 dpi upscaled to 300, the dash of `- Căn cứ` is a 12 x 5 blob a word's space away."""
    page = np.full((200, 900), 255, np.uint8)
    page[100:105, 100:112] = 20  # the dash: about 2.4 times as wide as tall
    page[70:112, 140:400] = 20  # the first word, 28 px to its right
    page[30:34, 700:704] = 20  # a lone speck
    out = preprocess(page, dpi=300, steps=["despeckle"]).image
    assert out[100:105, 100:112].max() < 100  # the dash stays
    assert out[30:34, 700:704].min() > 200  # the speck goes


def test_leaning_faint_streak_is_divided_out_and_letters_under_it_kept(page: np.ndarray) -> None:
    """A streak on a page skewed below the deskew threshold leans; it darkens, it does not paint."""
    h, w = page.shape[:2]
    base = page if page.ndim == 2 else cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    streaked = base.astype(np.float32)
    x_top, x_bottom = 0.55 * w, 0.55 * w + 0.008 * h  # ~0.45° lean
    for y in range(h):
        x = int(x_top + (x_bottom - x_top) * y / h)
        streaked[y, x : x + 3] *= 0.75
    streaked = streaked.astype(np.uint8)
    out = preprocess(streaked, steps=["gray", "streaks"])
    assert any(a.startswith("streaks") for a in out.applied)
    band = np.zeros_like(base, dtype=bool)
    for y in range(h):
        x = int(x_top + (x_bottom - x_top) * y / h)
        band[y, x : x + 3] = True
    paper = band & (base > 200)
    ink = band & (base < 100)
    assert streaked[paper].mean() < 200  # the streak is there before
    assert out.image[paper].mean() > 225  # and gone after
    assert ink.sum() > 50 and out.image[ink].mean() < 110  # letters crossing it stay ink


def test_despeckle_keeps_punctuation_after_wide_digits() -> None:
    """`1.` in DejaVu Serif leaves 12 px (300 dpi) between the digit and its period: not dust."""
    from PIL import Image, ImageDraw

    from vnplans.synth.render import find_font

    img = Image.new("L", (900, 200), 255)
    from PIL import ImageFont

    font = ImageFont.truetype(str(find_font("DejaVu Serif", "regular")), 54)
    ImageDraw.Draw(img).text((40, 50), "1. Nội dung: tiến độ; 2. Kinh phí.", font=font, fill=0)
    gray = np.asarray(img)
    rng = np.random.default_rng(0)
    dusty = gray.copy()
    for _ in range(40):  # dust in the empty band below the line
        y, x = int(rng.integers(150, 195)), int(rng.integers(5, 895))
        dusty[y : y + 3, x : x + 3] = 0
    out = preprocess(dusty, dpi=300, steps=["gray", "despeckle"])
    assert (out.image[150:, :] < 128).sum() == 0  # the dust is gone
    assert np.array_equal(out.image[:150] < 128, gray[:150] < 128)  # every period and colon kept


def test_mark_chains_resolve_as_recounting_every_round_would(page: np.ndarray) -> None:
    """The incremental fixed point of `_despeckle` (marks beside kept marks stay) equals the plain
    loop that recounts the whole page each round, on a page with chains of dots leading to letters."""
    from vnplans.image.masks import label
    from vnplans.image.preprocess import _lone_to_fixed_point, _near_letters

    dotted = page.copy()
    rng = np.random.default_rng(3)
    h, w = page.shape
    for _ in range(60):  # chains of dots: each within reach of the next, some ending at a letter
        x, y = int(rng.integers(20, w - 200)), int(rng.integers(20, h - 20))
        for k in range(int(rng.integers(1, 8))):
            cv2.circle(dotted, (x + 9 * k, y), 1, 0, -1)
    ink = (dotted < 128).astype(np.uint8)
    _, labels, stats, _ = label(ink)
    small = stats[:, cv2.CC_STAT_AREA] <= 60
    small[0] = False
    reach = 8
    lone = small & ~_near_letters(small, labels, stats, reach)
    expected = lone.copy()
    rounds = 0
    while expected.any():
        still = expected & ~_near_letters(expected, labels, stats, reach)
        if still.sum() == expected.sum():
            break
        expected, rounds = still, rounds + 1
    assert rounds >= 2  # the page really has chains, so the incremental rounds are exercised
    assert np.array_equal(_lone_to_fixed_point(lone, labels, stats, reach), expected)


@pytest.mark.parametrize("frame", [False, True])
def test_component_pixels_match_a_lookup_of_every_pixel(page: np.ndarray, frame: bool) -> None:
    """`_pixels_of` searches only the listed components' boxes (or, when they cover much of the page,
    as a page frame's box does, looks every pixel up): either way exactly the pixels a per-pixel label
    lookup finds, and the letter-ink counts `_despeckle` takes from them equal the lookup's."""
    from vnplans.image.masks import label
    from vnplans.image.preprocess import _ink_near, _pixels_of

    framed = page.copy()
    cv2.rectangle(framed, (3, 3), (framed.shape[1] - 4, framed.shape[0] - 4), 0, 2)
    _, labels, stats, _ = label((framed < 128).astype(np.uint8))
    chosen = np.random.default_rng(7).random(len(stats)) < 0.1
    chosen[0] = False
    chosen[labels[3, 3]] = frame  # the frame's box is the page: the lookup path
    ids = np.flatnonzero(chosen)
    assert len(ids) > 3
    ys, xs = _pixels_of(ids, labels, stats)
    expected = chosen.take(labels)
    got = np.zeros_like(expected)
    got[ys, xs] = True
    assert np.array_equal(got, expected)
    letter = (~chosen).astype(np.uint8)
    letter[0] = 0
    integral = cv2.integral(letter.take(labels), sdepth=cv2.CV_32S)
    x0, y0 = np.clip(stats[:, 0] - 5, 0, labels.shape[1]), np.clip(stats[:, 1] - 5, 0, labels.shape[0])
    x1 = np.clip(stats[:, 0] + stats[:, 2] + 5, 0, labels.shape[1])
    y1 = np.clip(stats[:, 1] + stats[:, 3] + 5, 0, labels.shape[0])
    counts = integral[y1, x1] - integral[y0, x1] - integral[y1, x0] + integral[y0, x0]
    assert np.array_equal(_ink_near(chosen, labels, stats, 5), counts)
