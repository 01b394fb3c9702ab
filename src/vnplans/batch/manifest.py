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
from ..options import Options

__all__ = ["Manifest", "fingerprint", "sha256_file", "is_manifest", "MANIFEST_NAME"]

MANIFEST_NAME = "manifest.jsonl"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def fingerprint(options: Options, *, converter: str) -> str:
    """What besides the input bytes decides the outputs: version, options, the shipped models and dictionaries."""
    from .. import __version__

    parts: dict[str, Any] = {"version": __version__, "fix": options.fix, "converter": converter}
    # only settings changed from the defaults: the defaults leave earlier fingerprints (and resumes) as they were
    parts |= {k: v for k, v in options.changed().items() if k != "fix"}
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


def is_manifest(path: Path) -> bool:
    """Empty, or with at least one line of ours: anything else is a file of the user's to leave alone."""
    try:
        with path.open("rb") as f:
            head = f.read(1 << 16)
    except OSError:
        return False
    if not head.strip():
        return True
    for line in head.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and isinstance(entry.get("name"), str) and "status" in entry:
            return True
    return False


def _line(entry: dict[str, Any]) -> str:
    """One JSON line that is always valid UTF-8 (a stray surrogate is written as an escape)."""
    text = json.dumps(entry, ensure_ascii=False, sort_keys=True)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(entry, ensure_ascii=True, sort_keys=True)
    # JSON leaves these unescaped, but str.splitlines (a reader's first tool) breaks lines at them
    return text.replace("\x85", "\\u0085").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


class Manifest:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, dict[str, Any]] = {}  # by output name
        self._by_sha: dict[Any, list[str]] | None = None  # content hash -> names, built when first asked

    @classmethod
    def load(cls, path: Path) -> Manifest:
        m = cls(path)
        if path.exists():
            for line in path.read_text(encoding="utf-8", errors="replace").split("\n"):
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

    def find_done(
        self, sha256: str, fp: str, formats: tuple[str, ...], out: Path, *, other_than: str
    ) -> dict[str, Any] | None:
        """A finished entry of the same content under another name (the input was renamed or copied)."""
        if self._by_sha is None:
            self._by_sha = {}
            for name, e in sorted(self.entries.items()):
                self._by_sha.setdefault(e.get("sha256"), []).append(name)
        for name in self._by_sha.get(sha256, ()):
            if name != other_than and sha256 and self.is_done(name, sha256, fp, formats, out):
                return self.entries[name]
        return None

    def forget(self, name: str) -> None:
        """Drop an entry (its input is gone and its outputs moved): rewrites the file at once."""
        if self.entries.pop(name, None) is not None:
            self._by_sha = None
            self.compact()

    def record(self, entry: dict[str, Any]) -> None:
        """Durably append the completion line (call after the outputs are written)."""
        self.entries[entry["name"]] = entry
        self._by_sha = None
        append_line_durable(self.path, _line(entry))

    def compact(self) -> None:
        text = "".join(_line(self.entries[k]) + "\n" for k in sorted(self.entries))
        atomic_write_text(self.path, text)
