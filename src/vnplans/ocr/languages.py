"""The languages the installed Tesseract has, remembered between processes.

Why: `tesseract --list-langs` is a process start and a folder listing, 0.03 s on the main thread
before the first page of every `vnplans ocr` command (4 % of a fast 1-bit page's whole time). The
answer changes only when the command, `TESSDATA_PREFIX` or the model folder changes, and adding or
removing a `.traineddata` file changes the folder's modification time. So the answer is kept in the
user's cache with those three, and asked again when any of them differs. The cache is only an
optimisation: no cache folder, a damaged file or a folder that cannot be read ask the command.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from pathlib import Path

from ..resources import cache_root
from .page import OcrUnavailable

__all__ = ["installed_languages"]

_MISSING = (
    "tesseract is not installed or not on PATH; install tesseract-ocr (Debian: "
    "apt-get install tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd, or `make system-deps`)"
)


def _stamp(path: str | Path) -> list[int]:
    st = os.stat(path)
    return [st.st_mtime_ns, st.st_size]


def _ask(exe: str) -> tuple[str, frozenset[str]]:
    """The model folder and its languages, from the command itself."""
    import subprocess  # 4 ms of imports that a cached answer does not need

    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=60)
    except (FileNotFoundError, PermissionError):
        raise OcrUnavailable(_MISSING) from None
    lines = out.stdout.splitlines()
    # the first line names the folder (`List of available languages in "/usr/share/...":`)
    head = lines[0] if lines else ""
    folder = head.split('"')[1] if head.count('"') >= 2 else ""
    return folder, frozenset(line.strip() for line in lines[1:] if line.strip())


def installed_languages() -> frozenset[str]:
    """The language names `tesseract --list-langs` prints (`vie`, `eng`, `osd`, ...)."""
    exe = shutil.which("tesseract")
    if exe is None:
        raise OcrUnavailable(_MISSING)
    root = cache_root()
    path = None if root is None else root / "tesseract-languages.json"
    try:
        key = [exe, _stamp(exe), os.environ.get("TESSDATA_PREFIX", "")]
    except OSError:
        key, path = [], None
    if path is not None:
        with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
            kept = json.loads(path.read_text(encoding="utf-8"))
            if kept["key"] == key and kept["folder"] and kept["stamp"] == _stamp(kept["folder"]):
                return frozenset(kept["languages"])
    folder, langs = _ask(exe)
    if path is not None and folder:
        from ..atomic import atomic_write_text  # on a miss only: its imports cost 17 ms

        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            value = {"key": key, "folder": folder, "stamp": _stamp(folder), "languages": sorted(langs)}
            atomic_write_text(path, json.dumps(value))
    return langs
