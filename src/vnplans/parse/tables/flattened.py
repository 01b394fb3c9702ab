"""Flattened rows: OCR of a bordered table may print the content and unit columns side by side on each
line, with no separator (`4 Xây dựng lớp bồi dưỡng cho cán bộ, công Đài Phát thanh và Truyền hình`).
The first line of a row splits where a unit name starts (or at a `|` border); the other lines split
where the two columns' wrapping, parentheses and unit phrasing agree best (a small search per row,
weighted by `TableSettings`).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ..common import fkey
from ..units import unit_name_at
from .regions import ends_region, is_table_header, period_marker

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


@dataclass(frozen=True)
class TableSettings:
    """The weights of the flattened-row search (after pdfplumber's `TableSettings`): each is the cost,
    in made-up units, of one piece of evidence against reading a printed line as content `c` then unit
    `u`. Set by hand on the parse benchmark's dev pages; the default instance is what `rows_from_lines`
    uses unless given another."""

    width_quantile: float = 0.9  # a column's widest line: this quantile of its first-line widths
    empty_column: float = 6.0  # text in a column already empty above (cells are top-aligned)
    width_slack: float = 3.0  # characters past the widest line before a part counts as too wide
    too_wide: float = 2.0
    too_wide_per_char: float = 0.5
    wrap_slack: float = 6.0  # a first word that fitted on the line before (greedy wrapping)
    content_wrap_cap: float = 4.0
    content_wrap: float = 1.0
    content_wrap_per_char: float = 0.4
    unit_wrap_cap: float = 3.0
    unit_wrap: float = 1.0
    unit_wrap_per_char: float = 0.3
    open_end: float = 4.0  # a cell ends on an open parenthesis, comma or dangling word
    name_goes_on: float = 2.5  # a unit cell ends on a capitalised word of a name
    paren_in_unit: float = 3.0  # parentheses and timeframes belong to the content
    close_paren_in_unit: float = 4.0
    time_in_unit: float = 2.0
    bad_time_paren: float = 3.0
    after_timeframe: float = 3.0
    unit_tail_in_content: float = 3.0  # `chủ trì`, `phối hợp với` never end a content part
    unit_phrase_after_open: float = 4.0
    unit_phrase_bonus: float = 0.5  # ... and open a unit part
    name_after_and: float = 2.0  # a unit name goes on after `và`/`-` with a capital
    whole_lead_cell: float = 2.0  # `X chủ trì` is a whole unit cell unless `phối hợp` follows
    split_phrase_bonus: float = 2.0  # `chủ | trì`, `phối | hợp`, `hợp | với` run on across lines
    unit_name_bonus: float = 1.0  # a unit part opening with a unit name
    pair_joins_bonus: float = 1.0  # a word pair the document prints on one line joins two lines
    pair_cut: float = 1.5  # ... and is not cut between the two columns
    unit_inside_content: float = 2.0
    final_open_end: float = 4.0  # a row's last content or unit part cannot end open


DEFAULT_TABLE_SETTINGS = TableSettings()


@dataclass(frozen=True)
class _Widths:
    """What one table region measures: its columns' usual and widest line, and word pairs."""

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


def _line_cost(c: str, u: str, cs: list[str], us: list[str], w: _Widths, s: TableSettings) -> float:
    """How unlikely it is that a printed line reads content `c` then unit `u`, after parts cs/us."""
    cp, up = cs[-1], us[-1]
    content_before = " ".join(x for x in cs if x)
    kc, ku = fkey(c), fkey(u)
    cost = 0.0
    # Cells are top-aligned: once a column is empty on a line it stays empty.
    if c and not cp:
        cost += s.empty_column
    if u and not up:
        cost += s.empty_column
    # Column widths, and greedy wrapping: a first word that fitted on the line before is suspect.
    if len(c) > w.content_max + s.width_slack:
        cost += s.too_wide + (len(c) - w.content_max - s.width_slack) * s.too_wide_per_char
    if len(u) > w.unit_max + s.width_slack:
        cost += s.too_wide + (len(u) - w.unit_max - s.width_slack) * s.too_wide_per_char
    if c and cp and (fit := len(cp) + 1 + len(c.split()[0])) <= w.content - s.wrap_slack:
        cost += min(
            s.content_wrap_cap, s.content_wrap + (w.content - s.wrap_slack - fit) * s.content_wrap_per_char
        )
    if u and up and (fit := len(up) + 1 + len(u.split()[0])) <= w.unit - s.wrap_slack:
        cost += min(s.unit_wrap_cap, s.unit_wrap + (w.unit - s.wrap_slack - fit) * s.unit_wrap_per_char)
    # A cell that cannot end here goes on.
    if not c and cp and _open_end(content_before):
        cost += s.open_end
    if not u and up and _open_end(up):
        cost += s.open_end
    elif not u and up and _name_goes_on(up):
        cost += s.name_goes_on
    # Parentheses and timeframes belong to the content.
    if "(" in u:
        cost += s.paren_in_unit
    if ")" in u and content_before.count("(") > content_before.count(")"):
        cost += s.close_paren_in_unit
    if re.search(r"\bthang\s*\d|\bnam \d{4}|^\d", ku):
        cost += s.time_in_unit
    if c and _bad_time_paren(f"{content_before} {c}") and not _bad_time_paren(content_before):
        cost += s.bad_time_paren
    if c and _after_timeframe(f"{content_before} {c}"):
        cost += s.after_timeframe
    # Unit phrasing: `chủ trì`, `phối hợp với` open a unit part, never end a content part.
    if _UNIT_TAIL.search(kc):
        cost += s.unit_tail_in_content
    up_last = fkey(up).split()[-1:] or [""]
    if _UNIT_PHRASE.match(ku):
        opens = not (up_last[0] in ("va", "-", "–") or _name_goes_on(up))
        cost += -s.unit_phrase_bonus if opens else s.unit_phrase_after_open
    elif u and up_last[0] in ("va", "-", "–") and u[0].islower() and not ku.startswith("cac "):
        cost += (
            s.name_after_and
        )  # a unit name goes on after `và`/`-` with a capital (`Thương binh và | Xã hội`)
    if u and re.search(r"chu tri$", fkey(up)) and not ku.startswith("phoi hop"):
        cost += s.whole_lead_cell  # `X chủ trì` is a whole unit cell unless `phối hợp` follows
    if (up_last[0], ku.split()[0] if ku else "") in (("chu", "tri"), ("phoi", "hop"), ("hop", "voi")):
        cost -= s.split_phrase_bonus
    if u and unit_name_at(u):
        cost -= s.unit_name_bonus
    # What the document prints elsewhere on one line: a pair seen there joins two lines of a cell
    # (`Truyền | hình`); a pair seen elsewhere is not cut between the two columns.
    for a, b in ((cp, c), (up, u)):
        if a and b and w.pairs[_pair(a, b)]:
            cost -= s.pair_joins_bonus
    if c and u and w.pairs[_pair(c, u)]:
        cost += s.pair_cut
    if any(unit_name_at(c[m.start() :]) for m in re.finditer(r"(?<=\s)\S(?=\S*\s+\S)", c)):
        cost += s.unit_inside_content  # a unit name (with words after it) inside the content part
    return cost


def _split_rest(
    first_c: str, first_u: str, lines: list[str], w: _Widths, s: TableSettings
) -> tuple[str, str]:
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
            best = min(states, key=lambda st, c=c, u=u: st[0] + _line_cost(c, u, st[1], st[2], w, s))
            nxt.append((best[0] + _line_cost(c, u, best[1], best[2], w, s), [*best[1], c], [*best[2], u]))
        states = nxt

    def final(st: tuple[float, list[str], list[str]]) -> float:
        content = " ".join(x for x in st[1] if x)
        return (
            st[0]
            + s.final_open_end * (_open_end(content) or _bad_time_paren(content))
            + s.final_open_end * _open_end(st[2][-1])
        )

    _, cs, us = min(states, key=final)
    return " ".join(x for x in cs if x), " ".join(x for x in us if x)


def flattened_rows(
    lines: list[str], settings: TableSettings = DEFAULT_TABLE_SETTINGS
) -> dict[int, tuple[int, int | None, str, str]]:
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
        followed = k < n and not stop(lines[k]) and not ends_region(lines[k])
        if split and (split[2] or not followed):
            cands.append((i, j, tt, split, body))
        i = j
    if len(cands) < 2 and not any(c[3][2] for c in cands):
        return {}
    firsts = [len(c[3][0]) for c in cands]
    multi = [len(c[3][0]) for c in cands if c[4]] or firsts
    units = [len(c[3][1]) for c in cands]
    q = settings.width_quantile
    # Word pairs of known single cells: first-line parts, and lines of the region outside these rows.
    inside = {k for i, j, *_ in cands for k in range(i, j)}
    outside = [x for k, x in enumerate(lines) if k not in inside]
    w = _Widths(
        content=statistics.median(multi),
        content_max=sorted(firsts)[int(q * (len(firsts) - 1))],
        unit=statistics.median(units),
        unit_max=sorted(units)[int(q * (len(units) - 1))],
        pairs=_line_pairs([x for c in cands for x in c[3][:2]] + outside),
    )
    cells = [_split_rest(c0, u0, body, w, settings) for _, _, _, (c0, u0, _), body in cands]
    # Second pass: word pairs of the cells just rebuilt, each row judged by the other rows' pairs.
    own = [_line_pairs(cell) for cell in cells]
    total = _line_pairs([x for cell in cells for x in cell] + outside)
    out = {}
    for (i, j, tt, (c0, u0, _), body), mine in zip(cands, own, strict=True):
        content, unit = _split_rest(c0, u0, body, replace(w, pairs=total - mine), settings)
        out[i] = (j, tt, content, unit)
    return out
