"""Checks that turn deviations into `quality.warnings` (never exceptions)."""

from __future__ import annotations

import datetime as dt

from ..lexicon import doc_type_by_code, fold, roman_to_int
from ..models import PlanRecord

__all__ = ["validate", "QUARTER_MONTHS"]

QUARTER_MONTHS = {1: range(1, 4), 2: range(4, 7), 3: range(7, 10), 4: range(10, 13)}
_REQUIRED = ("authority", "number", "symbol", "place", "doc_type", "title")


def _quarter(period: str | None) -> int | None:
    if not period or not fold(period).upper().startswith("QUY "):
        return None
    return roman_to_int(period.split()[-1])


def validate(rec: PlanRecord, *, today: dt.date | None = None) -> PlanRecord:
    """Append warnings for missing fields, inconsistent dates/symbols and broken row numbering."""
    h = rec.header
    today = today or dt.date.today()
    for name in _REQUIRED:
        if not getattr(h, name):
            rec.warn("missing_field", f"header.{name} not found")
    if h.issued_date is None and not any(
        w.code in ("day_blank", "date_unreadable") for w in rec.quality.warnings
    ):
        rec.warn("missing_field", "header.issued_date not found")
    if h.issued_date and h.issued_date > today:
        rec.warn("date_in_future", f"issued {h.issued_date} is after today ({today})")
    dig = rec.signature.digital
    if h.issued_date and dig and dig.signed_at and h.issued_date > dig.signed_at.date():
        rec.warn(
            "date_after_signature", f"issued {h.issued_date} is after the digital signature {dig.signed_at}"
        )
    if h.symbol:
        code = h.symbol.split("-")[0].split("/")[-1]
        expected = doc_type_by_code(code)
        if h.doc_type_code and code != h.doc_type_code:
            rec.warn(
                "symbol_type_mismatch", f"symbol code {code} does not match {h.doc_type} ({h.doc_type_code})"
            )
        elif not h.doc_type_code and h.doc_type and expected:
            rec.warn(
                "symbol_type_mismatch",
                f"symbol code {code} is {expected.name}, the document says {h.doc_type}",
            )
    if not rec.signature.name:
        rec.warn("missing_field", "signature.name not found")
    _check_rows(rec)
    return rec


def _check_rows(rec: PlanRecord) -> None:
    nums = [t.tt for t in rec.tasks]
    known = [n for n in nums if n is not None]
    if known:
        expected = list(range(known[0], known[0] + len(nums)))
        if [n for n in nums if n is not None] != [
            e for n, e in zip(nums, expected, strict=True) if n is not None
        ]:
            rec.warn("tt_not_contiguous", f"row numbers are not 1..n in order: {known[:12]}...")
        elif known[0] != 1:
            rec.warn("tt_not_contiguous", f"row numbers start at {known[0]}")
    if rec.tasks and any(n is None for n in nums):
        rec.warn("tt_missing", f"{sum(n is None for n in nums)} task rows without a row number")
    inferred = sum(t.tt_inferred for t in rec.tasks)
    if inferred:
        rec.warn("tt_inferred", f"{inferred} row numbers filled in or corrected from their neighbours")
    last_q = 0
    for t in rec.tasks:
        q = _quarter(t.period)
        if q is None:
            continue
        if q < last_q:
            rec.warn("period_order", f"{t.period} comes after a later quarter (row {t.tt})")
        last_q = max(last_q, q)
        if t.month and t.month not in QUARTER_MONTHS[q]:
            rec.warn("timeframe_period_mismatch", f"row {t.tt}: month {t.month} is outside {t.period}")
