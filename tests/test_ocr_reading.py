"""The text fix reads a ruled table cell by cell (`ocr.reading`), words staying on their boxes in the
page's order: a hand-made table head as Tesseract reads one (lines across cells), and a rendered plan
page read by real Tesseract."""

from __future__ import annotations

import numpy as np

from test_layout import plan
from vnplans.layout import find_rules, table_cells
from vnplans.ocr import OcrPage, OcrWord
from vnplans.ocr.reading import CELL_BREAK, cell_order
from vnplans.pipeline import correct_ocr, read_page
from vnplans.synth.document import render_document

# two cells of a table head, side by side, and a line of text above the table
CELLS = [[(100, 100, 400, 300), (400, 100, 700, 300)]]


def _head() -> OcrPage:
    """`Địa điểm tổ chức thi` | `SL thí sinh`, read as Tesseract reads a head: lines across both cells
    (`tổ chức` glued, as a bold head's narrow space made it)."""
    rows = [
        [("Địa", 110), ("điểm", 200), ("SL", 410)],
        [("tốchức", 110), ("thí", 410)],
        [("thi", 110), ("sinh", 410)],
    ]
    page = OcrPage(width=800, height=400)
    page.words = [
        OcrWord("Kế", 0.95, 100, 40, 150, 70, 1, 1, 1),
        OcrWord("hoạch", 0.95, 160, 40, 260, 70, 1, 1, 1),
    ]
    for n, row in enumerate(rows):
        y = 110 + 60 * n
        for text, x in row:
            page.words.append(OcrWord(text, 0.9, x, y, x + 18 * len(text), y + 40, 2, 1, n + 1))
    return page


def test_a_cells_words_come_together_in_the_text_the_fix_reads() -> None:
    page = _head()
    text, spans, order = cell_order(page, CELLS)
    assert sorted(order) == list(range(len(page.words)))  # every word once
    assert all(text[s:e] == page.words[n].text for (s, e), n in zip(spans, order, strict=True))
    assert spans == sorted(spans)
    parts = text.strip("\n").split(CELL_BREAK)
    assert parts == ["Kế hoạch", "Địa điểm\ntốchức\nthi", "SL\nthí\nsinh"]
    assert page.text.splitlines()[2] == "Địa điểm SL"  # Tesseract's own order, untouched


def test_no_cell_holds_a_word_so_the_page_reads_as_it_is() -> None:
    page = _head()
    assert cell_order(page, [[(0, 350, 800, 400)]]) is None


def test_the_fix_reads_a_cell_with_its_own_words_around_it() -> None:
    page = _head()
    _, fixed = correct_ocr(page, table_rows=CELLS)
    # the words stay in the page's order on their boxes; the split halves share the glued word's box
    assert [(w.block, w.line, w.x0) for w in fixed.words] == [(w.block, w.line, w.x0) for w in page.words]
    cells = [
        [w.text for w in fixed.words if lo <= w.x0 < hi and w.y0 >= 100]
        for lo, hi in ((100, 400), (400, 700))
    ]
    # read across the cells, `thí` sat between `tổ chức` and `thi` and became `thi`
    assert [" ".join(c) for c in cells] == ["Địa điểm tổ chức thi", "SL thí sinh"]


def test_a_rendered_plans_table_is_read_cell_by_cell_on_its_boxes() -> None:
    """Real Tesseract on the layout tests' plan page: the fix's text holds each task cell whole, and
    the corrected words keep Tesseract's boxes in its order."""
    img = np.asarray(render_document(plan(2))[0].image)
    gray = img if img.ndim == 2 else img.min(axis=2)
    _, page, _ = read_page(gray, 300)
    rows = table_cells(gray, find_rules(gray))
    assert len(rows) >= 3
    text, spans, order = cell_order(page, rows)
    task = rows[-1][1]  # the last task's content: two lines of its cell
    mine = [
        n for n in order if task[0] <= page.words[n].x0 < task[2] and task[1] <= page.words[n].y0 < task[3]
    ]
    assert len(mine) >= 12
    # its words are one run of the fix's text, its two lines one after the other
    k = order.index(mine[0])
    run = text[spans[k][0] : spans[k + len(mine) - 1][1]]
    assert run.count("\n") == 1 and "chức tập huấn" in run and run.endswith("cấp huyện")
    fix, fixed = correct_ocr(page, image=gray, table_rows=rows)
    assert "Tổ chức tập huấn" in fix.text
    boxes = [(w.x0, w.y0) for w in page.words]
    kept = [(w.x0, w.y0) for w in fixed.words]
    it = iter(boxes)
    assert all(b in it for b in kept)  # a subsequence: the page's order
    assert len(kept) >= len(boxes) - 5


def _closing_row() -> OcrPage:
    """The signer's block beside `Nơi nhận` as Tesseract read it on a 1-bit rendering of a real decree:
    one line across both columns (`... các Phó Thủ tướng Chính` | `PHÓ THỦ TƯỚNG`), the recipient's
    `phủ;` on the next line. Word boxes as OCR gave them."""
    page = OcrPage(width=1653, height=2339)
    words = [("-", 237, 245), ("Thủ", 253, 301), ("tướng,", 311, 388), ("các", 399, 437), ("Phó", 447, 492),
             ("Thủ", 501, 549), ("tướng", 559, 629), ("Chính", 639, 711), ("PHÓ", 1140, 1215),
             ("THỦ", 1226, 1302), ("TƯỚNG", 1312, 1444)]  # fmt: skip
    page.words = [OcrWord(t, 0.96, x0, 1082, x1, 1115, 3, 1, 1) for t, x0, x1 in words]
    page.words.append(OcrWord("phủ;", 0.96, 237, 1108, 288, 1140, 3, 1, 2))
    return page


def test_a_lines_parts_a_columns_gap_apart_are_two_sentences() -> None:
    page = _closing_row()
    text, spans, order = cell_order(page, [], gap=50)
    assert order == list(range(len(page.words)))  # no cell: the page's own order
    assert text.split(CELL_BREAK) == ["- Thủ tướng, các Phó Thủ tướng Chính", "PHÓ THỦ TƯỚNG\nphủ;\n"]
    assert cell_order(page, [], gap=None) is None and cell_order(page, [], gap=600) is None


def test_the_signer_is_not_read_as_the_recipients_continuation() -> None:
    """Read as one sentence, `Chính PHÓ` became `Chính PHỦ` (sure of it: 0.99); the signer's title keeps
    its `PHÓ` now, and the recipient's line still reads as it is."""
    _, fixed = correct_ocr(_closing_row())
    assert [w.text for w in fixed.words][8:11] == ["PHÓ", "THỦ", "TƯỚNG"]
    assert " ".join(w.text for w in fixed.words[:8]) == "- Thủ tướng, các Phó Thủ tướng Chính"


def test_a_speck_a_columns_gap_after_a_line_stays_with_it() -> None:
    """A speck read as `I` far right of a line's end is no column: read alone it was kept, with its
    line the fix drops it; so the line is read as one sentence, the speck with it."""
    page = OcrPage(width=1653, height=2339)
    page.words = [OcrWord("Chương", 0.96, 700, 300, 830, 340, 1, 1, 1), OcrWord("III", 0.96, 845, 300, 900, 340, 1, 1, 1),
                  OcrWord("I", 0.3, 1500, 305, 1506, 330, 1, 1, 1)]  # fmt: skip
    assert cell_order(page, [], gap=50) is None
