"""An unpacked copy of the language model in the user's cache, memory-mapped on load.

`models/lm.npz` is packed to stay small in the repository (5 MB): every process that loads it
decompresses and rebuilds 26 MB of tables, 0.1-0.2 s, again in every batch worker and every `vnplans
restore`. Unpacked once into the cache, the tables are mapped instead: a load costs a few
milliseconds, and the workers of a batch share one copy in the page cache instead of holding one each.

The copy is keyed by the model's content as its zip directory states it (each member's name, size and
CRC-32), written to a temporary folder and renamed into place (a reader never sees half a copy), and
is only ever an optimisation: no cache folder, a read-only home, a full disk or a damaged copy all
fall back to the packed model. A copy damaged after it was written (a truncated `vocab.txt`, a zeroed
`lp2.npy`) would silently change every score, so each load checks it against the checksums written
with it: the vocabulary's SHA-256 and, per array, its size and a word sum (numpy, a few ms for the
27 MB, where SHA-256 of all of it would cost more than the mapping saves). `VNPLANS_CACHE_DIR` chooses
the folder (`off` disables it); the default is `$XDG_CACHE_HOME/vnplans` or `~/.cache/vnplans`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
from pathlib import Path

import numpy as np

from ..resources import cache_root

__all__ = ["cache_root", "read", "write"]

_FORMAT = 3  # bump when the layout below changes (2: checksums in meta.json; 3: named by zip CRCs)


def _folder(root: Path, source: Path) -> Path:
    """Named after the model's content as its zip directory states it: each member's name, size and
    CRC-32 (read from the end of the file; the SHA-256 of all 5 MB cost 7 ms of every load)."""
    with zipfile.ZipFile(source) as z:
        members = sorted((i.filename, i.file_size, i.CRC) for i in z.infolist())
    digest = hashlib.sha256(repr((source.stat().st_size, members)).encode()).hexdigest()[:20]
    return root / f"lm-{_FORMAT}-{digest}"


def _sum64(a: np.ndarray) -> int:
    """Wrap-around sum of the array's bytes as 64-bit words: changes with any zeroed or cut region."""
    raw = np.ascontiguousarray(a).reshape(-1).view(np.uint8)
    pad = (-raw.size) % 8
    if pad:
        raw = np.concatenate([raw, np.zeros(pad, np.uint8)])
    words = raw.view(np.uint64)
    return int(np.add.reduce(words, dtype=np.uint64)) ^ (int(words.size) << 1)


def _checks(arrays: dict[str, np.ndarray], vocab_text: str) -> dict:
    return {
        "vocab_sha256": hashlib.sha256(vocab_text.encode("utf-8")).hexdigest(),
        "arrays": {name: [int(a.nbytes), _sum64(a)] for name, a in arrays.items()},
    }


def read(source: Path) -> tuple[dict[str, np.ndarray], list[str], dict] | None:
    """(arrays, vocabulary, meta) of the unpacked copy of `source`, arrays memory-mapped read-only;
    None when there is none (or it cannot be read)."""
    root = cache_root()
    if root is None:
        return None
    try:
        folder = _folder(root, source)
    except (OSError, zipfile.BadZipFile):  # the packed model's own load says what is wrong
        return None
    if not folder.is_dir():
        return None
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        vocab_text = (folder / "vocab.txt").read_text(encoding="utf-8")
        # plain arrays over the mapped files: an `np.memmap` runs Python (`__array_finalize__`) on
        # every slice, 2-3 ms of a page's text fix
        arrays = {name: np.asarray(np.load(folder / f"{name}.npy", mmap_mode="r")) for name in meta["arrays"]}
        if _checks(arrays, vocab_text) != meta["checks"]:
            raise ValueError("the cached model does not match its checksums")
        return arrays, vocab_text.split("\n"), meta["meta"]
    except (OSError, ValueError, KeyError, TypeError):  # damaged since it was written: write it anew
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
        vocab_text = "\n".join(vocab)
        (tmp / "vocab.txt").write_text(vocab_text, encoding="utf-8")
        checks = _checks(arrays, vocab_text)
        head = {"arrays": sorted(arrays), "meta": meta, "checks": checks}
        (tmp / "meta.json").write_text(json.dumps(head), encoding="utf-8")
        try:
            tmp.rename(folder)
        except OSError:  # another process got there first: its copy is the same
            return
        tmp = None
        for old in root.glob("lm-*"):  # copies of earlier models (a mapped copy stays readable)
            if old != folder:
                shutil.rmtree(old, ignore_errors=True)
    except (OSError, ValueError, TypeError, zipfile.BadZipFile):
        return
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
