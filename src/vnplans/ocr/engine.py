"""The OCR-engine seam: what the pipeline asks of an engine, and a registry to pick one by name.

Why a seam: preprocessing (orientation), the page reader, the CLI's language check and the channel
model each used to call Tesseract directly. Now they ask an `OcrEngine` for what they need, and only
`vnplans.ocr` knows which engine answers. Another engine is a class with these members, registered
under its name; the channel model of the text corrector is looked up by that name (an engine without
a model of its own falls back to Tesseract's, the nearest in its confusions).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    import numpy as np

    from .page import OcrPage

__all__ = [
    "OcrEngine", "DEFAULT_ENGINE", "register_engine", "get_engine", "engine_names", "engine_preload", "warm_engine",
    "is_language_list",
]  # fmt: skip

DEFAULT_ENGINE = "tesseract"


@runtime_checkable
class OcrEngine(Protocol):
    """A page image in, words with boxes out.

    `read` returns words with boxes in the image's pixels, confidences on a 0..1 scale, and block /
    paragraph / line ids that group them into lines in reading order. `orientation` says how far to
    rotate the page (clockwise, a multiple of 90) to stand it upright and how sure the engine is
    (0..1; 0.5 is even odds, and (0, 0.0) when the page gives too little to tell).
    An engine may also have `warm(lang)`: start loading a model in the background (the pipeline
    calls it as a document opens); `preload`: modules a batch worker imports first; and
    `splits_pages = True` when its `read` takes `bands=True` (a page read in two halves at once),
    `keep_whole=(top, bottom)` (rows no cut may fall in: a table's grid) and `when_free=fn` (work for
    the first core its read leaves free: the text fix's loads; `fn` may be called more than once and
    from any thread).
    """

    name: str  # keys the channel model (text/channel.py) and the engine registry

    def languages(self) -> frozenset[str]:
        """Languages the engine can read here (installed models)."""
        ...

    def check(self, lang: str) -> None:
        """Raise OcrUnavailable naming what to install when `lang` (`vie`, `vie+eng`) cannot be read."""
        ...

    def read(
        self, image: np.ndarray, *, lang: str, dpi: int | None = None, psm: int | None = None
    ) -> OcrPage:
        """Words of a gray or BGR uint8 page; `dpi` its resolution, `psm` a layout hint (Tesseract's
        page segmentation modes; engines without one ignore it)."""
        ...

    def orientation(self, image: np.ndarray) -> tuple[int, float]:
        """(degrees clockwise to turn the page upright, confidence 0..1)."""
        ...


_FACTORIES: dict[str, Callable[[], OcrEngine]] = {}
_ENGINES: dict[str, OcrEngine] = {}


def register_engine(name: str, factory: Callable[[], OcrEngine]) -> None:
    """Make an engine available as `name` (built on first use, once per process)."""
    _FACTORIES[name] = factory
    _ENGINES.pop(name, None)


def engine_names() -> tuple[str, ...]:
    _builtin()
    return tuple(sorted(_FACTORIES))


def get_engine(name: str | None = None) -> OcrEngine:
    """The engine registered as `name` (None: the default, Tesseract)."""
    name = name or DEFAULT_ENGINE
    engine = _ENGINES.get(name)
    if engine is None:
        _builtin()
        if name not in _FACTORIES:
            raise ValueError(f"unknown OCR engine {name!r} (have: {', '.join(sorted(_FACTORIES))})")
        engine = _ENGINES[name] = _FACTORIES[name]()
    return engine


def warm_engine(name: str | None, lang: str) -> None:
    """Start loading the engine's model for `lang` in the background (its optional `warm`). The
    built-in Tesseract, not yet built, is warmed without importing its page reader: `vnplans ocr`
    calls this first thing, so the loads run beside numpy's, OpenCV's and the page's own loading
    (0.1 s sooner than after building the engine)."""
    name = name or DEFAULT_ENGINE
    if name == DEFAULT_ENGINE and name not in _ENGINES and name not in _FACTORIES:
        from .tessapi import warm

        warm(lang, count=bands_wanted())
        return
    if (warm_fn := getattr(get_engine(name), "warm", None)) is not None:
        warm_fn(lang)


def is_language_list(lang: str) -> bool:
    """Whether `lang` names languages joined by `+` (`vie`, `vie+eng`), none of them blank: what the
    CLI accepts, and what `vnplans.entry` warms before the CLI has looked."""
    return bool(lang.strip()) and all(part.strip() for part in lang.split("+"))


def bands_wanted() -> int:
    """Engines a page read by Tesseract wants: two when pages are read in two bands (`ocr.bands`;
    `VNPLANS_OCR_BANDS=0`: one)."""
    return 2 if os.environ.get("VNPLANS_OCR_BANDS", "1").strip() not in ("0", "no", "false", "off") else 1


def engine_preload(name: str | None = None) -> tuple[str, ...]:
    """Modules a batch worker imports before its first page for this engine (an optional `preload`
    attribute of the engine: a fork server then shares them with every worker)."""
    return tuple(getattr(get_engine(name), "preload", ()))


def _builtin() -> None:
    if DEFAULT_ENGINE not in _FACTORIES:
        from .tesseract import TesseractEngine

        _FACTORIES[DEFAULT_ENGINE] = TesseractEngine
