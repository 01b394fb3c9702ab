"""Renderings of a converted document: Markdown and CSV rows (`markdown`), ALTO/hOCR/TSV word files
(`words`), the HTML review page (`review`), and the PDF/A searchable PDF on the original pixels
(`searchable`, `pdfa`); `formats` is the registry of output formats by name. Everything loads on first
use, so the CLI can list the formats without importing the record model.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = ["TASK_COLUMNS", "render_summary", "task_rows", "to_markdown"]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'vnplans.export' has no attribute {name!r}")
    value = getattr(import_module(".markdown", __name__), name)
    globals()[name] = value
    return value
