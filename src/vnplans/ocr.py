"""Tesseract wrapper: words with boxes and confidences. The only module that calls Tesseract."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one thread per process: parallel pages scale

__all__ = ["OcrWord", "OcrPage", "ocr_image"]


@dataclass(slots=True)
class OcrWord:
    text: str
    conf: float  # 0..100, Tesseract's word confidence
    x0: int
    y0: int
    x1: int
    y1: int
    block: int
    par: int
    line: int


@dataclass
class OcrPage:
    width: int
    height: int
    words: list[OcrWord] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Words joined by line, lines by blocks, in Tesseract's reading order."""
        lines: list[str] = []
        key = None
        for w in self.words:
            k = (w.block, w.par, w.line)
            if k != key:
                if key is not None and k[:2] != key[:2]:
                    lines.append("")
                lines.append(w.text)
                key = k
            else:
                lines[-1] += " " + w.text
        return "\n".join(lines) + ("\n" if lines else "")


def ocr_image(image: np.ndarray, *, lang: str = "vie", psm: int | None = None) -> OcrPage:
    import pytesseract

    config = f"--psm {psm}" if psm is not None else ""
    d = pytesseract.image_to_data(image, lang=lang, config=config, output_type=pytesseract.Output.DICT)
    h, w = image.shape[:2]
    page = OcrPage(width=w, height=h)
    for i, txt in enumerate(d["text"]):
        txt = (txt or "").strip()
        conf = float(d["conf"][i])
        if not txt or conf < 0:
            continue
        x, y, bw, bh = d["left"][i], d["top"][i], d["width"][i], d["height"][i]
        page.words.append(
            OcrWord(txt, conf, x, y, x + bw, y + bh, d["block_num"][i], d["par_num"][i], d["line_num"][i])
        )
    return page
