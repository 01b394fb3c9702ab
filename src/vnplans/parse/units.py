"""Task-row fields read from cell text: timeframes and the lead/cooperating units of a unit cell."""

from __future__ import annotations

import re

from .common import UNIT_HEAD, fkey

__all__ = ["CHU_TRI", "PHOI_HOP", "split_timeframe", "split_units", "starts_with_unit", "unit_name_at"]

# a speck between the two syllables is read as a mark (`phối - hợp`, `chủ. trì`)
CHU_TRI = re.compile(r"\bch[a-z0-9]{1,2}\s*[-–.,]?\s*tr[a-z0-9]\b")
PHOI_HOP = re.compile(r"\bph[a-z0-9]{1,3}\s*[-–.,]?\s*h[a-z0-9]{1,2}p\b")
# `(tháng 5/2025)`; at the end of a cell the closing bracket may be lost or misread (`(tháng 08/2020 +`)
_TIME_PAREN = re.compile(r"\(([^()]{0,60}?\b(?:th\w{0,3}ng|quy|ng\w?y)\b[^()]{0,40}?)(?:\)|[^\w()]*$)")
_MONTH = re.compile(r"th\w{0,3}ng\s*(\d{1,2})\b")
_YEAR = re.compile(r"(?:/|\bn\w{1,2}m)\s*(\d{4})\b")
_QUALIFIERS = (
    (re.compile(r"^d\w?u\b"), "đầu"),
    (re.compile(r"^gi\w?a\b"), "giữa"),
    (re.compile(r"^cu\w?i\b"), "cuối"),
    (re.compile(r"^tr\w?\w?c\b"), "trước"),
    (re.compile(r"^sau\b"), "sau"),
    (re.compile(r"^trong\b"), "trong"),
)
_UNIT_START = re.compile(r"^\W{0,3}[a-z0-9]{0,2}" + UNIT_HEAD + r"\b")
_UNIT_AT = re.compile(r"^\W{0,3}[a-z0-9]{0,2}?(" + UNIT_HEAD + r")\b")
_AND_UNIT = re.compile(r"\s+va\s+(?=" + UNIT_HEAD + r"\b)")


# Party committees (`Tỉnh ủy`, `Thành ủy`, ...) head unit names too, besides the shared heads.
_PARTY_HEAD = r"(?:(?:thanh|tinh|huyen|quan|thi|dang) uy|ban thuong vu)"
_NAME_AT = re.compile(r"^(?:" + _PARTY_HEAD + "|" + UNIT_HEAD + r")\b")
_NOT_NAME = re.compile(r"^(?:cac\b|bao\b|quan\b(?! \d)|huyen\b(?! uy)|xa\b|phuong\b|thi xa\b)")


def unit_name_at(text: str) -> bool:
    """A capitalised unit name starts exactly here (`Sở Y tế`, `UBND tỉnh`, `Tỉnh ủy`): the stricter
    test used to find where a unit cell begins in the middle of a printed line. Place words (`Xã`,
    `Huyện`) and `Các`/`Báo` are left out: inside content they are names of places or papers."""
    t = text.lstrip("'\"“”‘’`([")
    if not t or not t[0].isupper():
        return False
    k = fkey(t)
    return bool(_NAME_AT.match(k)) and not _NOT_NAME.match(k)


def starts_with_unit(text: str) -> bool:
    """Starts like a unit name (tolerating a couple of OCR junk characters before it)."""
    return bool(_UNIT_START.match(fkey(text)))


# the words of a timeframe, a closed set: OCR's slips in their marks are read back (`thắng 1/2025`)
_TIME_WORDS = {
    "thang": "tháng", "nam": "năm", "quy": "quý", "ngay": "ngày", "dau": "đầu", "giua": "giữa",
    "cuoi": "cuối", "truoc": "trước",
}  # fmt: skip
_TIME_WORD = re.compile(r"[^\W\d_]+")
_NUMBERED = ("thang", "nam", "ngay", "quy")  # time words a number follows
_SPECK_BEFORE_NUMBER = re.compile(r"([^\W\d_]+)(-|\s*[:;,.'`]+\s*)(?=\d)")


def _timeframe_words(raw: str) -> str:
    """A timeframe's words as written (`thắng-05 năm 2025` -> `tháng 05 năm 2025`); case kept."""

    def word(m: re.Match[str]) -> str:
        w = m.group()
        right = _TIME_WORDS.get(fkey(w))
        if right is None or w.lower() == right:
            return w
        return right.capitalize() if w[:1].isupper() else right

    def speck(m: re.Match[str]) -> str:
        keep = m.group(2) != "-" and fkey(m.group(1)) not in _NUMBERED
        return m.group(0) if keep else m.group(1) + " "

    # a speck between a word and its number is a mark, never written (`tháng-05`, `tháng :09/2024`)
    return _SPECK_BEFORE_NUMBER.sub(speck, _TIME_WORD.sub(word, raw))


def split_timeframe(content: str) -> tuple[str, str | None, int | None, int | None, str | None]:
    """(content without a trailing timeframe, raw timeframe, month, year, qualifier)."""
    k = fkey(content)
    found = list(_TIME_PAREN.finditer(k))
    if not found:
        return content, None, None, None, None
    m = found[-1]
    raw = _timeframe_words(" ".join(content[m.start(1) : m.end(1)].split()).rstrip(" +*.,;:'\"`"))
    inner = fkey(raw)
    mm, yy = _MONTH.search(inner), _YEAR.search(inner)
    month = int(mm.group(1)) if mm and 1 <= int(mm.group(1)) <= 12 else None
    year = int(yy.group(1)) if yy else None
    qual = next((q for rx, q in _QUALIFIERS if rx.match(inner)), None)
    rest = content
    if not content[m.end() :].strip(" .;,"):
        rest = content[: m.start()].rstrip(" ,;")
    return rest, raw, month, year, qual


def _split_list(text: str) -> list[str]:
    """Split on commas/semicolons outside parentheses and on `và` before a unit name."""
    k = fkey(text)
    cuts, depth = [], 0
    for i, c in enumerate(k):
        depth += (c == "(") - (c == ")")
        if c in ",;" and depth <= 0:
            cuts.append((i, i + 1))
    for m in _AND_UNIT.finditer(k):
        if k[: m.start()].count("(") <= k[: m.start()].count(")"):
            cuts.append((m.start(), m.end()))
    pieces, pos = [], 0
    for s, e in sorted(cuts):
        pieces.append((text[pos:s], text[s:e]))
        pos = e
    pieces.append((text[pos:], ""))
    out: list[str] = []
    for i, (piece, _sep) in enumerate(pieces):
        p = piece.strip()
        if not p:
            continue
        new_unit = (p[0].isupper() and starts_with_unit(p)) or fkey(p).startswith("cac ")
        if out and not new_unit:
            out[-1] = f"{out[-1]}{pieces[i - 1][1]} {p}".replace(" ,", ",")
        else:
            out.append(p)
    return [p.strip(_NOT_IN_NAME) for p in out if p.strip(_NOT_IN_NAME)]


_NOT_IN_NAME = " ,;.:-–"  # around a unit's name only as dust or a list's punctuation (`Ban Dân tộc tỉnh -`)
_DOUBLED = re.compile(r"([,;])\s*[.,;:]+")  # `Văn hóa,. Thể thao`: a speck beside a comma

# `chủ trì` with `trì` lost (`Sở Y tế chủ phối hợp`), and `với` with a letter lost (`vớ`, `vi`)
_HALF_CHU_TRI = re.compile(r"[\s,;]+ch[ủu]\W*$", re.I)
_VOI = re.compile(r"^\W*(?:v\w{1,2}i|v[ơớờởỡợo]|vi)\b", re.I)

_TITLE_HEADS = {"so", "ban", "bo", "dai", "phong", "cuc", "vien", "hoi", "doan", "truong"}


def _title_head(unit: str) -> str:
    """`SỞ Giáo dục và Đào tạo` (OCR read the head in capitals) -> `Sở Giáo dục và Đào tạo`; `Số Y tế`,
    `sử Y tế` (OCR swapped the marks of the head, `ơ`/`ô`, hook/acute) -> `Sở Y tế`: no unit's name
    begins with `Số` or `Sử` before a capitalised name."""
    head, _, rest = unit.partition(" ")
    if rest and len(head) >= 2 and head.isupper() and not rest.isupper() and fkey(head) in _TITLE_HEADS:
        return head.capitalize() + " " + rest
    if rest[:1].isupper() and head != "Sở" and fkey(head) in ("so", "su") and not head.isupper():
        return "Sở " + rest
    return unit


def split_units(responsible: str) -> tuple[str | None, list[str]]:
    lead, coop = _split_units(responsible)
    return (_title_head(lead) if lead else lead), [_title_head(c) for c in coop]


def _split_units(responsible: str) -> tuple[str | None, list[str]]:
    """(lead unit, cooperating units) of a cell like `Sở X chủ trì, phối hợp với Sở Y và các đơn vị`."""
    text = _DOUBLED.sub(r"\1", " ".join(responsible.split()))
    if not text:
        return None, []
    k = fkey(text)
    ct, ph = CHU_TRI.search(k), PHOI_HOP.search(k)
    if ct:
        lead = text[: ct.start()].strip(_NOT_IN_NAME)
        rest = text[ct.end() :]
        rk = fkey(rest)
        p2 = PHOI_HOP.search(rk)
        coop = rest[p2.end() :] if p2 else rest
    elif ph and ph.start() > 0:
        lead = _HALF_CHU_TRI.sub("", text[: ph.start()]).strip(_NOT_IN_NAME)
        coop = text[ph.end() :]
    else:
        return text.strip(_NOT_IN_NAME), []
    coop = _VOI.sub("", coop)
    if lead and (m := _UNIT_AT.match(fkey(lead))):
        lead = lead[m.start(1) :]
    return (lead or None), _split_list(coop)
