"""The Decree 30 header: issuing body, Quốc hiệu/Tiêu ngữ, number and symbol, place and date, type, title.

In linear text the left column (issuing body, number) and the right column (motto, place and date) are
often interleaved on the same line, so each line is split by what it contains (fuzzy motto alignment,
number and date patterns), not by position.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from ..lexicon import QUOC_HIEU, RECEIPT_LINE, RULE_RUN, TIEU_NGU
from ..models import Header
from ..text.syllable import SAME_SHAPE_CAPITALS, is_valid_syllable
from .common import (
    DATE_WORDS,
    DocType,
    clean_line,
    date_from_match,
    doc_type_by_code,
    doc_types,
    fkey,
    fold,
    match_doc_type,
)

__all__ = ["HeaderResult", "parse_header", "is_body_start"]

_MOTTO = "cong hoa xa hoi chu nghia viet nam"
_TAGLINE = "doc lap - tu do - hanh phuc"
# Decree 30 fixes both texts word for word, so a fuzzy match stands for the official wording
# (OCR damage such as `Pác lập` for `Độc lập` is not carried into the record).
_OFFICIAL = {"national_motto": QUOC_HIEU, "tagline": TIEU_NGU}
# `Số:`, or a type name before it (`Nghị quyết số:`, `Luật số:`); numbers may be dotted (`66.7/2025/...`).
_NUMBER = re.compile(
    r"(?:(?<![A-Za-z])S|(?<![A-Za-z])(?i:luat|bo luat|nghi quyet|nghi dinh|phap lenh|lenh|quyet dinh|thong tu|"
    r"chi thi)\s+s)\S{0,2}\s*(?::|(?=\s*\d+(?:\.\d+)*\s*/))\s*(?P<num>\d+(?:\.\d+)*(?:\s*/\s*\d{4})?)?"
    r"(?P<junk>[\s.…]*|[\s.…]*[^\w\s/]{1,3}[\s.…]*)/\s*(?:(?P<year>\d{4})\s*/\s*)?"
    r"(?P<sym>[A-Z][A-Za-z0-9]*(?:\s?-\s?[A-Za-z0-9.]+)*)"
)
# `Cơ quan: VĂN PHÒNG CHÍNH PHỦ`, a short label and its value (a signature stamp's lines): never a title line
_LABEL_LINE = re.compile(r"^[^\W\d_]+(?: [^\W\d_]+){0,2}\s*:\s+\S")
_LATIN = str.maketrans("АВСЕНКМОРТХ", "ABCEHKMOPTX")  # Cyrillic capitals typed for Latin look-alikes
# `ngày` may meet a handwritten or stamp-covered day with no space (`Hà Nội, ngàyJ© thuÔj`): the word
# ends where a lower-case letter does not follow
_PLACE_ONLY = re.compile(
    r"(?:^|\s{2,})(?P<place>[A-ZĐ][^\W\d_]*(?:\s[A-ZĐ][^\W\d_]*){0,3}),\s*ng[aà]y(?![a-zà-ỹđ])"
)
_CITES = re.compile(r"\bso\s*\d+\s*[/-]")
_SEPARATOR = re.compile(r"^[\s\-_=*~.…—–]+$")
_BODY_START = re.compile(
    r"^(?:uy ban|ubnd|hdnd|so|bo|ban|phong|truong|cong an|hoi dong|cuc|chi cuc|tong cuc|trung tam|"
    r"van phong|thanh tra|vien|benh vien|kho bac|doan)\b"
)
_LOCALITY = re.compile(
    r"\b(?:tinh|thanh pho|huyen|quan|thi xa|xa|phuong|thi tran|viet nam|tp)\b|^(?:ubnd|hdnd|bo)\b"
)
# A place-and-date line whose date lost a figure to OCR (`ngày 02 tháng năm 2025`): still that line,
# never part of the issuing body; the date stays unknown.
_PLACE_DATE = re.compile(r"\bng\w{0,2}y\b[\s\d.,_-]{0,8}th\w{0,2}ng\b[\s\d.,_-]{0,8}n\w{1,2}m\b")
# A mark OCR glued between two words of a name (`VÀ:ĐẦU`): names of bodies never hold these.
_GLUED_MARK = re.compile(r"(?<=[^\W\d_])[:;'\"`’‘“”*]+(?=[^\W\d_])")
_BASIS_START = re.compile(r"^\s*(?:thuc hien|can cu|theo de nghi|xet|thi hanh)\b")
_SECTION_START = re.compile(r"^\s*(?:[IVX]{1,5}\.|\d{1,2}\.|[a-z]\)|dieu\s+\d+[.:]?)\s", re.I)


@dataclass
class HeaderResult:
    header: Header
    end: int  # index of the first line after the title
    issues: list[tuple[str, str]] = field(default_factory=list)
    date_line: bool = False  # a place-and-date line was read (even if its date is not readable)
    month_year: tuple[int, int] | None = None  # as printed, when only the day is blank


def is_body_start(line: str) -> bool:
    """A line that begins the preamble or the body, so the title cannot continue into it."""
    k = fkey(line)
    return bool(_BASIS_START.match(k) or _SECTION_START.match(fold(line)))


def _align(needle: str, line: str, cutoff: float) -> tuple[int, int] | None:
    k = fkey(line)
    if len(k.strip()) < len(needle) * 0.6:
        return None
    a = fuzz.partial_ratio_alignment(needle, k, score_cutoff=cutoff)
    if a is None:
        return None
    s, e = a.dest_start, a.dest_end
    while s > 0 and not k[s - 1].isspace():
        s -= 1
    while e < len(k) and not k[e].isspace():
        e += 1
    return s, e


def _authority_split(parts: list[str]) -> tuple[str | None, str | None]:
    """Group left-column lines into bodies; the last is the issuer, earlier ones its parent."""
    bodies: list[str] = []
    # a lone short word in small letters (the rule under a column read as `min`) is no part of a name
    parts = [p for p in parts if not (p.strip().isalpha() and p.strip().islower() and len(p.strip()) <= 3)]
    for p in parts:
        k = fkey(p)
        if bodies and _BODY_START.match(k) and _LOCALITY.search(fkey(bodies[-1])):
            bodies.append(p)
        elif bodies:
            bodies[-1] = f"{bodies[-1]} {p}"
        else:
            bodies.append(p)
    if not bodies:
        return None, None
    parent = " ".join(bodies[:-1]) or None
    return _body_name(parent), _body_name(bodies[-1])


_MINISTRY = re.compile(r"^(?:bo|ngan hang nha nuoc|thanh tra chinh phu|uy ban dan toc|van phong chinh phu)\b")


def _joint(h: Header, parts: list[str]) -> None:
    """A joint document (thông tư liên tịch, several ministries): its issuers stand side by side or
    joined by a dash, at the same level, and the symbol names each (`TTLT-BTC-BYT`). All are kept in
    `authorities`; `authority` reads them joined, and none is another's parent."""
    names = [n for p in parts for n in re.split(r"\s+[-–]\s+", p) if n.strip()]
    bodies = [_body_name(n) for n in names if _MINISTRY.match(fkey(n))]
    codes = (h.symbol or "").split("-")
    joint_symbol = len(codes) >= 3 or (codes[0].endswith("LT") and len(codes) >= 2)
    dashed = any(len(re.split(r"\s+[-–]\s+", p)) >= 2 for p in parts)
    if len(bodies) >= 2 and len(bodies) == len(names) and (joint_symbol or dashed):
        h.authorities = [b for b in bodies if b]
        h.authority, h.parent_authority = " - ".join(h.authorities), None


def _body_name(name: str | None) -> str | None:
    """An issuing body's name without OCR marks glued between its words or left at its ends."""
    if name is None:
        return None
    name = " ".join(_GLUED_MARK.sub(" ", name).split()).strip(" ,;:._-*'\"`")
    return _capitals(name) or None


def _capitals(name: str) -> str:
    """Decree 30 prints the issuing body in capitals. A word OCR read in small letters among them is a
    capital whose letters have the small ones' shape (`sở TÀI CHÍNH`: S, O); other small words
    (`UBND tỉnh Nghệ An`, a body written in mixed case) are as printed."""
    words = name.split()
    caps = sum(w.isupper() for w in words)
    small = [w for w in words if not w.isupper()]
    if (
        caps < 2
        or not small
        or not all(set(fold(w).lower()) <= SAME_SHAPE_CAPITALS for w in small if w.isalpha())
    ):
        return name
    return " ".join(w.upper() if w.isalpha() else w for w in words)


def _has_text(part: str) -> bool:
    return any(c.isalnum() for c in part)


class _Collector:
    def __init__(self) -> None:
        self.h = Header()
        self.left: list[str] = []
        self.day_missing = False
        self.month_year: tuple[int, int] | None = None
        self.number_unreadable = False
        self.body_closed = False
        self.notes: list[str] = []
        self.date_seen = False  # the place-and-date line was read (its date may still be unknown)
        self.date_unreadable = False  # ... but its day, month or year is not there to read

    def _left(self, parts: Iterable[str]) -> None:
        """Left-column text: the issuing body until the header's top block closes, then stamps and
        marks (a receipt stamp's agency line, a handwritten note), kept as notes."""
        for p in parts:
            (self.notes if self.body_closed else self.left).append(p)

    def feed(self, line: str) -> None:
        rest = RULE_RUN.sub("   ", clean_line(line)).translate(_LATIN)
        if not rest:
            # the issuing body stands beside the motto and tagline: a blank line after them closes it
            self.body_closed = self.body_closed or bool(self.h.tagline and self.left)
            return
        if _SEPARATOR.match(rest):
            return
        if re.match(r"v\s*/\s*v\b", fkey(rest)):  # a công văn's subject line: the title, not the body
            return
        if (
            RECEIPT_LINE.search(fkey(rest))
            and not _PLACE_ONLY.search(rest)
            and not DATE_WORDS.search(fkey(rest))
        ):  # a receipt stamp (`ĐẾN`, `Giờ... Ngày...`, `Kính chuyển`)
            self.notes.append(rest)
            return
        for name, needle, cut in (("national_motto", _MOTTO, 78), ("tagline", _TAGLINE, 72)):
            if getattr(self.h, name):
                continue
            span = _align(needle, rest, cut)
            if span:
                s, e = span
                setattr(self.h, name, _OFFICIAL[name])
                rest = f"{rest[:s]}  {rest[e:]}".strip()
        m = _NUMBER.search(fold(rest))
        if m and self.h.symbol is None:
            num = m.group("num")
            self.h.number = re.sub(r"\s+", "", num) if num else None
            if m.group("year") and num and "/" not in num:
                self.h.number = f"{self.h.number}/{m.group('year')}"
            if re.search(r"[^\s.…]", m.group("junk")):
                # a handwritten number OCR could not read (`2 † /2026/`): unknown, not a guess
                self.h.number, self.number_unreadable = None, True
            # a symbol never ends with a full stop: one there is OCR dust (`248/KH-UBND.`)
            self.h.symbol = re.sub(r"\s+", "", rest[m.start("sym") : m.end("sym")]).rstrip(".")
            before, rest = rest[: m.start()].strip(), rest[m.end() :].strip()
            if _has_text(before):
                self._left([before])
        k = fkey(rest)
        dm = DATE_WORDS.search(k)
        loose = None if dm else _PLACE_DATE.search(k)
        if not dm and not loose and not self.date_seen and (po := _PLACE_ONLY.search(rest)):
            # `Hà Nội, ngày` and then a handwritten day and a stamp: the place is still that line's
            self.date_seen = self.date_unreadable = True
            self.h.place = po.group("place")
            before = rest[: po.start()].strip()
            if _has_text(before):
                self._left(p for p in re.split(r"\s{3,}|\t+", before) if _has_text(p))
            rest = ""
        if (dm or loose) and not self.date_seen:
            self.date_seen = True
            if dm:
                self.h.issued_date, self.day_missing = date_from_match(dm)
                if self.day_missing:
                    self.month_year = (int(dm.group("month")), int(dm.group("year")))
            else:
                self.date_unreadable = True
            at = dm or loose
            assert at is not None
            head = rest[: at.start()].rstrip().rstrip(",").strip()
            parts = re.split(r"\s{2,}|\t+", head)
            # a lone small letter before the name is a speck OCR or an export left (`l Hà Nội`)
            self.h.place = re.sub(r"^[a-zđ]\s+(?=[A-ZĐÀ-Ỹ])", "", parts[-1].strip(" ,.;*_")) or None
            self._left(p for p in parts[:-1] if _has_text(p))
            rest = ""
        rest = rest.strip(" -_*")
        if rest and not _SEPARATOR.match(rest):
            self._left(p for p in re.split(r"\s{3,}|\t+", rest) if _has_text(p))


# The enacting line under a title (`ỦY BAN THƯỜNG VỤ QUỐC HỘI`, `CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH X`): in
# capitals, it names the body or office that enacts, and is never part of the title.
_ENACTOR = re.compile(
    r"^(?:pho\s+)?(?:chu tich|bo truong|thu tuong|giam doc|tong giam doc|cuc truong|vien truong|chanh an|"
    r"thong doc|tong kiem toan|tong thanh tra|truong ban|hieu truong)\b"
)
_BODY_HEAD = re.compile(r"^(?:quoc hoi|chinh phu|uy ban|hoi dong|bo\s|ban\s|so\s|cuc\s|tong cuc)")
_CONNECTOR_END = re.compile(r"\b(?:cua|va|ve|cho|tai|doi voi|trong|theo|voi|tu|den|giua|thuoc|nam)$")


def _is_enacting(line: str, prev: str, authority: str | None) -> bool:
    letters = [c for c in line if c.isalpha()]
    if not letters or not all(c.isupper() for c in letters) or len(line.split()) > 16:
        return False
    k, pk = " ".join(fkey(line).split()), " ".join(fkey(prev).split())
    if _CONNECTOR_END.search(pk.rstrip(" ,;")):
        return False
    if authority and k == " ".join(fkey(authority).split()):
        return True
    prev_caps = all(c.isupper() for c in prev if c.isalpha())
    return bool(_ENACTOR.match(k) or (not prev_caps and _BODY_HEAD.match(k)))


def _is_caps(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _continues(prev: str, nxt: str, authority: str | None) -> bool:
    """After a blank line, whether `nxt` still belongs to the title: written in the title's case, not
    the preamble, an enacting line, a sentence (`... như sau:`) or a dated paragraph."""
    if (
        (is_body_start(nxt) and not nxt[:1].islower())
        or _SEPARATOR.match(nxt)
        or _LABEL_LINE.match(nxt)
        or _is_caps(nxt) != _is_caps(prev)
    ):
        return False
    if _is_enacting(nxt, prev, authority) or nxt.startswith("- ") or re.match(r"Ngày\s+\d", nxt):
        return False
    return nxt[:1].islower() or not nxt.endswith((":", "."))


def _title(lines: list[str], start: int, authority: str | None = None) -> tuple[str | None, int]:
    i, out = start, []
    while i < len(lines) and not clean_line(lines[i]):
        i += 1
    while i < len(lines) and len(out) < 15:
        ln = clean_line(lines[i])
        if not ln:
            j = next((k for k in range(i + 1, min(i + 3, len(lines))) if clean_line(lines[k])), None)
            if out and j is not None and _continues(out[-1], clean_line(lines[j]), authority):
                i = j  # a double-spaced export: a blank line between the title's lines
                continue
            break
        if _SEPARATOR.match(ln):
            i += 1
            if out:
                break
            continue
        if (
            is_body_start(ln)
            and not (out and ln[:1].islower())
            and (out or ln.rstrip().endswith((";", ",")) or _CITES.search(fkey(ln)))
        ):
            break
        if out and (ln.startswith("- ") or _LABEL_LINE.match(ln) or _is_enacting(ln, out[-1], authority)):
            break
        out.append(ln)
        i += 1
    # a full stop at the end of a line the title goes on from is a speck (`của.` / `Chính phủ ...`)
    out = [re.sub(r"(?<=[a-zà-ỹđ]{2})\.$", "", x) if k < len(out) - 1 else x for k, x in enumerate(out)]
    # specks between words (`quy ' phạm`) and the rule under the title read as a dash at its end
    title = " ".join(w for w in " ".join(out).split() if not re.fullmatch(r"['\"`’‘“”*.,:;~^]+", w))
    title = _read_twice(_specks_in_words(title))
    return (title.rstrip(" -–—_") or None), i


_GLUED_DOT = re.compile(r"(?<![\w.])(\w+)\.(\w+)(?![\w.])")
_DASHED_NUMBER = re.compile(r"(?<![\w-])(\w+)-(?=\d)")


def _specks_in_words(title: str) -> str:
    """Specks OCR read as marks inside a title: a full stop after `;`/`,` (`xã hội;. phòng`), one
    joining two Vietnamese words (`HỢP.QUỐC`; `TP.HCM` is no pair of syllables and stays), a dash
    joining a word to a number (`ngày-12`; `COVID-19` is no syllable and stays)."""
    title = re.sub(r"([;,])\.(?=\s)", r"\1", title)

    def words(m: re.Match[str]) -> str:
        a, b = m.group(1), m.group(2)
        both = all(x.isalpha() and is_valid_syllable(x.lower()) for x in (a, b))
        return f"{a} {b}" if both else m.group(0)

    title = _GLUED_DOT.sub(words, title)
    return _DASHED_NUMBER.sub(
        lambda m: m.group(1) + (" " if is_valid_syllable(m.group(1).lower()) else "-"), title
    )


def _read_twice(title: str) -> str:
    """A title the reading order took twice, the type line between (`... PHÁP LUẬT THÔNG TƯ HƯỚNG DẪN
    ...` again): the first reading only."""
    words = title.split()
    head = " ".join(words[:5])
    if len(words) < 10:
        return title
    at = title.find(" " + head, len(head))
    if at > 0:
        before = title[:at].split()
        for n in (1, 2, 3):
            if match_doc_type(" ".join(before[-n:]), whole=True):
                return " ".join(before[:-n])
    return title


SYMBOL_NUMBER_DIGITS = 2  # a symbol part's closing number: `QH15` (corpus: 22,581 of two digits, 54
# of one and 7 of three, most of those OCR's: `QHI5`, `QH115`)


def _digits_at_end(symbol: str | None) -> str | None:
    """A symbol part ending in a number (`QH15`, `UBTVQH15`) with OCR's look-alikes in that number
    (`UBTVQHI5`): I and l are 1, O is 0, in the trailing run that holds a digit. Look-alikes before a
    number that has its two digits already are a stroke OCR added (`UBTVQHI15`), not a third digit."""
    if not symbol:
        return symbol
    parts = symbol.split("-")
    for n, part in enumerate(parts):
        m = re.search(r"[0-9IlO]+$", part)
        if m and any(c.isdigit() for c in m.group()) and m.start() > 0:
            run = m.group()
            first = next(k for k, c in enumerate(run) if c.isdigit())
            if first and len(run) - first >= SYMBOL_NUMBER_DIGITS:
                run = run[first:]
            parts[n] = part[: m.start()] + run.translate(str.maketrans("IlO", "110"))
    return "-".join(parts)


def _official_code(symbol: str | None) -> str | None:
    """The type code that opens a symbol as Decree 30 spells it, when text without marks lost its `Đ`
    (`ND-CP` -> `NĐ-CP`, `QD-TTg` -> `QĐ-TTg`); issuer codes after it cannot be known and stay."""
    if not symbol:
        return symbol
    head, sep, tail = symbol.partition("-")
    if (
        head.isascii()
        and (d := doc_type_by_code(head))
        and d.code
        and d.code != head
        and fold(d.code) == head
    ):
        return d.code + sep + tail
    return symbol


def _initials(name: str) -> str:
    """A body's name as its symbol abbreviates it: each word's first letter (`BỘ CÔNG THƯƠNG` -> `BCT`,
    `Bộ Giáo dục và Đào tạo` -> `BGDĐT`); `và` and punctuation add nothing."""
    words = re.findall(r"[^\W\d_]+", name)
    return "".join(w[0].upper() for w in words if w.lower() != "và")


def issuer_code(symbol: str | None, authority: str | None) -> str | None:
    """The symbol with its issuer code set to the authority's initials where they differ by one
    letter (`TT-BYT` under `BỘ CÔNG THƯƠNG`): Decree 30 makes that code the issuer's abbreviation,
    and the authority's first letters survive OCR better than a short code. None when the code
    agrees, or differs by more than one letter (another body, a joint document, no initials).
    Only for a symbol OCR doubted (`parse.score`): a renamed ministry prints its old code, one letter
    off its new name (`TT-BTNMT` under `BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG`), and that is what it says."""
    if not symbol or not authority or symbol.count("-") != 1:
        return None  # none, or a joint document's codes (`TTLT-BCT-BYT`): several issuers
    head, _, code = symbol.rpartition("-")
    want = _initials(authority)
    if len(code) != len(want) or len(want) < 3 or not code.isalpha() or not code.isupper():
        return None
    if fold(code) == fold(want) or sum(a != b for a, b in zip(code, want, strict=True)) != 1:
        return None  # `SGDDT` for `SGDĐT` is how some offices print it, not OCR
    return f"{head}-{want}"


def _stray_stroke(symbol: str | None) -> str | None:
    """A type code OCR gave a stroke too (`TT1-BNNMT`, `QĐl-UBND`: the stem of a `T` or the hyphen read
    as `1`/`l`/`I`): no type code ends in one, so it is dropped when the code without it is known."""
    if not symbol:
        return symbol
    head, sep, tail = symbol.partition("-")
    if (
        sep
        and len(head) > 2
        and head[-1] in "1lI|"
        and not doc_type_by_code(head)
        and doc_type_by_code(head[:-1])
    ):
        return head[:-1] + sep + tail
    return symbol


def _from_lines(col: _Collector, lines: list[str]) -> None:
    """What the layout's header columns missed (a receipt stamp box beside the place-and-date line
    breaks the columns): the number and the place and date, read from the text lines; their left
    parts (stamp text, the issuing body again) are not taken."""
    extra = _Collector()
    for ln in lines:
        extra.feed(ln)
    h, x = col.h, extra.h
    if h.symbol is None and x.symbol:
        h.number, h.symbol, col.number_unreadable = x.number, x.symbol, extra.number_unreadable
    if not col.date_seen and extra.date_seen:
        col.date_seen, col.date_unreadable, col.day_missing = True, extra.date_unreadable, extra.day_missing
        col.month_year = extra.month_year
        h.place, h.issued_date = x.place, x.issued_date


def _damaged_type(line: str) -> DocType | None:
    """A type line a seal or a stain damaged (`N \\m ÔNG TƯ`): short, in capitals, its last words
    close to a type name; the best-matching type, None below 80."""
    words = line.split()
    letters = [c for c in line if c.isalpha()]
    if not words or len(words) > 5 or not letters:
        return None
    upper = sum(c.isupper() for c in letters) / len(letters)
    # capitals OCR half lost (`ÌnHônG TƯ`) still have no word in small letters, as a sentence has
    lower_word = any(sum(c.isalpha() for c in w) >= 2 and w.islower() for w in words)
    if upper < 0.7 and (lower_word or upper < 0.5):
        return None
    best: tuple[float, DocType | None] = (0.0, None)
    for k in range(len(words)):
        cand = " ".join(re.sub(r"[^a-z]", "", fkey(w)) for w in words[k:]).strip()
        for d in doc_types():
            name = " ".join(fkey(d.name).split())
            if len(cand) >= 0.6 * len(name):
                r = fuzz.ratio(cand, name)
                if r >= 80 and r > best[0]:
                    best = (r, d)
    return best[1]


def parse_header(
    lines: list[str], *, left: list[str] | None = None, right: list[str] | None = None
) -> HeaderResult:
    """Read the header from the first lines; `left`/`right` are layout columns when known."""
    col = _Collector()
    limit = min(len(lines), 40)
    type_at = None
    for i in range(limit):
        ln = clean_line(lines[i])
        if ln and match_doc_type(ln, whole=True):
            type_at = i
            break
        if ln and is_body_start(ln) and i > 2:
            break
    damaged = None
    if type_at is None:
        for i in range(limit):
            ln = clean_line(lines[i])
            if ln and is_body_start(ln) and i > 2:
                break
            if ln and i > 1 and (damaged := _damaged_type(ln)):
                type_at = i
                break
    head_end = type_at if type_at is not None else 0
    if left or right:
        for ln in (left or []) + (right or []):
            col.feed(ln)
        if col.h.symbol is None or not col.date_seen:
            _from_lines(col, lines[: type_at if type_at is not None else limit])
    if type_at is None:
        # No type line: the header runs until the first preamble/body line or the first blank after a date.
        for i in range(limit):
            ln = clean_line(lines[i])
            if ln and is_body_start(ln):
                break
            head_end = i + 1
            if col.date_seen and not ln:
                break
            if not (left or right):
                col.feed(lines[i])
    elif not (left or right):
        for ln in lines[:type_at]:
            col.feed(ln)
    h = col.h
    h.parent_authority, h.authority = _authority_split(col.left)
    _joint(h, col.left)
    h.symbol = _stray_stroke(_official_code(_digits_at_end(h.symbol)))
    issues: list[tuple[str, str]] = []
    if col.notes:
        issues.append(("header_notes", "kept out of the header (stamps, marks): " + " | ".join(col.notes)))
    if col.number_unreadable:
        issues.append(("number_unreadable", "the document number (handwritten?) could not be read"))
    if col.day_missing:
        issues.append(("day_blank", "the day of the issue date is blank or unreadable"))
    elif col.date_unreadable:
        issues.append(("date_unreadable", "the issue date lacks a day, month or year"))
    end = head_end
    if type_at is not None:
        dt_ = match_doc_type(clean_line(lines[type_at]), whole=True) or damaged
        assert dt_ is not None
        h.doc_type, h.doc_type_code = dt_.name.upper(), (dt_.code or None)  # as printed (Decree 30)
        if damaged is not None:
            issues.append(
                ("doc_type_damaged", f"type line read as {clean_line(lines[type_at])!r}, taken as {dt_.name}")
            )
        h.title, end = _title(lines, type_at + 1, h.authority)
    else:
        vv = next((i for i in range(head_end) if fkey(clean_line(lines[i])).startswith("v/v")), None)
        if vv is not None:
            h.title = clean_line(lines[vv])[3:].strip(" :") or None
        code = h.symbol.split("-")[0] if h.symbol else None
        by_code = doc_type_by_code(code)
        if by_code:
            h.doc_type, h.doc_type_code = by_code.name.upper(), by_code.code
            issues.append(("doc_type_from_symbol", f"no type line; type taken from the symbol code {code}"))
        elif h.symbol:
            h.doc_type = "CÔNG VĂN"
    return HeaderResult(h, end, issues, col.date_seen, col.month_year)
