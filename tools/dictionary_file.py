"""Writing a corpus-derived word list into dictionaries/ (shared by the list builders in tools/)."""

from __future__ import annotations

from pathlib import Path


def write_word_list(out: str | Path, header: str, entries: list[str]) -> None:
    """`header` (`#` comment lines) then one entry per line, written atomically."""
    from vnplans.atomic import atomic_write_text

    atomic_write_text(out, header + "\n".join(entries) + "\n")
