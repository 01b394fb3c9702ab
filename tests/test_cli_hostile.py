"""The `vnplans` command on hostile input and surroundings (issue 16): one line and the right exit code,
never a traceback. Every test runs the real command in a fresh process."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from test_batch import plan_text

VNPLANS = [sys.executable, "-m", "vnplans.cli"]


def vnplans(*args: str | Path, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*VNPLANS, *map(str, args)], capture_output=True, text=True, timeout=300, **kw)


def one_line_error(proc: subprocess.CompletedProcess[str], code: int) -> str:
    assert proc.returncode == code, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.startswith("vnplans: error:")]
    assert len(lines) == 1, proc.stderr
    return lines[0]


# --- 7: tiny images, languages, where the output goes ------------------------------------------------


@pytest.mark.slow
def test_one_pixel_colour_image_and_tiny_pdf_page(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    px = tmp_path / "px.png"
    cv2.imwrite(str(px), np.array([[[0, 0, 255]]], np.uint8))  # a single red (seal-coloured) pixel
    w = PdfWriter()
    w.add_blank_page(3, 3)
    with open(tmp_path / "tiny.pdf", "wb") as f:
        w.write(f)
    for f in (px, tmp_path / "tiny.pdf"):
        for cmd in ("ocr", "parse"):
            proc = vnplans(cmd, f)
            assert "Traceback" not in proc.stderr and "IndexError" not in proc.stderr, proc.stderr
            assert proc.returncode in (0, 1), proc.stderr
    from vnplans.image.preprocess import preprocess

    for shape in ((1, 1, 3), (2, 1, 3), (1, 7, 3), (7, 7, 3)):
        assert preprocess(np.full(shape, (0, 0, 255), np.uint8), dpi=300).image.ndim == 2


def test_language_must_name_an_installed_language(tmp_path: Path) -> None:
    img = tmp_path / "p.png"
    cv2.imwrite(str(img), np.full((60, 200), 255, np.uint8))
    for lang in ("", "+", "vie+"):
        proc = vnplans("ocr", "--lang", lang, img)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr  # not a segfault (139)
        assert "--lang" in proc.stderr
    msg = one_line_error(vnplans("ocr", "--lang", "xyz", img), 1)
    assert "xyz not installed" in msg and "tesseract-ocr-xyz" in msg
    env = {**os.environ, "TESSDATA_PREFIX": str(tmp_path / "nowhere")}
    msg = one_line_error(vnplans("ocr", img, env=env), 1)
    assert "TESSDATA_PREFIX" in msg


@pytest.mark.slow
def test_full_disk_and_closed_stdout_are_one_line(tmp_path: Path) -> None:
    text = tmp_path / "plan.txt"
    text.write_text(plan_text(4), encoding="utf-8")
    for args in (["schema"], ["parse", str(text)], ["restore", str(text)]):
        with open("/dev/full", "w") as full:
            msg = one_line_error(
                subprocess.run([*VNPLANS, *args], stdout=full, stderr=subprocess.PIPE, text=True), 1
            )
        assert "no space left" in msg
        closed = subprocess.run([*VNPLANS, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, close_fds=True, preexec_fn=lambda: os.close(1))  # fmt: skip
        assert one_line_error(closed, 1).endswith("standard output is closed")


# --- 8: restore of a file that is not text ---------------------------------------------------------


@pytest.mark.slow
def test_restore_refuses_pdf_image_and_text_with_a_binary_tail(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(200, 200)
    with open(tmp_path / "a.pdf", "wb") as f:
        w.write(f)
    junk = bytes(range(256)) * 64
    (tmp_path / "renamed.txt").write_bytes((tmp_path / "a.pdf").read_bytes())
    (tmp_path / "tail.txt").write_bytes(("Uy ban nhan dan tinh\n" * 20000).encode() + junk)
    cv2.imwrite(str(tmp_path / "i.png"), np.full((20, 20), 255, np.uint8))
    for name, reason in (
        ("a.pdf", "PDF file"),
        ("renamed.txt", "PDF file"),
        ("i.png", "PNG file"),
        ("tail.txt", "binary"),
    ):
        proc = vnplans("restore", tmp_path / name)
        assert reason in one_line_error(proc, 1), name
        assert proc.stdout == ""
    ok = vnplans("restore", input="BMW ban hanh ke hoach\n")  # a text that starts like a BMP header
    assert ok.returncode == 0 and ok.stdout.startswith("BMW")


# --- 10: nothing in tasks.csv or .md runs as a formula or as HTML --------------------------------


@pytest.mark.slow
def test_task_cells_cannot_be_formulas_and_markdown_has_no_live_html(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    text = plan_text(5)
    for k, evil in ((1, '=HYPERLINK("http://x")'), (2, "+cmd|' /C calc'!A0"), (3, "@SUM(1+1)")):
        text = text.replace(f"Tổ chức triển khai nhiệm vụ số {k} ", f"{evil} <script>alert({k})</script> ")
    (src / "evil.txt").write_text(text, encoding="utf-8")
    proc = vnplans("convert", src, "--out", out, "-q", "-j", "1")
    assert proc.returncode == 0, proc.stderr
    with (out / "tasks.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows and {"page", "confidence", "warnings"} <= set(rows[0])  # issue 17's columns stay
    for row in rows:
        for col, cell in row.items():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (col, cell)
    neutralised = [c for r in rows for c in r.values() if c[:1] == "'" and c[1:2] in "=+-@"]
    assert neutralised, rows  # the formula-like cells are there, as text
    md = (out / "evil.md").read_text(encoding="utf-8")
    assert "<script>" not in md and "&lt;script&gt;" in md
    record = json.loads((out / "evil.json").read_text(encoding="utf-8"))
    assert "<script>" in record["text"]  # the record itself keeps the document's text as it is


# --- 12: usage errors exit 2, bad input 1, with the same message form ------------------------------


@pytest.mark.slow
def test_usage_errors_exit_2(tmp_path: Path) -> None:
    text = tmp_path / "plan.txt"
    text.write_text(plan_text(6), encoding="utf-8")
    for args in (
        ["restore", "--mode", "bogus", text],
        ["restore", "--style", "odd", text],
        ["convert", text, "--out", tmp_path / "o", "--timeout", "-5"],
        ["convert", text, "--out", tmp_path / "o", "--jobs", "-1"],
        ["convert", text, "--out", tmp_path / "o", "--format", "docx"],
    ):
        proc = vnplans(*args)
        assert proc.returncode == 2, (args, proc.stderr)
        assert "Traceback" not in proc.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.slow
@pytest.mark.parametrize("cmd", ["restore", "ocr", "parse"])
def test_missing_and_unreadable_file_same_message_in_every_command(cmd: str, tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    assert one_line_error(vnplans(cmd, missing), 1) == f"vnplans: error: {missing}: no such file"
    assert one_line_error(vnplans(cmd, tmp_path), 1).startswith(f"vnplans: error: {tmp_path}: ")


def test_parse_refuses_text_that_is_not_vietnamese(tmp_path: Path) -> None:
    import vnplans

    english = "The committee approved the annual budget plan for road maintenance and public lighting.\n" * 3
    (tmp_path / "memo.txt").write_text(english, encoding="utf-8")
    msg = one_line_error(vnplans_cli_parse(tmp_path / "memo.txt"), 1)
    assert "not a Vietnamese administrative document" in msg
    record = vnplans.parse(english)
    assert record.header.authority is None and record.tasks == []
    assert [w.code for w in record.quality.warnings] == ["not_vietnamese"]
    with pytest.raises(TypeError, match="str"):
        vnplans.parse(123)  # type: ignore[arg-type]
    assert vnplans.parse(plan_text(8)).header.number == "8"  # a real plan is still parsed


def vnplans_cli_parse(path: Path) -> subprocess.CompletedProcess[str]:
    return vnplans("parse", path)
