import datetime as dt
from pathlib import Path

import pytest

from vnplans.parse import parse_text
from vnplans.synth.plans import generate_plan, ocr_order_text

FIXTURES = Path(__file__).parent / "fixtures" / "parse"


def _check(rec, exp):
    h = rec.header.model_dump(mode="json")
    assert {k: h[k] for k in exp["header"]} == exp["header"]
    got = [t.model_dump(mode="json") for t in rec.tasks]
    assert len(got) == len(exp["tasks"])
    for g, w in zip(got, exp["tasks"], strict=True):
        assert {k: g[k] for k in w} == w
    assert rec.recipients == exp["recipients"]
    assert rec.signature.name == exp["signature"]["name"]
    assert rec.signature.modes == exp["signature"]["modes"]
    assert rec.signature.titles == exp["signature"]["titles"]
    cited = [c.model_dump(mode="json") for b in rec.legal_bases for c in b.cited]
    want = [c for b in exp["legal_bases"] for c in b["cited"]]
    assert [{k: c[k] for k in w} for c, w in zip(cited, want, strict=True)] == want
    assert [s.label for s in rec.sections] == exp["sections"]


@pytest.mark.parametrize("seed", [1, 2, 7, 11, 23])
def test_generated_plan_clean_text(seed):
    doc = generate_plan(seed)
    rec = parse_text(doc.to_text(), name=f"g{seed}")
    _check(rec, doc.expected)
    assert not [w for w in rec.quality.warnings if w.code in ("internal_error", "tt_not_contiguous")]


@pytest.mark.parametrize("seed", [3, 5, 8, 13, 21])
def test_generated_plan_ocr_reading_order(seed):
    doc = generate_plan(seed)
    _check(parse_text(ocr_order_text(doc, seed)), doc.expected)


def test_generator_is_varied_and_coherent():
    docs = [generate_plan(s) for s in range(30)]
    assert len({d.expected["header"]["place"] for d in docs}) > 8
    assert any(d.expected["header"]["issued_date"] is None for d in docs)
    assert {d.expected["signature"]["modes"][0] for d in docs if d.expected["signature"]["modes"]} >= {
        "TM",
        "KT",
    }
    for d in docs:
        n = len(d.expected["tasks"])
        assert 8 <= n <= 40
        assert d.expected["header"]["number"] in d.to_text()
    assert generate_plan(4).to_text() == generate_plan(4).to_text()


def test_unaccented_fixture_with_two_column_trailer():
    rec = parse_text((FIXTURES / "interleaved_plan.txt").read_text(encoding="utf-8"))
    assert rec.header.parent_authority == "UBND TINH BAC KAN" and rec.header.authority == "SO Y TE"
    assert rec.header.doc_type == "KẾ HOẠCH" and rec.header.issued_date == dt.date(2021, 3, 14)
    assert [t.tt for t in rec.tasks] == [1, 2, 3, 4, 5]
    assert rec.tasks[2].lead_unit == "Trung tam Kiem soat benh tat"
    assert rec.tasks[4].cooperating_units == ["Chi cuc An toan ve sinh thuc pham", "cac don vi lien quan"]
    assert rec.signature.modes == ["KT"] and rec.signature.titles == ["GIAM DOC", "PHO GIAM DOC"]
    assert rec.signature.name == "Tran Van Binh"
    assert rec.recipients == ["Bo Y te", "UBND tinh", "Luu: VT, NVY"]
    kinds = [b.kind for b in rec.legal_bases]
    assert kinds == ["Căn cứ", "Theo đề nghị"]
    assert rec.legal_bases[0].cited[0].number_symbol == "15/2018/ND-CP"


def test_sections_tree_and_digital_signature():
    text = (
        "KẾ HOẠCH\nThử nghiệm\n\nI. MỤC TIÊU\n1. Mục đích:\na) Thứ nhất;\nđ) Thứ năm.\n- gạch đầu dòng\n"
        "2. Yêu cầu chung của kế hoạch này được\nnêu rõ.\nII. TỔ CHỨC\nĐiều 3. Hiệu lực\n\n"
        "CHỦ TỊCH\nLê Văn A\n\n2023-01-05T08:00:00+0700\nUBND TỈNH X<vt@x.gov.vn> đã ký lên văn bản này!\n"
    )
    rec = parse_text(text)
    i = rec.sections[0]
    assert (i.kind, i.label, i.title) == ("roman", "I", "MỤC TIÊU")
    one = i.children[0]
    assert (one.label, one.title) == ("1", "Mục đích")
    assert [c.label for c in one.children] == ["a", "đ"]
    assert one.children[1].children[0].kind == "dash"
    assert i.children[1].text == "Yêu cầu chung của kế hoạch này được nêu rõ."
    assert [(s.kind, s.label) for s in rec.sections[1:]] == [("roman", "II"), ("article", "Điều 3")]
    d = rec.signature.digital
    assert d.signed_at == dt.datetime(2023, 1, 5, 8, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    assert (d.signer, d.email) == ("UBND TỈNH X", "vt@x.gov.vn")
    assert rec.signature.name == "Lê Văn A" and rec.signature.titles == ["CHỦ TỊCH"]


def test_validation_warnings():
    text = (
        "Số: 5/QĐ-UBND    Huế, ngày 10 tháng 3 năm 2099\nKẾ HOẠCH\nKiểm tra\n\nII. NỘI DUNG\n"
        "TT | Nội dung | Đơn vị thực hiện\nQUÝ I\n1 | Kiểm tra (tháng 5/2099) | Sở Nội vụ\n3 | Báo cáo | Sở Y tế\n\n"
        "2099-03-01T09:00:00+0700\nUBND<a@b.vn> đã ký lên văn bản này!\n"
    )
    codes = {w.code for w in parse_text(text).quality.warnings}
    assert {"date_in_future", "date_after_signature", "symbol_type_mismatch", "tt_not_contiguous"} <= codes
    assert "timeframe_period_mismatch" in codes
    assert "missing_field" in codes  # no authority, no signer name


def test_a_law_cited_by_name_keeps_its_number_and_date() -> None:
    """`Luật <name> số N/YYYY/QHxx` (the number after the law's name, not after `Luật`)."""
    from vnplans.parse.preamble import parse_citations

    by_name, by_number = parse_citations(
        "Căn cứ Luật Ban hành văn bản quy phạm pháp luật số 64/2025/QH15 được sửa đổi, bổ sung bởi Luật số 87/2025/QH15;"
    )
    assert (by_name.number, by_name.symbol) == ("64/2025", "QH15")
    assert by_name.raw == "Luật Ban hành văn bản quy phạm pháp luật số 64/2025/QH15"
    assert by_number.number_symbol == "87/2025/QH15"
    (code,) = parse_citations("Căn cứ Bộ luật Lao động số 45/2019/QH14 ngày 20 tháng 11 năm 2019;")
    assert code.number_symbol == "45/2019/QH14" and str(code.date) == "2019-11-20"
    (unnumbered,) = parse_citations("Căn cứ Luật Tổ chức chính quyền địa phương, sửa đổi số 12/2020/QH14;")
    assert unnumbered.number_symbol is None  # a number past the name's clause is not its number
