"""The task table (TT / Nội dung / Đơn vị thực hiện), from layout cells or from linear text.

Linear text from OCR delivers the table as cell blocks in reading order: an optional row number, the
content block, then the responsible-unit block, with quarter markers between groups and the header
repeated at page breaks. Rows are rebuilt from what the document itself signals: row numbers, quarter
markers, the recurring shape of unit cells (`Ban/Sở ... chủ trì ... phối hợp ...`), continuation cues
(lower-case start, open parenthesis), and `|`-separated cells when a row was flattened onto lines.

Modules: `regions` (headers, markers, region bounds), `cells` (the row builder and line classifier),
`flattened` (rows printed side by side, weighted by `TableSettings`), this one (rows to `Task`s).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...models import Task
from ..common import TASK_VERB, fkey
from ..units import split_timeframe, split_units, starts_with_unit
from .cells import Builder, Row, items
from .flattened import DEFAULT_TABLE_SETTINGS, TableSettings
from .regions import find_table_regions, is_table_header, period_marker

__all__ = [
    "DEFAULT_TABLE_SETTINGS",
    "TableSettings",
    "find_table_regions",
    "is_table_header",
    "period_marker",
    "rows_from_cells",
    "rows_from_lines",
]


def rows_from_lines(lines: Sequence[str], settings: TableSettings = DEFAULT_TABLE_SETTINGS) -> list[Task]:
    """Rebuild task rows from the linear text of a table region (`settings`: the flattened-row weights)."""
    b = Builder()
    for kind, val in items(lines, settings):
        if kind == "tt":
            b.number(val)  # type: ignore[arg-type]
        elif kind == "period":
            b.heading(val)  # type: ignore[arg-type]
        elif kind == "block":
            b.block(" ".join(val))  # type: ignore[arg-type]
        elif kind == "row":
            b.row(*val)  # type: ignore[misc]
        else:
            for ln in val:  # type: ignore[union-attr]
                b.cells(ln.split("|"), fragment=True)
            b.end_block()
    return _finish(b.rows)


def rows_from_cells(tables: Sequence[object]) -> list[Task]:
    """Task rows from layout tables (objects with `rows` and optional `header`), across pages."""
    b = Builder()
    for t in tables:
        header = getattr(t, "header", None)
        if header:
            b.cells([str(c or "") for c in header], fragment=False)
        rows = getattr(t, "rows", None) or []
        wide = max((len(r) for r in [*rows, header or []]), default=0) > 1
        for row in rows:
            b.cells([str(c or "") for c in row], fragment=False, merged=wide and len(row) == 1)
    return _finish(b.finish())


def _fix_misread_tt(tasks: list[Task]) -> None:
    """A row number out of step while the numbered rows around it agree with each other
    (28, `2`, 30: OCR lost a digit) is the number between them."""
    known = [i for i, t in enumerate(tasks) if t.tt is not None]
    for a, k, b in zip(known, known[1:], known[2:], strict=False):
        ta, tk, tb = tasks[a].tt, tasks[k].tt, tasks[b].tt
        assert ta is not None and tk is not None and tb is not None
        if tb - ta == b - a and tk != ta + (k - a):
            tasks[k].tt, tasks[k].tt_inferred = ta + (k - a), True


def _infer_tt(tasks: list[Task]) -> None:
    """Fill missing row numbers when a neighbouring numbered row fixes them unambiguously."""
    known = [(i, t.tt) for i, t in enumerate(tasks) if t.tt is not None]
    if not known:
        return
    for i, t in enumerate(tasks):
        if t.tt is not None:
            continue
        before = [(j, n) for j, n in known if j < i]
        after = [(j, n) for j, n in known if j > i]
        guess_b = before[-1][1] + (i - before[-1][0]) if before else None
        guess_a = after[0][1] - (after[0][0] - i) if after else None
        guess = guess_b if guess_b is not None else guess_a
        if guess is not None and (guess_a is None or guess_a == guess) and guess >= 1:
            t.tt, t.tt_inferred = guess, True


def _finish(rows: list[Row]) -> list[Task]:
    tasks: list[Task] = []
    for r in rows:
        content, resp = r.text("content"), r.text("resp")
        if not content and not resp:
            continue
        if (
            not content
            and tasks
            and not tasks[-1].responsible
            and r.period == tasks[-1].period
            and starts_with_unit(resp)
            and not re.match(TASK_VERB, fkey(resp))
        ):
            # a unit cell OCR read apart from its row (with a stray number): the row above lacks it
            prev = tasks[-1]
            prev.responsible = resp
            prev.lead_unit, prev.cooperating_units = split_units(resp)
            continue
        body, raw, month, year, qual = split_timeframe(content)
        lead, coop = split_units(resp)
        tasks.append(
            Task(
                tt=r.tt,
                period=r.period,
                content=body,
                responsible=resp,
                lead_unit=lead,
                cooperating_units=coop,
                timeframe=raw,
                month=month,
                year=year,
                qualifier=qual,
            )
        )
    _fix_misread_tt(tasks)
    _infer_tt(tasks)
    return tasks
