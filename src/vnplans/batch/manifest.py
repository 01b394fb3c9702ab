"""`manifest.jsonl`: one line per input, appended (fsynced) after that input's outputs are in place.

The line is the completion marker a rerun trusts: an input is skipped only when its last line says
ok with the same content hash and fingerprint and its outputs exist. A line torn by SIGKILL is ignored,
and the file is compacted (one line per input, sorted, atomically rewritten) at start and at the end.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ..atomic import append_line_durable, atomic_write_text

__all__ = ["Manifest", "fingerprint", "sha256_file", "MANIFEST_NAME"]

MANIFEST_NAME = "manifest.jsonl"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def fingerprint(*, fix: bool, converter: str, text_layer: str = "auto") -> str:
    """What besides the input bytes decides the outputs: version, options, the shipped models and dictionaries."""
    from .. import __version__

    parts: dict[str, Any] = {"version": __version__, "fix": fix, "converter": converter}
    if text_layer != "auto":  # the default leaves earlier fingerprints (and resumes) as they were
        parts["text_layer"] = text_layer
    from ..resources import data_dir

    for kind in ("models", "dictionaries"):  # both decide the outputs (the repairer reads dictionaries too)
        try:
            root = data_dir(kind)
            parts[kind] = sorted(
                (p.relative_to(root).as_posix(), p.stat().st_size) for p in root.rglob("*") if p.is_file()
            )
        except OSError:
            parts[kind] = []
    blob = json.dumps(parts, sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


class Manifest:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, dict[str, Any]] = {}  # by output name

    @classmethod
    def load(cls, path: Path) -> Manifest:
        m = cls(path)
        if path.exists():
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line torn by a kill: that input simply is not done
                if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                    m.entries[entry["name"]] = entry
        return m

    def is_done(self, name: str, sha256: str, fp: str, formats: tuple[str, ...], out: Path) -> bool:
        e = self.entries.get(name)
        return bool(
            e
            and e.get("status") == "ok"
            and e.get("sha256") == sha256
            and e.get("fingerprint") == fp
            and set(formats) <= set(e.get("formats", ()))
            and all((out / o).is_file() for o in e.get("outputs", ()))
        )

    def record(self, entry: dict[str, Any]) -> None:
        """Durably append the completion line (call after the outputs are written)."""
        self.entries[entry["name"]] = entry
        append_line_durable(self.path, json.dumps(entry, ensure_ascii=False, sort_keys=True))

    def compact(self) -> None:
        text = "".join(
            json.dumps(self.entries[k], ensure_ascii=False, sort_keys=True) + "\n"
            for k in sorted(self.entries)
        )
        atomic_write_text(self.path, text)
