"""Run the same per-document function on Dask distributed (a remote scheduler or a LocalCluster).

Workers must see the input paths (shared filesystem) and have vnplans installed; outputs travel back
as bytes and are written by this process, so the output folder only needs to exist here.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator
from typing import Any

from .worker import Outcome, Task, convert_one, failure

__all__ = ["DaskRunner", "import_distributed"]


def import_distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise ValueError("the Dask executor needs dask.distributed: pip install 'vnplans[dask]'") from None
    return distributed


class DaskRunner:
    """Submits tasks in a bounded window (memory stays flat for large archives); yields as completed."""

    def __init__(self, *, scheduler: str | None, jobs: int) -> None:
        self.distributed = import_distributed()
        self.scheduler = scheduler
        self.jobs = jobs
        self.client: Any = None
        self.cluster: Any = None

    def _connect(self) -> None:
        d = self.distributed
        if self.scheduler:
            try:
                self.client = d.Client(self.scheduler, timeout="20s")
            except (OSError, TimeoutError) as e:
                raise OSError(f"cannot reach Dask scheduler {self.scheduler}: {e}") from None
        else:
            self.cluster = d.LocalCluster(
                n_workers=self.jobs,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                env={"OMP_THREAD_LIMIT": "1"},
                silence_logs=logging.ERROR,  # keep stderr for our progress / JSON events
            )
            self.client = d.Client(self.cluster)

    def workers(self) -> int:
        info = self.client.scheduler_info() if self.client is not None else {}
        n = sum(w.get("nthreads", 1) for w in info.get("workers", {}).values())
        return max(1, n or self.jobs)

    def run(self, tasks: Iterable[Task]) -> Iterator[Outcome]:
        self._connect()
        d = self.distributed
        window = 2 * self.workers() + 2
        pending: dict[Any, Task] = {}
        ac = d.as_completed()
        it = iter(tasks)

        def submit_next() -> bool:
            task = next(it, None)
            if task is None:
                return False
            fut = self.client.submit(convert_one, task, pure=False, key=f"vnplans-{task.name}-{id(task):x}")
            pending[fut] = task
            ac.add(fut)
            return True

        try:
            while len(pending) < window and submit_next():
                pass
            for fut in ac:
                task = pending.pop(fut)
                try:
                    outcome = fut.result()
                except Exception as e:  # KilledWorker, lost connection: this document only
                    if type(e).__name__ == "KilledWorker":
                        msg = "worker process died on every Dask worker that tried it (out of memory or a crash)"
                    else:
                        msg = " ".join(str(e).split())[:300] or type(e).__name__
                    outcome = failure(task, f"dask: {msg}", type(e).__name__)
                fut.release()
                yield outcome
                while len(pending) < window and submit_next():
                    pass
        finally:
            self.close(list(pending))

    def close(self, futures: list[Any] | None = None) -> None:
        if self.client is not None:
            with contextlib.suppress(Exception):
                if futures:
                    self.client.cancel(futures)
            with contextlib.suppress(Exception):
                self.client.close()
        if self.cluster is not None:
            with contextlib.suppress(Exception):
                self.cluster.close()
        self.client = self.cluster = None
