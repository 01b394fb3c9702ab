"""The closing block: signer authority marks (TM./KT./Q./TL./TUQ.), titles, name, digital signature.

In linear text the signature column is often interleaved with the `Nơi nhận` column on the same lines,
so the trailer is split into a left stream (recipients) and a right stream (signature) first.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from functools import cache

from ..models import DigitalSignature, Signature
from ..resources import dictionary_entries
from ..text.syllable import is_valid_syllable, nfc
from .common import clean_line, fkey, fold
from .recipients import NOI_NHAN, RECIPIENT_ITEM, is_archive_item, is_closed, lost_dash_misread, specks

__all__ = ["find_trailer", "split_trailer", "parse_signature", "parse_digital"]

_MODE = re.compile(
    r"""(?<![A-Za-z])(TM|KT|TUQ|TL|Q)\s?(?:\.{1,2}|,(?=\s*[:;]?\s*["'“”]?[A-ZĐÀ-Ỹ]|\s*$))[\s:;]*"""
)
_ISO = re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(\s*(?:[+-]\d{2}:?\d{2}|Z))?")
# `Thời gian ký: 09.07.2026 12:06:29 +07:00`: the stamp a signing tool prints on the page
_VN_STAMP = re.compile(
    r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:([+-])(\d{2}):?(\d{2}))?"
)
_STAMP_TIME = re.compile(r"th\w{0,2}i\s*gian\s*k\w?\s*:")
_EMAIL = re.compile(r"<?([\w.+-]+@[\w-]+(?:\.[\w-]+)+)>?")
_SIGNED = re.compile(r"d\w?\s*k\w?\s*l\w{0,2}n\s*v\w{0,2}n\s*b\w{0,2}n")
_SIGNER_LABEL = re.compile(r"^(?:nguoi ky|ky boi|signed by)\s*:\s*", re.I)
_NAME = re.compile(r"^[A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*){1,5}$")


# the offices a signer holds, printed in capitals above the name (`THỨ TRƯỞNG` and `THỦ TRƯỞNG` fold
# alike: see `_spell_offices`)
OFFICES = (
    "CHỦ TỊCH", "GIÁM ĐỐC", "TỔNG GIÁM ĐỐC", "TRƯỞNG BAN", "CHÁNH VĂN PHÒNG", "BỘ TRƯỞNG", "THỨ TRƯỞNG",
    "THỦ TƯỚNG", "CỤC TRƯỞNG", "CHI CỤC TRƯỞNG", "VIỆN TRƯỞNG", "HIỆU TRƯỞNG", "TRƯỞNG PHÒNG",
    "CHÁNH THANH TRA", "BÍ THƯ", "THỐNG ĐỐC", "TỔNG THANH TRA", "TỔNG KIỂM TOÁN", "CHÁNH ÁN",
)  # fmt: skip
_OFFICE = re.compile(r"^(?:pho |q\. )?(?:" + "|".join(fkey(o) for o in OFFICES) + r")\b")
_SPELLED = {fkey(o): o for o in OFFICES if fkey(o) != "thu truong"}
_SPELLABLE = re.compile(r"^(pho )?(.+?)( thuong truc)?$")
# A rank or degree printed before the signer's name (`Thượng tướng Lê Huy Vịnh`, `PGS.TS. Trần Văn A`).
_RANK = re.compile(
    r"^(?:(?:Đại|Thượng|Trung|Thiếu)\s+(?:tướng|tá|úy|uý)|Chuẩn\s+[Đđ]ô\s+đốc|Phó\s+[Đđ]ô\s+đốc|[Đđ]ô\s+đốc|"
    r"(?:GS|PGS|TS|TSKH|ThS|BS|KS|Ths)\.?(?:\s*(?:TS|TSKH|BS|KS)\.?)*)\s+",
    re.I,
)
_CAPS_RANK = re.compile(r"(?:^|\s)((?:ĐẠI|THƯỢNG|TRUNG|THIẾU)\s+(?:TƯỚNG|TÁ|ÚY|UÝ))$")
_SIGNED_MARK = re.compile(r"\(\s*(?:đã\s+ký|ký|đã\s+ký\s+và\s+đóng\s+dấu|ký,\s*đóng\s+dấu)[^)]*\)", re.I)


def _office_line(ln: str) -> bool:
    """An upper-case line (or the upper-case start of one) naming a signer's office: `CHỦ TỊCH QUỐC HỘI`,
    `BỘ TRƯỞNG Đại tướng Lương Tam Quang` (a signature flattened onto one line)."""
    caps = _caps_prefix(ln)
    return bool(caps) and len(caps.split()) <= 12 and bool(_OFFICE.match(fkey(caps)))


def _caps_prefix(ln: str) -> str:
    words = ln.split()
    out = []
    for w in words:
        letters = [c for c in w if c.isalpha()]
        if letters and not all(c.isupper() for c in letters):
            break
        out.append(w)
    return " ".join(out)


def find_trailer(lines: Sequence[str], start: int) -> int:
    """Index of the first line of `Nơi nhận`/signature at or after `start` (len(lines) if none)."""
    for i in range(start, len(lines)):
        ln = clean_line(lines[i])
        if NOI_NHAN.match(fkey(ln)) or _MODE.match(ln) or _office_line(ln):
            return i
    return len(lines)


def split_trailer(lines: Sequence[str]) -> tuple[list[str], list[str]]:
    """(left column lines, right column lines) of the trailer."""
    left: list[str] = []
    right: list[str] = []
    in_list = False  # the last line was the heading or an item (not the archive item, the list's last)
    for raw in lines:
        ln = clean_line(raw)
        if not ln:
            left.append("")
            continue
        parts = [p.strip() for p in re.split(r"\s{3,}|\t+", ln) if p.strip()]
        if len(parts) == 1:
            parts = _one_space_columns(ln, in_list=in_list)
            ln = parts[0]  # without the specks it may have dropped
        before = len(left)
        if len(parts) >= 2:
            left.append(parts[0])
            right.append(" ".join(parts[1:]))
        elif (
            NOI_NHAN.match(fkey(ln))
            or RECIPIENT_ITEM.match(ln)
            or (left and ln.endswith(";"))
            or lost_dash_misread(ln, [x for x in left if x])
            or (in_list and is_archive_item(ln))
            or (in_list and _open(left[-1]) and _wrapped_end(ln))
        ):
            # a recipient, its dash as OCR read it or lost (Decree 30 ends each with `;`), or the end of
            # one wrapped onto this line (`- UBND các tỉnh, thành phố trực thuộc` / `TW,`)
            left.append(ln)
        else:
            right.append(ln)
        in_list = len(left) > before and not is_archive_item(left[-1])
    return left, right


# what opens an appendix or a form after the signature (`PHỤ LỤC`, `Mẫu số 01`, `CÁC BIỂU MẪU`, a
# form's own national motto); never a signer's title
_APPENDIX = re.compile(
    r"^\W*(?:phu luc\b|(?:cac )?(?:bieu )?mau(?: so)?\b|danh muc\b|ghi chu\b|cong hoa xa hoi chu nghia\b)"
)
# the archive item's end before a name run onto its line: `Lưu: VT, UBND. Bùi Thị Khải`
_ARCHIVE_END = re.compile(r"^(\W{0,3}l\w{1,2}u\s*:[^.;]*\.)\s+(.+)$", re.I)


def _one_space_columns(ln: str, in_list: bool = False) -> list[str]:
    """A line of both columns that OCR's text output joined with one space (a wide gap becomes one
    space in Tesseract's text): `Nơi nhận: TM. ỦY BAN NHÂN DÂN`, `- Bộ Nội vụ; CHỦ TỊCH`,
    `- Lưu: VT, UBND. Bùi Thị Khải`. The signature column's part starts after the heading or after
    a recipient's closing `;` (`,` as OCR misreads it) and is an authority mark, an office in capitals,
    or a name; what a recipient carries after its `;` that holds no word (`; : i.`, `; ~ ge`: specks
    of the stamp or the signature) is dropped, anything else after it goes to the signature column.
    `in_list`: the line follows the heading or an item (before the archive item), so it is an item
    even when OCR lost its dash. A recipient can hold a `,`, and a `;` when the next item follows on
    the line (it ends with `;`): those stay one line."""
    if head := NOI_NHAN.match(fkey(ln)):  # `fkey` keeps the line's length
        if m := _MODE.search(ln, 4):
            return [ln[: m.start()].strip(), ln[m.start() :].strip()]
        rest = ln[head.end() :].lstrip(" :;_")
        return [ln[: len(ln) - len(rest)].strip(), rest] if rest and _right_part(rest, names=False) else [ln]
    if a := _ARCHIVE_END.match(ln):
        if specks(a.group(2)):
            return [a.group(1)]  # specks after the list's last item
        return [a.group(1), a.group(2)] if _right_part(a.group(2), names=True) else [ln]
    # an item of the list (its dash read, or lost inside the list); elsewhere only a mark or an office
    # (not the archive item: `Lưu: VT; UBND.` is one item whose `,` OCR read as `;`)
    listed = (in_list or bool(RECIPIENT_ITEM.match(ln))) and not is_archive_item(ln)
    for sep in re.finditer(r"[;,]\s*", ln):
        tail = ln[sep.end() :].strip()
        closed = sep.group().startswith(";")
        if tail and listed and closed and specks(tail):
            return [ln[: sep.start() + 1]]  # specks after the item, not text
        nxt = tail.lstrip("'\"`‘’“”")  # `'~ Thủ tướng, ...`: the next item, a speck before its dash
        if not tail or tail.endswith(";") or RECIPIENT_ITEM.match(nxt) or is_archive_item(nxt):
            continue  # no tail, or the next item run onto the line (`- Công báo; Cổng thông tin ...;`)
        if _right_part(tail, names=closed and listed) or (listed and closed and not _prose(tail)):
            # after an item's `;`, what is not the next item is the other column: the signer's marks,
            # offices and name, or the stamp's and signature's specks OCR read as letters; words of
            # prose are the item's own, wrapped onto the next line (`- Công báo; Cổng Thông tin điện
            # tử Chính` / `phủ;`)
            return [ln[: sep.start() + 1], tail]
    return [ln]


def _open(item: str) -> bool:
    """A recipient (not the heading) whose line ends before its `;`: it goes on on the next line."""
    return bool(item) and not is_closed(item) and not NOI_NHAN.match(fkey(item))


def _wrapped_end(ln: str) -> bool:
    """A line that may end a recipient wrapped from the line before (`TW,`, `phạm hành chính;`): short,
    and no mark, office, name or title in capitals (`“THỦ TƯỚNG.PHÓ THỦ TƯỚNG`), the signature's."""
    words = [w for w in re.split(r"[\s.,;:\"'“”„]+", ln) if w]
    caps = len(words) >= 2 and all(w.isupper() for w in words)
    return len(ln.split()) <= 8 and not caps and not _right_part(ln, names=True)


def _prose(text: str) -> bool:
    """Three words or more, two of them real syllables in small letters, three in four real syllables
    or codes in capitals: text, where the specks of a stamp or a signature read as letters are not."""
    words = [w.strip(".,;:()\"'“”") for w in text.split()]
    words = [w for w in words if w]
    real = [len(w) >= 2 and (is_valid_syllable(w.lower()) or (w.isalpha() and w.isupper())) for w in words]
    small = sum(ok and w.islower() for ok, w in zip(real, words, strict=True))
    return len(words) >= 3 and small >= 2 and sum(real) >= 0.75 * len(words)


def _right_part(text: str, *, names: bool) -> bool:
    """An authority mark, an office in capitals or (`names`) a name: the signature column's text."""
    text = text.strip(" .,:;_~-")
    if _MODE.match(text):
        return True
    if _caps_prefix(text) == text and _office_line(text):
        return True
    return names and bool(_NAME.match(text)) and len(text.split()) <= 5


def parse_digital(text: str) -> DigitalSignature | None:
    """`2022-12-20T10:51:25+0700`, signer, `<email>` `đã ký lên văn bản này!` wherever they appear."""
    m = _ISO.search(text)
    lines = [clean_line(x) for x in text.splitlines()]
    sig_line = next((i for i, x in enumerate(lines) if _SIGNED.search(fkey(x))), None)
    stamp_line = next((x for x in lines if _STAMP_TIME.match(fkey(x))), None)
    if not m and sig_line is None and stamp_line is None:
        return None
    d = DigitalSignature()
    if m:
        stamp = m.group(1) + "T" + m.group(2) + (m.group(3) or "").strip()
        try:
            d.signed_at = dt.datetime.fromisoformat(stamp)
        except ValueError:
            d.signed_at = None
    elif stamp_line and (v := _VN_STAMP.search(stamp_line)):
        day, mon, year, hh, mm, ss, sign, oh, om = v.groups()
        tz = None
        if sign:
            off = dt.timedelta(hours=int(oh), minutes=int(om))
            tz = dt.timezone(off if sign == "+" else -off)
        try:
            d.signed_at = dt.datetime(
                int(year), int(mon), int(day), int(hh), int(mm), int(ss or 0), tzinfo=tz
            )
        except ValueError:
            d.signed_at = None
    if sig_line is not None:
        ln = lines[sig_line]
        if em := _EMAIL.search(ln):
            d.email = em.group(1)
            d.signer = ln[: em.start()].strip(" :-") or None
        if not d.signer:
            d.signer = ln[: _SIGNED.search(fkey(ln)).start()].strip(" :-") or None  # type: ignore[union-attr]
    for x in lines:
        if lm := _SIGNER_LABEL.match(fkey(x)):
            d.signer = x[lm.end() :].strip() or d.signer
    return d


def _offices(caps: str) -> list[str]:
    """Title lines a flattened block ran together: a new one starts at each office after the first
    (`ỦY BAN THƯỜNG VỤ QUỐC HỘI CHỦ TỊCH`, `THỦ TƯỚNG PHÓ THỦ TƯỚNG`); `PHÓ` stays with its office."""
    words = caps.split()
    cuts = [0]
    for j in range(1, len(words)):
        if fkey(words[j - 1]) != "pho" and _OFFICE.match(fkey(" ".join(words[j:]))):
            cuts.append(j)
    out = [" ".join(words[a:b]) for a, b in zip(cuts, [*cuts[1:], len(words)], strict=True)]
    # a piece of one or two letters before an office is a mark OCR garbled (`T, THỦ TƯỚNG`), no title
    return [t for t in out if sum(c.isalpha() for c in t) > 2 or len(out) == 1]


def _name_and_rank(text: str) -> tuple[str | None, str | None]:
    """(name, rank) from what follows the titles: `Thượng tướng Lê Huy Vịnh` -> (Lê Huy Vịnh, Thượng tướng)."""
    text = _SIGNED_MARK.sub(" ", text).strip(" .,;")
    rank = None
    if m := _RANK.match(text):
        rank, text = text[: m.end()].strip(), text[m.end() :].strip()
    text = " ".join(text.split())
    words = text.split()
    # `À-Ỹ` in `_NAME` spans small letters too (`à`): every word starts with a capital, and a name is
    # no run of capitals (`à TƯỞNG`: a title's specks)
    named = all(w[0].isupper() for w in words) and not all(w.isupper() for w in words[1:])
    return (_spell_name(text), rank) if _NAME.match(text) and named else (None, None)


@cache
def _names(file: str) -> tuple[frozenset[str], dict[str, str]]:
    """(names as written, folded -> the most common one, listed first) from a names dictionary
    (`surnames.txt`, `middle_names.txt`); empty when the file is missing."""
    try:
        names = [nfc(n.strip()) for n in dictionary_entries(file)]
    except OSError:
        return frozenset(), {}
    by_fold: dict[str, str] = {}
    for n in names:
        by_fold.setdefault(fkey(n), n)
    return frozenset(names), by_fold


def _spell_name(name: str) -> str:
    """A name's first word is a family name: one no family is called (`Do`, `Đo` from text that lost
    its marks) is read as the common family name it folds to (`Đỗ`); a real one is kept. So is its
    middle word, in a name of three or four: text that lost its marks gets them back from the
    corrector as a common word's (`Bùi Thì Khải`, `Lê Vận Hùng`), which no one is called."""
    first, _, rest = name.partition(" ")
    written, by_fold = _names("surnames.txt")
    if not rest or fold(name) == name:  # a name without marks stays as written
        return name
    if first not in written:
        first = by_fold.get(fkey(first), first)
    words = rest.split(" ")
    if 2 <= len(words) <= 3 and first in written:
        middles, middle_by_fold = _names("middle_names.txt")
        if words[0] not in middles:
            words[0] = middle_by_fold.get(fkey(words[0]), words[0])
    return " ".join([first, *words])


def parse_signature(right: Sequence[str]) -> Signature:
    """Authority marks, upper-case titles, rank and the signer's name from the signature column; the
    block ends at the name (what follows, e.g. an appendix, is not the signature), or where an appendix
    or a form begins when no name was read (a scan's signature that OCR could not read)."""
    sig = Signature()
    in_stamp = False
    for raw in right:
        ln = _SIGNED_MARK.sub(" ", clean_line(raw)).strip()
        if _APPENDIX.match(fkey(ln)):
            break
        if _ISO.search(ln):
            in_stamp = True
        if not ln or in_stamp or "@" in ln:
            in_stamp = in_stamp and not _SIGNED.search(fkey(ln))
            continue
        # marks inside a line (`TM. CHÍNH PHỦ KT. THỦ TƯỚNG`) split it into titles
        parts = [p for p in _MODE.split(ln)]
        lead, pieces = parts[0].strip(" _."), []
        if lead:
            pieces.append((None, lead))
        for j in range(1, len(parts), 2):
            pieces.append((parts[j], parts[j + 1].strip(" _.")))
        for mode, piece in pieces:
            if mode:
                sig.modes.append(mode)  # type: ignore[arg-type]
            # specks OCR left among the capitals (`"THỦ TƯỚNG`, `THỦ TƯỚNG.-PHÓ`)
            piece = re.sub(r"(?<=[A-ZĐÀ-Ỹ])[.\-]+(?=[A-ZĐÀ-Ỹ])", " ", piece)
            words = (x.strip("\"'“”‘’`:;") for x in piece.split())
            piece = " ".join(w for w in words if any(c.isalnum() for c in w))  # `°`: a speck, no word
            caps = _caps_prefix(piece)
            rest = piece[len(caps) :].strip()
            if caps and (mode or sig.titles or not sig.name):
                if rm := _CAPS_RANK.search(caps):  # a rank printed in capitals under the office
                    sig.rank = rm.group(1)
                    caps = caps[: rm.start()].strip()
                if sum(c.isalpha() for c in caps) < 2:  # `(10)`, `0,5%`: a form's numbers, no title
                    caps = ""
                if caps and (len(caps.split()) > 1 or len(caps.strip(".,:;")) > 3 or mode):
                    sig.titles.extend(_offices(caps))  # a lone short word is a mark OCR garbled (`KỂ`)
            # a name under titles, or alone with a rank before it (`Đại tướng Lương Tam Quang`); never
            # a line ending in `;` (`Báo Hà Tĩnh;`: a recipient whose dash OCR lost, Decree 30)
            if rest and (sig.titles or _RANK.match(rest)) and not ln.endswith(";"):
                name, rank = _name_and_rank(rest)
                if name:
                    sig.name, sig.rank = name, rank or sig.rank
        if sig.name:
            break
    _deputy_mark(sig)
    _spell_offices(sig)
    sig.mode = sig.modes[0] if sig.modes else None
    return sig


def _spell_offices(sig: Signature) -> None:
    """Offices in their official spelling: restored or OCR'd marks go wrong on titles standing alone on
    a line (`THỦ TRƯỞNG THƯỜNG TRỤC` under `KT. BỘ TRƯỞNG` is `THỨ TRƯỞNG THƯỜNG TRỰC`). A title is
    respelled only when all of it folds to an office, in text with marks; `thu truong` is the minister's deputy under
    `BỘ TRƯỞNG`, and left as written elsewhere (`THỦ TRƯỞNG`, a head of agency, folds alike)."""
    for i, title in enumerate(sig.titles):
        m = _SPELLABLE.match(fkey(title))
        if m is None or fold(title) == title:  # text without marks (not restored) stays as it is
            continue
        office = _SPELLED.get(m.group(2))
        if m.group(2) == "thu truong" and any(fkey(t) == "bo truong" for t in sig.titles[:i]):
            office = "THỨ TRƯỞNG"
        if office is not None:
            sig.titles[i] = ("PHÓ " if m.group(1) else "") + office + (" THƯỜNG TRỰC" if m.group(3) else "")


def _deputy_mark(sig: Signature) -> None:
    """A deputy signs for the head with `KT.` (Decree 30): a deputy's office (`PHÓ ...`, `THỨ TRƯỞNG`)
    right under the head's, with no mark left for the head (OCR lost or garbled it), gets it back."""
    for i in range(len(sig.titles) - 1):
        if len(sig.modes) == i and re.match(r"^(?:pho |thu truong)", fkey(sig.titles[i + 1])):
            sig.modes.append("KT")
            sig.mode_inferred = True
            return
