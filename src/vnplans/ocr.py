"""Tesseract wrapper: words with boxes and confidences. The only module that calls Tesseract.

One Tesseract thread per process (`OMP_THREAD_LIMIT=1`): pages scale by processes, and
Tesseract's OpenMP threads only fight each other on a shared machine. The page image goes to
Tesseract as uncompressed PNM through pytesseract's TSV output (`image_to_data`), with the scan
resolution passed as `--dpi` so Tesseract does not guess it from missing metadata.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache

import numpy as np

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one thread per process: parallel pages scale

__all__ = [
    "OcrWord",
    "OcrLine",
    "OcrPage",
    "OcrUnavailable",
    "DEFAULT_LANG",
    "DEFAULT_PSM",
    "check_tesseract",
    "ocr_image",
    "ocr_hocr",
    "ocr_pdf",
]

DEFAULT_LANG = "vie"
# psm 3 (automatic layout, no OSD) handles the two-column header, tables and body of a plan;
# orientation is fixed earlier by preprocess (OSD), so psm 1 would only cost a second pass.
DEFAULT_PSM = 3


class OcrUnavailable(RuntimeError):
    """Tesseract, or a language it needs, is not installed."""


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


@dataclass(slots=True)
class OcrLine:
    """Words of one Tesseract text line, left to right, with the line's box."""

    words: list[OcrWord]
    block: int
    par: int

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def box(self) -> tuple[int, int, int, int]:
        return (
            min(w.x0 for w in self.words),
            min(w.y0 for w in self.words),
            max(w.x1 for w in self.words),
            max(w.y1 for w in self.words),
        )

    @property
    def conf(self) -> float:
        return sum(w.conf for w in self.words) / len(self.words)


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

    def lines(self) -> list[OcrLine]:
        """Lines in reading order: Tesseract's block order, lines top to bottom, words left to right."""
        groups: dict[tuple[int, int, int], list[OcrWord]] = {}
        for w in self.words:
            groups.setdefault((w.block, w.par, w.line), []).append(w)
        out = [OcrLine(sorted(ws, key=lambda w: w.x0), k[0], k[1]) for k, ws in groups.items()]
        order = {b: i for i, b in enumerate(dict.fromkeys(w.block for w in self.words))}
        out.sort(key=lambda ln: (order[ln.block], ln.box[1]))
        return out

    def blocks(self) -> list[list[OcrLine]]:
        """Lines grouped by Tesseract block, blocks in reading order."""
        out: list[list[OcrLine]] = []
        for ln in self.lines():
            if not out or out[-1][0].block != ln.block:
                out.append([])
            out[-1].append(ln)
        return out

    def confidences(self) -> dict[tuple[int, int], float]:
        """{(start, end): conf} of each word's span in `self.text`, for the repair stage."""
        text = self.text
        spans: dict[tuple[int, int], float] = {}
        pos = 0
        for w in self.words:
            start = text.index(w.text, pos)
            spans[(start, start + len(w.text))] = w.conf
            pos = start + len(w.text)
        return spans

    @property
    def mean_conf(self) -> float:
        return sum(w.conf for w in self.words) / len(self.words) if self.words else 0.0


@cache
def _languages() -> frozenset[str]:
    import pytesseract

    try:
        return frozenset(pytesseract.get_languages(config=""))
    except pytesseract.TesseractNotFoundError:
        raise OcrUnavailable(
            "tesseract is not installed or not on PATH; install tesseract-ocr (Debian: "
            "apt-get install tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd, or `make system-deps`)"
        ) from None


def check_tesseract(lang: str = DEFAULT_LANG) -> None:
    """Raise OcrUnavailable naming what to install when Tesseract or a language (`vie+eng`) is missing."""
    have = _languages()
    missing = [part for part in lang.split("+") if part and part not in have]
    if missing:
        pkgs = " ".join(f"tesseract-ocr-{m.lower().replace('_', '-')}" for m in missing)
        raise OcrUnavailable(
            f"Tesseract language(s) {', '.join(missing)} not installed (have: {', '.join(sorted(have))}); "
            f"install {pkgs}"
        )


def _config(psm: int | None, dpi: int | None, extra: str = "") -> str:
    parts = [f"--psm {DEFAULT_PSM if psm is None else psm}"]
    if dpi:
        parts.append(f"--dpi {int(dpi)}")
    if extra:
        parts.append(extra)
    return " ".join(parts)


def _as_pil(image: np.ndarray):  # -> PIL.Image.Image
    """BGR/gray uint8 array as a PIL image in RGB/L (pytesseract would read BGR as RGB)."""
    from PIL import Image

    a = np.asarray(image)
    if a.dtype != np.uint8:
        a = np.clip(a, 0, 255).astype(np.uint8)
    if a.ndim == 3 and a.shape[2] == 4:
        a = a[:, :, :3]
    if a.ndim == 3:
        a = np.ascontiguousarray(a[:, :, ::-1])
    img = Image.fromarray(a)
    img.format = "PPM"  # pytesseract writes this format: no PNG compression on every page
    return img


def ocr_image(
    image: np.ndarray,
    *,
    lang: str = DEFAULT_LANG,
    psm: int | None = None,
    dpi: int | None = None,
    config: str = "",
) -> OcrPage:
    """Words with boxes and 0..100 confidences, in Tesseract's reading order.

    dpi: the image's resolution (after preprocessing) — Tesseract uses it for its size heuristics.
    """
    import pytesseract

    check_tesseract(lang)
    d = pytesseract.image_to_data(
        _as_pil(image), lang=lang, config=_config(psm, dpi, config), output_type=pytesseract.Output.DICT
    )
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


def ocr_hocr(
    image: np.ndarray, *, lang: str = DEFAULT_LANG, psm: int | None = None, dpi: int | None = None
) -> bytes:
    """Tesseract's hOCR (XHTML with word boxes), for tools that build their own searchable output."""
    import pytesseract

    check_tesseract(lang)
    return pytesseract.image_to_pdf_or_hocr(
        _as_pil(image), lang=lang, config=_config(psm, dpi), extension="hocr"
    )


def ocr_pdf(
    image: np.ndarray, *, lang: str = DEFAULT_LANG, psm: int | None = None, dpi: int | None = None
) -> bytes:
    """A one-page searchable PDF (image plus invisible Tesseract text) as bytes."""
    import pytesseract

    check_tesseract(lang)
    return pytesseract.image_to_pdf_or_hocr(
        _as_pil(image), lang=lang, config=_config(psm, dpi), extension="pdf"
    )
