"""A second look at the header's blanks that offices fill by hand after printing: the document
number (`Số: ___/2026/TT-BCT`) and the day and month of the date (`ngày ___ tháng ___ năm 2026`).

Tesseract reads the page for printed text; handwritten digits amid it come out as symbols
(`Số: 2 † /2026/TT-BCT` for a handwritten 21). Read again alone, as one line of text, the same
blank gives its digits. The second reading is kept only when it is nothing but a number (a day
1-31, a month 1-12), and its word carries a confidence of at most `HANDWRITTEN_CONF`, so the
record's fields show doubt; the pipeline adds a warning per blank read.
"""

from __future__ import annotations

import re

import numpy as np

from ..lexicon import fkey
from .engine import OcrEngine
from .page import OcrLine, OcrPage, OcrWord

__all__ = ["HANDWRITTEN_CONF", "reread_blanks", "reread_date", "reread_number"]

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
            cut = _x_at(slash, len(head))  # where the symbol's `/` begins, after marks glued before it
            digits = _read_blank(image, engine, lang, dpi, label.x1, cut, line.box, (label.x0, slash.x1))
            if digits is None:
                continue
            text, conf = digits
            # one word, as printed: `21/2026/TT-BCT`, its confidence the doubt of the handwriting
            slash.text = text + slash.text[len(head) :]
            slash.conf = min(slash.conf, conf, HANDWRITTEN_CONF)
            slash.x0 = min(slash.x0, label.x1 + 1)
            _drop(page, between)
            return text
    return None


# the date's labels, folded, each with the range of the number its blank holds
_DATE_BLANKS = (("ngay", "thang", "day", 1, 31), ("thang", "nam", "month", 1, 12))


def reread_date(
    image: np.ndarray, page: OcrPage, engine: OcrEngine, lang: str, dpi: int | None
) -> dict[str, str]:
    """Read the day and month blanks again where OCR put no number between `ngày`, `tháng` and
    `năm` (marks glued onto a label count as read in the blank); put the digits on the page.
    Returns {"day": "28", "month": "4"} for the blanks read, {} when none was."""
    for line in page.lines():
        if line.box[1] > HEADER_SHARE * page.height:
            break
        got = _date_line(image, page, line, engine, lang, dpi)
        if got is not None:
            return got
    return {}


def _label_at(words: list[OcrWord], start: int, label: str, reach: int = 4) -> int | None:
    return next(
        (k for k in range(start, min(start + reach, len(words))) if fkey(words[k].text).startswith(label)),
        None,
    )


def _date_line(
    image: np.ndarray, page: OcrPage, line: OcrLine, engine: OcrEngine, lang: str, dpi: int | None
) -> dict[str, str] | None:
    """The blanks of the line's `ngày ... tháng ... năm`, or None when the line has no such date."""
    words = line.words
    day = _label_at(words, 0, "ngay", len(words))
    month = None if day is None else _label_at(words, day + 1, "thang")
    year = None if month is None else _label_at(words, month + 1, "nam")
    if day is None or month is None or year is None:
        return None
    got: dict[str, str] = {}
    for at, stop, (label, _, kind, lo, hi) in ((day, month, _DATE_BLANKS[0]), (month, year, _DATE_BLANKS[1])):
        lab, nxt = words[at], words[stop]
        size = len(label)  # `ngày`/`tháng` keep their length when folded
        between = words[at + 1 : stop]
        tail = lab.text[size:]
        read = tail + "".join(w.text for w in between)
        if re.fullmatch(r"\d{1,2}", read):
            continue  # printed, or written and read
        start = _x_at(lab, size) if tail else lab.x1
        digits = _read_blank(image, engine, lang, dpi, start, nxt.x0, line.box, (lab.x0, nxt.x1))
        if digits is None or not lo <= int(digits[0]) <= hi:
            continue
        text, conf = digits
        lab.text, lab.x1 = lab.text[:size], min(lab.x1, start)
        word = OcrWord(
            text, min(conf, HANDWRITTEN_CONF), start + 1, line.box[1], max(start + 2, nxt.x0 - 1), line.box[3],
            lab.block, lab.par, lab.line,
        )  # fmt: skip
        _drop(page, between)
        page.words.insert(next(k for k, w in enumerate(page.words) if w is lab) + 1, word)
        got[kind] = text
    return got


def _x_at(word: OcrWord, n: int) -> int:
    """Where the word's character `n` begins, its box shared evenly among its characters: marks OCR
    glued onto a label or a symbol (`ngày¿2§`, `2†/2026/`) are cut off there."""
    return word.x0 + round((word.x1 - word.x0) * n / max(1, len(word.text)))


def _drop(page: OcrPage, words: list[OcrWord]) -> None:
    """The words OCR read in a blank, off the page (the second reading stands for them)."""
    page.words[:] = [w for w in page.words if not any(w is b for b in words)]


def reread_blanks(
    image: np.ndarray, page: OcrPage, engine: OcrEngine, lang: str, dpi: int | None
) -> list[tuple[str, str]]:
    """Every blank read again, as pipeline warnings: (code, message)."""
    out = []
    if (number := reread_number(image, page, engine, lang, dpi)) is not None:
        out.append(("number-handwritten", f"the document number's blank was read again on its own: {number}"))
    date = reread_date(image, page, engine, lang, dpi)
    if date:
        read = ", ".join(f"{k} {v}" for k, v in date.items())
        out.append(("date-handwritten", f"the date's blanks were read again on their own: {read}"))
    return out


def _read_blank(
    image: np.ndarray,
    engine: OcrEngine,
    lang: str,
    dpi: int | None,
    x0: int,
    x1: int,
    box: tuple[int, int, int, int],
    context: tuple[int, int] | None = None,
) -> tuple[str, float] | None:
    """The blank between x0 and x1 on the line `box`, read as one line: (digits, confidence) or None.
    Alone first (handwriting read amid print is read as print again); then, for a digit too short to
    read alone (`4` read `4A`), with the labels around it (`context`: from the label before to the
    one after), keeping the words between them."""
    h = box[3] - box[1]
    y0, y1 = max(0, box[1] - round(_MARGIN * h)), min(image.shape[0], box[3] + round(_MARGIN * h))
    x0, x1 = max(0, x0 + 2), min(image.shape[1], x1 - 1)
    if x1 - x0 < h // 3 or y1 <= y0:
        return None
    gray = image[y0:y1, x0:x1] if image.ndim == 2 else image[y0:y1, x0:x1].min(axis=2)
    if not (gray < 128).any():
        return None  # a blank left blank
    words = _read_crop(image, engine, lang, dpi, x0, x1, y0, y1)
    got = _digits(words)
    if got is None and context is not None:
        words = _read_crop(image, engine, lang, dpi, max(0, context[0] - 2), context[1] + 2, y0, y1)
        got = _digits(words[1:-1]) if len(words) >= 3 else None
    return got


def _read_crop(
    image: np.ndarray, engine: OcrEngine, lang: str, dpi: int | None, x0: int, x1: int, y0: int, y1: int
) -> list[OcrWord]:
    crop = np.ascontiguousarray(image[y0:y1, x0:x1])
    pad = [(_BORDER, _BORDER), (_BORDER, _BORDER)] + ([(0, 0)] if crop.ndim == 3 else [])
    return engine.read(np.pad(crop, pad, constant_values=255), lang=lang, dpi=dpi, psm=7).words


def _digits(words: list[OcrWord]) -> tuple[str, float] | None:
    text = "".join(w.text for w in words).rstrip(".,:;")
    if not words or not _DIGITS.fullmatch(text):
        return None
    conf = min(w.conf for w in words)
    return (text, conf) if conf >= MIN_CONF else None
