"""An unpacked copy of the language model in the user's cache, memory-mapped on load.

`models/lm.npz` is packed to stay small in the repository (5 MB): every process that loads it
decompresses and rebuilds 26 MB of tables, 0.1-0.2 s, again in every batch worker and every `vnplans
restore`. Unpacked once into the cache, the tables are mapped instead: a load costs a few
milliseconds, and the workers of a batch share one copy in the page cache instead of holding one each.

The copy is keyed by the model file's SHA-256, written to a temporary folder and renamed into place
(a reader never sees half a copy), and is only ever an optimisation: no cache folder, a read-only
home, a full disk or a damaged copy all fall back to the packed model. `VNPLANS_CACHE_DIR` chooses
the folder (`off` disables it); the default is `$XDG_CACHE_HOME/vnplans` or `~/.cache/vnplans`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import numpy as np

__all__ = ["cache_root", "read", "write"]

_FORMAT = 1  # bump when the layout below changes


def cache_root() -> Path | None:
    """The folder for unpacked models, or None when caching is off."""
    env = os.environ.get("VNPLANS_CACHE_DIR")
    if env is not None:
        return None if env.strip().lower() in ("", "0", "off", "none") else Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache")
    return Path(base) / "vnplans"


def _folder(root: Path, source: Path) -> Path:
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:20]
    return root / f"lm-{_FORMAT}-{digest}"


def read(source: Path) -> tuple[dict[str, np.ndarray], list[str], dict] | None:
    """(arrays, vocabulary, meta) of the unpacked copy of `source`, arrays memory-mapped read-only;
    None when there is none (or it cannot be read)."""
    root = cache_root()
    if root is None:
        return None
    try:
        folder = _folder(root, source)
    except OSError:
        return None
    if not folder.is_dir():
        return None
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        vocab = (folder / "vocab.txt").read_text(encoding="utf-8").split("\n")
        arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in meta["arrays"]}
        return arrays, vocab, meta["meta"]
    except (OSError, ValueError, KeyError):  # damaged (copies are complete when renamed into place)
        shutil.rmtree(folder, ignore_errors=True)  # the next load writes it anew
        return None


def write(source: Path, arrays: dict[str, np.ndarray], vocab: list[str], meta: dict) -> None:
    """Unpack into the cache (best effort: any failure leaves no trace and is not reported)."""
    root = cache_root()
    if root is None:
        return
    tmp: Path | None = None
    try:
        folder = _folder(root, source)
        if folder.is_dir():
            return
        root.mkdir(parents=True, exist_ok=True)
        tmp = root / f".{folder.name}.{os.getpid()}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        for name, a in arrays.items():
            np.save(tmp / f"{name}.npy", np.ascontiguousarray(a), allow_pickle=False)
        (tmp / "vocab.txt").write_text("\n".join(vocab), encoding="utf-8")
        (tmp / "meta.json").write_text(json.dumps({"arrays": sorted(arrays), "meta": meta}), encoding="utf-8")
        try:
            tmp.rename(folder)
        except OSError:  # another process got there first: its copy is the same
            return
        tmp = None
        for old in root.glob("lm-*"):  # copies of earlier models (a mapped copy stays readable)
            if old != folder:
                shutil.rmtree(old, ignore_errors=True)
    except (OSError, ValueError, TypeError):
        return
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
