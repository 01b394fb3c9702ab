"""OCR: a page image in, words with boxes and confidences out (`OcrPage`).

Engines sit behind the `OcrEngine` protocol (`engine`), picked by name with `get_engine`; Tesseract is
the one built in and is wired in here and nowhere else: `tesseract` runs it (in-process through
`tessapi`, else pytesseract's CLI), `page` holds the engine-neutral result types the later stages read.
"""

from .engine import DEFAULT_ENGINE, OcrEngine, engine_names, engine_preload, get_engine, register_engine
from .page import OcrLine, OcrPage, OcrUnavailable, OcrWord, mean_conf, percent
from .tesseract import (
    DEFAULT_LANG,
    DEFAULT_PSM,
    OCR_DPI,
    TesseractEngine,
    check_tesseract,
    ocr_hocr,
    ocr_image,
)

__all__ = [
    "DEFAULT_ENGINE",
    "DEFAULT_LANG",
    "DEFAULT_PSM",
    "OCR_DPI",
    "OcrEngine",
    "OcrLine",
    "OcrPage",
    "OcrUnavailable",
    "OcrWord",
    "TesseractEngine",
    "check_tesseract",
    "engine_names",
    "engine_preload",
    "get_engine",
    "mean_conf",
    "ocr_hocr",
    "ocr_image",
    "percent",
    "register_engine",
]
