"""The OCR-engine seam: the registry, Tesseract behind the protocol, and the pipeline asking only the engine."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from vnplans.ocr import (
    OcrEngine,
    OcrUnavailable,
    TesseractEngine,
    engine_names,
    get_engine,
    mean_conf,
    percent,
    register_engine,
)
from vnplans.pipeline import read_page
from vnplans.synth.render import render_page

LINES = [
    "KẾ HOẠCH",
    "Triển khai công tác phòng cháy chữa cháy năm 2026",
    "Các đơn vị chủ động phối hợp thực hiện đúng thời gian quy định.",
]


@pytest.fixture(scope="module")
def image() -> np.ndarray:
    rp = render_page(LINES, page_mm=(190, 70), margins_mm=(8, 8, 8, 8), size_pt=12, align="left", indent_mm=0)
    return np.asarray(rp.image)


def test_default_engine_is_tesseract_behind_the_protocol() -> None:
    engine = get_engine()
    assert isinstance(engine, TesseractEngine) and isinstance(engine, OcrEngine)
    assert engine.name == "tesseract" and "tesseract" in engine_names()
    assert get_engine("tesseract") is engine  # built once per process
    assert "vie" in engine.languages()
    with pytest.raises(OcrUnavailable, match="not installed"):
        engine.check("vie+xyzzy")
    with pytest.raises(ValueError, match="unknown OCR engine"):
        get_engine("no-such-engine")


def test_confidences_are_on_a_zero_to_one_scale(image) -> None:
    page = get_engine().read(image, lang="vie", dpi=300)
    assert page.words and all(0 <= w.conf <= 1 for w in page.words)
    # Tesseract's whole percents come back exactly for the formats that print them
    assert all(percent(w.conf) == int(percent(w.conf)) for w in page.words)
    assert mean_conf(page.words) == page.mean_conf > 0.8


def test_orientation_of_an_upside_down_page(image) -> None:
    degrees, conf = get_engine().orientation(cv2.rotate(image, cv2.ROTATE_180))
    assert degrees == 180 and 0.5 <= conf <= 1


class _Counting:
    """Tesseract under another name, counting what the pipeline asks of it."""

    name = "counting"

    def __init__(self) -> None:
        self.inner = TesseractEngine()
        self.reads = 0
        self.orientations = 0

    def languages(self) -> frozenset[str]:
        return self.inner.languages()

    def check(self, lang: str) -> None:
        self.inner.check(lang)

    def read(self, image, *, lang, dpi=None, psm=None):
        self.reads += 1
        return self.inner.read(image, lang=lang, dpi=dpi, psm=psm)

    def orientation(self, image):
        self.orientations += 1
        return self.inner.orientation(image)


def test_pipeline_reads_through_the_registered_engine(image) -> None:
    counting = _Counting()
    register_engine("counting", lambda: counting)
    upside = cv2.rotate(image, cv2.ROTATE_180)
    pre, page, _ = read_page(upside, 300, engine="counting")
    assert counting.reads == 1 and counting.orientations == 1  # upside down: the ink test doubts it
    assert "orient:180" in pre.applied
    assert "phòng cháy" in page.text
