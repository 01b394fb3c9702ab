"""Layout on rendered Decree 30 pages read by real Tesseract: header columns, ruled table cells,
QUÝ rows, a table continued across pages, streak rejection, tables without rules."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw
from rapidfuzz import fuzz

from vnplans.layout import PageLayout, Table, analyze_layout, merge_layouts, merge_tables, remove_rules
from vnplans.ocr import ocr_image
from vnplans.synth.document import render_document
from vnplans.synth.plans import Paragraph, PlanDoc, TaskTable
from vnplans.synth.render import load_font

TASKS = [
    "Rà soát, cập nhật danh mục thủ tục hành chính thuộc thẩm quyền giải quyết",
    "Tổ chức tập huấn nghiệp vụ cho cán bộ làm công tác văn thư, lưu trữ cấp huyện",
    "Kiểm tra việc thực hiện quy chế làm việc tại các cơ quan, đơn vị",
    "Tổng hợp kết quả thực hiện nhiệm vụ sáu tháng đầu năm",
]
UNITS = [
    "Sở Nội vụ",
    "Văn phòng Ủy ban nhân dân tỉnh",
    "Sở Tài chính chủ trì, phối hợp với các đơn vị liên quan",
]
HEADER = ["TT", "Nội dung", "Đơn vị thực hiện"]


def plan(n_rows: int) -> PlanDoc:
    rows: list[list[str]] = [["QUÝ I"]]
    for i in range(n_rows):
        if i and i % 6 == 0:
            rows.append([f"QUÝ {'I' * (i // 6 + 1)}"])
        rows.append([str(i + 1), TASKS[i % 4], UNITS[i % 3]])
    return PlanDoc(
        authority_lines=["ỦY BAN NHÂN DÂN", "TỈNH BẮC GIANG"],
        motto_lines=["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"],
        number_line="Số: 38/KH-UBND",
        place_date_line="Bắc Giang, ngày 09 tháng 2 năm 2022",
        doc_type="KẾ HOẠCH",
        title_lines=["Kiểm tra công tác nội vụ năm 2022"],
        body=[
            Paragraph("Ủy ban nhân dân tỉnh ban hành Kế hoạch kiểm tra công tác nội vụ năm 2022 như sau:"),
            Paragraph("I. NỘI DUNG", bold=True, indent=False),
            TaskTable(HEADER, rows),
            Paragraph("Các cơ quan, đơn vị báo cáo kết quả về Sở Nội vụ trước ngày 15 tháng 12."),
        ],
        recipients_lines=["Nơi nhận:", "- Bộ Nội vụ;", "- Lưu: VT."],
        signature_lines=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Văn Hùng"],
    )


def read(image: np.ndarray, **kw: object) -> PageLayout:
    """OCR with the rules painted out (Tesseract reads rules as `|`), layout on the page itself."""
    return analyze_layout(image, ocr_image(remove_rules(image)), **kw)  # type: ignore[arg-type]


def sim(a: str, b: str) -> float:
    return fuzz.ratio(a, b) / 100


@pytest.fixture(scope="module")
def doc_pages() -> tuple[PlanDoc, list, list[PageLayout]]:
    doc = plan(16)
    pages = render_document(doc)
    layouts = [read(np.asarray(p.image)) for p in pages]
    return doc, pages, layouts


def test_header_columns(doc_pages) -> None:
    doc, pages, layouts = doc_pages
    lay = layouts[0]
    assert len(lay.header_left) == 3 and len(lay.header_right) == 3
    for got, want in zip(lay.header_left, pages[0].header_left, strict=True):
        assert sim(got, want) > 0.85, (got, want)
    for got, want in zip(lay.header_right, pages[0].header_right, strict=True):
        assert sim(got, want) > 0.85, (got, want)
    first = lay.to_text().splitlines()[0]
    assert first.startswith(lay.header_left[0] + "    ")  # left and right of one printed row, not mixed
    assert all(not p.header_left for p in layouts[1:])  # later pages have no header


def test_table_across_pages(doc_pages) -> None:
    doc, pages, layouts = doc_pages
    assert len(pages) >= 2 and all(p.tables for p in pages[:2])  # the table really continues
    truth = next(b for b in doc.body if isinstance(b, TaskTable))
    tables = merge_tables(layouts)
    assert len(tables) == 1
    t = tables[0]
    assert t.header is not None and [sim(a, b) > 0.8 for a, b in zip(t.header, HEADER, strict=True)]
    assert len(t.rows) == len(truth.rows)  # repeated header dropped, nothing lost or split
    merged = [i for i, r in enumerate(t.rows) if len(r) == 1]
    assert merged == [i for i, r in enumerate(truth.rows) if len(r) == 1]  # QUÝ rows found
    scores = [
        sim(g, w) for gr, wr in zip(t.rows, truth.rows, strict=True) for g, w in zip(gr, wr, strict=True)
    ]
    assert len(scores) == sum(len(r) for r in truth.rows)
    assert sum(scores) / len(scores) > 0.9
    assert [r[0] for r in t.rows if len(r) == 3] == [str(i) for i in range(1, 17)]


def test_merge_layouts_document(doc_pages) -> None:
    _, _, layouts = doc_pages
    doc = merge_layouts(layouts)
    assert len(doc.tables) == 1 and doc.header_left == layouts[0].header_left
    text = doc.to_text()
    assert text.count("TT | Nội dung") == 1  # one table, placed once, header not repeated
    assert text.index("QUÝ I") < text.index("Nơi nhận")


def test_lines_and_reading_order(doc_pages) -> None:
    _, pages, layouts = doc_pages
    text = layouts[0].to_text()
    assert text.index("KẾ HOẠCH") < text.index("TT | ") < text.index("QUÝ I")
    last = layouts[-1].to_text()
    assert "Nơi nhận:" in last and sim(layouts[-1].lines[-1], "- Lưu: VT.") > 0.7


@pytest.mark.slow
def test_degraded_page_and_streak() -> None:
    """Blur, noise, JPEG and a photocopy streak through the text column: still three columns."""
    from vnplans.synth.degrade import degrade

    page = render_document(plan(5))[0]
    img = page.image.copy()
    d = ImageDraw.Draw(img)
    d.line([(1200, 0), (1200, img.height)], fill=60, width=4)  # streak over the whole page
    d.line([(900, 1500), (900, 2100)], fill=70, width=3)  # streak starting and ending inside the table
    arr = np.asarray(degrade(img, seed=3, level="medium", kinds=["blur", "noise", "jpeg"]).convert("L"))
    lay = read(arr)
    assert len(lay.tables) == 1
    t = lay.tables[0]
    assert t.ncols == 3
    truth = page.tables[0]
    assert len(t.rows) + 1 == len(truth)
    assert [len(r) for r in t.rows] == [len(r) for r in truth[1:]]


def test_table_without_rules() -> None:
    font = load_font("Liberation Serif", 50)
    img = Image.new("L", (2480, 1400), 255)
    d = ImageDraw.Draw(img)
    cols = [300, 700, 1500]
    data = [["Mã số", "Tên đơn vị", "Số lượng"], ["01", "Sở Nội vụ", "12"], ["02", "Sở Tư pháp", "8"]]
    data += [["03", "Văn phòng tỉnh", "15"], ["04", "Sở Y tế", "21"]]
    for i, row in enumerate(data):
        for x, cell in zip(cols, row, strict=True):
            d.text((x, 200 + i * 90), cell, font=font, fill=0)
    arr = np.asarray(img)
    # psm 4 (one column of lines): the default page segmentation drops short, isolated cells like `01`
    lay = analyze_layout(arr, ocr_image(arr, psm=4), first_page=False)
    assert len(lay.tables) == 1
    t = lay.tables[0]
    assert not t.ruled and t.ncols == 3
    assert t.header is not None and sim(" ".join(t.header), "Mã số Tên đơn vị Số lượng") > 0.8
    assert [r[0] for r in t.rows] == ["01", "02", "03", "04"]


def test_merge_joins_row_broken_over_pages() -> None:
    a = PageLayout(tables=[Table([["1", "Rà soát thủ tục", "Sở Nội vụ"]], HEADER, ncols=3)])
    a.blocks = [("table", 0)]
    b = PageLayout(
        lines=["2"],
        tables=[Table([["", "hành chính", "phối hợp"], ["2", "Kiểm tra", "Sở Y tế"]], HEADER, ncols=3)],
    )
    b.blocks = [("line", 0), ("table", 0)]
    c = PageLayout(lines=["Kết thúc"], tables=[Table([["1", "x", "y"]], HEADER, ncols=3)])
    c.blocks = [("line", 0), ("table", 0)]  # text before it: a new table, not a continuation
    merged = merge_tables([a, b, c])
    assert len(merged) == 2
    assert merged[0].rows == [
        ["1", "Rà soát thủ tục hành chính", "Sở Nội vụ phối hợp"],
        ["2", "Kiểm tra", "Sở Y tế"],
    ]


def test_table_continues_on_a_page_scanned_at_another_resolution() -> None:
    """A 150 dpi page among 300 dpi ones: column rules sit at other pixels but at the same places
    across the table, so the table continues there and its repeated header is dropped."""
    a = PageLayout(tables=[Table([["1", "Rà soát thủ tục", "Sở Nội vụ"]], HEADER, ncols=3)])
    a.tables[0].col_edges = [354, 510, 1550, 2302]
    a.blocks = [("table", 0)]
    b = PageLayout(
        tables=[Table([["2", "Kiểm tra", "Sở Y tế"]], ["TT", "Nội dung", "Đơn vị thực hiện"], ncols=3)]
    )
    b.tables[0].col_edges = [190, 274, 835, 1240]  # the same table at 54 % scale
    b.blocks = [("table", 0)]
    merged = merge_tables([a, b])
    assert len(merged) == 1 and [r[0] for r in merged[0].rows] == ["1", "2"]
    c = PageLayout(tables=[Table([["2", "Kiểm tra", "Sở Y tế"]], HEADER, ncols=3)])
    c.tables[0].col_edges = [190, 700, 900, 1240]  # other columns: another table
    c.blocks = [("table", 0)]
    assert len(merge_tables([a, c])) == 2


def test_rule_touched_by_a_stretched_box_or_two_is_kept() -> None:
    """OCR boxes stretched over a speck beside a column rule cross it in a row or two; only a streak
    runs through the words of most rows it spans."""
    from vnplans.layout.analyze import _drop_crossed_cuts
    from vnplans.layout.grids import Grid as _Grid
    from vnplans.ocr import OcrWord

    def word(text: str, x0: int, y0: int, x1: int, y1: int) -> OcrWord:
        return OcrWord(text, 0.9, x0, y0, x1, y1, 1, 1, 1)

    bands = [(100 + 100 * i, 200 + 100 * i) for i in range(9)]
    cuts = [300, 460, 1500, 2300]
    g = _Grid((300, 100, 2300, 1000), bands, cuts, [[True, True] for _ in bands], [cuts for _ in bands])
    words, where = [], []
    for i, (y0, _) in enumerate(bands):
        words += [
            word(str(i + 1), 370, y0 + 20, 390, y0 + 60),
            word("Tổ", 480, y0 + 20, 540, y0 + 60),
        ]
        where += [i, i]
    words += [word(".:Tổng", 440, 120, 600, 160), word("trên", 430, 730, 560, 770)]
    where += [0, 6]
    assert _drop_crossed_cuts(g, words, where).cuts == cuts  # two stretched boxes: still a rule
    streak = [word("Kiểm", 1400, y0 + 20, 1600, y0 + 60) for y0, _ in bands[:5]]
    kept = _drop_crossed_cuts(g, words + streak, where + list(range(5))).cuts
    assert kept == [300, 460, 2300]  # words run through it in most rows: a streak


def test_box_straddling_a_column_gap_does_not_hang() -> None:
    """A dust-widened word box reaching past the gap between two word groups: one line, no endless loop."""
    import signal

    from vnplans.ocr import OcrPage, OcrWord

    page = OcrPage(width=2400, height=1000)
    body = ["Căn", "cứ", "Luật", "Tổ", "chức", "Chính", "phủ", "ngày", "19", "tháng", "6", "năm", "2025"]
    for line in range(3):  # ordinary full-width lines first: the odd row is not the page header
        y = 100 + 80 * line
        page.words += [OcrWord(t, 0.9, 100 + 170 * i, y, 250 + 170 * i, y + 40, 1, 1, line + 1)
                       for i, t in enumerate(body)]  # fmt: skip
    page.words += [
        OcrWord("Hợp", 0.9, 680, 400, 776, 440, 1, 1, 4),
        OcrWord("mua", 0.9, 791, 400, 893, 440, 1, 1, 4),
        OcrWord("n", 0.3, 808, 380, 809, 384, 1, 1, 4),  # a speck read inside the box of `mua`
        OcrWord("bán", 0.9, 911, 400, 1013, 440, 1, 1, 4),
        OcrWord("hàng", 0.9, 1030, 400, 1132, 440, 1, 1, 4),
    ]
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(TimeoutError("layout loops")))
    signal.alarm(10)
    try:
        layout = analyze_layout(np.full((1000, 2400), 255, np.uint8), page)
    finally:
        signal.alarm(0)
    assert layout.to_text().split()[-5:] == ["Hợp", "mua", "n", "bán", "hàng"]


def test_layout_settings_are_used_and_default_to_todays_ratios() -> None:
    """Two header columns are found with the default ratios; asking for columns further apart than the
    page allows (`header_column_spread`) finds none, and the default instance changes nothing."""
    from vnplans.layout import DEFAULT_LAYOUT, LayoutSettings
    from vnplans.ocr import OcrPage, OcrWord

    page = OcrPage(width=2400, height=3000)
    left = [["ỦY", "BAN", "NHÂN", "DÂN"], ["TỈNH", "BẮC", "NINH"]]
    right = [["CỘNG", "HÒA", "XÃ", "HỘI"], ["Độc", "lập", "-", "Tự", "do"]]
    for line, (lw, rw) in enumerate(zip(left, right, strict=True)):
        y = 150 + 70 * line
        page.words += [OcrWord(t, 0.9, 200 + 130 * i, y, 310 + 130 * i, y + 45, 1, 1, line + 1)
                       for i, t in enumerate(lw)]  # fmt: skip
        page.words += [OcrWord(t, 0.9, 1300 + 130 * i, y, 1410 + 130 * i, y + 45, 2, 1, line + 1)
                       for i, t in enumerate(rw)]  # fmt: skip
    blank = np.full((3000, 2400), 255, np.uint8)
    lay = analyze_layout(blank, page)
    assert lay.header_left == ["ỦY BAN NHÂN DÂN", "TỈNH BẮC NINH"]
    assert lay.header_right == ["CỘNG HÒA XÃ HỘI", "Độc lập - Tự do"]
    assert analyze_layout(blank, page, settings=DEFAULT_LAYOUT).header_rows == lay.header_rows
    wide = analyze_layout(blank, page, settings=LayoutSettings(header_column_spread=0.9))
    assert not wide.header_left and not wide.header_right


def _row(words: list[tuple[str, int, int]], y: int, line: int, conf: dict[str, float] | None = None) -> list:
    """OcrWords of one printed row: (text, x0, x1) at height y."""
    from vnplans.ocr import OcrWord

    conf = conf or {}
    return [OcrWord(t, conf.get(t, 0.95), x0, y, x1, y + 38, 1, 1, line) for t, x0, x1 in words]


def test_doubted_short_word_inside_the_authority_stays() -> None:
    """`HỘI` OCR was unsure of, word-spaced from `QUỐC`, is part of the authority; the same doubt on a
    short word standing apart (the rule under the body read as `SỔ`) still drops it."""
    from vnplans.ocr import OcrPage

    page = OcrPage(width=1654, height=2339)
    page.words += _row([("ỦY", 173, 221), ("BAN", 231, 303), ("THƯỜNG", 313, 470), ("VỤ", 478, 523),
                        ("QUỐC", 539, 640), ("HỘI", 652, 718), ("CỘNG", 776, 881), ("HÒA", 892, 973),
                        ("XÃ", 981, 1032), ("HỘI", 1042, 1110), ("CHỦ", 1122, 1199), ("NGHĨA", 1210, 1331),
                        ("VIỆT", 1338, 1425), ("NAM", 1434, 1518)], 160, 1, {"HỘI": 0.32})  # fmt: skip
    page.words[9].conf = 0.96  # the motto's own HỘI was read surely
    page.words += _row([("SỔ", 400, 440), ("Độc", 909, 972), ("lập", 984, 1034), ("-", 1044, 1054),
                        ("Tự", 1064, 1100), ("do", 1110, 1150)], 212, 2, {"SỔ": 0.3})  # fmt: skip
    page.words += _row([("Số:", 240, 300), ("115/2025/UBTVQH15", 310, 700)], 300, 3)
    layout = analyze_layout(np.full((2339, 1654), 255, np.uint8), page)
    assert layout.header_left[0] == "ỦY BAN THƯỜNG VỤ QUỐC HỘI"
    assert "SỔ" not in " ".join(layout.header_left + layout.header_right)


def test_the_mottos_hyphens_are_no_flat_rule() -> None:
    """The motto's `-` is as flat as the short rule under the issuing body (3 px of a 34 px line on a
    clean 1-bit page) but narrow: it stays in the header line (`Độc lập - Tự do - Hạnh phúc`, not
    `Độc lập Tự do Hạnh phúc`); a wide flat word (the rule read as `—`) is still dropped. Word boxes
    as OCR gave them on a 1-bit rendering of a real resolution's header."""
    from vnplans.ocr import OcrPage

    page = OcrPage(width=1654, height=2339)
    page.words += _row([("ỦY", 173, 221), ("BAN", 231, 303), ("THƯỜNG", 313, 470), ("VỤ", 478, 523),
                        ("CỘNG", 776, 881), ("HÒA", 892, 973), ("XÃ", 981, 1032), ("HỘI", 1042, 1110),
                        ("CHỦ", 1122, 1199), ("NGHĨA", 1210, 1331), ("VIỆT", 1338, 1425), ("NAM", 1434, 1518)],
                       160, 1)  # fmt: skip
    motto = _row([("Độc", 909, 972), ("lập", 984, 1034), ("-", 1047, 1057), ("Tự", 1068, 1117),
                  ("do", 1128, 1166), ("-", 1179, 1189), ("Hạnh", 1201, 1292), ("phúc", 1303, 1385)],
                 212, 2)  # fmt: skip
    for w in motto:
        if w.text == "-":
            w.y0, w.y1 = w.y0 + 16, w.y0 + 19
    page.words += motto
    rule = _row([("—", 280, 420)], 215, 3)
    rule[0].y1 = rule[0].y0 + 3
    page.words += rule
    page.words += _row([("Số:", 240, 300), ("115/2025/UBTVQH15", 310, 700)], 300, 4)
    layout = analyze_layout(np.full((2339, 1654), 255, np.uint8), page)
    assert layout.header_right[-1] == "Độc lập - Tự do - Hạnh phúc"
    assert "—" not in " ".join(layout.header_left + layout.header_right)


def test_signature_beside_noi_nhan_at_a_page_top_is_no_header() -> None:
    """A last page starting with the closing block: Nơi nhận on the left, the signer on the right, is
    not read as the page's header (the name would be lost under it)."""
    from vnplans.ocr import OcrPage

    page = OcrPage(width=1654, height=2339)
    page.words += _row([("cho", 236, 290), ("phù", 300, 350), ("hợp./.", 360, 440)], 157, 1)
    page.words += _row([("Nơi", 235, 290), ("nhận:", 300, 375), ("KT.", 1148, 1206)], 244, 2)
    page.words += _row([("-", 236, 246), ("Như", 256, 310), ("trên;", 320, 371), ("BỘ", 939, 990),
                        ("TRƯỞNG", 1000, 1160), ("THỨ", 1190, 1260), ("TRƯỞNG", 1270, 1416)], 282, 3)  # fmt: skip
    page.words += _row([("-", 236, 246), ("Lưu:", 256, 310), ("VT.", 320, 365)], 322, 4)
    page.words += _row([("Đỗ", 1049, 1090), ("Thành", 1100, 1200), ("Trung", 1210, 1308)], 503, 5)
    layout = analyze_layout(np.full((2339, 1654), 255, np.uint8), page)
    assert layout.header_rows == []
    from vnplans.parse import parse_text

    assert parse_text(
        "CHÍNH PHỦ\nSố: 1/2025/TT-BYT\nTHÔNG TƯ\nVề việc\n" + layout.to_text()
    ).signature.name == ("Đỗ Thành Trung")


def _closing_block_top():
    """A page's body, then `Nơi nhận:` beside `KT.` with a speck (`°`) between them in the middle of
    the page, and the first recipient beside the signer's title: word boxes as OCR gave them on a
    1-bit rendering of a real decree's closing block."""
    from vnplans.ocr import OcrPage

    page = OcrPage(width=1654, height=2339)
    page.words += _body_lines(3, 1000, block=9)
    page.words += _row(
        [("Nơi", 236, 287), ("nhận:", 296, 376), ("°", 798, 815), ("KT.", 1150, 1206)], 1400, 1
    )
    page.words += _row([("-", 238, 246), ("Ban", 256, 304), ("Bí", 314, 340), ("thư,", 351, 391),
                        ("BỘ", 940, 990), ("TRƯỞNG", 1000, 1160)], 1440, 2)  # fmt: skip
    return page


def test_a_long_recipient_line_crossing_the_bound_stays_whole() -> None:
    """The block's bound comes from its first row's widest gap, here between `nhận:` and a speck
    (`°`) in the middle of the page: a long recipient below ran across it with a word space at the
    bound and lost its end to the signer's column (`- Thủ tướng Chính phủ; các` | `Phó TTCP;`). A
    word space is no gutter: the line stays whole, and the signer's words beyond the gutter still go
    right. Word boxes as OCR gave them on a 1-bit page of a real decree's closing block."""
    page = _closing_block_top()
    page.words += _row([("-", 237, 246), ("Thủ", 255, 304), ("tướng", 313, 385), ("Chính", 394, 466),
                        ("phủ;", 477, 529), ("các", 539, 579), ("Phó", 589, 635), ("TTCP;", 644, 725)],
                       1480, 3)  # fmt: skip
    page.words += _row([("-", 238, 246), ("Văn", 255, 305), ("phòng", 314, 391), ("Chính", 400, 470),
                        ("phủ,", 480, 540), ("Trần", 1031, 1105), ("Quốc", 1116, 1195)], 1520, 4)  # fmt: skip
    lines = analyze_layout(np.full((2339, 1654), 255, np.uint8), page).lines
    assert "- Thủ tướng Chính phủ; các Phó TTCP;" in lines
    assert "Trần Quốc" in lines and "- Văn phòng Chính phủ," in lines
    assert lines.index("Trần Quốc") < lines.index("Nơi nhận:")  # still the closing block, right first


def test_speck_marks_are_no_line_and_no_part_of_a_column() -> None:
    """Tesseract prints specks under a seal as spacing marks (`ˆ`, letters to Unicode) and tildes: such a
    row is no line, and a speck a column's width from the signer's `KT.` is no part of its line, nor a
    lone dash beside a recipient. Word boxes as OCR gave them on a 1-bit page of a real decree."""
    page = _closing_block_top()
    page.words += _row([("-", 237, 245), ("Văn", 255, 305), ("phòng", 314, 390), ("Quốc", 399, 465),
                        ("hội;", 474, 520), ("-", 1067, 1072)], 1480, 3)  # fmt: skip
    page.words += _row(
        [("~", 355, 365), ("ˆ", 472, 481), ("ˆ", 525, 534), ("~", 572, 589), ("°", 678, 687)], 1520, 4
    )
    page.words += _row([("-", 237, 246), ("Toà", 255, 299), ("án", 308, 336), ("nhân", 346, 404)], 1560, 5)
    lines = analyze_layout(np.full((2339, 1654), 255, np.uint8), page).lines
    assert "KT." in lines and "- Văn phòng Quốc hội;" in lines
    assert all(any(ch.isalpha() and ch != "ˆ" for ch in line) for line in lines)


def test_one_row_with_a_wide_gap_reads_left_to_right() -> None:
    """A form line whose dotted leaders were dropped (`(Kèm theo đơn (1) số ....... ngày tháng năm`)
    has a gap as wide as a column's, but one row is no two-column block: it keeps its order. A block
    of several such rows (signer beside Nơi nhận) still reads right column first."""
    from vnplans.ocr import OcrPage, OcrWord

    page = OcrPage(width=2400, height=1400)
    page.words += _body_lines(3, 100)
    left, right = ["(Kèm", "theo", "đơn", "(1)", "số"], ["ngày", "tháng", "năm", "của"]
    page.words += [
        OcrWord(t, 0.9, 100 + 130 * i, 500, 220 + 130 * i, 540, 2, 1, 1) for i, t in enumerate(left)
    ]
    page.words += [
        OcrWord(t, 0.9, 1300 + 130 * i, 500, 1420 + 130 * i, 540, 2, 1, 1) for i, t in enumerate(right)
    ]
    page.words += _body_lines(1, 700, block=5)
    for n, (a, b) in enumerate([("Nơi", "KT."), ("-", "THỨ"), ("-", "Nguyễn")]):
        y = 900 + 80 * n
        page.words += [OcrWord(a, 0.9, 100, y, 220, y + 40, 3, 1, n + 1),
                       OcrWord(b, 0.9, 1500, y, 1650, y + 40, 4, 1, n + 1)]  # fmt: skip
    lines = analyze_layout(np.full((1400, 2400), 255, np.uint8), page).lines
    assert "(Kèm theo đơn (1) số ngày tháng năm của" in lines
    assert lines[-6:] == ["KT.", "THỨ", "Nguyễn", "Nơi", "-", "-"]


def test_a_receipt_stamp_line_inside_the_header_does_not_end_it() -> None:
    """A receipt stamp beside the date line (`VĂN PHÒNG CHÍNH PHỦ` over `CÔNG VĂN ĐẾN`) stands right
    of the right column's centre: the header reads on to the number and date row, the stamp's line is
    kept as text after the header, never a header field."""
    from vnplans.ocr import OcrPage, OcrWord

    page = OcrPage(width=1667, height=2400)

    def row(words: list[str], x0: int, y: int, block: int, line: int, step: int = 110) -> list[OcrWord]:
        return [OcrWord(t, 0.95, x0 + step * i, y, x0 + step * i + 95, y + 35, block, 1, line)
                for i, t in enumerate(words)]  # fmt: skip

    page.words += row(["BỘ", "CÔNG", "THƯƠNG"], 240, 210, 1, 1) + row(
        ["CỘNG", "HÒA", "XÃ", "HỘI", "CHỦ", "NGHĨA"], 670, 210, 2, 1, 140
    )
    page.words += row(["Độc", "lập", "-", "Tự", "do", "-", "Hạnh", "phúc"], 820, 260, 2, 2, 62)
    page.words += [OcrWord("—m————", 0.4, 325, 262, 505, 297, 1, 1, 2)]  # the rule under the body
    page.words += row(["VĂN", "PHÒNG", "CHÍNH", "PHỦ"], 1210, 316, 3, 1, 95)
    page.words += row(["Số:", "21/2026/TT-BCT"], 240, 370, 4, 1) + row(
        ["Hà", "Nội,", "ngày", "28"], 917, 370, 4, 1
    )
    for n in range(4):
        page.words += row(
            ["Căn", "cứ", "Luật", "Tổ", "chức", "Chính", "phủ", "ngày", "19", "tháng"],
            210,
            700 + 60 * n,
            5,
            n + 1,
            130,
        )
    lay = analyze_layout(np.full((2400, 1667), 255, np.uint8), page)
    assert lay.header_left == ["BỘ CÔNG THƯƠNG", "Số: 21/2026/TT-BCT"]
    assert "Hà Nội, ngày 28" in lay.header_right
    assert not any("PHÒNG" in r for r in lay.header_right)
    assert "VĂN PHÒNG CHÍNH PHỦ" in lay.to_text() and "—" not in lay.to_text()


def test_a_recipient_beside_the_signer_name_reads_name_first() -> None:
    """Below the signature the last recipient (`- Lưu: VT.`) shares a row with the signer's name: that
    one row is still the signature block, right column first."""
    from vnplans.ocr import OcrPage, OcrWord

    page = OcrPage(width=2400, height=1400)
    page.words += _body_lines(4, 100)
    page.words += [
        OcrWord(t, 0.9, 100 + 130 * i, 900, 220 + 130 * i, 940, 2, 1, 1)
        for i, t in enumerate(["-", "Lưu:", "VT."])
    ]
    page.words += [
        OcrWord(t, 0.9, 1500 + 160 * i, 900, 1640 + 160 * i, 940, 3, 1, 1)
        for i, t in enumerate(["Bùi", "Thị", "Khải"])
    ]
    lines = analyze_layout(np.full((1400, 2400), 255, np.uint8), page).lines
    assert lines[-2:] == ["Bùi Thị Khải", "- Lưu: VT."]


def test_a_hole_through_two_body_rows_is_no_column_block() -> None:
    """A seal or streak cleaned out of the middle of two body lines leaves a column-wide gap in both:
    they read on row by row. Only the closing block (a signing mode on the right, recipients on the
    left) reads right column first."""
    from vnplans.ocr import OcrPage, OcrWord

    page = OcrPage(width=2400, height=3400)
    page.words += _body_lines(4, 1100)
    holed = [
        (["quy", "định", "tại"], ["tổ", "chức,", "cá", "nhân"]),
        (["xuất", "trong", "nước"], ["như", "sau:"]),
    ]
    for n, (a, b) in enumerate(holed):
        y = 1500 + 80 * n
        page.words += [
            OcrWord(t, 0.9, 100 + 150 * i, y, 230 + 150 * i, y + 40, 2, 1, n + 1) for i, t in enumerate(a)
        ]
        page.words += [
            OcrWord(t, 0.9, 1600 + 150 * i, y, 1730 + 150 * i, y + 40, 2, 1, n + 1) for i, t in enumerate(b)
        ]
    lines = analyze_layout(np.full((3400, 2400), 255, np.uint8), page).lines
    assert lines[-2:] == ["quy định tại tổ chức, cá nhân", "xuất trong nước như sau:"]


def test_a_table_of_labels_and_values_at_a_page_top_reads_row_by_row() -> None:
    """Two columns near the top whose rows pair up (`Số hiệu` beside `28/2026/TT-BXD`, an unruled
    table of a document's particulars) read across, label then value; a stamp's lines beside a title,
    on rows of their own, still read apart (stamp first, then the title)."""
    from vnplans.ocr import OcrPage, OcrWord

    page = OcrPage(width=2400, height=3400)
    page.words += _body_lines(2, 100)
    pairs = [("Thuộc tính", "Nội dung"), ("Số hiệu", "28/2026/TT-BXD"), ("Loại văn bản", "Thông tư"),
             ("Nguồn", "vanban.chinhphu.vn"), ("TÓM TẮT", "")]  # fmt: skip
    for n, (a, b) in enumerate(pairs):
        y = 400 + 60 * n
        page.words += [OcrWord(t, 0.9, 100 + 170 * i, y, 250 + 170 * i, y + 40, 3, 1, n + 1)
                       for i, t in enumerate(a.split())]  # fmt: skip
        page.words += [OcrWord(t, 0.9, 1300 + 170 * i, y, 1450 + 170 * i, y + 40, 4, 1, n + 1)
                       for i, t in enumerate(b.split())]  # fmt: skip
    lines = analyze_layout(np.full((3400, 2400), 255, np.uint8), page).lines
    assert lines[2:5] == ["Thuộc tính Nội dung", "Số hiệu 28/2026/TT-BXD", "Loại văn bản Thông tư"]

    stamped = OcrPage(width=2400, height=3400)
    stamped.words += _body_lines(2, 100)
    stamped.words += [
        OcrWord("KẾ", 0.9, 600, 500, 700, 540, 3, 1, 1),
        OcrWord("HOẠCH", 0.9, 720, 500, 900, 540, 3, 1, 1),
    ]
    for n, t in enumerate(["ĐẾN", "Số:", "Ngày:"]):
        stamped.words.append(OcrWord(t, 0.9, 1700, 450 + 50 * n, 1850, 490 + 50 * n, 4, 1, n + 1))
    lines = analyze_layout(np.full((3400, 2400), 255, np.uint8), stamped).lines
    assert lines.index("Ngày:") < lines.index("KẾ HOẠCH")


def _body_lines(n: int, y0: int, block: int = 1) -> list:
    """n full-width lines of body text from y0, 80 px apart: what a page holds around the odd rows."""
    from vnplans.ocr import OcrWord

    body = ["Căn", "cứ", "Luật", "Tổ", "chức", "Chính", "phủ", "ngày", "19", "tháng", "6", "năm", "2025"]
    return [
        OcrWord(t, 0.9, 100 + 170 * i, y0 + 80 * line, 250 + 170 * i, y0 + 80 * line + 40, block, 1, line + 1)
        for line in range(n)
        for i, t in enumerate(body)
    ]


def test_a_top_rule_faded_at_one_end_still_opens_the_table() -> None:
    """On a 1-bit scan a table's top rule lost 60 px at its right end, a dashed rule a piece at its
    left: they are still the table's (within its span, over 60 % of it), so the header row is inside
    the grid; a short rule under it is not."""
    from vnplans.layout.grids import _same_table

    w, h = 1653, 2339
    assert _same_table((156, 238, 1484), (220, 238, 1542), w, h)
    assert _same_table((220, 238, 1542), (376, 240, 1542), w, h)
    assert not _same_table((156, 238, 1484), (220, 900, 1500), w, h)  # under half of it
    assert not _same_table((156, 238, 900), (220, 238, 1542), w, h)  # one end, far shorter
    assert _same_table((396, 238, 1538), (704, 406, 1528), w, h)  # a dashed rule lost its left piece
    assert not _same_table((156, 238, 1542), (156 + h // 3, 238, 1542), w, h)  # far below


def test_a_word_of_dots_on_a_dotted_rule_is_a_leader_and_kept() -> None:
    """The rule finder sees a dotted leader as a rule; the `...........` Tesseract read on it is what
    the page prints (a form's blank), not a misread rule like `|` or `—`, which still go."""
    from vnplans.ocr import OcrPage, OcrWord

    page = OcrPage(width=2400, height=1400)
    page.words += _body_lines(3, 100)
    row = [
        ("THÁNG", 700, 830),
        ("...", 842, 866),
        ("NĂM", 878, 960),
        ("...........", 972, 1060),
        ("—", 1080, 1200),
    ]
    page.words += [OcrWord(t, 0.9, x0, 500, x1, 540, 2, 1, 1) for t, x0, x1 in row]
    hor = np.zeros((1400, 2400), np.uint8)
    hor[520:540, 972:1200] = 255  # the rule finder's mask under the leader and the dash
    lines = analyze_layout(np.full((1400, 2400), 255, np.uint8), page, rules=(hor, hor * 0)).lines
    assert "THÁNG ... NĂM ..........." in lines


def test_a_dash_between_words_of_a_cell_is_kept_and_a_trailing_one_dropped() -> None:
    """`Giáo dục — Giáo dục đại học` in a cell lost its dash as noise near the rules; a `—` that ends
    or opens the cell's row is still taken for a piece of rule."""
    from vnplans.layout.analyze import _join_lines
    from vnplans.ocr import OcrWord

    def word(text: str, x0: int) -> OcrWord:
        return OcrWord(text, 0.9, x0, 100, x0 + 40, 130, 1, 1, 1)

    texts = ["Giáo", "dục", "—", "Giáo", "dục"]
    assert _join_lines([word(t, 50 * k) for k, t in enumerate(texts)]) == "Giáo dục — Giáo dục"
    assert _join_lines([word(t, 50 * k) for k, t in enumerate(["—", "Giáo", "dục", "—"])]) == "Giáo dục"


def _page_of(rows: list[tuple[int, list[tuple[str, int, int]]]]):
    """An OcrPage of A4 at 200 dpi holding the given rows (y, words), one line each."""
    from vnplans.ocr import OcrPage

    page = OcrPage(width=1653, height=2339)
    for n, (y, words) in enumerate(rows, 1):
        page.words += _row(words, y, n)
    return page


def test_a_speck_beside_a_body_line_opens_no_two_column_block() -> None:
    """A seal's arc read as a backtick and a tilde beside the last body line (`Điều 2. Điều khoản thi
    hành`) made that row a two-column block's first: the body line went to the recipients' column and
    printed after the signer. Two letters or digits make a column's line; the block opens at `Nơi
    nhận:` beside `TM. CHÍNH PHỦ` (a `+` between them is no column either). Word boxes as OCR gave
    them on a 1-bit first page of a real decree with a seal over the signer."""
    page = _page_of([
        (742, [("1.", 339, 361), ("Sửa", 373, 426), ("đổi,", 437, 490), ("bổ", 501, 536), ("sung", 546, 613)]),
        (800, [("Điều", 337, 405), ("2.", 415, 440), ("Điều", 451, 520), ("khoản", 531, 617), ("thi", 627, 663),
               ("hành", 674, 743), ("`", 951, 1110), ("~", 1145, 1189)]),
        (880, [("Nơi", 236, 288), ("nhận:", 295, 377), ("+", 887, 932), ("TM.", 1036, 1102), ("CHÍNH", 1119, 1231),
               ("PHỦ", 1249, 1322)]),
        (930, [("-", 236, 245), ("Như", 255, 309), ("trên;", 316, 370)]),
        (969, [("-", 237, 245), ("Lưu:", 255, 311), ("VT.", 320, 365), ("THỦ", 904, 986), ("TƯỚNG", 995, 1130)]),
        (1190, [("Phạm", 1015, 1104), ("Thị", 1113, 1167), ("Thanh", 1175, 1277), ("Trà", 1285, 1341)]),
    ])  # fmt: skip
    lines = analyze_layout(np.full((2339, 1653), 255, np.uint8), page).lines
    body = next(i for i, x in enumerate(lines) if x.startswith("Điều 2. Điều khoản thi hành"))
    assert body < lines.index("TM. CHÍNH PHỦ") < lines.index("Nơi nhận:")
    assert lines.index("Phạm Thị Thanh Trà") < lines.index("Nơi nhận:") < lines.index("- Lưu: VT.")


def test_recipient_lines_may_run_past_the_first_rows_gap() -> None:
    """The block's bound lies mid-gap of its first row (`Nơi nhận:` | `TM. CHÍNH PHỦ`, 706 px), and
    recipient lines run past it (`- Thủ tướng, các Phó Thủ tướng Chính` to 711 px): such a line ended
    the block, and the signer's title and name below it printed among the recipients. A line of the
    left column may run up to where the right column's text starts; one that runs on past it (a body
    line across the page) still ends the block. Word boxes from a 1-bit first page of a real decree."""
    page = _page_of([
        (993, [("Nơi", 235, 286), ("nhận:", 295, 376), ("TM.", 1036, 1101), ("CHÍNH", 1113, 1233), ("PHỦ", 1243, 1317)]),
        (1043, [("-", 237, 245), ("Ban", 255, 301), ("Bí", 312, 338), ("thư", 348, 388), ("Đảng;", 548, 620),
                ("KT.", 1149, 1205)]),
        (1082, [("-", 237, 245), ("Thủ", 253, 301), ("tướng,", 311, 388), ("các", 399, 437), ("Phó", 447, 492),
                ("Thủ", 501, 549), ("tướng", 559, 629), ("Chính", 639, 711), ("THỦ", 909, 986), ("TƯỚNG", 996, 1129)]),
        (1108, [("phủ;", 237, 288)]),
        (1237, [("-", 237, 245), ("HĐND,", 256, 349), ("UBND", 360, 444), ("các", 454, 492), ("tỉnh,", 502, 555),
                ("thành", 565, 631), ("phố", 641, 685), ("trực", 695, 742)]),
        (1314, [("-", 238, 246), ("Văn", 255, 304), ("phòng", 314, 389), ("Lê", 1060, 1098), ("Thành", 1108, 1208),
                ("Long", 1220, 1298)]),
        (1500, [("Căn", 237, 290), ("cứ", 300, 330), ("Luật", 340, 400), ("Tổ", 410, 440), ("chức", 450, 520),
                ("Chính", 530, 600), ("phủ", 610, 660), ("ngày", 670, 740), ("19", 750, 780), ("tháng", 790, 870),
                ("6", 880, 895), ("năm", 905, 970), ("2025", 980, 1050), ("và", 1060, 1090), ("Luật", 1100, 1160)]),
    ])  # fmt: skip
    lines = analyze_layout(np.full((2339, 1653), 255, np.uint8), page).lines
    signer = ["TM. CHÍNH PHỦ", "KT.", "THỦ TƯỚNG", "Lê Thành Long"]
    assert all(x in lines for x in signer)
    assert max(lines.index(x) for x in signer) < lines.index("Nơi nhận:")
    assert (
        "- Thủ tướng, các Phó Thủ tướng Chính" in lines and "- HĐND, UBND các tỉnh, thành phố trực" in lines
    )
    assert lines[-1].startswith("Căn cứ Luật") and lines[-1].endswith(
        "và Luật"
    )  # across the page: after the block


def test_the_closing_block_is_no_table_without_rules() -> None:
    """A recipient whose word box Tesseract drew round its dash alone (`-Như` 8 px wide, `trên;` 70 px
    on) gave its row three columns, and with the signer's rows beside it the closing block passed for
    a table without rules (`Nơi nhận: -Như | trên; |`). A row holding `Nơi nhận` or a signing mode
    (`KT.`, `TM.`) opens or continues no such table. Word boxes from a 1-bit page of a real decree."""
    page = _page_of([
        (1494, [("Nơi", 236, 286), ("nhận:", 295, 376), ("TM.", 1036, 1101), ("CHÍNH", 1113, 1232), ("PHỦ", 1243, 1316)]),
        (1544, [("-Như", 236, 244), ("trên;", 315, 368), ("KT.", 1034, 1089), ("THỦ", 1100, 1175), ("TƯỚNG", 1186, 1319)]),
        (1583, [("-", 236, 244), ("Lưu:", 255, 309), ("VT.", 320, 362), ("PHÓ", 1024, 1099), ("THỦ", 1109, 1185),
                ("TƯỚNG", 1196, 1328)]),
        (1806, [("Trần", 1064, 1137), ("Hồng", 1150, 1232), ("Hà", 1243, 1286)]),
    ])  # fmt: skip
    layout = analyze_layout(np.full((2339, 1653), 255, np.uint8), page)
    assert layout.tables == []
    assert layout.lines.index("Trần Hồng Hà") < layout.lines.index("Nơi nhận:")
    assert "KT. THỦ TƯỚNG" in layout.lines and "- Lưu: VT." in layout.lines
