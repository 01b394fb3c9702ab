"""OCR: a page image in, words with boxes and confidences out (`OcrPage`).

Tesseract is wired in here and nowhere else: `tesseract` runs it (in-process through `tessapi`, else
pytesseract's CLI), `page` holds the engine-neutral result types the later stages read.
"""

from .page import OcrLine, OcrPage, OcrUnavailable, OcrWord
from .tesseract import DEFAULT_LANG, DEFAULT_PSM, OCR_DPI, check_tesseract, ocr_hocr, ocr_image

__all__ = [
    "DEFAULT_LANG",
    "DEFAULT_PSM",
    "OCR_DPI",
    "OcrLine",
    "OcrPage",
    "OcrUnavailable",
    "OcrWord",
    "check_tesseract",
    "ocr_hocr",
    "ocr_image",
]
