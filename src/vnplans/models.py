"""The validated record a plan document becomes (pydantic v2).

Every field a parser may fail to find is optional: a record is always produced, and what could not be
read or does not add up is reported in `quality.warnings` instead of raising.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

__all__ = [
    "Issue",
    "FieldSource",
    "Header",
    "CitedDocument",
    "LegalBasis",
    "Section",
    "Task",
    "DigitalSignature",
    "Signature",
    "Source",
    "Quality",
    "PlanRecord",
]

SectionKind = Literal[
    "appendix", "part", "chapter", "section", "article", "roman", "arabic", "letter", "dash"
]
SignMode = Literal["TM", "KT", "Q", "TL", "TUQ"]


class Issue(BaseModel):
    """A deviation found while parsing or validating: machine code plus a readable message."""

    code: str
    message: str


class FieldSource(BaseModel):
    """Where a field was read: its page, its box and how sure the reading is (see `parse.provenance`).

    `box` is `[x0, y0, x1, y1]` in pixels of the page image as it came in (a scan's own pixels, a PDF
    page as rendered for OCR), before deskew or upscaling: the same pixels as the ALTO/hOCR exports.
    """

    page: int = Field(ge=1)  # 1-based
    box: tuple[int, int, int, int]
    confidence: float = Field(ge=0, le=1)  # mean over its words of the lower of OCR and correction
    match: float = Field(default=1.0, ge=0, le=1)  # similarity of the words found to the field's value
    text: str = ""  # the words found there, as corrected


class Header(BaseModel):
    authority: str | None = None  # issuing body, e.g. "ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ"
    parent_authority: str | None = None  # directly managing body, e.g. "UBND TỈNH X" (Decree 30, item 2)
    authorities: list[str] = Field(default_factory=list)  # a joint document's issuers, each as printed
    national_motto: str | None = None  # Quốc hiệu
    tagline: str | None = None  # Tiêu ngữ
    number: str | None = None  # "244" (or "42/2022" for normative documents)
    symbol: str | None = None  # "KH-UBND"
    place: str | None = None
    issued_date: dt.date | None = None
    doc_type: str | None = None  # canonical name from dictionaries/doc_types.tsv, e.g. "Kế hoạch"
    doc_type_code: str | None = None  # "KH"
    title: str | None = None


class CitedDocument(BaseModel):
    doc_type: str | None = None  # "Nghị quyết", "Luật", ...
    number_symbol: str | None = None  # as cited: "42/NQ-HĐND", "34-CT/TW"
    number: str | None = None
    symbol: str | None = None
    date: dt.date | None = None
    issuer: str | None = None
    raw: str = ""


class LegalBasis(BaseModel):
    kind: str  # "Thực hiện" | "Căn cứ" | "Theo đề nghị" | "Xét"
    text: str
    cited: list[CitedDocument] = Field(default_factory=list)


class Section(BaseModel):
    label: str  # "I", "1", "a", "-", "Điều 3"
    kind: SectionKind
    level: int  # depth in the tree, 0 = top
    title: str | None = None
    text: str = ""
    children: list[Section] = Field(default_factory=list)


class Task(BaseModel):
    tt: int | None = None
    tt_inferred: bool = False  # True when the row number was missing and filled from its neighbours
    period: str | None = None  # "QUÝ I" .. "QUÝ IV" or "THÁNG 3"
    content: str = ""  # the task, without its trailing timeframe
    responsible: str = ""  # the unit cell as written
    lead_unit: str | None = None  # the unit that "chủ trì"
    cooperating_units: list[str] = Field(default_factory=list)
    timeframe: str | None = None  # raw, e.g. "đầu tháng 02/2023"
    month: int | None = None
    year: int | None = None
    qualifier: str | None = None  # "đầu" | "giữa" | "cuối"
    # where the row came from (filled after parsing, see vnplans.parse.taskprov): 1-based page, mean word
    # confidence (OCR and correction) over its words, and what a reviewer should check
    page: int | None = None
    confidence: float | None = None
    warnings: list[str] = Field(default_factory=list)
    # column ("tt", "content", "responsible", "timeframe") -> where that cell was read (scans only)
    cells: dict[str, FieldSource] = Field(default_factory=dict)


class DigitalSignature(BaseModel):
    signed_at: dt.datetime | None = None
    signer: str | None = None
    email: str | None = None


class Signature(BaseModel):
    mode: SignMode | None = None  # first authority mark: TM., KT., Q., TL., TUQ.
    modes: list[SignMode] = Field(default_factory=list)
    titles: list[str] = Field(default_factory=list)  # upper-case lines, mode marks removed
    name: str | None = None
    rank: str | None = None  # military rank or degree printed before the name: "Thượng tướng"
    mode_inferred: bool = False  # a KT. mark OCR lost, restored from a deputy's office under the head's
    digital: DigitalSignature | None = None


class Source(BaseModel):
    path: str | None = None
    sha256: str | None = None
    kind: str = "text"
    pages: int | None = None


class Quality(BaseModel):
    confidences: dict[str, float] = Field(default_factory=dict)  # per pipeline stage, 0..1
    # per record field below 1 ("header.authority", "signature.name", "tasks[3].lead_unit"): the least
    # sure word it was built from (OCR / text fix), or a field inferred rather than read
    fields: dict[str, float] = Field(default_factory=dict)
    corrected_words: int = 0
    warnings: list[Issue] = Field(default_factory=list)


class PlanRecord(BaseModel):
    """One parsed administrative document (a plan, typically) with provenance and quality."""

    header: Header = Field(default_factory=Header)
    legal_bases: list[LegalBasis] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    recipients: list[str] = Field(default_factory=list)
    signature: Signature = Field(default_factory=Signature)
    text: str = ""
    source: Source = Field(default_factory=Source)
    quality: Quality = Field(default_factory=Quality)
    # "header.title", "signature.name", ... -> where it was read; empty for text inputs (no geometry)
    provenance: dict[str, FieldSource] = Field(default_factory=dict)

    def warn(self, code: str, message: str) -> None:
        """Record a deviation once (same code and message)."""
        if not any(w.code == code and w.message == message for w in self.quality.warnings):
            self.quality.warnings.append(Issue(code=code, message=message))
