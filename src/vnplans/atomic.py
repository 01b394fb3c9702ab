"""Crash-safe file writes: a reader (or a rerun after SIGKILL) sees the old file or the new one, never half.

Each write goes to a hidden temp file in the target's folder (same filesystem, so `os.replace` is atomic),
is fsynced, renamed over the target, and the folder entry is fsynced. Temp files carry a fixed marker so a
later run can remove the ones a killed run left behind (`cleanup_temp`).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import IO

__all__ = [
    "TEMP_SUFFIX",
    "atomic_write_bytes",
    "atomic_write_text",
    "atomic_open",
    "append_line_durable",
    "cleanup_temp",
    "fsync_dir",
    "temp_path_for",
]

TEMP_SUFFIX = ".vnplans.tmp"


def temp_path_for(path: Path) -> Path:
    """A unique hidden sibling of `path`, recognisable by `cleanup_temp`; its name fits 255 bytes even
    when `path`'s own name nearly fills them (the original name is cut, never the marker)."""
    from .names import short_temp_name

    return path.with_name(short_temp_name(path, f".{os.getpid()}-{secrets.token_hex(4)}{TEMP_SUFFIX}"))


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (no-op where folders cannot be opened, e.g. Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_open(path: Path | str, mode: str = "wb", *, encoding: str | None = None) -> Iterator[IO]:
    """Open a temp file for writing; on clean exit it replaces `path`, on any exception it is removed."""
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_open: mode must be 'w' or 'wb', not {mode!r}")
    path = Path(path)
    tmp = temp_path_for(path)
    newline = "" if "b" not in mode else None
    f = open(tmp, mode, encoding=encoding if "b" not in mode else None, newline=newline)  # noqa: SIM115
    try:
        with f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:  # includes KeyboardInterrupt: never leave a temp file behind
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(path.parent)


def atomic_write_bytes(path: Path | str, data: bytes) -> None:
    with atomic_open(path, "wb") as f:
        f.write(data)


def atomic_write_text(path: Path | str, text: str, *, encoding: str = "utf-8") -> None:
    """Text is written with '\\n' line ends on every platform, so outputs are byte-identical everywhere."""
    atomic_write_bytes(path, text.encode(encoding))


def append_line_durable(path: Path | str, line: str) -> None:
    """Append one line and fsync it: used for journal-style files (the batch manifest)."""
    if "\n" in line:
        raise ValueError("append_line_durable: line must not contain a newline")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def cleanup_temp(folder: Path | str) -> list[Path]:
    """Remove temp files a killed writer left in `folder` (not recursive); returns what was removed."""
    removed: list[Path] = []
    folder = Path(folder)
    if not folder.is_dir():
        return removed
    for p in folder.glob(f".*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            p.unlink()
            removed.append(p)
    return removed
