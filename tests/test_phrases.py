"""The national name and motto pinned to their official words, and nothing else."""

from __future__ import annotations

from vnplans.text.phrases import phrase_pins
from vnplans.text.repair import repair
from vnplans.text.tokens import tokenize


def _pinned(text: str) -> list[str]:
    tokens = tokenize(text)
    return [tokens[i].text for i in sorted(phrase_pins(tokens))]


def test_the_whole_phrase_on_one_line_is_pinned_beside_other_header_text() -> None:
    assert _pinned("THANH PHO CAN THO Péc lap - Tw do - Hanh phic") == [
        "Péc",
        "lap",
        "Tw",
        "do",
        "Hanh",
        "phic",
    ]
    got = repair("UBND TINH C0NG H0A XA H6I CHU NGHIA VIET NAM\nSo: 12/KH-UBND")
    assert got.splitlines()[0].endswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")


def test_parts_look_alikes_and_broken_lines_are_not_the_phrase() -> None:
    assert _pinned("bảo vệ độc lập, tự do của Tổ quốc") == []  # a comma breaks the run
    assert _pinned("Độc lập - Tự do\nHạnh phúc") == []  # split over two lines
    assert _pinned("Độc lập - Tự chủ - Hạnh phúc") == []  # one word too far from the official
    assert _pinned("Dân chủ - Tự do - Hạnh phúc") == []  # two words of the first pair changed


def test_the_page_keeps_its_own_tone_placement_and_punctuation() -> None:
    assert repair("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM") == "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert repair("Độc lập – Tự đo – Hạnh phủc", profile="vie") == "Độc lập – Tự do – Hạnh phúc"


def test_the_number_label_only_before_a_number_with_its_symbol() -> None:
    from vnplans.text.phrases import label_pins

    def pinned(text: str) -> list[str]:
        tokens = tokenize(text)
        return [tokens[i].text for i in label_pins(tokens)]

    assert pinned("Sb: 244 /KH-UBND Can Tho") == ["Sb"]
    assert pinned("UBND TINH\nS6: 12/2024/QĐ-UBND") == ["S6"]
    assert pinned("Sb: 12 người") == pinned("Sa: xem phụ lục") == pinned("Sau: 12/KH") == []
    assert pinned("Sở: 12/KH-UBND") == ["Sở"]  # the label position: OCR swapped the marks of `Số`
    assert repair("Sb: 244 /KH-UBND Can Tho").startswith("Số: 244 /KH-UBND")


def test_a_speck_before_the_motto_is_dropped_but_a_real_quote_stays() -> None:
    from vnplans.text.phrases import phrase_specks

    def dropped(text: str) -> list[str]:
        tokens = tokenize(text)
        return [tokens[i].text for i in phrase_specks(tokens)]

    assert dropped("VIỆT NAM\n——————— “Độc lập - Tự do - Hạnh phúc\n") == ["“"]
    assert dropped("khẩu hiệu\n“Độc lập - Tự do - Hạnh phúc”\n") == []  # quoted: the quote closes
    assert dropped("theo “Độc lập - Tự do - Hạnh phúc") == []  # not where the header prints it
    assert repair("VIỆT NAM\n——————— “Độc lập - Tự do - Hạnh phúc\n", profile="vie").endswith(
        "——————— Độc lập - Tự do - Hạnh phúc\n"
    )


def test_a_department_named_by_its_initials_is_a_so_only_where_clean_text_has_one() -> None:
    from vnplans.text.phrases import office_pins
    from vnplans.text.restorer import restore

    def pinned(text: str) -> list[str]:
        toks = tokenize(text)
        return [toks[i].text for i in office_pins(toks)]

    assert pinned("gửi các Số VHTTDL, Số VHTT và") == ["Số", "Số"]  # mid-line before an abbreviation
    assert pinned("Nơi nhận:\n- Như trên;\n- Số KH&CN các tỉnh;\n- Lưu: VT.") == ["Số"]
    # line starts outside the list: a table head, a form's field; after `Lưu:` the list is over
    assert pinned("Số TT\n- Số CCCD hoặc hộ chiếu") == []
    assert pinned("Nơi nhận:\n- Lưu: VT.\n- Số CCCD hoặc hộ chiếu") == []
    assert pinned("theo số QCVN 01") == []  # small letters: a number, as clean text writes it
    # a list flattened into a markdown cell, as the corpus's web pages print it
    assert pinned("| *Nơi nhận:* - Bộ trưởng; - So NN&MT các tỉnh; - Lưu: VT. | KT. BỘ TRƯỞNG |") == ["So"]
    assert pinned("| So TT | Nội dung |") == []
    assert restore("cac So VHTTDL, So VHTT") == "các Sở VHTTDL, Sở VHTT"
