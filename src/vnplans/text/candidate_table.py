"""Candidate readings of every inventory syllable, computed once at build time for the `vie` profile.

Why: a page's first repair scores candidates for each distinct word it meets (~200 on a page, a
Python edit-distance search and a segmentation score per reading: 0.05-0.09 s of the 0.13 s repair
after OCR), and most of those words are ordinary syllables that every page meets again. The table is a
cache of `Channel._candidates_uncached(word, "vie", K_CANDIDATES, 0)` over the channel's inventory,
stamped with the channel model's digest and this module's `VERSION`: a table built for another model
or another candidate search is ignored (`load` returns None), and `tests/test_candidate_table.py`
recomputes a sample of it, so a stale table fails CI rather than change results.

    python -m tools.candidate_table   # models/candidate_table.json.xz (make candidate-table)
"""

from __future__ import annotations

import json
import lzma
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .channel import Channel

__all__ = ["TABLE_NAME", "VERSION", "PROFILE", "build", "write", "load"]

TABLE_NAME = "candidate_table.json.xz"
VERSION = 2  # bump when `Channel._candidates_uncached` changes what it returns
PROFILE = "vie"  # the profile of `vnplans ocr` pages; other profiles are searched as before

Readings = tuple[tuple[str, float, float], ...]


def _stamp(channel: Channel) -> dict:
    from .channel import COMMON_EXTRA, COMMON_MIN_LP, K_CANDIDATES

    return {
        "version": VERSION,
        "channel_sha256": channel.sha256,
        "profile": PROFILE,
        "limit": K_CANDIDATES,
        "common_extra": COMMON_EXTRA,
        "common_min_lp": COMMON_MIN_LP,
    }


def build(channel: Channel) -> dict:
    """{meta, readings: {syllable: [[reading, channel lp, channel + prior], ...]}} over the inventory."""
    from .channel import K_CANDIDATES

    readings = {
        syl: [list(r) for r in channel._candidates_uncached(syl, PROFILE, K_CANDIDATES, 0)]
        for syl in sorted(channel.unigrams)
    }
    return {"meta": _stamp(channel), "readings": readings}


def write(table: dict, path: str | Path) -> None:
    path = Path(path)
    tmp = path.with_suffix(".tmp")
    with lzma.open(tmp, "wt", encoding="utf-8", preset=9) as fh:
        json.dump(table, fh, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    tmp.replace(path)


def load(channel: Channel, path: str | Path | None = None) -> Mapping[str, Readings] | None:
    """The table's readings when it was built for this channel and this search, else None."""
    if path is None:
        from ..errors import ModelNotFound
        from ..resources import model_path

        try:
            path = model_path(TABLE_NAME)
        except ModelNotFound:
            return None
    table = Path(path)

    from ..derived import Packed, derived, pack

    def read() -> tuple[dict, dict[str, bytes]]:
        with lzma.open(table, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
        return data.get("meta"), pack(
            {syl: tuple(tuple(r) for r in rs) for syl, rs in data["readings"].items()}
        )

    try:  # kept as built in the user's cache: the file's JSON is read once, not by every process;
        # each word's readings are built when a page first meets it (`Packed`)
        meta, readings = derived("candidate-table", (table, __file__), read, codec="marshal")
    except (OSError, ValueError, EOFError, lzma.LZMAError, KeyError, AttributeError, TypeError):
        return None
    return Packed(readings) if meta == _stamp(channel) else None
