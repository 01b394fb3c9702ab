import datetime as dt
import json

from vnplans.models import PlanRecord, Task


def test_schema_lists_record_parts():
    schema = PlanRecord.model_json_schema()
    props = schema["properties"]
    for key in (
        "header",
        "legal_bases",
        "sections",
        "tasks",
        "recipients",
        "signature",
        "text",
        "source",
        "quality",
    ):
        assert key in props
    assert "Section" in schema["$defs"]  # the recursive section tree is declared once
    json.dumps(schema, ensure_ascii=False)


def test_warn_deduplicates_and_roundtrips():
    rec = PlanRecord()
    rec.warn("day_blank", "x")
    rec.warn("day_blank", "x")
    rec.warn("day_blank", "y")
    assert [w.message for w in rec.quality.warnings] == ["x", "y"]
    rec.header.issued_date = dt.date(2023, 1, 2)
    rec.tasks.append(Task(tt=1, content="Tổ chức hội nghị", cooperating_units=["Sở Y tế"]))
    back = PlanRecord.model_validate_json(rec.model_dump_json())
    assert back == rec
