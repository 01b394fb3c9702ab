"""Where each task row came from: its page, how sure OCR and correction were of its words, what to check.

Why: a reviewer of `tasks.csv` needs to know which row to look at on which page, and which rows rest
on doubtful words, without opening every scan. The parser gives rows without positions, so each row's
words are found again among the page words after parsing (diacritic-folded token alignment); a row
whose words cannot be found keeps `page` empty rather than a guess.
"""

from __future__ import annotations

import difflib
from typing import Any

from ..lexicon import fold_token as _fold

__all__ = ["locate_tasks", "LOW_WORD_CONFIDENCE"]

LOW_WORD_CONFIDENCE = 0.6
_MAX_LISTED = 5


def _page_tokens(page: Any) -> tuple[list[str], list[float | None], list[str]]:
    """Folded tokens of a page, each word's confidence (OCR and correction, the lower; None for a
    text layer) and the word as printed."""
    if page.ocr is not None and page.ocr.words:
        sources = (
            page.word_sources if page.word_sources and len(page.word_sources) == len(page.ocr.words) else None
        )
        toks, confs, words = [], [], []
        for i, w in enumerate(page.ocr.words):
            corr = sources[i][1] if sources else 1.0
            for part in w.text.split():
                toks.append(_fold(part))
                confs.append(round(min(max(0.0, w.conf), corr), 3))
                words.append(part)
        return toks, confs, words
    words = (page.text or "").split()
    return [_fold(w) for w in words], [None] * len(words), words


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


def locate_tasks(record: Any, result: Any) -> None:
    """Fill each task's `page`, `confidence` (mean over its words found on the page) and `warnings`."""
    pages = [(p.number, *_page_tokens(p)) for p in result.pages]
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
