"""Where the fonts are: the searchable PDF's text layer and the page generator both need a TrueType file.

Liberation Serif has Times New Roman's metrics, the font of Decree 30 documents (Debian fonts-liberation2).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

__all__ = ["FONT_FILES", "find_font"]

_FONT_DIRS = (
    "/usr/share/fonts/truetype/liberation2",
    "/usr/share/fonts/truetype/liberation",
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    str(Path.home() / ".fonts"),
)
FONT_FILES: dict[str, dict[str, str]] = {
    "Liberation Serif": {
        "regular": "LiberationSerif-Regular.ttf",
        "bold": "LiberationSerif-Bold.ttf",
        "italic": "LiberationSerif-Italic.ttf",
    },
    "Liberation Sans": {
        "regular": "LiberationSans-Regular.ttf",
        "bold": "LiberationSans-Bold.ttf",
        "italic": "LiberationSans-Italic.ttf",
    },
    "DejaVu Serif": {
        "regular": "DejaVuSerif.ttf",
        "bold": "DejaVuSerif-Bold.ttf",
        "italic": "DejaVuSerif-Italic.ttf",
    },
    "DejaVu Sans": {
        "regular": "DejaVuSans.ttf",
        "bold": "DejaVuSans-Bold.ttf",
        "italic": "DejaVuSans-Oblique.ttf",
    },
}


@lru_cache(maxsize=64)
def find_font(name: str = "Liberation Serif", style: str = "regular") -> Path:
    """Path of a TrueType file for a family name (or a file name/path); FileNotFoundError if absent.

    Liberation Serif has Times New Roman's metrics, the font of Decree 30 documents.
    """
    p = Path(name)
    if p.suffix.lower() in (".ttf", ".otf") and p.exists():
        return p
    fname = FONT_FILES.get(name, {}).get(style) or (name if p.suffix else None)
    candidates = [fname] if fname else []
    if not candidates:
        key = name.replace(" ", "").lower()
        suffix = {"regular": ("-regular", ""), "bold": ("-bold",), "italic": ("-italic", "-oblique")}[style]
        for d in _FONT_DIRS:
            for f in sorted(Path(d).rglob("*.ttf")) if Path(d).is_dir() else []:
                stem = f.stem.lower()
                if any(stem == key + s for s in suffix):
                    return f
        raise FileNotFoundError(
            f"font {name!r} ({style}) not found; install fonts-liberation2 / fonts-dejavu-core"
        )
    for d in _FONT_DIRS:
        dp = Path(d)
        if not dp.is_dir():
            continue
        direct = dp / candidates[0]
        if direct.exists():
            return direct
        for f in dp.rglob(candidates[0]):
            return f
    raise FileNotFoundError(
        f"font {name!r} ({style}) not found; install fonts-liberation2 / fonts-dejavu-core"
    )
