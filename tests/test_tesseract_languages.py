"""The installed languages, asked of the real `tesseract` command and remembered in the cache."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from vnplans.ocr.languages import installed_languages

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")


def _cached(tmp_path: Path) -> Path:
    return tmp_path / "tesseract-languages.json"


def test_languages_are_kept_and_asked_again_when_the_folder_changes(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("VNPLANS_CACHE_DIR", str(tmp_path))
    first = installed_languages()
    assert "vie" in first
    kept = json.loads(_cached(tmp_path).read_text(encoding="utf-8"))
    assert set(kept["languages"]) == first and Path(kept["folder"]).is_dir()
    # a cache entry that matches is what the next process gets, without asking the command
    kept["languages"] = ["vie", "xyz"]
    _cached(tmp_path).write_text(json.dumps(kept), encoding="utf-8")
    assert installed_languages() == {"vie", "xyz"}
    # a model added or removed changes the folder: the stale entry is not served
    kept["stamp"] = [0, 0]
    _cached(tmp_path).write_text(json.dumps(kept), encoding="utf-8")
    assert installed_languages() == first


def test_damaged_cache_or_no_cache_asks_the_command(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("VNPLANS_CACHE_DIR", str(tmp_path))
    _cached(tmp_path).write_text("{not json", encoding="utf-8")
    assert "vie" in installed_languages()
    assert json.loads(_cached(tmp_path).read_text(encoding="utf-8"))["languages"]
    monkeypatch.setenv("VNPLANS_CACHE_DIR", "off")
    assert "vie" in installed_languages()


def test_another_model_folder_is_asked_again(tmp_path, monkeypatch) -> None:
    cache, models = tmp_path / "cache", tmp_path / "tessdata"
    models.mkdir()
    monkeypatch.setenv("VNPLANS_CACHE_DIR", str(cache))
    assert "vie" in installed_languages()
    monkeypatch.setenv("TESSDATA_PREFIX", str(models))  # an empty model folder: no language at all
    assert "vie" not in installed_languages()
