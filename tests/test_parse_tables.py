from dataclasses import dataclass

from vnplans.parse import parse_text
from vnplans.parse.tables import period_marker, rows_from_cells, rows_from_lines
from vnplans.parse.units import split_timeframe, split_units


def test_period_markers_tolerate_glue_and_reject_prose():
    assert period_marker("QUÝI") == "QUÝ I"
    assert period_marker("QUY IV") == "QUÝ IV"
    assert period_marker("QUÝ III NĂM 2024") == "QUÝ III"
    assert period_marker("THÁNG 7") == "THÁNG 7"
    assert period_marker("quý I năm nay các đơn vị") is None
    assert period_marker("Quy chế làm việc") is None


def test_timeframe_and_units():
    body, raw, m, y, q = split_timeframe("Tổ chức hội nghị tổng kết (cuối tháng 02 năm 2023)")
    assert (body, raw, m, y, q) == ("Tổ chức hội nghị tổng kết", "cuối tháng 02 năm 2023", 2, 2023, "cuối")
    assert split_timeframe("Báo cáo (theo đề cương)")[1] is None
    lead, coop = split_units(
        "Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp với Sở Giáo dục và Đào tạo, "
        "UBND các huyện, thị xã, thành phố và các cơ quan liên quan"
    )
    assert lead == "Sở Văn hóa, Thể thao và Du lịch"
    assert coop == ["Sở Giáo dục và Đào tạo", "UBND các huyện, thị xã, thành phố", "các cơ quan liên quan"]
    assert split_units("Sở Y tế") == ("Sở Y tế", [])


BLOCKS = """TT

Nội dung

Đơn vị thực hiện

QUÝI

Xây dựng kế hoạch kiểm tra
công tác văn thư (tháng 01/2024)

Văn phòng Sở chủ trì, phối hợp
với các phòng chuyên môn

Tổ chức tập huấn nghiệp vụ cho
cán bộ, công chức (đầu tháng 02/2024)

Phòng Tổ chức cán bộ chủ trì

QUÝ II

3

Văn phòng Sở chủ trì, phối hợp với
Thanh tra Sở

Kiểm tra việc thực hiện quy chế
tại các đơn vị trực thuộc

4

Rà soát, cập nhật danh mục hồ sơ


TT Nội dung Đơn vị thực hiện

và thời hạn bảo quản (tháng 6/2024)

Văn phòng Sở

5 | Sơ kết 6 tháng (tháng 6/2024) | Văn phòng Sở chủ trì
"""


def test_interleaved_blocks_rebuild_rows():
    tasks = rows_from_lines(BLOCKS.splitlines())
    assert [t.tt for t in tasks] == [1, 2, 3, 4, 5]
    assert [t.tt_inferred for t in tasks][:3] == [True, True, False]
    assert [t.period for t in tasks] == ["QUÝ I", "QUÝ I", "QUÝ II", "QUÝ II", "QUÝ II"]
    assert tasks[0].lead_unit == "Văn phòng Sở" and tasks[0].cooperating_units == ["các phòng chuyên môn"]
    assert tasks[1].qualifier == "đầu" and tasks[1].month == 2
    # the unit cell came before its content
    assert tasks[2].content == "Kiểm tra việc thực hiện quy chế tại các đơn vị trực thuộc"
    assert tasks[2].cooperating_units == ["Thanh tra Sở"]
    # a content cell split by a page break with a repeated header
    assert tasks[3].content == "Rà soát, cập nhật danh mục hồ sơ và thời hạn bảo quản"
    assert tasks[3].timeframe == "tháng 6/2024" and tasks[3].lead_unit == "Văn phòng Sở"
    assert tasks[4].content == "Sơ kết 6 tháng" and tasks[4].lead_unit == "Văn phòng Sở"


@dataclass
class Table:
    rows: list[list[str]]
    header: list[str] | None = None


def test_layout_cells_route():
    t1 = Table(
        header=["STT", "Nội dung", "Đơn vị chủ trì", "Thời gian"],
        rows=[
            ["QUÝ I"],
            ["1", "Tổ chức hội nghị", "Sở Nội vụ", "tháng 3/2024"],
            ["2", "Ban hành hướng dẫn về", "Sở Tư pháp", ""],
        ],
    )
    t2 = Table(rows=[["", "công tác pháp chế", "", ""], ["3", "Kiểm tra", "Công an tỉnh", ""]], header=None)
    tasks = rows_from_cells([t1, t2])
    assert [t.tt for t in tasks] == [1, 2, 3]
    assert tasks[0].month == 3 and tasks[0].period == "QUÝ I"
    assert tasks[1].content == "Ban hành hướng dẫn về công tác pháp chế"

    class Page:
        header_left: list[str] = []
        header_right: list[str] = []
        lines: list[str] = []
        tables = [t1, t2]

    rec = parse_text("KẾ HOẠCH\nKiểm tra\n", layout=[Page()])
    assert [t.lead_unit for t in rec.tasks] == ["Sở Nội vụ", "Sở Tư pháp", "Công an tỉnh"]
    assert rec.source.pages == 1
