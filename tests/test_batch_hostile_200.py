"""Issue 16's batch target through the real CLI: 200 inputs, 20 of them bad in every way found, among
180 good ones with hostile names; the user keeps files of their own in the output folder.

The 180 good ones convert, each of the 20 bad ones is reported failed with one line, the exit code
is 1, and every file the tool did not write (inputs, the user's files) is byte-for-byte untouched.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from test_batch import plan_text

pytestmark = pytest.mark.slow  # batch runs / Chromium / wheel builds: `make check` leaves them out

pytestmark = pytest.mark.slow  # ~20-40 s on two shared cores; part of `make test`

N_GOOD, N_BAD = 180, 20


def _pdf_bytes() -> bytes:
    import io

    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(300, 300)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def _encrypted_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(300, 300)
    w.encrypt("secret")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def _good_names() -> list[str]:
    """Relative paths that must all convert: odd but legal names."""
    odd = [
        os.fsdecode(b"m\xff.txt"),
        os.fsdecode(b"b\xe1o c\xe1o.txt"),  # cp1258 bytes in the name
        "a" * 240 + ".txt",
        "/".join(["sâu" * 20] * 3) + "/" + "kế hoạch" * 10 + ".txt",
        "=HYPERLINK(1).txt",
        "-rf.txt",
        "@sum.txt",
        "tên có dấu cách.txt",
        "line\u2028sep.txt",
        "nel\x85name.txt",
    ]
    return odd + [f"good/{i // 50}/plan{i:03d}.txt" for i in range(N_GOOD - len(odd))]


def _bad_inputs(src: Path) -> dict[str, bytes | None]:
    """Relative path -> bytes (None: made otherwise, e.g. a link)."""
    noise = bytes((i * 73 + 11) % 256 for i in range(5000))
    pdf = _pdf_bytes()
    bad: dict[str, bytes | None] = {
        "bad/random.pdf": noise,
        "bad/random2.PDF": noise[::-1],
        "bad/cut.pdf": pdf[: len(pdf) // 3],
        "bad/locked.pdf": _encrypted_pdf(),
        "bad/noise.png": noise,
        "bad/cut.jpg": b"\xff\xd8\xff\xe0" + noise[:100],
        "bad/noise.tif": noise[:700],
        "bad/empty.txt": b"",
        "bad/blank.txt": b" \n\n\t \n",
        "bad/nul.txt": b"Uy ban\x00\x00\x00\x00" * 100,
        "bad/utf16-odd.txt": b"\xff\xfe" + b"\x00\xd8" * 51,
        os.fsdecode(b"bad/\xff\xfe.pdf"): noise,
        "bad/" + "x" * 240 + ".png": noise,
        "bad/zero.gif": b"GIF89a" + b"\x00" * 20,
        "bad/half.bmp": b"BM" + noise[:40],
        "bad/loop": None,
        "bad/dangling.txt": None,
        "collide/report.txt": plan_text(999).encode(),  # its output name is taken by a user's file
        "collide/notes.txt": plan_text(998).encode(),
        "bad/webp.webp": b"RIFF\x10\x00\x00\x00WEBP" + noise[:200],
    }
    assert len(bad) == N_BAD
    return bad


def test_200_inputs_20_bad_kinds_180_converted_nothing_foreign_touched(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    goods = _good_names()
    assert len(goods) == N_GOOD
    for i, rel in enumerate(goods):
        p = src / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(plan_text(i + 1), encoding="utf-8")
    for rel, data in _bad_inputs(src).items():
        p = src / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if data is not None:
            p.write_bytes(data)
    (src / "bad" / "loop").symlink_to(src / "bad" / "loop")
    (src / "bad" / "dangling.txt").symlink_to(src / "bad" / "nowhere.txt")

    out.mkdir()
    theirs = {"collide__report.json": b"mine", "collide__notes.md": b"mine too", "summary.xlsx": b"x"}
    for name, data in theirs.items():
        (out / name).write_bytes(data)
    inputs_before = {p: p.read_bytes() for p in src.rglob("*") if p.is_file()}

    proc = subprocess.run(
        [sys.executable, "-m", "vnplans.cli", "convert", str(src), "--out", str(out), "-q", "-j", "2"],
        capture_output=True,
        timeout=900,
    )
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 1, err[-3000:]
    assert "Traceback" not in err

    lines = (out / "manifest.jsonl").read_text(encoding="utf-8").split("\n")
    entries = [json.loads(line) for line in lines if line]
    status: dict[str, int] = {}
    for e in entries:
        status[e["status"]] = status.get(e["status"], 0) + 1
    assert status == {"ok": N_GOOD, "failed": N_BAD}, (
        status,
        [(e["path"], e["error"]) for e in entries if e["status"] != "ok"],
    )
    failed = [e for e in entries if e["status"] == "failed"]
    assert all(e["path"].split("/")[-2] in ("bad", "collide") for e in failed)
    failed_lines = [line for line in err.splitlines() if line.startswith("vnplans: failed: ")]
    assert len(failed_lines) == N_BAD
    for e in failed:
        assert e["error"] and "\n" not in e["error"]
        assert sum(line.startswith(f"vnplans: failed: {e['path']}: ") for line in failed_lines) == 1, e[
            "path"
        ]

    # nothing it did not write was touched: the user's files, every input
    for name, data in theirs.items():
        assert (out / name).read_bytes() == data
    assert {p: p.read_bytes() for p in src.rglob("*") if p.is_file()} == inputs_before
    ours = {o for e in entries for o in e["outputs"]} | {"manifest.jsonl", "tasks.csv", ".vnplans.lock"}
    assert {p.name for p in out.iterdir()} == ours | set(theirs)
    assert all(len(os.fsencode(o)) <= 255 for o in ours)
