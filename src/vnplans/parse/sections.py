"""The body as a tree of numbered parts: `Chương`, `Điều N.`, `I.`, `1.`, `a)` (incl. `đ)`), dashes.

Depth follows the Decree 30 hierarchy (chapter > article > roman > arabic > letter > dash), not
indentation, which linear text loses. Wrapped lines are joined; blank lines separate paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..lexicon import OCR_ROMAN, fkey, roman_to_int
from ..models import Section
from .common import clean_line

__all__ = ["parse_sections", "section_label"]

_RANK = {
    "appendix": -2,
    "part": -1,
    "chapter": 0,
    "section": 0.5,
    "article": 1,
    "roman": 2,
    "arabic": 3,
    "letter": 4,
    "dash": 5,
}
# `Phụ lục I`, `PHỤ LỤC SỐ 02` (an appendix: its own top node); `Phần thứ nhất`, `PHẦN II`; `Mục 1`
_APPENDIX = re.compile(r"^phu\s+luc(?:\s+(?:so\s+)?([IVXLC]+|\d+[a-z]?))?\b\.?\s*", re.I)
_PART = re.compile(r"^phan\s+(thu\s+\w+|[IVXLC]+|\d+)\b\.?\s*", re.I)
_SUBCHAPTER = re.compile(r"^muc\s+(\d+|[IVXLC]+)\b\.?\s*", re.I)
_CHAPTER = re.compile(r"^chuong\s+([IVXLC]+|\d+)\b\.?\s*", re.I)
_ARTICLE = re.compile(r"^dieu\s+(\d{1,3})\s*[.:]\s*", re.I)
_ROMAN = re.compile(rf"^({OCR_ROMAN}{{1,5}})\s*[.)]\s+")  # checked by _roman_label
_ARABIC = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\s*[.)]\s+(?=\S)")
_LETTER = re.compile(r"^([a-zđ])\)\s*")
_DASH = re.compile(r"^[-–—+•]\s+")


def section_label(line: str) -> tuple[str, str, str] | None:
    """(kind, label, rest of line) when the line opens a numbered part."""
    s = clean_line(line)
    k = fkey(s)
    if (m := _APPENDIX.match(k)) and (s[:1].isupper() and (s.split()[0].isupper() or len(s.split()) <= 4)):
        return (
            "appendix",
            ("Phụ lục " + s[m.start(1) : m.end(1)]).strip() if m.group(1) else "Phụ lục",
            s[m.end() :],
        )
    if (m := _PART.match(k)) and s[:1].isupper():
        return "part", "Phần " + s[m.start(1) : m.end(1)], s[m.end() :]
    if (m := _SUBCHAPTER.match(k)) and s[:1].isupper():
        return "section", "Mục " + s[m.start(1) : m.end(1)], s[m.end() :]
    if m := _CHAPTER.match(k):
        return "chapter", "Chương " + s[m.start(1) : m.end(1)], s[m.end() :]
    if m := _ARTICLE.match(k):
        return "article", "Điều " + m.group(1), s[m.end() :]
    if (m := _ROMAN.match(s)) and (r := _roman_label(m.group(1), s[m.end() :])):
        return "roman", r, s[m.end() :]
    if m := _ARABIC.match(s):
        return "arabic", m.group(1), s[m.end() :]
    if m := _LETTER.match(s):
        return "letter", m.group(1), s[m.end() :]
    if _DASH.match(s):
        return "dash", "-", s[_DASH.match(s).end() :]  # type: ignore[union-attr]
    return None


def _roman_label(label: str, rest: str) -> str | None:
    """A roman numeral; OCR's `1`/`l` for `I` only when an upper-case section title follows."""
    if roman_to_int(label):
        return label
    fixed = label.replace("1", "I").replace("l", "I")
    letters = [c for c in rest if c.isalpha()]
    upper = len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)
    return fixed if upper and roman_to_int(fixed) else None


def _rank(node: Section) -> float:
    return _RANK[node.kind] + (0.5 * node.label.count(".") if node.kind == "arabic" else 0)


def _is_title(rest: str, kind: str) -> bool:
    r = rest.strip()
    if not r or kind == "dash":
        return False
    letters = [c for c in r if c.isalpha()]
    upper = bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)
    return upper or (r.endswith(":") and len(r.split()) <= 15) or (kind == "article" and len(r.split()) <= 20)


def _append(node: Section, text: str, new_para: bool) -> None:
    if not text:
        return
    if node.text:
        node.text += ("\n" if new_para else " ") + text
    else:
        node.text = text


def parse_sections(lines: Sequence[str]) -> tuple[list[Section], str]:
    """(tree of sections, text before the first numbered part)."""
    roots: list[Section] = []
    stack: list[Section] = []
    lead = Section(label="", kind="dash", level=0)
    blank = False
    for raw in lines:
        ln = clean_line(raw)
        if not ln:
            blank = True
            continue
        hit = section_label(ln)
        if hit:
            kind, label, rest = hit
            node = Section(label=label, kind=kind, level=0)  # type: ignore[arg-type]
            while stack and _rank(stack[-1]) >= _rank(node):
                stack.pop()
            node.level = len(stack)
            if _is_title(rest, kind):
                node.title = rest.strip().rstrip(":").strip() or None
            else:
                node.text = rest.strip()
            (stack[-1].children if stack else roots).append(node)
            stack.append(node)
        else:
            _append(stack[-1] if stack else lead, ln, blank)
        blank = False
    return roots, lead.text
