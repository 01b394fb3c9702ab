"""How to convert a document: one frozen `Options` that travels from the CLI or library call to every stage.

Why one object: the same five settings (fix, lang, style, layout, text layer) used to be passed as
keywords through every signature from the CLI down to the page, and each new setting (the OCR engine,
its layout hint) would have meant another round. Frozen, so a batch task can carry it to a worker
process and nothing along the way changes it; `replace` gives a variant.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, fields
from typing import Any

from .text.syllable import TONE_STYLES  # hoà/thuỷ as printed (keep), or old / new placement

__all__ = ["Options", "TEXT_LAYER_MODES", "TONE_STYLES"]

# What to do with a PDF page's text layer (OCRmyPDF's choices): `auto` (--redo-ocr) keeps a clean
# Vietnamese layer and OCRs the page when the layer is doubtful; `skip` (--skip-text) never OCRs a page
# that has text, the text corrector fixes it instead; `force` (--force-ocr) OCRs every page's image.
TEXT_LAYER_MODES = ("auto", "skip", "force")


@dataclass(frozen=True)
class Options:
    """Settings of one conversion; the defaults are what `vnplans convert` does."""

    fix: bool = True  # correct the text (restore diacritics, repair OCR errors)
    lang: str = "vie"  # OCR language(s), `vie+eng` for several
    style: str = "keep"  # tone-mark placement of corrected words (TONE_STYLES)
    layout: bool = True  # analyse the page layout (header columns, tables) of OCR'd pages
    text_layer: str = "auto"  # PDF text layers (TEXT_LAYER_MODES); `force` is --force-ocr
    engine: str = "tesseract"  # registered OCR engine (vnplans.ocr.get_engine)
    psm: int | None = None  # the engine's layout hint (Tesseract's page segmentation mode; None: its default)
    dpi: int | None = None  # resolution of images whose file does not say (None: judged from letter height)

    def __post_init__(self) -> None:
        if self.text_layer not in TEXT_LAYER_MODES:
            raise ValueError(f"text_layer must be one of {TEXT_LAYER_MODES}, got {self.text_layer!r}")
        if self.style not in TONE_STYLES:
            raise ValueError(f"style must be one of {TONE_STYLES}, got {self.style!r}")

    @property
    def force_ocr(self) -> bool:
        return self.text_layer == "force"

    def replace(self, **changes: Any) -> Options:
        return dataclasses.replace(self, **changes)

    @classmethod
    def build(cls, options: Options | None = None, **given: Any) -> Options:
        """`options` (or the defaults) with each keyword that is not None put in: how the library's
        keyword arguments (`convert(path, fix=False)`) become an Options."""
        base = options if options is not None else cls()
        changes = {k: v for k, v in given.items() if v is not None}
        return dataclasses.replace(base, **changes) if changes else base

    def changed(self) -> dict[str, Any]:
        """The settings that differ from the defaults (what a batch fingerprint must include)."""
        default = Options()
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if getattr(self, f.name) != getattr(default, f.name)
        }
