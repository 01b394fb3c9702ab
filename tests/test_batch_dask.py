"""The same batch on a real Dask LocalCluster (separate worker processes) gives the same bytes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from test_batch import make_docs, manifest, per_doc_bytes
from vnplans.batch import run_batch

pytestmark = pytest.mark.slow  # batch runs / Chromium / wheel builds: `make check` leaves them out

distributed = pytest.importorskip("distributed")


def test_dask_scheduler_matches_process_pool(tmp_path: Path) -> None:
    src = tmp_path / "in"
    make_docs(src, 4)
    (src / "empty.txt").write_bytes(b"")
    local, remote = tmp_path / "local", tmp_path / "dask"
    assert run_batch([src], local, jobs=2, quiet=True) == 1

    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        code = run_batch([src], remote, scheduler=cluster.scheduler_address, quiet=True)
        assert code == 1  # the empty file fails there too, the batch goes on
        m = manifest(remote)
        assert [m[f"plan0{i}"]["status"] for i in range(1, 5)] == ["ok"] * 4
        assert m["empty"]["status"] == "failed" and "empty" in m["empty"]["error"]
        # the documents really were tasks on this cluster (the scheduler runs in this process)
        prefix = cluster.scheduler.task_prefixes["vnplans"]
        assert sum(prefix.state_counts.values()) >= 5
    assert per_doc_bytes(remote) == per_doc_bytes(local)
    assert (remote / "tasks.csv").read_bytes() == (local / "tasks.csv").read_bytes()
    assert json.loads((remote / "plan01.json").read_text())["source"]["path"] == str(
        (src / "plan01.txt").resolve()
    )
