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

`codec="marshal"` keeps a table in the form the code uses (tuples, tuple keys, frozensets), for the
tables the text fix loads while Tesseract reads the first page: JSON and turning its lists back into
tuples cost 0.02-0.05 s each, marshal a quarter of that. Marshal, like JSON, only builds values (it
never runs code, unlike pickle); its format changes between Python versions, so the version is in
the key, and a file that does not load as the type `build()` gives is computed anew.

`Packed` goes one step further for big tables a page reads a few entries of: each value stays
marshalled until it is looked up (the candidate table's 4,000 readings lists, ~100k tuples and floats,
took 15-30 ms to build at the first repair; a page looks up a few hundred of them).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import marshal
import os
import sys
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from .resources import cache_root

__all__ = ["derived", "Packed", "pack"]

_FORMAT = 1  # bump when the layout of the stored file changes


def _digest(name: str, inputs: Iterable[Path], codec: str = "json") -> str:
    salt = (
        f"{_FORMAT}\0{name}"
        if codec == "json"
        else f"{_FORMAT}\0{name}\0{codec}{marshal.version}\0{sys.version}"
    )
    h = hashlib.sha256(salt.encode())
    for path in inputs:
        h.update(b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()[:20]


def derived(name: str, inputs: Iterable[str | Path], build: Callable[[], Any], *, codec: str = "json") -> Any:
    """`build()`'s value, from the cache when it was stored for the same `inputs` (files: the
    dictionaries and the modules it is computed from); computed and stored otherwise. `codec`:
    "json" (lists come back for tuples) or "marshal" (the value as built)."""
    root = cache_root()
    suffix = ".json" if codec == "json" else ".marshal"
    try:
        digest = None if root is None else _digest(name, map(Path, inputs), codec)
    except OSError:  # an input is missing: the builder says what (or copes)
        digest = None
    path = None if root is None or digest is None else root / "derived" / f"{name}-{digest}{suffix}"
    if path is not None:
        try:
            return _read(path, codec)
        except (OSError, ValueError, EOFError, TypeError):
            pass  # none yet, or damaged: computed and written anew below
    value = build()
    if path is not None:
        _store(path, value, codec)
    return value


def _read(path: Path, codec: str) -> Any:
    if codec == "json":
        return json.loads(path.read_text(encoding="utf-8"))
    value = marshal.loads(path.read_bytes())
    if not isinstance(value, dict | tuple | list | frozenset):
        raise ValueError(f"{path.name}: not a table")
    return value


def _store(path: Path, value: Any, codec: str = "json") -> None:
    """Write atomically; earlier versions of the same table are removed (best effort, silent)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if codec == "json":
            tmp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        else:
            tmp.write_bytes(marshal.dumps(value))
        tmp.replace(path)
        stem = path.name.rsplit("-", 1)[0]
        for old in path.parent.glob(f"{stem}-*{path.suffix}"):
            if old != path:
                old.unlink(missing_ok=True)
    except (OSError, TypeError, ValueError):
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def pack(table: Mapping[Hashable, Any]) -> dict[Hashable, bytes]:
    """A table's values marshalled one by one, for `Packed` (what a builder gives `derived`)."""
    return {key: marshal.dumps(value) for key, value in table.items()}


_NONE = object()


class Packed(Mapping):
    """A read-only table over `pack`ed values, each unmarshalled at its first lookup and kept.

    Thread-safe as a dict is: two threads reading one key at once both build the same value."""

    __slots__ = ("_raw", "_seen")

    def __init__(self, raw: Mapping[Hashable, bytes]) -> None:
        self._raw = raw
        self._seen: dict[Hashable, Any] = {}

    def __getitem__(self, key: Hashable) -> Any:
        got = self._seen.get(key, _NONE)
        if got is _NONE:
            got = self._seen[key] = marshal.loads(self._raw[key])
        return got

    def get(self, key: Hashable, default: Any = None) -> Any:  # a miss without raising KeyError
        return self[key] if key in self._raw else default

    def __contains__(self, key: object) -> bool:
        return key in self._raw

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)
