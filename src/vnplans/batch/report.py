"""What the user sees on stderr: a rich progress bar, JSON event lines for scripts, or near silence.

stdout stays untouched so `vnplans convert` composes with pipes.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from typing import Any

__all__ = ["Reporter", "make_reporter"]


class Reporter:
    """Quiet reporter: only failures, one line each, at the end."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.pages = 0
        self.failures: list[tuple[str, str]] = []
        self.t0 = time.monotonic()

    def start(self, total: int, *, jobs: int, executor: str, out: str) -> None:
        self.total = total

    def document(self, entry: dict[str, Any], *, cached: bool) -> None:
        status = "cached" if cached else entry["status"]
        self.counts[status] += 1
        if status == "ok":
            self.pages += entry.get("pages") or 0
        if status == "failed":
            self.failures.append((entry["path"], entry.get("error") or "failed"))

    def note(self, message: str) -> None:
        print(f"vnplans: {message}", file=sys.stderr, flush=True)

    def summary(self) -> dict[str, Any]:
        secs = time.monotonic() - self.t0
        done = self.counts["ok"]
        return {
            "converted": done,
            "unchanged": self.counts["cached"],
            "failed": self.counts["failed"],
            "skipped": self.counts["skipped"],
            "pages": self.pages,
            "seconds": round(secs, 2),
            "documents_per_minute": round(done * 60 / secs, 2) if secs > 0 and done else 0.0,
        }

    def finish(self, exit_code: int) -> None:
        for path, err in self.failures:
            print(f"vnplans: failed: {path}: {err}", file=sys.stderr)

    def interrupted(self) -> None:
        pass


class JsonReporter(Reporter):
    """One JSON object per line per event: start, document, note, summary, interrupted."""

    def _emit(self, event: str, **fields: Any) -> None:
        fields = {"event": event, **fields}
        sys.stderr.write(json.dumps(fields, ensure_ascii=False) + "\n")
        sys.stderr.flush()

    def start(self, total: int, *, jobs: int, executor: str, out: str) -> None:
        super().start(total, jobs=jobs, executor=executor, out=out)
        self._emit("start", total=total, jobs=jobs, executor=executor, out=out)

    def document(self, entry: dict[str, Any], *, cached: bool) -> None:
        super().document(entry, cached=cached)
        keys = ("name", "path", "status", "error", "pages", "warnings", "outputs", "notes", "seconds")
        fields = {k: entry.get(k) for k in keys}
        if cached:
            fields["status"] = "cached"
        self._emit("document", **fields)

    def note(self, message: str) -> None:
        self._emit("note", message=message)

    def finish(self, exit_code: int) -> None:
        self._emit("summary", exit_code=exit_code, **self.summary(), failures=[p for p, _ in self.failures])

    def interrupted(self) -> None:
        self._emit("interrupted", **self.summary())


class RichReporter(Reporter):
    """Progress bar (documents, pages, ETA) and a summary table, on stderr."""

    def __init__(self) -> None:
        super().__init__()
        from rich.console import Console

        self.console = Console(stderr=True)
        self.progress: Any = None

    def start(self, total: int, *, jobs: int, executor: str, out: str) -> None:
        super().start(total, jobs=jobs, executor=executor, out=out)
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(
            TextColumn("converting"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("docs · {task.fields[pages]} pages · {task.fields[failed]} failed"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=self.console,
            transient=False,
        )
        self.task = self.progress.add_task("convert", total=total, pages=0, failed=0)
        self.progress.start()
        self.console.print(
            f"{total} inputs, {jobs} {executor} workers -> {out}", highlight=False, markup=False
        )

    def document(self, entry: dict[str, Any], *, cached: bool) -> None:
        super().document(entry, cached=cached)
        if self.progress is None:
            return
        if entry["status"] == "failed" and not cached:
            from rich.markup import escape

            msg = escape(f"{entry['path']}: {entry.get('error')}")
            self.progress.console.print(f"[red]failed[/red] {msg}", highlight=False)
        if not cached:
            from rich.markup import escape

            from .worker import PDF_FAILED

            for note in entry.get("notes") or ():
                if PDF_FAILED in note:
                    self.progress.console.print(f"[yellow]{escape(entry['path'])}: {escape(note)}[/yellow]")
        self.progress.update(self.task, advance=1, pages=self.pages, failed=self.counts["failed"])

    def note(self, message: str) -> None:
        self.console.print(message, highlight=False, markup=False)

    def _stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None

    def finish(self, exit_code: int) -> None:
        self._stop()
        from rich.markup import escape
        from rich.table import Table

        s = self.summary()
        table = Table(title="vnplans convert", show_header=True, header_style="bold")
        for col in ("converted", "unchanged", "failed", "skipped", "pages", "docs/min", "seconds"):
            table.add_column(col, justify="right")
        table.add_row(
            *(str(s[k]) for k in ("converted", "unchanged", "failed", "skipped", "pages")),
            f"{s['documents_per_minute']:g}",
            f"{s['seconds']:g}",
        )
        self.console.print(table)
        if self.failures:
            fails = Table(title="failed inputs (details in manifest.jsonl)", show_header=True)
            fails.add_column("input", overflow="fold")
            fails.add_column("reason", overflow="fold")
            for path, err in self.failures:
                fails.add_row(escape(path), escape(err))
            self.console.print(fails)
        self.console.print(f"exit code {exit_code}", highlight=False)

    def interrupted(self) -> None:
        self._stop()


def make_reporter(*, quiet: bool, json_logs: bool) -> Reporter:
    if json_logs:
        return JsonReporter()
    if quiet:
        return Reporter()
    return RichReporter()
