"""Where each task row came from: its page, how sure OCR and correction were of its words, what to check.

Why: a reviewer of `tasks.csv` needs to know which row to look at on which page, and which rows rest
on doubtful words, without opening every scan. The parser gives rows without positions, so each row's
words are found again among the page words after parsing (diacritic-folded token alignment); a row
whose words cannot be found keeps `page` empty rather than a guess. On scans each cell's box is then
looked for near its row's words (`provenance.best_run`, the matching shared with header fields).
"""

from __future__ import annotations

import difflib
from typing import Any

from ..lexicon import fold_token as _fold
from .provenance import PageTokens, Run, best_run, by_columns, page_tokens, source_of

__all__ = ["locate_tasks", "LOW_WORD_CONFIDENCE"]

LOW_WORD_CONFIDENCE = 0.6
_MAX_LISTED = 5


def _monotone(scores: list[list[int]]) -> list[int]:
    """Page index per row maximising the matched words, pages never going back (rows are in reading
    order): a row whose words also occur on a later page (tasks repeat their wording) stays in place."""
    n, m = len(scores), len(scores[0]) if scores else 0
    best = [[0] * m for _ in range(n)]
    back = [[0] * m for _ in range(n)]
    for i in range(n):
        run, arg = -1, 0
        for p in range(m):
            prev = best[i - 1][p] if i else 0
            if prev > run:
                run, arg = prev, p
            best[i][p] = scores[i][p] + run
            back[i][p] = arg
    pages = [0] * n
    if n:
        p = max(range(m), key=lambda q: (best[n - 1][q], -q))
        for i in range(n - 1, -1, -1):
            pages[i] = p
            p = back[i][p]
    return pages


_CELL_REACH = 12  # tokens either side of a row's matched words where its cells are looked for


def _locate_cells(task: Any, tokens: PageTokens, hit: list[int]) -> None:
    """Each cell's box, looked for near the row's own words (the same wording recurs in other rows),
    in the row re-read column by column (OCR reads a table line by line across its cells)."""
    sub, _ = by_columns(tokens, max(0, min(hit) - _CELL_REACH), max(hit) + _CELL_REACH + 1)
    cells = {}
    runs = {}
    for col, value in (
        ("content", task.content),
        ("responsible", task.responsible),
        ("timeframe", task.timeframe),
    ):
        run = best_run(sub, value) if value else None
        if run is not None and (src := source_of(sub, run)) is not None:
            cells[col], runs[col] = src, run
    if task.tt is not None and "content" in cells:  # the row number: left of the content's first line
        x0, y0, _, y1 = cells["content"].box
        for i, tok in enumerate(sub.folded):
            bx0, by0, bx1, by1 = sub.boxes[i]  # type: ignore[index]
            if tok == str(task.tt) and bx1 <= x0 and by0 < y0 + (y1 - y0) and by1 > y0:
                cells["tt"] = source_of(sub, Run(i, i + 1, 1.0, (i,)))  # type: ignore[assignment]
                break
    task.cells = {k: v for k, v in cells.items() if v is not None}


def locate_tasks(record: Any, result: Any, tokens: list[PageTokens] | None = None) -> None:
    """Fill each task's `page`, `confidence` (mean over its words found on the page), `warnings` and,
    on scans, `cells` (each cell's box)."""
    tokens = tokens if tokens is not None else page_tokens(result)
    pages = [(t.number, t.folded, t.confs, t.words) for t in tokens]
    if not pages:
        return
    wanted_all = [
        [t for t in (_fold(x) for x in f"{t.content} {t.responsible}".split()) if t] for t in record.tasks
    ]
    hits: list[list[list[int]]] = []
    for wanted in wanted_all:
        row = []
        for _, toks, _, _ in pages:
            sm = difflib.SequenceMatcher(None, toks, wanted, autojunk=False) if wanted and toks else None
            row.append([b.a + k for b in sm.get_matching_blocks() for k in range(b.size)] if sm else [])
        hits.append(row)
    chosen = _monotone([[len(h) for h in row] for row in hits])
    for task, wanted, row, p in zip(record.tasks, wanted_all, hits, chosen, strict=True):
        warnings: list[str] = []
        if task.tt_inferred:
            warnings.append("row number inferred from its neighbours")
        if not task.lead_unit:
            warnings.append("no lead unit")
        hit = row[p]
        if wanted and len(hit) >= max(2, len(wanted) // 2):
            number, _, confs, words = pages[p]
            task.page = number
            if tokens[p].boxes is not None:
                _locate_cells(task, tokens[p], hit)
            known = [(confs[i], words[i]) for i in hit if confs[i] is not None]
            if known:
                task.confidence = round(sum(c for c, _ in known) / len(known), 3)
                low = [f"{w} ({c:.2f})" for c, w in known if c < LOW_WORD_CONFIDENCE]
                if low:
                    more = f" and {len(low) - _MAX_LISTED} more" if len(low) > _MAX_LISTED else ""
                    warnings.append(f"low-confidence words: {', '.join(low[:_MAX_LISTED])}{more}")
        elif wanted:
            warnings.append("row not found on any page")
        task.warnings = warnings
