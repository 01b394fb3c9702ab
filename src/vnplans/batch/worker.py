"""The per-document function every executor runs: one input path in, rendered output bytes out.

It never raises for a bad document and never writes into the output folder: it returns the bytes of
each output so the coordinating process alone writes files (atomically, JSON last). That keeps a
killed or remote worker from leaving half a document behind, and lets Dask workers run on machines
that only see the inputs.
"""

from __future__ import annotations

import importlib
import os
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Task", "Outcome", "convert_one", "DEFAULT_CONVERTER", "FORMATS"]

DEFAULT_CONVERTER = "vnplans.pipeline"
FORMATS = ("json", "txt", "md", "pdf")
PDF_FAILED = "searchable PDF failed"


@dataclass(frozen=True)
class Task:
    path: str  # absolute, so every executor (and the record's source.path) sees the same string
    name: str  # output stem inside the output folder
    formats: tuple[str, ...] = ("json", "txt", "md")
    fix: bool = True
    converter: str = DEFAULT_CONVERTER  # module with `convert` (and optionally `convert_detailed`)


@dataclass
class Outcome:
    """What a worker sends back; plain data so it pickles across processes and Dask."""

    path: str
    name: str
    status: str  # ok | failed | skipped
    error: str | None = None
    error_type: str | None = None
    sha256: str | None = None
    pages: int | None = None
    warnings: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    outputs: dict[str, bytes] = field(default_factory=dict)  # format -> file bytes

    def failed(self, err: BaseException) -> Outcome:
        self.status = "failed"
        msg = _one_line(err)
        self.error = msg.removeprefix(f"{self.path}: ")  # the manifest names the input already
        self.error_type = type(err).__name__
        self.outputs = {}
        return self


def _one_line(err: BaseException) -> str:
    msg = " ".join(str(err).split()) or type(err).__name__
    return msg if len(msg) <= 300 else msg[:297] + "..."


def _convert(
    mod: Any, path: Path, fix: bool, pdf_out: Path | None
) -> tuple[Any, dict[str, float], list[str]]:
    """Record, stage timings and notes; uses the pipeline's staged API when it has one."""
    notes: list[str] = []
    staged = getattr(mod, "convert_detailed", None)
    if staged is None:
        t0 = time.perf_counter()
        record = mod.convert(path, fix=fix)
        if pdf_out is not None:
            notes.append(f"pdf: {PDF_FAILED}: this pipeline has no staged API")
        return record, {"convert": round(time.perf_counter() - t0, 4)}, notes
    record, result = staged(path, fix=fix)
    if pdf_out is not None:
        if not any(p.image is not None and p.ocr is not None for p in result.pages):
            notes.append("pdf: not available for inputs without image pages")
        else:
            t0 = time.perf_counter()
            try:
                mod.write_searchable(result, pdf_out)
            except Exception as e:  # the record and text are still good; a rerun retries the PDF
                pdf_out.unlink(missing_ok=True)
                notes.append(f"pdf: {PDF_FAILED}: {_one_line(e)}")
            result.timings["pdf"] = round(time.perf_counter() - t0, 4)
    return record, dict(result.timings), notes


def _render(record: Any, formats: tuple[str, ...]) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    if "txt" in formats:
        text = record.text
        out["txt"] = (text if text.endswith("\n") or not text else text + "\n").encode("utf-8")
    if "md" in formats:
        from vnplans.export import to_markdown

        md = to_markdown(record)
        out["md"] = (md if md.endswith("\n") else md + "\n").encode("utf-8")
    out["json"] = (record.model_dump_json(indent=2) + "\n").encode("utf-8")
    return out


def convert_one(task: Task) -> Outcome:
    """Convert one document; every failure becomes an Outcome with a one-line reason."""
    os.environ["OMP_THREAD_LIMIT"] = "1"  # Tesseract: one thread per worker, workers give the parallelism
    from vnplans.errors import UnsupportedInput

    out = Outcome(task.path, task.name, "ok")
    t_start = time.perf_counter()
    try:
        mod = importlib.import_module(task.converter)
        with tempfile.TemporaryDirectory(prefix="vnplans-") as tmp:
            pdf_out = Path(tmp) / "out.pdf" if "pdf" in task.formats else None
            record, out.timings, out.notes = _convert(mod, Path(task.path), task.fix, pdf_out)
            t0 = time.perf_counter()
            out.outputs = _render(record, task.formats)
            if pdf_out is not None and pdf_out.exists():
                out.outputs["pdf"] = pdf_out.read_bytes()
            out.timings["render"] = round(time.perf_counter() - t0, 4)
        out.sha256 = record.source.sha256
        out.pages = record.source.pages
        out.warnings = len(record.quality.warnings)
    except UnsupportedInput as e:
        out.failed(e).status = "skipped"
    except MemoryError as e:
        out.failed(e).error = "out of memory"
    except Exception as e:  # a batch continues past any bad document
        out.failed(e)
        if not isinstance(e, (ValueError, OSError)):  # not an input problem: keep where it came from
            tb = traceback.extract_tb(e.__traceback__)
            if tb:
                out.notes.append(f"at {Path(tb[-1].filename).name}:{tb[-1].lineno}")
    out.timings["total"] = round(time.perf_counter() - t_start, 4)
    return out
