"""The task table (TT / Nội dung / Đơn vị thực hiện), from layout cells or from linear text.

Linear text from OCR delivers the table as cell blocks in reading order: an optional row number, the
content block, then the responsible-unit block, with quarter markers between groups and the header
repeated at page breaks. Rows are rebuilt from what the document itself signals: row numbers, quarter
markers, the recurring shape of unit cells (`Ban/Sở ... chủ trì ... phối hợp ...`), continuation cues
(lower-case start, open parenthesis), and `|`-separated cells when a row was flattened onto lines.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from ..models import Task
from .common import TASK_VERB, clean_line, fkey, int_to_roman, roman_to_int
from .sections import section_label
from .units import CHU_TRI, PHOI_HOP, split_timeframe, split_units, starts_with_unit, unit_name_at

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


def _quarter_no(period: str | None) -> int | None:
    if not period or not period.startswith("QUÝ "):
        return None
    return roman_to_int(period[4:])


_LOOSE_QUARTER = re.compile(r"^qu[a-z]?[\W_]{0,3}(iv|[il1|!h]{1,3}|v|[1-4])\b[\W_]*(.{0,3})$")


def _loose_quarter(cell: str) -> str | None:
    """A merged one-cell table row that reads `QUÝ` + numeral + a little OCR dust (`QUÝ IV t`)."""
    s = clean_line(cell).strip()
    if not s[:2].isupper():
        return None
    k = fkey(s).strip()
    if re.fullmatch(r"qu[a-z]?[\W_]*", k):  # the numeral itself was lost: the quarter after the last one
        return "QUÝ ?"
    m = _LOOSE_QUARTER.match(k)
    if not m or sum(c.isalpha() for c in m.group(2)) > 2:
        return None
    g = m.group(1)
    n = int(g) if g.isdigit() else roman_to_int(re.sub(r"[l1|!]", "i", g).replace("h", "ii").upper())
    return f"QUÝ {int_to_roman(n)}" if n and 1 <= n <= 4 else None


def _unreadable_heading(cell: str) -> bool:
    """A merged one-cell row too short and number-less to be a task: a group heading OCR garbled
    (`QUÝ I` read as `từ Tiền`)."""
    s = clean_line(cell).strip()
    return bool(s) and not any(c.isdigit() for c in s) and len(s) <= 30 and len(s.split()) <= 4


def _ends_region(line: str) -> bool:
    """An upper-case roman section, or a legal document's structural heading (`Điều 12.`, `Chương II`,
    `Mục 2`, `Phần`, `PHỤ LỤC`): a table or list never runs across one, so no article is lost."""
    s = clean_line(line)
    if (hit := section_label(s)) and hit[0] in ("appendix", "part", "chapter", "section", "article"):
        return True
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
    # quarters guessed for unreadable heading rows: (first row under it, period before it, guess)
    guesses: list[tuple[int, str | None, str]] = field(default_factory=list)
    guess_open: bool = False  # no heading read since the last guess
    quarters: int = 0  # quarter headings read (a guess needs them to be a quarter table)

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
        # quarters only go forward: a marker that repeats or goes back is a misread numeral
        # (OCR drops strokes of `III`), so it is the next quarter
        new, cur = _quarter_no(p), _quarter_no(self.period)
        if self.guess_open and new and cur and new <= cur:
            self._unguess(self.guesses.pop())  # the quarter read here says the guess before it was wrong
            cur = _quarter_no(self.period)
        self.guess_open = False
        if p == "QUÝ ?":
            p = f"QUÝ {int_to_roman(min(4, (cur or 0) + 1))}"
        elif new and cur and new <= cur < 4:
            p = f"QUÝ {int_to_roman(cur + 1)}"
        self.quarters += p.startswith("QUÝ ")
        self.period = p
        self.closed = True

    def unreadable_heading(self) -> None:
        """A group heading OCR could not read: in a table grouped by quarters, the next quarter
        (checked against the headings read after it, and dropped in a table without quarters)."""
        self.closed = True
        cur = _quarter_no(self.period)
        if self.period is not None and cur is None:
            return  # months or other groups: nothing to guess from
        guess = f"QUÝ {int_to_roman(min(4, (cur or 0) + 1))}"
        self.guesses.append((len(self.rows), self.period, guess))
        self.guess_open = True
        self.period = guess

    def _unguess(self, g: tuple[int, str | None, str]) -> None:
        start, before, guess = g
        for r in self.rows[start:]:
            if r.period == guess:
                r.period = before
        if self.period == guess:
            self.period = before

    def finish(self) -> list[_Row]:
        if not self.quarters:  # no quarter was read anywhere: the guesses have nothing to stand on
            while self.guesses:
                self._unguess(self.guesses.pop())
        return self.rows

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

    def cells(self, cells: list[str], *, fragment: bool, merged: bool = False) -> None:
        """One table row (layout) or one `|`-split line (fragment of a row in linear text);
        `merged`: a layout row of one cell spanning a table of several columns."""
        cells = [c.strip() for c in cells]
        nonempty = [c for c in cells if c]
        if not nonempty:
            return
        if len(nonempty) == 1 and (
            p := period_marker(nonempty[0]) or (not fragment and _loose_quarter(nonempty[0]))
        ):
            self.set_period(p)
            return
        cur = self.cur
        if (
            merged
            and _unreadable_heading(cells[0])
            and not (
                cur is not None
                and not self.closed
                and self.last
                and _continues(cur.text(self.last), cells[0])
            )
        ):
            self.unreadable_heading()
            return
        if _header_row(nonempty):
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

    def row(self, tt: int | None, content: str, resp: str) -> None:
        """A row rebuilt whole (a flattened row of linear text)."""
        self.pending_tt = tt
        r = self.new_row()
        if content:
            self._put(r, "content", content)
        if resp:
            self._put(r, "resp", resp)

    def end_block(self) -> None:
        if self.cur:
            self.cur.in_block = False


def _header_row(cells: list[str]) -> bool:
    """The table's header (also repeated on a later page), one label garbled by OCR at most
    (`"m` for `TT`)."""
    labels = [is_table_header(c) for c in cells]
    if all(labels):
        return True
    others = [c for c, ok in zip(cells, labels, strict=True) if not ok]
    return (
        sum(labels) >= 2
        and len(others) == 1
        and len(others[0]) <= 12
        and not any(ch.isdigit() for ch in others[0])
    )


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
    if len(out) >= 3 and out[0] == "other" and out[1] == "content" and "tt" not in out:
        out[0] = "tt"  # the narrow first column before the content is the row number, label garbled
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
        tt = int(m.group(1)) if m else None
        if tt is None and "tt" not in roles:
            tt, content = _number_in_cell(content)
        return tt, {"content": content, "resp": resp}
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
    content = " ".join(cells[:-1]).strip()
    if tt is None and len(cells) == 2:
        tt, content = _number_in_cell(content)
    return tt, {"content": content, "resp": cells[-1]}


# A row number at the start of the content cell, OCR dust around it (`3 .:Tổng kết`, `4- Rà soát`).
_CELL_NUMBER = re.compile(r"^[^\w\s]{0,2}(\d{1,3})(?:[.):\-–]{1,3}\s*|\s+)[^\w\s]{0,3}\s*(?=[A-ZĐÀ-Ỹ])")


def _number_in_cell(content: str) -> tuple[int | None, str]:
    """(row number, content) when the TT column is not a cell of its own (its rule lost on a faded
    scan, or a table printed without one) and the number opens the content cell."""
    m = _CELL_NUMBER.match(content)
    if not m:
        return None, content
    return int(m.group(1)), content[m.end() :]


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
    """Classify region lines: ('tt', n), ('period', p), ('block', [lines]), ('pipe', [lines]),
    ('row', (tt, content, unit)) for a flattened row."""
    block: list[str] = []

    def flush() -> Iterable[tuple[str, object]]:
        if block:
            kind = "pipe" if any("|" in b for b in block) else "block"
            yield kind, list(block)
            block.clear()

    cleaned = [clean_line(raw.replace("\f", "")) for raw in lines]
    flat = _flattened_rows(cleaned)
    skip_to = 0
    for i, raw in enumerate(cleaned):
        if i < skip_to:
            continue
        if i in flat:
            yield from flush()
            skip_to, tt, content, unit = flat[i]
            yield "row", (tt, content, unit)
            continue
        ln = _real_pipes(raw)
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


# --------------------------------------------------------------------------------------------------
# Flattened rows: OCR of a bordered table may print the content and unit columns side by side on each
# line, with no separator (`4 Xây dựng lớp bồi dưỡng cho cán bộ, công Đài Phát thanh và Truyền hình`).
# The first line of a row splits where a unit name starts (or at a `|` border); the other lines split
# where the two columns' wrapping, parentheses and unit phrasing agree best (a small search per row).
# --------------------------------------------------------------------------------------------------

_FLAT_START = re.compile(r"^[^\w|]{0,2}?(\d{1,3})(?=[\s.)|_])(?:[.)])?(?:\s*_*\|)?\s*(?=\S)")
_SEP = re.compile(r"\s*_*\|_*\s*")
_TIME_WORD = re.compile(
    r"^\(?(?:dau|giua|cuoi|truoc|sau|trong|thang|quy|nam|ngay|hang|tu|den|va|[ivx]{1,4}|[\d/.\-–]+)\)?[,.;]?$"
)
_OPEN_WORDS = {"va", "voi", "cua", "cac", "phoi", "chu", "tai", "cho", "theo", "hoac", "tren", "lien", "-"}
_UNIT_PHRASE = re.compile(r"^(?:chu tri|phoi hop|voi)\b")
_UNIT_TAIL = re.compile(r"(?:chu tri|phoi hop(?: voi)?)\W*$")


def _row_start(line: str) -> tuple[int, str] | None:
    """(row number, rest) when a line opens a numbered row with text (`5 |Tổng hợp ...`)."""
    if not line or line.lstrip().startswith("|"):
        return None
    m = _FLAT_START.match(line)
    if not m:
        return None
    rest = line[m.end() :]
    first = next((c for c in rest if c.isalpha()), "")
    return (int(m.group(1)), rest) if first.isupper() else None


def _separators(line: str) -> list[re.Match[str]]:
    """`|` borders with text on both sides."""
    return [
        m
        for m in _SEP.finditer(line)
        if any(c.isalnum() for c in line[: m.start()]) and any(c.isalnum() for c in line[m.end() :])
    ]


def _unpipe(s: str) -> str:
    return " ".join(_SEP.sub(" ", s).split())


def _first_split(rest: str) -> tuple[str, str, bool] | None:
    """(content, unit, split at a border) of a flattened row's first line."""
    for m in _separators(rest):
        left = rest[: m.start()]
        if len(left.split()) >= 2:
            return _unpipe(left), _unpipe(rest[m.end() :]), True
    words = list(re.finditer(r"\S+", rest))
    for w in words[2:]:
        if unit_name_at(rest[w.start() :]):
            return _unpipe(rest[: w.start()]), _unpipe(rest[w.start() :]), False
    return None


def _open_end(text: str) -> bool:
    """A cell cannot end with this text (open parenthesis, dangling word or comma)."""
    t = text.rstrip()
    if not t:
        return False
    if t.count("(") > t.count(")") or t.endswith((",", "-", "–", "(")):
        return True
    words = fkey(t).split()
    return bool(words) and words[-1] in _OPEN_WORDS


def _bad_time_paren(content: str) -> bool:
    """An open timeframe parenthesis holding a word no timeframe has (`(giữa tỉnh`)."""
    k = fkey(content)
    i = k.rfind("(")
    if i < 0 or ")" in k[i:]:
        return False
    words = k[i:].split()
    return bool(words) and bool(_TIME_WORD.match(words[0])) and not all(_TIME_WORD.match(w) for w in words)


_TIME_GROUP = re.compile(r"\(\s*(?:dau|giua|cuoi|truoc|sau|trong|thang|quy|nam|ngay)\b[^()]*\)([^()]*)$")


def _after_timeframe(content: str) -> bool:
    """Words after a closed timeframe parenthesis: the timeframe ends a content cell."""
    m = _TIME_GROUP.search(fkey(content))
    return bool(m) and any(ch.isalnum() for ch in m.group(1))


_PLACE_WORDS = {"tinh", "huyen", "pho", "xa", "quan", "phuong", "thi", "tran"}


def _name_goes_on(unit: str) -> bool:
    """A unit line ending in a capitalised word (`... và Du`, `... - Khen`): the name goes on,
    unless the word is a place name after `tỉnh`/`huyện`."""
    ws = unit.split()
    if len(ws) < 2 or not ws[-1][:1].isupper() or ws[-1].isupper():
        return False
    prev = fkey(ws[-2]).strip(",")
    return prev not in _PLACE_WORDS and not ws[-2][:1].isupper()


@dataclass
class _Widths:
    content: float  # a full content line, in characters
    content_max: float
    unit: float
    unit_max: float
    pairs: Counter[tuple[str, str]] = field(default_factory=Counter)  # word pairs printed on one line


def _words(text: str) -> list[str]:
    return [w for w in (x.strip(".,;:()|_'\"") for x in fkey(text).split()) if w]


def _line_pairs(lines: Iterable[str]) -> Counter[tuple[str, str]]:
    out: Counter[tuple[str, str]] = Counter()
    for ln in lines:
        ws = _words(ln)
        out.update(zip(ws, ws[1:], strict=False))
    return out


def _pair(a: str, b: str) -> tuple[str, str]:
    wa, wb = _words(a), _words(b)
    return (wa[-1] if wa else "", wb[0] if wb else "")


def _line_cost(c: str, u: str, cs: list[str], us: list[str], w: _Widths) -> float:
    """How unlikely it is that a printed line reads content `c` then unit `u`, after parts cs/us."""
    cp, up = cs[-1], us[-1]
    content_before = " ".join(x for x in cs if x)
    kc, ku = fkey(c), fkey(u)
    cost = 0.0
    # Cells are top-aligned: once a column is empty on a line it stays empty.
    if c and not cp:
        cost += 6
    if u and not up:
        cost += 6
    # Column widths, and greedy wrapping: a first word that fitted on the line before is suspect.
    if len(c) > w.content_max + 3:
        cost += 2 + (len(c) - w.content_max - 3) * 0.5
    if len(u) > w.unit_max + 3:
        cost += 2 + (len(u) - w.unit_max - 3) * 0.5
    if c and cp and (fit := len(cp) + 1 + len(c.split()[0])) <= w.content - 6:
        cost += min(4.0, 1 + (w.content - 6 - fit) * 0.4)
    if u and up and (fit := len(up) + 1 + len(u.split()[0])) <= w.unit - 6:
        cost += min(3.0, 1 + (w.unit - 6 - fit) * 0.3)
    # A cell that cannot end here goes on.
    if not c and cp and _open_end(content_before):
        cost += 4
    if not u and up and _open_end(up):
        cost += 4
    elif not u and up and _name_goes_on(up):
        cost += 2.5
    # Parentheses and timeframes belong to the content.
    if "(" in u:
        cost += 3
    if ")" in u and content_before.count("(") > content_before.count(")"):
        cost += 4
    if re.search(r"\bthang\s*\d|\bnam \d{4}|^\d", ku):
        cost += 2
    if c and _bad_time_paren(f"{content_before} {c}") and not _bad_time_paren(content_before):
        cost += 3
    if c and _after_timeframe(f"{content_before} {c}"):
        cost += 3
    # Unit phrasing: `chủ trì`, `phối hợp với` open a unit part, never end a content part.
    if _UNIT_TAIL.search(kc):
        cost += 3
    up_last = fkey(up).split()[-1:] or [""]
    if _UNIT_PHRASE.match(ku):
        cost += 4 if up_last[0] in ("va", "-", "–") or _name_goes_on(up) else -0.5
    elif u and up_last[0] in ("va", "-", "–") and u[0].islower() and not ku.startswith("cac "):
        cost += 2  # a unit name goes on after `và`/`-` with a capital (`Thương binh và | Xã hội`)
    if u and re.search(r"chu tri$", fkey(up)) and not ku.startswith("phoi hop"):
        cost += 2  # `X chủ trì` is a whole unit cell unless `phối hợp` follows
    if (up_last[0], ku.split()[0] if ku else "") in (("chu", "tri"), ("phoi", "hop"), ("hop", "voi")):
        cost -= 2
    if u and unit_name_at(u):
        cost -= 1
    # What the document prints elsewhere on one line: a pair seen there joins two lines of a cell
    # (`Truyền | hình`); a pair seen elsewhere is not cut between the two columns.
    for a, b in ((cp, c), (up, u)):
        if a and b and w.pairs[_pair(a, b)]:
            cost -= 1
    if c and u and w.pairs[_pair(c, u)]:
        cost += 1.5
    if any(unit_name_at(c[m.start() :]) for m in re.finditer(r"(?<=\s)\S(?=\S*\s+\S)", c)):
        cost += 2  # a unit name (with words after it) inside the content part
    return cost


def _split_rest(first_c: str, first_u: str, lines: list[str], w: _Widths) -> tuple[str, str]:
    """Content and unit text of a flattened row from its first split and its other printed lines."""
    states: list[tuple[float, list[str], list[str]]] = [(0.0, [first_c], [first_u])]
    for ln in lines:
        seps = _separators(ln)
        if seps:
            m = seps[0]
            cands = [(_unpipe(ln[: m.start()]), _unpipe(ln[m.end() :]))]
        else:
            words = _unpipe(ln).split()
            cands = [(" ".join(words[:j]), " ".join(words[j:])) for j in range(len(words), -1, -1)]
        nxt = []
        for c, u in cands:
            best = min(states, key=lambda st, c=c, u=u: st[0] + _line_cost(c, u, st[1], st[2], w))
            nxt.append((best[0] + _line_cost(c, u, best[1], best[2], w), [*best[1], c], [*best[2], u]))
        states = nxt

    def final(st: tuple[float, list[str], list[str]]) -> float:
        content = " ".join(x for x in st[1] if x)
        return st[0] + 4 * (_open_end(content) or _bad_time_paren(content)) + 4 * _open_end(st[2][-1])

    _, cs, us = min(states, key=final)
    return " ".join(x for x in cs if x), " ".join(x for x in us if x)


def _flattened_rows(lines: list[str]) -> dict[int, tuple[int, int | None, str, str]]:
    """Flattened rows of a table region: {first line: (end line, tt, content, unit)}.

    A numbered row counts as flattened when its first line holds a unit name (or a `|` border) after
    content words, and it is not a content block followed by its unit block (interleaved layout)."""

    def stop(ln: str) -> bool:
        return not ln or is_table_header(ln) or period_marker(ln) is not None or _row_start(ln) is not None

    cands = []
    i, n = 0, len(lines)
    while i < n:
        start = _row_start(lines[i]) if lines[i] and not period_marker(lines[i]) else None
        if start is None or is_table_header(lines[i]):
            i += 1
            continue
        j = i + 1
        while j < n and not stop(lines[j]):
            j += 1
        tt, rest = start
        split = _first_split(rest)
        body = lines[i + 1 : j]
        k = j
        while k < n and not lines[k]:
            k += 1
        followed = k < n and not stop(lines[k]) and not _ends_region(lines[k])
        if split and (split[2] or not followed):
            cands.append((i, j, tt, split, body))
        i = j
    if len(cands) < 2 and not any(c[3][2] for c in cands):
        return {}
    firsts = [len(c[3][0]) for c in cands]
    multi = [len(c[3][0]) for c in cands if c[4]] or firsts
    units = [len(c[3][1]) for c in cands]
    w = _Widths(
        content=statistics.median(multi),
        content_max=sorted(firsts)[int(0.9 * (len(firsts) - 1))],
        unit=statistics.median(units),
        unit_max=sorted(units)[int(0.9 * (len(units) - 1))],
    )
    # Word pairs of known single cells: first-line parts, and lines of the region outside these rows.
    inside = {k for i, j, *_ in cands for k in range(i, j)}
    outside = [x for k, x in enumerate(lines) if k not in inside]
    w.pairs = _line_pairs([x for c in cands for x in c[3][:2]] + outside)
    cells = [_split_rest(c0, u0, body, w) for _, _, _, (c0, u0, _), body in cands]
    # Second pass: word pairs of the cells just rebuilt, each row judged by the other rows' pairs.
    own = [_line_pairs(cell) for cell in cells]
    total = _line_pairs([x for cell in cells for x in cell] + outside)
    out = {}
    for (i, j, tt, (c0, u0, _), body), mine in zip(cands, own, strict=True):
        w.pairs = total - mine
        content, unit = _split_rest(c0, u0, body, w)
        out[i] = (j, tt, content, unit)
    return out


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
        elif kind == "row":
            b.row(*val)  # type: ignore[misc]
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


def _finish(rows: list[_Row]) -> list[Task]:
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
