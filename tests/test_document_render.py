"""Decree 30 page rendering: A4 geometry, header columns, ruled table across pages, ground truth."""

from __future__ import annotations

import numpy as np
import pytest

from vnplans.synth.document import render_document
from vnplans.synth.plans import Paragraph, PlanDoc, TaskTable

TASKS = [
    "Rà soát, cập nhật danh mục thủ tục hành chính thuộc thẩm quyền giải quyết của các sở, ngành",
    "Tổ chức tập huấn nghiệp vụ cho cán bộ làm công tác văn thư, lưu trữ cấp huyện",
    "Kiểm tra việc thực hiện quy chế làm việc tại các cơ quan, đơn vị",
]
UNITS = [
    "Sở Nội vụ",
    "Văn phòng Ủy ban nhân dân tỉnh",
    "Sở Tài chính chủ trì, phối hợp với các đơn vị liên quan",
]


def plan(n_rows: int = 4, long_row: bool = False) -> PlanDoc:
    rows: list[list[str]] = [["QUÝ I"]]
    for i in range(n_rows):
        if i == n_rows // 2:
            rows.append(["QUÝ II"])
        rows.append([str(i + 1), TASKS[i % 3], UNITS[i % 3]])
    if long_row:
        rows.append([str(n_rows + 1), " ".join(TASKS) * 3, UNITS[0]])
    return PlanDoc(
        authority_lines=["ỦY BAN NHÂN DÂN", "TỈNH LẠNG SƠN"],
        motto_lines=["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"],
        number_line="Số: 52/KH-UBND",
        place_date_line="Lạng Sơn, ngày 12 tháng 4 năm 2023",
        doc_type="KẾ HOẠCH",
        title_lines=["Cải cách hành chính năm 2023"],
        body=[
            Paragraph("Ủy ban nhân dân tỉnh ban hành Kế hoạch cải cách hành chính năm 2023 như sau:"),
            Paragraph("I. NHIỆM VỤ", bold=True, indent=False),
            TaskTable(["TT", "Nội dung", "Đơn vị thực hiện"], rows),
            Paragraph("Các cơ quan, đơn vị báo cáo kết quả thực hiện về Sở Nội vụ."),
        ],
        recipients_lines=["Nơi nhận:", "- Bộ Nội vụ;", "- Lưu: VT."],
        signature_lines=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Hoàng Văn Minh"],
    )


def ink(img, box) -> float:
    a = np.asarray(img)
    x0, y0, x1, y1 = box
    return float((a[y0:y1, x0:x1] < 128).mean())


def test_single_page_geometry_and_truth() -> None:
    pages = render_document(plan(4), dpi=150)
    assert len(pages) == 1
    p = pages[0]
    assert p.image.size == (1240, 1754)  # A4 at 150 dpi
    assert p.header_left == ["ỦY BAN NHÂN DÂN", "TỈNH LẠNG SƠN", "Số: 52/KH-UBND"]
    assert p.header_right[-1] == "Lạng Sơn, ngày 12 tháng 4 năm 2023"
    lines = p.text.splitlines()
    assert lines[0] == "ỦY BAN NHÂN DÂN    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert "TT | Nội dung | Đơn vị thực hiện" in lines
    assert "QUÝ II" in lines
    assert lines[-1] == "- Lưu: VT."
    # header: ink in the left and right columns of the top band, none in the gap between them
    top = (0, 100, 1240, 260)
    assert ink(p.image, (180, top[1], 480, top[3])) > 0.01
    assert ink(p.image, (700, top[1], 1150, top[3])) > 0.01
    table = p.tables[0]
    assert table[0] == ["TT", "Nội dung", "Đơn vị thực hiện"]
    assert table[1] == ["QUÝ I"] and len(table) == 4 + 3


def test_table_continues_with_repeated_header_and_broken_row() -> None:
    pages = render_document(plan(8, long_row=True), dpi=100)
    assert len(pages) == 2
    parts = [t for p in pages for t in p.tables]
    assert len(parts) == 2
    assert all(part[0] == ["TT", "Nội dung", "Đơn vị thực hiện"] for part in parts)
    assert pages[1].text.splitlines()[0] == "2"  # Decree 30 page number from page 2
    numbered = [r[0] for part in parts for r in part[1:] if len(r) == 3 and r[0]]
    assert numbered == [str(i) for i in range(1, 10)]
    # the long last row does not fit page 1: it breaks, and continues overleaf with an empty TT cell
    assert parts[0][-1][0] == "9"
    cont = parts[1][1]
    assert cont[0] == "" and cont[1] and cont[2] == ""
    full = " ".join(TASKS) * 3
    assert (parts[0][-1][1] + " " + cont[1]).split() == full.split()


def test_deterministic() -> None:
    a = render_document(plan(3), dpi=100)[0]
    b = render_document(plan(3), dpi=100)[0]
    assert a.text == b.text
    assert a.image.tobytes() == b.image.tobytes()


@pytest.mark.parametrize("dpi", [100, 200])
def test_dpi_scales_page(dpi: int) -> None:
    page = render_document(plan(2), dpi=dpi)[0]
    assert page.image.size == (round(210 / 25.4 * dpi), round(297 / 25.4 * dpi))
