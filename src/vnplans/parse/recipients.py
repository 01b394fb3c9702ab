"""`Nơi nhận:` and its dash list (the last item is usually `Lưu: VT, ...`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .common import clean_line, fkey

__all__ = ["RECIPIENT_ITEM", "parse_recipients"]

_NOI_NHAN = re.compile(r"^\W{0,3}n\w{1,2}i\s*nh\w{1,3}n\s*:?\s*")
RECIPIENT_ITEM = re.compile(r"^[-–—~+•*·]\s*")  # the dash before a recipient, as OCR reads it


def parse_recipients(left: Sequence[str]) -> list[str]:
    """Items after `Nơi nhận:`; a wrapped item (no dash, previous not closed by `;`/`.`) is joined, a
    line closed by `;` after a closed item is an item whose dash OCR lost."""
    items: list[str] = []
    started = blank = False
    for raw in left:
        ln = clean_line(raw)
        if not started:
            if m := _NOI_NHAN.match(fkey(ln)):
                started = True
                ln = ln[m.end() :].strip()
                if not ln:
                    continue
            else:
                continue
        if not ln:
            blank = True
            continue
        if m := RECIPIENT_ITEM.match(ln):
            items.append(ln[m.end() :])
            blank = False
        elif items and not blank and not items[-1].rstrip().endswith((";", ".")) and len(ln.split()) <= 8:
            items[-1] = f"{items[-1]} {ln}"
        elif ln.endswith(";") and len(ln.split()) <= 12:  # an item whose dash OCR lost: `Báo Hà Tĩnh;`
            items.append(ln)
            blank = False
        else:
            break
    return [i.strip().rstrip(";.,").strip() for i in items if i.strip(" ;.,")]
