"""Batch conversion through real worker processes and the real pipeline on generated plan texts."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest

from vnplans.atomic import TEMP_SUFFIX, atomic_write_text, cleanup_temp
from vnplans.batch import convert_many, run_batch
from vnplans.batch.discover import Input, assign_names, discover

UNITS = ["Sở Nội vụ", "Sở Tài chính", "Sở Tư pháp", "Văn phòng UBND thành phố", "Sở Y tế"]


def plan_text(i: int) -> str:
    """A small plan with a header, a legal basis, a three-row task table and a signature."""
    rows = "\n".join(
        f"{k}\nTổ chức triển khai nhiệm vụ số {k} của kế hoạch {i}, hoàn thành trong tháng {k + 1}/2023\n"
        f"{UNITS[(i + k) % 5]} chủ trì, phối hợp {UNITS[(i + k + 1) % 5]}"
        for k in range(1, 4)
    )
    return (
        "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ CẦN THƠ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        f"Số: {i}/KH-UBND\nCần Thơ, ngày {i % 27 + 1} tháng {i % 12 + 1} năm 2022\n\n"
        "KẾ HOẠCH\nThực hiện công tác cải cách hành chính năm 2023\n\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n\n"
        "I. MỤC ĐÍCH, YÊU CẦU\n1. Nâng cao hiệu quả hoạt động của các cơ quan hành chính nhà nước.\n\n"
        f"II. NHIỆM VỤ CỤ THỂ\nTT\nNội dung\nĐơn vị thực hiện\n{rows}\n\n"
        "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nNguyễn Văn An\n\n"
        "Nơi nhận:\n- Văn phòng Chính phủ;\n- Lưu: VT.\n"
    )


def make_docs(folder: Path, n: int, *, start: int = 1) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        p = folder / f"plan{i:02d}.txt"
        p.write_text(plan_text(i), encoding="utf-8")
        paths.append(p)
    return paths


def manifest(out: Path) -> dict[str, dict]:
    lines = (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return {e["name"]: e for e in map(json.loads, lines)}


def per_doc_bytes(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.suffix in (".json", ".txt", ".md")}


# --- discovery and names (pure) ---------------------------------------------------------------------


def test_discover_skips_sidecars_hidden_and_output_folder(tmp_path: Path) -> None:
    src = tmp_path / "in"
    make_docs(src / "a", 2)
    (src / "a" / "plan01.truth.txt").write_text("x")
    (src / "a" / "plan01.expected.json").write_text("{}")
    (src / ".hidden.txt").write_text("x")
    (src / ".git").mkdir()
    (src / ".git" / "x.txt").write_text("x")
    out = src / "converted"
    make_docs(out, 1)  # outputs inside the input tree are never read back as inputs
    found = [i.path.relative_to(src).as_posix() for i in discover([src], exclude=[out])]
    assert found == ["a/plan01.txt", "a/plan02.txt"]
    # a file named explicitly is taken even if it looks like a sidecar
    assert [i.path.name for i in discover([src / "a" / "plan01.truth.txt"])] == ["plan01.truth.txt"]
    with pytest.raises(ValueError, match="input not found"):
        discover([tmp_path / "missing"])
    with pytest.raises(ValueError, match="no files match"):
        discover([str(tmp_path / "*.nothing")])


def test_names_are_unique_and_independent_of_order(tmp_path: Path) -> None:
    a, b = tmp_path / "x" / "a", tmp_path / "y" / "a"
    items = [
        Input(tmp_path / "x" / "plan.txt", tmp_path / "x"),
        Input(tmp_path / "x" / "plan.pdf", tmp_path / "x"),
        Input(a / "doc.txt", tmp_path / "x"),
        Input(b / "doc.txt", tmp_path / "y"),
        Input(tmp_path / "solo.txt", None),
    ]
    names = assign_names(items)
    assert names[tmp_path / "solo.txt"] == "solo"
    assert names[tmp_path / "x" / "plan.txt"] == "plan_txt"
    assert names[tmp_path / "x" / "plan.pdf"] == "plan_pdf"
    assert names[a / "doc.txt"] == "x__a__doc_txt"
    assert names[b / "doc.txt"] == "y__a__doc_txt"
    assert len(set(names.values())) == len(items)
    assert assign_names(list(reversed(items))) == names


def test_atomic_write_and_cleanup(tmp_path: Path) -> None:
    target = tmp_path / "f.txt"
    atomic_write_text(target, "một\n")
    assert target.read_bytes() == "một\n".encode()
    stale = tmp_path / f".f.txt.999-abcd{TEMP_SUFFIX}"
    stale.write_text("half")
    assert cleanup_temp(tmp_path) == [stale]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.txt"]


# --- real batches -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_resume_skips_done_and_force_redoes(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    make_docs(src, 4)
    assert run_batch([src], out, jobs=2, quiet=True) == 0
    first = manifest(out)
    assert sorted(first) == ["plan01", "plan02", "plan03", "plan04"]
    assert all(e["status"] == "ok" for e in first.values())
    assert sorted(first["plan01"]["outputs"]) == ["plan01.json", "plan01.md", "plan01.txt"]
    mtimes = {p.name: p.stat().st_mtime_ns for p in out.glob("plan*")}

    # one input changes: only that one is converted again
    (src / "plan02.txt").write_text(plan_text(22), encoding="utf-8")
    assert run_batch([src], out, jobs=2, quiet=True) == 0
    second = manifest(out)
    assert second["plan02"]["sha256"] != first["plan02"]["sha256"]
    assert json.loads((out / "plan02.json").read_text())["header"]["number"] == "22"
    for name in ("plan01", "plan03", "plan04"):
        assert second[name] == first[name]
        assert (out / f"{name}.json").stat().st_mtime_ns == mtimes[f"{name}.json"]

    assert run_batch([src], out, jobs=1, quiet=True, force=True) == 0
    third = manifest(out)
    assert all(third[n]["finished"] >= second[n]["finished"] for n in third)
    assert all((out / f"{n}.json").stat().st_mtime_ns > mtimes[f"{n}.json"] for n in third)


@pytest.mark.slow
def test_bad_inputs_fail_alone_with_reasons(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    src, out = tmp_path / "in", tmp_path / "out"
    make_docs(src, 2)
    (src / "empty.txt").write_bytes(b"")
    (src / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage that is not a PDF body")
    (src / "cut.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    w = PdfWriter()
    w.add_blank_page(200, 200)
    w.encrypt("secret")
    with open(src / "locked.pdf", "wb") as f:
        w.write(f)
    (src / "data.bin").write_bytes(b"\x00\x01\x02\x03" * 50)

    assert run_batch([src], out, jobs=2, quiet=True) == 1
    m = manifest(out)
    assert m["plan01"]["status"] == m["plan02"]["status"] == "ok"
    assert (out / "plan01.json").is_file() and (out / "plan02.md").is_file()
    assert m["data"]["status"] == "skipped"  # unsupported is not a failure
    for name in ("empty", "broken", "cut", "locked"):
        e = m[name]
        assert e["status"] == "failed" and e["outputs"] == []
        assert e["error"] and "\n" not in e["error"]
        assert not list(out.glob(f"{name}.*"))
    assert "encrypted" in m["locked"]["error"]
    assert "empty" in m["empty"]["error"]
    # only failures among the rest: the next run retries them and again exits 1, good ones untouched
    assert run_batch([src], out, jobs=2, quiet=True) == 1


def test_tasks_csv_and_determinism(tmp_path: Path) -> None:
    src = tmp_path / "in"
    make_docs(src / "a", 3)
    make_docs(src / "b", 2)  # same file names in another folder
    out1, out2 = tmp_path / "o1", tmp_path / "o2"
    assert run_batch([src], out1, jobs=2, quiet=True) == 0
    assert run_batch([src], out2, jobs=1, quiet=True) == 0
    files = per_doc_bytes(out1)
    assert "a__plan01.json" in files and "b__plan01.json" in files
    assert files == per_doc_bytes(out2)  # same bytes whatever the job count or completion order
    assert (out1 / "tasks.csv").read_bytes() == (out2 / "tasks.csv").read_bytes()

    rows = list(csv.DictReader((out1 / "tasks.csv").open(encoding="utf-8")))
    records = {p.stem: json.loads(p.read_text()) for p in out1.glob("*.json")}
    assert len(rows) == sum(len(r["tasks"]) for r in records.values()) > 0
    first = next(r for r in rows if r["name"] == "a__plan02")
    assert first["document"].endswith("plan02.txt")
    assert (first["number"], first["symbol"]) == ("2", "KH-UBND")
    assert first["issued_date"] == "2022-03-03"
    for text in (p.read_text(encoding="utf-8") for p in out1.glob("*.json")):
        assert "finished" not in text and "seconds" not in text  # timings only in the manifest


CRASHY = """
import os, signal, time
from vnplans.pipeline import convert as _convert

def convert(path, fix=True):
    text = open(path, encoding="utf-8").read()
    if "CRASH" in text:
        os.kill(os.getpid(), signal.SIGKILL)
    if "HANG" in text:
        time.sleep(60)
    return _convert(path, fix=fix)
"""


@pytest.mark.slow
def test_worker_crash_and_hang_fail_only_their_document(tmp_path: Path, monkeypatch) -> None:
    mod = tmp_path / "mods"
    mod.mkdir()
    (mod / "crashy_converter.py").write_text(CRASHY)
    monkeypatch.syspath_prepend(str(mod))  # passed on to spawned workers
    src, out = tmp_path / "in", tmp_path / "out"
    make_docs(src, 3)
    (src / "x_crash.txt").write_text("CRASH\n")
    (src / "x_hang.txt").write_text("HANG\n")
    code = run_batch([src], out, jobs=2, quiet=True, timeout=5, converter="crashy_converter")
    assert code == 1
    m = manifest(out)
    assert [m[f"plan0{i}"]["status"] for i in (1, 2, 3)] == ["ok"] * 3
    assert "worker process died" in m["x_crash"]["error"]
    assert "timed out" in m["x_hang"]["error"]


def test_convert_many_yields_records_and_errors(tmp_path: Path) -> None:
    docs = make_docs(tmp_path, 2)
    (tmp_path / "empty.txt").write_bytes(b"")
    results = {r.path.name: r for r in convert_many([tmp_path], jobs=2)}
    assert set(results) == {"plan01.txt", "plan02.txt", "empty.txt"}
    assert results["plan01.txt"].ok and results["plan01.txt"].record.header.number == "1"
    assert results["plan01.txt"].timings["total"] > 0
    assert not results["empty.txt"].ok and results["empty.txt"].record is None
    assert "empty" in results["empty.txt"].error
    inline = {r.path.name: r for r in convert_many(docs, executor="inline")}
    assert inline["plan02.txt"].record == results["plan02.txt"].record


def test_second_run_into_a_busy_folder_is_refused(tmp_path: Path) -> None:
    from vnplans.batch.outputs import OutputDir

    make_docs(tmp_path / "in", 1)
    with OutputDir(tmp_path / "out"), pytest.raises(OSError, match="another vnplans convert"):
        run_batch([tmp_path / "in"], tmp_path / "out", quiet=True)
    assert os.listdir(tmp_path / "out") == [".vnplans.lock"]


@pytest.mark.slow
def test_scan_gets_a_searchable_pdf_with_the_corrected_text(tmp_path: Path) -> None:
    """A real rendered page through workers, OCR and correction into a PDF whose text layer reads back."""
    import pdfplumber

    from vnplans.synth.document import render_document
    from vnplans.synth.plans import generate_plan

    src = tmp_path / "in"
    src.mkdir()
    page = render_document(generate_plan(31), dpi=200)[0].image.convert("L")
    page.save(src / "scan.png", dpi=(200, 200))
    out = tmp_path / "out"
    assert run_batch([str(src)], out, jobs=1, formats="json,txt,pdf", quiet=True) == 0
    with pdfplumber.open(out / "scan.pdf") as pdf:
        layer = pdf.pages[0].extract_text() or ""
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in layer
    assert manifest(out)["scan"]["status"] == "ok"


def test_costliest_documents_start_first(tmp_path: Path) -> None:
    """A small 150 dpi scan costs what a big one does (it is upscaled): pages count, not bytes; a
    multi-page PDF goes before single pages, and OCR text by its size; unreadable files by size."""
    import numpy as np
    from PIL import Image
    from reportlab.pdfgen import canvas

    from vnplans.batch.run import _costs

    Image.fromarray(np.full((1754, 1240), 255, np.uint8)).save(tmp_path / "small.png")  # ~a few KB
    big = np.random.default_rng(0).integers(0, 256, (2000, 1500, 3), dtype=np.uint8)
    Image.fromarray(big).save(tmp_path / "big.jpg", quality=95)  # ~MBs, one page
    c = canvas.Canvas(str(tmp_path / "three.pdf"))
    for _ in range(3):
        c.drawString(100, 700, "trang")
        c.showPage()
    c.save()
    (tmp_path / "ocr.txt").write_text("Ke hoach thuc hien " * 400, encoding="utf-8")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    paths = sorted(tmp_path.iterdir())
    costs = _costs(paths)
    assert costs[tmp_path / "small.png"] == costs[tmp_path / "big.jpg"]
    assert costs[tmp_path / "three.pdf"] == 3 * costs[tmp_path / "big.jpg"]
    assert costs[tmp_path / "ocr.txt"] > costs[tmp_path / "big.jpg"]
    assert 0 < costs[tmp_path / "broken.pdf"] < costs[tmp_path / "big.jpg"]
