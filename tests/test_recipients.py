"""`Nơi nhận` lists as real documents print them: one item a line, or flattened onto one line (a web
page's table cell), with an annex after the archive item."""

from vnplans.parse import parse_text
from vnplans.parse.recipients import parse_recipients
from vnplans.parse.signature import split_trailer

_HEAD = "BỘ TÀI CHÍNH\nSố: 12/2026/TT-BTC\nHà Nội, ngày 2 tháng 3 năm 2026\nTHÔNG TƯ\nQuy định mức chi\n"


def test_flattened_list_is_split_at_each_dash_after_a_semicolon():
    got = parse_recipients(
        ["Nơi nhận: - Văn phòng Chính phủ; - Công báo; Cổng TTĐT Chính phủ; - Các tổ chức chính trị - xã hội;"
         " - Lưu: VT, KGVX (2b)."]
    )  # fmt: skip
    # a `;` with no dash after it, and a dash with no `;` before it, stay inside their item
    assert got == [
        "Văn phòng Chính phủ",
        "Công báo; Cổng TTĐT Chính phủ",
        "Các tổ chức chính trị - xã hội",
        "Lưu: VT, KGVX (2b)",
    ]


def test_a_blank_line_after_the_archive_item_ends_the_list():
    left = ["Nơi nhận:", "- Bộ Nội vụ;", "- Lưu: VT, CST.", "", "- Tiền mặt: ……… VND", "- Hiện vật: ………"]
    assert parse_recipients(left) == ["Bộ Nội vụ", "Lưu: VT, CST"]


def test_dashed_lines_right_after_the_archive_item_still_count():
    # OCR's reading order may put an item after `Lưu:`; with no blank line between, it is still the list's
    assert parse_recipients(["Nơi nhận:", "- Lưu: VT, UBND.", "- Báo Hà Tĩnh;"]) == [
        "Lưu: VT, UBND",
        "Báo Hà Tĩnh",
    ]


def test_a_rule_line_ends_the_list():
    assert parse_recipients(["Nơi nhận:", "- Như trên;", "- Công báo;", "--------------", "- Mẫu số 01"]) == [
        "Như trên",
        "Công báo",
    ]


def test_a_speck_before_an_item_is_not_part_of_it():
    assert parse_recipients(["Nơi nhận:", "- Như trên;", "- : Lưu: VT, UBND."]) == [
        "Như trên",
        "Lưu: VT, UBND",
    ]


def test_whole_document_with_a_flattened_table_row():
    text = (
        _HEAD
        + "Điều 1. Phạm vi điều chỉnh\nThông tư này quy định mức chi.\n\n"
        + "| Nơi nhận: - Ban Bí thư Trung ương Đảng; - Văn phòng Chính phủ; - Lưu: VT, HCSN. "
        + "| KT. BỘ TRƯỞNG THỨ TRƯỞNG (Đã ký) Trần Văn An |\n"
    )
    rec = parse_text(text)
    assert rec.recipients == ["Ban Bí thư Trung ương Đảng", "Văn phòng Chính phủ", "Lưu: VT, HCSN"]


def test_an_item_wrapped_after_an_inner_semicolon_stays_whole():
    # words of prose after an item's `;` are the item's own wrapped text, not the signature column's
    text = (
        _HEAD
        + "Điều 1. Phạm vi điều chỉnh\nThông tư này quy định mức chi.\n\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n\n"
        + "Nơi nhận:\n- Công báo; Cổng Thông tin điện tử Chính\nphủ; Cổng TTĐT Bộ Xây dựng;\n"
        + "- Lưu: VT, KHCN.\nNguyễn Văn Sinh\n"
    )
    rec = parse_text(text)
    assert rec.recipients == [
        "Công báo; Cổng Thông tin điện tử Chính phủ; Cổng TTĐT Bộ Xây dựng",
        "Lưu: VT, KHCN",
    ]
    assert rec.signature.name == "Nguyễn Văn Sinh"


def test_a_wrapped_end_and_an_archive_line_that_lost_its_dash_stay_in_the_list():
    # OCR read the wrapped item's `;` as `,` and lost the archive line's dash: both are still the list's
    left, right = split_trailer(
        [
            "Nơi nhận:",
            "- UBND các tỉnh, thành phố trực thuộc",
            "TW,",
            "- Cục ĐKVN;",
            "Lưu: VT, Vụ KHTC.",
            "Lê Anh Tuấn",
        ]
    )
    assert parse_recipients(left) == [
        "UBND các tỉnh, thành phố trực thuộc TW",
        "Cục ĐKVN",
        "Lưu: VT, Vụ KHTC",
    ]
    assert right == ["Lê Anh Tuấn"]


def test_a_line_opening_with_a_small_letter_ends_the_item_above_even_after_a_blank_line():
    left = [
        "Nơi nhận:",
        "- Cục Kiểm tra văn bản và Quản lý xử",
        "",
        "lý vi phạm hành chính - Bộ Tư pháp;",
        "- Lưu: VT.",
    ]
    assert parse_recipients(left) == [
        "Cục Kiểm tra văn bản và Quản lý xử lý vi phạm hành chính - Bộ Tư pháp",
        "Lưu: VT",
    ]
    # a capital after a blank line is an item whose dash OCR lost, not the end of the one above
    left = ["Nơi nhận:", "- Bộ Tư pháp", "", "Công báo;", "- Lưu: VT."]
    assert parse_recipients(left) == ["Bộ Tư pháp", "Công báo", "Lưu: VT"]


def test_the_archive_line_gets_back_the_comma_ocr_lost_or_read_as_a_letter():
    from vnplans.text.repair import repair

    for read in ("Lưu: VTE Vụ KHTC.", "Lưu: VTj UBND.", "Lưu: VT Vụ KHTC."):
        assert repair(f"- Báo Xây dựng;\n{read}\n", profile="vie").splitlines()[-1].startswith("Lưu: VT, ")
    assert repair("- Báo Xây dựng;\n- Lưu: VT.\n", profile="vie").endswith("- Lưu: VT.\n")
