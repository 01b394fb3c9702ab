"""The batch acceptance target, at its literal size, through the real `vnplans convert` CLI.

"A batch of 200 files with 10 corrupt ones: 190 converted, 10 reported, exit code 1, nothing lost;
killed with SIGKILL half-way and rerun: finishes the rest without redoing the done ones, no partial
files."

Inputs are real files built here: 180 generated plan texts (UTF-8, UTF-16, without diacritics), six
small rendered scans that go through Tesseract, three PDFs with a text layer and one image-only PDF,
plus ten corrupt files of different kinds spread over the same folders.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from vnplans.models import PlanRecord

pytestmark = pytest.mark.slow  # batch runs / Chromium / wheel builds: `make check` leaves them out

pytestmark = pytest.mark.slow  # ~20 s on two cores; not deselected anywhere, so part of `make test`

VNPLANS = [sys.executable, "-m", "vnplans.cli"]
N_TEXT, N_SCANS, N_PDFS = 180, 6, 4
N_VALID, N_CORRUPT = N_TEXT + N_SCANS + N_PDFS, 10
N_TOTAL = N_VALID + N_CORRUPT
OUTPUT_SUFFIXES = (".json", ".md", ".txt")
MANIFEST, TASKS, LOCK = "manifest.jsonl", "tasks.csv", ".vnplans.lock"
TEMP_SUFFIX = ".vnplans.tmp"  # documented marker of the batch's temporary files


@dataclass
class Batch:
    src: Path
    valid: dict[str, Path]  # documented output name -> input file
    kinds: dict[str, str]  # output name -> the source kind the record must report
    headers: dict[str, dict]  # output name -> generator's expected header (text inputs)
    corrupt: dict[str, tuple[Path, str]]  # output name -> (input file, regex the reason must match)

    @property
    def inputs(self) -> dict[str, Path]:
        return {**self.valid, **{n: p for n, (p, _) in self.corrupt.items()}}


def out_name(src: Path, path: Path) -> str:
    """The documented naming rule for files found under a folder argument: `a/b/x.txt` -> `a__b__x`."""
    rel = path.relative_to(src)
    return "__".join([*rel.parent.parts, rel.stem])


def _header_scan(seed: int):
    """A small grayscale page (200 dpi) with the first lines of a generated plan: needs real OCR."""
    from vnplans.synth.plans import generate_plan
    from vnplans.synth.render import render_page

    lines = [line for line in generate_plan(seed).to_text().splitlines()[:9] if line.strip()]
    return render_page(lines, dpi=200, page_mm=(210, 85), margins_mm=(8, 8, 15, 10)).image


def _text_pdf(lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from vnplans.synth.render import find_font

    pdfmetrics.registerFont(TTFont("LSerif", str(find_font("Liberation Serif"))))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont("LSerif", 11)
    for i, line in enumerate(lines[:44]):
        c.drawString(40, 800 - 17 * i, line[:95])
    c.showPage()
    c.save()
    return buf.getvalue()


def _image_pdf(image, dpi: int = 200) -> bytes:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    png = io.BytesIO()
    image.save(png, format="PNG")
    w, h = image.width * 72 / dpi, image.height * 72 / dpi
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(w, h))
    c.drawImage(ImageReader(io.BytesIO(png.getvalue())), 0, 0, width=w, height=h)
    c.showPage()
    c.save()
    return buf.getvalue()


def _encoded(image, fmt: str) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format=fmt, dpi=(200, 200))
    return buf.getvalue()


def build_batch(src: Path) -> Batch:
    from pypdf import PdfWriter

    from vnplans.synth.plans import generate_plan
    from vnplans.synth.render import mild_scan
    from vnplans.text.syllable import strip_diacritics

    rng = random.Random(200)
    valid: dict[Path, str] = {}  # input -> kind
    headers: dict[Path, dict] = {}
    corrupt: dict[Path, str] = {}

    def put(rel: str, data: bytes) -> Path:
        p = src / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        return p

    folders = ["2022", "2023/q1", "2023/q2", "2024", "."]
    texts = set()
    for i in range(N_TEXT):
        seed = 1 + i
        doc = generate_plan(seed)
        text = doc.to_text()
        texts.add(text)
        folder = folders[i % len(folders)]
        if i % 60 == 7:  # a few in UTF-16 with a BOM
            p = put(f"{folder}/plan_{seed:03d}.txt", text.encode("utf-16"))
        elif i % 60 == 31:  # a few typed without diacritics (restored before parsing)
            p = put(f"{folder}/plan_{seed:03d}.txt", strip_diacritics(text).encode("utf-8"))
        else:
            p = put(f"{folder}/plan_{seed:03d}.txt", text.encode("utf-8"))
        valid[p] = "text"
        headers[p] = doc.expected["header"]
    assert len(texts) == N_TEXT  # every plan has its own content

    scans = [
        ("scans/scan_a.png", "PNG", "png", None),
        ("scans/scan_b.png", "PNG", "png", 1),
        ("scans/scan_c.jpg", "JPEG", "jpeg", None),
        ("scans/scan_d.jpg", "JPEG", "jpeg", 2),
        ("2023/q1/scan_e.tif", "TIFF", "tiff", None),
        ("2024/scan_f.webp", "WEBP", "webp", None),
    ]
    for k, (rel, fmt, kind, noisy) in enumerate(scans):
        image = _header_scan(1000 + k)
        if noisy is not None:
            image = mild_scan(image, seed=noisy, scale=1.0, blur=0.4, noise=3, jpeg_quality=90)
        valid[put(rel, _encoded(image, fmt))] = kind
    for k in range(N_PDFS - 1):
        lines = generate_plan(2000 + k).to_text().splitlines()
        valid[put(f"pdf/layer_{k}.pdf", _text_pdf(lines))] = "pdf"
    valid[put("pdf/image_only.pdf", _image_pdf(_header_scan(3000)))] = "pdf"

    # ten corrupt inputs of different kinds, next to the good ones
    good_png = _encoded(_header_scan(4000), "PNG")
    bad_pixels = bytearray(good_png)
    for k in range(len(bad_pixels) // 2, len(bad_pixels) // 2 + 300):
        bad_pixels[k] ^= 0x5A
    good_jpg = _encoded(_header_scan(4001), "JPEG")
    good_pdf = _text_pdf(generate_plan(4002).to_text().splitlines())
    locked = PdfWriter(clone_from=io.BytesIO(good_pdf))
    locked.encrypt("mật khẩu")
    locked_buf = io.BytesIO()
    locked.write(locked_buf)
    broken = r"corrupt|truncat|cannot be (opened|decoded|read)"
    cases = [
        ("scans/cut.png", good_png[: len(good_png) // 2], broken),
        ("2022/header_only.png", good_png[:16], broken),
        ("scans/bad_pixels.png", bytes(bad_pixels), broken),
        ("2023/q2/cut.jpg", good_jpg[: len(good_jpg) // 3], broken),
        ("pdf/cut.pdf", good_pdf[: len(good_pdf) // 3], broken),
        ("2024/garbage.pdf", b"%PDF-1.7\n" + rng.randbytes(3000), broken),
        ("pdf/locked.pdf", locked_buf.getvalue(), r"encrypted|password"),
        ("2022/empty.txt", b"", r"empty"),
        ("2023/q1/blank.txt", b" \n\t\n  \r\n", r"empty"),
        ("junk.txt", bytes(rng.randrange(128, 256) for _ in range(4000)), r"binary|not text"),
    ]
    for rel, data, reason in cases:
        corrupt[put(rel, data)] = reason

    assert (len(valid), len(corrupt)) == (N_VALID, N_CORRUPT)
    names = [out_name(src, p) for p in [*valid, *corrupt]]
    assert len(set(names)) == N_TOTAL  # no clashes: the short documented names apply
    return Batch(
        src=src,
        valid={out_name(src, p): p for p in valid},
        kinds={out_name(src, p): k for p, k in valid.items()},
        headers={out_name(src, p): h for p, h in headers.items()},
        corrupt={out_name(src, p): (p, r) for p, r in corrupt.items()},
    )


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    return build_batch(tmp_path_factory.mktemp("batch200") / "in")


def convert_cmd(batch: Batch, out: Path, *extra: str) -> list[str]:
    return [*VNPLANS, "convert", str(batch.src), "--out", str(out), "--jobs", "2", *extra]


@pytest.fixture(scope="module")
def reference(
    batch: Batch, tmp_path_factory: pytest.TempPathFactory
) -> tuple[subprocess.CompletedProcess, Path]:
    """One uninterrupted run of the whole batch (the acceptance run, and the reference for the resume)."""
    out = tmp_path_factory.mktemp("ref") / "out"
    proc = subprocess.run(convert_cmd(batch, out, "--quiet"), capture_output=True, text=True, timeout=600)
    return proc, out


# --- checks -------------------------------------------------------------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest_lines(out: Path, *, allow_torn_tail: bool = False) -> list[dict]:
    """Every manifest line parsed; after a kill the last line alone may be cut short (and is ignored)."""
    raw = (out / MANIFEST).read_text(encoding="utf-8")
    lines = raw.splitlines()
    entries = []
    for i, line in enumerate(lines):
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            last = i == len(lines) - 1 and not raw.endswith("\n")
            assert allow_torn_tail and last, f"unparsable manifest line {i + 1}: {line[:120]!r}"
    return entries


def visible(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if not p.name.startswith("."))


def temp_files(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.endswith(TEMP_SUFFIX) or ".tmp" in p.name)


def document_outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in visible(out) if p.suffix in OUTPUT_SUFFIXES}


def check_finished(batch: Batch, out: Path) -> dict[str, dict]:
    """The state a finished run must leave: one manifest line per input, 190 ok with valid outputs,
    10 failed with a one-line reason and no outputs, a complete tasks.csv and nothing else."""
    lines = manifest_lines(out)
    by_name = {e["name"]: e for e in lines}
    assert len(lines) == len(by_name) == N_TOTAL, "one manifest line per input"
    # nothing lost: every input is accounted for, under its own path
    assert {e["path"] for e in lines} == {str(p) for p in batch.inputs.values()}
    assert {n: str(batch.inputs[n]) for n in by_name} == {n: e["path"] for n, e in by_name.items()}

    status = Counter(e["status"] for e in lines)
    assert status == {"ok": N_VALID, "failed": N_CORRUPT}, status
    assert {n for n, e in by_name.items() if e["status"] == "ok"} == set(batch.valid)

    for name, (path, reason) in batch.corrupt.items():
        e = by_name[name]
        assert e["status"] == "failed", (name, e)
        err = e["error"]
        assert isinstance(err, str) and err.strip() and "\n" not in err, (name, err)
        assert re.search(reason, err, re.IGNORECASE), f"{path.name}: reason {err!r} does not say {reason!r}"
        assert e["outputs"] == [], (name, e["outputs"])
        assert not list(out.glob(f"{name}.*")), name
        assert e["sha256"] == sha256(path)

    records: dict[str, PlanRecord] = {}
    for name, path in batch.valid.items():
        e = by_name[name]
        assert e["error"] is None, (name, e["error"])
        assert sorted(e["outputs"]) == [f"{name}{s}" for s in OUTPUT_SUFFIXES], (name, e["outputs"])
        assert e["sha256"] == sha256(path)
        record = PlanRecord.model_validate_json((out / f"{name}.json").read_bytes())
        records[name] = record
        # the record is this input's conversion, not a neighbour's
        assert record.source.sha256 == e["sha256"]
        assert record.source.path is not None and Path(record.source.path).name == path.name
        assert record.source.kind == batch.kinds[name], (name, record.source.kind)
        assert record.source.pages == e["pages"] and (record.source.pages == 1 or batch.kinds[name] == "text")
        txt = (out / f"{name}.txt").read_text(encoding="utf-8")
        assert txt.rstrip("\n") == record.text.rstrip("\n") and len(record.text.split()) >= 10, name
        assert (out / f"{name}.md").stat().st_size > 0
        if batch.kinds[name] != "text" and not name.startswith("pdf__layer"):  # images: real Tesseract
            assert "ocr" in e["timings"], f"{name} was not OCRed: {e['timings']}"

    # the text plans are really parsed: header number and symbol from the generator's ground truth
    parsed = [
        (records[n].header.number, records[n].header.symbol) == (h["number"], h["symbol"])
        for n, h in batch.headers.items()
    ]
    assert sum(parsed) >= 0.95 * len(parsed), f"{len(parsed) - sum(parsed)} text plans lost their header"

    # exactly the outputs, the manifest and tasks.csv; no temporary file left
    expected_files = {MANIFEST, TASKS} | {f"{n}{s}" for n in batch.valid for s in OUTPUT_SUFFIXES}
    assert {p.name for p in visible(out)} == expected_files
    assert temp_files(out) == []
    assert {p.name for p in out.iterdir() if p.name.startswith(".")} <= {LOCK}

    # tasks.csv: every task row of every converted document, none of a failed one
    with (out / TASKS).open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    per_doc = Counter(r["name"] for r in rows)
    assert per_doc == Counter({n: len(r.tasks) for n, r in records.items() if r.tasks})
    assert sum(len(records[n].tasks) > 0 for n in batch.headers) >= 0.95 * N_TEXT
    # the document column is the path inside the input folder, wherever the command ran
    assert all(Path(by_name[r["name"]]["path"]).as_posix().endswith("/" + r["document"]) for r in rows)
    return by_name


# --- the acceptance target ----------------------------------------------------------------------------


def test_200_files_10_corrupt_converted_reported_exit_1(batch: Batch, reference) -> None:
    proc, out = reference
    assert proc.returncode == 1, proc.stderr[-3000:]
    assert proc.stdout == ""  # stdout is not used
    check_finished(batch, out)
    # --quiet still lists every failure, once, with its reason
    failed_lines = [line for line in proc.stderr.splitlines() if "failed:" in line]
    assert len(failed_lines) == N_CORRUPT, proc.stderr[-3000:]
    for path, _ in batch.corrupt.values():
        assert sum(str(path) in line for line in failed_lines) == 1, path


def count_complete_lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def test_sigkill_half_way_then_rerun_finishes_without_redoing(
    batch: Batch, reference, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    err_log = tmp_path / "killed.stderr"
    with err_log.open("w") as err:
        proc = subprocess.Popen(
            convert_cmd(batch, out, "--quiet"),
            stdout=subprocess.DEVNULL,
            stderr=err,
            start_new_session=True,  # its own process group: the run, the fork server and the workers
        )
        deadline = time.monotonic() + 300  # a guard against hanging the suite, not a timing assertion
        try:
            while count_complete_lines(out / MANIFEST) < N_TOTAL // 2:
                assert proc.poll() is None, f"run ended before half-way: {err_log.read_text()[-2000:]}"
                assert time.monotonic() < deadline, "the batch made no progress"
                time.sleep(0.005)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # half-way (or, on a failed guard, to clean up)
            proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL

    # --- what the kill left: only complete files, and a manifest that describes them ---
    entries = manifest_lines(out, allow_torn_tail=True)
    names = [e["name"] for e in entries]
    assert len(names) == len(set(names))
    assert N_TOTAL // 2 <= len(entries) < N_TOTAL, "killed half-way, not at the start or the end"
    done = {e["name"]: e for e in entries if e["status"] == "ok"}
    assert done and set(done) <= set(batch.valid)
    for name, e in done.items():  # a manifest line is only written once its outputs are complete
        assert sorted(e["outputs"]) == [f"{name}{s}" for s in OUTPUT_SUFFIXES]
        record = PlanRecord.model_validate_json((out / f"{name}.json").read_bytes())
        assert record.source.sha256 == e["sha256"] == sha256(batch.valid[name])
    left = {}
    for p in visible(out):
        if p.name == MANIFEST:
            continue
        assert p.suffix in OUTPUT_SUFFIXES and p.stem in batch.valid, f"unexpected file after kill: {p.name}"
        if p.suffix == ".json":
            PlanRecord.model_validate_json(p.read_bytes())  # whole, never half-written
        left[p.name] = p.read_bytes()
    # the parent alone writes outputs, one document at a time: at most one document can have files but
    # no manifest line yet (the kill fell between its files and its line); a rerun redoes it
    unrecorded = {Path(n).stem for n in left} - set(done)
    assert len(unrecorded) <= 1, unrecorded
    before = {
        name: {o: ((out / o).stat().st_ino, (out / o).stat().st_mtime_ns) for o in e["outputs"]}
        for name, e in done.items()
    }

    # what a power cut could add to a SIGKILL: a half-written temp file and a torn manifest line
    todo = sorted(set(batch.valid) - set(done))
    stale = out / f".{todo[0]}.json.4242-dead{TEMP_SUFFIX}"
    stale.write_text('{"header": {"number": "1', encoding="utf-8")
    if (out / MANIFEST).read_bytes().endswith(b"\n"):
        with (out / MANIFEST).open("a", encoding="utf-8") as f:
            f.write(json.dumps({"name": todo[0], "status": "ok", "outputs": []})[:25])

    # --- the rerun: the same command finishes the rest ---
    rerun = subprocess.run(
        convert_cmd(batch, out, "--json-logs"), capture_output=True, text=True, timeout=600
    )
    assert rerun.returncode == 1, rerun.stderr[-3000:]
    events = [json.loads(line) for line in rerun.stderr.splitlines() if line.startswith("{")]
    docs = [(e["name"], e["status"]) for e in events if e["event"] == "document"]
    assert len(docs) == len({n for n, _ in docs}) == N_TOTAL, "one event per input"
    status = dict(docs)
    assert {n for n, s in status.items() if s == "cached"} == set(done)  # not redone
    assert {n for n, s in status.items() if s == "ok"} == set(batch.valid) - set(done)
    assert {n for n, s in status.items() if s == "failed"} == set(batch.corrupt)  # failures are retried
    summary = next(e for e in events if e["event"] == "summary")
    assert (summary["converted"], summary["unchanged"], summary["failed"]) == (
        N_VALID - len(done),
        len(done),
        N_CORRUPT,
    )

    final = check_finished(batch, out)
    assert not stale.exists()
    for name, e in done.items():
        assert final[name] == e, f"{name}: manifest line rewritten"
        for o, (ino, mtime) in before[name].items():
            st = (out / o).stat()
            assert (st.st_ino, st.st_mtime_ns) == (ino, mtime), f"{o} was written again"
    now = document_outputs(out)
    for fname, data in left.items():  # whatever the kill left was complete: identical to the final file
        assert now[fname] == data, f"{fname} differs from its finished version"

    # interrupted and resumed gives exactly what one uninterrupted run gives
    _, ref_out = reference
    assert now == document_outputs(ref_out)
    assert (out / TASKS).read_bytes() == (ref_out / TASKS).read_bytes()
