"""Searchable PDF from a real OCR'd page: the corrected Vietnamese text comes back out of the PDF."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import numpy as np
import pdfplumber
import pytest

from vnplans.export.searchable import align_corrected, write_searchable_pdf
from vnplans.ocr import OcrWord, ocr_image
from vnplans.synth.render import render_page
from vnplans.text.syllable import strip_diacritics

TEXT = [
    "Ủy ban nhân dân tỉnh ban hành Kế hoạch thực hiện công tác cải cách hành chính năm 2023.",
    "Các sở, ban, ngành chủ động triển khai và báo cáo kết quả về Sở Nội vụ.",
]


@pytest.fixture(scope="module")
def stripped_page():
    """A page printed without diacritics (as an old typewriter or bad export), OCR'd for real."""
    page = render_page([strip_diacritics(t) for t in TEXT], dpi=200, margins_mm=(20, 200, 25, 15))
    image = np.asarray(page.image)
    return image, ocr_image(image, lang="vie")


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def test_corrected_text_layer_extracts(stripped_page, tmp_path: Path) -> None:
    image, ocr = stripped_page
    assert len(ocr.words) > 20
    out = write_searchable_pdf([(image, ocr, " ".join(TEXT))], tmp_path / "out.pdf", dpi=200)
    assert out.exists() and not [p for p in tmp_path.iterdir() if p.name != "out.pdf"]  # no temp left
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        assert abs(page.width - 595.3) < 1 and abs(page.height - 841.9) < 1  # A4 at 200 dpi
        assert len(page.images) == 1
        text = nfc(page.extract_text())
    # the image has no diacritics; the text layer carries the corrected Vietnamese
    for word in ["Ủy", "nhân", "hành", "Kế", "hoạch", "cải", "cách", "triển", "khai", "Nội", "vụ"]:
        assert word in text, word
    assert "Uy ban nhan dan" not in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdftotext_reads_words_in_order(stripped_page, tmp_path: Path) -> None:
    image, ocr = stripped_page
    out = write_searchable_pdf([(image, ocr, " ".join(TEXT)), (image, ocr, None)], tmp_path / "two.pdf")
    txt = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    pages = [nfc(" ".join(p.split())) for p in txt.split("\f") if p.strip()]
    assert len(pages) == 2
    assert "ban hành Kế hoạch thực hiện công tác" in pages[0]
    assert "Ke hoach" in pages[1]  # None keeps the OCR text as it is


def test_align_corrected_spreads_unmatched_tokens() -> None:
    ws = [
        OcrWord(t, 0.9, i * 10, 0, i * 10 + 8, 10, 1, 1, 1)
        for i, t in enumerate(["Ke", "hoachthuc", "hien", "nam"])
    ]
    got = align_corrected(ws, "Kế hoạch thực hiện năm")
    assert got == ["Kế", "hoạch thực", "hiện", "năm"]
    assert align_corrected(ws, None) == ["Ke", "hoachthuc", "hien", "nam"]
    with pytest.raises(ValueError):
        align_corrected(ws, ["a"])
