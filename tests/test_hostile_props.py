"""Property test (issue 16): whatever the names, encodings, sizes and damage of the inputs, and whatever
the user keeps in the output folder, `convert` (run twice), `restore` and `parse` never show a
traceback and never lose or change a file they did not write.

Inputs are real files: plan texts in several encodings, a reportlab PDF with a text layer (whole,
cut short or with flipped bytes), PNGs written by OpenCV (whole or cut), random bytes, empty files.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import shutil
import tempfile
from pathlib import Path

import cv2
import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from test_batch import plan_text
from vnplans.batch import run_batch
from vnplans.batch.discover import assign_names, discover
from vnplans.cli import app
from vnplans.ingest.detect import claimed_kind
from vnplans.text.syllable import strip_diacritics

pytestmark = pytest.mark.slow  # batch runs / Chromium / wheel builds: `make check` leaves them out

OUR_FILES = {"manifest.jsonl", "tasks.csv", ".vnplans.lock"}


@functools.cache
def text_pdf() -> bytes:
    """A one-page PDF whose text layer is a plan (reportlab, Liberation Serif for the Vietnamese marks)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from vnplans.synth.render import find_font

    pdfmetrics.registerFont(TTFont("LSerif", str(find_font("Liberation Serif"))))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("LSerif", 11)
    for i, line in enumerate(plan_text(9).splitlines()[:40]):
        c.drawString(50, 800 - 14 * i, line)
    c.showPage()
    c.save()
    return buf.getvalue()


@functools.cache
def png(h: int, w: int) -> bytes:
    ok, data = cv2.imencode(".png", np.full((h, w, 3), (0, 0, 255), np.uint8))
    assert ok
    return data.tobytes()


def _encode(text: str, enc: str) -> bytes:
    return text.encode(enc, "replace") if enc != "stripped" else strip_diacritics(text).encode()


texts = st.builds(
    _encode,
    st.integers(1, 40).map(plan_text),
    st.sampled_from(["utf-8", "utf-16", "utf-8-sig", "cp1258", "stripped"]),
)
damaged = st.one_of(
    st.builds(lambda f: text_pdf()[: max(1, int(len(text_pdf()) * f))], st.floats(0.0, 0.95)),
    st.builds(lambda i: text_pdf()[:i] + b"\xff" * 64 + text_pdf()[i + 64 :], st.integers(0, 1500)),
    st.builds(lambda f: png(40, 40)[: max(1, int(len(png(40, 40)) * f))], st.floats(0.0, 0.9)),
)
contents = st.one_of(
    texts,
    damaged,
    st.just(b""),
    st.binary(min_size=1, max_size=3000),
    st.builds(text_pdf),
    st.builds(png, st.integers(1, 3), st.integers(1, 3)),
)
name_chars = st.characters(
    codec="utf-8", exclude_characters="/\x00", exclude_categories=("Cs",)
)  # any character a name can hold
names = st.one_of(
    st.text(name_chars, min_size=1, max_size=30),
    st.sampled_from(["=cmd", "-rf", "@sum", "+1", "a b", "Kế hoạch số 1", "a" * 230, "Ủ" * 80]),
    st.binary(min_size=1, max_size=20).map(
        lambda b: os.fsdecode(b.replace(b"/", b"_").replace(b"\x00", b"_"))
    ),
)
suffixes = st.sampled_from([".txt", ".pdf", ".png", ".md", ".bin", ""])
inputs = st.lists(st.tuples(st.lists(names, max_size=2), names, suffixes, contents), min_size=1, max_size=3)


def _fit(name: str, suffix: str) -> str | None:
    """A legal, visible input name (at most 255 bytes), or None."""
    raw = os.fsencode(name + suffix)
    if name.startswith(".") or name in ("", ".", "..") or len(raw) > 255:
        return None
    return name + suffix


def _write_inputs(src: Path, drawn: list) -> dict[Path, bytes]:
    written: dict[Path, bytes] = {}
    for folders, name, suffix, data in drawn:
        parts = [f for f in folders if _fit(f, "")]
        leaf = _fit(name, suffix)
        if leaf is None:
            continue
        path = src.joinpath(*parts, leaf)
        if any(path == p or path in p.parents or p in path.parents for p in written):
            continue  # a file where a folder is wanted, or the same path twice
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written[path] = data
    return written


def _snapshot(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


runner = CliRunner()


def _cli(*args: str) -> None:
    result = runner.invoke(app, list(args))
    assert result.exit_code in (0, 1), (args, result.exit_code, result.output)
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), (args, repr(result.exception))
    assert "Traceback" not in result.output


@settings(
    max_examples=int(os.environ.get("VNPLANS_PROP_EXAMPLES", "12")),  # more for a soak run
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking: an example costs seconds
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(drawn=inputs, foreign_share=st.floats(0, 1), seed=st.integers(0, 2**16))
def test_convert_restore_parse_lose_nothing(drawn: list, foreign_share: float, seed: int) -> None:
    base = Path(tempfile.mkdtemp(prefix="vnplans-prop-"))
    try:
        src, out = base / "in", base / "out"
        src.mkdir()
        written = _write_inputs(src, drawn)
        if not written:
            return
        items = discover([src])
        names = assign_names(items)
        # the user's own files in the output folder, some with the very names our outputs would take
        out.mkdir()
        rng = np.random.default_rng(seed)
        for stem in names.values():
            if rng.random() < foreign_share:
                (out / f"{stem}.{rng.choice(['json', 'txt', 'md', 'pdf'])}").write_bytes(b"user's own file")
        (out / "notes.docx").write_bytes(b"user's own file")
        foreign = _snapshot(out)
        inputs_before = _snapshot(src)

        assert run_batch([src], out, quiet=True, executor="inline") in (0, 1)
        assert _snapshot(src) == inputs_before  # inputs are never touched
        for p, data in foreign.items():
            assert p.read_bytes() == data, f"{p.name} was changed"
        lines = (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
        entries = {e["name"]: e for e in map(json.loads, lines)}
        assert set(entries) == set(names.values())  # every input accounted for
        for e in entries.values():
            assert e["status"] in ("ok", "failed", "skipped")
            if e["status"] == "ok":
                assert all((out / o).is_file() and (out / o) not in foreign for o in e["outputs"])
                json.loads((out / f"{e['name']}.json").read_text(encoding="utf-8"))
            else:
                assert e["error"] and "\n" not in e["error"] and e["outputs"] == []
        for it in items:  # a damaged file of a type we read is a failure, never "unsupported"
            if claimed_kind(it.path.name) is not None:
                assert entries[names[it.path]]["status"] != "skipped", entries[names[it.path]]
        extra = {p.name for p in out.iterdir()} - {p.name for p in foreign} - OUR_FILES
        assert extra <= {o for e in entries.values() for o in e["outputs"]}

        # a rerun changes nothing: the same statuses, no output written again
        after = _snapshot(out)
        assert run_batch([src], out, quiet=True, executor="inline") in (0, 1)
        again = {e["name"]: e for e in map(json.loads, (out / "manifest.jsonl").read_text().splitlines())}
        assert len(again) == len(entries)
        assert {n: e["status"] for n, e in again.items()} == {n: e["status"] for n, e in entries.items()}
        assert {p: d for p, d in _snapshot(out).items() if p.name != "manifest.jsonl"} == {
            p: d for p, d in after.items() if p.name != "manifest.jsonl"
        }

        # the single-file commands on one of the inputs
        one = sorted(written)[int(rng.integers(len(written)))]
        with contextlib.chdir(base):
            for cmd in ("restore", "parse"):
                _cli(cmd, str(one))
        assert _snapshot(src) == inputs_before
    finally:
        shutil.rmtree(base, ignore_errors=True)
