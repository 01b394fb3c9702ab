"""How sure the record is of each field, and of itself.

A field is as doubtful as the least sure word it was built from (a long title: its words' mean): the words OCR read (Tesseract's word
confidence) and the text fix chose (the decoder's posterior) carry their confidence, matched to the
field's words on the page the field comes from (header fields: the first page, the signature: the
last). A field the parser had to infer (a date from the digital signature or the passage sentence, a
type from the symbol) is doubtful too. The record's `parse` confidence is its completeness times the
mean confidence of what it found, so a garbled lead unit or a guessed date cannot come with 1.0.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..models import PlanRecord
from ..text.syllable import nfc

__all__ = ["WordConf", "field_confidences", "parse_confidence"]

WordConf = tuple[str, float]  # (word as it reads in the final text, 0..1), in page order
_WORD = re.compile(r"[^\W_]+(?:[/.\-][^\W_]+)*", re.UNICODE)
# warnings that say a field was inferred, not read, and how much that field is then believed
_INFERRED = {
    "date_from_digital_signature": ("header.issued_date", 0.8),
    "date_from_passage": ("header.issued_date", 0.9),
    "doc_type_from_symbol": ("header.doc_type", 0.8),
    "doc_type_damaged": ("header.doc_type", 0.7),
    "symbol_code_from_authority": ("header.symbol", 0.8),
    "date-handwritten": ("header.issued_date", 0.8),  # a day or month read from handwriting (ocr.slots)
    "sign_mode_inferred": ("signature.titles", 0.8),
    "date_unreadable": ("header.issued_date", 0.5),
}


def _key(w: str) -> str:
    return nfc(w).lower().strip(".,;:()")


def _lookup(table: dict[str, float], key: str) -> float:
    """A word's belief; a number or symbol split off a printed word (`21/2026` and `TT-BCT` of
    `21/2026/TT-BCT`) takes that word's."""
    if key in table:
        return table[key]
    if any(c in key for c in "/-"):  # the least sure such word: a printed copy elsewhere is no proof
        return min(
            (
                c
                for word, c in table.items()
                if f"{key}/" in word or f"/{key}" in word or key in word.split("/")
            ),
            default=1.0,
        )
    return 1.0


def _field_conf(
    value: str | None, sources: Sequence[Sequence[WordConf]], *, last: bool = False
) -> float | None:
    """The least sure word of `value`; each source (OCR words, text-fix words) is read at the word's
    first occurrence on the page (last occurrence when `last`), and the sources' lowest belief counts."""
    if not value:
        return None
    tables = []
    for words in sources:
        table: dict[str, float] = {}
        for w, c in words if last else reversed(words):
            table[_key(w)] = c
        tables.append(table)
    confs = [min((_lookup(t, _key(w)) for t in tables), default=1.0) for w in _WORD.findall(value)]
    if not confs:
        return None
    # a name or number is as sure as its least sure word; a long title as its words on average
    return round(min(confs) if len(confs) <= 6 else sum(confs) / len(confs), 3)


def field_confidences(rec: PlanRecord, pages: Sequence[Sequence[Sequence[WordConf]]]) -> dict[str, float]:
    """Per field (`header.authority`, `signature.name`, `tasks[3].lead_unit`, ...), the confidence of its
    least sure word; only fields below 1 are listed. `pages`: per page, its word sources."""
    out: dict[str, float] = {}
    first = pages[0] if pages else []
    last = pages[-1] if pages else []
    everything = [[w for p in pages for src in p for w in src]]
    h = rec.header
    for name in ("authority", "parent_authority", "number", "symbol", "place", "doc_type", "title"):
        c = _field_conf(getattr(h, name), first)
        if c is not None and c < 1:
            out[f"header.{name}"] = c
    for name, value in (("name", rec.signature.name), ("titles", " ".join(rec.signature.titles) or None)):
        c = _field_conf(value, last, last=True)
        if c is not None and c < 1:
            out[f"signature.{name}"] = c
    for i, t in enumerate(rec.tasks):
        c = _field_conf(t.lead_unit, everything)
        if c is not None and c < 1:
            out[f"tasks[{i}].lead_unit"] = c
    for w in rec.quality.warnings:
        if w.code in _INFERRED:
            field, cap = _INFERRED[w.code]
            out[field] = round(min(out.get(field, 1.0), cap), 3)
    return out


def parse_confidence(completeness: float, fields: dict[str, float]) -> float:
    """Completeness times the mean belief in the header and signature fields found (1 unless doubted)."""
    doubted = [c for k, c in fields.items() if not k.startswith("tasks[")]
    tasks = [c for k, c in fields.items() if k.startswith("tasks[")]
    belief = (sum(doubted) + (10 - len(doubted))) / 10 if doubted else 1.0
    if tasks:  # a garbled lead unit lowers it as well
        belief *= min(tasks) ** 0.5
    return round(completeness * max(0.0, min(1.0, belief)), 3)
