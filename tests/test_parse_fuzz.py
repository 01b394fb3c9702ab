"""Never-crash properties: any text, and generated plans damaged in random ways, still give records."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vnplans.parse import parse_text
from vnplans.synth.plans import generate_plan, ocr_order_text

_ALPHABET = st.characters(codec="utf-8", exclude_categories=("Cs",))
_PIECES = st.sampled_from(
    ["QUÝ I", "QUÝI", "TT", "Nội dung", "Đơn vị thực hiện", "|", "\n", "\n\n", "1", "12", "Sở Y tế chủ trì",
     "phối hợp với", "(tháng 13/2023)", "(", ")", "Số: /KH-", "ngày 31 tháng 2 năm 2023", "TM.", "KT.",
     "Nơi nhận:", "- ", "I.", "a)", "Điều 9.", "2023-99-99T99:99:99+0700", "<a@b>", "đã ký lên văn bản này!",
     "Căn cứ Luật", "Nghị định số 1/", "CỘNG HÒA XÃ HỘI", "KẾ HOẠCH", "\f"]
)  # fmt: skip


def _ok(rec):
    assert rec is not None
    assert not [w for w in rec.quality.warnings if w.code == "internal_error"], rec.quality.warnings
    rec.model_dump_json()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=_ALPHABET, max_size=400))
def test_random_text(text):
    _ok(parse_text(text))


@settings(max_examples=120, deadline=None)
@given(st.lists(_PIECES | st.text(max_size=8), max_size=80).map(" ".join))
def test_keyword_soup(text):
    _ok(parse_text(text))


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), st.data())
def test_mutated_plans(seed, data):
    doc = generate_plan(seed)
    text = ocr_order_text(doc, seed) if seed % 2 else doc.to_text()
    lines = text.split("\n")
    for _ in range(data.draw(st.integers(0, 12))):
        i = data.draw(st.integers(0, len(lines) - 1))
        op = data.draw(st.sampled_from(["drop", "dup", "cut", "swap", "junk"]))
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "cut":
            lines[i] = lines[i][: data.draw(st.integers(0, max(0, len(lines[i]))))]
        elif op == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        else:
            lines[i] = data.draw(st.text(max_size=20)) + lines[i]
        if not lines:
            lines = [""]
    rec = parse_text("\n".join(lines))
    _ok(rec)
    assert rec.text.count("\n") >= len(lines) - 1 - "\n".join(lines).count("\r")
