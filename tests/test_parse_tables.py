from dataclasses import dataclass

import pytest

from vnplans.parse import parse_text
from vnplans.parse.tables import period_marker, rows_from_cells, rows_from_lines
from vnplans.parse.units import split_timeframe, split_units
from vnplans.synth.plans import flattened_text, generate_plan


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


def test_title_case_quarter_marker():
    assert period_marker("Quý!") == "QUÝ I"  # OCR `!` for `I`
    assert period_marker("Quý II") == "QUÝ II"
    assert period_marker("Quý 3") == "QUÝ III"
    assert period_marker("Quy định chung") is None
    assert period_marker("Quý vị đại biểu") is None


FLAT = """TT Nội dung Đơn vị thực hiện
QUÝ I
1 Tổ chức hội nghị sơ kết công tác văn thư, lưu Văn phòng Sở chủ trì, phối hợp
trữ của các phòng chuyên môn (đầu tháng với Thanh tra Sở và các đơn vị
02/2024) liên quan
2 |Rà soát, cập nhật danh mục hồ sơ tài liệu__| Phòng Tổ chức cán bộ
(tháng 3 năm 2024)
Quý I!
3 Kiểm tra việc thực hiện quy chế dân chủ tại Thanh tra Sở chủ trì
các đơn vị trực thuộc Sở
"""


def test_flattened_rows_are_split_into_content_and_unit():
    tasks = rows_from_lines(FLAT.splitlines())
    assert [t.tt for t in tasks] == [1, 2, 3]
    assert [t.period for t in tasks] == ["QUÝ I", "QUÝ I", "QUÝ II"]
    assert tasks[0].content == "Tổ chức hội nghị sơ kết công tác văn thư, lưu trữ của các phòng chuyên môn"
    assert (tasks[0].timeframe, tasks[0].qualifier, tasks[0].month) == ("đầu tháng 02/2024", "đầu", 2)
    assert tasks[0].lead_unit == "Văn phòng Sở"
    assert tasks[0].cooperating_units == ["Thanh tra Sở", "các đơn vị liên quan"]
    assert tasks[1].content == "Rà soát, cập nhật danh mục hồ sơ tài liệu" and tasks[1].month == 3
    assert tasks[1].responsible == "Phòng Tổ chức cán bộ"
    assert tasks[2].content == "Kiểm tra việc thực hiện quy chế dân chủ tại các đơn vị trực thuộc Sở"
    assert tasks[2].lead_unit == "Thanh tra Sở"


def test_interleaved_content_with_a_unit_name_is_not_flattened():
    text = """TT Nội dung Đơn vị thực hiện
1 Tham mưu UBND tỉnh ban hành kế hoạch
thực hiện (tháng 3/2024)

Sở Nội vụ chủ trì

2 Tổng hợp báo cáo Sở Nội vụ về kết quả
thực hiện

Văn phòng Sở
"""
    tasks = rows_from_lines(text.splitlines())
    assert [t.content for t in tasks] == [
        "Tham mưu UBND tỉnh ban hành kế hoạch thực hiện",
        "Tổng hợp báo cáo Sở Nội vụ về kết quả thực hiện",
    ]
    assert [t.lead_unit for t in tasks] == ["Sở Nội vụ", "Văn phòng Sở"]


@pytest.mark.parametrize("seed", [3, 8, 21, 34, 55, 89])
def test_generated_flattened_tables(seed):
    doc = generate_plan(seed)
    text = flattened_text(doc, seed)
    rec = parse_text(text)
    want = doc.expected["tasks"]
    assert len(rec.tasks) == len(want)
    assert [t.tt for t in rec.tasks] == [w["tt"] for w in want]
    assert [t.period for t in rec.tasks] == [w["period"] for w in want]
    right = sum(
        (t.lead_unit, t.content, t.timeframe) == (w["lead_unit"], w["content"], w["timeframe"])
        for t, w in zip(rec.tasks, want, strict=True)
    )
    # where a printed line splits is inferred from width and wording; a few rows stay ambiguous
    # (about 1.5% of rows over 80 generated tables)
    assert right >= 0.9 * len(want)


def test_quarters_only_go_forward_in_layout_rows():
    """A repeated or earlier quarter is a misread numeral (`III` read as `II`); dusty merged rows count."""
    from types import SimpleNamespace

    rows = [
        ["QUÝ I"], ["1", "Tổ chức hội nghị", "Sở Nội vụ chủ trì"],
        ["QUÝ II"], ["2", "Rà soát hồ sơ", "Sở Tư pháp chủ trì"],
        ["QUÝ II"], ["3", "Kiểm tra việc thực hiện", "Thanh tra tỉnh chủ trì"],
        ["QUÝ IV t"], ["4", "Tổng kết năm", "Văn phòng UBND tỉnh chủ trì"],
    ]  # fmt: skip
    tasks = rows_from_cells([SimpleNamespace(rows=rows, header=["TT", "Nội dung", "Đơn vị thực hiện"])])
    assert [t.period for t in tasks] == ["QUÝ I", "QUÝ II", "QUÝ III", "QUÝ IV"]


def test_a_numeral_read_with_an_h_takes_the_quarter_the_order_wants():
    """`II` read `HI` (a stroke and its serifs made an H) is II after QUÝ I, so the real III after it
    stays III; where the order wants the larger reading (`QUÝ H` after QUÝ I), it is kept. In linear
    text as in layout rows."""
    from types import SimpleNamespace

    rows = [
        ["QUÝ I"], ["1", "Tổ chức hội nghị", "Sở Nội vụ chủ trì"],
        ["QUÝ HI"], ["2", "Rà soát hồ sơ", "Sở Tư pháp chủ trì"],
        ["QUÝ III"], ["3", "Kiểm tra việc thực hiện", "Thanh tra tỉnh chủ trì"],
        ["QUÝ IV"], ["4", "Tổng kết năm", "Văn phòng UBND tỉnh chủ trì"],
    ]  # fmt: skip
    tasks = rows_from_cells([SimpleNamespace(rows=rows, header=["TT", "Nội dung", "Đơn vị thực hiện"])])
    assert [t.period for t in tasks] == ["QUÝ I", "QUÝ II", "QUÝ III", "QUÝ IV"]
    rows[2] = ["QUÝ H"]
    tasks = rows_from_cells([SimpleNamespace(rows=rows, header=["TT", "Nội dung", "Đơn vị thực hiện"])])
    assert [t.period for t in tasks] == ["QUÝ I", "QUÝ II", "QUÝ III", "QUÝ IV"]
    text = [
        "TT | Nội dung | Đơn vị thực hiện", "QUÝ I", "1 | Tổ chức hội nghị | Sở Nội vụ chủ trì",
        "QUÝ HI", "2 | Rà soát hồ sơ | Sở Tư pháp chủ trì", "QUÝ III", "3 | Kiểm tra | Thanh tra tỉnh chủ trì",
    ]  # fmt: skip
    assert [t.period for t in rows_from_lines(text)] == ["QUÝ I", "QUÝ II", "QUÝ III"]


def test_quarter_row_whose_numeral_was_lost_is_the_next_quarter():
    from types import SimpleNamespace

    rows = [
        ["QUÝ_."],
        ["1", "Tổ chức hội nghị", "Sở Nội vụ chủ trì"],
        ["QUÝ"],
        ["2", "Rà soát hồ sơ", "Sở Tư pháp chủ trì"],
    ]
    tasks = rows_from_cells([SimpleNamespace(rows=rows, header=["TT", "Nội dung", "Đơn vị thực hiện"])])
    assert [(t.tt, t.period) for t in tasks] == [(1, "QUÝ I"), (2, "QUÝ II")]


HEAD = ["TT", "Nội dung", "Đơn vị thực hiện"]


def _layout_tasks(*tables: tuple[list[list[str]], list[str] | None]) -> list:
    from types import SimpleNamespace

    return rows_from_cells([SimpleNamespace(rows=rows, header=header) for rows, header in tables])


def test_garbled_merged_heading_rows_are_headings_not_tasks() -> None:
    """A merged row spanning the table is a group heading: OCR garble there (`QUÝ I` read as `từ
    Tiền`, a lower-case `quy`, `QUẾM,...`) must not become a task and shift every row after it."""
    rows = [
        ["từ Tiền"], ["1", "Tổ chức hội nghị", "Sở Nội vụ chủ trì"],
        ["QUÝ II"], ["2", "Rà soát hồ sơ", "Sở Tư pháp chủ trì"],
        ["QUẾM,..."], ["3", "Kiểm tra việc thực hiện", "Thanh tra tỉnh chủ trì"],
    ]  # fmt: skip
    tasks = _layout_tasks((rows, HEAD))
    assert [(t.tt, t.period) for t in tasks] == [(1, "QUÝ I"), (2, "QUÝ II"), (3, "QUÝ III")]
    tasks = _layout_tasks(([["quy"], *rows[1:2], ["QUÝ"], *rows[3:4]], HEAD))
    assert [(t.tt, t.period) for t in tasks] == [(1, "QUÝ I"), (2, "QUÝ II")]


def test_unreadable_heading_guess_yields_to_what_the_table_says() -> None:
    rows = [
        ["Nhiệm vụ chung"], ["1", "Tổ chức hội nghị", "Sở Nội vụ chủ trì"],
        ["QUÝ I"], ["2", "Rà soát hồ sơ", "Sở Tư pháp chủ trì"],
    ]  # fmt: skip
    tasks = _layout_tasks((rows, HEAD))  # the quarter read after it is not the next one: no guess
    assert [(t.tt, t.period) for t in tasks] == [(1, None), (2, "QUÝ I")]
    tasks = _layout_tasks((rows[:2], HEAD))  # no quarters anywhere in the table: no guess either
    assert [(t.tt, t.period, t.content) for t in tasks] == [(1, None, "Tổ chức hội nghị")]


def test_row_number_inside_the_content_cell() -> None:
    """The TT column rule faded out on a scan: number and content share a cell (`TT Nội dung`)."""
    rows = [
        ["3 Thẩm định số liệu thống kê (tháng 04/2024)", "Bộ Chỉ huy Quân sự tỉnh chủ trì"],
        ["4. .:Tổng kết kế hoạch năm 2024", "Sở Tư pháp"],
        ["tháng đầu năm", ""],
    ]
    tasks = _layout_tasks((rows, ["TT Nội dung", "Đơn vị thực hiện"]))
    assert [(t.tt, t.content, t.month) for t in tasks] == [
        (3, "Thẩm định số liệu thống kê", 4),
        (4, "Tổng kết kế hoạch năm 2024 tháng đầu năm", None),
    ]


def test_repeated_header_with_a_garbled_label_and_misread_row_numbers() -> None:
    first = [["27", "Tổ chức hội nghị", "Sở Nội vụ"], ["28", "Rà soát hồ sơ", "Sở Tư pháp"]]
    second = [
        ["2", "Kiểm tra việc thực hiện", "Thanh tra tỉnh"],  # 29 with a digit lost
        ["30", "Tổng kết năm", "Sở Y tế"],
        ["", "Biên soạn tài liệu", "Sở Tài chính"],
        ["3", "Tập huấn nghiệp vụ", "Công an tỉnh"],  # 32
        ["33", "Sơ kết", "Sở Nội vụ"],
    ]
    tasks = _layout_tasks((first, HEAD), (second, ['"m', "Nội dung", "Đơn vị thực hiện"]))
    assert [t.tt for t in tasks] == list(range(27, 34))
    assert [t.tt_inferred for t in tasks] == [False, False, True, False, True, True, False]
    restart = _layout_tasks(
        ([["5", "A b", "Sở Nội vụ"], ["1", "C d", "Sở Y tế"], ["2", "E g", "Sở Tư pháp"]], HEAD)
    )
    assert [t.tt for t in restart] == [5, 1, 2]  # a new numbering is not a misread


def test_table_settings_weigh_the_flattened_split():
    """The flattened-row weights are one frozen settings object; the default is what runs, and the
    weights really decide the split (all zero: the search has no evidence and splits elsewhere)."""
    import dataclasses

    from vnplans.parse.tables import DEFAULT_TABLE_SETTINGS, TableSettings

    base = rows_from_lines(FLAT.splitlines())
    assert rows_from_lines(FLAT.splitlines(), DEFAULT_TABLE_SETTINGS) == base
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_TABLE_SETTINGS.open_end = 0.0  # type: ignore[misc]
    blind = TableSettings(
        **{f.name: 0.0 for f in dataclasses.fields(TableSettings) if f.name != "width_quantile"}
    )
    other = rows_from_lines(FLAT.splitlines(), blind)
    assert [(t.content, t.responsible) for t in other] != [(t.content, t.responsible) for t in base]


def test_content_spilled_into_the_tt_cell_of_a_row_whose_rule_faded() -> None:
    """One row's rule between TT and Nội dung lost on a 1-bit scan: the layout gives `20 Rà soát ...`
    in the TT cell and nothing in the content cell; the number and the content are both kept."""
    tasks = _layout_tasks(
        (
            [
                ["TT", "Nội dung", "Đơn vị thực hiện"],
                ["19", "Xây dựng đoàn kiểm tra liên ngành (tháng 08/2024)", "Sở Tài chính chủ trì"],
                ["20 Rà soát hội nghị triển khai nhiệm vụ (giữa tháng 08/2024)", "", "Sở Nội vụ chủ trì"],
            ],
            None,
        )
    )
    assert [(t.tt, t.timeframe) for t in tasks] == [(19, "tháng 08/2024"), (20, "giữa tháng 08/2024")]
    assert tasks[1].content.startswith("Rà soát hội nghị") and tasks[1].lead_unit == "Sở Nội vụ"


def test_a_unit_head_with_swapped_marks_is_so() -> None:
    """OCR swaps the marks of `Sở` (`Số`, `sử`) at the head of a unit cell; no unit is named so."""
    assert split_units("Số Kế hoạch và Đầu tư") == ("Sở Kế hoạch và Đầu tư", [])
    assert split_units("sử Y tế chủ trì, phối hợp với Số Tư pháp") == ("Sở Y tế", ["Sở Tư pháp"])
    assert split_units("Sở Y tế") == ("Sở Y tế", [])
    assert split_units("Số liệu thống kê") == ("Số liệu thống kê", [])  # not a name after it
    assert split_units("Sở Tài chính:") == ("Sở Tài chính", [])  # dust read as a colon after a name
    assert split_units("Sở Tài chính: chủ trì, phối hợp với Sở Y tế:") == ("Sở Tài chính", ["Sở Y tế"])


def test_timeframe_words_are_read_back_from_ocr_slips() -> None:
    """A timeframe's words are a closed set: `thắng`, `thang`, `tháng-05` are `tháng`, `tháng 05`."""
    assert split_timeframe("Tập huấn (thắng 1/2025)")[1:4] == ("tháng 1/2025", 1, 2025)
    assert split_timeframe("Rà soát (tháng-05 năm 2025)")[1:4] == ("tháng 05 năm 2025", 5, 2025)
    assert split_timeframe("Kiểm tra (cuối thang 11 nam 2025)")[1:] == (
        "cuối tháng 11 năm 2025",
        11,
        2025,
        "cuối",
    )
    assert split_timeframe("Tổng kết (Tháng 12/2024)")[1] == "Tháng 12/2024"
    # the closing bracket lost or misread at the end of the cell
    assert split_timeframe("Hướng dẫn góp ý (tháng 08/2020 +")[:4] == (
        "Hướng dẫn góp ý",
        "tháng 08/2020",
        8,
        2020,
    )


def test_specks_read_as_marks_in_unit_cells_and_timeframes() -> None:
    """Dust on a 1-bit scan is read as `-`, `.` or `:` between words: never part of a unit's name or
    of a timeframe; a comma that is written stays."""
    assert split_units("Sở Y tế chủ trì, phối - hợp với Sở Tư pháp") == ("Sở Y tế", ["Sở Tư pháp"])
    assert split_units("Sở Văn hóa,. Thể thao và Du lịch chủ. trì, phối hợp với Ban Dân tộc tỉnh -") == (
        "Sở Văn hóa, Thể thao và Du lịch",
        ["Ban Dân tộc tỉnh"],
    )
    assert split_timeframe("Tổ chức hội nghị (tháng :09/2024)")[1:4] == ("tháng 09/2024", 9, 2024)
    assert split_timeframe("Sơ kết (quý I, 2024)")[1] == "quý I, 2024"
    # `trì` and a letter of `với` lost
    assert split_units("Sở Y tế chủ phối hợp vớ Sở Tư pháp") == ("Sở Y tế", ["Sở Tư pháp"])
    assert split_units("Văn phòng chủ trì, phối hợp với Văn phòng UBND") == ("Văn phòng", ["Văn phòng UBND"])
