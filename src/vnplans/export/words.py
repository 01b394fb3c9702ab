"""Word-level archival exports of a processed scan: ALTO v4, hOCR and TSV.

Why: digital-library software (METS/ALTO viewers, search highlighting, crowd correction) reads word
boxes, not records. Each word is the *corrected* Vietnamese word, on its box in the pixels of the page
as it came in (OCR boxes mapped back through the preprocessing, as in the searchable PDF), with two
confidences: Tesseract's for its reading and the corrector's for the word given.

- ALTO: `String/@WC` is the corrector's confidence in `CONTENT` (what the archive reads). ALTO has one
  confidence per word, so Tesseract's reading and its confidence go into the String's
  `<ALTERNATIVE PURPOSE="OCR WC=0.930">` (the reading as the alternative's text).
- hOCR: `ocrx_word` with `bbox`, `x_wconf` (Tesseract, 0-100) and `x_corrconf` (corrector, 0-1), and
  the OCR reading in `data-ocr` where it differs.
- TSV: Tesseract's columns (level 5 word rows) plus `ocr_text` and `correction_conf`.

Pages read from a PDF text layer have no boxes; they are left out of these exports.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import numpy as np

__all__ = ["WordBox", "PageWords", "page_words", "to_alto", "to_hocr", "to_tsv", "ALTO_NS", "WORD_FORMATS"]

ALTO_NS = "http://www.loc.gov/standards/alto/ns-v4#"
WORD_FORMATS = ("alto", "hocr", "tsv")


@dataclass(frozen=True)
class WordBox:
    text: str  # corrected
    ocr_text: str  # Tesseract's reading
    left: int
    top: int
    width: int
    height: int
    ocr_conf: float  # 0..100
    correction_conf: float | None  # 0..1; None when no correction ran
    block: int
    par: int
    line: int


@dataclass(frozen=True)
class PageWords:
    number: int
    width: int
    height: int
    words: list[WordBox]


def _box(matrix: np.ndarray, w: Any, size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The word's box on the source page: its four corners mapped, then the box around them."""
    corners = np.array([[w.x0, w.y0, 1], [w.x1, w.y0, 1], [w.x0, w.y1, 1], [w.x1, w.y1, 1]], dtype=float)
    pts = corners @ matrix.T
    x0 = int(np.clip(np.floor(pts[:, 0].min()), 0, size[0]))
    y0 = int(np.clip(np.floor(pts[:, 1].min()), 0, size[1]))
    x1 = int(np.clip(np.ceil(pts[:, 0].max()), 0, size[0]))
    y1 = int(np.clip(np.ceil(pts[:, 1].max()), 0, size[1]))
    return x0, y0, max(0, x1 - x0), max(0, y1 - y0)


def page_words(result: Any) -> list[PageWords]:
    """The OCR'd pages of a `DocumentResult`, words on source-page pixels, in reading order."""
    from ..image.pagemap import to_source
    from ..ocr.page import percent

    pages: list[PageWords] = []
    for p in result.pages:
        if p.ocr is None:
            continue
        size = p.source_size or (p.ocr.width, p.ocr.height)
        matrix, _ = to_source(size, p.preprocessing, (p.ocr.width, p.ocr.height))
        sources = p.word_sources if p.word_sources and len(p.word_sources) == len(p.ocr.words) else None
        words = []
        for i, w in enumerate(p.ocr.words):
            ocr_text, corr = sources[i] if sources else (w.text, None)
            left, top, width, height = _box(matrix, w, size)
            words.append(
                WordBox(
                    w.text, ocr_text, left, top, width, height, percent(w.conf), corr, w.block, w.par, w.line
                )
            )
        pages.append(PageWords(p.number, int(size[0]), int(size[1]), words))
    return pages


def _union(words: list[WordBox]) -> tuple[int, int, int, int]:
    x0 = min(w.left for w in words)
    y0 = min(w.top for w in words)
    x1 = max(w.left + w.width for w in words)
    y1 = max(w.top + w.height for w in words)
    return x0, y0, x1 - x0, y1 - y0


def _grouped(words: list[WordBox]) -> list[list[list[WordBox]]]:
    """Blocks of lines of words, in the order Tesseract read them."""
    blocks: dict[int, dict[tuple[int, int], list[WordBox]]] = {}
    for w in words:
        blocks.setdefault(w.block, {}).setdefault((w.par, w.line), []).append(w)
    return [list(lines.values()) for lines in blocks.values()]


def _pos(box: tuple[int, int, int, int]) -> str:
    return f'HPOS="{box[0]}" VPOS="{box[1]}" WIDTH="{box[2]}" HEIGHT="{box[3]}"'


def to_alto(pages: list[PageWords], *, file_name: str = "", version: str = "") -> str:
    """ALTO v4 XML (pixel units) of the pages' corrected words."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<alto xmlns="{ALTO_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{ALTO_NS} http://www.loc.gov/alto/v4/alto-4-2.xsd">',
        "<Description>",
        "<MeasurementUnit>pixel</MeasurementUnit>",
        f"<sourceImageInformation><fileName>{escape(file_name)}</fileName></sourceImageInformation>",
        '<Processing ID="vnplans"><processingStepDescription>Tesseract OCR of the cleaned page, '
        "Vietnamese correction; boxes on the source page</processingStepDescription>"
        "<processingSoftware><softwareName>vnplans</softwareName>"
        f"<softwareVersion>{escape(version)}</softwareVersion></processingSoftware></Processing>",
        "</Description>",
        "<Layout>",
    ]
    for p in pages:
        pid = f"p{p.number}"
        out.append(f'<Page ID="{pid}" PHYSICAL_IMG_NR="{p.number}" WIDTH="{p.width}" HEIGHT="{p.height}">')
        out.append(f"<PrintSpace {_pos((0, 0, p.width, p.height))}>")
        for b, lines in enumerate(_grouped(p.words), start=1):
            words = [w for line in lines for w in line]
            out.append(f'<TextBlock ID="{pid}_b{b}" {_pos(_union(words))}>')
            for n, line in enumerate(lines, start=1):
                lid = f"{pid}_b{b}_l{n}"
                out.append(f'<TextLine ID="{lid}" {_pos(_union(line))}>')
                for k, w in enumerate(line, start=1):
                    if k > 1:
                        out.append("<SP/>")
                    wc = w.correction_conf if w.correction_conf is not None else w.ocr_conf / 100
                    out.append(
                        f'<String ID="{lid}_w{k}" CONTENT={quoteattr(w.text)} {_pos(_box_of(w))} '
                        f'WC="{max(0.0, min(1.0, wc)):.3f}">'
                        f'<ALTERNATIVE PURPOSE="OCR WC={max(0.0, w.ocr_conf) / 100:.3f}">'
                        f"{escape(w.ocr_text)}</ALTERNATIVE></String>"
                    )
                out.append("</TextLine>")
            out.append("</TextBlock>")
        out.append("</PrintSpace>")
        out.append("</Page>")
    out += ["</Layout>", "</alto>", ""]
    return "\n".join(out)


def _box_of(w: WordBox) -> tuple[int, int, int, int]:
    return w.left, w.top, w.width, w.height


def _bbox(box: tuple[int, int, int, int]) -> str:
    return f"bbox {box[0]} {box[1]} {box[0] + box[2]} {box[1] + box[3]}"


def to_hocr(pages: list[PageWords], *, file_name: str = "", version: str = "") -> str:
    """hOCR (XHTML) of the pages' corrected words."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">',
        '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="vi" lang="vi">',
        "<head>",
        f"<title>{escape(file_name)}</title>",
        '<meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>',
        f'<meta name="ocr-system" content="vnplans {escape(version)}"/>',
        '<meta name="ocr-capabilities" content="ocr_page ocr_carea ocr_line ocrx_word"/>',
        "</head>",
        "<body>",
    ]
    for p in pages:
        title = f'image "{file_name}"; {_bbox((0, 0, p.width, p.height))}; ppageno {p.number - 1}'
        out.append(f"<div class='ocr_page' id='page_{p.number}' title={quoteattr(title)}>")
        for b, lines in enumerate(_grouped(p.words), start=1):
            words = [w for line in lines for w in line]
            out.append(f"<div class='ocr_carea' id='block_{p.number}_{b}' title='{_bbox(_union(words))}'><p>")
            for n, line in enumerate(lines, start=1):
                lid = f"line_{p.number}_{b}_{n}"
                out.append(f"<span class='ocr_line' id='{lid}' title='{_bbox(_union(line))}'>")
                for k, w in enumerate(line, start=1):
                    props = f"{_bbox(_box_of(w))}; x_wconf {round(w.ocr_conf)}"
                    if w.correction_conf is not None:
                        props += f"; x_corrconf {w.correction_conf:.3f}"
                    extra = f" data-ocr={quoteattr(w.ocr_text)}" if w.ocr_text != w.text else ""
                    out.append(
                        f"<span class='ocrx_word' id='word_{p.number}_{b}_{n}_{k}' title='{props}'{extra}>"
                        f"{escape(w.text)}</span>"
                    )
                out.append("</span>")
            out.append("</p></div>")
        out.append("</div>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


TSV_COLUMNS = (
    "level", "page_num", "block_num", "par_num", "line_num", "word_num", "left", "top", "width", "height",
    "conf", "text", "ocr_text", "correction_conf",
)  # fmt: skip


def to_tsv(pages: list[PageWords]) -> str:
    """Tesseract's TSV columns (word rows, level 5) plus the OCR reading and the corrector's confidence."""
    buf = io.StringIO()
    wr = csv.writer(buf, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    wr.writerow(TSV_COLUMNS)
    for p in pages:
        for lines in _grouped(p.words):
            for line in lines:
                for k, w in enumerate(line, start=1):
                    corr = "" if w.correction_conf is None else f"{w.correction_conf:.3f}"
                    wr.writerow(
                        (5, p.number, w.block, w.par, w.line, k, w.left, w.top, w.width, w.height,
                         f"{w.ocr_conf:.2f}", w.text, w.ocr_text, corr)
                    )  # fmt: skip
    return buf.getvalue()
