"""A plan document as structured blocks, shared by the generator, the page renderer and benchmarks."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Paragraph", "TaskTable", "PlanDoc"]


@dataclass
class Paragraph:
    text: str
    bold: bool = False
    align: str = "justify"  # justify | center | left | right
    indent: bool = True


@dataclass
class TaskTable:
    """TT / Nội dung / Đơn vị thực hiện. A row with one cell is a merged group row (e.g. `QUÝ I`)."""

    header: list[str]
    rows: list[list[str]]


@dataclass
class PlanDoc:
    authority_lines: list[str]  # left header block, e.g. ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ CẦN THƠ"]
    motto_lines: list[str]  # right header block: Quốc hiệu and Tiêu ngữ
    number_line: str  # "Số: 244/KH-UBND"
    place_date_line: str  # "Cần Thơ, ngày 20 tháng 12 năm 2022"
    doc_type: str  # "KẾ HOẠCH"
    title_lines: list[str]
    body: list[Paragraph | TaskTable] = field(default_factory=list)
    recipients_lines: list[str] = field(default_factory=list)  # "Nơi nhận:" then "- ...;" lines
    signature_lines: list[str] = field(default_factory=list)  # "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", name
    expected: dict | None = None  # the record fields a parser should recover (generator's ground truth)

    def to_text(self) -> str:
        """Linear text in reading order, as a clean text export of the document would read."""
        out: list[str] = []
        for a, b in zip(self.authority_lines, self.motto_lines, strict=False):
            out.append(f"{a}    {b}")
        longer = (
            self.authority_lines if len(self.authority_lines) > len(self.motto_lines) else self.motto_lines
        )
        out.extend(longer[min(len(self.authority_lines), len(self.motto_lines)) :])
        out += [self.number_line + "    " + self.place_date_line, "", self.doc_type, *self.title_lines, ""]
        for block in self.body:
            if isinstance(block, Paragraph):
                out.append(block.text)
            else:
                out.append(" | ".join(block.header))
                out.extend(" | ".join(r) for r in block.rows)
            out.append("")
        out += self.signature_lines + [""] + self.recipients_lines
        return "\n".join(out).strip() + "\n"
