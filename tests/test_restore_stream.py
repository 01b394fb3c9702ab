"""`vnplans restore` of a long text goes piece by piece (issue 16, item 11): the pieces cover the text
exactly, never cut a word, and the command's output keeps every line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from test_batch import plan_text
from vnplans.text.blocks import text_blocks
from vnplans.text.syllable import strip_diacritics


@given(st.text(st.sampled_from("ab \n\nđ"), max_size=3000), st.integers(5, 400))
def test_pieces_cover_the_text_and_cut_between_words(text: str, size: int) -> None:
    pieces = list(text_blocks(text, size))
    assert "".join(p for _, p in pieces) == text
    assert all(text[o : o + len(p)] == p for o, p in pieces)
    for (_, p), (_, q) in zip(pieces, pieces[1:], strict=False):
        cut_inside_word = p[-1:] not in (" ", "\n") and q[:1] not in (" ", "\n", "")
        assert not cut_inside_word or len(p) >= size  # only a run without any space is cut
    if len(text) <= size:
        assert pieces == [(0, text)]


@pytest.mark.slow
def test_restore_of_a_long_file_keeps_every_line_and_restores_each_piece(tmp_path: Path) -> None:
    text = "".join(strip_diacritics(plan_text(i)) + "\n" for i in range(1, 200))
    assert len(text) > 2 * 64 * 1024  # several pieces
    src = tmp_path / "long.txt"
    src.write_text(text, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "vnplans.cli", "restore", str(src)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    out_lines, in_lines = proc.stdout.split("\n"), text.split("\n")
    assert len(out_lines) == len(in_lines)
    assert [strip_diacritics(x) for x in out_lines] == in_lines  # the same words, marks restored
    third = len(out_lines) // 3
    for part in (out_lines[:third], out_lines[third : 2 * third], out_lines[2 * third :]):
        assert "Ủy ban nhân dân" in "\n".join(part) or "ỦY BAN NHÂN DÂN" in "\n".join(part)


@pytest.mark.slow
def test_ocr_pages_are_released_unless_a_searchable_pdf_wants_them(tmp_path: Path) -> None:
    """Issue 16, item 11: a page's image (~9 MB at 300 dpi) is dropped once the page is read, so a
    document's memory does not grow with its pages; the record is the same either way."""
    from vnplans.pipeline import convert_detailed
    from vnplans.synth.render import render_paragraphs

    pages = [render_paragraphs(plan_text(i).split("\n")[:8]).convert("L") for i in (1, 2)]
    pdf = tmp_path / "scan.pdf"
    pages[0].save(pdf, save_all=True, append_images=pages[1:], resolution=300)
    lean_record, lean = convert_detailed(pdf, keep_images=False)
    full_record, full = convert_detailed(pdf)
    assert len(lean.pages) == 2 and all(p.image is None for p in lean.pages)
    assert all(p.image is not None for p in full.pages)  # kept for the searchable PDF
    assert lean_record.text == full_record.text and lean_record.header == full_record.header
