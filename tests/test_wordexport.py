"""ALTO / hOCR / TSV from real OCR: corrected words, boxes on the scan's own pixels, both confidences.

Through the batch (`convert --format alto,hocr,tsv`) and the `ocr` command (stdin, text-layer modes).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from lxml import etree
from PIL import Image

from vnplans.batch import run_batch
from vnplans.export.words import ALTO_NS
from vnplans.ocr import ocr_image
from vnplans.synth.render import render_page
from vnplans.text.syllable import strip_diacritics

LINES = [
    "ỦY BAN NHÂN DÂN TỈNH BẮC NINH",
    "Số: 27/KH-UBND",
    "KẾ HOẠCH",
    "Triển khai công tác cải cách hành chính năm 2024",
    "Các sở, ban, ngành chủ động thực hiện và báo cáo kết quả về Sở Nội vụ trước ngày 15 tháng 12.",
]
A = f"{{{ALTO_NS}}}"


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _scan(path: Path, dpi: int = 150, angle: float = 1.5) -> Image.Image:
    im = render_page(LINES, dpi=dpi, page_mm=(210, 120), margins_mm=(12, 10, 20, 15)).image.convert("L")
    im = im.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
    im.save(path, dpi=(dpi, dpi))
    return im


def vnplans(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    exe = shutil.which("vnplans", path=str(Path(sys.executable).parent))
    cmd = [exe] if exe else [sys.executable, "-m", "vnplans.cli"]
    env = dict(os.environ, TMPDIR=str(cwd / "tmp")) if cwd else None
    if cwd:
        (cwd / "tmp").mkdir(exist_ok=True)
    return subprocess.run([*cmd, *args], input=stdin, capture_output=True, timeout=300, cwd=cwd, env=env)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Image.Image]:
    tmp = tmp_path_factory.mktemp("words")
    src = tmp / "in"
    src.mkdir()
    scan = _scan(src / "scan.png")
    (src / "note.txt").write_text("Ke hoach trien khai cong tac nam 2024\n", encoding="utf-8")
    out = tmp / "out"
    assert run_batch([str(src)], out, jobs=1, formats="json,alto,hocr,tsv", quiet=True) == 0
    return out, scan


def _near_raw_boxes(scan: Image.Image, boxes: dict[str, tuple[float, float, float, float]]) -> list[float]:
    """Centre distances (px) to Tesseract's own boxes on the source image, for words found once in both."""
    raw = ocr_image(np.asarray(scan), lang="vie")
    seen: dict[str, list] = {}
    for w in raw.words:
        seen.setdefault(strip_diacritics(nfc(w.text)).lower(), []).append(w)
    out = []
    for text, (x, y, w, h) in boxes.items():
        hits = seen.get(strip_diacritics(text).lower(), [])
        if len(hits) == 1 and len(text) >= 3:
            r = hits[0]
            out.append(float(np.hypot(x + w / 2 - (r.x0 + r.x1) / 2, y + h / 2 - (r.y0 + r.y1) / 2)))
    return out


def test_alto_is_v4_with_corrected_words_on_source_boxes(converted) -> None:
    out, scan = converted
    doc = etree.parse(str(out / "scan.alto.xml"))  # well-formed, or this raises
    root = doc.getroot()
    assert root.tag == f"{A}alto"
    assert root.find(f"{A}Description/{A}MeasurementUnit").text == "pixel"
    (page,) = root.iter(f"{A}Page")
    assert (int(page.get("WIDTH")), int(page.get("HEIGHT"))) == scan.size
    strings = list(root.iter(f"{A}String"))
    assert len(strings) > 25
    ids = [e.get("ID") for e in root.iter() if e.get("ID")]
    assert len(ids) == len(set(ids))
    for s in strings:
        x, y, w, h = (int(s.get(k)) for k in ("HPOS", "VPOS", "WIDTH", "HEIGHT"))
        assert min(x, y) >= 0 and x + w <= scan.width and y + h <= scan.height and w > 0 and h > 0
        assert 0.0 <= float(s.get("WC")) <= 1.0
        (alt,) = s.findall(f"{A}ALTERNATIVE")
        assert alt.get("PURPOSE").startswith("OCR WC=") and 0 <= float(alt.get("PURPOSE")[7:]) <= 1
        assert s.getparent().tag == f"{A}TextLine"
    words = [nfc(s.get("CONTENT")) for s in strings]
    assert {"HOẠCH", "Triển", "cải", "cách", "Nội"} <= set(words)
    boxes = {
        nfc(s.get("CONTENT")): tuple(float(s.get(k)) for k in ("HPOS", "VPOS", "WIDTH", "HEIGHT"))
        for s in strings
    }
    dist = _near_raw_boxes(scan, boxes)
    assert len(dist) >= 10 and float(np.median(dist)) < 4.0  # px at 150 dpi, though OCR ran deskewed at 300


def test_hocr_and_tsv_carry_the_same_words(converted) -> None:
    out, _ = converted
    alto = etree.parse(str(out / "scan.alto.xml")).getroot()
    alto_words = [nfc(s.get("CONTENT")) for s in alto.iter(f"{A}String")]

    hocr = etree.parse(str(out / "scan.hocr")).getroot()
    spans = [e for e in hocr.iter() if e.get("class") == "ocrx_word"]
    assert [nfc(e.text) for e in spans] == alto_words
    for e in spans:
        props = dict(p.strip().split(" ", 1) for p in e.get("title").split(";"))
        x0, y0, x1, y1 = map(int, props["bbox"].split())
        assert x1 > x0 and y1 > y0
        assert 0 <= int(props["x_wconf"]) <= 100 and 0 <= float(props["x_corrconf"]) <= 1

    rows = list(csv.DictReader(io.StringIO((out / "scan.tsv").read_text(encoding="utf-8")), delimiter="\t"))
    assert [nfc(r["text"]) for r in rows] == alto_words
    assert all(r["level"] == "5" and r["page_num"] == "1" for r in rows)
    assert all(0 <= float(r["conf"]) <= 100 and 0 <= float(r["correction_conf"]) <= 1 for r in rows)
    changed = [r for r in rows if r["text"] != r["ocr_text"]]
    for r in changed:  # a corrected word keeps what Tesseract read, in all three formats
        assert any(e.get("data-ocr") == r["ocr_text"] for e in spans)


def test_text_input_has_no_word_files_and_says_why(converted) -> None:
    out, _ = converted
    assert (out / "note.json").is_file()
    assert not list(out.glob("note.alto.xml")) and not list(out.glob("note.tsv"))
    manifest = (out / "manifest.jsonl").read_text(encoding="utf-8")
    assert "not available for inputs without OCR'd pages" in manifest


@pytest.mark.slow
def test_ocr_reads_stdin_and_prints_alto(tmp_path: Path) -> None:
    src = tmp_path / "scan.png"
    _scan(src, dpi=200, angle=0)
    r = vnplans("ocr", "-", "--format", "alto", stdin=src.read_bytes(), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    root = etree.fromstring(r.stdout)
    assert root.tag == f"{A}alto"
    assert "HOẠCH" in {nfc(s.get("CONTENT")) for s in root.iter(f"{A}String")}
    assert not list((tmp_path / "tmp").glob("vnplans-stdin-*"))  # the copy of stdin is removed
    r = vnplans("-q", "ocr", "-", stdin=src.read_bytes(), cwd=tmp_path)
    assert r.returncode == 0 and "Nội" in r.stdout.decode() and r.stderr == b""
    r = vnplans("-v", "ocr", str(src), cwd=tmp_path)
    assert r.returncode == 0 and b"page 1: ocr;" in r.stderr
    r = vnplans("ocr", "-", stdin=b"", cwd=tmp_path)
    assert r.returncode == 1 and r.stderr.decode().startswith("vnplans: error:")


def _text_pdf(path: Path, lines: list[str]) -> None:
    """A born-digital PDF: real Vietnamese text in an embedded font (a clean text layer)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from vnplans.synth.render import find_font

    pdfmetrics.registerFont(TTFont("LSerifT", str(find_font("Liberation Serif"))))
    c = canvas.Canvas(str(path))
    c.setFont("LSerifT", 14)
    for i, line in enumerate(lines):
        c.drawString(60, 780 - 24 * i, line)
    c.showPage()
    c.save()


@pytest.mark.slow
def test_text_layer_modes(tmp_path: Path) -> None:
    src = tmp_path / "digital.pdf"
    _text_pdf(src, LINES)
    r = vnplans("-v", "ocr", str(src), "--format", "tsv")
    assert r.returncode == 1 and b"--force-ocr" in r.stderr  # the clean layer was used: no boxes
    assert b"text-layer" in r.stderr
    r = vnplans("-v", "ocr", str(src), "--skip-text")
    assert r.returncode == 0 and b"page 1: text-layer" in r.stderr and "Nội vụ" in nfc(r.stdout.decode())
    r = vnplans("-v", "ocr", str(src), "--force-ocr", "--format", "tsv")
    assert r.returncode == 0, r.stderr
    assert b"page 1: ocr" in r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout.decode()), delimiter="\t"))
    assert "HOẠCH" in {nfc(x["text"]) for x in rows}
    r = vnplans("ocr", str(src), "--force-ocr", "--skip-text")
    assert r.returncode == 2


@pytest.mark.slow
def test_convert_text_layer_modes(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    _text_pdf(src / "digital.pdf", LINES)
    out = tmp_path / "out"
    assert run_batch([str(src)], out, jobs=1, formats="json,tsv", quiet=True) == 0
    assert not (out / "digital.tsv").exists()  # the clean layer was read, nothing OCR'd
    first = (out / "manifest.jsonl").read_text(encoding="utf-8")
    assert run_batch([str(src)], out, jobs=1, formats="json,tsv", quiet=True, text_layer="force") == 0
    rows = list(
        csv.DictReader(io.StringIO((out / "digital.tsv").read_text(encoding="utf-8")), delimiter="\t")
    )
    assert "HOẠCH" in {nfc(r["text"]) for r in rows}  # redone (another mode, another fingerprint), OCR'd
    assert (out / "manifest.jsonl").read_text(encoding="utf-8") != first
    with pytest.raises(ValueError):
        run_batch([str(src)], out, jobs=1, quiet=True, text_layer="sometimes")
    r = vnplans(
        "convert", str(src), "--out", str(tmp_path / "o2"), "--skip-text", "--force-ocr", cwd=tmp_path
    )
    assert r.returncode == 2
