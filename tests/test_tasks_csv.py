"""tasks.csv provenance: each row's page, confidence and warnings, input-relative or absolute paths, BOM.

A generated plan is rendered to a two-page scan (its task table crosses the page break) and OCR'd for
real; the page each row is credited to is checked against the page it was printed on.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from test_batch import make_docs
from vnplans.batch import run_batch
from vnplans.synth.document import render_document
from vnplans.synth.plans import generate_plan
from vnplans.text.syllable import strip_diacritics

pytestmark = pytest.mark.slow  # batch runs / Chromium / wheel builds: `make check` leaves them out


def _fold(s: str) -> list[str]:
    return strip_diacritics(s).lower().replace("|", " ").split()


def _rows(out: Path) -> tuple[bytes, list[dict[str, str]]]:
    raw = (out / "tasks.csv").read_bytes()
    text = raw.decode("utf-8-sig")
    return raw, list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("tasks")
    src = tmp / "in"
    (src / "sub").mkdir(parents=True)
    pages = render_document(generate_plan(1), dpi=200)
    assert len(pages) == 2 and all(p.tables for p in pages)
    frames = [p.image.convert("L") for p in pages]
    frames[0].save(src / "sub" / "plan.tiff", save_all=True, append_images=frames[1:], dpi=(200, 200))
    make_docs(src, 1)
    out = tmp / "out"
    assert run_batch([str(src)], out, jobs=1, quiet=True, csv_bom=True) == 0
    return src, out, pages


def test_rows_carry_page_confidence_and_relative_paths(batch) -> None:
    src, out, pages = batch
    raw, rows = _rows(out)
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the UTF-8 right
    assert {"page", "confidence", "warnings"} <= set(rows[0])
    scan = [r for r in rows if r["name"] == "sub__plan"]
    text = [r for r in rows if r["name"] == "plan01"]
    assert scan and text
    assert {r["document"] for r in scan} == {"sub/plan.tiff"}  # inside the input folder, not the cwd
    assert {r["document"] for r in text} == {"plan01.txt"}
    truth: dict[str, set[int]] = {}  # row number -> pages it was printed on (both, if the break splits it)
    for n, p in enumerate(pages, start=1):
        for table in p.tables:
            for row in table:
                if row and row[0].strip().isdigit():
                    truth.setdefault(row[0].strip(), set()).add(n)
    assert len(truth) >= 8
    credited = [r for r in scan if r["page"]]
    assert len(credited) >= len(scan) * 0.8
    assert [int(r["page"]) for r in credited] == sorted(int(r["page"]) for r in credited)  # reading order
    right = sum(int(r["page"]) in truth.get(r["tt"], set()) for r in credited)
    assert right >= 0.9 * len(credited)
    assert {r["page"] for r in credited} == {"1", "2"}  # the table continues over the page break
    for r in credited:
        assert 0 < float(r["confidence"]) <= 1
    for r in scan:
        assert r["page"] or r["warnings"]  # a row without a page says why
    for r in text:  # a text file: page 1, no OCR confidence to give
        assert r["page"] == "1" and r["confidence"] == ""


def test_absolute_paths_and_no_bom(batch) -> None:
    src, out, _ = batch
    assert run_batch([str(src)], out, jobs=1, quiet=True, csv_paths="absolute") == 0  # resumed: csv only
    raw, rows = _rows(out)
    assert not raw.startswith(b"\xef\xbb\xbf")
    docs = {r["document"] for r in rows}
    assert docs == {str((src / "sub" / "plan.tiff").resolve()), str((src / "plan01.txt").resolve())}
    with pytest.raises(ValueError):
        run_batch([str(src)], out, jobs=1, quiet=True, csv_paths="cwd")
