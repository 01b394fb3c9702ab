"""The output folder: a lock against concurrent runs, per-document files (JSON last), and `tasks.csv`."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
from pathlib import Path
from typing import Any

from ..atomic import atomic_write_bytes, atomic_write_text, fsync_dir
from ..export.formats import FORMATS

__all__ = [
    "OutputDir",
    "ForeignOutput",
    "output_file",
    "csv_cell",
    "rebuild_tasks_csv",
    "LOCK_NAME",
    "TASKS_NAME",
    "INDEX_NAME",
    "TASK_KEY_COLUMNS",
]

LOCK_NAME = ".vnplans.lock"
TASKS_NAME = "tasks.csv"
INDEX_NAME = "index.html"
TASK_KEY_COLUMNS = ["document", "name", "number", "symbol", "issued_date"]
# JSON last: it is the record a reader trusts
_WRITE_ORDER = ("txt", "md", "pdf", "alto", "hocr", "tsv", "html", "json")  # fmt: skip


def output_file(name: str, fmt: str) -> str:
    """`<name>.json`, `<name>.alto.xml`, ..."""
    return f"{name}.{FORMATS[fmt].suffix if fmt in FORMATS else fmt}"


def is_our_index(path: Path) -> bool:
    """An index.html this tool wrote (it names vnplans as generator, or in its title as before)."""
    try:
        with path.open("rb") as f:
            head = f.read(4096)
    except OSError:
        return False
    return b'<meta name="generator" content="vnplans">' in head or b"<title>vnplans: " in head


class ForeignOutput(OSError):
    """An output file's name is taken by a file this tool did not write: it is left alone."""


class OutputDir:
    """Holds an exclusive lock on the folder for the run (a second `convert` into it fails clearly), and
    writes or removes only files it wrote itself.

    Which files are ours: the `outputs` of the manifest's entries (`own`), plus the one document being
    written when a run was killed, named in the lock file before its files are written. A file of the
    user's that has an output's name is never overwritten or deleted: that document fails instead.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self.owned: dict[str, set[str]] = {}  # output name -> files of ours

    def __enter__(self) -> OutputDir:
        self.path.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # Windows: no advisory lock, single-run use assumed
            pass
        except OSError:
            os.close(fd)
            raise OSError(f"another vnplans convert is writing to {self.path} (lock {LOCK_NAME})") from None
        self._fd = fd
        try:
            self._check_ours()
            self._read_journal()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            os.close(self._fd)  # releases the lock; the lock file may stay
            self._fd = None

    def _check_ours(self) -> None:
        """Refuse a folder whose manifest or tasks.csv is someone else's: we would rewrite both."""
        from .manifest import MANIFEST_NAME, is_manifest

        manifest, tasks = self.path / MANIFEST_NAME, self.path / TASKS_NAME
        if manifest.exists() and not is_manifest(manifest):
            raise ValueError(f"{manifest} was not written by vnplans; choose another --out")
        if tasks.exists() and not manifest.exists():
            raise ValueError(f"{tasks} was not written by vnplans (no manifest.jsonl); choose another --out")

    def _read_journal(self) -> None:
        assert self._fd is not None
        raw = os.pread(self._fd, 1 << 20, 0)
        with contextlib.suppress(ValueError, TypeError, KeyError, AttributeError):
            entry = json.loads(raw)
            self.owned.setdefault(entry["name"], set()).update(map(str, entry["outputs"]))

    def _journal(self, name: str, files: list[str]) -> None:
        """Name the files about to be written, durably, so a rerun after a kill knows they are ours."""
        if self._fd is None:
            return
        data = json.dumps({"name": name, "outputs": files}, ensure_ascii=True).encode()
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, data, 0)
        os.fsync(self._fd)

    def adopt(self, entries: dict[str, dict[str, Any]]) -> None:
        """Files the manifest says we wrote."""
        for name, e in entries.items():
            self.owned.setdefault(name, set()).update(o for o in e.get("outputs") or () if isinstance(o, str))

    def foreign(self, name: str, files: list[str]) -> list[str]:
        """Those of `files` that exist but were not written by us."""
        mine = self.owned.get(name, set())
        return [f for f in files if f not in mine and os.path.lexists(self.path / f)]

    def write_document(self, name: str, outputs: dict[str, bytes]) -> list[str]:
        """Write a document's files (JSON last); raises ForeignOutput, writing nothing, when a name is taken."""
        files = [output_file(name, fmt) for fmt in _WRITE_ORDER if fmt in outputs]
        taken = self.foreign(name, files)
        if taken:
            raise ForeignOutput(
                f"{', '.join(taken)} in {self.path} was not written by vnplans; left untouched "
                "(move it, or choose another --out)"
            )
        self._journal(name, sorted(set(files) | self.owned.get(name, set())))
        for fmt in _WRITE_ORDER:
            if fmt in outputs:
                atomic_write_bytes(self.path / output_file(name, fmt), outputs[fmt])
        stale = self.owned.get(name, set()) - set(files)
        for f in stale:  # an output of ours not produced this time must not survive from an earlier run
            with contextlib.suppress(FileNotFoundError):
                (self.path / f).unlink()
        self.owned[name] = set(files)
        return sorted(files)

    def write_index(self, html: str) -> None:
        """The folder's `index.html` (review pages): replaces only one we wrote, never a user's."""
        path = self.path / INDEX_NAME
        if os.path.lexists(path) and not is_our_index(path):
            raise ForeignOutput(f"{INDEX_NAME} in {self.path} was not written by vnplans; left untouched")
        atomic_write_text(path, html)

    def remove_outputs(self, name: str) -> None:
        """A failed input has no outputs (an older conversion of different bytes must not linger); only
        files we wrote are removed."""
        mine = self.owned.get(name, set())
        for f in sorted(
            mine, key=lambda f: not f.endswith(".json")
        ):  # JSON first: without it the rest is not a result
            with contextlib.suppress(FileNotFoundError):
                (self.path / f).unlink()
        self.owned[name] = set()

    def move_document(self, old: str, new: str) -> dict[str, str]:
        """Rename the files of output `old` to output `new` (a renamed input); returns old file -> new file."""
        moved: dict[str, str] = {}
        for f in sorted(self.owned.get(old, set())):
            if not f.startswith(f"{old}."):
                continue
            target = new + f[len(old) :]
            moved[f] = target
        taken = self.foreign(new, list(moved.values()))
        if taken:
            raise ForeignOutput(
                f"{', '.join(taken)} in {self.path} was not written by vnplans; left untouched"
            )
        self._journal(new, sorted(set(moved.values()) | set(moved)))
        self.owned.setdefault(new, set()).update(moved.values())
        for f, target in moved.items():
            os.replace(self.path / f, self.path / target)
        fsync_dir(self.path)
        self.owned[old] = set()
        return moved


def _task_rows(record: Any) -> list[dict[str, Any]]:
    try:
        from ..export import task_rows
    except ImportError:  # export stage not installed: the task fields as they are
        task_rows = None
    if task_rows is not None:
        return task_rows(record)
    rows = []
    for t in record.tasks:
        row = t.model_dump(mode="json")
        rows.append({k: "; ".join(v) if isinstance(v, list) else v for k, v in row.items()})
    return rows


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading `'` (OWASP
    CSV injection); the README recommends opening tasks.csv in Excel."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def rebuild_tasks_csv(
    out: Path, entries: dict[str, dict[str, Any]], *, paths: str = "relative", bom: bool = False
) -> tuple[int, list[str]]:
    """All task rows of every converted document, from the JSONs on disk (complete after resumes).

    `document` is the input's path inside the folder it was found under (`paths="relative"`: the same
    wherever the command ran) or its absolute path; `bom` writes a UTF-8 BOM for Excel. Every cell
    goes through `csv_cell` (formula neutralisation).
    """
    from ..models import PlanRecord

    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    columns = list(TASK_KEY_COLUMNS)
    for name in sorted(entries):
        e = entries[name]
        if e.get("status") != "ok":
            continue
        try:
            record = PlanRecord.model_validate_json((out / f"{name}.json").read_bytes())
        except (OSError, ValueError) as err:
            problems.append(f"tasks.csv: left out {name}.json ({type(err).__name__})")
            continue
        h = record.header
        key = {
            "document": (e.get("abspath") if paths == "absolute" else e.get("input")) or e.get("path", name),
            "name": name,
            "number": h.number or "",
            "symbol": h.symbol or "",
            "issued_date": h.issued_date.isoformat() if h.issued_date else "",
        }
        for task in _task_rows(record):
            for col in task:
                if col not in columns:
                    columns.append(col)
            rows.append({**key, **{k: v for k, v in task.items() if k not in key}})
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    for r in rows:
        w.writerow({k: csv_cell(v) for k, v in r.items()})
    atomic_write_text(out / TASKS_NAME, ("\ufeff" if bom else "") + buf.getvalue())
    return len(rows), problems
