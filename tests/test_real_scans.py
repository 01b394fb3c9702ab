"""Real-scan behaviour of the OCR stage: do no harm against plain Tesseract, keep marks, keep pixels.

The real scan in ../shared/realscans (with its hand transcription in bench/data/realscans) and pages
in the calibrated real-scan profile (`synth.scanner`) go through real Tesseract here; accuracy
figures live in the OCR benchmark, these tests only hold the line that must never be crossed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image
from rapidfuzz.distance import Levenshtein

from vnplans.image.preprocess import UPSCALE_BELOW_DPI, preprocess
from vnplans.ingest import iter_pages
from vnplans.layout import MIN_GRID_CROSSINGS, crossings, find_rules
from vnplans.pipeline import correct_ocr, read_page
from vnplans.synth.render import render_page
from vnplans.synth.scanner import scan_like

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "realscans" / "tt_21_2026_bct.pdf"
TRUTH = ROOT / "bench" / "data" / "realscans" / "tt_21_2026_bct.truth.txt"
_SYL = re.compile(r"\w+")

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")


def _syllable_errors(truth: str, hyp: str) -> int:
    t = _SYL.findall(unicodedata.normalize("NFC", truth).lower())
    h = _SYL.findall(unicodedata.normalize("NFC", hyp).lower())
    return Levenshtein.distance(t, h)


def _tesseract_command(image: np.ndarray, dpi: int, tmp: Path) -> str:
    path = tmp / "page.png"
    rgb = image[:, :, ::-1] if image.ndim == 3 else image
    Image.fromarray(np.ascontiguousarray(rgb)).save(path, dpi=(dpi, dpi))
    out = subprocess.run(
        ["tesseract", str(path), "-", "-l", "vie"], capture_output=True, text=True, check=True
    )
    return out.stdout


def _vnplans(image: np.ndarray, dpi: int) -> str:
    _, page, _ = read_page(image, dpi)
    fix, _ = correct_ocr(page)
    return fix.text


@pytest.mark.slow
@needs_tesseract
@pytest.mark.skipif(not REAL.exists(), reason="../shared/realscans not present")
def test_real_scan_is_read_better_than_plain_tesseract(tmp_path: Path) -> None:
    page = next(p for p in iter_pages(REAL) if p.image is not None)
    assert page.dpi == 200  # the scan's own resolution, not a 300 dpi resampling
    truth = TRUTH.read_text(encoding="utf-8")
    raw = _syllable_errors(truth, _tesseract_command(page.image, page.dpi, tmp_path))
    ours = _syllable_errors(truth, _vnplans(page.image, page.dpi))
    assert ours < raw, (ours, raw)


@pytest.mark.slow
@needs_tesseract
@pytest.mark.skipif(not REAL.exists(), reason="../shared/realscans not present")
def test_real_scan_title_is_read_as_printed() -> None:
    """The title's lines as transcribed: `bỗ sung` (a mark OCR printed, no word) is read `bổ sung`."""
    from vnplans.pipeline import convert

    lines = TRUTH.read_text(encoding="utf-8").splitlines()
    at = lines.index("THÔNG TƯ")
    title = " ".join(lines[at + 1 : at + 4])
    assert convert(REAL).header.title == title


@pytest.mark.slow
@needs_tesseract
def test_calibrated_bilevel_page_is_never_worse_than_plain_tesseract(tmp_path: Path) -> None:
    lines = [
        "Căn cứ Nghị định số 83/2014/NĐ-CP của Chính phủ về kinh doanh xăng dầu được sửa đổi, "
        "bổ sung bởi Nghị định số 95/2021/NĐ-CP; theo đề nghị của Cục trưởng Cục Quản lý thị trường.",
        "Ủy ban nhân dân tỉnh tổ chức kiểm tra, đánh giá kết quả triển khai kế hoạch phối hợp "
        "giữa các sở, ngành trong việc ổn định nguồn cung và giá cả trên địa bàn.",
    ] * 3
    rendered = render_page(lines, size_pt=13, dpi=300, page_mm=(210, 160))
    scan = scan_like(rendered.image, seed=3, profile="bilevel")
    truth = "\n".join(rendered.lines)
    raw = _syllable_errors(truth, _tesseract_command(scan.image, scan.dpi, tmp_path))
    ours = _syllable_errors(truth, _vnplans(scan.image, scan.dpi))
    assert ours <= raw, (ours, raw)


def test_scan_profiles_look_like_archive_scans() -> None:
    rendered = render_page(["Kế hoạch tổ chức thực hiện năm 2026."] * 4, dpi=300, page_mm=(100, 60))
    bilevel = scan_like(rendered.image, seed=1, profile="bilevel")
    assert bilevel.dpi == 200 and bilevel.image.ndim == 2
    assert set(np.unique(bilevel.image)) <= {0, 255}  # 1-bit, as CCITT G4 scans are
    assert bilevel.image.shape[1] == round(rendered.image.width * 200 / 300)
    jpeg = scan_like(rendered.image, seed=1, profile="jpeg")
    assert jpeg.image.ndim == 3 and jpeg.dpi in (150, 175, 200)
    again = scan_like(rendered.image, seed=1, profile="bilevel")
    assert np.array_equal(again.image, bilevel.image)  # seeded: benchmarks are repeatable
    with pytest.raises(ValueError):
        scan_like(rendered.image, seed=1, profile="fax")


def test_upscaling_only_below_its_measured_threshold() -> None:
    page = np.full((400, 300), 255, np.uint8)
    cv2.putText(page, "So 21/2026", (10, 200), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)
    at_200 = preprocess(page, dpi=200, steps=["upscale"])
    assert at_200.image.shape == page.shape and at_200.dpi == 200
    low = preprocess(page, dpi=UPSCALE_BELOW_DPI - 30, steps=["upscale"])
    assert low.image.shape[0] > page.shape[0] and low.dpi == 225


def test_despeckle_keeps_a_tone_mark_stacked_over_a_circumflex() -> None:
    """`ố` on a 200 dpi bilevel scan: the letter, a dot-sized circumflex above it and a dot-sized tone
    mark above that, out of reach of the letter itself but within reach of the circumflex."""
    page = np.full((300, 300), 255, np.uint8)
    page[150:180, 100:120] = 0  # letter body (not dot-sized)
    page[138:142, 106:113] = 0  # circumflex: 8 px above the letter
    page[126:130, 110:114] = 0  # tone mark: 20 px above the letter, 8 px above the circumflex
    page[40:44, 250:254] = 0  # dust far from everything
    out = preprocess(page, dpi=300, steps=["despeckle"])
    assert out.image[127, 111] == 0 and out.image[139, 108] == 0  # both marks kept
    assert out.image[41, 251] == 255  # the lone speck is still dust


def test_a_scanned_pdf_is_read_at_its_own_resolution(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    scan = np.where(rng.random((1100, 800)) < 0.02, 0, 255).astype(np.uint8)  # 1-bit page, 4 x 5.5 in
    pdf = tmp_path / "scan.pdf"
    Image.fromarray(scan).convert("1").save(pdf, resolution=200)
    page = next(iter_pages(pdf))
    assert page.dpi == 200
    assert page.image.shape[:2] == scan.shape
    gray = page.image if page.image.ndim == 2 else cv2.cvtColor(page.image, cv2.COLOR_BGR2GRAY)
    assert np.mean((gray < 128) == (scan < 128)) > 0.999  # the scanner's pixels, not a resampling


def test_a_bilevel_page_skips_normalisation_and_a_grey_one_gets_it() -> None:
    rendered = render_page(["Kế hoạch tổ chức thực hiện năm 2026."] * 4, dpi=300, page_mm=(100, 60))
    bilevel = scan_like(rendered.image, seed=2, profile="bilevel")
    out = preprocess(bilevel.image, dpi=bilevel.dpi, steps=["normalize"])
    assert "normalize" not in out.applied and np.array_equal(out.image, bilevel.image)
    grey = scan_like(rendered.image, seed=2, profile="jpeg")
    assert "normalize" in preprocess(grey.image, dpi=grey.dpi, steps=["gray", "normalize"]).applied


def test_a_bold_line_on_a_1_bit_scan_is_not_a_rule_and_a_table_is_a_grid() -> None:
    """On a 1-bit scan a bold line's letters run together like a rule; painting it white erased words."""
    bold = ["Điều 4. Điều kiện được công nhận là đại học"] * 6
    rendered = render_page(bold, size_pt=14, dpi=300, page_mm=(210, 120), style_of=lambda _: "bold")
    scan = scan_like(rendered.image, seed=4, profile="bilevel").image
    hor, ver = find_rules(scan)
    assert not hor.any()
    assert crossings((hor, ver)) < MIN_GRID_CROSSINGS
    # a crop of a realistic benchmark page (1-bit, 200 dpi) where the bold line and the seal's top
    # arc ran together into one "rule" 700 px long
    crop = np.asarray(Image.open(Path(__file__).parent / "fixtures" / "bold_line_seal_1bit.png").convert("L"))
    page = np.full((1754, 1654), 255, np.uint8)  # on an A4 page at 200 dpi, where it was found
    page[800 : 800 + crop.shape[0], 250 : 250 + crop.shape[1]] = crop
    assert not find_rules(page)[0][830:].any()  # (the crop's cut top edge may pass for a short rule)
    table = scan.copy()
    for y in range(100, 700, 120):
        table[y : y + 3, 50:1300] = 0
    for x in (50, 300, 1300):
        table[100:703, x : x + 3] = 0
    hor, ver = find_rules(table)
    assert hor[101, 60:1290].mean() > 0 and crossings((hor, ver)) >= MIN_GRID_CROSSINGS
