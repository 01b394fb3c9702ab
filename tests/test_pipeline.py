"""End to end through the real stages: rendered + degraded scans, a real image-only PDF, and text."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from vnplans.pipeline import convert, convert_detailed, convert_text
from vnplans.synth.degrade import degrade
from vnplans.synth.document import render_document
from vnplans.synth.plans import generate_plan
from vnplans.text.syllable import strip_diacritics


def _syllable_accuracy(expected: str, got: str) -> float:
    from rapidfuzz.distance import Levenshtein

    a, b = expected.lower().split(), got.lower().split()
    if not a:
        return 1.0
    return 1 - Levenshtein.distance(a, b) / len(a)


@pytest.fixture(scope="module")
def plan_scan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """A generated plan rendered to pages, lightly degraded, saved as a multi-page TIFF."""
    doc = generate_plan(4242)
    pages = render_document(doc, dpi=300)
    images = [degrade(p.image.convert("L"), seed=i, level="light") for i, p in enumerate(pages)]
    images = [im if isinstance(im, Image.Image) else Image.fromarray(im) for im in images]
    path = tmp_path_factory.mktemp("scan") / "plan.tiff"
    images[0].save(path, save_all=True, append_images=images[1:], compression="tiff_deflate", dpi=(300, 300))
    return path, doc.expected


@pytest.mark.slow
def test_scan_to_record_recovers_header_and_tasks(plan_scan: tuple[Path, dict]) -> None:
    path, expected = plan_scan
    record, result = convert_detailed(path)
    h = record.header
    assert (h.number, h.symbol) == (expected["header"]["number"], expected["header"]["symbol"])
    assert h.doc_type == expected["header"]["doc_type"]
    assert h.issued_date is not None and h.issued_date.isoformat() == expected["header"]["issued_date"]
    assert {p.route for p in result.pages} == {"ocr"}
    assert set(result.timings) >= {"ingest", "preprocess", "ocr", "correct", "layout", "parse"}
    # every task row found, in the right quarter, with its lead unit
    exp_tasks = expected["tasks"]
    assert len(record.tasks) == len(exp_tasks)
    right_period = sum(t.period == e["period"] for t, e in zip(record.tasks, exp_tasks, strict=True))
    assert right_period >= len(exp_tasks) - 1
    content = " ".join(t.content for t in record.tasks)
    assert _syllable_accuracy(" ".join(e["content"] for e in exp_tasks), content) > 0.95
    assert record.source.sha256 and record.source.pages == len(result.pages)
    assert 0 < record.quality.confidences["ocr"] <= 1


def test_image_only_pdf_is_ocred(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    doc = generate_plan(77)
    page = render_document(doc, dpi=200)[0].image.convert("L")
    buf = io.BytesIO()
    page.save(buf, format="PNG")
    pdf = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(pdf), pagesize=A4)
    c.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 0, 0, width=A4[0], height=A4[1])
    c.showPage()
    c.save()
    record = convert(pdf)
    assert record.header.symbol == doc.expected["header"]["symbol"]
    assert record.source.kind == "pdf"
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in record.text


def test_stripped_text_is_restored_before_parsing() -> None:
    doc = generate_plan(5)
    text = doc.to_text()
    record = convert_text(strip_diacritics(text), name="stripped.txt")
    exp = doc.expected["header"]
    assert (record.header.number, record.header.symbol) == (exp["number"], exp["symbol"])
    assert record.header.doc_type == exp["doc_type"]
    assert len(record.tasks) == len(doc.expected["tasks"])
    assert record.quality.corrected_words > 0
    assert _syllable_accuracy(text, record.text) > 0.9


def test_text_without_fix_is_parsed_verbatim() -> None:
    text = generate_plan(9).to_text()
    record = convert_text(text, fix=False)
    assert record.text == text
    assert record.quality.corrected_words == 0


def test_a_dust_mark_read_as_a_space_stays_a_space_on_the_word_boxes() -> None:
    """Layout rebuilds the text from corrected words on their boxes: a mark the repairer reads as a
    space must not glue the two words (`KẾ.HOẠCH` came out `KẾHOẠCH`)."""
    from vnplans.ocr import OcrPage, OcrWord
    from vnplans.pipeline import correct_ocr

    page = OcrPage(width=1000, height=200)
    page.words = [
        OcrWord("KẾ.HOẠCH", 0.91, 300, 20, 600, 60, 1, 1, 1),
        OcrWord("hoạt.động", 0.90, 100, 100, 300, 140, 2, 1, 1),
        OcrWord("của", 0.95, 320, 100, 380, 140, 2, 1, 1),
        OcrWord("đơn", 0.95, 400, 100, 460, 140, 2, 1, 1),
        OcrWord("vị", 0.95, 480, 100, 520, 140, 2, 1, 1),
    ]
    fix, fixed = correct_ocr(page)
    assert fix.text.splitlines()[0] == "KẾ HOẠCH"
    assert [w.text for w in fixed.words[:2]] == ["KẾ HOẠCH", "hoạt động"]


def test_a_space_the_fix_closes_joins_the_words_on_their_boxes() -> None:
    """The printed text is rebuilt from corrected words: a space a rule closes between two OCR words
    (`số 1 93/2025/NĐ-CP`, `Điều 2 .`) must close there too, not only in the fixed text."""
    from vnplans.ocr import OcrPage, OcrWord
    from vnplans.pipeline import correct_ocr

    line1 = ["bởi", "Nghị", "định", "số", "1", "93/2025/NĐ-CP;"]
    line2 = ["Điều", "2", ".", "Điều", "khoản", "thi", "hành"]
    page = OcrPage(width=1400, height=200)
    page.words = [OcrWord(t, 0.93, 20 + 110 * i, 20, 120 + 110 * i, 60, 1, 1, 1) for i, t in enumerate(line1)]
    page.words += [
        OcrWord(t, 0.93, 20 + 110 * i, 100, 120 + 110 * i, 140, 2, 1, 1) for i, t in enumerate(line2)
    ]
    fix, fixed = correct_ocr(page)
    assert "số 193/2025/NĐ-CP;" in fix.text and "Điều 2. Điều" in fix.text
    texts = [w.text for w in fixed.words]
    assert "193/2025/NĐ-CP;" in texts and "2." in texts
    assert "1" not in texts and "." not in texts
    assert len(texts) == len(page.words) - 2
