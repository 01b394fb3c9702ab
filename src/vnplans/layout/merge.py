"""One layout for a whole document: tables that continue over pages joined."""

from __future__ import annotations

from .page import PageLayout, Table

# ---------------------------------------------------------------- across pages


def _similar(a: list[str], b: list[str]) -> bool:
    from rapidfuzz import fuzz

    return len(a) == len(b) and fuzz.ratio(" | ".join(a).lower(), " | ".join(b).lower()) >= 80


def _edge_block(layout: PageLayout, last: bool) -> tuple[str, int] | None:
    """The first (or last) block of a page, skipping page numbers and stray short lines."""
    seq = reversed(layout.blocks) if last else iter(layout.blocks)
    for kind, i in seq:
        if kind == "line" and len(layout.lines[i].strip()) <= 3:
            continue
        return kind, i
    return None


def merge_layouts(layouts: list[PageLayout]) -> PageLayout:
    """One layout for a whole document: the first page's header, every page's lines in order, and
    tables continued over pages joined (a continuation adds rows to its table, not a new block)."""
    tables, owner = _merge(layouts)
    doc = PageLayout(tables=tables)
    first = next((lay for lay in layouts if lay.header_rows), None)
    if first is not None:
        doc.header_rows = list(first.header_rows)
        doc.header_left = list(first.header_left)
        doc.header_right = list(first.header_right)
    for n, lay in enumerate(layouts):
        doc.width, doc.height = max(doc.width, lay.width), max(doc.height, lay.height)
        blocks = lay.blocks or [("line", i) for i in range(len(lay.lines))] + [
            ("table", j) for j in range(len(lay.tables))
        ]
        for kind, i in blocks:
            if kind == "line":
                doc.blocks.append(("line", len(doc.lines)))
                doc.lines.append(lay.lines[i])
            elif owner[(n, i)][1]:  # the first part of a table: place it here
                doc.blocks.append(("table", owner[(n, i)][0]))
    return doc


def merge_tables(layouts: list[PageLayout]) -> list[Table]:
    """All tables of a document, a table continued on the next page joined into one.

    A continuation is the first block of a page following a table that ended its page, with the same
    number of columns (and similar column positions when known). A repeated header row is dropped; a
    first row with an empty TT cell is a row broken across the page and is joined to the row above.
    """
    return _merge(layouts)[0]


def _merge(layouts: list[PageLayout]) -> tuple[list[Table], dict[tuple[int, int], tuple[int, bool]]]:
    """Merged tables, and for each (page, table) the merged index and whether it starts that table."""
    owner: dict[tuple[int, int], tuple[int, bool]] = {}
    out: list[Table] = []
    prev_open = False
    for n, lay in enumerate(layouts):
        first = _edge_block(lay, last=False)
        for j, t in enumerate(lay.tables):
            cont = (
                prev_open
                and out
                and first == ("table", j)
                and out[-1].ncols == t.ncols
                and _same_columns(out[-1], t)
            )
            if not cont:
                owner[(n, j)] = (len(out), True)
                out.append(
                    Table([list(r) for r in t.rows], t.header, t.bbox, t.ncols, list(t.col_edges), t.ruled)
                )
                continue
            owner[(n, j)] = (len(out) - 1, False)
            base = out[-1]
            rows = [list(r) for r in t.rows]
            if t.header is None and rows and base.header and _similar(rows[0], base.header):
                rows = rows[1:]
            elif t.header is not None and base.header is None:
                base.header = t.header
            elif t.header is not None and base.header is not None and not _similar(t.header, base.header):
                rows.insert(0, t.header)
            if (
                rows
                and base.rows
                and len(rows[0]) == base.ncols > 1
                and not rows[0][0].strip()
                and len(base.rows[-1]) == base.ncols
            ):
                base.rows[-1] = [(a + " " + b).strip() for a, b in zip(base.rows[-1], rows[0], strict=True)]
                rows = rows[1:]
            base.rows.extend(rows)
        prev_open = bool(lay.tables) and _edge_block(lay, last=True) == ("table", len(lay.tables) - 1)
    return out, owner


def _same_columns(a: Table, b: Table) -> bool:
    """Column rules at the same places across the table's width.

    Measured relative to each table's own span, not in pixels: one document's pages may be scanned
    at different resolutions (a 150 dpi page among 300 dpi ones), and the table is still the same.
    """
    if not a.col_edges or not b.col_edges or len(a.col_edges) != len(b.col_edges):
        return True
    rel = []
    for edges in (a.col_edges, b.col_edges):
        span = edges[-1] - edges[0]
        if span <= 0:
            return True
        rel.append([(x - edges[0]) / span for x in edges])
    return all(abs(x - y) <= 0.04 for x, y in zip(rel[0], rel[1], strict=True))
