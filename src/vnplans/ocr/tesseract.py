"""Tesseract as an `OcrEngine` (`TesseractEngine`): words with boxes and confidences, page orientation.
The only module that calls Tesseract, with its two helpers: `tessapi` (the library) and `languages`
(`--list-langs`, cached).

One Tesseract thread per process (`OMP_THREAD_LIMIT=1`): pages scale by processes, and
Tesseract's OpenMP threads only fight each other on a shared machine. Pages go to libtesseract
in-process (`tessapi`, the same TSV without a process and a model load per page), or, where the
library cannot be loaded, to the command as an uncompressed TIFF through pytesseract's TSV output
(`image_to_data`). Either way the scan resolution is passed (`--dpi`) so Tesseract does not guess
it from missing metadata. OSD (orientation) and hOCR use the command. Tesseract's confidences are
whole percents; `OcrWord.conf` holds them divided by 100, the engine-neutral 0..1 scale.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from functools import cache, partial

import numpy as np

from ..lexicon import OCR_ROMAN
from ..text.syllable import GLYPH_TWINS
from .page import OcrLine, OcrPage, OcrUnavailable, OcrWord

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one thread per process: parallel pages scale

__all__ = [
    "OcrWord",
    "OcrLine",
    "OcrPage",
    "OcrUnavailable",
    "DEFAULT_LANG",
    "DEFAULT_PSM",
    "OCR_DPI",
    "check_tesseract",
    "ocr_image",
    "ocr_hocr",
    "osd_orientation",
    "TesseractEngine",
]

DEFAULT_LANG = "vie"
# psm 3 (automatic layout, no OSD) handles the two-column header, tables and body of a plan;
# orientation is fixed earlier by preprocess (OSD), so psm 1 would only cost a second pass.
DEFAULT_PSM = 3
# Tesseract reads pages at 225 dpi as well as at 300 or better (CER 1.54% vs 1.76% on the degraded
# benchmark set) and about 20% faster: its layout analysis costs per pixel, its LSTM per text line
# (`python -m bench.bench_ocr`). Cleaner pages are prepared at full resolution, then handed over
# at this resolution; boxes come back in the caller's pixels.
OCR_DPI = 225


@cache
def _languages() -> frozenset[str]:
    """Once per process; between processes from the user's cache (`languages`)."""
    from .languages import installed_languages

    return installed_languages()


def check_tesseract(lang: str = DEFAULT_LANG) -> None:
    """Raise OcrUnavailable naming what to install when Tesseract or a language (`vie+eng`) is missing."""
    if not lang or any(not part for part in lang.split("+")):  # libtesseract crashes on an empty name
        raise OcrUnavailable(f"Tesseract language {lang!r} names no language (e.g. vie, vie+eng)")
    have = _languages()
    missing = [part for part in lang.split("+") if part not in have]
    if missing:
        pkgs = " ".join(f"tesseract-ocr-{m.lower().replace('_', '-')}" for m in missing)
        where = os.environ.get("TESSDATA_PREFIX")
        hint = (
            f"; TESSDATA_PREFIX={where} is set: is it the folder of the .traineddata files?" if where else ""
        )
        raise OcrUnavailable(
            f"Tesseract language(s) {', '.join(missing)} not installed (have: {', '.join(sorted(have))}); "
            f"install {pkgs}{hint}"
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
    # the temporary file pytesseract writes: uncompressed TIFF costs no PNG compression, and Tesseract
    # (leptonica) reads it 0.1 s per A4 page faster than PNM, with the same words out
    img.format = "TIFF"
    return img


def _page_data(
    image: np.ndarray,
    lang: str,
    psm: int | None,
    dpi: int | None,
    config: str,
    bands: bool = False,
    when_free: Callable[[], None] | None = None,
    keep_whole: tuple[int, int] | None = None,
) -> dict:
    """Tesseract's TSV as a dict of columns; with `bands`, a page laid out automatically (psm 1/3) is
    read in two bands at once (`bands.read_in_bands`), each as `_band_data` reads a page. `when_free`:
    work for the first core that is free; `keep_whole`: rows no cut may fall in (see `read_in_bands`)."""
    from . import bands as band_reader

    read = partial(_band_data, lang=lang, psm=psm, dpi=dpi, config=config)
    if not bands or config or (psm is not None and psm not in (1, 3)):  # one block, line, word: never cut
        if when_free is not None:
            band_reader.on_helper(when_free)  # the other core is free while this one reads
        return read(image)
    return band_reader.read_in_bands(image, dpi, read, when_free, keep_whole)


def _band_data(image: np.ndarray, lang: str, psm: int | None, dpi: int | None, config: str) -> dict:
    """Tesseract's TSV as a dict of columns: in-process when libtesseract loads (`tessapi`: the same
    words, ~0.09 s a page sooner), else through the command. Extra `config` goes to the command."""
    from . import tessapi

    if not config and tessapi.available():
        try:
            return tessapi.image_to_data(image, lang=lang, psm=DEFAULT_PSM if psm is None else psm, dpi=dpi)
        except tessapi.TesseractApiError:
            pass  # a missing language is named below; anything else, the command says in its own words
    check_tesseract(lang)  # asked only now: a `tesseract --list-langs` per process costs ~0.04 s
    import pytesseract

    return pytesseract.image_to_data(
        _as_pil(image), lang=lang, config=_config(psm, dpi, config), output_type=pytesseract.Output.DICT
    )


def ocr_image(
    image: np.ndarray,
    *,
    lang: str = DEFAULT_LANG,
    psm: int | None = None,
    dpi: int | None = None,
    config: str = "",
    max_dpi: int | None = OCR_DPI,
    bands: bool = False,
    when_free: Callable[[], None] | None = None,
    keep_whole: tuple[int, int] | None = None,
) -> OcrPage:
    """Words with boxes and 0..1 confidences (Tesseract's percent / 100), in Tesseract's reading order.

    dpi: the image's resolution (after preprocessing) — Tesseract uses it for its size heuristics.
    max_dpi: a sharper image is shrunk to this for Tesseract (None: as given); boxes are in `image`'s
    pixels either way.
    bands: read the page in two bands at once where it has a blank band to cut (`ocr.bands`), never
    through the rows in `keep_whole` (a table: Tesseract reads its rows and TT column worse in halves).
    when_free: work to overlap with the read, done by the first core that is free (`ocr.bands`).
    keep_whole: rows (of `image`) that stay in one band: a table's grid.
    """
    h, w = image.shape[:2]
    seen, scale = image, 1.0
    if dpi and max_dpi and dpi > max_dpi * 1.05:
        import cv2

        scale = max_dpi / dpi
        seen = cv2.resize(image, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
        dpi = max_dpi
    if keep_whole is not None and scale != 1.0:
        keep_whole = (int(keep_whole[0] * scale), int(keep_whole[1] * scale) + 1)
    d = _page_data(seen, lang, psm, dpi, config, bands, when_free, keep_whole)
    page = OcrPage(width=w, height=h)
    for i, txt in enumerate(d["text"]):
        txt = (txt or "").strip().translate(GLYPH_TWINS)  # `5⁄NQ` -> `5/NQ`
        conf = float(d["conf"][i])
        if not txt or conf < 0:
            continue
        x, y, bw, bh = d["left"][i], d["top"][i], d["width"][i], d["height"][i]
        x0, y0, x1, y1 = (round(v / scale) for v in (x, y, x + bw, y + bh))
        page.words.append(
            OcrWord(
                txt,
                conf / 100,
                x0,
                y0,
                min(w, x1),
                min(h, y1),
                d["block_num"][i],
                d["par_num"][i],
                d["line_num"][i],
            )
        )
    _verify_roman_numerals(image, page)
    return page


_ROMAN_WORD = re.compile(rf"[IVX]{OCR_ROMAN}{{0,5}}[.):]?")  # a numeral as OCR reads it, maybe `Il.`


def _count_stems(crop: np.ndarray, word_h: int) -> int | None:
    """Vertical stems in the middle band of a word crop: how many `I`s are printed.

    Serifs of neighbouring `I`s touch, stems do not; a stem is a run of inked columns in the band
    between 35% and 65% of the letter height, about as wide as the first one, and no taller than
    the word (a table rule is).
    """
    import cv2

    gray = crop if crop.ndim == 2 else cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    _, ink = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    top = (ink.shape[0] - word_h) // 2
    band = ink[top + int(word_h * 0.35) : top + int(word_h * 0.65)]
    if band.size == 0:
        return None
    cols = band.any(axis=0)
    runs: list[tuple[int, int]] = []
    start = None
    for x, on in enumerate([*cols.tolist(), False]):
        if on and start is None:
            start = x
        elif not on and start is not None:
            runs.append((start, x))
            start = None
    if not runs:
        return None
    width0 = runs[0][1] - runs[0][0]
    stems = 0
    prev_end = runs[0][0]
    for x0, x1 in runs:
        full = ink[:, x0:x1].any(axis=1)
        if not (0.5 * width0 <= x1 - x0 <= 2 * width0) or x0 - prev_end > word_h or full.all():
            break
        stems += 1
        prev_end = x1
    return stems or None


def _verify_roman_numerals(image: np.ndarray, page: OcrPage) -> None:
    """Recount numerals made only of `I`.

    Tesseract's `vie` model drops strokes of repeated capitals (`QUÝ III` read as `QUÝ II` on rendered
    Times-metric pages, and `III.` headings read as `II.`), which silently renumbers quarters and
    sections; the stems themselves are easy to count on the image.
    """
    h, w = image.shape[:2]
    for i, word in enumerate(page.words):
        core = word.text.rstrip(".):")
        prev = page.words[i - 1].text.upper() if i else ""
        # `H` is how bold `II` often comes out when its serifs touch; only where a numeral belongs
        key = (word.block, word.par, word.line)
        numeral_slot = word.text.endswith(".") and (
            i == 0 or (page.words[i - 1].block, page.words[i - 1].par, page.words[i - 1].line) != key
        )
        maybe_h = core == "H" and (numeral_slot or prev.startswith("QU"))
        if not maybe_h and (not _ROMAN_WORD.fullmatch(word.text) or set(core) != {"I"}):
            continue
        height = word.y1 - word.y0
        pad = max(2, int(height * 0.3))
        # a misread numeral's box can stop short of its last stroke: look right up to the next word
        right = word.x1 + 2 * height
        nxt = page.words[i + 1] if i + 1 < len(page.words) else None
        if nxt is not None and (nxt.block, nxt.par, nxt.line) == key:
            right = min(right, nxt.x0 - 1)
        right = min(w, max(right, word.x1 + 1))
        crop = image[max(0, word.y0 - pad) : min(h, word.y1 + pad), max(0, word.x0 - 1) : right]
        if crop.size == 0:
            continue
        stems = _count_stems(crop, height)
        if stems is not None and (2 if maybe_h else 1) <= stems <= 3 and (maybe_h or stems != len(core)):
            word.text = "I" * stems + word.text[len(core) :]


def ocr_hocr(
    image: np.ndarray, *, lang: str = DEFAULT_LANG, psm: int | None = None, dpi: int | None = None
) -> bytes:
    """Tesseract's hOCR (XHTML with word boxes), for tools that build their own searchable output."""
    import pytesseract

    check_tesseract(lang)
    return pytesseract.image_to_pdf_or_hocr(
        _as_pil(image), lang=lang, config=_config(psm, dpi), extension="hocr"
    )


# OSD's orientation confidence (unbounded, ~0-30) taken as even odds: the engine-neutral confidence is
# c / (c + OSD_EVEN_ODDS), so preprocessing's 0.5 threshold leaves a page alone below OSD 3.0, as before.
OSD_EVEN_ODDS = 3.0


def osd_orientation(image: np.ndarray) -> tuple[int, float]:
    """Tesseract OSD: (degrees clockwise to turn the page upright, confidence 0..1); (0, 0.0) when the
    page has too little text for OSD."""
    import pytesseract

    try:
        osd = pytesseract.image_to_osd(_as_pil(image), output_type=pytesseract.Output.DICT)
    except pytesseract.TesseractError:  # too little text for OSD
        return 0, 0.0
    c = max(0.0, float(osd.get("orientation_conf", 0.0)))
    return int(osd.get("rotate", 0)) % 360, c / (c + OSD_EVEN_ODDS)


class TesseractEngine:
    """Tesseract 5 behind the `OcrEngine` protocol: in-process (`tessapi`) where libtesseract loads,
    else the command (`VNPLANS_TESSERACT=cli` asks for the command)."""

    name = "tesseract"
    preload = ("pytesseract",)  # the command's wrapper, for OSD and when libtesseract is missing

    def languages(self) -> frozenset[str]:
        return _languages()

    def check(self, lang: str) -> None:
        check_tesseract(lang)

    def warm(self, lang: str) -> None:
        """Load the model in the background while the page is read and cleaned: one engine for this
        thread and one for the thread that reads a page's lower band, one after another."""
        from . import tessapi
        from .engine import bands_wanted

        tessapi.warm(lang, count=bands_wanted())

    splits_pages = True  # `read(..., bands=True, when_free=fn, keep_whole=rows)`: two bands (ocr.bands)

    def read(
        self,
        image: np.ndarray,
        *,
        lang: str = DEFAULT_LANG,
        dpi: int | None = None,
        psm: int | None = None,
        bands: bool = False,
        when_free: Callable[[], None] | None = None,
        keep_whole: tuple[int, int] | None = None,
    ) -> OcrPage:
        return ocr_image(
            image, lang=lang, dpi=dpi, psm=psm, bands=bands, when_free=when_free, keep_whole=keep_whole
        )

    def orientation(self, image: np.ndarray) -> tuple[int, float]:
        return osd_orientation(image)
