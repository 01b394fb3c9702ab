"""What layout analysis hands the parser: a page's header columns, text lines and tables in reading order."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Box", "PageLayout", "Table"]

Box = tuple[int, int, int, int]  # x0, y0, x1, y1


@dataclass
class Table:
    """Cell text by row; a one-cell row in a multi-column table is a merged row such as `QUÝ I`."""

    rows: list[list[str]]
    header: list[str] | None = None
    bbox: Box | None = None
    ncols: int = 0
    col_edges: list[int] = field(default_factory=list)  # x of column boundaries, left border first
    ruled: bool = True

    def all_rows(self) -> list[list[str]]:
        return ([self.header] if self.header else []) + self.rows


@dataclass
class PageLayout:
    """What the parser needs from one page: header columns, text lines, tables, in reading order."""

    header_left: list[str] = field(default_factory=list)
    header_right: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    header_rows: list[tuple[str, str]] = field(default_factory=list)  # header pairs on one printed row
    blocks: list[tuple[str, int]] = field(default_factory=list)  # ("line", i) / ("table", j) by reading order
    width: int = 0
    height: int = 0

    def to_text(self) -> str:
        """Linear text like `PlanDoc.to_text`: header rows as `left    right`, table rows as `a | b | c`."""
        out = [f"{a}    {b}".strip() for a, b in self.header_rows]
        if out:
            out.append("")
        blocks = self.blocks or [("line", i) for i in range(len(self.lines))] + [
            ("table", j) for j in range(len(self.tables))
        ]
        for kind, i in blocks:
            if kind == "line":
                out.append(self.lines[i])
            else:
                if out and out[-1]:
                    out.append("")
                out.extend(" | ".join(r) for r in self.tables[i].all_rows())
                out.append("")
        while out and not out[-1]:
            out.pop()
        return "\n".join(out) + ("\n" if out else "")
