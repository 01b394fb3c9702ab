"""The task table (TT / Nội dung / Đơn vị thực hiện), from layout cells or from linear text.

Linear text from OCR delivers the table as cell blocks in reading order: an optional row number, the
content block, then the responsible-unit block, with quarter markers between groups and the header
repeated at page breaks. Rows are rebuilt from what the document itself signals: row numbers, quarter
markers, the recurring shape of unit cells (`Ban/Sở ... chủ trì ... phối hợp ...`), continuation cues
(lower-case start, open parenthesis), and `|`-separated cells when a row was flattened onto lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from ..models import Task
from .common import TASK_VERB, clean_line, fkey, int_to_roman, roman_to_int
from .units import CHU_TRI, PHOI_HOP, split_timeframe, split_units, starts_with_unit

__all__ = ["is_table_header", "period_marker", "find_table_regions", "rows_from_lines", "rows_from_cells"]

_HEADER_PARTS = (
    "tt",
    "stt",
    "noi dung",
    "don vi thuc hien",
    "tt noi dung don vi thuc hien",
    "stt noi dung don vi thuc hien",
    "noi dung don vi thuc hien",
    "tt noi dung",
    "thoi gian thuc hien",
    "thoi gian",
    "don vi chu tri",
    "don vi phoi hop",
    "ghi chu",
)
_ROLE_NAMES = {
    "tt": ("tt", "stt", "so tt"),
    "content": ("noi dung", "noi dung cong viec", "nhiem vu", "noi dung nhiem vu"),
    "resp": ("don vi thuc hien", "co quan thuc hien", "don vi chu tri", "co quan chu tri"),
    "coop": ("don vi phoi hop", "co quan phoi hop"),
    "time": ("thoi gian", "thoi gian thuc hien", "thoi gian hoan thanh"),
}
_ROW_NUMBER = re.compile(r"^\W{0,2}(\d{1,3})\W{0,2}$")
_LEADING_NUMBER = re.compile(r"^(\d{1,3})[.)]?\s+(?=[A-ZĐÀ-Ỹ])")
_QUARTER = re.compile(
    r"^qu\w?\s*(iv|[il1|!]{1,3}|h|v|[1-4])(?=\W|$|n)\s*(?:[/-]?\s*(?:nam\s*)?\d{4})?\s*(?:\(.*\))?\s*:?$"
)
# Title case (`Quý I`, OCR `Quý!`) only when nothing but the numeral follows: `Quy định` is prose.
_TITLE_QUARTER = re.compile(r"^qu\w?\s*(?:iv|[il1|!]{1,3}|[1-4])(?:\s*[/-]?\s*(?:nam\s*)?\d{4})?\s*:?$")
_MONTH_MARK = re.compile(r"^thang\s*(\d{1,2})\s*(?:[/-]\s*\d{4}|nam\s*\d{4})?\s*:?$")
_VERB_START = re.compile(r"^\W{0,3}" + TASK_VERB + r"\b")
_ROMAN_SECTION = re.compile(r"^[IVXl1]{1,5}\.\s+\S")


def _norm(s: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", fkey(s)).split())


def is_table_header(line: str) -> bool:
    """A task-table header line or a piece of one (headers may be split over lines by OCR)."""
    k = _norm(line.replace("|", " "))
    if not k or len(k) > 60:
        return False
    if k in ("tt", "stt"):
        return True
    return any(fuzz.ratio(k, h) >= 85 for h in _HEADER_PARTS if len(h) > 3)


def period_marker(line: str) -> str | None:
    """`QUÝ I`..`QUÝ IV` (also glued `QUÝI`, digits) or an upper-case `THÁNG n` group row."""
    s = clean_line(line).strip(" |:")
    k = fkey(s).strip()
    m = _QUARTER.match(k)
    title = bool(m) and s[:1].isupper() and s[1:2].islower() and _TITLE_QUARTER.match(k) is not None
    if m and (s[:2].upper() == s[:2] or title):
        g = m.group(1)
        if len(g) > 1 or not g.isdigit():  # OCR look-alikes of I: l 1 | !, and `H` for a glued II
            g = re.sub(r"[l1|!]", "i", g).replace("h", "ii")
        n = int(g) if g.isdigit() else roman_to_int(g.upper())
        if n and 1 <= n <= 4:
            return f"QUÝ {int_to_roman(n)}"
    m = _MONTH_MARK.match(k)
    if m and s[:5].isupper() and 1 <= int(m.group(1)) <= 12:
        return f"THÁNG {int(m.group(1))}"
    return None


def _ends_region(line: str) -> bool:
    s = clean_line(line)
    if not _ROMAN_SECTION.match(s):
        return False
    words = [w for w in s.split()[1:] if any(c.isalpha() for c in w)]
    return bool(words) and sum(w.isupper() for w in words) >= max(1, len(words) * 0.6)


def find_table_regions(lines: Sequence[str], start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) line ranges of task tables: from a header (or first quarter marker) to the next
    upper-case roman section or `end`."""
    regions: list[tuple[int, int]] = []
    i = start
    while i < end:
        ln = lines[i]
        starts = is_table_header(ln) and any(
            is_table_header(x) and _norm(x) not in ("tt", "stt") for x in lines[i : min(end, i + 6)]
        )
        if not starts and period_marker(ln) and i + 1 < end:
            starts = True
        if not starts:
            i += 1
            continue
        j = i + 1
        while j < end and not _ends_region(lines[j]):
            j += 1
        regions.append((i, j))
        i = j
    return regions


@dataclass
class _Row:
    tt: int | None = None
    period: str | None = None
    content: list[str] = field(default_factory=list)
    resp: list[str] = field(default_factory=list)
    in_block: bool = False  # started inside the current `|` block

    def text(self, which: str) -> str:
        return " ".join(" ".join(getattr(self, which)).split())


def _resp_score(block: str, known: list[str]) -> int:
    k = fkey(block)
    score = 0
    kw = CHU_TRI.search(k) or PHOI_HOP.search(k)
    if kw and kw.start() > 2:
        score += 2
    head = starts_with_unit(block)
    if head:
        score += 1
        if len(block.split()) <= 14:
            score += 1
    if re.search(r"\(\s*\w{0,5}\s*th\w{0,3}ng\s*\d", k):
        score -= 2
    if _VERB_START.match(k):
        score -= 2
    if known and head:
        best = max(fuzz.ratio(k, fkey(x)) for x in known[-5:])
        if best >= 75:
            score += 2
    return score


def _has_keyword(block: str) -> bool:
    k = fkey(block)
    kw = CHU_TRI.search(k) or PHOI_HOP.search(k)
    return bool(kw and kw.start() > 2)


def _is_resp(block: str, known: list[str]) -> bool:
    return _resp_score(block, known) >= 2


def _lower_start(s: str) -> bool:
    """Starts like the middle of a sentence: a lower-case word, a number or a parenthesis
    (a digit glued to a capital, `8Ban`, is OCR junk before a new cell)."""
    s = s.lstrip(" '’‘\"“”`.,;:-–|")
    m = re.match(r"\d+(?=[A-Za-zÀ-ỹĐđ])|[a-z0-9]{1,2}(?=[A-ZĐ][a-zà-ỹ])", s)
    if m:
        s = s[m.end() :]
    if not s:
        return False
    return s[0].islower() or s[0].isdigit() or s[0] == "("


# Words a cell cannot end with: the cell goes on after a blank line or page break.
_DANGLING = {
    "va",
    "voi",
    "cua",
    "cac",
    "phoi",
    "chu",
    "trong",
    "tai",
    "cho",
    "theo",
    "ve",
    "hoac",
    "nhung",
    "la",
    "de",
}
_DANGLING_HEAD = {"so", "ban", "phong", "uy", "van", "cong", "bo"}  # a unit name cut after its head word


def _continues(prev: str, new: str) -> bool:
    """Is `new` the rest of the cell `prev` (broken by a blank line or a page break)?"""
    if not prev:
        return False
    p = prev.rstrip()
    if p.count("(") > p.count(")") or p.endswith((",", "-", "–")):
        return True
    words = fkey(p).split()
    if words and words[-1] in _DANGLING:
        return True
    if (
        len(words) > 1
        and words[-1] in _DANGLING_HEAD
        and words[-2].strip(",") in ("voi", "va", "cac", "chu", "tri")
    ):
        return True
    return _lower_start(new) and not fkey(new).startswith("cac ")


@dataclass
class _Builder:
    rows: list[_Row] = field(default_factory=list)
    period: str | None = None
    pending_tt: int | None = None
    closed: bool = True  # the next block starts a new row
    roles: list[str] | None = None
    last: str | None = None  # the cell ("content"/"resp") of the current row written last

    @property
    def cur(self) -> _Row | None:
        return self.rows[-1] if self.rows else None

    def new_row(self) -> _Row:
        r = _Row(tt=self.pending_tt, period=self.period)
        self.pending_tt = None
        self.closed = False
        self.last = None
        self.rows.append(r)
        return r

    def _put(self, row: _Row, which: str, text: str) -> None:
        getattr(row, which).append(text)
        self.last = which

    def known_resps(self) -> list[str]:
        return [r.text("resp") for r in self.rows if r.resp]

    def number(self, n: int) -> None:
        cur = self.cur
        if cur and not self.closed and cur.tt is None and bool(cur.content) != bool(cur.resp):
            cur.tt = n  # the number came after the first cell of its row
        else:
            self.pending_tt = n
            self.closed = True

    def set_period(self, p: str) -> None:
        self.period = p
        self.closed = True

    def block(self, text: str) -> None:
        """A run of text lines: a content cell, a unit cell, or the rest of the previous cell."""
        cur = self.cur
        if cur is None or self.closed:
            self._put(self.new_row(), "resp" if _is_resp(text, self.known_resps()) else "content", text)
            return
        unit_cell = self.last == "content" and not cur.resp and _has_keyword(text)
        if self.last and not unit_cell and _continues(cur.text(self.last), text):
            self._put(cur, self.last, text)  # the rest of a cell cut by a blank line or a page break
            return
        is_resp = _is_resp(text, self.known_resps())
        if cur.resp and not cur.content:
            # A unit cell came first: what follows is its content unless it clearly continues the unit.
            is_resp = (is_resp and _has_keyword(text)) or _continues(cur.text("resp"), text)
        if is_resp:
            fits = (cur.content and not cur.resp) or (cur.resp and _continues(cur.text("resp"), text))
            self._put(cur if fits else self.new_row(), "resp", text)
            return
        # Content: fills a row that has only its unit cell, or continues a row still waiting for its unit
        # cell (no new row number seen); otherwise it opens a new row.
        fits = (not cur.content and cur.resp) or (cur.content and not cur.resp and self.pending_tt is None)
        self._put(cur if fits else self.new_row(), "content", text)

    def cells(self, cells: list[str], *, fragment: bool) -> None:
        """One table row (layout) or one `|`-split line (fragment of a row in linear text)."""
        cells = [c.strip() for c in cells]
        nonempty = [c for c in cells if c]
        if not nonempty:
            return
        if len(nonempty) == 1 and (p := period_marker(nonempty[0])):
            self.set_period(p)
            return
        if all(is_table_header(c) for c in nonempty):
            self.roles = _roles([c for c in cells])
            return
        tt, parts = _split_cells(cells, self.roles)
        cur = self.cur
        continuing = cur is not None and not self.closed
        if fragment:
            if tt is not None and continuing and cur.in_block and cur.tt is None:
                cur.tt = tt
            elif tt is not None or not (continuing and cur.in_block):
                self.pending_tt = tt if tt is not None else self.pending_tt
                cur = self.new_row()
                cur.in_block = True
        else:
            lower = _lower_start(parts["content"] or parts["resp"])
            if tt is None and continuing and lower:
                pass
            else:
                if tt is not None:
                    self.pending_tt = tt
                cur = self.new_row()
        assert cur is not None
        if parts["content"]:
            self._put(cur, "content", parts["content"])
        if parts["resp"]:
            self._put(cur, "resp", parts["resp"])

    def end_block(self) -> None:
        if self.cur:
            self.cur.in_block = False


def _roles(cells: list[str]) -> list[str]:
    out = []
    for c in cells:
        k = _norm(c)
        role = "other"
        for name, options in _ROLE_NAMES.items():
            if k in options or any(fuzz.ratio(k, o) >= 80 for o in options if len(o) > 3):
                role = name
                break
        out.append(role)
    return out


def _split_cells(cells: list[str], roles: list[str] | None) -> tuple[int | None, dict[str, str]]:
    if roles and len(roles) == len(cells) and "content" in roles:
        tt_s = next((c for c, r in zip(cells, roles, strict=True) if r == "tt"), "")
        content = " ".join(c for c, r in zip(cells, roles, strict=True) if r == "content" and c)
        resp = " ".join(c for c, r in zip(cells, roles, strict=True) if r in ("resp", "coop") and c)
        time_ = " ".join(c for c, r in zip(cells, roles, strict=True) if r == "time" and c)
        if time_:
            content = f"{content} ({time_})" if content else time_
        m = _ROW_NUMBER.match(tt_s)
        return (int(m.group(1)) if m else None), {"content": content, "resp": resp}
    tt = None
    if cells and (m := _ROW_NUMBER.match(cells[0])):
        tt, cells = int(m.group(1)), cells[1:]
    elif cells and not cells[0]:
        cells = cells[1:]
    cells = [c for c in cells if c] if len(cells) > 2 else cells
    if not cells:
        return tt, {"content": "", "resp": ""}
    if len(cells) == 1:
        return tt, {"content": cells[0], "resp": ""}
    return tt, {"content": " ".join(cells[:-1]).strip(), "resp": cells[-1]}


def _real_pipes(line: str) -> str:
    """Drop `|` that are table-border noise (no text on one side), keep real cell separators."""
    if "|" not in line:
        return line
    cells = line.split("|")
    keep = [c for c in cells if any(ch.isalnum() for ch in c)]
    if len(keep) <= 1:
        return " ".join(c.strip() for c in cells if c.strip()).strip()
    return " | ".join(c.strip() for c in keep)


def _items(lines: Iterable[str]) -> Iterable[tuple[str, object]]:
    """Classify region lines: ('tt', n), ('period', p), ('block', [lines]), ('pipe', [lines]), ('break', None)."""
    block: list[str] = []

    def flush() -> Iterable[tuple[str, object]]:
        if block:
            kind = "pipe" if any("|" in b for b in block) else "block"
            yield kind, list(block)
            block.clear()

    for raw in lines:
        ln = _real_pipes(clean_line(raw.replace("\f", "")))
        if not ln:
            yield from flush()
            continue
        if is_table_header(ln):
            yield from flush()
            if "|" in ln:
                yield "pipe", [ln]
            continue
        if p := period_marker(ln):
            yield from flush()
            yield "period", p
            continue
        if m := _ROW_NUMBER.match(ln):
            yield from flush()
            yield "tt", int(m.group(1))
            continue
        if "|" not in ln and (m := _LEADING_NUMBER.match(ln)) and not block:
            yield from flush()
            yield "tt", int(m.group(1))
            ln = ln[m.end() :]
        block.append(ln)
    yield from flush()


def rows_from_lines(lines: Sequence[str]) -> list[Task]:
    """Rebuild task rows from the linear text of a table region."""
    b = _Builder()
    for kind, val in _items(lines):
        if kind == "tt":
            b.number(val)  # type: ignore[arg-type]
        elif kind == "period":
            b.set_period(val)  # type: ignore[arg-type]
        elif kind == "block":
            b.block(" ".join(val))  # type: ignore[arg-type]
        else:
            for ln in val:  # type: ignore[union-attr]
                b.cells(ln.split("|"), fragment=True)
            b.end_block()
    return _finish(b.rows)


def rows_from_cells(tables: Sequence[object]) -> list[Task]:
    """Task rows from layout tables (objects with `rows` and optional `header`), across pages."""
    b = _Builder()
    for t in tables:
        header = getattr(t, "header", None)
        if header:
            b.cells([str(c or "") for c in header], fragment=False)
        for row in getattr(t, "rows", None) or []:
            b.cells([str(c or "") for c in row], fragment=False)
    return _finish(b.rows)


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


def _finish(rows: list[_Row]) -> list[Task]:
    tasks: list[Task] = []
    for r in rows:
        content, resp = r.text("content"), r.text("resp")
        if not content and not resp:
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
    _infer_tt(tasks)
    return tasks
