"""Peak memory (issue 16, item 11): `vnplans parse` of image PDFs of 2 and 8 pages (flat in pages), and
`vnplans restore` of generated stripped text of growing size (bounded: pieces, not the file).

Each figure is the maximum resident set size of one fresh `vnplans` process (`os.wait4`), on inputs
generated here: plan texts from the synthetic generator, rendered at 300 dpi for the scans.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

VNPLANS = [sys.executable, "-m", "vnplans.cli"]


# A process's peak RSS survives exec: a child forked from this (large, after other benchmarks) process
# would report this process's size. A small launcher forks the command and reports its figure instead.
_LAUNCHER = (
    "import os, sys\n"
    "pid = os.fork()\n"
    "if pid == 0:\n"
    "    null = os.open(os.devnull, os.O_WRONLY)\n"
    "    os.dup2(null, 1)\n"
    "    os.dup2(null, 2)\n"
    "    os.execv(sys.argv[1], sys.argv[1:])\n"
    "_, status, usage = os.wait4(pid, 0)\n"
    "print(usage.ru_maxrss, os.waitstatus_to_exitcode(status))\n"
)


def _peak_mb(args: list[str]) -> tuple[float, float, int]:
    """(peak RSS in MB, seconds, exit code) of one command, its output discarded."""
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, *VNPLANS, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        check=True,
    ).stdout.split()
    peak_kb, code = int(out[-2]), int(out[-1])
    return round(peak_kb / 1024, 1), round(time.perf_counter() - t0, 2), code


def _plans(n: int) -> list[str]:
    from vnplans.synth.plans import generate_plan, ocr_order_text

    return [ocr_order_text(generate_plan(seed=i)) for i in range(n)]


def run(args: Any) -> dict:
    from vnplans.synth.render import render_paragraphs
    from vnplans.text.syllable import strip_diacritics

    quick = getattr(args, "quick", False)
    result: dict[str, Any] = {"ocr_pdf": {}, "restore": {}}
    with tempfile.TemporaryDirectory(prefix="vnplans-bench-mem-") as tmp:
        folder = Path(tmp)
        texts = _plans(4)
        pages = [render_paragraphs(t.split("\n")[:30]).convert("L") for t in texts[:2]]
        for n in (2, 8):
            pdf = folder / f"scan{n}.pdf"
            imgs = [pages[i % 2] for i in range(n)]
            imgs[0].save(pdf, save_all=True, append_images=imgs[1:], resolution=300)
            mb, secs, code = _peak_mb(["parse", str(pdf)])
            result["ocr_pdf"][f"{n}_pages"] = {"peak_mb": mb, "seconds": secs, "exit": code}
        stripped = strip_diacritics("\n\n".join(texts)) + "\n\n"
        for size_mb in (0.5, 2) if quick else (0.5, 2, 8):
            path = folder / f"text{size_mb}.txt"
            reps = max(1, int(size_mb * 2**20 / len(stripped.encode())))
            path.write_text(stripped * reps, encoding="utf-8")
            mb, secs, code = _peak_mb(["restore", str(path)])
            result["restore"][f"{size_mb}_MB"] = {"peak_mb": mb, "seconds": secs, "exit": code}
    pdf = result["ocr_pdf"]
    result["summary"] = {
        "ocr_peak_mb_2_vs_8_pages": [pdf["2_pages"]["peak_mb"], pdf["8_pages"]["peak_mb"]],
        "restore_peak_mb": {k: v["peak_mb"] for k, v in result["restore"].items()},
    }
    return result
