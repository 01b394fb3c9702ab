"""What every executor runs in a worker: one document, or one page range of a split document.

It never raises for a bad document and never writes into the output folder: it returns the bytes of
each output (or, for a page range, the page results) so the coordinating process alone writes files
(atomically, JSON last). That keeps a killed or remote worker from leaving half a document behind,
and lets Dask workers run on machines that only see the inputs. Turning a record into output bytes is
one function for both paths: in the worker for a whole document, in the coordinating process
(`finish_document`) for a document whose pages came back from several workers.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vnplans.export.formats import FORMAT_NAMES, WORD_FORMATS, render_record
from vnplans.export.formats import FORMATS as _REGISTRY
from vnplans.names import display
from vnplans.options import Options

__all__ = [
    "Task",
    "PageTask",
    "Outcome",
    "PageOutcome",
    "convert_one",
    "convert_pages",
    "execute",
    "failure",
    "finish_document",
    "DEFAULT_CONVERTER",
    "FORMATS",
]

DEFAULT_CONVERTER = "vnplans.pipeline"
FORMATS = FORMAT_NAMES  # the registry's (export/formats.py)
PDF_FAILED = "searchable PDF failed"


@dataclass(frozen=True)
class Task:
    path: str  # absolute, so every executor (and the record's source.path) sees the same string
    name: str  # output stem inside the output folder
    formats: tuple[str, ...] = ("json", "txt", "md")
    converter: str = DEFAULT_CONVERTER  # module with `convert` (and optionally `convert_detailed`)
    sha256: str = ""  # the input's hash when the caller took it already (a split document is not read again)
    options: Options = Options()

    @property
    def fix(self) -> bool:
        return self.options.fix

    def arguments(self, fn: Callable[..., Any]) -> dict[str, Any]:
        """Keywords for the converter's `fn`: the Options where it takes them (the pipeline), else `fix`
        and whatever else differs from the defaults as keywords, so any converter module works."""
        import inspect

        if "options" in inspect.signature(fn).parameters:
            return {"options": self.options}
        return {"fix": self.options.fix} | {k: v for k, v in self.options.changed().items() if k != "fix"}


@dataclass(frozen=True)
class PageTask:
    """Pages `first`..`last` of a document split across workers (needs `process_pages` in the converter)."""

    doc: Task
    first: int
    last: int

    @property
    def path(self) -> str:
        return self.doc.path

    @property
    def name(self) -> str:
        return self.doc.name

    @property
    def label(self) -> str:
        return f"pages {self.first}-{self.last}" if self.last > self.first else f"page {self.first}"


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
    workers: list[int] = field(default_factory=list)  # pids of the processes that did the work

    def failed(self, err: BaseException) -> Outcome:
        self.status = "failed"
        # the manifest names the input already (its name may hold characters _one_line would change)
        msg = str(err).removeprefix(f"{self.path}: ").removeprefix(f"{display(self.path)}: ")
        self.error = _one_line(msg) if msg.strip() else _one_line(err)
        self.error_type = type(err).__name__
        self.outputs = {}
        return self


@dataclass
class PageOutcome(Outcome):
    """A page range's results; page images only travel when a searchable PDF is wanted."""

    first: int = 0
    last: int = 0
    results: list[Any] = field(default_factory=list)  # pipeline.PageResult, in page order

    def failed(self, err: BaseException) -> PageOutcome:
        super().failed(err)
        self.results = []
        return self


def failure(task: Task | PageTask, reason: str, error_type: str) -> Outcome:
    """The outcome of a task that never reported (its worker died or timed out)."""
    if isinstance(task, PageTask):
        reason = f"{task.label}: {reason}"
        return PageOutcome(
            task.path, task.name, "failed", reason, error_type, first=task.first, last=task.last
        )
    return Outcome(task.path, task.name, "failed", error=reason, error_type=error_type)


def _one_line(err: BaseException | str) -> str:
    msg = " ".join(str(err).split()) or type(err).__name__
    return msg if len(msg) <= 300 else msg[:297] + "..."


def _searchable(mod: Any, result: Any, pdf_out: Path, record: Any = None) -> list[str]:
    """Write the searchable PDF of a processed document; notes say why there is none."""
    if not any(p.image is not None and p.ocr is not None for p in result.pages):
        return ["pdf: not available for inputs without image pages"]
    t0 = time.perf_counter()
    notes = []
    try:
        mod.write_searchable(result, pdf_out, record)  # the record gives the PDF's metadata
    except Exception as e:  # the record and text are still good; a rerun retries the PDF
        pdf_out.unlink(missing_ok=True)
        notes.append(f"pdf: {PDF_FAILED}: {_one_line(e)}")
    result.timings["pdf"] = round(time.perf_counter() - t0, 4)
    return notes


def _word_outputs(
    result: Any, formats: tuple[str, ...], path: str, record: Any = None
) -> tuple[dict[str, bytes], list[str]]:
    """ALTO / hOCR / TSV of the document's OCR'd pages, and its HTML review page; notes where none."""
    out: dict[str, bytes] = {}
    notes: list[str] = []
    name = display(Path(path).name)  # a name that is not UTF-8 is shown as \xNN, never fails to encode
    if "html" in formats and record is not None:
        from vnplans.export.review import page_images, render_review

        try:
            images = page_images(path, [p.number for p in result.pages])
        except Exception as e:  # the review page still shows the record and the warnings
            images = {}
            notes.append(f"html: page images left out: {_one_line(e)}")
        out["html"] = render_review(record, result, images, name=name).encode("utf-8")
    wanted = [f for f in WORD_FORMATS if f in formats]
    if not wanted:
        return out, notes
    from vnplans import __version__
    from vnplans.export.words import page_words

    pages = page_words(result)
    if not pages:
        return out, [*notes, f"{','.join(wanted)}: not available for inputs without OCR'd pages"]
    return out | {
        f: _REGISTRY[f].render(pages, file_name=name, version=__version__).encode("utf-8") for f in wanted
    }, notes


def _convert(
    mod: Any, task: Task, pdf_out: Path | None
) -> tuple[Any, dict[str, float], list[str], dict[str, bytes]]:
    """Record, stage timings and notes; uses the pipeline's staged API when it has one."""
    path, formats = Path(task.path), task.formats
    staged = getattr(mod, "convert_detailed", None)
    if staged is None:
        t0 = time.perf_counter()
        record = mod.convert(path, fix=task.fix)
        notes = [f"pdf: {PDF_FAILED}: this pipeline has no staged API"] if pdf_out is not None else []
        return record, {"convert": round(time.perf_counter() - t0, 4)}, notes, {}
    # page images are kept only for a searchable PDF: memory stays flat in the number of pages
    import inspect

    lean = (
        {}
        if "keep_images" not in inspect.signature(staged).parameters
        else {"keep_images": pdf_out is not None}
    )
    record, result = staged(path, **task.arguments(staged), **lean)
    notes = _searchable(mod, result, pdf_out, record) if pdf_out is not None else []
    words, more = _word_outputs(result, formats, str(path), record)
    return record, dict(result.timings), notes + more, words


def _render(record: Any, formats: tuple[str, ...]) -> dict[str, bytes]:
    """The formats made from the record alone (json always)."""
    return render_record(record, formats)


@contextlib.contextmanager
def _capture(out: Outcome) -> Iterator[None]:
    """Turn any failure inside into `out`'s one-line reason: a batch continues past any bad document."""
    from vnplans.errors import UnsupportedInput

    try:
        yield
    except UnsupportedInput as e:
        out.failed(e).status = "skipped"
    except MemoryError as e:
        out.failed(e).error = "out of memory"
    except Exception as e:
        out.failed(e)
        if not isinstance(e, (ValueError, OSError)):  # not an input problem: keep where it came from
            tb = traceback.extract_tb(e.__traceback__)
            if tb:
                out.notes.append(f"at {Path(tb[-1].filename).name}:{tb[-1].lineno}")


Produce = Callable[[Path | None], tuple[Any, dict[str, float], list[str], dict[str, bytes]]]


def _document(task: Task, produce: Produce, spent: float = 0.0) -> Outcome:
    """Record (from `produce(pdf_out)`) to output bytes; `spent`: seconds already spent elsewhere."""
    out = Outcome(task.path, task.name, "ok")
    t_start = time.perf_counter()
    with _capture(out), tempfile.TemporaryDirectory(prefix="vnplans-") as tmp:
        pdf_out = Path(tmp) / "out.pdf" if "pdf" in task.formats else None
        record, out.timings, out.notes, words = produce(pdf_out)
        t0 = time.perf_counter()
        out.outputs = _render(record, task.formats) | words
        if pdf_out is not None and pdf_out.exists():
            out.outputs["pdf"] = pdf_out.read_bytes()
        out.timings["render"] = round(time.perf_counter() - t0, 4)
        out.sha256 = record.source.sha256
        out.pages = record.source.pages
        out.warnings = len(record.quality.warnings)
    out.timings["total"] = round(spent + time.perf_counter() - t_start, 4)
    return out


def convert_one(task: Task) -> Outcome:
    """Convert one document; every failure becomes an Outcome with a one-line reason."""
    os.environ["OMP_THREAD_LIMIT"] = "1"  # Tesseract: one thread per worker, workers give the parallelism

    def produce(pdf_out: Path | None) -> tuple[Any, dict[str, float], list[str], dict[str, bytes]]:
        mod = importlib.import_module(task.converter)
        return _convert(mod, task, pdf_out)

    out = _document(task, produce)
    out.workers = [os.getpid()]
    return out


def convert_pages(task: PageTask) -> PageOutcome:
    """Process one page range of a document (no parsing: the coordinator finishes the document)."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    out = PageOutcome(task.path, task.name, "ok", first=task.first, last=task.last, workers=[os.getpid()])
    t0 = time.perf_counter()
    with _capture(out):
        mod = importlib.import_module(task.doc.converter)
        fn = mod.process_pages
        _, out.results = mod.process_pages(task.path, task.first, task.last, **task.doc.arguments(fn))
        if "pdf" not in task.doc.formats:
            for page in out.results:
                page.image = None  # the biggest part of a page result, needed only for the PDF
    out.timings["total"] = round(time.perf_counter() - t0, 4)
    return out


def execute(task: Task | PageTask) -> Outcome:
    """What a pool worker runs for any task."""
    return convert_pages(task) if isinstance(task, PageTask) else convert_one(task)


def prepare_finishing(converter: str) -> None:
    """Load what finishing a split document needs (record building, rendering) before the first one.

    Run in a thread as the first document is split, while the workers start and read its pages.
    Otherwise finishing it pays ~0.2 s of imports and first-use set-up in the coordinator, on a core
    the workers need by then. Best effort: finishing does the same work again if this fails.
    """
    with contextlib.suppress(Exception):
        mod = importlib.import_module(converter)
        if hasattr(mod, "convert_text"):
            _render(mod.convert_text("KẾ HOẠCH\nI. MỤC ĐÍCH", fix=False), FORMATS)


def finish_document(task: Task, kind: str, sha256: str, pages: list[PageOutcome]) -> Outcome:
    """Parse and render a split document from all its page outcomes (in the coordinating process)."""

    def produce(pdf_out: Path | None) -> tuple[Any, dict[str, float], list[str], dict[str, bytes]]:
        mod = importlib.import_module(task.converter)
        result = mod.assemble_document(task.path, sha256, kind, [r for o in pages for r in o.results])
        record = mod.build_record(result, name=display(Path(task.path).name))
        notes = _searchable(mod, result, pdf_out, record) if pdf_out is not None else []
        words, more = _word_outputs(result, task.formats, task.path, record)
        return record, dict(result.timings), notes + more, words

    out = _document(task, produce, spent=sum(o.timings.get("total", 0.0) for o in pages))
    out.workers = sorted({pid for o in pages for pid in o.workers})
    return out
