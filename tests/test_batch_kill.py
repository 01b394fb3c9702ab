"""`vnplans convert` as a real subprocess, killed mid-run (SIGKILL, SIGTERM), then rerun to finish."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_batch import make_docs, manifest

pytestmark = pytest.mark.slow  # batch runs / Chromium / wheel builds: `make check` leaves them out

VNPLANS = [sys.executable, "-m", "vnplans.cli"]


def start(src: Path, out: Path, *extra: str, marker: str = "") -> subprocess.Popen:
    env = {**os.environ, "VNPLANS_TEST_MARKER": marker}  # inherited by every worker process
    return subprocess.Popen(
        [*VNPLANS, "convert", str(src), "--out", str(out), "--jobs", "1", "--json-logs", *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def processes_with(marker: str) -> list[int]:
    found = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if f"VNPLANS_TEST_MARKER={marker}".encode() in (d / "environ").read_bytes():
                    found.append(int(d.name))
            except OSError:
                continue
    return found


def wait_for_first_output(proc: subprocess.Popen, out: Path) -> None:
    deadline = time.monotonic() + 60  # a guard against hanging the suite, not a timing assertion
    while not list(out.glob("*.json")):
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline, "no output appeared"
        time.sleep(0.01)


def events(stderr: str) -> list[dict]:
    return [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]


def test_sigkill_then_rerun_finishes_without_redoing(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    make_docs(src, 12)
    proc = start(src, out)
    wait_for_first_output(proc, out)
    proc.kill()
    proc.wait()
    assert proc.returncode == -signal.SIGKILL

    done = (
        {n for n, e in manifest(out).items() if e["status"] == "ok"}
        if (out / "manifest.jsonl").exists()
        else set()
    )
    assert len(done) < 12, "the run finished before it was killed; the test proves nothing"
    mtimes = {n: (out / f"{n}.json").stat().st_mtime_ns for n in done}
    stale = out / ".plan12.json.4242-dead.vnplans.tmp"  # what a write cut by SIGKILL leaves
    stale.write_text('{"half": ')

    rerun = start(src, out)
    _, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    ev = {e["name"]: e["status"] for e in events(err) if e["event"] == "document"}
    assert {n for n, s in ev.items() if s == "cached"} == done
    assert {n for n, s in ev.items() if s == "ok"} == {f"plan{i:02d}" for i in range(1, 13)} - done

    final = manifest(out)
    assert len(final) == 12 and all(e["status"] == "ok" for e in final.values())
    for n, t in mtimes.items():
        assert (out / f"{n}.json").stat().st_mtime_ns == t  # not redone
    for e in final.values():
        for o in e["outputs"]:
            assert (out / o).stat().st_size > 0
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    assert (out / "tasks.csv").read_text(encoding="utf-8").count("\n") > 12  # complete after the resume


def test_sigterm_stops_cleanly_with_exit_130(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    make_docs(src, 12)
    marker = f"sigterm-{os.getpid()}-{time.monotonic_ns()}"
    proc = start(src, out, marker=marker)
    wait_for_first_output(proc, out)
    assert len(processes_with(marker)) >= 2  # the run and its worker
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert any(e["event"] == "interrupted" for e in events(err))
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    m = manifest(out)
    for e in m.values():  # every document the manifest calls done is complete and valid
        assert e["status"] == "ok"
        for o in e["outputs"]:
            assert (out / o).stat().st_size > 0
        json.loads((out / f"{e['name']}.json").read_text(encoding="utf-8"))
    # no worker outlives the run (the fork server exits right after its parent; allow it a moment)
    deadline = time.monotonic() + 10
    while processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_with(marker) == []
