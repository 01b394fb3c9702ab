"""vnplans: degraded Vietnamese administrative documents in, faithful text and validated records out.

    >>> import vnplans
    >>> vnplans.restore("Uy ban nhan dan thanh pho")
    'Ủy ban nhân dân thành phố'

Heavy parts (language model, OpenCV, Tesseract) load on first use, so `import vnplans` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.12.16"

_EXPORTS = {
    "restore": ("vnplans.text.restorer", "restore"),
    "restore_detailed": ("vnplans.text.restorer", "restore_detailed"),
    "repair": ("vnplans.text.repair", "repair"),
    "fix_text": ("vnplans.text.auto", "fix_text"),
    "assess": ("vnplans.text.quality", "assess"),
    "convert": ("vnplans.pipeline", "convert"),
    "convert_text": ("vnplans.pipeline", "convert_text"),
    "process_document": ("vnplans.pipeline", "process_document"),
    "ocr_document": ("vnplans.pipeline", "ocr_document"),
    "convert_many": ("vnplans.batch", "convert_many"),
    "parse": ("vnplans", "parse"),  # the subpackage, callable as parse_text (see vnplans.parse)
    "parse_text": ("vnplans.parse", "parse_text"),
    "load": ("vnplans.ingest", "load"),
    "Options": ("vnplans.options", "Options"),
    "PlanRecord": ("vnplans.models", "PlanRecord"),
    "TextResult": ("vnplans.text.result", "TextResult"),
    "InputError": ("vnplans.errors", "InputError"),
    "CorruptInput": ("vnplans.errors", "CorruptInput"),
    "EncryptedInput": ("vnplans.errors", "EncryptedInput"),
    "EmptyInput": ("vnplans.errors", "EmptyInput"),
    "TooLargeInput": ("vnplans.errors", "TooLargeInput"),
    "UnsupportedInput": ("vnplans.errors", "UnsupportedInput"),
    "ModelNotFound": ("vnplans.errors", "ModelNotFound"),
    "OcrUnavailable": ("vnplans.ocr", "OcrUnavailable"),
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    try:
        module, attr = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'vnplans' has no attribute {name!r}") from None
    if name == "parse":  # importing the subpackage binds it here itself
        return import_module("vnplans.parse")
    value = getattr(import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
