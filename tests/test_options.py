"""One frozen Options from the library's keywords to every stage; output formats as one registry."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

import vnplans
from vnplans.batch.manifest import fingerprint
from vnplans.batch.outputs import output_file
from vnplans.batch.worker import Task
from vnplans.export.formats import FORMAT_NAMES, WORD_FORMATS, get_format, parse_formats, render_record
from vnplans.options import Options

PLAN = (
    "ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH\nSố: 12/KH-UBND\n\nKẾ HOẠCH\nTổ chức hội nghị năm 2026\n\nI. MỤC ĐÍCH\n"
)


def test_options_are_frozen_checked_and_built_from_keywords() -> None:
    o = Options()
    with pytest.raises(dataclasses.FrozenInstanceError):
        o.fix = False  # type: ignore[misc]
    with pytest.raises(ValueError, match="text_layer"):
        Options(text_layer="sometimes")
    with pytest.raises(ValueError, match="style"):
        Options(style="newest")
    base = Options(lang="vie+eng", text_layer="force")
    built = Options.build(base, fix=False, style=None)  # None: keep what `base` says
    assert built == Options(fix=False, lang="vie+eng", text_layer="force") and built.force_ocr
    assert Options.build(None) == Options() and Options().changed() == {}
    assert built.changed() == {"fix": False, "lang": "vie+eng", "text_layer": "force"}
    assert vnplans.Options is Options


def test_library_keywords_and_options_give_the_same_record() -> None:
    by_keyword = vnplans.convert_text(PLAN, fix=False)
    by_options = vnplans.convert_text(PLAN, options=Options(fix=False))
    assert by_keyword.model_dump_json() == by_options.model_dump_json()
    assert by_keyword.text == PLAN  # not fixed: as given


def test_batch_task_hands_options_to_the_pipeline_and_keywords_to_other_converters() -> None:
    task = Task("/x.pdf", "x", options=Options(fix=False, text_layer="skip"))
    assert task.arguments(vnplans.pipeline.convert_detailed) == {"options": task.options}

    def convert(path, fix=True, text_layer="auto"):  # a converter module of the user's
        return path

    assert task.arguments(convert) == {"fix": False, "text_layer": "skip"}


def test_fingerprint_changes_only_with_settings_that_differ_from_the_defaults() -> None:
    default = fingerprint(Options(), converter="vnplans.pipeline")
    assert fingerprint(Options(text_layer="auto"), converter="vnplans.pipeline") == default
    assert fingerprint(Options(lang="vie+eng"), converter="vnplans.pipeline") != default
    assert fingerprint(Options(fix=False), converter="vnplans.pipeline") != default


def test_format_registry_names_files_and_renders_records(tmp_path: Path) -> None:
    assert FORMAT_NAMES[0] == "json" and set(WORD_FORMATS) == {"alto", "hocr", "tsv"}
    assert parse_formats("md, TXT") == ("json", "txt", "md")
    with pytest.raises(ValueError, match="unknown format"):
        parse_formats("json,docx")
    assert output_file("plan", "alto") == "plan.alto.xml" and output_file("plan", "md") == "plan.md"
    assert get_format("pdf").needs_pages and not get_format("txt").needs_pages
    record = vnplans.convert_text(PLAN, fix=False)
    out = render_record(record, ("txt", "md"))
    assert set(out) == {"json", "txt", "md"}
    assert json.loads(out["json"])["header"]["number"] == record.header.number
    assert out["txt"].decode().endswith("\n") and "KẾ HOẠCH" in out["md"].decode().upper()
