"""The unpacked, memory-mapped copy of the language model: same scores as the packed model, and any
trouble with the cache falls back to the packed model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from vnplans.resources import model_path
from vnplans.text import lm_cache
from vnplans.text.lm import BITS, MODEL_NAME, NgramLM


def _queries(lm: NgramLM, seed: int = 0) -> list[list[np.ndarray]]:
    """Random id triples, and trigrams the model holds (exact hits, not only backoff)."""
    rng = np.random.default_rng(seed)
    random = [rng.integers(0, len(lm.vocab), 4000) for _ in range(3)]
    keys = lm.keys[1][rng.integers(0, lm.keys[1].size, 4000)]
    mask = np.uint64((1 << BITS) - 1)
    held = [((keys >> np.uint64(s * BITS)) & mask).astype(np.int64) for s in (2, 1, 0)]
    return [random, held]


def _mapped(a: np.ndarray) -> bool:
    """Memory-mapped from the unpacked copy (a plain array over the mapped file)."""
    return isinstance(a, np.memmap) or isinstance(a.base, np.memmap)


def _same_scores(a: NgramLM, b: NgramLM) -> bool:
    return a.vocab == b.vocab and all(np.array_equal(a.score(*q), b.score(*q)) for q in _queries(a))


def test_the_second_load_maps_the_unpacked_copy_and_scores_alike(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("VNPLANS_CACHE_DIR", str(tmp_path))
    packed = NgramLM.load()  # no copy yet: unpacks the model and writes the copy
    copies = list(tmp_path.glob("lm-*"))
    assert len(copies) == 1 and (copies[0] / "meta.json").is_file()
    assert not any(p.name.endswith(".tmp") for p in tmp_path.iterdir())
    mapped = NgramLM.load()
    assert _mapped(mapped.keys[0]) and not mapped.keys[0].flags.writeable
    assert _same_scores(packed, mapped)


def test_a_damaged_copy_is_replaced_and_never_used(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("VNPLANS_CACHE_DIR", str(tmp_path))
    reference = NgramLM.load()
    (copy,) = tmp_path.glob("lm-*")
    key = copy / "key3.npy"
    key.write_bytes(key.read_bytes()[: key.stat().st_size // 2])  # cut short, as by a full disk
    recovered = NgramLM.load()
    assert not _mapped(recovered.keys[1])  # read from the packed model
    assert _same_scores(reference, recovered)
    assert _mapped(NgramLM.load().keys[1])  # and the copy was written anew


@pytest.mark.parametrize("setting", ["off", "file"])
def test_no_cache_folder_still_loads(tmp_path: Path, monkeypatch, setting: str) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("VNPLANS_CACHE_DIR", "off" if setting == "off" else str(blocker / "cache"))
    lm = NgramLM.load()
    assert len(lm.vocab) > 1000 and not _mapped(lm.keys[0])
    assert lm_cache.read(model_path(MODEL_NAME)) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-folder"]


@pytest.mark.parametrize("damage", ["truncated vocab", "zeroed lp2", "one flipped byte"])
def test_a_copy_damaged_in_place_is_caught_by_its_checksums(tmp_path: Path, monkeypatch, damage: str) -> None:
    """Damage that keeps every file loadable (same shapes, valid UTF-8) must not reach the scores."""
    monkeypatch.setenv("VNPLANS_CACHE_DIR", str(tmp_path))
    reference = NgramLM.load()
    (copy,) = tmp_path.glob("lm-*")
    if damage == "truncated vocab":
        vocab = copy / "vocab.txt"
        vocab.write_text("\n".join(vocab.read_text(encoding="utf-8").split("\n")[:-50]), encoding="utf-8")
    else:
        arr = np.load(copy / "lp2.npy")
        if damage == "zeroed lp2":
            arr[:] = 0
        else:
            arr.view(np.uint8)[arr.nbytes // 2] ^= 0x10
        np.save(copy / "lp2.npy", arr)
    assert lm_cache.read(model_path(MODEL_NAME)) is None  # refused, and removed
    recovered = NgramLM.load()
    assert _same_scores(reference, recovered)
    assert _mapped(NgramLM.load().keys[1])  # a good copy was written again


def test_the_copy_is_named_by_the_models_content(tmp_path: Path) -> None:
    """A byte copy of the model finds the same copy; one changed member, a different one (the name
    comes from the zip directory's CRC-32s, not from hashing the whole file)."""
    import shutil
    import zipfile

    source = model_path(MODEL_NAME)
    same = tmp_path / "same.npz"
    shutil.copyfile(source, same)
    changed = tmp_path / "changed.npz"
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(changed, "w") as out:
        for info in z.infolist():
            data = z.read(info)
            if info.filename.startswith("uni_lp"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            out.writestr(info.filename, data)
    root = tmp_path / "cache"
    assert lm_cache._folder(root, same) == lm_cache._folder(root, source)
    assert lm_cache._folder(root, changed) != lm_cache._folder(root, source)
