import datetime as dt

from vnplans.parse import parse_text
from vnplans.parse.common import doc_type_by_code, doc_types, match_doc_type
from vnplans.parse.header import parse_header


def test_dictionary_has_decree30_types_with_case_sensitive_codes():
    names = {d.name for d in doc_types() if d.group == "administrative"}
    assert len(names) == 29
    assert doc_type_by_code("QyĐ").name == "Quy định"
    assert doc_type_by_code("CTr").name == "Chương trình"
    assert doc_type_by_code("TTr").name == "Tờ trình"
    assert match_doc_type("KE HOACH", whole=True).code == "KH"  # folded match survives lost diacritics


def test_interleaved_columns_are_split():
    lines = [
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "HUYỆN CAM LÂM Độc lập - Tự do - Hạnh phúc",
        "Số: 12 /KH-UBND Cam Lâm, ngày 05 tháng 11 năm 2020",
        "KẾ HOẠCH",
        "Phòng, chống thiên tai năm 2021",
        "",
        "Căn cứ Luật Phòng, chống thiên tai ngày 19 tháng 6 năm 2013;",
    ]
    r = parse_header(lines)
    h = r.header
    assert h.authority == "ỦY BAN NHÂN DÂN HUYỆN CAM LÂM" and h.parent_authority is None
    assert h.national_motto == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert h.tagline == "Độc lập - Tự do - Hạnh phúc"
    assert (h.number, h.symbol, h.place) == ("12", "KH-UBND", "Cam Lâm")
    assert h.issued_date == dt.date(2020, 11, 5)
    assert h.title == "Phòng, chống thiên tai năm 2021"
    assert r.end == 5  # the blank line after the title


def test_parent_authority_and_blank_day():
    text = "UBND TỈNH GIA LAI\nSỞ TƯ PHÁP\nSố: 3/KH-STP\nGia Lai, ngày    tháng 7 năm 2022\nKẾ HOẠCH\nTuyên truyền pháp luật\n"
    rec = parse_text(text)
    assert rec.header.parent_authority == "UBND TỈNH GIA LAI"
    assert rec.header.authority == "SỞ TƯ PHÁP"
    assert rec.header.issued_date is None
    assert "day_blank" in {w.code for w in rec.quality.warnings}


def test_a_capital_read_in_its_small_shape_joins_the_capitals_of_the_body():
    """`sO TAI CHINH` repaired is `sở TÀI CHÍNH`: the body is printed in capitals (Decree 30), so the
    word whose letters all look alike in both cases is one of them; mixed-case bodies stay as printed."""
    for body, want in (
        ("sở TÀI CHÍNH", "SỞ TÀI CHÍNH"),
        ("cục THUẾ TỈNH", "CỤC THUẾ TỈNH"),
        ("Sở Tài chính", "Sở Tài chính"),
        ("UBND tỉnh Nghệ An", "UBND tỉnh Nghệ An"),
    ):
        rec = parse_text(
            f"UBND TỈNH NGHỆ AN\n{body}\nSố: 3/KH-STC\nNghệ An, ngày 2 tháng 7 năm 2022\nKẾ HOẠCH\nA\n"
        )
        assert rec.header.authority == want


def test_layout_columns_are_used():
    class Page:
        header_left = ["BỘ TÀI CHÍNH", "Số: 77/QĐ-BTC"]
        header_right = [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Hà Nội, ngày 02 tháng 1 năm 2024",
        ]
        lines: list[str] = []
        tables: list = []

    text = "BỘ TÀI CHÍNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nQUYẾT ĐỊNH\nVề việc giao dự toán\n"
    rec = parse_text(text, layout=Page())
    h = rec.header
    assert (h.authority, h.number, h.symbol, h.place) == ("BỘ TÀI CHÍNH", "77", "QĐ-BTC", "Hà Nội")
    assert (h.doc_type, h.doc_type_code, h.title) == ("QUYẾT ĐỊNH", "QĐ", "Về việc giao dự toán")


def test_ocr_dust_in_type_and_date_lines() -> None:
    """A speck read as a letter before the type line, and a dash glued into the date, still parse."""
    lines = [
        "ỦY BAN NHÂN DÂN    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "TỈNH HÀ TĨNH    Độc lập - Tự do - Hạnh phúc",
        "Số: 12/PA-UBND    Hà Tĩnh, ngày 02 tháng 3-năm 2025",
        "",
        "x PHƯƠNG ÁN",
        "Chuyển đổi số năm 2025",
    ]
    h = parse_header(lines).header
    assert (h.doc_type, h.doc_type_code, h.title) == ("PHƯƠNG ÁN", "PA", "Chuyển đổi số năm 2025")
    assert h.issued_date is not None and h.issued_date.isoformat() == "2025-03-02"
    assert h.authority == "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH"


def test_ocr_marks_around_symbol_and_body_name_are_dropped() -> None:
    """Scan dust read as marks: a full stop after the symbol, a colon glued between two words of the
    body's name, a comma left after the symbol on the number line."""
    lines = [
        "UBND TỈNH VĨNH LONG    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "SỞ KẾ HOẠCH VÀ:ĐẦU TƯ    Độc lập - Tự do - Hạnh phúc",
        "Số: 396/KH-SKHĐT.    Vĩnh Long, ngày 02 tháng 4 năm 2019",
        "KẾ HOẠCH",
        "Cải cách hành chính năm 2019",
    ]
    h = parse_header(lines).header
    assert (h.parent_authority, h.authority) == ("UBND TỈNH VĨNH LONG", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ")
    assert (h.number, h.symbol) == ("396", "KH-SKHĐT")
    left = ["UBND TỈNH TÂY NINH", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Số: 339/KH-SVHTTDL,"]
    right = [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Tây Ninh, ngày 19 tháng 3 năm 2025",
    ]
    h = parse_header(["KẾ HOẠCH", "Tổ chức lễ hội"], left=left, right=right).header
    assert (h.authority, h.symbol, h.place) == ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "KH-SVHTTDL", "Tây Ninh")


def test_place_date_line_with_an_unreadable_month() -> None:
    """OCR lost the month: the line is still the place and date (never part of the issuing body),
    and the date is left unknown with a warning rather than guessed."""
    text = (
        "ỦY BAN NHÂN DÂN    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "THÀNH PHỐ HẢI PHÒNG    Độc lập - Tự do - Hạnh phúc\n"
        "Số: 368/KH-UBND    Hải Phòng, ngày 02 tháng năm 2025\n"
        "KẾ HOẠCH\n"
        "Thực hành tiết kiệm, chống lãng phí năm 2025\n"
    )
    rec = parse_text(text)
    h = rec.header
    assert (h.authority, h.place, h.issued_date) == ("ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG", "Hải Phòng", None)
    codes = [w.code for w in rec.quality.warnings]
    assert "date_unreadable" in codes and "header.issued_date not found" not in str(rec.quality.warnings)


def test_ocr_specks_in_a_scanned_header_are_not_kept() -> None:
    """What dust on a 1-bit scan makes Tesseract print: a stroke after the type code (`TT1-`), a full
    stop after the place (`Hà Nội,.ngày`) or joining two words of the title, a dash joining `ngày`
    to its number, `;.`; codes, numbers and abbreviations that really carry those marks stay."""
    text = (
        "BỘ Y TẾ    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Số: 49/2025/TT1-BYT    Hà Nội,.ngày 31 tháng 12 năm 2025\n"
        "THÔNG TƯ\n"
        "Sửa đổi Thông tư số 02/2024/TT-BYT ngày-12 tháng 3 năm 2024 về phòng, chống COVID-19;. phòng\n"
        "chống dịch tại TP.HCM của LIÊN HỢP.QUỐC giai đoạn 2021-2025\n"
        "\n"
        "Căn cứ Luật Tổ chức Chính phủ;\n"
    )
    h = parse_text(text).header
    assert (h.number, h.symbol, h.place) == ("49/2025", "TT-BYT", "Hà Nội")
    assert h.title == (
        "Sửa đổi Thông tư số 02/2024/TT-BYT ngày 12 tháng 3 năm 2024 về phòng, chống COVID-19; phòng "
        "chống dịch tại TP.HCM của LIÊN HỢP QUỐC giai đoạn 2021-2025"
    )
    assert parse_text(text.replace("TT1-BYT", "TTLT-BYT")).header.symbol == "TTLT-BYT"  # a real code


def test_signer_mark_with_a_comma_at_the_line_end_and_a_speck() -> None:
    text = (
        "CHÍNH PHỦ\nSố: 1/2026/NĐ-CP\nNGHỊ ĐỊNH\nQuy định chi tiết\n\nĐiều 1. Phạm vi\n\n"
        "TM. CHÍNH PHỦ\n° KT,\nTHỦ TƯỚNG.PHÓ THỦ TƯỚNG\nBùi Thanh Sơn\n"
    )
    sig = parse_text(text).signature
    assert sig.modes == ["TM", "KT"] and sig.titles == ["CHÍNH PHỦ", "THỦ TƯỚNG", "PHÓ THỦ TƯỚNG"]
    assert sig.name == "Bùi Thanh Sơn"


def test_place_kept_when_a_handwritten_day_is_glued_to_ngay() -> None:
    """A day written by hand (or a stamp over it) that OCR glued onto `ngày` still leaves the place."""
    text = (
        "SỞ XÂY DỰNG    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "    Độc lập - Tự do - Hạnh phúc\n"
        "Số: 15/KH-SXD\n"
        "Đà Nẵng, ngàyJ© thuÔj\\tð0\n"
        "KẾ HOẠCH\n"
        "Kiểm tra công tác an toàn xây dựng năm 2026\n"
    )
    h = parse_text(text).header
    assert (h.place, h.issued_date, h.doc_type) == ("Đà Nẵng", None, "KẾ HOẠCH")
    assert parse_text(text.replace("ngàyJ©", "ngàyxưa")).header.place is None  # a longer word is not `ngày`


def test_a_type_line_half_lost_beside_a_stamp_still_opens_the_title() -> None:
    """Capitals OCR read partly as small letters beside a receipt stamp (`"N ÌnHônG TƯ`): no word is
    in small letters, so it is still the type line; a sentence-case line is not."""
    text = (
        "BỘ CÔNG THƯƠNG    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "—m————    Độc lập - Tự do - Hạnh phúc\n"
        "Số: 21/2026/TT-BCT    Hà Nội, ngày 28 tháng 4 năm 2026\n"
        '"N ÌnHônG TƯ\n'
        "Bãi bỏ một phần khoản 2 Điều 1 của Thông tư số 18/2025/TT-BCT\n"
        "\n"
        "Căn cứ Luật Tổ chức Chính phủ;\n"
    )
    h = parse_text(text).header
    assert h.authority == "BỘ CÔNG THƯƠNG"  # the rule under it, with a letter OCR saw in it, is no name
    assert (h.doc_type, h.title) == (
        "THÔNG TƯ",
        "Bãi bỏ một phần khoản 2 Điều 1 của Thông tư số 18/2025/TT-BCT",
    )
    sentence = parse_text(text.replace('"N ÌnHônG TƯ', "Thông tư này")).header
    assert sentence.title != "Bãi bỏ một phần khoản 2 Điều 1 của Thông tư số 18/2025/TT-BCT"


def test_a_number_read_in_doubt_makes_its_fields_doubtful() -> None:
    """`21/2026/TT-BCT` is one printed word: the number and the symbol split off it take its doubt."""
    from vnplans.parse.confidence import field_confidences

    rec = parse_text("BỘ CÔNG THƯƠNG\nSố: 21/2026/TT-BCT\nTHÔNG TƯ\nBãi bỏ một phần\n")
    assert (rec.header.number, rec.header.symbol) == ("21/2026", "TT-BCT")
    words = [("BỘ", 1.0), ("CÔNG", 1.0), ("THƯƠNG", 1.0), ("Số:", 0.96), ("21/2026/TT-BCT", 0.8)]
    fields = field_confidences(rec, [[words]])
    assert fields["header.number"] == 0.8 and fields["header.symbol"] == 0.8
    assert "header.authority" not in fields


def test_an_issuer_code_one_letter_off_the_authority_takes_its_initials() -> None:
    """Decree 30 makes the symbol's issuer code the issuer's abbreviation: a code OCR doubted and got
    one letter wrong (`TT-BYT` under `BỘ CÔNG THƯƠNG`) is set back, with a warning. A code read with
    confidence, or from text, stays: a renamed ministry prints its old code (`TT-BTNMT`)."""
    from vnplans.parse import score

    text = "BỘ CÔNG THƯƠNG\nSố: 67/2025/TT-BYT\nTHÔNG TƯ\nSửa đổi Thông tư số 43/2025/TT-BCT\n"
    words = [("BỘ", 0.96), ("CÔNG", 0.96), ("THƯƠNG", 0.96), ("Số:", 0.96), ("67/2025/TT-BYT", 0.34)]
    rec = parse_text(text)
    assert rec.header.symbol == "TT-BYT"  # text alone: as printed
    score(rec, [[words]])
    assert rec.header.symbol == "TT-BCT" and rec.quality.fields["header.symbol"] == 0.8
    assert any(w.code == "symbol_code_from_authority" for w in rec.quality.warnings)
    sure = parse_text(text)
    score(sure, [[words[:-1] + [("67/2025/TT-BYT", 0.93)]]])
    assert sure.header.symbol == "TT-BYT"
    for authority, symbol in (
        ("BỘ CÔNG THƯƠNG", "TTLT-BCT-BYT"),  # a joint document: several issuers' codes
        ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "KH-SGDDT"),  # printed without Đ
        ("ỦY BAN NHÂN DÂN TỈNH AN GIANG", "KH-UBND"),  # not the initials of the whole name
        ("BỘ TÀI CHÍNH", "TT-BXD"),  # two letters off: another body's code
    ):
        rec = parse_text(f"{authority}\nSố: 5/2025/{symbol}\nKẾ HOẠCH\nTriển khai\n")
        score(rec, [[[("Số:", 0.9), (f"5/2025/{symbol}", 0.3)]]])
        assert rec.header.symbol == symbol, (authority, rec.header.symbol)


def test_recipients_whose_dash_ocr_lost_are_neither_lost_nor_the_signer() -> None:
    """`Báo Hà Tĩnh;` (dash lost) and `~ UBND ...` (dash read as `~`) are recipients; the signer is
    the name under the titles, read after the list."""
    text = (
        "ỦY BAN NHÂN DÂN\nSố: 5/KH-UBND\nKẾ HOẠCH\nTriển khai\n\nI. MỤC ĐÍCH\n\nNội dung.\n\n"
        "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nNơi nhận:\nBáo Hà Tĩnh;\n- Bộ Nội vụ;\n"
        "~ UBND các huyện, thị xã, thành phố;\n- Lưu: VT, UBND.\nLê Thị Hạnh\n"
    )
    rec = parse_text(text)
    assert rec.signature.name == "Lê Thị Hạnh"
    assert rec.recipients == [
        "Báo Hà Tĩnh",
        "Bộ Nội vụ",
        "UBND các huyện, thị xã, thành phố",
        "Lưu: VT, UBND",
    ]


def test_recipients_past_small_print_misreadings() -> None:
    """Small print on scans: a speck beside `Nơi nhận:` (`A`), an item whose `;` was read as `:` or
    whose dash was lost and `;` read as `,`; an item wrapped after a comma stays one item."""
    head = "ỦY BAN NHÂN DÂN\nSố: 5/KH-UBND\nKẾ HOẠCH\nTriển khai\n\nI. MỤC ĐÍCH\n\nNội dung.\n\n"
    text = head + (
        "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nNơi nhận: A\n- Bộ Nội vụ:\n- UBND các huyện, thị xã;\n"
        "Văn phòng Chính phủ,\n- Các Bộ, cơ quan ngang Bộ,\ncơ quan thuộc Chính phủ;\n- Lưu: VT, UBND.\n"
        "Lê Thị Hạnh\n"
    )
    rec = parse_text(text)
    assert rec.recipients == [
        "Bộ Nội vụ",
        "UBND các huyện, thị xã",
        "Văn phòng Chính phủ",
        "Các Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ",
        "Lưu: VT, UBND",
    ]
    assert rec.signature.name == "Lê Thị Hạnh"
    # the archive item ends the list (its label misread too): a line after it without a dash is text
    text = head + "Nơi nhận:\n- Bộ Nội vụ;\n- kưu: VT, UBND.\nĐiều lệ trường mầm non,\nLê Thị Hạnh\n"
    assert parse_text(text).recipients == ["Bộ Nội vụ", "kưu: VT, UBND"]


def test_signature_column_joined_to_recipients_by_one_space() -> None:
    """OCR's text output joins the two trailer columns with one space: the signature column's marks,
    offices and name after a recipient's `;` (or `,`, or the archive item's `.`) are the signer's,
    specks after an item are dropped, and a recipient holding a `;` or `,` of its own stays whole."""
    head = "CHÍNH PHỦ\nSố: 49/2026/NĐ-CP\nNGHỊ ĐỊNH\nHướng dẫn\n\nĐiều 1. Phạm vi\n\nNội dung.\n\n"
    rec = parse_text(
        head + "Nơi nhận: TM. CHÍNH PHỦ\n- Ban Bí thư Trung ương Đảng; KT. THỦ TƯỚNG\n"
        "- Thủ tướng, các Phó Thủ tướng Chính phủ; PHÓ THỦ TƯỚNG\n- Kiểm toán nhà nước; : i.\n"
        "- Các Bộ: Tư pháp, Nội vụ;\n- Viện kiểm sát nhân dân tối cao; Trần Hồng Hà\n- Lưu: VT, NN (2b). 4q\n"
    )
    assert rec.recipients == [
        "Ban Bí thư Trung ương Đảng",
        "Thủ tướng, các Phó Thủ tướng Chính phủ",
        "Kiểm toán nhà nước",
        "Các Bộ: Tư pháp, Nội vụ",
        "Viện kiểm sát nhân dân tối cao",
        "Lưu: VT, NN (2b)",
    ]
    sig = rec.signature
    assert (sig.modes, sig.titles, sig.name) == (
        ["TM", "KT"],
        ["CHÍNH PHỦ", "THỦ TƯỚNG", "PHÓ THỦ TƯỚNG"],
        "Trần Hồng Hà",
    )
    # the office beside the heading, the first item's dash lost and its `;` read as `,`, the name
    # after the archive item
    rec = parse_text(
        head
        + "Nơi nhận: GIÁM ĐỐC\nBộ Nội vụ, PHÓ GIÁM ĐỐC\n- Báo Tây Ninh;\n- Lưu: VT, STNMT. Đặng Hữu Lan\n"
    )
    assert rec.recipients == ["Bộ Nội vụ", "Báo Tây Ninh", "Lưu: VT, STNMT"]
    assert (rec.signature.titles, rec.signature.name) == (["GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], "Đặng Hữu Lan")


def test_items_that_lost_their_dash_keep_the_signature_column_out() -> None:
    """A scan's list whose dashes OCR lost, each item followed on its line by what OCR made of the
    seal and the signature: the items are recipients, the specks are not, the name is the signer's;
    a rank before a name with no title read above it still makes it the signer's."""
    head = "CHÍNH PHỦ\nSố: 234/2026/NĐ-CP\nNGHỊ ĐỊNH\nXử lý\n\nĐiều 1. Phạm vi\n\nNội dung.\n\n"
    rec = parse_text(
        head + "Nơi nhận: TM. CHÍNH PHỦ\nThủ tướng, các Phó Thủ tướng Chính phủ; = ` 2 bệ . G\n"
        "Các bộ, cơ quan ngang bộ; đS): HẠ) TƯỜNG\nVăn phòng Quốc hội; 2à: 2\n"
        "Viện kiểm sát nhân dân tối cao; Phạm Thị Thanh Trà\nKiểm toán nhà nước; , k Ỷ\n- Lưu: VT, KGVX.\n"
    )
    assert rec.recipients == [
        "Thủ tướng, các Phó Thủ tướng Chính phủ",
        "Các bộ, cơ quan ngang bộ",
        "Văn phòng Quốc hội",
        "Viện kiểm sát nhân dân tối cao",
        "Kiểm toán nhà nước",
        "Lưu: VT, KGVX",
    ]
    assert rec.signature.name == "Phạm Thị Thanh Trà"
    rec = parse_text(
        head.replace("CHÍNH PHỦ", "BỘ CÔNG AN")
        + "Nơi nhận:\n- Bộ Quốc phòng;\n- Lưu: VT, V03.\n*Đại tướng Lương Tam Quang*\n"
    )
    assert (rec.signature.rank, rec.signature.name) == ("Đại tướng", "Lương Tam Quang")
    # capitals after a small speck are a title's remains, no name
    rec = parse_text(head + "TM. CHÍNH PHỦ\nNơi nhận:\n- Bộ Quốc phòng; F4 ` à TƯỞNG\n- Lưu: VT.\n")
    assert rec.signature.name is None and rec.recipients == ["Bộ Quốc phòng", "Lưu: VT"]
    # the archive item's `,` read as `;` keeps the item whole: what follows is no signature column
    rec = parse_text(
        head + "TM. CHÍNH PHỦ\nTHỦ TƯỚNG\nNơi nhận:\n- Bộ Quốc phòng;\n- Lưu: VT; UBND.\nLê Văn Thành\n"
    )
    assert rec.recipients == ["Bộ Quốc phòng", "Lưu: VT; UBND"] and rec.signature.titles == [
        "CHÍNH PHỦ",
        "THỦ TƯỚNG",
    ]


def test_a_signature_without_a_name_ends_where_an_appendix_begins() -> None:
    """A scan whose signer's name OCR could not read: the appendix after it (its heading, a form with
    its own national motto, numbered blanks) gives no titles."""
    head = "BỘ TÀI CHÍNH\nSố: 91/2026/TT-BTC\nTHÔNG TƯ\nQuy định\n\nĐiều 1. Phạm vi\n\nNội dung.\n\n"
    tail = "KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n\n(10)\nPHỤ LỤC\nKÝ HIỆU MẪU HÓA ĐƠN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    sig = parse_text(head + tail).signature
    assert (sig.modes, sig.titles, sig.name) == (["KT"], ["BỘ TRƯỞNG", "THỨ TRƯỞNG"], None)


def test_offices_and_family_names_in_their_spelling_when_marks_went_wrong() -> None:
    """Text restored from stripped marks: `THỦ TRƯỞNG THƯỜNG TRỤC` under `KT. BỘ TRƯỞNG` is the deputy
    minister, `Do` is no family name (`Đỗ`); a head of agency and real family names are kept."""
    head = "BỘ TÀI CHÍNH\nSố: 1/2026/TT-BTC\nTHÔNG TƯ\nQuy định chi tiết\n\nĐiều 1. Phạm vi\n\n"
    sig = parse_text(head + "KT. BỘ TRƯỞNG\nTHỦ TRƯỞNG THƯỜNG TRỤC\nDo Thành Trung\n").signature
    assert sig.titles == ["BỘ TRƯỞNG", "THỨ TRƯỞNG THƯỜNG TRỰC"] and sig.name == "Đỗ Thành Trung"
    sig = parse_text(head + "KT. GIÁM ĐỐC\nTHỦ TRƯỞNG\nHà Văn Bình\n").signature
    assert sig.titles == ["GIÁM ĐỐC", "THỦ TRƯỞNG"] and sig.name == "Hà Văn Bình"
    sig = parse_text(head + "KT. THONG ĐỐC\nPHÓ THỐNG ĐỐC\nĐào Minh Tú\n").signature
    assert sig.titles == ["THỐNG ĐỐC", "PHÓ THỐNG ĐỐC"] and sig.name == "Đào Minh Tú"


def test_a_middle_name_restored_as_a_common_word_gets_its_name_spelling() -> None:
    """English-model text lost the name's marks and the corrector gave them back as common words'
    (`Bụi Thì Khai`): no one is called `Thì` or `Vận`. A listed middle name, or one whose folded form is
    another name's too (`Hòa`, not `Hoa`), is kept as written."""
    head = "ỦY BAN NHÂN DÂN\nSố: 5/KH-UBND\nKẾ HOẠCH\nThực hiện\n\nI. MỤC ĐÍCH\n\n"
    assert parse_text(head + "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nBụi Thì Khai\n").signature.name == "Bùi Thị Khai"
    assert parse_text(head + "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nLê Vận Hùng\n").signature.name == "Lê Văn Hùng"
    for kept in ("Nguyễn Hòa Bình", "Lê Thành Long", "Trần Vân Anh", "Phạm Gia Túc"):
        assert parse_text(head + "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n" + kept + "\n").signature.name == kept


def test_a_stroke_before_a_symbols_two_digit_number_is_dropped() -> None:
    """The legislature's number closing a symbol has two digits (`UBTVQH15`); OCR's look-alike before
    two digits is a stroke it added (`UBTVQHI15` read `UBTVQH115` before), one standing for a digit is
    still a digit (`UBTVQHI5`)."""
    lines = ["ỦY BAN THƯỜNG VỤ QUỐC HỘI    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    for printed, want in (("UBTVQHI15", "UBTVQH15"), ("UBTVQHI5", "UBTVQH15"), ("UBTVQH15", "UBTVQH15")):
        h = parse_header([*lines, f"Nghị quyết số: 115/2025/{printed}", "NGHỊ QUYẾT", "Về việc"]).header
        assert (h.number, h.symbol) == ("115/2025", want)
