"""Words Tesseract read from a worn seal's dots are dropped, printed words stay (`ocr.specks`).

The fixture is a crop of a generated 1-bit dev page (the OCR benchmark's page generator, a fresh dev
draw): a header beside a faded seal whose ring and lettering are scattered dots, read by real
Tesseract. The other tests draw their own ink."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from vnplans.image.preprocess import preprocess
from vnplans.ocr import OcrPage, OcrWord, ocr_image
from vnplans.ocr.specks import drop_speck_words

SEAL_LEFT = 740  # the seal's dots lie right of this column of the fixture; the header left of it


def test_a_worn_seals_words_go_and_the_headers_stay() -> None:
    crop = np.asarray(Image.open(Path(__file__).parent / "fixtures" / "worn_seal_1bit.png").convert("L"))
    pre = preprocess(crop, dpi=200)
    page = ocr_image(pre.image, lang="vie", dpi=200)
    before = list(page.words)
    printed = [w for w in before if w.x1 < SEAL_LEFT and sum(c.isalpha() for c in w.text) >= 2]
    assert len(printed) >= 20
    gone = drop_speck_words(pre.image, page)
    assert gone and all(w.x0 >= SEAL_LEFT for w in gone)
    assert all(any(w is k for k in page.words) for w in printed)
    assert len(page.words) == len(before) - len(gone)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page.text


def _drawn() -> tuple[np.ndarray, OcrPage]:
    """Ten words of solid letter-sized strokes, and a cluster of dots."""
    img = np.full((300, 1400), 255, np.uint8)
    page = OcrPage(width=1400, height=300)
    for k in range(10):
        x = 20 + 130 * k
        img[40:70, x : x + 6] = 0  # an ascender's stroke, 30 px
        img[52:70, x + 12 : x + 40] = 0  # x-height letters, 18 px
        page.words.append(OcrWord("chữ", 0.95, x, 40, x + 40, 72, 1, 1, 1))
    rng = np.random.default_rng(3)
    for _ in range(25):  # dots of 3 px over a word-sized patch
        y, x = int(rng.integers(200, 225)), int(rng.integers(600, 660))
        img[y : y + 3, x : x + 3] = 0
    return img, page


def test_a_doubted_word_of_dots_goes_a_confident_one_stays() -> None:
    img, page = _drawn()
    page.words.append(OcrWord("Bị", 0.3, 600, 200, 663, 228, 2, 1, 1))
    assert [w.text for w in drop_speck_words(img, page)] == ["Bị"]
    img, page = _drawn()
    page.words.append(OcrWord("Bị", 0.9, 600, 200, 663, 228, 2, 1, 1))
    assert drop_speck_words(img, page) == []  # Tesseract was sure: small print read cleanly


def test_a_doubted_word_on_solid_print_stays() -> None:
    img, page = _drawn()
    page.words[3].conf = 0.1  # x-height strokes of 18 px, over 0.4 of the 32 px words
    assert drop_speck_words(img, page) == []


def test_the_pipeline_reports_the_words_it_dropped() -> None:
    from vnplans.pipeline import process_document

    result = process_document(Path(__file__).parent / "fixtures" / "worn_seal_1bit.png")
    notes = [m for code, m in result.pages[0].warnings if code == "speck-words"]
    assert notes and notes[0].startswith("1 word(s) read from specks dropped")
    dropped = notes[0].rsplit(": ", 1)[1].split()
    assert dropped and not any(w in result.text.split() for w in dropped)
