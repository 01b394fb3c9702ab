"""Where the committed models and dictionaries live, for editable installs, wheels and overrides."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TypeVar

__all__ = [
    "data_dir",
    "model_path",
    "dictionary_path",
    "load_once",
    "dictionary_entries",
    "admin_unit_names",
    "two_syllable_words",
]

T = TypeVar("T")
_LOCK = threading.Lock()
_LOADED: dict[tuple[str, str], object] = {}


@cache
def data_dir(kind: str) -> Path:
    """Find `models/` or `dictionaries/`: $VNPLANS_HOME, the source checkout, then sys.prefix/share."""
    candidates = []
    if home := os.environ.get("VNPLANS_HOME"):
        candidates.append(Path(home) / kind)
    candidates.append(Path(__file__).resolve().parents[2] / kind)
    candidates.append(Path(sys.prefix) / "share" / "vnplans" / kind)
    for c in candidates:
        if c.is_dir():
            return c
    raise FileNotFoundError(f"vnplans {kind}/ not found; looked in: " + ", ".join(map(str, candidates)))


def model_path(name: str) -> Path:
    return data_dir("models") / name


def dictionary_path(name: str) -> Path:
    return data_dir("dictionaries") / name


def dictionary_entries(name: str) -> list[str]:
    """The lines of dictionaries/`name` that are neither blank nor `#` comments; OSError if absent."""
    lines = dictionary_path(name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def load_once(kind: str, path: str | Path | None, loader: Callable[[str | Path | None], T]) -> T:
    """A model loaded once per process and path (thread-safe): workers pay the load a single time."""
    key = (kind, str(path or ""))
    value = _LOADED.get(key)
    if value is None:
        with _LOCK:
            value = _LOADED.get(key)
            if value is None:
                value = _LOADED[key] = loader(path)
    return value  # type: ignore[return-value]


@cache
def admin_unit_names() -> tuple[str, ...]:
    """Official unit names (NFC, level word included) from dictionaries/admin_units.tsv; () if absent.

    One reader for the parser (place spellings) and the quality detector (minority place words).
    """
    import unicodedata

    try:
        lines = dictionary_entries("admin_units.tsv")
    except OSError:
        return ()
    return tuple(unicodedata.normalize("NFC", line.split("\t", 1)[0]) for line in lines)


@cache
def two_syllable_words() -> frozenset[str]:
    """Two-syllable words (`doanh nghiệp`, lower case, NFC) from dictionaries/words.txt; empty if absent."""
    import unicodedata

    try:
        lines = dictionary_entries("words.txt")
    except OSError:
        return frozenset()
    return frozenset(unicodedata.normalize("NFC", w) for line in lines if (w := line.strip()).count(" ") == 1)
