"""The closing block: signer authority marks (TM./KT./Q./TL./TUQ.), titles, name, digital signature.

In linear text the signature column is often interleaved with the `Nơi nhận` column on the same lines,
so the trailer is split into a left stream (recipients) and a right stream (signature) first.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from ..models import DigitalSignature, Signature
from .common import clean_line, fkey

__all__ = ["find_trailer", "split_trailer", "parse_signature", "parse_digital"]

_MODE = re.compile(r"(?<![A-Za-z])(TM|KT|TUQ|TL|Q)\s?\.{1,2}\s*")
_NOI_NHAN = re.compile(r"^\W{0,3}n\w{1,2}i\s*nh\w{1,3}n\s*:?")
_ISO = re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(\s*(?:[+-]\d{2}:?\d{2}|Z))?")
_EMAIL = re.compile(r"<?([\w.+-]+@[\w-]+(?:\.[\w-]+)+)>?")
_SIGNED = re.compile(r"d\w?\s*k\w?\s*l\w{0,2}n\s*v\w{0,2}n\s*b\w{0,2}n")
_SIGNER_LABEL = re.compile(r"^(?:nguoi ky|ky boi|signed by)\s*:\s*", re.I)
_SIGNER_TITLE = re.compile(
    r"^(?:pho |q\. )?(?:chu tich|giam doc|tong giam doc|truong ban|chanh van phong|bo truong|thu truong|"
    r"cuc truong|chi cuc truong|vien truong|hieu truong|truong phong|chanh thanh tra|bi thu|thu truong co quan)$"
)
_NAME = re.compile(r"^[A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*){1,5}$")


def find_trailer(lines: Sequence[str], start: int) -> int:
    """Index of the first line of `Nơi nhận`/signature at or after `start` (len(lines) if none)."""
    for i in range(start, len(lines)):
        ln = clean_line(lines[i])
        if _NOI_NHAN.match(fkey(ln)) or _MODE.match(ln) or (ln.isupper() and _SIGNER_TITLE.match(fkey(ln))):
            return i
    return len(lines)


def split_trailer(lines: Sequence[str]) -> tuple[list[str], list[str]]:
    """(left column lines, right column lines) of the trailer."""
    left: list[str] = []
    right: list[str] = []
    for raw in lines:
        ln = clean_line(raw)
        if not ln:
            left.append("")
            continue
        parts = [p.strip() for p in re.split(r"\s{3,}|\t+", ln) if p.strip()]
        if len(parts) == 1 and _NOI_NHAN.match(fkey(ln)) and (m := _MODE.search(ln, 4)):
            parts = [ln[: m.start()].strip(), ln[m.start() :].strip()]
        if len(parts) >= 2:
            left.append(parts[0])
            right.append(" ".join(parts[1:]))
        elif _NOI_NHAN.match(fkey(ln)) or re.match(r"^[-–+•]", ln):
            left.append(ln)
        else:
            right.append(ln)
    return left, right


def parse_digital(text: str) -> DigitalSignature | None:
    """`2022-12-20T10:51:25+0700`, signer, `<email>` `đã ký lên văn bản này!` wherever they appear."""
    m = _ISO.search(text)
    lines = [clean_line(x) for x in text.splitlines()]
    sig_line = next((i for i, x in enumerate(lines) if _SIGNED.search(fkey(x))), None)
    if not m and sig_line is None:
        return None
    d = DigitalSignature()
    if m:
        stamp = m.group(1) + "T" + m.group(2) + (m.group(3) or "").strip()
        try:
            d.signed_at = dt.datetime.fromisoformat(stamp)
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


def parse_signature(right: Sequence[str]) -> Signature:
    """Authority marks, upper-case titles and the signer's name from the signature column."""
    sig = Signature()
    in_stamp = False
    for raw in right:
        ln = clean_line(raw)
        if _ISO.search(ln):
            in_stamp = True
        if not ln or in_stamp or "@" in ln:
            in_stamp = in_stamp and not _SIGNED.search(fkey(ln))
            continue
        m = _MODE.match(ln)
        if m:
            sig.modes.append(m.group(1))  # type: ignore[arg-type]
            ln = ln[m.end() :].strip(" _.")
        if not ln:
            continue
        letters = [c for c in ln if c.isalpha()]
        if letters and all(c.isupper() for c in letters) and (m or not sig.name):
            if sig.name is None:
                sig.titles.append(ln)
            continue
        if sig.titles and sig.name is None and _NAME.match(ln):
            sig.name = ln
    sig.mode = sig.modes[0] if sig.modes else None
    return sig
