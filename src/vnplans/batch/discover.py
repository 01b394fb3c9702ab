"""Expand command-line inputs (files, folders, globs) into documents with stable, unique output names.

Folders are walked recursively in sorted order; hidden files and folders, our own ground-truth sidecars
(`*.truth.txt`, `*.expected.json`) and the output folder itself are left out. Whether a file is a
supported document is the ingest stage's decision, not ours (unsupported ones end up "skipped").
A sub-folder that cannot be listed becomes an input with an `error`, so the batch reports it as failed
instead of leaving its documents out in silence; symbolic links to folders are not followed (no loops).
"""

from __future__ import annotations

import glob
import hashlib
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..names import safe_stem

__all__ = ["Input", "discover", "assign_names", "SIDECAR_SUFFIXES"]

SIDECAR_SUFFIXES = (".truth.txt", ".expected.json")
_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class Input:
    path: Path  # as found (relative if the argument was relative)
    root: Path | None  # the folder argument it was found under; None for a file given by name
    error: str | None = None  # set for a folder that could not be read: reported as a failed input


def realpath(path: Path) -> Path:
    """Path.resolve without its errors: a symlink loop, or a link we may not read (`/proc/1/cwd`), stays as is."""
    try:
        return Path(os.path.realpath(path))
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


def _ignored(name: str) -> bool:
    return name.startswith(".") or name.endswith(SIDECAR_SUFFIXES)


def _walk(root: Path, exclude: set[Path]) -> Iterable[tuple[Path, str | None]]:
    """(file, None) for each file, (folder, reason) for each folder that cannot be listed."""
    unreadable: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable.append):
        while unreadable:
            yield from _unreadable(unreadable.pop(0))
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not _ignored(d) and realpath(here / d) not in exclude)
        for f in sorted(filenames):
            if not _ignored(f):
                yield here / f, None
    for err in unreadable:
        yield from _unreadable(err)


def _unreadable(err: OSError) -> Iterable[tuple[Path, str]]:
    if err.filename is not None:
        yield Path(err.filename), f"cannot read folder: {err.strerror or err}"


def discover(inputs: Iterable[str | Path], *, exclude: Iterable[Path] = ()) -> list[Input]:
    """Files in argument order, each once; raises ValueError for an argument that matches nothing."""
    if isinstance(inputs, (str, os.PathLike)):  # one path, not the characters of one
        inputs = [inputs]
    excl = {realpath(Path(p)) for p in exclude}
    found: list[Input] = []
    seen: set[Path] = set()

    def add(path: Path, root: Path | None, error: str | None = None) -> None:
        real = realpath(path)
        if real in seen or any(real.is_relative_to(e) for e in excl):
            return
        seen.add(real)
        found.append(Input(path, root, error))

    for arg in inputs:
        if not str(arg).strip():
            raise ValueError("empty input path (give a file or folder)")
        p = Path(arg)
        if p.is_dir():
            for f, err in _walk(p, excl):
                add(f, p, err)
        elif p.is_file():
            add(p, None)  # named explicitly: taken even if it looks like a sidecar
        elif _GLOB_CHARS & set(str(arg)):
            matches = sorted(glob.glob(str(arg), recursive=True))
            if not matches:
                raise ValueError(f"no files match {arg}")
            for m in map(Path, matches):
                if m.is_dir():
                    for f, err in _walk(m, excl):
                        add(f, m, err)
                elif m.is_file() and not _ignored(m.name):
                    add(m, None)
        else:
            raise ValueError(f"input not found: {arg}")
    return found


def _candidates(item: Input) -> list[str]:
    """Names from shortest to surely unique; a file keeps its short name unless another claims it."""
    rel = item.path.relative_to(item.root) if item.root is not None else Path(item.path.name)
    stem_parts = [*rel.parent.parts, rel.stem]
    full_parts = [*rel.parent.parts, rel.name.replace(".", "_")]
    outer = (realpath(item.root).name if item.root is not None else realpath(item.path).parent.name) or "root"
    digest = hashlib.sha1(os.fsencode(realpath(item.path))).hexdigest()[:8]
    # valid UTF-8 and short enough for the file system (a cut name carries a hash of the whole)
    return [
        safe_stem("__".join(stem_parts)),
        safe_stem("__".join(full_parts)),
        safe_stem("__".join([outer, *full_parts])),
        safe_stem("__".join([outer, *full_parts]), limit=170) + "-" + digest,
    ]


def assign_names(items: list[Input]) -> dict[Path, str]:
    """Output stem per input, deterministic for a given set of inputs (independent of their order).

    `a/plan.txt` -> `plan`; with a folder argument, `sub/plan.txt` -> `sub__plan`; when two inputs would
    share a name, both move to a longer form (`plan_txt`, then the folder name, then a path hash).
    """
    cands = {it.path: _candidates(it) for it in items}
    level = dict.fromkeys(cands, 0)
    for _ in range(4):
        groups: dict[str, list[Path]] = defaultdict(list)
        for path, lv in level.items():
            groups[cands[path][lv].casefold()].append(path)  # case-insensitive filesystems too
        clashes = [p for g in groups.values() if len(g) > 1 for p in g]
        if not clashes:
            break
        for p in clashes:
            level[p] = min(level[p] + 1, 3)
    return {path: cands[path][lv] for path, lv in level.items()}
