"""The background warm-up loads what the first repair needs, and repair reads the same afterwards."""

from __future__ import annotations

import ast
import subprocess
import sys


def _fresh(code: str) -> str:
    """What `code` prints in a fresh interpreter (in this one, other tests may have loaded the models)."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_warmup_loads_every_model_before_the_first_repair() -> None:
    code = (
        "from vnplans import resources\n"
        "from vnplans.text import warmup\n"
        "assert not resources._LOADED\n"
        "warmup.start(); warmup.start(); warmup.wait()\n"
        "print(sorted(k for k, _ in resources._LOADED))\n"
        "from vnplans.text.repair import repair\n"
        "print(repair('Tố chức kiểm tra công tác cải cách hành chính', profile='vie'))\n"
    )
    loaded, repaired = _fresh(code).splitlines()
    assert {"lm", "channel", "candidates"} <= set(ast.literal_eval(loaded))
    assert repaired == "Tổ chức kiểm tra công tác cải cách hành chính"


def test_warmup_starts_when_ocr_starts_not_during_the_clean_up() -> None:
    """Loading models in Python during the clean-up slowed it (GIL); Tesseract reads in C, so the
    warm-up is started once the page is clean: `read_page(before_ocr=...)` calls it then, once."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    from vnplans.fonts import find_font
    from vnplans.pipeline import StageTimer, read_page

    img = Image.new("L", (1200, 300), 255)
    font = ImageFont.truetype(str(find_font()), 48)
    ImageDraw.Draw(img).text((60, 100), "Ủy ban nhân dân tỉnh", font=font, fill=0)
    timer = StageTimer()
    seen: list[set[str]] = []
    _, page, _ = read_page(
        np.asarray(img), 300, timer=timer, before_ocr=lambda: seen.append(set(timer.timings))
    )
    assert len(seen) == 1 and "preprocess" in seen[0] and "ocr" not in seen[0]
    assert "dân" in page.text


def test_a_page_read_in_bands_loads_on_the_first_core_free_and_once() -> None:
    """Both band threads offer their core when their band is done: the work runs once, on one of the
    two threads, after a band (not beside both), and the page reads as it does without it."""
    import threading

    import numpy as np

    from vnplans.ocr import bands

    img = np.full((2200, 1600), 255, np.uint8)
    for k in range(1, 11):
        img[k * 200 : k * 200 + 20, 200:1400] = 0
    order: list[str] = []
    ran: list[str] = []
    lock = threading.Lock()

    def read(part: np.ndarray) -> dict:
        with lock:
            order.append("band")
        return {"level": [1], "block_num": [0], "top": [0], "left": [0], "width": [part.shape[1]],
                "height": [part.shape[0]]}  # fmt: skip

    def when_free() -> None:
        with lock:
            if ran:
                return
            ran.append(threading.current_thread().name)
            order.append("free")

    bands.read_in_bands(img, 200, read, when_free)
    assert len(ran) == 1 and ran[0] in ("MainThread", "ocr-band")
    assert order.index("free") >= 1  # after a band was read


def test_a_child_forked_during_the_load_loads_for_itself() -> None:
    """A batch worker forked while its parent was loading has no thread to finish that load: waiting
    must not hang, and the child's own repair must work."""
    code = (
        "import os, threading\n"
        "from vnplans.text import warmup\n"
        "gate = threading.Event()\n"
        "real = warmup._load\n"
        "warmup._load = lambda: gate.wait()\n"
        "warmup.start()\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    warmup._load = real\n"
        "    warmup.wait()\n"
        "    warmup.run_here(); warmup.wait()\n"
        "    from vnplans.text.repair import repair\n"
        "    os._exit(0 if repair('Tố chức kiểm tra', profile='vie') == 'Tổ chức kiểm tra' else 3)\n"
        "gate.set()\n"
        "_, status = os.waitpid(pid, 0)\n"
        "print(os.waitstatus_to_exitcode(status))\n"
    )
    assert _fresh(code).strip() == "0"
