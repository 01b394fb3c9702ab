"""Preamble bases (`Căn cứ ...`, `Thực hiện ...`, `Theo đề nghị ...`, `Xét ...`) and the documents they cite."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from ..models import CitedDocument, LegalBasis
from ..text.syllable import nfc
from .common import DATE_WORDS, NUMERIC_DATE, clean_line, date_from_match, doc_types, fkey

__all__ = ["parse_preamble", "parse_citations", "BASIS_KINDS"]

BASIS_KINDS = (
    ("thuc hien", "Thực hiện"),
    ("can cu", "Căn cứ"),
    ("theo de nghi", "Theo đề nghị"),
    ("xet", "Xét"),
)
_KIND_RE = re.compile(r"^(thuc hien|can cu|theo de nghi|xet)\b")
_NS = re.compile(r"^\s*(?:so|s\S)\s*:?\s*(\d[\w./-]*)")
_ISSUER_STOP = re.compile(r"\s+(?:ve|v/v|quy dinh|huong dan|ban hanh|trien khai|thuc hien|nham|tai)\b|[;,.:]")
_TRAILING_AND = re.compile(r"(?:\s+(?:và|va|và các|va cac))+$", re.I)
_CLAUSE_END = re.compile(r"[;,.]")
_NAMED_NS = re.compile(r"\s(?:so|s\S)\s*:?\s*(\d+/\d{4}/[\w./-]+)")  # a numbered symbol after a name
_NUM_SPLIT = re.compile(r"^(\d+(?:/\d{4})?)[/-](.+)$")


@cache
def _type_re() -> re.Pattern[str]:
    names = sorted({fkey(d.name) for d in doc_types()}, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b", re.I)


def _type_name(folded: str) -> str:
    for d in doc_types():
        if fkey(d.name) == folded.lower():
            return d.name
    return folded


def _set_number(cd: CitedDocument, raw: str) -> None:
    """`64/2025/QH15` -> number `64/2025`, symbol `QH15`; a bare number stays whole."""
    cd.number_symbol = ns = raw.rstrip(".,;:")
    if sm := _NUM_SPLIT.match(ns):
        cd.number, cd.symbol = sm.group(1), sm.group(2)
    else:
        cd.number = ns


def _named_number(k: str, start: int, end: int) -> re.Match[str] | None:
    """The number of a document cited by its name, within the name's clause (up to `,;.`)."""
    clause = _CLAUSE_END.search(k, start, end)
    return _NAMED_NS.search(k, start, min(clause.start() if clause else end, start + 200))


def parse_citations(text: str) -> list[CitedDocument]:
    """Cited documents: a capitalised type name followed by `số`, or a normative type (Luật ...)."""
    text = nfc(text)
    k = fkey(text)
    mentions = []
    for m in _type_re().finditer(k):
        if not text[m.start()].isupper():
            continue
        name = _type_name(m.group(1))
        numbered = bool(_NS.match(k[m.end() :]))
        normative = any(d.name == name and d.group == "normative" for d in doc_types())
        if numbered or normative:
            mentions.append((m.start(), m.end(), name))
    out: list[CitedDocument] = []
    for idx, (s, e, name) in enumerate(mentions):
        seg_end = mentions[idx + 1][0] if idx + 1 < len(mentions) else len(text)
        seg_k = k[e:seg_end]
        cd = CitedDocument(doc_type=name)
        pos = e
        if m := _NS.match(seg_k):
            _set_number(cd, text[e + m.start(1) : e + m.end(1)])
            pos = e + m.end()
        elif named := _named_number(k, e, seg_end):  # `Luật Ban hành văn bản ... số 64/2025/QH15`
            _set_number(cd, text[named.start(1) : named.end(1)])
            pos = named.end()
        dm = DATE_WORDS.search(k, pos, seg_end) or NUMERIC_DATE.search(k, pos, seg_end)
        if dm and dm.start() - pos < 160:
            cd.date, _ = date_from_match(dm)
            pos = dm.end()
        cm = re.compile(r"\s*(?:c\w{1,2}a|do)\s+").match(k, pos)
        if cm:
            stop = _ISSUER_STOP.search(k, cm.end(), seg_end)
            iend = stop.start() if stop else seg_end
            issuer = _TRAILING_AND.sub("", " ".join(text[cm.end() : iend].split()[:14])).strip(" ,;.")
            cd.issuer = issuer or None
            pos = iend
        if pos == e:  # an unnumbered law or code: its name runs to the date or the clause end
            stop = re.compile(r"\s+ngay\b|[;,.]").search(k, e, seg_end)
            pos = stop.start() if stop else seg_end
        cd.raw = " ".join(text[s:pos].split()).rstrip(" ,;")
        out.append(cd)
    return out


def _paragraphs(lines: Sequence[str]) -> list[str]:
    paras: list[list[str]] = []
    for raw in lines:
        ln = clean_line(raw)
        if not ln:
            if paras and paras[-1]:
                paras.append([])
            continue
        if _KIND_RE.match(fkey(ln)) and ln[0].isupper() and paras and paras[-1]:
            paras.append([])
        if not paras:
            paras.append([])
        paras[-1].append(ln)
    return [" ".join(p) for p in paras if p]


def parse_preamble(lines: Sequence[str]) -> tuple[list[LegalBasis], list[str]]:
    """(bases, other preamble paragraphs) from the lines between the title and the body."""
    bases: list[LegalBasis] = []
    other: list[str] = []
    for p in _paragraphs(lines):
        m = _KIND_RE.match(fkey(p))
        if not m:
            other.append(p)
            continue
        kind = dict(BASIS_KINDS)[m.group(1)]
        bases.append(LegalBasis(kind=kind, text=p, cited=parse_citations(p)))
    return bases, other
