"""Where the committed models and dictionaries live, for editable installs, wheels and overrides."""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

__all__ = ["data_dir", "model_path", "dictionary_path"]


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
