"""Writing a corpus-derived word list into dictionaries/ (shared by the list builders in tools/)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path


def write_word_list(out: str | Path, header: str, entries: list[str]) -> None:
    """`header` (`#` comment lines) then one entry per line, written atomically."""
    from vnplans.atomic import atomic_write_text

    atomic_write_text(out, header + "\n".join(entries) + "\n")


def word_list_main(
    argv: list[str] | None, *, prog: str, out: str, build: Callable[[str], list[str]], header: str, noun: str
) -> int:
    """The command line of a list builder: `--corpus`, `--out`; build the list, write it, say how long."""
    p = argparse.ArgumentParser(prog=prog)
    p.add_argument("--corpus", default="../shared/corpus")
    p.add_argument("--out", default=out)
    args = p.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    listed = build(args.corpus)
    write_word_list(args.out, header, listed)
    print(f"{len(listed)} {noun} -> {args.out}")
    return 0
