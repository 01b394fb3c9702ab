"""The generator prints the corpus's markdown tables as tables: ruled grids, or a header's two columns."""

from __future__ import annotations

import numpy as np
import pytest

from vnplans.synth.render import render_page
from vnplans.synth.tables import is_table_row, table_rows

TABLE = [
    "Các nhiệm vụ trong quý:",
    "| TT | Nội dung | Đơn vị thực hiện |",
    "|---|:---:|---|",
    "| 1 | Tổ chức kiểm tra việc thực hiện kế hoạch năm 2024 | Sở Nội vụ |",
    "| 2 | Tổng kết công tác thi đua, khen thưởng | Văn phòng UBND tỉnh |",
    "Đoạn văn sau bảng.",
]


def test_rows_drop_rule_rows_and_empty_columns() -> None:
    assert is_table_row("| a | b |") and not is_table_row("a | b") and not is_table_row("||")
    assert table_rows(["| TT | Nội dung | |", "| --- | :---: | --- |", "| 1 | Kiểm tra | |"]) == [
        ["TT", "Nội dung"],
        ["1", "Kiểm tra"],
    ]
    assert table_rows(["|---|---|"]) == []


def test_grid_truth_is_one_line_per_row_and_the_page_is_ruled() -> None:
    from vnplans.layout import MIN_GRID_CROSSINGS, crossings, find_rules

    page = render_page(TABLE, dpi=200, tables=True)
    assert page.lines[0] == TABLE[0] and page.lines[-1] == TABLE[-1]
    assert page.lines[1:4] == [
        "TT | Nội dung | Đơn vị thực hiện",
        "1 | Tổ chức kiểm tra việc thực hiện kế hoạch năm 2024 | Sở Nội vụ",
        "2 | Tổng kết công tác thi đua, khen thưởng | Văn phòng UBND tỉnh",
    ]
    assert not any("|---" in ln for ln in page.lines)
    assert crossings(find_rules(np.asarray(page.image))) >= MIN_GRID_CROSSINGS
    plain = render_page(TABLE, dpi=200)  # off by default: the synthetic sets print as before
    assert plain.lines[1] == TABLE[1] and crossings(find_rules(np.asarray(plain.image))) == 0


def test_header_pair_is_two_borderless_columns() -> None:
    from vnplans.layout import crossings, find_rules

    page = render_page(["| Số: 12/KH-UBND | Hà Nội, ngày 02 tháng 3 năm 2024 |"], dpi=200, tables=True)
    assert page.lines == ["Số: 12/KH-UBND    Hà Nội, ngày 02 tháng 3 năm 2024"]
    ink = np.asarray(page.image) < 128
    cols = np.flatnonzero(ink.any(axis=0))
    mid = page.image.width // 2
    assert cols.min() < mid < cols.max() and not ink[:, mid - 5 : mid + 5].any()  # a gap between the two
    assert crossings(find_rules(np.asarray(page.image))) == 0
    one_column = render_page(["| Nghị quyết số: 254/2025/QH15 | |"], dpi=200, tables=True)
    assert one_column.lines == ["Nghị quyết số: 254/2025/QH15"]


def test_rows_that_do_not_fit_are_left_out_of_the_truth() -> None:
    rows = [f"| {i} | Nội dung số {i} của bảng kế hoạch |" for i in range(1, 80)]
    page = render_page(["| TT | Nội dung |", *rows, "Không in được."], dpi=100, tables=True)
    assert 5 < len(page.lines) < 80 and page.lines[-1].startswith(str(len(page.lines) - 1) + " | ")


@pytest.mark.slow
def test_pipeline_reads_a_rendered_grid_row_by_row(tmp_path) -> None:
    from vnplans.options import Options
    from vnplans.pipeline import process_document

    path = tmp_path / "grid.png"
    render_page(TABLE, dpi=300, tables=True).image.save(path, dpi=(300, 300))
    res = process_document(path, options=Options())
    text = res.text
    assert "Sở Nội vụ" in text and "Văn phòng UBND tỉnh" in text
    row = next(ln for ln in text.splitlines() if "Sở Nội vụ" in ln)
    assert "|" in row and "kiểm tra" in row  # the row's cells on one line, in order
