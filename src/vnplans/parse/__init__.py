"""Parse a plan's text (and optionally its page layout) into a validated `PlanRecord`.

`parse_text` never raises on text: each stage runs guarded, and a stage that fails leaves its fields
empty with an `internal_error` warning, so one odd document cannot stop a batch.
"""

from __future__ import annotations

import hashlib
import re
import sys
import types
from collections.abc import Callable
from typing import Any, TypeVar

from ..models import PlanRecord, Source
from ..text.syllable import fold, nfc
from .common import make_date, unmark
from .confidence import field_confidences, parse_confidence
from .header import issuer_code, parse_header
from .places import official_authority, official_place
from .preamble import parse_citations, parse_preamble
from .recipients import parse_recipients
from .sections import parse_sections, section_label
from .signature import find_trailer, parse_digital, parse_signature, split_trailer
from .tables import find_table_regions, is_table_header, rows_from_cells, rows_from_lines
from .validate import validate

__all__ = ["parse_text", "parse_citations", "validate", "score", "completeness", "NOT_VIETNAMESE"]

T = TypeVar("T")
_BODY_KINDS = ("part", "chapter", "article", "roman", "arabic")
_ATTACHED_KINDS = ("appendix", "part", "chapter", "section", "article")


def _guard(rec: PlanRecord, stage: str, fn: Callable[[], T], default: T) -> T:
    try:
        return fn()
    except Exception as e:  # noqa: BLE001 - a record must always be produced
        rec.warn("internal_error", f"{stage}: {type(e).__name__}: {e}")
        return default


def _pages(layout: Any) -> list[Any]:
    if layout is None:
        return []
    if isinstance(layout, list | tuple):
        return [p for p in layout if p is not None]
    return [layout]


def _document_tables(pages: list[Any]) -> list[Any]:
    """Tables of all pages; with real page layouts, a table continued over a page break is one
    (repeated header dropped, a row broken by the break joined)."""
    tables = [t for p in pages for t in (getattr(p, "tables", None) or [])]
    if len(pages) > 1 and tables:
        from ..layout import PageLayout, merge_tables

        if all(isinstance(p, PageLayout) for p in pages):
            return merge_tables(pages)
    return tables


def _body_start(lines: list[str], start: int) -> int:
    for i in range(start, len(lines)):
        hit = section_label(lines[i])
        if (hit and hit[0] in _BODY_KINDS) or is_table_header(lines[i]):
            return i
    return start


def _attached_sections(lines: list[str], trailer: int, in_table: set[int]) -> list[Any]:
    """What follows the signature: a regulation issued with the document (its own chapters and
    articles), appendices (`PHỤ LỤC`). Their parts are nodes of the tree too, after the body's."""
    start = next(
        (
            i
            for i in range(trailer + 1, len(lines))
            if (hit := section_label(lines[i])) and hit[0] in _ATTACHED_KINDS
        ),
        None,
    )
    if start is None:
        return []
    rest = [ln for i, ln in enumerate(lines[start:], start=start) if i not in in_table]
    return parse_sections(rest)[0]


SYMBOL_DOUBT = 0.6  # a symbol read with less confidence may take its issuer code from the authority


def score(rec: PlanRecord, pages: Any = ()) -> None:
    """Field confidences and the record's `parse` confidence; `pages`: per page, its word sources with
    their confidences (OCR, text fix), when the text came from a page. A symbol OCR doubted whose
    issuer code is one letter off the authority's initials takes them (`header.issuer_code`)."""
    pages = list(pages)
    h = rec.header
    if pages and not h.authorities and (code := issuer_code(h.symbol, h.authority)) is not None:
        doubt = field_confidences(rec, pages).get("header.symbol", 1.0)
        if doubt < SYMBOL_DOUBT:
            rec.warn(
                "symbol_code_from_authority",
                f"issuer code in {h.symbol!r} read as the initials of {h.authority}",
            )
            h.symbol = code
    rec.quality.fields = field_confidences(rec, pages)
    rec.quality.confidences["parse"] = parse_confidence(completeness(rec), rec.quality.fields)


def completeness(rec: PlanRecord) -> float:
    h = rec.header
    fields = [h.authority, h.national_motto, h.number, h.symbol, h.place, h.issued_date, h.doc_type, h.title]
    found = sum(f is not None for f in fields) + bool(rec.signature.mode) + bool(rec.recipients)
    return round(found / (len(fields) + 2), 3)


def _official_names(h: Any) -> None:
    """Place names as the official list spells them: the text engine cannot know them from context.

    Text without any marks (parsed as is, on purpose) keeps its spelling: half-accented names help no one.
    """
    if h.place and not h.place.isascii():
        h.place = official_place(h.place)
    if h.authority and not h.authority.isascii():
        h.authority = official_authority(h.authority)
    if h.parent_authority and not h.parent_authority.isascii():
        h.parent_authority = official_authority(h.parent_authority)


NOT_VIETNAMESE = "not_vietnamese"


def _not_vietnamese(text: str) -> bool:
    from ..text.quality import assess

    try:
        return assess(text).kind == "not-vietnamese"
    except Exception:  # noqa: BLE001 - the check must never cost a record
        return False


_PASSED = re.compile(r"thong\s+qua\s+ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")


def _fill_date(rec: PlanRecord, hr: Any, text: str) -> None:
    """An issue date the header does not print readably, from what else the page says, with a warning:
    laws and resolutions carry no place-and-date line but close with `... thông qua ngày D tháng M năm Y`;
    a blank (handwritten, unreadable) day is filled from the digital signature's time when its month
    and year agree with the printed ones."""
    h = rec.header
    if h.issued_date is not None:
        return
    if not hr.date_line:
        passed = list(_PASSED.finditer(fold(text).lower()))
        if passed:
            d, m, y = (int(g) for g in passed[-1].groups())
            h.issued_date = make_date(d, m, y)
            if h.issued_date:
                rec.warn(
                    "date_from_passage",
                    f"no place-and-date line; issue date {h.issued_date} from the passage sentence",
                )
                return
    dig = rec.signature.digital
    if dig and dig.signed_at:
        signed = dig.signed_at.date()
        if hr.month_year is None or hr.month_year == (signed.month, signed.year):
            h.issued_date = signed
            rec.warn(
                "date_from_digital_signature",
                f"printed day blank or unreadable; issue date {signed} from the digital signature",
            )


def parse_text(text: str, *, layout: Any = None, name: str | None = None) -> PlanRecord:
    """Parse restored Vietnamese text into a record; `layout` is a PageLayout (or a list, one per page).

    Raises TypeError for anything but a str. Text that is not Vietnamese (English, say) is not parsed:
    the record holds the text and a `not_vietnamese` warning, not a header made of its first lines.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_text needs the document's text as a str, not {type(text).__name__}")
    text = nfc(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    rec = PlanRecord(text=text)
    pages = _pages(layout)
    rec.source = Source(
        path=name,
        sha256=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        kind="text",
        pages=len(pages) or (text.count("\f") + 1 if "\f" in text else None),
    )
    if _not_vietnamese(text):
        rec.warn(NOT_VIETNAMESE, "the text is not Vietnamese: not parsed as an administrative document")
        return rec
    lines = [ln.replace("\f", "") for ln in text.split("\n")]
    plain = [unmark(ln) for ln in lines]  # header and signature read through table markup
    first = pages[0] if pages else None
    left = list(getattr(first, "header_left", None) or []) if first is not None else []
    right = list(getattr(first, "header_right", None) or []) if first is not None else []

    hr = _guard(rec, "header", lambda: parse_header(plain, left=left, right=right), None)
    end = 0
    if hr is not None:
        rec.header, end = hr.header, hr.end
        _guard(rec, "places", lambda: _official_names(rec.header), None)
        for code, msg in hr.issues:
            rec.warn(code, msg)
    body = _guard(rec, "body", lambda: _body_start(lines, end), end)
    trailer = _guard(rec, "trailer", lambda: find_trailer(plain, body), len(lines))
    bases, _ = _guard(rec, "preamble", lambda: parse_preamble(lines[end:body]), ([], []))
    rec.legal_bases = bases
    regions = _guard(rec, "tables", lambda: find_table_regions(lines, body, trailer), [])
    in_table = {i for s, e in regions for i in range(s, e)}
    body_lines = [ln for i, ln in enumerate(lines[body:trailer], start=body) if i not in in_table]
    rec.sections = _guard(rec, "sections", lambda: parse_sections(body_lines)[0], [])
    rec.sections += _guard(rec, "attached", lambda: _attached_sections(lines, trailer, in_table), [])

    tables = _guard(rec, "layout tables", lambda: _document_tables(pages), [])
    if tables:
        rec.tasks = _guard(rec, "layout tables", lambda: rows_from_cells(tables), [])
    if not rec.tasks and regions:
        region_lines = [lines[i] for s, e in regions for i in range(s, e)]
        rec.tasks = _guard(rec, "tables", lambda: rows_from_lines(region_lines), [])

    tl, tr = _guard(rec, "trailer", lambda: split_trailer(plain[trailer:]), ([], []))
    rec.recipients = _guard(rec, "recipients", lambda: parse_recipients(tl), [])
    sig = _guard(rec, "signature", lambda: parse_signature(tr), None)
    if sig is not None:
        rec.signature = sig
        if sig.mode_inferred:
            rec.warn("sign_mode_inferred", "a KT. mark was not read; restored from the deputy's office")
    rec.signature.digital = _guard(rec, "digital signature", lambda: parse_digital(text), None)
    if hr is not None:
        _guard(rec, "dates", lambda: _fill_date(rec, hr, text), None)
    _guard(rec, "validate", lambda: validate(rec), rec)
    _guard(rec, "confidence", lambda: score(rec), None)
    return rec


class _CallableModule(types.ModuleType):
    """`vnplans.parse(text)` is `parse_text(text)`: importing this subpackage binds its name on `vnplans`
    over the function of the same name, so the module itself answers the call (the README's example)."""

    def __call__(self, text: str, *, layout: Any = None, name: str | None = None) -> PlanRecord:
        return parse_text(text, layout=layout, name=name)


sys.modules[__name__].__class__ = _CallableModule
