"""A second look at the document number's blank (`Số: ___/2026/TT-BCT`), where the issuing office
writes or stamps the number by hand after printing.

Tesseract reads the page for printed text; handwritten digits amid it come out as symbols
(`Số: 2 † /2026/TT-BCT` for a handwritten 21). Read again alone, as one line of text, the same
blank gives its digits. The second reading is kept only when it is nothing but a number, and its
word (the number and symbol, one word as printed) carries a confidence of at most
`HANDWRITTEN_CONF`, so the record's number field shows doubt.
"""

from __future__ import annotations

import re

import numpy as np

from ..lexicon import fkey
from .engine import OcrEngine
from .page import OcrPage

__all__ = ["HANDWRITTEN_CONF", "reread_number"]

HANDWRITTEN_CONF = 0.8  # a number read from handwriting is never certain: at most this confidence
MIN_CONF = 0.5  # the second reading's own confidence below which it is dropped
_LABEL = re.compile(r"so:?")  # `Số:` folded; the colon may be read apart or not at all
_DIGITS = re.compile(r"\d{1,5}")
_SYMBOL = re.compile(r"/\s*(\d{4}\s*/\s*)?[A-ZĐ]")  # `/2026/TT-BCT`, `/KH-UBND`: the symbol after the blank
HEADER_SHARE = 0.4  # the number line is in the header: the top of the page
_MARGIN = 0.3  # of the line's height, above and below the blank
_BORDER = 16  # white pixels around the crop: Tesseract finds no text touching the image's edge


def _is_number_head(text: str) -> bool:
    return text == "" or text.isdigit()


def reread_number(
    image: np.ndarray, page: OcrPage, engine: OcrEngine, lang: str, dpi: int | None
) -> str | None:
    """Read the number's blank again where the words between `Số:` and the `/` of the symbol are not
    digits; put the digits on the page in their place. Returns the number read, or None."""
    for line in page.lines():
        words = line.words
        if line.box[1] > HEADER_SHARE * page.height:
            break
        for i, label in enumerate(words[:-1]):
            if not _LABEL.fullmatch(fkey(label.text)) or not label.text[:1].isupper():
                continue
            j = next((k for k in range(i + 1, min(i + 5, len(words))) if "/" in words[k].text), None)
            if j is None:
                continue
            between, slash = words[i + 1 : j], words[j]
            head = slash.text.split("/", 1)[0]
            if not _SYMBOL.match(slash.text[len(head) :]):
                continue
            if all(w.text.isdigit() for w in between) and _is_number_head(head):
                continue  # a printed number, read as one
            # where the symbol's `/` begins: at the word's left, or inside it after glued marks
            cut = slash.x0 + round((slash.x1 - slash.x0) * len(head) / max(1, len(slash.text)))
            digits = _read_blank(image, engine, lang, dpi, label.x1, cut, line.box)
            if digits is None:
                continue
            text, conf = digits
            # one word, as printed: `21/2026/TT-BCT`, its confidence the doubt of the handwriting
            slash.text = text + slash.text[len(head) :]
            slash.conf = min(slash.conf, conf, HANDWRITTEN_CONF)
            slash.x0 = min(slash.x0, label.x1 + 1)
            page.words[:] = [w for w in page.words if not any(w is b for b in between)]
            return text
    return None


def _read_blank(
    image: np.ndarray,
    engine: OcrEngine,
    lang: str,
    dpi: int | None,
    x0: int,
    x1: int,
    box: tuple[int, int, int, int],
) -> tuple[str, float] | None:
    """The blank between x0 and x1 on the line `box`, read as one line: (digits, confidence) or None."""
    h = box[3] - box[1]
    y0, y1 = max(0, box[1] - round(_MARGIN * h)), min(image.shape[0], box[3] + round(_MARGIN * h))
    x0, x1 = max(0, x0 + 2), min(image.shape[1], x1 - 1)
    if x1 - x0 < h // 2 or y1 <= y0:
        return None
    crop = np.ascontiguousarray(image[y0:y1, x0:x1])
    gray = crop if crop.ndim == 2 else crop.min(axis=2)
    if not (gray < 128).any():
        return None  # a blank left blank
    pad = [(_BORDER, _BORDER), (_BORDER, _BORDER)] + ([(0, 0)] if crop.ndim == 3 else [])
    crop = np.pad(crop, pad, constant_values=255)
    read = engine.read(crop, lang=lang, dpi=dpi, psm=7)
    text = "".join(w.text for w in read.words).rstrip(".,:;")
    if not _DIGITS.fullmatch(text) or not read.words:
        return None
    conf = min(w.conf for w in read.words)
    return (text, conf) if conf >= MIN_CONF else None
