"""A small process pool with one pipe per worker, so a crash or a hang is pinned to its task.

`concurrent.futures.ProcessPoolExecutor` breaks as a whole when one worker dies (OOM kill, segfault in a
native library) and cannot stop a document that hangs. Here each worker holds exactly one task (a
document, or a page range of one): a dead worker fails that task only and is replaced, a task over its
time limit gets its worker killed, and on Ctrl-C/SIGTERM every worker is terminated at once (the parent writes all outputs, so
nothing half-written is left).
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import signal
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from ..collector import collect_less
from .worker import Outcome, PageTask, Task, execute, failure

__all__ = ["ProcessRunner", "default_jobs"]


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _die_with_parent() -> None:
    """Linux: get SIGTERM when the parent dies (e.g. SIGKILL), instead of finishing a document for nobody."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _one_core() -> None:
    """A worker computes on one core: `--jobs N` means N cores, as in OCRmyPDF.

    Tesseract gets one thread; so does OpenCV, whose default pool spans every core. Left at that
    default, 2 workers on 2 cores oversubscribed them (pages about 20% slower than alone), and
    `--jobs 1` took both cores of a machine the user meant to share.
    """
    os.environ["OMP_THREAD_LIMIT"] = "1"
    with contextlib.suppress(ImportError):
        import cv2

        cv2.setNumThreads(1)


def _keep_freed_memory() -> None:
    """glibc: keep freed page buffers for the next page instead of returning them to the kernel.

    A page allocates and frees dozens of page-sized arrays. By default the large ones are mmap'd and
    unmapped each time, and touching fresh memory again cost 33,000 page faults and 0.3 s of system
    time per six pages (4% of their time); with these settings, 6,500, and peak memory did not grow.
    """
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-1, 1 << 30)  # M_TRIM_THRESHOLD
        libc.mallopt(-3, 1 << 30)  # M_MMAP_THRESHOLD


def _worker_main(conn: Connection) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the parent decides
    _one_core()
    _keep_freed_memory()
    collect_less()
    _die_with_parent()
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        outcome = execute(task)
        try:
            conn.send(outcome)
        except OSError:  # the parent is gone (killed): nobody to report to
            return


@dataclass
class _Slot:
    proc: Any
    conn: Connection
    task: Task | PageTask | None = None
    started: float = 0.0


class ProcessRunner:
    """Runs `execute` over tasks in `jobs` worker processes; yields outcomes as they complete."""

    def __init__(self, jobs: int, *, timeout: float | None = None, preload: Iterable[str] = ()) -> None:
        self.jobs = max(1, jobs)
        self.timeout = timeout or None
        method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
        self.ctx = mp.get_context(method)
        if method == "forkserver":
            # imported once in the fork server, shared by every worker (fast start, less memory)
            self.ctx.set_forkserver_preload(["vnplans.batch.worker", *preload])
            # started now, it imports them (~0.3 s) while the caller still discovers and orders inputs
            from multiprocessing import forkserver

            forkserver.ensure_running()
        self.slots: list[_Slot] = []

    def _spawn(self) -> _Slot:
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=_worker_main, args=(child,), daemon=True, name="vnplans-worker")
        proc.start()
        child.close()
        return _Slot(proc, parent)

    def _kill(self, slot: _Slot) -> None:
        with contextlib.suppress(Exception):
            slot.proc.terminate()
        slot.proc.join(2)
        if slot.proc.is_alive():
            slot.proc.kill()
            slot.proc.join(1)
        with contextlib.suppress(Exception):
            slot.conn.close()

    def run(self, tasks: Iterable[Task | PageTask]) -> Iterator[Outcome]:
        """Pull tasks lazily (one per free worker), so callers may decide per input while we run."""
        it = iter(tasks)
        exhausted = False
        done: list[Outcome] = []
        try:
            while True:
                # fill idle workers
                while not exhausted:
                    idle = next((s for s in self.slots if s.task is None), None)
                    if idle is None and len(self.slots) >= self.jobs:
                        break
                    task = next(it, None)
                    if task is None:
                        exhausted = True
                        break
                    self._assign(idle, task)
                # the caller writes outputs (and finishes split documents) while the workers go on
                yield from done
                busy = [s for s in self.slots if s.task is not None]
                if not busy:
                    return
                done = list(self._collect(busy))
        finally:
            self.close()

    def _assign(self, slot: _Slot | None, task: Task | PageTask) -> None:
        """Give `task` to an idle worker, spawning one (workers start lazily, only when there is work)."""
        for _ in range(2):
            if slot is None:
                slot = self._spawn()
                self.slots.append(slot)
            try:
                slot.conn.send(task)
            except OSError:  # the idle worker died; replace it once
                self._kill(slot)
                self.slots.remove(slot)
                slot = None
                continue
            slot.task, slot.started = task, time.monotonic()
            return
        raise RuntimeError("cannot start a worker process")

    def _collect(self, busy: list[_Slot]) -> Iterator[Outcome]:
        wait_for: float | None = None
        if self.timeout:
            now = time.monotonic()
            wait_for = max(0.0, min(s.started + self.timeout - now for s in busy))
        ready = wait([s.conn for s in busy] + [s.proc.sentinel for s in busy], timeout=wait_for)
        for slot in busy:
            task = slot.task
            assert task is not None
            if slot.conn in ready:
                try:
                    outcome = slot.conn.recv()
                except (EOFError, OSError):
                    outcome = None
                if outcome is not None:
                    slot.task = None
                    yield outcome
                    continue
            if slot.conn in ready or slot.proc.sentinel in ready:
                slot.proc.join(1)
                reason = f"worker process died (exit code {slot.proc.exitcode}; out of memory or a crash)"
                yield self._replace(slot, task, reason)
            elif self.timeout and time.monotonic() - slot.started >= self.timeout:
                yield self._replace(slot, task, f"timed out after {self.timeout:g} s")

    def _replace(self, slot: _Slot, task: Task | PageTask, reason: str) -> Outcome:
        self._kill(slot)
        self.slots.remove(slot)
        return failure(task, reason, "WorkerError")

    def close(self) -> None:
        """Stop every worker now (also on Ctrl-C mid-document); idempotent."""
        for slot in self.slots:
            if slot.task is None:
                with contextlib.suppress(Exception):
                    slot.conn.send(None)
        for slot in self.slots:
            if slot.task is None:
                slot.proc.join(1)
            self._kill(slot)
        self.slots.clear()
