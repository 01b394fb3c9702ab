"""Degradations: seeded, type-preserving, and each one really changes the page as described."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from vnplans.image.preprocess import estimate_skew
from vnplans.synth.degrade import KINDS, degrade, degrade_detailed
from vnplans.synth.render import render_paragraphs

PARAS = [
    "Căn cứ Luật Tổ chức chính quyền địa phương, Ủy ban nhân dân huyện xây dựng kế hoạch "
    "kiểm tra công tác cải cách hành chính tại các xã, thị trấn trong quý ba."
] * 4


@pytest.fixture(scope="module")
def page() -> Image.Image:
    # a small page (A6 at 300 dpi) keeps the tests fast
    from vnplans.synth.render import render_page

    return render_page(PARAS, page_mm=(105, 148), margins_mm=(10, 10, 10, 10), size_pt=11).image


def test_seeded_and_type_preserving(page: Image.Image) -> None:
    a = degrade(page, seed=7, level="medium")
    b = degrade(page, seed=7, level="medium")
    c = degrade(page, seed=8, level="medium")
    assert isinstance(a, Image.Image)
    assert np.array_equal(np.asarray(a), np.asarray(b))
    assert np.asarray(a).shape != np.asarray(c).shape or not np.array_equal(np.asarray(a), np.asarray(c))
    arr = degrade(np.asarray(page), seed=7, level="light", kinds=["noise", "blur"])
    assert isinstance(arr, np.ndarray) and arr.dtype == np.uint8 and arr.shape == np.asarray(page).shape


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_changes_the_page(page: Image.Image, kind: str) -> None:
    d = degrade_detailed(page, seed=3, level="heavy", kinds=[kind], keep_low_dpi=False)
    assert d.applied == [kind]
    before = np.asarray(page.convert("L"), dtype=np.int16)
    after = np.asarray(d.image.convert("L"), dtype=np.int16)
    assert after.shape == before.shape
    assert np.abs(after - before).mean() > 0.05


def test_stamp_is_red_ink_over_the_page(page: Image.Image) -> None:
    d = degrade(page, seed=1, level="heavy", kinds=["stamp"])
    rgb = np.asarray(d, dtype=np.int16)
    assert d.mode == "RGB"
    red = (rgb[:, :, 0] - rgb[:, :, 1] > 80) | (rgb[:, :, 2] - rgb[:, :, 0] > 80)  # red or blue ink
    assert red.sum() > 500


def test_skew_is_within_three_degrees_and_measurable(page: Image.Image) -> None:
    for seed in (1, 2):
        d = degrade(page, seed=seed, level="heavy", kinds=["skew"])
        angle = estimate_skew(np.asarray(d))
        assert 0.2 <= abs(angle) <= 3.1


def test_low_dpi_left_low_reports_scale(page: Image.Image) -> None:
    d = degrade_detailed(page, seed=4, level="heavy", kinds=["low_dpi"], keep_low_dpi=True)
    assert 0.35 < d.scale < 0.55
    assert abs(d.image.width - page.width * d.scale) <= 1


def test_levels_get_worse(page: Image.Image) -> None:
    ref = np.asarray(page, dtype=np.float32)
    diffs = []
    for level in ("light", "medium", "heavy"):
        img = degrade(page, seed=5, level=level, kinds=["noise", "blur", "lighting"])
        diffs.append(np.abs(np.asarray(img.convert("L"), dtype=np.float32) - ref).mean())
    assert diffs[0] < diffs[1] < diffs[2]


def test_bad_arguments(page: Image.Image) -> None:
    with pytest.raises(ValueError, match="unknown"):
        degrade(page, seed=0, kinds=["coffee"])
    with pytest.raises(ValueError, match="level"):
        degrade(page, seed=0, level="extreme")


def test_renders_text_region_from_render_module() -> None:
    img = render_paragraphs(["Xin chào"], page_mm=(60, 30), margins_mm=(5, 5, 5, 5))
    assert np.asarray(img).min() < 50  # something was printed
