"""Tables computed from the dictionaries, kept in the user's cache between processes.

Why: some tables are rebuilt from dictionary files by every process before its first repair (the
two-syllable words and the gazetteer in `new`/`old` tone placement: 0.3 s of CPU), and on two cores
that CPU is taken from Tesseract reading the page. Computed once and stored as JSON, a load costs a
few milliseconds.

A table is keyed by the SHA-256 of what it is computed from: its dictionary files and the source of
the code that computes it, so an edited dictionary or rule is never served an old table. The file is
written to a temporary name and renamed (a reader never sees half of it), and the cache is only an
optimisation: no cache folder (`VNPLANS_CACHE_DIR=off`), a read-only home or a damaged file fall back
to computing the table. JSON, not pickle: a file in a shared cache folder is data, never code.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .resources import cache_root

__all__ = ["derived"]

_FORMAT = 1  # bump when the layout of the stored file changes


def _digest(name: str, inputs: Iterable[Path]) -> str:
    h = hashlib.sha256(f"{_FORMAT}\0{name}".encode())
    for path in inputs:
        h.update(b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()[:20]


def derived(name: str, inputs: Iterable[str | Path], build: Callable[[], Any]) -> Any:
    """`build()`'s JSON value, from the cache when it was stored for the same `inputs` (files: the
    dictionaries and the modules it is computed from); computed and stored otherwise."""
    root = cache_root()
    try:
        path = None if root is None else root / "derived" / f"{name}-{_digest(name, map(Path, inputs))}.json"
    except OSError:  # an input is missing: the builder says what (or copes)
        path = None
    if path is not None:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass  # none yet, or damaged: computed and written anew below
    value = build()
    if path is not None:
        _store(path, value)
    return value


def _store(path: Path, value: Any) -> None:
    """Write atomically; earlier versions of the same table are removed (best effort, silent)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
        stem = path.name.rsplit("-", 1)[0]
        for old in path.parent.glob(f"{stem}-*.json"):
            if old != path:
                old.unlink(missing_ok=True)
    except (OSError, TypeError, ValueError):
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
