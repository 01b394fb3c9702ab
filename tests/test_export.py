import csv
import io

from vnplans.export import TASK_COLUMNS, render_summary, task_rows, to_markdown
from vnplans.parse import parse_text
from vnplans.synth.plans import generate_plan


def _rec():
    return generate_plan(9), parse_text(generate_plan(9).to_text())


def test_markdown_has_table_and_header():
    doc, rec = _rec()
    md = to_markdown(rec)
    assert md.startswith("**")
    assert doc.expected["header"]["title"] in md
    table_rows = [ln for ln in md.splitlines() if ln.startswith("| ") and not ln.startswith("| TT")]
    assert len(table_rows) == len(doc.expected["tasks"])
    assert "Nơi nhận" in md


def test_summary_and_task_rows():
    doc, rec = _rec()
    s = render_summary(rec)
    assert f"tasks:   {len(doc.expected['tasks'])}" in s
    assert doc.expected["header"]["symbol"] in s
    rows = task_rows(rec)
    assert len(rows) == len(doc.expected["tasks"])
    assert set(rows[0]) == set(TASK_COLUMNS)
    assert rows[0]["lead_unit"] == doc.expected["tasks"][0]["lead_unit"]
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=TASK_COLUMNS)
    w.writeheader()
    w.writerows(rows)
    assert buf.getvalue().count("\n") == len(rows) + 1


def test_export_of_empty_record():
    rec = parse_text("")
    assert to_markdown(rec).strip()
    assert "tasks:   0" in render_summary(rec)
    assert task_rows(rec) == []


def test_markdown_shows_warnings_in_plain_sight():
    _, rec = _rec()
    rec.warn("low-confidence-words", "1 words corrected with low confidence: Tố→Tổ (0.41)")
    rec.tasks[1].page, rec.tasks[1].warnings = 2, ["low-confidence-words: Nguyên (0.47)"]
    md = to_markdown(rec)
    assert "<!--" not in md
    tail = md[md.index("## Cần kiểm tra") :]
    assert "`low-confidence-words`: 1 words corrected with low confidence: Tố→Tổ (0.41)" in tail
    assert f"- TT {rec.tasks[1].tt} (trang 2): low-confidence-words: Nguyên (0.47)" in tail
    rec.quality.warnings, rec.tasks[1].warnings = [], []
    assert "## Cần kiểm tra" not in to_markdown(rec)


def test_markdown_warnings_section_escapes_document_text():
    """The visible warnings quote the document: a `<script>` in a scan stays text there too."""
    _, rec = _rec()
    rec.warn("garbled-field", "authority reads <script>alert(1)</script> & more")
    rec.tasks[0].warnings = ["odd cell: <img src=x onerror=alert(2)>"]
    tail = to_markdown(rec)[to_markdown(rec).index("## Cần kiểm tra") :]
    assert "<script>" not in tail and "<img" not in tail
    assert "authority reads &lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in tail
    assert "odd cell: &lt;img src=x onerror=alert(2)&gt;" in tail
