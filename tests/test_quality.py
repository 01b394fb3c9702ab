"""Quality detector: each kind on generated lines and pages, mixed pages, never-crash."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from vnplans.text.legacy import encode_legacy
from vnplans.text.quality import KINDS, assess, assess_lines, is_skeleton, simulate_garble
from vnplans.text.syllable import fold

CLEAN = [
    "Ủy ban nhân dân tỉnh ban hành kế hoạch thực hiện nhiệm vụ năm tới.",
    "Các sở, ngành phối hợp với địa phương triển khai đồng bộ những giải pháp đã đề ra.",
    "Giao Sở Tài chính chủ trì, hướng dẫn việc quản lý và sử dụng kinh phí đúng quy định.",
    "Tổ chức kiểm tra, đánh giá kết quả thực hiện và báo cáo định kỳ hằng quý.",
    "Đẩy mạnh phong trào thi đua yêu nước, lập thành tích chào mừng các ngày lễ lớn.",
    "Người đứng đầu cơ quan chịu trách nhiệm trước pháp luật về quyết định của mình.",
]
ENGLISH = [
    "The committee shall review the annual report and submit its findings to the board.",
    "This function returns the number of items that were processed without errors.",
]


def test_clean_and_stripped_lines():
    for line in CLEAN:
        assert assess(line).kind == "clean", line
        assert assess(fold(line)).kind == "stripped", line


def test_legacy_lines():
    for line in CLEAN:
        assert assess(encode_legacy(line, "tcvn3")).kind == "legacy-tcvn3"
        assert assess(encode_legacy(line, "vni")).kind == "legacy-vni"
    assert assess(CLEAN[0], legacy=False).scores["legacy-tcvn3"] == 0


def test_garbled_page_and_signals():
    rng = random.Random(7)
    page = "\n".join(simulate_garble(line, rng) for line in CLEAN)
    assert assess(page).kind == "garbled"
    assert assess("H6i ddng nhan dan quyet dinh vé két qua nhiém vu 14p thanh tich").kind == "garbled"


def test_other_languages_and_empty():
    for line in ENGLISH:
        assert assess(line).kind == "not-vietnamese"
    assert assess("Настоящий план утверждается постановлением").kind == "not-vietnamese"
    assert assess("本计划由人民委员会批准实施").kind == "not-vietnamese"
    for empty in ("", "   ", "-----", "12/2023", "\n\n"):
        rep = assess(empty)
        assert rep.kind == "empty" and rep.score == 1.0


def test_mixed_page_by_lines():
    rng = random.Random(3)
    page = "\n".join([simulate_garble(CLEAN[1], rng), simulate_garble(CLEAN[2], rng), "", CLEAN[5]])
    reps = assess_lines(page)
    assert len(reps) == 4
    assert reps[2].kind == "empty" and reps[3].kind == "clean"


def test_skeletons():
    assert is_skeleton("truong") and is_skeleton("nghieng") and is_skeleton("duoc")
    assert not is_skeleton("ndm") and not is_skeleton("thw") and not is_skeleton("strong")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_never_crashes(text):
    rep = assess(text)
    assert rep.kind in KINDS
    assert 0.0 <= rep.score <= 1.0
    assert set(rep.scores) == set(KINDS)
    assert len(assess_lines(text)) == text.count("\n") + 1


def test_roman_numerals_and_minority_place_names_are_no_evidence_of_garble():
    """A clean plan's `QUÝ III` and `Kon Tum` lines were sent to the repairer, which rewrote them."""
    from vnplans.text.auto import fix_text

    lines = [
        "QUÝ III",
        "Số: 259/KH-SVHTTDL    Kon Tum, ngày 14 tháng 4 năm 2021",
        "Huyện Krông Pắc, tỉnh Đắk Lắk tổ chức hội nghị",
    ]
    for line in lines:
        assert assess(line).kind == "clean", line
        assert fix_text(line).text == line
    assert assess("Kon tum mot hai ba").kind != "clean"  # lower-case or plain: still evidence
