"""Split multi-page scans into page tasks and gather the pages back into documents (coordinator side).

With the whole document as the unit of work, a long scan keeps one worker busy while the others sit
idle at the end of a batch. Pages are independent until parsing, so an image document (a scanned PDF,
a multi-page TIFF) is handed out as page ranges that any worker may take, and the coordinating process
finishes the document (parse, record, rendered outputs, searchable PDF) when all its ranges are back:
parsing is about 1% of a scan's time. Text files and single-page documents stay one task.
"""

from __future__ import annotations

import importlib
import math
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .worker import Outcome, PageOutcome, PageTask, Task, finish_document, prepare_finishing

__all__ = ["PageSplitter", "RANGES_PER_WORKER"]

# page tasks per document and worker, at most: short scans go page by page; a 500-page scan is cut into
# a few long ranges, so opening the file per task stays negligible and the coordinator holds few results
RANGES_PER_WORKER = 4
PAGE_API = ("process_pages", "assemble_document", "build_record")


@dataclass
class _Split:
    """A document whose page ranges are out with the workers."""

    task: Task
    kind: str
    sha256: str
    ranges: int
    done: list[PageOutcome] = field(default_factory=list)


class PageSplitter:
    """`split` turns document tasks into page tasks where that helps; `gather` turns their outcomes back
    into one document outcome each. A failed range fails its document at once (the rest of its ranges
    are not handed out) with that range's one-line reason."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.open: dict[str, _Split] = {}  # by output name
        self._modules: dict[str, Any] = {}
        self._warming: threading.Thread | None = None

    def _warm_up(self, converter: str) -> None:
        """Finishing runs here, on a core the workers need: load it while the first pages are read."""
        if self._warming is None:
            self._warming = threading.Thread(target=prepare_finishing, args=(converter,), daemon=True)
            self._warming.start()

    def _has_page_api(self, converter: str) -> bool:
        if converter not in self._modules:
            try:
                self._modules[converter] = importlib.import_module(converter)
            except Exception:  # the workers report an unusable converter, per document
                self._modules[converter] = None
        mod = self._modules[converter]
        return mod is not None and all(hasattr(mod, f) for f in PAGE_API)

    def _ranges(self, task: Task) -> tuple[Any, list[tuple[int, int]]] | None:
        """The probed document and its page ranges, or None to keep it one task."""
        if self.workers < 2 or not self._has_page_api(task.converter):
            return None
        from ..ingest import probe

        try:
            doc = probe(task.path, digest=not task.sha256)  # header (and hash), no page decoded
        except (OSError, ValueError):
            return None  # the document task reports the reason, as without splitting
        if doc.kind == "text" or doc.page_count < 2:
            return None
        n = doc.page_count
        size = math.ceil(n / (self.workers * RANGES_PER_WORKER))
        return doc, [(a, min(n, a + size - 1)) for a in range(1, n + 1, size)]

    def split(self, tasks: Iterable[Task]) -> Iterator[Task | PageTask]:
        """Tasks in the given order, a split document's ranges one after another (so idle workers share
        it); lazy, like the pool that pulls from it."""
        for task in tasks:
            planned = self._ranges(task)
            if planned is None:
                yield task
                continue
            doc, ranges = planned
            self._warm_up(task.converter)
            self.open[task.name] = _Split(task, doc.kind, task.sha256 or doc.sha256, len(ranges))
            for first, last in ranges:
                if task.name not in self.open:  # failed (or finished by a failure) already
                    break
                yield PageTask(task, first, last)

    def gather(self, outcomes: Iterable[Outcome]) -> Iterator[Outcome]:
        """Document outcomes in completion order; stops the source (the workers) when closed early."""
        try:
            for o in outcomes:
                if not isinstance(o, PageOutcome):
                    yield o
                    continue
                doc = self.open.get(o.name)
                if doc is None:  # a range of a document that failed already
                    continue
                if o.status != "ok":
                    del self.open[o.name]
                    yield Outcome(
                        doc.task.path, o.name, o.status, o.error, o.error_type,
                        timings=o.timings, notes=o.notes, workers=o.workers,
                    )  # fmt: skip
                    continue
                doc.done.append(o)
                if len(doc.done) == doc.ranges:
                    del self.open[o.name]
                    yield finish_document(doc.task, doc.kind, doc.sha256, doc.done)
        finally:
            if self._warming is not None:
                self._warming.join()
            close = getattr(outcomes, "close", None)
            if close is not None:
                close()
