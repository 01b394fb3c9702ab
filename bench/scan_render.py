"""A real document printed the Decree 30 way and scanned: 200-dpi 1-bit pages for `bench_headers`.

The header and signature are laid out from the document's own printed strings (its expected header:
issuing body wrapped as a column wraps it, its number label, its place-and-date line as the text prints
it, type, title, signer block with any rank, its own `Nơi nhận` list), the body from its first and
last paragraphs, through `vnplans.synth.document.render_document`; the page is then lightly degraded
(`vnplans.synth.degrade`: blur, noise, specks, a small skew, chosen by seed) and thresholded to 1 bit,
as office scanners deliver archive pages.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from PIL import Image

from vnplans.synth.degrade import degrade
from vnplans.synth.document import render_document
from vnplans.synth.plans import Paragraph, PlanDoc

DPI = 200
RECIPIENT_WIDTH = 38  # characters of 11-pt Times that fit the Nơi nhận column (45 % of the text width)
_DATE = re.compile(r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}", re.I)
_LABEL = re.compile(r"((?:Luật|Nghị quyết|Pháp lệnh|Lệnh)\s+)?[Ss][ốỐ]\s*:?\s*$")
_MARK = re.compile(r"(?=\b(?:TM|KT|TL|TUQ|Q)\s?\.)")
_SECOND_OFFICE = re.compile(
    r"\s(?=(?:PHÓ|THỨ TRƯỞNG|CHỦ TỊCH|BỘ TRƯỞNG|THỦ TƯỚNG|VỤ TRƯỞNG|CỤC TRƯỞNG|CHÁNH VĂN PHÒNG|GIÁM ĐỐC)\b)"
)


def _plain(line: str) -> str:
    s = line.replace("&nbsp;", " ").replace("\u00a0", " ")
    s = re.sub(r"^[>\s#]+", "", s)
    s = re.sub(r"(?<!\w)[*_]{1,3}|[*_]{1,3}(?!\w)", " ", s)
    return " ".join(s.split())


def _wrap(text: str, width: int) -> list[str]:
    out: list[str] = []
    for w in text.split():
        if out and len(out[-1]) + 1 + len(w) <= width:
            out[-1] += " " + w
        else:
            out.append(w)
    return out


def _recipient_lines(items: list[str] | None) -> list[str]:
    """`Nơi nhận:` and the document's own list, `;` after each item and `.` after the last, each item
    wrapped as the left column wraps it (11 pt in 45 % of the text width); a document whose list the
    ground truth could not read gets the usual two items."""
    items = items or ["Như trên", "Lưu: VT"]
    lines = ["Nơi nhận:"]
    for i, item in enumerate(items):
        lines += _wrap(f"- {item}{'.' if i == len(items) - 1 else ';'}", RECIPIENT_WIDTH)
    return lines


def _signature_lines(title: str | None, name: str | None, rank: str | None) -> list[str]:
    if not title or not name:
        return []
    lines: list[str] = []
    for piece in (p.strip() for p in _MARK.split(title) if p.strip()):
        # `KT. THỦ TƯỚNG` over `PHÓ THỦ TƯỚNG`: the mark stays with the office it signs for
        mark, _, office = piece.partition(" ") if _MARK.match(piece) else ("", "", piece)
        head, *rest = _SECOND_OFFICE.split(office, maxsplit=1) if mark else [piece]
        lines.append(f"{mark} {head.strip()}".strip())
        lines.extend(r.strip() for r in rest)
    return [*lines, f"{rank} {name}" if rank else name]


def _body(lines: list[str], title: str, name: str | None) -> list[Paragraph]:
    """The first paragraphs after the title and the last ones before the signature (plain lines only)."""
    plain = [_plain(x) for x in lines]
    tail_key = " ".join(title.split()[-3:])
    start = next((i + 1 for i, x in enumerate(plain[:60]) if tail_key and tail_key in x), 0)
    first = [x for i, x in enumerate(plain[start:], start) if x and not lines[i].lstrip().startswith("|")]
    first = [x for x in first if any(c.isalnum() for c in x)][:10]
    last: list[str] = []
    if name:
        at = next((i for i, x in enumerate(lines) if name in x), None)
        if at is not None:
            back = [x for x in plain[max(start, at - 12) : at] if x and not x.isupper() and "|" not in x]
            last = [x for x in back if not x.startswith(("TM.", "KT.", "Nơi nhận", "-", "("))][-3:]
    return [Paragraph(x) for x in first + [x for x in last if x not in first]]


def plan_doc(text: str, expected: dict, notes: dict) -> PlanDoc:
    lines = text.split("\n")
    head = " ".join(_plain(x).replace("|", " ") for x in lines[:12])
    number = expected["number_symbol"]
    label = "Số:"
    at = head.find(number.split("/")[0])
    if at > 0 and (m := _LABEL.search(head[max(0, at - 20) : at])):
        label = (m.group(1) or "") + "số:" if m.group(1) else "Số:"
    pd = _DATE.search(head)
    return PlanDoc(
        authority_lines=_wrap(expected["authority"], 30),
        motto_lines=["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"],
        number_line=f"{label} {number}",
        place_date_line=f"{expected['place']}, {pd.group(0)}" if pd and expected.get("place") else "",
        doc_type=expected["doc_type"].upper(),
        title_lines=[expected["title"]],
        body=_body(lines, expected["title"], expected.get("signer_name")),
        recipients_lines=_recipient_lines(expected.get("recipients")),
        signature_lines=_signature_lines(
            expected.get("signer_title"), expected.get("signer_name"), notes.get("rank")
        ),
    )


def render_scan(text: str, expected: dict, notes: dict, *, seed: int, folder: Path) -> Path:
    """The document as a multi-page 1-bit TIFF at 200 dpi; returns its path."""
    pages = render_document(plan_doc(text, expected, notes), dpi=DPI)
    images = []
    for i, page in enumerate(pages):
        img = degrade(
            page.image.convert("L"),
            seed=seed * 10 + i,
            level="light",
            kinds=["blur", "noise", "speckle", "skew"],
        )
        a = np.asarray(img.convert("L") if isinstance(img, Image.Image) else img)
        images.append(Image.fromarray(((a > 140) * 255).astype(np.uint8)).convert("1"))
    out = folder / "scan.tiff"
    images[0].save(out, save_all=True, append_images=images[1:], dpi=(DPI, DPI), compression="group4")
    return out
