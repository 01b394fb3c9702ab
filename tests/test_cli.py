"""The installed `vnplans` command: help, version, and `convert` exit codes and stderr contracts."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from test_batch import make_docs
from vnplans import __version__


def vnplans(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    exe = shutil.which("vnplans", path=str(Path(sys.executable).parent))
    cmd = [exe] if exe else [sys.executable, "-m", "vnplans.cli"]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=180, cwd=cwd)


def test_help_and_version() -> None:
    r = vnplans("--help")
    assert r.returncode == 0
    for command in ("convert", "restore", "parse", "ocr"):
        assert command in r.stdout
    r = vnplans("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"vnplans {__version__}"
    r = vnplans("convert", "--help")
    assert r.returncode == 0 and "--jobs" in r.stdout and "--scheduler" in r.stdout


def test_rules_lists_every_repair_rule_and_preprocessing_step() -> None:
    """The list comes from the registries, so a rule added or renamed shows up (or is missed) here."""
    from vnplans.image.preprocess import ALL_STEPS, DEFAULT_STEPS
    from vnplans.text.repair import RULES

    r = vnplans("rules", "--json")
    assert r.returncode == 0
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["name"] for x in rows if x["kind"] == "repair"] == [rule.name for rule in RULES]
    steps = {x["name"]: x["default"] for x in rows if x["kind"] == "preprocess"}
    assert steps == {s: s in DEFAULT_STEPS for s in ALL_STEPS}
    assert all(x["why"] and x["scope"] for x in rows if x["kind"] == "repair")


@pytest.mark.slow
def test_convert_exit_codes(tmp_path: Path) -> None:
    make_docs(tmp_path / "good", 2)
    out = tmp_path / "out"

    r = vnplans("convert", str(tmp_path / "good"), "--out", str(out), "--jobs", "2", "--quiet")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "" and r.stderr == ""  # quiet and successful: silent; stdout is never used
    assert sorted(p.name for p in out.glob("plan01.*")) == ["plan01.json", "plan01.md", "plan01.txt"]
    assert (out / "tasks.csv").is_file() and (out / "manifest.jsonl").is_file()

    bad = tmp_path / "bad"
    make_docs(bad, 1)
    (bad / "empty.txt").write_bytes(b"")
    r = vnplans("convert", str(bad), "--out", str(tmp_path / "o2"), "--json-logs")
    assert r.returncode == 1
    ev = [json.loads(line) for line in r.stderr.splitlines()]  # every stderr line is a JSON event
    assert ev[0]["event"] == "start" and ev[-1]["event"] == "summary"
    assert ev[-1]["failed"] == 1 and ev[-1]["converted"] == 1 and ev[-1]["exit_code"] == 1
    assert {e["name"]: e["status"] for e in ev if e["event"] == "document"} == {
        "plan01": "ok",
        "empty": "failed",
    }

    r = vnplans("convert", str(bad), "--out", str(tmp_path / "o3"))  # default: progress + table
    assert r.returncode == 1
    assert "failed" in r.stderr and "empty.txt" in r.stderr and "exit code 1" in r.stderr

    r = vnplans("convert", str(tmp_path / "nothing-here"), "--out", str(out))
    assert r.returncode == 1 and "input not found" in r.stderr

    r = vnplans("convert", str(bad), "--out", str(out), "--format", "json,docx")
    assert r.returncode == 2 and "docx" in r.stderr
    r = vnplans("convert", "--out", str(out))
    assert r.returncode == 2


def test_quick_exit_flushes_everything(tmp_path: Path) -> None:
    """The command leaves without the interpreter's teardown: buffered output must still all arrive."""
    lines = [f"Muc {i}: Ke hoach thuc hien nhiem vu nam 2023" for i in range(400)]
    src = tmp_path / "old.txt"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = vnplans("restore", str(src))
    assert r.returncode == 0, r.stderr
    out = r.stdout.splitlines()
    assert len(out) == 400 and out[-1].endswith(" 399: Kế hoạch thực hiện nhiệm vụ năm 2023")


def test_shell_completion_script() -> None:
    # `--show-completion` asks the parent process which shell it is (none under CI's `bash .ci/run`
    # with no terminal); the variable a shell's completion hook sets names it outright
    exe = shutil.which("vnplans", path=str(Path(sys.executable).parent))
    env = {**os.environ, "_VNPLANS_COMPLETE": "source_bash"}
    r = subprocess.run(
        [exe or "vnplans"], capture_output=True, text=True, timeout=60, env=env, stdin=subprocess.DEVNULL
    )
    assert r.returncode == 0 and "_vnplans_completion" in r.stdout and "complete" in r.stdout
