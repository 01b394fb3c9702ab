"""Mask helpers: the fast paths must give what OpenCV's plain calls give."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from vnplans.image.masks import components, erase, label, shrink, shrink_any


def _sparse_mask(seed: int) -> np.ndarray:
    """Rules, dots and a few letters-like blobs on a mostly blank page, bands starting on odd rows."""
    rng = np.random.default_rng(seed)
    m = np.zeros((401, 333), np.uint8)
    for _ in range(12):
        y, x = int(rng.integers(0, 395)), int(rng.integers(0, 300))
        m[y : y + int(rng.integers(1, 4)), x : x + int(rng.integers(2, 120))] = 255
    for _ in range(30):
        y, x = int(rng.integers(0, 398)), int(rng.integers(0, 330))
        m[y : y + 2, x : x + 2] = 255
    m[201, 10:300:3] = 255  # diagonal neighbours across a band edge
    m[202, 11:300:3] = 255
    return m


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("connectivity", [4, 8])
def test_components_match_one_opencv_labelling(seed: int, connectivity: int) -> None:
    mask = _sparse_mask(seed)
    x, y, w, h = cv2.boundingRect(mask)
    n, labels, stats, cents = cv2.connectedComponentsWithStats(
        mask[y : y + h, x : x + w], connectivity=connectivity
    )
    c = components(mask, connectivity)
    assert c.n == n
    assert np.array_equal(c.labels, labels)
    assert np.array_equal(c.stats[1:, :4], stats[1:, :4] + [x, y, 0, 0])
    assert np.array_equal(c.stats[1:, 4], stats[1:, 4])
    assert np.allclose(c.centroids[1:], cents[1:] + (x, y))


def test_erase_removes_only_the_given_components() -> None:
    mask = _sparse_mask(1)
    c = components(mask)
    gone = [i for i in range(1, c.n) if c.stats[i, 2] > 20]
    out = erase(mask, c, gone)
    kept = components(out)
    assert kept.n == c.n - len(gone)
    assert int(out.sum()) == int(mask.sum()) - 255 * int(c.stats[gone, 4].sum())


def test_label_is_opencv_labelling() -> None:
    mask = _sparse_mask(3)
    a = label(mask)
    b = cv2.connectedComponentsWithStats(mask, connectivity=8)
    assert a[0] == b[0] and np.array_equal(a[1], b[1]) and np.array_equal(a[2], b[2])


def test_shrink_is_the_block_mean_and_drops_the_leftover_edge() -> None:
    rng = np.random.default_rng(0)
    img = rng.integers(0, 256, (103, 77), dtype=np.uint8)
    for f in (2, 3, 4):
        small = shrink(img, f)
        h, w = 103 // f, 77 // f
        want = img[: h * f, : w * f].reshape(h, f, w, f).mean(axis=(1, 3))
        assert small.shape == (h, w)
        assert np.abs(small.astype(float) - want).max() <= 0.5 + 1e-9
    assert shrink(img, 1) is img


def test_shrink_any_keeps_a_one_pixel_line() -> None:
    mask = np.zeros((40, 41), np.uint8)
    mask[17, 3:38] = 255  # odd row: half its 2x2 blocks
    half = shrink_any(mask)
    assert half.shape == (20, 20)
    assert half[8, 2:19].all() and half.sum() == 255 * half[8].astype(bool).sum()
