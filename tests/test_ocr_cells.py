"""Table cells Tesseract left empty or read in part, read again on their own (real Tesseract on a
rendered plan page), and column rules a 1-bit scan broke into dots kept between a row's words."""

from __future__ import annotations

import numpy as np
import pytest

from test_layout import plan
from vnplans.layout import find_rules, remove_rules, table_cells
from vnplans.ocr import OcrWord, get_engine, ocr_image
from vnplans.ocr.cells import reread_empty_cells
from vnplans.synth.document import render_document


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    """The first page of the layout tests' plan: a ruled task table under the header."""
    img = np.asarray(render_document(plan(2))[0].image)
    return img if img.ndim == 2 else img.min(axis=2)


def _cell_of(rows: list, text_box: OcrWord) -> tuple[int, int, int, int]:
    cx, cy = (text_box.x0 + text_box.x1) / 2, (text_box.y0 + text_box.y1) / 2
    return next(c for row in rows for c in row if c[0] <= cx <= c[2] and c[1] <= cy <= c[3])


def test_a_cell_ocr_dropped_and_the_lines_it_lost_are_read_again(page: np.ndarray) -> None:
    rules = find_rules(page)
    clean = remove_rules(page, rules)
    read = ocr_image(clean, lang="vie", dpi=200)
    rows = table_cells(page, rules)
    tt2 = next(w for w in read.words if w.text == "2" and w.x0 < page.shape[1] // 4)
    first = next(w for w in read.words if w.text.startswith("Tổ") and w.y0 > tt2.y0 - 20)
    content = _cell_of(rows, first)
    # as Tesseract's layout dropped them on a scan: the TT cell whole, the content cell's first line
    line = (first.block, first.par, first.line)
    lost = [
        w
        for w in read.words
        if w is tt2 or (w.block, w.par, w.line) == line and _cell_of_safe(rows, w) == content
    ]
    read.words = [w for w in read.words if not any(w is x for x in lost)]
    assert "Tổ" not in {w.text for w in read.words if _cell_of_safe(rows, w) == content}
    n = reread_empty_cells(clean, read, get_engine(None), "vie", 200, rows)
    assert n >= 2
    mine = [w for w in read.words if _cell_of_safe(rows, w) == content]
    again = " ".join(w.text for w in sorted(mine, key=lambda w: ((w.y0 + w.y1) // 60, w.x0)))  # line, then x
    assert again.startswith("Tổ chức tập huấn")
    assert any(w.text == "2" and _cell_of_safe(rows, w) == _cell_of(rows, tt2) for w in read.words)
    assert reread_empty_cells(clean, read, get_engine(None), "vie", 200, rows) == 0  # nothing left


def _cell_of_safe(rows: list, w: OcrWord) -> tuple[int, int, int, int] | None:
    try:
        return _cell_of(rows, w)
    except StopIteration:
        return None


def test_a_faded_column_rule_stands_between_a_rows_words_but_not_in_a_heading() -> None:
    from vnplans.layout.analyze import _faded_cuts
    from vnplans.layout.grids import Grid

    g = Grid((0, 0, 1000, 300), [(0, 100), (100, 200), (200, 300)], [0, 100, 600, 1000],
             [[False, False] for _ in range(3)], [[0, 100, 600, 1000]] * 3)  # fmt: skip

    def word(text: str, x0: int, x1: int, y: int) -> OcrWord:
        return OcrWord(text, 0.9, x0, y, x1, y + 30, 1, 1, 1)

    words = [word("4", 40, 60, 30), word("Thẩm", 120, 200, 30), word("định", 210, 280, 30),
             word("Sở", 620, 660, 30),  # a task row: rules lost in the scan
             word("QUÝ", 20, 80, 130), word("HI", 110, 140, 130),  # a heading OCR split at the rule,
             word("CÀ", 700, 730, 130),  # and a speck beyond the next rule read as letters
             word("Rà", 120, 160, 230), word("soát", 170, 240, 230), word("kếhoạch", 560, 650, 230)]  # fmt: skip
    bands = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2]
    _faded_cuts(g, words, bands)
    assert g.present[0] == [True, True]
    assert g.present[1] == [False, False]  # `QUÝ HI` stays one merged cell
    assert g.present[2] == [False, False]  # no row number left of the first rule; a word across the second


def test_an_empty_forms_rows_stay_empty() -> None:
    """A generated 1-bit dev page (the OCR benchmark's page generator, a fresh dev draw) with a form's
    table of four empty rows: read again on the page with its rules, a crop beside a column rule
    read the rule as `I` or `M` (`1 | | I |`); on the page as OCR read it, the rows stay empty."""
    import re
    from pathlib import Path

    from vnplans.pipeline import process_document

    result = process_document(Path(__file__).parent / "fixtures" / "empty_form_rows_1bit.png")
    rows = [ln for ln in result.text.splitlines() if re.match(r"[1-4] \|", ln)]
    assert len(rows) == 4
    assert all({c.strip() for c in ln.split("|")[1:]} == {""} for ln in rows), rows
