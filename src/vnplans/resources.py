"""Where the committed models and dictionaries live, for editable installs, wheels and overrides."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TypeVar

from .errors import ModelNotFound

__all__ = [
    "cache_root",
    "data_dir",
    "model_path",
    "dictionary_path",
    "load_once",
    "dictionary_entries",
    "admin_unit_names",
    "comma_ratio",
    "comma_words",
    "two_syllable_words",
]

T = TypeVar("T")
_LOCK = threading.Lock()
_LOADED: dict[tuple[str, str], object] = {}


def cache_root() -> Path | None:
    """The user's cache folder (unpacked models, `derived` tables), or None when caching is off."""
    env = os.environ.get("VNPLANS_CACHE_DIR")
    if env is not None:
        return None if env.strip().lower() in ("", "0", "off", "none") else Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache")
    return Path(base) / "vnplans"


@cache
def data_dir(kind: str) -> Path:
    """Find `models/` or `dictionaries/`: $VNPLANS_HOME, the installed package data, the source checkout.

    A wheel carries both folders as `vnplans/_models` and `vnplans/_dictionaries` (see setup.py); an
    editable install or `PYTHONPATH=src` reads the checkout's own folders. Nothing found is an
    installation error (`ModelNotFound`), never a silent fallback to uncorrected text.
    """
    candidates: list[Path] = []
    if home := os.environ.get("VNPLANS_HOME"):
        candidates.append(Path(home) / kind)
    package = resources.files("vnplans") / f"_{kind}"
    if isinstance(package, Path):  # an installed wheel (a zipped package is not supported)
        candidates.append(package)
    candidates.append(Path(__file__).resolve().parents[2] / kind)
    for c in candidates:
        if c.is_dir() and any(c.iterdir()):
            return c
    raise ModelNotFound(
        f"vnplans {kind}/ not found (a broken install?); looked in: " + ", ".join(map(str, candidates))
    )


def model_path(name: str) -> Path:
    """A model file; `ModelNotFound` when it is not installed, so no stage runs without its model."""
    path = data_dir("models") / name
    if not path.is_file():
        raise ModelNotFound(f"vnplans model {name} not found in {path.parent} (a broken install?)")
    return path


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
def comma_words() -> dict[str, float]:
    """log10 P(comma | syllable) / P(comma) by LM spelling, and by pair after a folded syllable
    (dictionaries/comma_words.tsv, built by `python -m tools.comma_words`); empty if absent. The LM
    skips commas: this is their evidence. Kept in the cache (`derived`): the 36,000 lines parsed
    cost 0.06 s, the cached table 0.02 s."""
    from .derived import derived

    def build() -> dict[str, float]:
        try:
            lines = dictionary_entries("comma_words.tsv")
        except OSError:
            return {}
        return {w: float(v) for w, _, v in (line.partition("\t") for line in lines)}

    return derived("comma-words", (__file__, dictionary_path("comma_words.tsv")), build, codec="marshal")


def comma_ratio(ratios: dict[str, float], prev: str, word: str) -> float:
    """`comma_words`' evidence for `word` before a comma after the syllable `prev` (folded; `""`: none):
    the pair's own where listed (`tự do,` is no preposition `do,`), else the word's."""
    return ratios.get(f"{prev} {word}", ratios.get(word, 0.0))  # no key opens with a space: `prev` ""


@cache
def two_syllable_words() -> frozenset[str]:
    """Two-syllable words (`doanh nghiệp`, lower case, NFC) from dictionaries/words.txt; empty if absent."""
    import unicodedata

    from .derived import derived

    def build() -> list[str]:
        try:
            lines = dictionary_entries("words.txt")
        except OSError:
            return []
        return sorted(
            {unicodedata.normalize("NFC", w) for line in lines if (w := line.strip()).count(" ") == 1}
        )

    return frozenset(derived("two-syllable-words", (__file__, dictionary_path("words.txt")), build))
