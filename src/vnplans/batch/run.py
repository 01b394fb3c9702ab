"""Batch conversion: discover inputs, skip the ones already done, convert the rest in parallel (a
multi-page scan as page tasks, see `pages`), write outputs atomically (JSON last, then the manifest
line), rebuild `tasks.csv`, and return an exit code.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..atomic import cleanup_temp
from ..errors import UsageError
from ..export.formats import parse_formats
from ..names import display
from ..options import TEXT_LAYER_MODES, Options
from .discover import Input, assign_names, discover, realpath
from .manifest import MANIFEST_NAME, Manifest, fingerprint, sha256_file
from .outputs import ForeignOutput, OutputDir, output_file, rebuild_tasks_csv
from .pages import PageSplitter
from .pool import ProcessRunner, default_jobs
from .report import make_reporter
from .worker import DEFAULT_CONVERTER, PDF_FAILED, Outcome, PageTask, Task

if TYPE_CHECKING:
    from ..models import PlanRecord

__all__ = ["run_batch", "convert_many", "BatchResult", "parse_formats", "EXIT_OK", "EXIT_FAILED"]

CSV_PATHS = ("relative", "absolute")
EXIT_OK = 0
EXIT_FAILED = 1  # at least one input failed (the others are converted)
EXECUTORS = ("process", "dask", "inline")
# imported once in the fork server, so workers start with them instead of each importing OpenCV, PDFium,
# pdfplumber and the pipeline on its first page (~0.3 s per worker, and memory shared copy-on-write)
_PRELOAD = [
    "vnplans.ingest",
    "vnplans.models",
    "vnplans.parse",
    "vnplans.export",
    "vnplans.text.auto",
    "vnplans.image.preprocess",
    "vnplans.layout",
    "vnplans.ocr",
    "vnplans.text.repair",
    "cv2",
    "pypdfium2",
    "pdfplumber",
]  # fmt: skip  (plus what the OCR engine names: ocr.engine_preload)


class _Signals:
    """SIGTERM behaves like Ctrl-C; both are held back while one document's files are being written."""

    def __init__(self) -> None:
        self.pending = False
        self.depth = 0
        self.saved: dict[int, Any] = {}

    def _handler(self, signum: int, frame: Any) -> None:
        if self.depth:
            self.pending = True
            return
        raise KeyboardInterrupt

    def __enter__(self) -> _Signals:
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self.saved[sig] = signal.signal(sig, self._handler)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, old in self.saved.items():
            signal.signal(sig, old)

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1
        if not self.depth and self.pending:
            self.pending = False
            raise KeyboardInterrupt


# Estimated seconds, for ordering only (outputs do not depend on it), measured on samples/: a page
# costs ~1.2 s whatever its file size (a 36 KB PNG at 150 dpi is upscaled and costs what a 300 KB
# colour scan does); repairing English-model OCR text ~0.4 s per KB.
PAGE_SECONDS = 1.2
TEXT_SECONDS_PER_BYTE = 0.4 / 1024
SCAN_SECONDS_PER_BYTE = 1.2 / 500_000  # when pages are not counted: an A4 scan is ~0.5 MB
# Larger batches are ordered by file size: counting pages would delay the first task, and the idle
# tail that good ordering saves is a smaller share of a long run.
COUNT_PAGES_UP_TO = 1000


def _costs(paths: list[Path]) -> dict[Path, float]:
    count = len(paths) <= COUNT_PAGES_UP_TO
    return {p: _cost(p, count) for p in paths}


def _cost(path: Path, count_pages: bool) -> float:
    """Work estimate: text (by name, as ingest's tie-breaker) by size, scans and PDFs by page count."""
    from ..ingest.detect import TEXT_SUFFIXES

    try:
        size = path.stat().st_size
    except OSError:
        return 0.0
    if path.name.lower().endswith(TEXT_SUFFIXES):
        return size * TEXT_SECONDS_PER_BYTE
    if count_pages:
        from ..ingest import probe

        try:
            return probe(path, digest=False).page_count * PAGE_SECONDS
        except Exception:  # unreadable: its own task reports why; order it by size
            pass
    return size * SCAN_SECONDS_PER_BYTE


def _split_workers(executor: str, scheduler: str | None, jobs: int) -> int:
    """Workers page tasks may spread over: the process pool only (Dask keeps whole documents)."""
    return jobs if executor == "process" and not scheduler else 1


def _make_runner(
    executor: str, scheduler: str | None, jobs: int, timeout: float | None, converter: str, engine: str | None
) -> Any:
    if scheduler or executor == "dask":
        from .cluster import DaskRunner

        return DaskRunner(scheduler=scheduler, jobs=jobs)
    if executor == "process":
        if converter == DEFAULT_CONVERTER:
            from ..ocr import engine_preload

            preload = [*_PRELOAD, *engine_preload(engine), converter]
        else:
            preload = [converter]
        return ProcessRunner(jobs, timeout=timeout, preload=preload)
    return _InlineRunner()


class _InlineRunner:
    """In this process, one at a time: for debugging and for embedding without subprocesses."""

    def run(self, tasks: Iterable[Task | PageTask]) -> Iterator[Outcome]:
        from .worker import execute

        for task in tasks:
            yield execute(task)


def _relative(it: Any) -> str:
    """The input's path inside the folder argument it was found under (its name when given as a file)."""
    if it.root is not None:
        try:
            return it.path.relative_to(it.root).as_posix()
        except ValueError:
            pass
    return it.path.name


def _where(it: Input) -> tuple[str, str]:
    """(path inside its input folder, absolute path) as shown in tasks.csv and used to spot renamed
    inputs: always valid UTF-8 (`display`), resolved without Path.resolve (a symlink loop raises)."""
    return display(_relative(it)), display(realpath(it.path))


def _entry(
    outcome: Outcome,
    *,
    display: str,
    sha: str,
    fp: str,
    formats: tuple[str, ...],
    where: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """The manifest line; `where` is (path inside its input folder, absolute path) for tasks.csv."""
    return {
        "name": outcome.name,
        "path": display,
        "input": where[0] if where else None,
        "abspath": where[1] if where else None,
        "sha256": sha,
        "fingerprint": fp,
        "status": outcome.status,
        "error": outcome.error,
        "error_type": outcome.error_type,
        "pages": outcome.pages,
        "warnings": outcome.warnings,
        "notes": outcome.notes,
        # formats this entry satisfies; a PDF that failed is left out so the next run tries again
        "formats": [f for f in formats if not (f == "pdf" and any(PDF_FAILED in n for n in outcome.notes))],
        "outputs": [],
        "timings": outcome.timings,
        "workers": outcome.workers,
        "seconds": outcome.timings.get("total"),
        "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def check_out(inputs: list[str | Path], out: Path) -> None:
    """Refuse an output folder that is, or holds, an input: its files would be left out as our own."""
    real_out = realpath(out)
    for arg in inputs:
        if not str(arg).strip():
            raise UsageError("empty input path (give a file or folder)")
        real = realpath(Path(arg))
        if real == real_out or real.is_relative_to(real_out):
            raise UsageError(
                f"--out {display(out)} is, or contains, the input {display(arg)}; choose another output folder"
            )


def _as_list(paths: Iterable[str | Path] | str | Path) -> list[str | Path]:
    """A single path (str or Path) is one input, not a sequence of one-character paths."""
    if isinstance(paths, (str, Path)):
        return [paths]
    return list(paths)


_COPIED_FORMATS = ("pdf", "tsv")
_NAMED_FORMATS = ("alto", "hocr", "html")  # hold the input's file name (ALTO/hOCR source, review title)


def _reuse(od: OutputDir, prior: dict[str, Any], it: Input, name: str, fmts: tuple[str, ...]) -> list[str]:
    """Outputs of an input converted before under another name (renamed or copied): the stored record
    with its new source path, rendered again; no conversion. The old name's files go if its input did."""
    from ..models import PlanRecord
    from .worker import _render

    old = prior["name"]
    record = PlanRecord.model_validate_json((od.path / f"{old}.json").read_bytes())
    record.source.path = display(realpath(it.path))
    outputs = _render(record, fmts)
    for fmt in _COPIED_FORMATS:  # no input name inside: the bytes stand for the renamed input too
        if fmt in fmts:
            outputs[fmt] = (od.path / output_file(old, fmt)).read_bytes()
    written = od.write_document(name, outputs)
    return written


def _input_gone(entry: dict[str, Any], current: set[str]) -> bool:
    """Whether an entry's input was renamed away: not an input of this run, and not on disk."""
    if entry.get("name") in current:  # a copy with the same bytes, still here
        return False
    where = entry.get("abspath") or entry.get("path")
    if not isinstance(where, str) or "\\x" in where:  # a name shown with \xNN cannot be looked up: keep
        return False
    return not Path(where).exists()


def _drop_renamed_outputs(
    od: OutputDir, manifest: Manifest, items: list[Input], names: dict[Path, str]
) -> None:
    """Entries of an input of this run that now has another output name (`plan` became `plan_txt` when
    `plan.pdf` joined it): their outputs and rows would be stale duplicates in tasks.csv."""
    now = {display(realpath(it.path)): names[it.path] for it in items}
    for name, e in list(manifest.entries.items()):
        moved_to = now.get(e.get("abspath")) if isinstance(e.get("abspath"), str) else None
        if moved_to is not None and moved_to != name:
            od.remove_outputs(name)
            del manifest.entries[name]


def run_batch(
    inputs: Iterable[str | Path] | str | Path,
    out: str | Path,
    *,
    jobs: int = 0,
    formats: str | Iterable[str] = "json,txt,md",
    force: bool = False,
    quiet: bool = False,
    json_logs: bool = False,
    scheduler: str | None = None,
    executor: str = "process",
    timeout: float | None = None,
    converter: str = DEFAULT_CONVERTER,
    csv_paths: str = "relative",
    csv_bom: bool = False,
    text_layer: str | None = None,
    options: Options | None = None,
) -> int:
    """Convert every input into `out`; returns 0, or 1 when any input failed (the rest are converted).

    Raises ValueError for bad arguments (unknown format/executor, an input that matches nothing) and
    KeyboardInterrupt on Ctrl-C/SIGTERM after stopping workers; finished outputs are kept either way.
    `converter` names the module whose `convert` does one document (tests and embedders may swap it).
    `csv_paths`: tasks.csv's `document` column inside the input folder (`relative`) or `absolute`;
    `csv_bom`: start tasks.csv with a UTF-8 BOM, so Excel reads its Vietnamese right.
    `options`: how each document is converted (default Options()); `text_layer`, where given, overrides
    its PDF text-layer mode, `auto` | `skip` | `force` (see vnplans.options).
    """
    if executor not in EXECUTORS:
        raise ValueError(f"unknown executor {executor!r} (choose from process, dask)")
    if text_layer is not None and text_layer not in TEXT_LAYER_MODES:
        raise ValueError(f"unknown text layer mode {text_layer!r} (choose from auto, skip, force)")
    opts = Options.build(options, text_layer=text_layer)
    if csv_paths not in CSV_PATHS:
        raise ValueError(f"unknown csv path style {csv_paths!r} (choose from {', '.join(CSV_PATHS)})")
    fmts = parse_formats(formats)
    out = Path(out)
    inputs = _as_list(inputs)
    check_out(inputs, out)
    jobs = jobs if jobs > 0 else default_jobs()
    items = discover(inputs, exclude=[out])
    names = assign_names(items)
    reporter = make_reporter(quiet=quiet, json_logs=json_logs)
    with _Signals() as sig, OutputDir(out) as od:
        runner = _make_runner(executor, scheduler, jobs, timeout, converter, opts.engine)  # workers get ready
        removed = cleanup_temp(out)
        if removed:
            reporter.note(f"removed {len(removed)} temporary file(s) left by an interrupted run")
        manifest = Manifest.load(out / MANIFEST_NAME)
        manifest.compact()  # drop a torn last line before appending
        od.adopt(manifest.entries)  # what we wrote before: the only files we may replace or remove
        fp = fingerprint(opts, converter=converter)
        # name -> (sha, input path as given, (path inside its folder, absolute path))
        shas: dict[str, tuple[str, str, tuple[str, str]]] = {}
        current = set(names.values())
        renamed_from: dict[str, dict[str, Any]] = {}  # name -> entry of the same content under another name

        # costliest first: a big scan started last leaves the other workers idle while it finishes;
        # outputs do not depend on the order
        costs = _costs([it.path for it in items])
        order = sorted(items, key=lambda it: (-costs[it.path], names[it.path]))

        def pending() -> Iterator[Task]:
            """Tasks still to do; hashing happens here, lazily, as workers free up."""
            for it in order:
                name = names[it.path]
                shown = display(it.path)
                try:
                    if it.error:
                        raise NotADirectoryError(it.error)
                    sha = sha256_file(it.path)
                except OSError as e:  # an unreadable folder, or a file vanished or unreadable since discovery
                    err = it.error or f"cannot read: {e.strerror or e}"
                    o = Outcome(shown, name, "failed", error=err, error_type=type(e).__name__)
                    entry = _entry(o, display=shown, sha="", fp=fp, formats=fmts, where=_where(it))
                    with sig.hold():
                        od.remove_outputs(name)
                        manifest.record(entry)
                    reporter.document(entry, cached=False)
                    continue
                if not force and manifest.is_done(name, sha, fp, fmts, out):
                    reporter.document(manifest.entries[name], cached=True)
                    continue
                where = _where(it)
                prior = None if force else manifest.find_done(sha, fp, fmts, out, other_than=name)
                if prior is not None and _reused(prior, it, name, shown, where):
                    continue
                shas[name] = (sha, shown, where)
                yield Task(str(realpath(it.path)), name, fmts, converter, sha, opts)

        def _reused(prior: dict[str, Any], it: Input, name: str, shown: str, where: tuple[str, str]) -> bool:
            """Resume by content: an input renamed (or copied) since it was converted is not converted again."""
            if any(f in fmts for f in _NAMED_FORMATS):  # they name the input: it is converted again,
                renamed_from[name] = prior  # and the old name's files go once the new ones are written
                return False
            entry = {**prior, "name": name, "path": shown, "input": where[0], "abspath": where[1]}
            entry["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
            try:
                with sig.hold():
                    entry["outputs"] = _reuse(od, prior, it, name, fmts)
                    manifest.record(entry)
                    if _input_gone(prior, current):  # renamed: the old name's outputs and line go
                        od.remove_outputs(prior["name"])
                        manifest.forget(prior["name"])
            except (OSError, ValueError):  # its stored outputs are not usable: convert it again
                return False
            reporter.document(entry, cached=True)
            return True

        pages = PageSplitter(_split_workers(executor, scheduler, jobs))
        reporter.start(len(items), jobs=jobs, executor="dask" if scheduler else executor, out=str(out))
        try:
            for outcome in pages.gather(runner.run(pages.split(pending()))):
                sha, shown, where = shas.pop(outcome.name)
                entry = _entry(
                    outcome, display=shown, sha=outcome.sha256 or sha, fp=fp, formats=fmts, where=where
                )
                with sig.hold():
                    t0 = time.perf_counter()
                    if outcome.status == "ok":
                        try:
                            entry["outputs"] = od.write_document(outcome.name, outcome.outputs)
                        except ForeignOutput as e:  # a file of the user's has this name: fail, touch nothing
                            entry.update(status="failed", error=str(e), error_type=type(e).__name__)
                    else:
                        od.remove_outputs(outcome.name)
                    entry["timings"]["write"] = round(time.perf_counter() - t0, 4)
                    manifest.record(entry)
                    prior = renamed_from.pop(outcome.name, None)
                    if entry["status"] == "ok" and prior is not None and _input_gone(prior, current):
                        od.remove_outputs(prior["name"])
                        manifest.forget(prior["name"])
                reporter.document(entry, cached=False)
        except KeyboardInterrupt:
            reporter.interrupted()
            raise
        with sig.hold():
            _drop_renamed_outputs(od, manifest, items, names)
            manifest.compact()
            rows, problems = rebuild_tasks_csv(out, manifest.entries, paths=csv_paths, bom=csv_bom)
            if "html" in fmts:  # every input of the folder, linked to its review page
                from ..export.review import render_index

                try:
                    od.write_index(render_index(manifest.entries, out))
                except ForeignOutput as e:
                    problems.append(str(e))
        for p in problems:
            reporter.note(p)
        code = EXIT_FAILED if reporter.counts["failed"] else EXIT_OK
        reporter.finish(code)
        return code


@dataclass
class BatchResult:
    """One input of `convert_many`: the record, or the reason it could not be converted."""

    path: Path
    record: PlanRecord | None
    error: str | None = None
    status: str = "ok"  # ok | failed | skipped
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def convert_many(
    paths: Iterable[str | Path] | str | Path,
    *,
    jobs: int = 0,
    executor: str = "process",
    scheduler: str | None = None,
    timeout: float | None = None,
) -> Iterator[BatchResult]:
    """Convert documents in parallel and yield a BatchResult per input, in completion order.

    Folders are expanded as `vnplans convert` does; nothing is written to disk. Never raises for a bad
    document (see `BatchResult.error`); closing the iterator early stops the workers.
    """
    from ..models import PlanRecord

    if executor not in EXECUTORS:
        raise ValueError(f"unknown executor {executor!r} (choose from process, dask, inline)")
    items = discover(_as_list(paths))
    names = assign_names(items)
    by_name = {names[it.path]: it.path for it in items}
    tasks = (Task(str(realpath(it.path)), names[it.path], ("json",)) for it in items)
    jobs = jobs if jobs > 0 else default_jobs()
    if executor == "dask" or scheduler:  # a Dask cluster starts its workers up front (the pool lazily)
        jobs = min(jobs, max(1, len(items)))
    runner = _make_runner(executor, scheduler, jobs, timeout, DEFAULT_CONVERTER, None)
    pages = PageSplitter(_split_workers(executor, scheduler, jobs))
    for o in pages.gather(runner.run(pages.split(tasks))):
        record = PlanRecord.model_validate_json(o.outputs["json"]) if o.status == "ok" else None
        yield BatchResult(by_name[o.name], record, o.error, o.status, o.timings)
