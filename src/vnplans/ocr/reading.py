"""The order the text fix reads a page's words in: a ruled table's words cell by cell, and a line's
words a column's gap apart as two sentences.

Why: Tesseract reads a table row as lines across its cells (`SL thí` | `Hình` | `Tên`, then `sinh` |
`thức` | `chứng chỉ`), so a word's neighbours in its text belong to other cells. The language model
then judges `tốchức` between `thángnăm` and `sinh`, where splitting it into `tổ chức` does not pay,
instead of between `Địa điểm` and `thi (3)`, where it does. Read cell by cell, each cell's lines top
to bottom, the words have their own cell's words around them; a cell ends a sentence, so the next
cell's words are not read as its continuation. Only the text the fix reads changes: words keep their
boxes and Tesseract's order on the page (layout puts cells in their rows).

Outside tables Tesseract also reads across columns: the signer's block beside `Nơi nhận` came as
`- Thủ tướng, các Phó Thủ tướng Chính PHÓ THỦ TƯỚNG` / `phủ;`, and the fix made the signer's `PHÓ`
the `PHỦ` of `Chính phủ` (sure of it: 0.99). Words of one line a column's gap apart (the layout's
`column_gap`: 3 % of the page's width, five word spaces of 13-pt text at 200 dpi) are read as the ends
of two sentences, as cells are, where each side holds two letters or digits: a speck read as `I` or
`x` a column's width after a line's end stays with the line, where the fix drops it (read alone, it
was kept: four fresh dev pages one error worse each).
"""

from __future__ import annotations

from collections.abc import Sequence

from .page import OcrPage, OcrWord, letters_or_digits

__all__ = ["CELL_BREAK", "cell_order"]

Box = tuple[int, int, int, int]
CELL_BREAK = "\n\n\n"  # more than one blank line: a sentence end to the text fix, whatever follows


def _cell_of(word: OcrWord, cells: Sequence[Box]) -> int | None:
    """The cell holding the word's centre."""
    cx, cy = (word.x0 + word.x1) / 2, (word.y0 + word.y1) / 2
    for k, (x0, y0, x1, y1) in enumerate(cells):
        if x0 <= cx < x1 and y0 <= cy < y1:
            return k
    return None


def cell_order(
    page: OcrPage, rows: Sequence[Sequence[Box]], gap: float | None = None
) -> tuple[str, list[tuple[int, int]], list[int]] | None:
    """(text, spans, order): the page's words with each table cell's words together, `order[i]` the
    index in `page.words` of the word whose span in `text` is `spans[i]`. A cell's lines (Tesseract's
    lines, cut at the cell's rules) go top to bottom; a cell comes where Tesseract first read a word
    of its row; words outside cells keep their lines and blocks, and two of a line more than `gap`
    pixels apart are read as two sentences. None when no word lies in a cell and no line has such a
    gap (the page's own text is the same then)."""
    cells = [c for row in rows for c in row]
    row_of = [r for r, row in enumerate(rows) for _ in row]
    row_cells: list[range] = []  # each row's cells' indices in `cells`
    for row in rows:
        start = row_cells[-1].stop if row_cells else 0
        row_cells.append(range(start, start + len(row)))
    where = [_cell_of(w, cells) for w in page.words]
    breaks = _column_breaks(page.words, gap)
    if all(k is None for k in where) and not breaks:
        return None
    by_cell: dict[int, list[int]] = {}
    for i, k in enumerate(where):
        if k is not None:
            by_cell.setdefault(k, []).append(i)
    # units of text in order: ("line", key, [word indices]) outside cells, ("cell", k, ...) inside
    units: list[tuple[str, object, list[int]]] = []
    placed_rows: set[int] = set()
    last_key = None
    for i, (w, k) in enumerate(zip(page.words, where, strict=True)):
        if k is None:
            key = (w.block, w.par, w.line)
            if units and units[-1][0] == "line" and last_key == key:
                units[-1][2].append(i)
            else:
                units.append(("line", key, [i]))
            last_key = key
            continue
        last_key = None
        r = row_of[k]
        if r in placed_rows:
            continue
        placed_rows.add(r)
        for c in row_cells[r]:
            if c in by_cell:
                units.append(("cell", c, by_cell[c]))
    text: list[str] = []
    spans: list[tuple[int, int]] = []
    order: list[int] = []
    pos = 0
    prev: tuple[str, object] | None = None

    def put(s: str) -> None:
        nonlocal pos
        text.append(s)
        pos += len(s)

    for kind, key, idx in units:
        if prev is not None:
            if kind == "line" and prev[0] == "line":
                same_par = prev[1][:2] == key[:2]  # type: ignore[index]
                put("\n" if same_par else "\n\n")
            else:
                put(CELL_BREAK)
        prev = (kind, key)
        lines = [idx] if kind == "line" else _cell_lines(page.words, idx)
        for n, line in enumerate(lines):
            if n:
                put("\n")
            for m, i in enumerate(line):
                if m:
                    put(CELL_BREAK if kind == "line" and i in breaks else " ")
                spans.append((pos, pos + len(page.words[i].text)))
                order.append(i)
                put(page.words[i].text)
    return "".join(text) + "\n", spans, order


def _column_breaks(words: Sequence[OcrWord], gap: float | None) -> set[int]:
    """Indices of the words that open a new part of their line: more than `gap` pixels after the word
    before them (reading order, same line), with two letters or digits on each side of the gap."""
    if gap is None:
        return set()
    runs: list[tuple[tuple[int, int, int], list[int]]] = []  # (line, words) of each run, in order
    for i, w in enumerate(words):
        line = (w.block, w.par, w.line)
        if runs and runs[-1][0] == line and w.x0 - words[i - 1].x1 <= gap:
            runs[-1][1].append(i)
        else:
            runs.append((line, [i]))
    return {
        b[1][0]
        for a, b in zip(runs, runs[1:], strict=False)
        if a[0] == b[0] and _text_run(words, a[1]) and _text_run(words, b[1])
    }


def _text_run(words: Sequence[OcrWord], idx: list[int]) -> bool:
    return letters_or_digits([words[i] for i in idx]) >= 2


def _cell_lines(words: Sequence[OcrWord], idx: list[int]) -> list[list[int]]:
    """A cell's words as lines: Tesseract's lines, top to bottom, words left to right."""
    lines: dict[tuple[int, int, int], list[int]] = {}
    for i in idx:
        w = words[i]
        lines.setdefault((w.block, w.par, w.line), []).append(i)
    out = [sorted(ids, key=lambda i: words[i].x0) for ids in lines.values()]
    out.sort(key=lambda ids: min(words[i].y0 for i in ids))
    return out
