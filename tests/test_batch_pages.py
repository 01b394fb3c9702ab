"""Multi-page scans split into page tasks: real worker processes, real Tesseract, same bytes as whole documents."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from test_batch import make_docs, manifest, per_doc_bytes
from vnplans.batch import convert_many, run_batch
from vnplans.synth.degrade import degrade
from vnplans.synth.document import render_document
from vnplans.synth.plans import generate_plan

pytestmark = pytest.mark.slow  # batch runs / Chromium / wheel builds: `make check` leaves them out


def _pages(seed: int) -> list[Image.Image]:
    pages = render_document(generate_plan(seed), dpi=200)
    images = [degrade(p.image.convert("L"), seed=i, level="light") for i, p in enumerate(pages)]
    return [im if isinstance(im, Image.Image) else Image.fromarray(im) for im in images]


def _tiff(path: Path, images: list[Image.Image]) -> Path:
    images[0].save(path, save_all=True, append_images=images[1:], compression="tiff_deflate", dpi=(200, 200))
    return path


def _image_pdf(path: Path, images: list[Image.Image]) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    for im in images:
        buf = io.BytesIO()
        im.save(buf, format="PNG")
        c.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 0, 0, width=A4[0], height=A4[1])
        c.showPage()
    c.save()
    return path


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("scans")
    images = _pages(7)
    assert len(images) == 2
    _tiff(src / "plan.tiff", images)
    _image_pdf(src / "plan.pdf", images[::-1])
    return src


def test_page_tasks_give_the_bytes_of_whole_documents(scans: Path, tmp_path: Path) -> None:
    whole, split = tmp_path / "whole", tmp_path / "split"
    assert run_batch([scans], whole, jobs=1, formats="json,txt,md,pdf", quiet=True) == 0
    assert run_batch([scans], split, jobs=2, formats="json,txt,md,pdf", quiet=True) == 0
    files = per_doc_bytes(split)
    assert sorted(files) == [f"plan_{k}.{f}" for k in ("pdf", "tiff") for f in ("json", "md", "txt")]
    assert files == per_doc_bytes(whole)
    for name in ("plan_pdf", "plan_tiff"):  # the searchable PDFs too, built from images sent back
        assert (split / f"{name}.pdf").read_bytes() == (whole / f"{name}.pdf").read_bytes()
    assert (split / "tasks.csv").read_bytes() == (whole / "tasks.csv").read_bytes()

    m1, m2 = manifest(whole), manifest(split)
    for name in ("plan_pdf", "plan_tiff"):
        assert m2[name]["status"] == "ok" and m2[name]["pages"] == 2
        assert len(m1[name]["workers"]) == 1 and os.getpid() not in m2[name]["workers"]
        timings = m2[name]["timings"]
        assert set(timings) >= {"ingest", "preprocess", "ocr", "correct", "layout", "parse", "pdf", "total"}
        assert timings["total"] >= timings["ocr"] + timings["preprocess"] > 0

    # the largest document goes first: its two pages went to the two workers at once (later pages go
    # to whichever worker is free first, so the other document may have run on one)
    first = max(("plan_pdf", "plan_tiff"), key=lambda n: (scans / n.replace("_", ".")).stat().st_size)
    assert len(set(m2[first]["workers"])) == 2

    # the library API gathers pages the same way
    (got,) = convert_many([scans / "plan.tiff"], jobs=2)
    assert got.ok and got.record.model_dump_json(indent=2) + "\n" == files["plan_tiff.json"].decode()


def _corrupt_last_frame(path: Path) -> None:
    """Overwrite the compressed pixels of the last TIFF frame (its header stays readable)."""
    with Image.open(path) as im:
        im.seek(im.n_frames - 1)
        offset, size = im.tag_v2[273][0], im.tag_v2[279][0]  # StripOffsets, StripByteCounts
    data = bytearray(path.read_bytes())
    data[offset : offset + size] = b"\xff" * size
    path.write_bytes(bytes(data))


def _small_pages(n: int) -> list[Image.Image]:
    pages = []
    for i in range(n):
        im = Image.new("L", (600, 300), 255)
        ImageDraw.Draw(im).rectangle((40, 40 + 20 * i, 300, 90 + 20 * i), fill=0)
        pages.append(im)
    return pages


def test_a_corrupt_page_fails_its_document_only(tmp_path: Path) -> None:
    src = tmp_path / "in"
    make_docs(src, 1)
    bad = _tiff(src / "bad.tiff", _small_pages(3))
    _corrupt_last_frame(bad)
    good = _tiff(src / "good.tiff", _small_pages(3))
    errors = {}
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}"
        assert run_batch([src], out, jobs=jobs, quiet=True) == 1
        m = manifest(out)
        assert m["plan01"]["status"] == m["good"]["status"] == "ok"
        assert m["good"]["pages"] == 3
        e = m["bad"]
        assert e["status"] == "failed" and e["outputs"] == [] and "\n" not in e["error"]
        assert not list(out.glob("bad.*"))
        errors[jobs] = e["error"]
    assert "page 3" in errors[2]
    assert errors[1] == errors[2]  # the same one-line reason, split or not
    assert good.is_file()


CRASHY_PAGES = """
import os, signal
from vnplans import pipeline
from vnplans.pipeline import assemble_document, build_record, convert, convert_detailed, write_searchable

def process_pages(path, first=1, last=None, **kw):
    if "crash" in os.path.basename(path) and first <= 2 <= (last or first):
        os.kill(os.getpid(), signal.SIGKILL)
    return pipeline.process_pages(path, first, last, **kw)
"""


def test_a_worker_dying_on_one_page_fails_that_document_only(tmp_path: Path, monkeypatch) -> None:
    mods = tmp_path / "mods"
    mods.mkdir()
    (mods / "crashy_pages.py").write_text(CRASHY_PAGES)
    monkeypatch.syspath_prepend(str(mods))
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    _tiff(src / "crash.tiff", _small_pages(3))
    _tiff(src / "fine.tiff", _small_pages(2))
    assert run_batch([src], out, jobs=2, quiet=True, converter="crashy_pages") == 1
    m = manifest(out)
    assert m["fine"]["status"] == "ok" and m["fine"]["pages"] == 2
    assert m["crash"]["status"] == "failed"
    assert m["crash"]["error"].startswith("page 2: worker process died")
    assert not list(out.glob("crash.*"))
