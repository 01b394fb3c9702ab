"""Hostile batches (issue 16): files the tool did not write, odd names, damaged inputs, bad folders.

Every test runs the real pipeline on real files; `executor="inline"` converts in this process (the same
worker code as the pool, without starting one), the CLI tests run `vnplans` itself.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from test_batch import make_docs, manifest, plan_text
from vnplans.batch import convert_many, run_batch
from vnplans.batch.discover import discover

pytestmark = pytest.mark.slow  # batch runs / Chromium / wheel builds: `make check` leaves them out

VNPLANS = [sys.executable, "-m", "vnplans.cli"]


def run(src: object, out: Path, **kw: object) -> int:
    return run_batch(src, out, quiet=True, executor="inline", **kw)


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")}


# --- 1: never delete or overwrite a file the tool did not write -------------------------------------------


def test_foreign_files_in_out_are_never_deleted_or_overwritten(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    make_docs(src, 1)
    (src / "report.txt").write_text(plan_text(7), encoding="utf-8")
    (src / "notes.txt").write_bytes(b"\x00\x01" * 40)  # fails (unsupported/damaged)
    out.mkdir()
    mine = {"report.pdf": b"my own pdf", "notes.md": b"my notes", "report.json": b"{}", "plan01.md": b"x"}
    for name, data in mine.items():
        (out / name).write_bytes(data)

    assert run(src, out) == 1
    for name, data in mine.items():
        assert (out / name).read_bytes() == data, f"{name} was touched"
    m = manifest(out)
    # a document whose output name is taken by a foreign file fails, naming the file, and writes nothing
    assert m["report"]["status"] == "failed" and "report.json" in m["report"]["error"]
    assert m["plan01"]["status"] == "failed" and "plan01.md" in m["plan01"]["error"]
    assert not (out / "report.txt").exists() and not (out / "plan01.json").exists()

    # once the user moves them away, the documents convert, and later runs replace only their own files
    for name in ("report.json", "plan01.md"):
        (out / name).unlink()
    assert run(src, out, formats="json,txt") == 1  # notes.txt (binary) still fails
    assert run(src, out, formats="json", force=True) == 1  # drops its own .txt, never report.pdf
    assert not (out / "report.txt").exists()
    assert (out / "report.pdf").read_bytes() == b"my own pdf"
    assert (out / "notes.md").read_bytes() == b"my notes"


def test_foreign_manifest_or_tasks_csv_refuses_the_folder(tmp_path: Path) -> None:
    src = tmp_path / "in"
    make_docs(src, 1)
    for name in ("manifest.jsonl", "tasks.csv"):
        out = tmp_path / f"out-{name}"
        out.mkdir()
        (out / name).write_text("my,own,data\n=1+1,2,3\n", encoding="utf-8")
        with pytest.raises(ValueError, match="not written by vnplans"):
            run(src, out)
        assert (out / name).read_text(encoding="utf-8") == "my,own,data\n=1+1,2,3\n"
        assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [name]


def test_a_kill_between_outputs_and_manifest_line_leaves_them_ours(tmp_path: Path) -> None:
    """Files written before a kill but after no manifest line are named in the lock file's journal."""
    from vnplans.batch.outputs import OutputDir

    out = tmp_path / "out"
    with OutputDir(out) as od:
        od.write_document("plan01", {"txt": b"a", "json": b"{}"})  # no manifest line: as if killed here
    src = tmp_path / "in"
    make_docs(src, 1)
    assert run(src, out) == 0
    assert manifest(out)["plan01"]["status"] == "ok"
    assert json.loads((out / "plan01.json").read_text(encoding="utf-8"))["header"]["number"] == "1"


# --- 2, 3: names that are not UTF-8, names near the length limit ------------------------------------------


@pytest.mark.skipif(sys.platform != "linux", reason="byte file names")
def test_non_utf8_and_long_names_convert_and_rerun(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    make_docs(src, 1)
    bad = os.fsdecode(b"m\xff.txt")
    long = "a" * 240 + ".txt"
    deep = src / ("d" * 120) / ("e" * 120)
    deep.mkdir(parents=True)
    for i, p in enumerate([src / bad, src / long, deep / ("f" * 100 + ".txt")], start=2):
        p.write_text(plan_text(i), encoding="utf-8")

    assert run(src, out) == 0
    m = manifest(out)
    assert len(m) == 4 and all(e["status"] == "ok" for e in m.values()), m
    for e in m.values():
        assert all(len(os.fsencode(o)) <= 255 for o in e["outputs"])
        assert all((out / o).is_file() for o in e["outputs"])
    shown = next(e for e in m.values() if e["path"].endswith("m\\xff.txt"))
    record = json.loads((out / f"{shown['name']}.json").read_text(encoding="utf-8"))
    assert record["source"]["path"].endswith("m\\xff.txt")
    # the rerun gets past them: everything is unchanged
    before = files(out)
    assert run(src, out) == 0
    assert files(out) == before


@pytest.mark.skipif(sys.platform != "linux", reason="byte file names")
def test_parse_of_a_non_utf8_name_is_one_line(tmp_path: Path) -> None:
    p = tmp_path / os.fsdecode(b"m\xff.txt")
    p.write_text(plan_text(3), encoding="utf-8")
    proc = subprocess.run([*VNPLANS, "parse", os.fsencode(p)], capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    assert json.loads(proc.stdout)["header"]["number"] == "3"


# --- 9: a damaged file of a supported type fails ------------------------------------------------------------


def test_random_bytes_named_pdf_or_png_is_failed_not_skipped(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    make_docs(src, 1)
    noise = bytes((i * 73 + 11) % 256 for i in range(4000))
    (src / "scan.pdf").write_bytes(noise)
    (src / "photo.PNG").write_bytes(noise)
    (src / "data.bin").write_bytes(noise)  # a type we do not read at all stays skipped
    assert run(src, out) == 1
    m = manifest(out)
    assert m["scan"]["status"] == "failed" and "not a valid PDF" in m["scan"]["error"]
    assert m["photo"]["status"] == "failed" and "not a valid PNG" in m["photo"]["error"]
    assert m["data"]["status"] == "skipped"


# --- 4: unreadable folders, symlink loops -------------------------------------------------------------------


def _as_user() -> list[str]:
    """A command prefix that runs as an unprivileged user: root reads every folder, however locked."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: cannot make a folder unreadable")
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def test_unreadable_subfolder_is_reported_failed() -> None:
    prefix = _as_user()
    base = Path(tempfile.mkdtemp(prefix="vnplans-locked-"))  # not under pytest's root-only folder
    try:
        base.chmod(0o777)
        src, out = base / "in", base / "out"
        make_docs(src, 1)
        make_docs(src / "locked", 1, start=2)
        for p in (src, src / "plan01.txt"):
            p.chmod(0o777)
        (src / "locked").chmod(0)
        # the batch in a process of that user (inline: a process pool does not start under setpriv here)
        code = f"from vnplans.batch import run_batch; raise SystemExit(run_batch([{str(src)!r}], {str(out)!r}, quiet=True, executor='inline'))"
        env = {**os.environ, "VNPLANS_CACHE_DIR": "off", "HOME": str(base)}
        proc = subprocess.run([*prefix, sys.executable, "-c", code], capture_output=True, text=True, env=env)
        assert proc.returncode == 1, proc.stderr
        assert "Traceback" not in proc.stderr
        m = manifest(out)
        assert m["plan01"]["status"] == "ok"
        assert m["locked"]["status"] == "failed" and "cannot read folder" in m["locked"]["error"]
        assert f"failed: {src / 'locked'}: cannot read folder" in proc.stderr
    finally:
        (base / "in" / "locked").chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


def test_symlink_loops_and_proc_links_do_not_stop_discovery(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    make_docs(src, 2)
    (src / "loop").symlink_to(src / "loop")
    (src / "a").symlink_to(src / "b")
    (src / "b").symlink_to(src / "a")
    (src / "up").symlink_to(src)
    (src / "proc").symlink_to("/proc/1/cwd")
    assert run(src, out) == 1  # the dangling loops are reported, the documents converted
    m = manifest(out)
    assert m["plan01"]["status"] == m["plan02"]["status"] == "ok"
    assert {n for n, e in m.items() if e["status"] == "failed"} <= {"loop", "a", "b", "proc"}


# --- 5: arguments that meant something else -----------------------------------------------------------------


def test_empty_input_and_out_equal_to_input_are_refused(tmp_path: Path) -> None:
    src = tmp_path / "in"
    make_docs(src, 1)
    before = files(src)
    for args in (["", "--out", str(tmp_path / "o1")], [str(src), "--out", str(src)]):
        proc = subprocess.run(
            [*VNPLANS, "convert", *args, "-q"], capture_output=True, text=True, cwd=tmp_path
        )
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr and proc.stderr.strip()
    assert files(src) == before
    assert not (tmp_path / "o1").exists()
    with pytest.raises(ValueError, match="--out"):
        run(src / "plan01.txt", src)


def test_convert_many_takes_one_path_as_a_string(tmp_path: Path) -> None:
    make_docs(tmp_path / "in", 2)
    got = list(convert_many(str(tmp_path / "in"), executor="inline"))
    assert sorted(r.path.name for r in got) == ["plan01.txt", "plan02.txt"]
    assert all(r.ok for r in got)
    assert [i.path.name for i in discover(str(tmp_path / "in"))] == ["plan01.txt", "plan02.txt"]


# --- 6: resume by content ------------------------------------------------------------------------------


def test_renamed_input_is_not_converted_again_and_tasks_csv_follows(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    make_docs(src, 2)
    assert run(src, out) == 0
    json_before = json.loads((out / "plan02.json").read_text(encoding="utf-8"))
    first = manifest(out)["plan02"]
    (src / "plan02.txt").rename(src / "renamed.txt")
    assert run(src, out) == 0
    m = manifest(out)
    assert sorted(m) == ["plan01", "renamed"]
    assert m["renamed"]["sha256"] == json_before["source"]["sha256"]
    assert m["renamed"]["timings"] == first["timings"]  # the conversion that made it: not converted again
    assert not (out / "plan02.json").exists()
    rec = json.loads((out / "renamed.json").read_text(encoding="utf-8"))
    assert rec["source"]["path"].endswith("renamed.txt")
    assert rec["tasks"] == json_before["tasks"]
    tasks = (out / "tasks.csv").read_text(encoding="utf-8")
    assert "renamed" in tasks and ",plan02," not in tasks


def test_an_input_given_a_longer_name_leaves_no_stale_rows(tmp_path: Path) -> None:
    """`plan.txt` is `plan`; once `plan.pdf` joins it, both get longer names: the old `plan` outputs and
    its task rows go, and tasks.csv holds each task once."""
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "plan.txt").write_text(plan_text(3), encoding="utf-8")
    assert run(src, out) == 0
    rows_before = (out / "tasks.csv").read_text(encoding="utf-8").count("\n")
    (src / "plan.pdf").write_bytes(b"%PDF-1.4 not really")
    assert run(src, out) == 1  # the fake PDF fails
    m = manifest(out)
    assert sorted(m) == ["plan_pdf", "plan_txt"] and m["plan_txt"]["status"] == "ok"
    assert not (out / "plan.json").exists() and (out / "plan_txt.json").exists()
    tasks = (out / "tasks.csv").read_text(encoding="utf-8")
    assert tasks.count("\n") == rows_before and ",plan," not in tasks


# --- the archive formats (issue 17) are outputs like the others: ours to replace, never a user's ----------


def test_archive_formats_and_index_are_owned_like_other_outputs(tmp_path: Path) -> None:
    from vnplans.synth.render import render_page

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    lines = ["ỦY BAN NHÂN DÂN TỈNH BẮC NINH", "Số: 27/KH-UBND", "KẾ HOẠCH", "Cải cách hành chính năm 2024"]
    page = render_page(lines, dpi=200, page_mm=(210, 80), margins_mm=(12, 10, 20, 15)).image.convert("L")
    for stem in ("a", "b"):
        page.save(src / f"{stem}.png", dpi=(200, 200))
    out.mkdir()
    mine = {"b.alto.xml": b"<my-alto/>", "index.html": b"<html>my own index</html>"}
    for name, data in mine.items():
        (out / name).write_bytes(data)

    assert run(src, out, formats="json,alto,hocr,tsv,html") == 1
    m = manifest(out)
    assert m["a"]["status"] == "ok"
    assert {"a.alto.xml", "a.hocr", "a.tsv", "a.html"} <= set(m["a"]["outputs"])
    assert m["b"]["status"] == "failed" and "b.alto.xml" in m["b"]["error"]
    assert not (out / "b.hocr").exists() and not (out / "b.json").exists()
    for name, data in mine.items():  # the user's ALTO and index are left as they were
        assert (out / name).read_bytes() == data, f"{name} was touched"

    (out / "b.alto.xml").unlink()
    (out / "index.html").unlink()
    assert run(src, out, formats="json,alto,hocr,tsv,html") == 0
    assert (
        b"vnplans" in (out / "index.html").read_bytes() and (out / "b.alto.xml").read_bytes() != b"<my-alto/>"
    )
    # a rerun without them removes our own archive files, and only those
    (out / "keep.tsv").write_bytes(b"user data")
    assert run(src, out, formats="json", force=True) == 0
    left = set(files(out))
    assert not left & {"a.alto.xml", "a.hocr", "a.tsv", "a.html", "b.alto.xml", "b.hocr", "b.tsv"}
    assert (out / "keep.tsv").read_bytes() == b"user data"


def test_renamed_input_with_named_formats_is_converted_again_under_its_new_name(tmp_path: Path) -> None:
    """The review page names the input: a renamed input's is made anew, and the old name's files go."""
    src, out = tmp_path / "in", tmp_path / "out"
    make_docs(src, 2)
    assert run(src, out, formats="json,html") == 0
    first = manifest(out)["plan02"]
    (src / "plan02.txt").rename(src / "renamed.txt")
    assert run(src, out, formats="json,html") == 0
    m = manifest(out)
    assert sorted(m) == ["plan01", "renamed"]
    assert m["renamed"]["sha256"] == first["sha256"] and m["renamed"]["finished"] >= first["finished"]
    assert "renamed.txt" in (out / "renamed.html").read_text(encoding="utf-8")
    assert not (out / "plan02.json").exists() and not (out / "plan02.html").exists()
    tasks = (out / "tasks.csv").read_text(encoding="utf-8")
    assert "renamed" in tasks and ",plan02," not in tasks
