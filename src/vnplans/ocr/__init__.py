"""OCR: a page image in, words with boxes and confidences out (`OcrPage`).

Engines sit behind the `OcrEngine` protocol (`engine`), picked by name with `get_engine`; Tesseract is
the one built in and is wired in here and nowhere else: `tesseract` runs it (in-process through
`tessapi`, else pytesseract's CLI), `page` holds the engine-neutral result types the later stages read.

Names load on first use (as in `vnplans`): `vnplans ocr` starts Tesseract's model loading through
`engine.warm_engine` before numpy and the page reader are imported.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    **dict.fromkeys(
        ("DEFAULT_ENGINE", "OcrEngine", "engine_names", "engine_preload", "get_engine", "register_engine",
         "warm_engine"),
        ".engine",
    ),
    **dict.fromkeys(
        ("OcrLine", "OcrPage", "OcrUnavailable", "OcrWord", "letters_or_digits", "mean_conf", "percent"), ".page"
    ),
    **dict.fromkeys(
        ("DEFAULT_LANG", "DEFAULT_PSM", "OCR_DPI", "TesseractEngine", "check_tesseract", "ocr_hocr",
         "ocr_image"),
        ".tesseract",
    ),
}  # fmt: skip

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'vnplans.ocr' has no attribute {name!r}") from None
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
