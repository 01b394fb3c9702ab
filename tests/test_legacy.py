"""Legacy font encodings: complete tables, round trips, detection, never-crash."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from vnplans.text.legacy import (
    LEGACY_ENCODINGS,
    convert_legacy,
    convert_legacy_mapped,
    decode_legacy_bytes,
    detect_legacy,
    encode_legacy,
    encode_legacy_bytes,
    guess_legacy,
)
from vnplans.text.syllable import is_vietnamese_letter

VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
LOWER = sorted({unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES} - set("aeiouy") | {"đ"})
ALL_LETTERS = LOWER + [c.upper() for c in LOWER]

PHRASES = [
    "Ủy ban nhân dân tỉnh ban hành kế hoạch thực hiện nhiệm vụ năm tới.",
    "Các sở, ngành phối hợp với địa phương triển khai đồng bộ những giải pháp đã đề ra.",
    "Giao Sở Tài chính chủ trì, hướng dẫn việc quản lý và sử dụng kinh phí đúng quy định.",
    "QUYẾT ĐỊNH VỀ VIỆC THÀNH LẬP HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG",
]


def test_tables_cover_all_134_letters():
    assert len(ALL_LETTERS) == 134
    assert all(is_vietnamese_letter(c) for c in ALL_LETTERS)
    for c in ALL_LETTERS:
        assert convert_legacy(encode_legacy(c, "vni"), "vni") == c
        word = "ba N" + c + "n"  # VN1 capitals sit in cp1252 punctuation slots: decoded inside words
        assert convert_legacy(encode_legacy(word, "tcvn3", upper="vn1"), "tcvn3") == word
    for c in LOWER:  # mid-sentence: a text-initial toned vowel is taken for a capital
        assert convert_legacy(encode_legacy("ba " + c, "tcvn3"), "tcvn3") == "ba " + c
        assert len(encode_legacy(c, "tcvn3")) == 1  # one byte per letter


def test_tcvn3_capitals_follow_the_word_and_line():
    # .VnTimeH capitals share the lower-case codes: an all-caps word or line decides the case.
    for c in LOWER:
        word = "TH" + c.upper() + "N"
        assert convert_legacy(encode_legacy(word, "tcvn3"), "tcvn3") == word
    line = "KẾ HOẠCH TỔ CHỨC HỘI NGHỊ Ở ĐỊA PHƯƠNG"
    assert convert_legacy(encode_legacy(line, "tcvn3"), "tcvn3") == line
    assert convert_legacy(encode_legacy("Ủy ban nhân dân", "tcvn3"), "tcvn3") == "Ủy ban nhân dân"
    assert convert_legacy(encode_legacy("Điều 3. Ông Lê", "tcvn3"), "tcvn3") == "Điều 3. Ông Lê"


def test_known_mis_decoded_forms():
    assert convert_legacy("Uû ban nh©n d©n", "tcvn3") == "Uỷ ban nhân dân"
    assert convert_legacy("UÛy ban nhaân daân", "vni") == "Ủy ban nhân dân"
    assert (
        convert_legacy("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "tcvn3") == "Cộng hoà xã hội chủ nghĩa Việt Nam"
    )


def test_round_trip_phrases_strings_and_bytes():
    for enc in LEGACY_ENCODINGS:
        for p in PHRASES:
            assert convert_legacy(encode_legacy(p, enc), enc) == p
            assert decode_legacy_bytes(encode_legacy_bytes(p, enc), enc) == p


def test_detection_and_no_false_positives():
    for enc in LEGACY_ENCODINGS:
        assert detect_legacy(encode_legacy(" ".join(PHRASES), enc)) == enc
    for clean in PHRASES + ["Uy ban nhan dan tinh", "© 2024 Công ty Cổ phần", "café, résumé, naïve"]:
        assert detect_legacy(clean) is None
    g = guess_legacy(encode_legacy(PHRASES[1], "vni"))
    assert g.scores["vni"] > g.scores["tcvn3"] and 0 < g.score <= 1


def test_quotes_and_dashes_survive_tcvn3():
    text = encode_legacy("“Hội nghị” – năm nay", "tcvn3")
    assert convert_legacy(text, "tcvn3") == "“Hội nghị” – năm nay"


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_never_crashes_and_map_is_consistent(text):
    for enc in LEGACY_ENCODINGS:
        out, src = convert_legacy_mapped(text, enc)
        assert out == unicodedata.normalize("NFC", out)
        assert len(src) == len(out)
        assert all(0 <= s < len(text) for s in src)
        assert src == sorted(src)
    assert detect_legacy(text) in (None, *LEGACY_ENCODINGS)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(LOWER + list("bcdghklmnpqrstvx ")), min_size=1, max_size=30))
def test_round_trip_lower_case_letters(chars):
    text = "ba " + "".join(chars)
    for enc in LEGACY_ENCODINGS:
        assert convert_legacy(encode_legacy(text, enc), enc) == text
