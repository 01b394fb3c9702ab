"""Shared helpers for the parsers: folded matching, the document-type dictionary, Vietnamese dates.

Keywords are matched on folded text (`vnplans.lexicon.fkey`: no diacritics, same length), so a regex
match on the folded line slices the original line at the same offsets, and keywords still match
when OCR dropped or garbled a diacritic.
"""

from __future__ import annotations

import datetime as dt
import re

# the vocabulary lives in vnplans.lexicon; re-exported for the parsers that import it from here
from ..lexicon import ROMAN_SHORT as ROMAN
from ..lexicon import (
    DocType,
    doc_type_by_code,
    doc_types,
    fkey,
    fold,
    int_to_roman,
    match_doc_type,
    roman_to_int,
)

__all__ = [
    "TASK_VERB",
    "DocType",
    "doc_types",
    "doc_type_by_code",
    "match_doc_type",
    "fkey",
    "fold",
    "clean_line",
    "unmark",
    "make_date",
    "DATE_WORDS",
    "NUMERIC_DATE",
    "date_from_match",
    "ROMAN",
    "roman_to_int",
    "int_to_roman",
    "UNIT_HEAD",
]


_MARKUP = re.compile(r"^[\s*_#>]+|[\s*_]+$")


_SPECK = re.compile(r"^[a-zđà-ỹ'`~^]\s+(?=[A-ZĐÀ-Ỹ]{2})")


def clean_line(s: str) -> str:
    """Drop markdown emphasis/heading marks and outer whitespace a text export may carry, and a
    speck OCR read as a letter before an all-caps line (`x PHƯƠNG ÁN`)."""
    s = _MARKUP.sub("", s).strip()
    if _SPECK.match(s) and s[_SPECK.match(s).end() :].isupper():
        s = s[_SPECK.match(s).end() :]
    return s


_NBSP = re.compile(r"&nbsp;|\u00a0")


def unmark(line: str) -> str:
    """A text export's markup read as layout: `&nbsp;` is a space, and a markdown table row's cells
    (`| CHÍNH PHỦ | CỘNG HÒA ... |`, how exports print the two header columns) are columns, kept
    apart by a wide gap as in a plain-text page."""
    s = _NBSP.sub(" ", line)
    t = s.strip()
    if t.startswith("|") and t.count("|") >= 2:
        return "    ".join(c.strip() for c in t.strip("|").split("|") if any(x.isalnum() for x in c))
    return s


def make_date(day: int | None, month: int | None, year: int | None) -> dt.date | None:
    try:
        if day and month and year:
            return dt.date(year, month, day)
    except ValueError:
        return None
    return None


# "ngày 09 tháng 12 năm 2022" on folded lower text; OCR-tolerant keyword shapes (ngay?, thang, ndm).
DATE_WORDS = re.compile(
    r"ng\w{0,2}y[\s.,_-]*(?P<day>\d{1,3}|[^\s\d]{0,6}?)[\s.,_-]*th\w{0,2}ng[\s.,_-]*(?P<month>\d{1,2})"
    r"[\s.,_-]*(?:n\w{1,2}m|/)[\s.,_-]*(?P<year>\d{4})"
)
NUMERIC_DATE = re.compile(
    r"(?<!\d)(?P<day>\d{1,2})\s*[/.-]\s*(?P<month>\d{1,2})\s*[/.-]\s*(?P<year>\d{4})(?!\d)"
)


def date_from_match(m: re.Match[str]) -> tuple[dt.date | None, bool]:
    """(date, day_missing) from a DATE_WORDS or NUMERIC_DATE match."""
    day = m.group("day")
    d = int(day) if day and day.isdigit() and 1 <= int(day) <= 31 else None  # `237`: unreadable, not guessed
    return make_date(d, int(m.group("month")), int(m.group("year"))), d is None


# Heads of Vietnamese unit names, folded lower: how a responsible-unit cell or a recipient starts.
UNIT_HEAD = (
    r"(?:ban(?! hanh)|so|phong(?!,| chong)|van phong|uy ban|ubnd|hdnd|hoi dong|hoi(?! nghi| thao| thi)|cong an|"
    r"bo chi huy|bo|cuc|chi cuc|tong cuc|trung tam|truong|benh vien|thanh doan|tinh doan|huyen doan|doan|"
    r"lien doan|mat tran|mttq|bao(?! cao)|dai|"
    r"kho bac|thanh tra|vien|quan|huyen|thi xa|xa(?! hoi)|phuong|cac|chu tich|giam doc|thu truong|to cong tac)"
)

# Verbs that open a task's content cell (folded lower); a cell starting with one is not a unit cell.
TASK_VERB = (
    r"(?:to chuc|xay dung|trien khai|ban hanh|bao cao|kiem tra|thanh tra|tuyen truyen|huong dan|tong ket|"
    r"so ket|danh gia|phat dong|chi dao|tham muu|ra soat|thuc hien|tiep tuc|don doc|phoi hop|hoan thanh|"
    r"dang ky|xet|khen thuong|boi duong|tap huan|bien soan|xuat ban|suu tam|tham dinh|thong bao|cung co|"
    r"nang cao|day manh|tang cuong|theo doi|cap nhat|lap|giao|dieu chinh|sua doi|tiep nhan|giai quyet)"
)
