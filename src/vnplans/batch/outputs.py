"""The output folder: a lock against concurrent runs, per-document files (JSON last), and `tasks.csv`."""

from __future__ import annotations

import contextlib
import csv
import io
import os
from pathlib import Path
from typing import Any

from ..atomic import atomic_write_bytes, atomic_write_text

__all__ = ["OutputDir", "rebuild_tasks_csv", "LOCK_NAME", "TASKS_NAME", "TASK_KEY_COLUMNS"]

LOCK_NAME = ".vnplans.lock"
TASKS_NAME = "tasks.csv"
TASK_KEY_COLUMNS = ["document", "name", "number", "symbol", "issued_date"]
# JSON last: it is the record a reader trusts
_WRITE_ORDER = ("txt", "md", "pdf", "alto", "hocr", "tsv", "html", "json")  # fmt: skip
_SUFFIX = {"alto": "alto.xml"}  # file name ending per format where it is not the format's name


def output_file(name: str, fmt: str) -> str:
    """`<name>.json`, `<name>.alto.xml`, ..."""
    return f"{name}.{_SUFFIX.get(fmt, fmt)}"


class OutputDir:
    """Holds an exclusive lock on the folder for the run (a second `convert` into it fails clearly)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

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
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            os.close(self._fd)  # releases the lock; the empty lock file may stay
            self._fd = None

    def write_document(self, name: str, outputs: dict[str, bytes]) -> list[str]:
        written = []
        for fmt in _WRITE_ORDER:
            if fmt in outputs:
                atomic_write_bytes(self.path / output_file(name, fmt), outputs[fmt])
                written.append(output_file(name, fmt))
        for fmt in _WRITE_ORDER:  # a format not produced this time must not survive from an earlier run
            if fmt not in outputs:
                with contextlib.suppress(FileNotFoundError):
                    (self.path / output_file(name, fmt)).unlink()
        return sorted(written)

    def remove_outputs(self, name: str) -> None:
        """A failed input has no outputs (an older conversion of different bytes must not linger)."""
        for fmt in _WRITE_ORDER:  # JSON first here: without it the rest is not a result
            with contextlib.suppress(FileNotFoundError):
                (self.path / output_file(name, fmt)).unlink()


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


def rebuild_tasks_csv(
    out: Path, entries: dict[str, dict[str, Any]], *, paths: str = "relative", bom: bool = False
) -> tuple[int, list[str]]:
    """All task rows of every converted document, from the JSONs on disk (complete after resumes).

    `document` is the input's path inside the folder it was found under (`paths="relative"`: the same
    wherever the command ran) or its absolute path; `bom` writes a UTF-8 BOM for Excel.
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
        w.writerow({k: ("" if v is None else v) for k, v in r.items()})
    atomic_write_text(out / TASKS_NAME, ("\ufeff" if bom else "") + buf.getvalue())
    return len(rows), problems
