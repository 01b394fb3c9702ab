"""Provenance through the real pipeline: a Decree 30 page rendered, OCR'd by real Tesseract, parsed.

The renderer is watched while it prints (each printed line's ink, as the pixels it changed), so the
boxes the record points to are checked against where the number, date, title and task cells were
really drawn, not against numbers copied from an earlier run.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from vnplans.export.review import render_review
from vnplans.pipeline import convert_detailed, convert_text
from vnplans.synth import document
from vnplans.synth.plans import generate_plan

Box = tuple[int, int, int, int]


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, list[tuple[str, Box]], Path]:
    """A generated plan's first page at 200 dpi, with the ink box of every line printed on it."""
    lines: list[tuple[str, Box]] = []
    original = document._Pager.line

    def spy(self, s, f, x0, x1, align, *, last=True):  # noqa: ANN001 - the renderer's own signature
        if len(self.pages) > 1:
            return original(self, s, f, x0, x1, align, last=last)
        before = np.asarray(self.pages[0][0]).copy()
        original(self, s, f, x0, x1, align, last=last)
        ys, xs = np.nonzero(np.asarray(self.pages[0][0]) != before)
        if len(xs):
            lines.append((_nfc(s), (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)))

    # a plan with a printed day and a task table starting on the first page
    doc = next(d for d in map(generate_plan, range(1, 40)) if re.search(r"ngày \d", d.place_date_line))
    mp = pytest.MonkeyPatch()
    mp.setattr(document._Pager, "line", spy)
    try:
        pages = document.render_document(doc, dpi=200)
    finally:
        mp.undo()
    path = tmp_path_factory.mktemp("prov") / "page1.png"
    pages[0].image.save(path, dpi=(200, 200))
    return doc, lines, path


@pytest.fixture(scope="module")
def converted(drawn):
    return convert_detailed(drawn[2])


def _inside(inner: Box, outer: Box, slack: int = 6) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


def _area(b: Box) -> int:
    return max(0, b[2] - b[0]) * max(0, b[3] - b[1])


def _union(boxes: list[Box]) -> Box:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _line(lines: list[tuple[str, Box]], text: str) -> Box:
    return next(b for s, b in lines if s == _nfc(text))


def test_number_date_and_title_boxes_lie_where_they_were_printed(drawn, converted) -> None:
    doc, lines, _ = drawn
    record, _ = converted
    prov = record.provenance
    assert {"header.number", "header.issued_date", "header.title", "header.authority"} <= set(prov)
    assert all(src.page == 1 and 0 <= src.confidence <= 1 for src in prov.values())

    number_line = _line(lines, doc.number_line)  # "Số: 12/KH-UBND": the number is its right part
    number = prov["header.number"].box
    assert _inside(number, number_line) and _area(number) < _area(number_line)
    assert number[2] > (number_line[0] + number_line[2]) / 2

    date_line = _line(lines, doc.place_date_line)  # "<place>, ngày ..": the date is its right part
    date = prov["header.issued_date"].box
    assert _inside(date, date_line) and _area(date) > 0.4 * _area(date_line)
    assert _inside(prov["header.place"].box, date_line)
    assert prov["header.place"].box[2] <= date[0] + 2  # place before date, side by side

    title_text = _nfc(" ".join(doc.title_lines))
    title_lines = [b for s, b in lines if len(s) > 8 and s in title_text and b[1] > date_line[3]]
    printed = _union(title_lines)
    title = prov["header.title"].box
    assert _inside(title, printed) and _area(title) > 0.8 * _area(printed)
    assert prov["header.title"].match > 0.9
    # the doc type heading sits between the date line and the title
    kind = prov["header.doc_type"].box
    assert date_line[3] <= kind[1] and kind[3] <= printed[1] + 2


def test_task_cells_point_at_their_row(drawn, converted) -> None:
    _, lines, _ = drawn
    record, _ = converted
    on_page = [t for t in record.tasks if t.page == 1 and t.cells]
    assert on_page, "a first page with a task table has located cells"
    for t in on_page:
        content = t.cells["content"].box
        printed = [b for s, b in lines if s and s in _nfc(t.content)]
        assert printed and any(_inside(b, content, slack=8) or _inside(content, b) for b in printed)
        if "tt" in t.cells:  # the row number: left of the content, on its first line
            tt = t.cells["tt"].box
            assert tt[2] <= content[0] and tt[1] < content[3] and tt[3] > content[1]
        if "responsible" in t.cells:
            assert t.cells["responsible"].box[0] > content[0]


def test_review_page_boxes_located_fields(converted) -> None:
    record, result = converted
    page = render_review(record, result)
    for key in ("header.number", "header.issued_date", "header.title"):
        assert f'data-field="{key}"' in page
    assert page.count('class="box field') == len({(s.page, s.box) for s in record.provenance.values()})


def test_text_input_has_no_geometry() -> None:
    record = convert_text(
        "ỦY BAN NHÂN DÂN TỈNH BẮC NINH\nSố: 27/KH-UBND\nKẾ HOẠCH\nTriển khai công tác năm 2024\n"
    )
    assert record.header.number == "27" and record.provenance == {}
    assert all(not t.cells for t in record.tasks)
