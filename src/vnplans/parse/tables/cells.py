"""Rows from table cells: a builder that takes cells (layout tables) or classified line blocks (linear
OCR text) and decides, from row numbers, markers and the shape of unit cells, where each row begins."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from ..common import clean_line, fkey, int_to_roman
from ..units import CHU_TRI, PHOI_HOP, starts_with_unit
from .flattened import DEFAULT_TABLE_SETTINGS, TableSettings, flattened_rows
from .regions import (
    _LEADING_NUMBER,
    _ROLE_NAMES,
    _ROW_NUMBER,
    _VERB_START,
    is_table_header,
    loose_quarter,
    norm,
    numeral_doubt,
    period_marker,
    quarter_no,
    unreadable_heading,
)


@dataclass
class Row:
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
class Builder:
    rows: list[Row] = field(default_factory=list)
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
    def cur(self) -> Row | None:
        return self.rows[-1] if self.rows else None

    def new_row(self) -> Row:
        r = Row(tt=self.pending_tt, period=self.period)
        self.pending_tt = None
        self.closed = False
        self.last = None
        self.rows.append(r)
        return r

    def _put(self, row: Row, which: str, text: str) -> None:
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

    def heading(self, line: str, *, loose: bool = False) -> bool:
        """A quarter or month heading (`loose`: also a merged cell with a little OCR dust): set it as
        the period of the rows that follow; False when the line is none."""
        p = period_marker(line) or (loose and loose_quarter(line))
        if not p:
            return False
        self.set_period(p, doubt=numeral_doubt(line))
        return True

    def set_period(self, p: str, *, doubt: bool = False) -> None:
        # quarters only go forward: a marker that repeats or goes back is a misread numeral
        # (OCR drops strokes of `III`), so it is the next quarter
        new, cur = quarter_no(p), quarter_no(self.period)
        if doubt and new and new - 1 == (cur or 0) + 1:  # `QUÝ HI` after QUÝ I: II, not III
            new -= 1
            p = f"QUÝ {int_to_roman(new)}"
        if self.guess_open and new and cur and new <= cur:
            self._unguess(self.guesses.pop())  # the quarter read here says the guess before it was wrong
            cur = quarter_no(self.period)
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
        cur = quarter_no(self.period)
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

    def finish(self) -> list[Row]:
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
        if len(nonempty) == 1 and self.heading(nonempty[0], loose=not fragment):
            return
        cur = self.cur
        if (
            merged
            and unreadable_heading(cells[0])
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
        k = norm(c)
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
        if tt is None and tt_s:  # the rule after TT lost in this row: the content spilled into its cell
            tt, spilled = _number_in_cell(tt_s)
            if tt is not None:
                content = f"{spilled} {content}".strip()
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


def items(
    lines: Iterable[str], settings: TableSettings = DEFAULT_TABLE_SETTINGS
) -> Iterable[tuple[str, object]]:
    """Classify region lines: ('tt', n), ('period', heading line), ('block', [lines]), ('pipe', [lines]),
    ('row', (tt, content, unit)) for a flattened row."""
    block: list[str] = []

    def flush() -> Iterable[tuple[str, object]]:
        if block:
            kind = "pipe" if any("|" in b for b in block) else "block"
            yield kind, list(block)
            block.clear()

    cleaned = [clean_line(raw.replace("\f", "")) for raw in lines]
    flat = flattened_rows(cleaned, settings)
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
        if period_marker(ln):
            yield from flush()
            yield "period", ln
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
