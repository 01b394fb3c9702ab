"""`Nơi nhận:` and its dash list (the last item is usually `Lưu: VT, ...`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .common import clean_line, fkey

__all__ = [
    "NOI_NHAN",
    "RECIPIENT_ITEM",
    "is_archive_item",
    "is_closed",
    "lost_dash_misread",
    "parse_recipients",
    "specks",
]

NOI_NHAN = re.compile(r"^\W{0,3}n\w{1,2}i\s*nh\w{1,3}n\s*:?\s*")  # the heading, on folded text
RECIPIENT_ITEM = re.compile(r"^[-–—~+•*·]\s*")  # the dash before a recipient, as OCR reads it
_CLOSED = (";", ".")  # how an item ends (the last with `.`); a wrapped item's first line does not
_MISREAD_SEMICOLON = ","  # OCR's reading of a small-print `;` (`:` also, but labels end so: `Ghi chú:`)
# `Lưu: VT, ...`, the list's last item (Decree 30), folded; its label misread (`kưu: VT`, `Lm: VT`)
_ARCHIVE = re.compile(r"^(?:l\w{1,2}u\s*:|\w{1,4}\s*:\s*v[tp]\b)")
_OPENING_SPECKS = re.compile(r"^[\s;,:\-–—~•\"'“”„‘’`]+")  # marks no item opens with
_RULE = re.compile(r"^[-–—_=.\s]{2,}$")  # a line of dashes: a web page's rule, an annex's border
# a dash after an item's `;` inside one line: the list flattened onto a line (a web page's table cell,
# `- Bộ Tư pháp; - Công báo; - Lưu: VT.`); a `;` with no dash after it stays inside its item
_INLINE_ITEM = re.compile(r"(?<=;)\s+[-–—•]\s+")


def parse_recipients(left: Sequence[str]) -> list[str]:
    """Items after `Nơi nhận:`; a wrapped item (no dash, previous not closed by `;`/`.`) is joined, a
    line closed by `;` is an item whose dash OCR lost (also by `,` after a closed item); after the
    archive item (`Lưu: VT, ...`) only dashed lines are items, up to a blank line. Items flattened
    onto one line (`- A; - B; - Lưu: VT.`) are split."""
    items: list[str] = []
    started = blank = False
    for raw in left:
        ln = clean_line(raw)
        if not started:
            if m := NOI_NHAN.match(fkey(ln)):
                started = True
                ln = ln[m.end() :].strip()
                if specks(ln) and not RECIPIENT_ITEM.match(ln):
                    continue  # nothing, or specks beside the heading (`Nơi nhận: A`, `: ee _`): no item is so short
            else:
                continue
        if not ln:
            if items and is_archive_item(items[-1]):
                break  # `Lưu: ...` and a blank line: the list is over (an annex's form may follow)
            blank = True
            continue
        if _RULE.match(ln):
            break  # a line of dashes under the list, where a web page or an annex begins
        if m := RECIPIENT_ITEM.match(ln):
            items.extend(_INLINE_ITEM.split(ln[m.end() :]))
            blank = False
        elif (
            items and not is_closed(items[-1]) and (ln[:1].islower() or (not blank and len(ln.split()) <= 8))
        ):
            items[-1] = f"{items[-1]} {ln}"  # a wrapped item (no item opens with a small letter)
        elif items and is_archive_item(items[-1]):
            break  # after `Lưu: ...` a line without a dash is the page's next text (`Ghi chú`, a heading)
        elif len(ln.split()) <= 12 and (
            ln.endswith(";") or lost_dash_misread(ln, items) or is_archive_item(ln)
        ):
            items.append(ln)  # an item whose dash OCR lost: `Báo Hà Tĩnh;`, `Lưu: VT, UBND.`
            blank = False
        else:
            break
    # no item opens with a mark (`: Lưu: VT`, `- - Công báo`: a speck read beside the dash)
    items = [_OPENING_SPECKS.sub("", i).rstrip(";.,: ") for i in items]
    return [i for i in items if i]


def is_closed(item: str) -> bool:
    """The item's line ends it (`;`, or the list's closing `.`); else it goes on on the next line."""
    return item.rstrip().endswith(_CLOSED)


def lost_dash_misread(line: str, items: list[str]) -> bool:
    """`Văn phòng Chính phủ,` after `...thành phố;` (or first under the heading): an item that lost its
    dash and its `;` to OCR. Only after a closed item: after an open one the line is the item's wrapped
    end."""
    return line.endswith(_MISREAD_SEMICOLON) and (not items or is_closed(items[-1]))


def is_archive_item(item: str) -> bool:
    """`Lưu: VT, UBND` (its dash as OCR read it, or none; its label misread too): the list's last item."""
    return bool(_ARCHIVE.match(fkey(RECIPIENT_ITEM.sub("", item.strip()))))


def specks(text: str) -> bool:
    """At most three letters (`: ee _`, `; : i.`, `4q`): what OCR made of a stamp's or a signature's
    marks beside the list, never a recipient, a title or a name."""
    return sum(c.isalpha() for c in text) <= 3
