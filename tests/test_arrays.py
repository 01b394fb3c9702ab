"""vnplans.arrays: numpy's answers for percentile and unique, without importing numpy.ma."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from vnplans.arrays import percentile, unique


@pytest.mark.parametrize("dtype", [np.uint8, np.int32, np.float32, np.float64])
def test_percentile_is_numpys_to_the_last_bit(dtype) -> None:
    rng = np.random.default_rng(7)
    for n in (1, 2, 3, 10, 257, 1000):
        a = (rng.random(n) * 250).astype(dtype)
        for q in (0, 0.5, 10, 33.3, 50, 90, 95, 100):
            assert percentile(a, q) == float(np.percentile(a, q)), (dtype, n, q)
    grid = (rng.random((40, 30)) * 255).astype(dtype)[::4, ::3]  # a strided view, as the clean-up takes
    assert percentile(grid, 90) == float(np.percentile(grid, 90))
    with pytest.raises(ValueError):
        percentile(np.array([], dtype=dtype), 50)


def test_unique_is_numpys() -> None:
    rng = np.random.default_rng(3)
    for a in (rng.integers(0, 20, 500), rng.integers(0, 2**40, 300).astype(np.uint64), np.array([], int)):
        got = unique(a)
        assert got.dtype == np.unique(a).dtype and np.array_equal(got, np.unique(a))


def test_neither_imports_numpy_ma() -> None:
    """The reason the module exists: numpy's own first call costs 15 ms of imports per process."""
    code = (
        "import sys, numpy as np; from vnplans.arrays import percentile, unique; "
        "percentile(np.arange(9), 90); unique(np.arange(9)); print('numpy.ma' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
