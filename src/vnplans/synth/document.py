"""Render a `PlanDoc` to A4 page images laid out the way Decree 30 (30/2020/NĐ-CP) documents print.

Why: layout analysis, OCR benchmarks and the samples need pages whose structure (two-column header,
ruled task table continuing across pages, signature / Nơi nhận block) and exact text are known.
Each page comes with its ground truth: the printed text in reading order and the table cells.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from PIL import Image, ImageDraw, ImageFont

from vnplans.synth.plans import Paragraph, PlanDoc, TaskTable
from vnplans.synth.render import load_font, wrap_text

__all__ = ["RenderedPage", "render_document"]

_FONT = "Liberation Serif"  # Times New Roman metrics
_BOLD_ITALIC = "LiberationSerif-BoldItalic.ttf"


@dataclass
class RenderedPage:
    """One printed page and its ground truth.

    `text` is the page in reading order (header rows as ``left    right``, table rows as cells joined
    with `` | ``), `tables` the cell grid of each table part printed on this page (repeated header rows
    included), `header_left` / `header_right` the two header columns (first page only).
    """

    image: Image.Image
    text: str
    dpi: int = 300
    tables: list[list[list[str]]] = field(default_factory=list)
    header_left: list[str] = field(default_factory=list)
    header_right: list[str] = field(default_factory=list)


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


class _Pager:
    """Places drawing operations on pages; starts a new page when content would overflow."""

    def __init__(self, dpi: int, size_pt: float) -> None:
        self.dpi = dpi
        self.mm = dpi / 25.4
        self.W, self.H = round(210 * self.mm), round(297 * self.mm)
        self.top, self.bottom = round(20 * self.mm), self.H - round(20 * self.mm)
        self.left, self.right = round(30 * self.mm), self.W - round(15 * self.mm)
        self.size_pt = size_pt
        self.pages: list[tuple[Image.Image, list[str], list[list[list[str]]]]] = []
        self.new_page()

    def px(self, pt: float) -> int:
        return max(1, round(pt * self.dpi / 72))

    def font(self, size_pt: float, style: str = "regular") -> ImageFont.FreeTypeFont:
        if style == "bolditalic":
            return load_font(_BOLD_ITALIC, self.px(size_pt))
        return load_font(_FONT, self.px(size_pt), style)

    def step(self, size_pt: float) -> int:
        return round(self.px(size_pt) * 1.25)

    def new_page(self) -> None:
        img = Image.new("L", (self.W, self.H), 255)
        self.pages.append((img, [], []))
        self.draw = ImageDraw.Draw(img)
        self.text = self.pages[-1][1]
        self.tables = self.pages[-1][2]
        self.y = self.top
        n = len(self.pages)
        if n > 1:  # Decree 30: page numbers from page 2, top centre
            f = self.font(self.size_pt)
            s = str(n)
            self.draw.text(((self.W - f.getlength(s)) / 2, round(8 * self.mm)), s, font=f, fill=0)
            self.text.append(s)

    def room(self) -> int:
        return self.bottom - self.y

    def ensure(self, height: int) -> None:
        if height > self.room() and self.y > self.top:
            self.new_page()

    def rule(self, x0: float, x1: float, y: int) -> None:
        self.draw.line([(round(x0), y), (round(x1), y)], fill=0, width=max(1, round(self.dpi / 200)))

    def line(
        self, s: str, f: ImageFont.FreeTypeFont, x0: int, x1: int, align: str, *, last: bool = True
    ) -> None:
        """Draw one printed line between x0 and x1 at the current y (justify stretches word gaps)."""
        w = x1 - x0
        if align == "center":
            self.draw.text((x0 + (w - f.getlength(s)) / 2, self.y), s, font=f, fill=0)
        elif align == "right":
            self.draw.text((x1 - f.getlength(s), self.y), s, font=f, fill=0)
        elif align == "justify" and not last and " " in s:
            words = s.split(" ")
            gap = (w - sum(f.getlength(t) for t in words)) / (len(words) - 1)
            if gap > 3 * f.getlength(" "):
                gap = f.getlength(" ")
            cx = float(x0)
            for t in words:
                self.draw.text((cx, self.y), t, font=f, fill=0)
                cx += f.getlength(t) + gap
        else:
            self.draw.text((x0, self.y), s, font=f, fill=0)


def _fit(p: _Pager, lines: list[str], width: int, size_pt: float, style: str) -> ImageFont.FreeTypeFont:
    """Largest font (down to 10 pt) at which every line fits the column, as a typist would shrink it."""
    size = size_pt
    while size > 10:
        f = p.font(size, style)
        if all(f.getlength(s) <= width for s in lines):
            return f
        size -= 0.5
    return p.font(size, style)


def _header(p: _Pager, doc: PlanDoc) -> tuple[list[str], list[str]]:
    split = p.left + round(0.38 * (p.right - p.left))
    lcol, rcol = (p.left - round(8 * p.mm), split), (split, p.right + round(5 * p.mm))
    left = [_nfc(s) for s in doc.authority_lines]
    right = [_nfc(s) for s in doc.motto_lines]
    fl = _fit(p, left, lcol[1] - lcol[0], 13, "bold")
    fq = _fit(p, right[:1], rcol[1] - rcol[0], 13, "bold")
    fm = _fit(p, right[1:], rcol[1] - rcol[0], 14, "bold")
    step = p.step(13.5)
    y0 = p.y
    for i, s in enumerate(left):
        p.y = y0 + i * step
        p.line(s, fl, *lcol, "center")
    for i, s in enumerate(right):
        p.y = y0 + i * step
        p.line(s, fq if i == 0 else fm, *rcol, "center")
    rule_y = lambda n: y0 + n * step + round(p.px(13) * 0.15)  # noqa: E731
    if left:  # short rule under the issuing body, a third to a half of its width
        w = fl.getlength(left[-1]) * 0.4
        c = (lcol[0] + lcol[1]) / 2
        p.rule(c - w / 2, c + w / 2, rule_y(len(left)))
    if len(right) > 1:  # tiêu ngữ underlined over its full length
        w = fm.getlength(right[-1])
        c = (rcol[0] + rcol[1]) / 2
        p.rule(c - w / 2, c + w / 2, rule_y(len(right)))
    p.y = y0 + max(len(left), len(right)) * step + p.px(12)
    num, date = _nfc(doc.number_line), _nfc(doc.place_date_line)
    p.line(num, p.font(13), *lcol, "center")
    p.line(date, _fit(p, [date], rcol[1] - rcol[0], 14, "italic"), *rcol, "center")
    p.y += step + p.px(18)
    rows = max(len(left), len(right))
    pad = lambda xs: xs + [""] * (rows - len(xs))  # noqa: E731
    for a, b in zip(pad(left), pad(right), strict=True):
        p.text.append(f"{a}    {b}".strip())
    p.text.append(f"{num}    {date}")
    p.text.append("")
    return [*left, num], [*right, date]


def _title(p: _Pager, doc: PlanDoc) -> None:
    f = p.font(14, "bold")
    step = p.step(14)
    lines = [_nfc(doc.doc_type)]
    for t in doc.title_lines:
        lines += wrap_text(_nfc(t), f, round((p.right - p.left) * 0.85))
    for s in lines:
        p.ensure(step)
        p.line(s, f, p.left, p.right, "center")
        p.text.append(s)
        p.y += step
    if len(lines) > 1:
        w = f.getlength(lines[-1]) * 0.35
        c = (p.left + p.right) / 2
        p.rule(c - w / 2, c + w / 2, p.y + p.px(2))
    p.y += p.px(18)
    p.text.append("")


def _paragraph(p: _Pager, para: Paragraph, size_pt: float) -> None:
    f = p.font(size_pt, "bold" if para.bold else "regular")
    step = p.step(size_pt)
    indent = round(12.7 * p.mm) if para.indent and para.align in ("justify", "left") else 0
    lines = wrap_text(_nfc(para.text), f, p.right - p.left, first_indent_px=indent)
    for i, s in enumerate(lines):
        if step > p.room():
            p.new_page()
        p.line(s, f, p.left + (indent if i == 0 else 0), p.right, para.align, last=i == len(lines) - 1)
        p.text.append(s)
        p.y += step
    p.y += p.px(6)
    p.text.append("")


def _col_widths(table: TaskTable, total: int) -> list[int]:
    n = len(table.header)
    if n == 1:
        return [total]
    first = round(total * 0.08)
    if n == 2:
        return [first, total - first]
    rest = [0.58] + [0.42 / (n - 2)] * (n - 2)
    widths = [first] + [round((total - first) * r) for r in rest]
    widths[-1] = total - sum(widths[:-1])
    return widths


def _table(p: _Pager, table: TaskTable, size_pt: float) -> None:
    """Ruled table; the header row repeats on each page and long rows break across pages."""
    f, fb = p.font(size_pt), p.font(size_pt, "bold")
    step = p.step(size_pt)
    pad_x, pad_y = round(1.5 * p.mm), round(1.2 * p.mm)
    lw = max(2, round(p.dpi / 150))
    x0 = p.left
    widths = _col_widths(table, p.right - p.left)
    edges = [x0]
    for w in widths:
        edges.append(edges[-1] + w)
    header = [_nfc(c) for c in table.header]

    def wrap(cells: list[str], font: ImageFont.FreeTypeFont) -> list[list[str]]:
        if len(cells) == 1:
            return [wrap_text(cells[0], font, edges[-1] - x0 - 2 * pad_x) or [""]]
        return [wrap_text(c, font, w - 2 * pad_x) or [""] for c, w in zip(cells, widths, strict=False)]

    def draw_row(cells: list[list[str]], bold: bool, centre: bool, *, top_rule: bool) -> int:
        nlines = max(len(c) for c in cells)
        h = nlines * step + 2 * pad_y
        font = fb if bold else f
        y_top = p.y
        spans = [(x0, edges[-1])] if len(cells) == 1 else list(zip(edges, edges[1:], strict=False))
        for j, (lines, (a, b)) in enumerate(zip(cells, spans, strict=True)):
            p.y = y_top + pad_y
            align = "center" if centre or (j == 0 and len(cells) > 1) else "left"
            for s in lines:
                p.line(s, font, a + pad_x, b - pad_x, align)
                p.y += step
        p.y = y_top
        d = p.draw
        if top_rule:
            d.line([(x0, y_top), (edges[-1], y_top)], fill=0, width=lw)
        d.line([(x0, y_top + h), (edges[-1], y_top + h)], fill=0, width=lw)
        xs = [x0, edges[-1]] if len(cells) == 1 else edges
        for x in xs:
            d.line([(x, y_top), (x, y_top + h)], fill=0, width=lw)
        p.tables[-1].append([" ".join(c).strip() for c in cells])
        p.text.append(" | ".join(" ".join(c).strip() for c in cells))
        p.y = y_top + h
        return h

    hdr = wrap(header, fb)
    hdr_h = max(len(c) for c in hdr) * step + 2 * pad_y

    def start_part() -> None:
        p.tables.append([])
        draw_row(hdr, True, True, top_rule=True)

    p.ensure(hdr_h + 2 * step + 2 * pad_y)
    start_part()
    for row in table.rows:
        cells = wrap([_nfc(c) for c in row], fb if len(row) == 1 else f)
        merged = len(row) == 1
        while cells:
            n = max(len(c) for c in cells)
            fits = (p.room() - 2 * pad_y) // step
            if n <= fits:
                draw_row(cells, merged, False, top_rule=False)
                break
            if merged or fits < 2 or n < 4:  # short rows move whole to the next page
                p.new_page()
                start_part()
                continue
            head = [c[:fits] for c in cells]  # the row breaks: its first lines here, the rest overleaf
            cells = [c[fits:] or [""] for c in cells]
            draw_row(head, False, False, top_rule=False)
            p.new_page()
            start_part()
    p.y += p.px(12)
    p.text.append("")


def _closing(p: _Pager, doc: PlanDoc) -> None:
    """Signature block (right) beside Nơi nhận (left), kept together on one page."""
    sig = [_nfc(s) for s in doc.signature_lines]
    rec = [_nfc(s) for s in doc.recipients_lines]
    fs = p.font(13, "bold")
    step = p.step(13)
    rstep = p.step(11)
    gap = round(22 * p.mm)
    h_sig = len(sig) * step + (gap if sig else 0)
    h_rec = len(rec) * rstep
    p.y += p.px(6)
    p.ensure(max(h_sig, h_rec) + step)
    y0 = p.y
    split = p.left + round(0.45 * (p.right - p.left))
    for i, s in enumerate(sig):
        p.y = y0 + i * step + (gap if sig and i == len(sig) - 1 else 0)
        p.line(s, fs, split, p.right, "center")
    for i, s in enumerate(rec):
        p.y = y0 + i * rstep
        f = p.font(12, "bolditalic") if i == 0 else p.font(11)
        p.line(s, f, p.left, split, "left")
    p.y = y0 + max(h_sig, h_rec)
    p.text.extend(sig)
    p.text.append("")
    p.text.extend(rec)


def render_document(doc: PlanDoc, *, dpi: int = 300, size_pt: float = 13) -> list[RenderedPage]:
    """Render a plan to grayscale A4 pages (mode "L") with each page's printed text and table cells."""
    p = _Pager(dpi, size_pt)
    left, right = _header(p, doc)
    _title(p, doc)
    for block in doc.body:
        if isinstance(block, TaskTable):
            _table(p, block, size_pt)
        else:
            _paragraph(p, block, size_pt)
    _closing(p, doc)
    out: list[RenderedPage] = []
    for i, (img, text, tables) in enumerate(p.pages):
        lines = list(text)
        while lines and not lines[-1]:
            lines.pop()
        out.append(
            RenderedPage(
                image=img,
                text="\n".join(lines) + "\n",
                dpi=dpi,
                tables=tables,
                header_left=left if i == 0 else [],
                header_right=right if i == 0 else [],
            )
        )
    return out
