"""Where task tables are: header lines (`TT | Nội dung | Đơn vị thực hiện`), quarter and month markers
between row groups, and the headings that end a table region."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz

from ..common import TASK_VERB, clean_line, fkey, int_to_roman, roman_to_int
from ..sections import section_label

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
    r"^qu\w?\s*(iv|[il1|!]{1,3}|h[il1|!]?|[il1|!]h|v|[1-4])(?=\W|$|n)\s*(?:[/-]?\s*(?:nam\s*)?\d{4})?\s*(?:\(.*\))?\s*:?$"
)
# Title case (`Quý I`, OCR `Quý!`) only when nothing but the numeral follows: `Quy định` is prose.
_TITLE_QUARTER = re.compile(r"^qu\w?\s*(?:iv|[il1|!]{1,3}|[1-4])(?:\s*[/-]?\s*(?:nam\s*)?\d{4})?\s*:?$")
_MONTH_MARK = re.compile(r"^thang\s*(\d{1,2})\s*(?:[/-]\s*\d{4}|nam\s*\d{4})?\s*:?$")
_VERB_START = re.compile(r"^\W{0,3}" + TASK_VERB + r"\b")
_ROMAN_SECTION = re.compile(r"^[IVXl1]{1,5}\.\s+\S")


def norm(s: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", fkey(s)).split())


def is_table_header(line: str) -> bool:
    """A task-table header line or a piece of one (headers may be split over lines by OCR)."""
    k = norm(line.replace("|", " "))
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


def quarter_no(period: str | None) -> int | None:
    if not period or not period.startswith("QUÝ "):
        return None
    return roman_to_int(period[4:])


_LOOSE_QUARTER = re.compile(r"^qu[a-z]?[\W_]{0,3}(iv|[il1|!h]{1,3}|v|[1-4])\b[\W_]*(.{0,3})$")


def numeral_doubt(line: str) -> bool:
    """Whether a quarter heading's numeral was read with an `H`: two strokes joined by their serifs
    (`II` -> `H`), or one (`II` -> `HI`): the numeral is that or one less, and the order decides."""
    k = fkey(clean_line(line).strip(" |:")).strip()
    m = _QUARTER.match(k) or _LOOSE_QUARTER.match(k)
    return bool(m) and "h" in m.group(1)


def loose_quarter(cell: str) -> str | None:
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


def unreadable_heading(cell: str) -> bool:
    """A merged one-cell row too short and number-less to be a task: a group heading OCR garbled
    (`QUÝ I` read as `từ Tiền`)."""
    s = clean_line(cell).strip()
    return bool(s) and not any(c.isdigit() for c in s) and len(s) <= 30 and len(s.split()) <= 4


def ends_region(line: str) -> bool:
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
            is_table_header(x) and norm(x) not in ("tt", "stt") for x in lines[i : min(end, i + 6)]
        )
        if not starts and period_marker(ln) and i + 1 < end:
            starts = True
        if not starts:
            i += 1
            continue
        j = i + 1
        while j < end and not ends_region(lines[j]):
            j += 1
        regions.append((i, j))
        i = j
    return regions
