"""Python's cycle collector as vnplans's own processes set it: a command, a batch worker.

Why: a page allocates the imports', the models' and the page's objects once, and the collector's
default (a pass every 700 new objects) ran ~130 times in one `vnplans ocr PAGE`: 40 ms on the main
and the model-loading threads, half of it full passes over the loaded models, and little freed. As
mypy does, a pass comes after 200,000 new objects: a few per page, and a long batch still collects.
Not set on import: a program that imports vnplans as a library keeps its own setting.
"""

from __future__ import annotations

import gc

__all__ = ["collect_less"]

FIRST_GENERATION = 200_000  # new objects between two passes (Python's default: 700)


def collect_less() -> None:
    gc.set_threshold(FIRST_GENERATION, 30, 30)
