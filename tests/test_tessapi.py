"""libtesseract in-process against the `tesseract` command: the same words, boxes and confidences."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import cv2
import numpy as np
import pytest

from vnplans.ocr import tessapi
from vnplans.ocr import tesseract as ocr
from vnplans.synth.degrade import degrade
from vnplans.synth.render import render_page

pytestmark = pytest.mark.skipif(not tessapi.available(), reason="libtesseract 5 cannot be loaded here")

LINES = [
    "ỦY BAN NHÂN DÂN          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Số: 27/KH-UBND                Độc lập - Tự do - Hạnh phúc",
    "QUÝ II",
    "3. Tổ chức tập huấn nghiệp vụ cho cán bộ, công chức cấp xã (tháng 5/2023).",
    "Giao Sở Tư pháp chủ trì, phối hợp với các đơn vị liên quan triển khai thực hiện.",
]


@pytest.fixture(scope="module")
def scan() -> np.ndarray:
    """A degraded grey page: OCR errors and low-confidence words included, as on real scans."""
    rp = render_page(LINES, page_mm=(200, 70), margins_mm=(8, 8, 8, 8), size_pt=12, align="left", indent_mm=0)
    img = np.asarray(degrade(rp.image, seed=3, level="medium"))
    return img if img.ndim == 2 else cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)


def _words(page: ocr.OcrPage) -> list[tuple]:
    return [(w.text, w.conf, w.x0, w.y0, w.x1, w.y1, w.block, w.par, w.line) for w in page.words]


def _by_command(monkeypatch: pytest.MonkeyPatch, image: np.ndarray, **kw) -> ocr.OcrPage:
    with monkeypatch.context() as m:
        m.setattr(tessapi, "available", lambda: False)
        return ocr.ocr_image(image, **kw)


@pytest.mark.parametrize("psm", [3, 6])
def test_library_reads_what_the_command_reads(scan, monkeypatch, psm) -> None:
    inproc = ocr.ocr_image(scan, dpi=300, psm=psm)
    command = _by_command(monkeypatch, scan, dpi=300, psm=psm)
    assert len(inproc.words) > 20
    assert _words(inproc) == _words(command)


@pytest.mark.slow
def test_colour_pages_and_unknown_resolution_match_too(scan, monkeypatch) -> None:
    bgr = np.ascontiguousarray(
        np.dstack([scan, scan, np.minimum(scan.astype(int) + 40, 255).astype(np.uint8)])
    )
    assert _words(ocr.ocr_image(bgr, dpi=300)) == _words(_by_command(monkeypatch, bgr, dpi=300))
    assert _words(ocr.ocr_image(scan)) == _words(_by_command(monkeypatch, scan))


@pytest.mark.slow
def test_one_engine_per_thread_gives_the_same_words(scan) -> None:
    want = _words(ocr.ocr_image(scan, dpi=300))
    got: list[list[tuple]] = []
    threads = [
        threading.Thread(target=lambda: got.append(_words(ocr.ocr_image(scan, dpi=300)))) for _ in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == [want] * 3


@pytest.mark.slow
def test_a_finished_thread_leaves_no_engine_behind(scan) -> None:
    import gc

    ocr.ocr_image(scan, dpi=300)  # this thread's engine
    before = len(tessapi._LIVE)
    t = threading.Thread(target=lambda: ocr.ocr_image(scan, dpi=300))
    t.start()
    t.join()
    gc.collect()
    assert len(tessapi._LIVE) == before


def test_engine_is_reused_and_pages_do_not_leak_into_each_other(scan) -> None:
    first = _words(ocr.ocr_image(scan, dpi=300))
    blank = ocr.ocr_image(np.full((400, 600), 255, np.uint8), dpi=300)
    assert blank.words == []
    assert _words(ocr.ocr_image(scan, dpi=300)) == first


def test_unknown_language_is_an_error_not_a_crash() -> None:
    with pytest.raises(tessapi.TesseractApiError, match="klingon"):
        tessapi.image_to_data(np.full((50, 50), 255, np.uint8), lang="klingon", psm=3, dpi=300)


def test_command_can_be_forced(monkeypatch) -> None:
    monkeypatch.setenv("VNPLANS_TESSERACT", "cli")
    tessapi._lib.cache_clear()
    try:
        assert not tessapi.available()
    finally:
        monkeypatch.delenv("VNPLANS_TESSERACT")
        tessapi._lib.cache_clear()
    assert tessapi.available()


def test_tsv_rows_parse_as_pytesseract_gives_them() -> None:
    tsv = "1\t1\t0\t0\t0\t0\t0\t0\t600\t400\t-1\t\n5\t1\t1\t1\t1\t1\t10\t20\t30\t12\t96.754\tQUÝ\n5\t1\t1\t1\t1\t2\t44\t20\t9\t12\t91.2"
    d = tessapi._parse_tsv(tsv)
    assert d["text"] == ["", "QUÝ", ""]
    assert d["conf"] == [-1, 96, 91]
    assert d["left"] == [0, 10, 44] and d["word_num"] == [0, 1, 2]


def test_a_model_loaded_in_the_background_is_handed_to_the_reader(scan) -> None:
    """`warm` loads an engine on another thread; the first thread to read takes it, and reads as a
    fresh engine does. A language that is not installed fails there and is raised where it is read."""
    done = threading.Event()
    out: dict = {}

    def reader() -> None:  # a new thread: no engine of its own yet
        tessapi.warm("vie")
        assert "vie" not in tessapi._ENGINES.by_lang and (os.getpid(), "vie") in tessapi._PARKED
        out["words"] = tessapi.image_to_data(scan, lang="vie", psm=6, dpi=300)["text"]
        out["took"] = "vie" in tessapi._ENGINES.by_lang and (os.getpid(), "vie") not in tessapi._PARKED
        done.set()

    t = threading.Thread(target=reader)
    t.start()
    t.join(60)
    assert done.is_set() and out["took"]
    assert out["words"] == tessapi.image_to_data(scan, lang="vie", psm=6, dpi=300)["text"]
    tessapi.warm("xyzzy")  # fails on its thread, quietly
    with pytest.raises(tessapi.TesseractApiError, match="xyzzy"):
        tessapi.image_to_data(scan, lang="xyzzy", psm=6, dpi=300)
    tessapi.warm("")  # an empty name would crash the library: never loaded


def test_two_engines_loaded_one_after_another_go_to_the_two_band_readers(scan) -> None:
    """`warm(lang, 2)`: one thread loads two engines in turn (a page's two bands each take one, and
    the loads never make a third busy thread on two cores); each reader gets its own and reads as a
    fresh engine does."""
    key = (os.getpid(), "vie")
    out: dict[str, object] = {}
    ready = threading.Barrier(2)

    def reader(name: str) -> None:  # new threads: no engine of their own yet
        ready.wait()
        out[name] = (tessapi.image_to_data(scan, lang="vie", psm=6, dpi=300)["text"], tessapi._engine("vie"))

    starter = threading.Thread(target=tessapi.warm, args=("vie",), kwargs={"count": 2})  # no engine yet
    starter.start()
    starter.join()
    assert len(tessapi._PARKED[key]) == 2
    threads = [threading.Thread(target=reader, args=(n,)) for n in ("upper", "lower")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert key not in tessapi._PARKED  # both taken
    (words_a, engine_a), (words_b, engine_b) = out["upper"], out["lower"]
    assert engine_a != engine_b  # one engine per thread: a TessBaseAPI is not thread-safe
    assert words_a == words_b == tessapi.image_to_data(scan, lang="vie", psm=6, dpi=300)["text"]


def test_the_cli_starts_loading_before_numpy_with_one_openmp_thread() -> None:
    """`vnplans ocr` warms Tesseract first thing (`warm_engine`), before numpy and the page reader
    load; the library then loads with OpenMP limited to one thread (without it the two bands' OpenMP
    teams spun against each other: 2.6 s for a 0.9 s page)."""
    code = (
        "import os, sys; from vnplans.ocr.engine import warm_engine; warm_engine(None, 'vie'); "
        "from vnplans.ocr import tessapi; print('numpy' in sys.modules, os.environ.get('OMP_THREAD_LIMIT'), "
        "len(tessapi._PARKED.get((os.getpid(), 'vie'), [])))"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_THREAD_LIMIT", "VNPLANS_OCR_BANDS")}
    got = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert got.stdout.split() == ["False", "1", "2"]
