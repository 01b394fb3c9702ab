"""The receipt stamp (`dấu đến`) kept out of a scanned page's text.

Why: an office stamps every document it receives (Decree 30/2020, Appendix: its name, `CÔNG VĂN ĐẾN`
or `ĐẾN`, `Số`, `Giờ ... Ngày ...`, `Kính chuyển` or `Chuyển:`, `Lưu hồ sơ số`), mostly in the header
beside the number and date line and often over it. It is not the document's text, but OCR reads it
into the header: on the real scan of the OCR benchmark its lines and the handwriting in them were
about a third of the syllable errors left, and they sat between the header's fields.

A stamp is known by its printed labels: two kinds or more (`lexicon.RECEIPT_LABELS`) close together,
each on a short run of words (a body line runs the page's width; `kính chuyển` in a letter's text is
no stamp). Its box is theirs, with the lines of capitals just above (the receiving office's name).
The words whose centre lies in the box leave the page; the pipeline reports their text in a warning,
so nothing is lost. A date that runs into the box from its left stays (`ngày 28 tháng 4 năm 2026`
read through the stamp): it is the document's own.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from ..lexicon import QUOC_HIEU, RECEIPT_LABELS, fkey, fold, fold_words
from ..ocr import OcrPage, OcrWord

__all__ = ["ReceiptStamp", "find_receipt_stamp", "take_receipt_stamp"]

MAX_WIDTH = 0.45  # of the page's width: a stamp, and each of its label runs, is narrower
MAX_HEIGHT = 0.2  # of the page's height
SEGMENT_GAP = 1.5  # a gap wider than this many line heights ends a run of words (header columns)
ABOVE_LINES = 2  # lines of capitals above the labels taken as the office's name, at most
ABOVE_GAP = 1.5  # ... each within this many line heights of the box
PAD = 0.6  # line heights around the labels' box that still belong to the stamp (handwriting beside)

_LABELS = {kind: re.compile(p) for kind, p in RECEIPT_LABELS.items()}
_DATE_WORD = re.compile(r"(?:thang|nam|ngay|\d{1,4}|\d{1,2}/\d{1,2}(?:/\d{2,4})?)[.,]?")


@dataclass
class ReceiptStamp:
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in the page's pixels
    kinds: list[str]  # the labels that were found (`RECEIPT_LABELS` keys)
    lines: list[str]  # the words taken off the page, line by line

    @property
    def text(self) -> str:
        return " / ".join(self.lines)


Box = tuple[int, int, int, int]


def _union(a: Box, b: Box) -> Box:
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


def _box(words: list[OcrWord]) -> Box:
    return (
        min(w.x0 for w in words),
        min(w.y0 for w in words),
        max(w.x1 for w in words),
        max(w.y1 for w in words),
    )


def _segments(page: OcrPage, height: float) -> list[list[OcrWord]]:
    """Each line's runs of words: a wide gap parts a line (the two header columns share lines)."""
    out: list[list[OcrWord]] = []
    for line in page.lines():
        run: list[OcrWord] = []
        for w in line.words:
            if run and w.x0 - run[-1].x1 > SEGMENT_GAP * height:
                out.append(run)
                run = []
            run.append(w)
        if run:
            out.append(run)
    return out


def _upper_den(text: str) -> bool:
    """A word that ends in `ĐẾN` in capitals (the stamp's big letters; OCR may glue the line's
    handwriting or a covered date before them)."""
    letters = [c for c in text if c.isalpha()]
    tail = "".join(letters[-3:])
    return len(tail) == 3 and tail.isupper() and fold(tail) == "DEN"


def _anchors(page: OcrPage, height: float) -> list[tuple[str, Box]]:
    out: list[tuple[str, Box]] = []
    for run in _segments(page, height):
        box = _box(run)
        if box[2] - box[0] > MAX_WIDTH * page.width:
            continue
        key = fkey(" ".join(w.text for w in run))
        for kind, pattern in _LABELS.items():
            if kind != "den" and pattern.search(key):
                out.append((kind, box))
        # `ĐẾN` only in capitals: a line of text may end in `đến`
        out.extend(("den", _box([w])) for w in run if _upper_den(w.text))
    return out


def _cluster(anchors: list[tuple[str, Box]], width: int, height: int) -> tuple[list[str], Box] | None:
    """The labels that fit in one stamp-sized box with the most kinds among them (two at least)."""
    best: tuple[list[str], Box] | None = None
    for kind, seed in anchors:
        kinds, box = {kind}, seed
        for k, b in sorted(anchors, key=lambda a: a[1][1]):
            u = _union(box, b)
            if u[2] - u[0] <= MAX_WIDTH * width and u[3] - u[1] <= MAX_HEIGHT * height:
                kinds.add(k)
                box = u
        if len(kinds) >= 2 and (best is None or len(kinds) > len(best[0])):
            best = (sorted(kinds), box)
    return best


def _capitals(words: list[OcrWord]) -> bool:
    letters = [c for w in words for c in w.text if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 0.9 * len(letters)


def _centre_in(w: OcrWord, box: Box) -> bool:
    cx, cy = (w.x0 + w.x1) / 2, (w.y0 + w.y1) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def find_receipt_stamp(page: OcrPage) -> tuple[list[str], Box] | None:
    """(label kinds, box) of a receipt stamp on the page, or None."""
    heights = [w.y1 - w.y0 for w in page.words if any(c.isalnum() for c in w.text)]
    if not heights:
        return None
    h = statistics.median(heights)
    found = _cluster(_anchors(page, h), page.width, page.height)
    if found is None:
        return None
    kinds, (x0, y0, x1, y1) = found
    pad = round(PAD * h)
    x0, x1 = x0 - pad, x1 + pad
    runs = _segments(page, h)
    for _ in range(ABOVE_LINES):  # the receiving office's name, in capitals over the labels
        above = [
            r
            for r in runs
            if (b := _box(r))[1] < y0
            and y0 - ABOVE_GAP * h <= b[3] <= y0 + h / 2
            and min(b[2], x1) - max(b[0], x0) >= 0.5 * (b[2] - b[0])
        ]
        words = [w for r in above for w in r]
        if (
            not words
            or not _capitals(words)
            or fold_words(" ".join(w.text for w in words)) == fold_words(QUOC_HIEU)
        ):
            break
        bx = _box(words)
        x0, y0, x1 = min(x0, bx[0]), bx[1], max(x1, bx[2])
    return kinds, (x0, y0, x1, y1)


def take_receipt_stamp(page: OcrPage) -> ReceiptStamp | None:
    """Find a receipt stamp and take its words off `page` (in place); None, page untouched, when
    there is none."""
    found = find_receipt_stamp(page)
    if found is None:
        return None
    kinds, box = found
    taken: list[OcrWord] = []
    for line in page.lines():
        dated = False  # the line's date runs into the box: `ngày 28 tháng 4 năm 2026` under a stamp
        for w in line.words:
            date_word = bool(_DATE_WORD.fullmatch(fkey(w.text)))
            if not _centre_in(w, box):
                dated = date_word
            elif dated and date_word:
                continue  # the document's date, read through the stamp
            else:
                dated = False
                taken.append(w)
    if not taken:
        return None
    ids = {id(w) for w in taken}
    page.words[:] = [w for w in page.words if id(w) not in ids]
    lines: dict[tuple[int, int, int], list[OcrWord]] = {}
    for w in taken:
        lines.setdefault((w.block, w.par, w.line), []).append(w)
    rows = sorted(
        (sorted(ws, key=lambda w: w.x0) for ws in lines.values()), key=lambda ws: min(w.y0 for w in ws)
    )
    return ReceiptStamp(box, kinds, [" ".join(w.text for w in ws) for ws in rows])
