"""Page layout from OCR words and the page image: two-column header, text lines, ruled tables.

Why: Tesseract's reading order interleaves the two header columns and flattens tables into word
soup, so the parser would see `ỦY BAN ... CỘNG HÒA ...` and cells from different columns joined.
Here the header columns are recovered from word x-positions (`analyze`), tables from ruled lines
(`rules`, `grids`: OpenCV morphology) with OCR words assigned to cells by box centre, and tables
without rules from aligned column gaps. `merge` joins a table that continues over pages.
"""

from .analyze import analyze_layout, table_cells
from .merge import merge_layouts, merge_tables
from .page import PageLayout, Table
from .rules import MIN_GRID_CROSSINGS, crossings, find_rules, grid_rows, remove_rules
from .settings import DEFAULT_LAYOUT, LayoutSettings

__all__ = [
    "DEFAULT_LAYOUT",
    "LayoutSettings",
    "MIN_GRID_CROSSINGS",
    "PageLayout",
    "Table",
    "analyze_layout",
    "crossings",
    "grid_rows",
    "find_rules",
    "merge_layouts",
    "merge_tables",
    "remove_rules",
    "table_cells",
]
