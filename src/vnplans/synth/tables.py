"""Tables as a printed page shows them: the corpus writes them in markdown, paper rules them.

The corpus keeps a document's tables as markdown rows (`| TT | Nội dung |`). Printed as that text,
the realistic benchmark pages showed pipes no real document prints, and no ruled grid, which real
plans' task tables always have. Here a run of such rows becomes a ruled grid (cell text wrapped inside
its column, the first row bold as a header) or, for the one-row, two-cell pairs the corpus uses for a
header's two columns (`| Số: 12/KH-UBND | Hà Nội, ngày ... |`), two borderless centred columns.

Each table row's ground truth is one line, its cells joined by ` | ` (what `PageLayout.to_text`
prints); a borderless pair's truth is one line per printed row, left then right, as read across.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from PIL import ImageDraw, ImageFont

__all__ = ["is_table_row", "table_rows", "PlacedTable", "place_table"]

_ROW = re.compile(r"^\|.*\|$")
_RULE_CELL = re.compile(r"^:?-{3,}:?$")


def is_table_row(paragraph: str) -> bool:
    return bool(_ROW.match(paragraph.strip())) and len(paragraph.strip()) > 2


def table_rows(paragraphs: list[str]) -> list[list[str]]:
    """The cells of markdown rows, rule rows dropped and empty columns left out (a header pair's
    `| Nghị quyết số: 254/2025/QH15 | |` has one cell of text)."""
    rows = []
    for p in paragraphs:
        cells = [" ".join(unicodedata.normalize("NFC", c).split()) for c in p.strip()[1:-1].split("|")]
        if all(not c or _RULE_CELL.match(c) for c in cells):
            continue
        rows.append(cells)
    if not rows:
        return []
    ncols = max(len(r) for r in rows)
    rows = [r + [""] * (ncols - len(r)) for r in rows]
    keep = [j for j in range(ncols) if any(r[j] for r in rows)]
    return [[r[j] for j in keep] for r in rows if any(r[j] for j in keep)]


@dataclass
class PlacedTable:
    """What `place_table` fitted on the page: its height, how to draw it, and its truth lines."""

    height: int
    draw: Callable[[ImageDraw.ImageDraw, int, int], None]  # (draw, x, y)
    lines: list[str]


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    from .render import wrap_text  # render imports this module

    return wrap_text(text, font, max(1, width)) or [""]


def place_table(
    rows: list[list[str]],
    *,
    regular: ImageFont.FreeTypeFont,
    bold: ImageFont.FreeTypeFont,
    width: int,
    step: int,
    dpi: int,
    room: int,
) -> PlacedTable | None:
    """Lay `rows` out in `width` px; rows that do not fit in `room` px are left off (None: not one)."""
    if len(rows) == 1 and len(rows[0]) == 2:
        return _pair(rows[0], regular, width, step, room)
    ncols = len(rows[0])
    pad = max(2, round(dpi / 300 * 12))
    rule = max(1, round(dpi / 300 * 2))
    # each column as wide as its longest word, the rest shared by the longest cell (a TT column
    # stays narrow, Nội dung gets most)
    least = [
        max(bold.getlength(w) for r in rows for w in (r[j].split() or [""])) + 2 * pad + rule
        for j in range(ncols)
    ]
    weights = [min(40, max(4, *(len(r[j]) for r in rows))) for j in range(ncols)]
    spare = max(0.0, width - sum(least))
    edges = [0]
    for j in range(ncols):
        edges.append(
            edges[-1] + round(least[j] * min(1.0, width / sum(least)) + spare * weights[j] / sum(weights))
        )
    edges[-1] = width
    placed: list[tuple[int, list[list[str]], ImageFont.FreeTypeFont]] = []  # row top, lines per cell
    y = 0
    for k, row in enumerate(rows):
        font = bold if k == 0 and len(rows) > 1 else regular
        cells = [_wrap(c, font, edges[j + 1] - edges[j] - 2 * pad) for j, c in enumerate(row)]
        h = max(len(c) for c in cells) * step + 2 * pad
        if y + h + rule > room:
            break
        placed.append((y, cells, font))
        y += h
    if not placed:
        return None
    height = y + rule
    used = rows[: len(placed)]

    def draw(d: ImageDraw.ImageDraw, x: int, top: int) -> None:
        for j in range(ncols + 1):
            xx = x + edges[j] - (rule if j == ncols else 0)
            d.rectangle([xx, top, xx + rule - 1, top + height - 1], fill=0)
        for row_top, cells, font in placed:
            d.rectangle([x, top + row_top, x + width - 1, top + row_top + rule - 1], fill=0)
            for j, lines in enumerate(cells):
                for i, line in enumerate(lines):
                    d.text((x + edges[j] + pad, top + row_top + pad + i * step), line, font=font, fill=0)
        d.rectangle([x, top + height - rule, x + width - 1, top + height - 1], fill=0)

    return PlacedTable(height, draw, [" | ".join(r) for r in used])


def _pair(
    row: list[str], font: ImageFont.FreeTypeFont, width: int, step: int, room: int
) -> PlacedTable | None:
    half = width // 2
    left, right = (_wrap(c, font, half - step) for c in row)
    n = max(len(left), len(right))
    if n * step > room:
        return None
    left += [""] * (n - len(left))
    right += [""] * (n - len(right))

    def draw(d: ImageDraw.ImageDraw, x: int, top: int) -> None:
        for i in range(n):
            for col, line in ((0, left[i]), (1, right[i])):
                if line:
                    cx = x + col * half + (half - font.getlength(line)) / 2
                    d.text((cx, top + i * step), line, font=font, fill=0)

    return PlacedTable(n * step, draw, [f"{a}    {b}".strip() for a, b in zip(left, right, strict=True)])
