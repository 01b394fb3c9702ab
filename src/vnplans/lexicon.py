"""Shared vocabulary of Vietnamese administrative text: folding, Roman numerals, level words, document types.

Why one home: stages compared words after folding them in several slightly different ways (one lost
`đ`: `Đơn vị` -> `on vi`), and Roman numerals and administrative level words were spelled out in
five and three places. Everything here is a leaf (only `text.syllable` and the packaged dictionaries),
so any stage may import it without pulling in a model, OpenCV or Tesseract.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from .resources import dictionary_entries
from .text.syllable import nfc, strip_diacritics

__all__ = [
    "QUOC_HIEU",
    "TIEU_NGU",
    "RECEIPT_LABELS",
    "RECEIPT_LINE",
    "fold",
    "fkey",
    "fold_words",
    "fold_token",
    "fold_any",
    "TOKEN_PUNCT",
    "RULE_RUN",
    "ROMAN_NUMERAL",
    "ROMAN_SHORT",
    "OCR_ROMAN",
    "roman_to_int",
    "int_to_roman",
    "LEVELS",
    "LEVELS_LOWER",
    "LEVEL_RE",
    "DocType",
    "doc_types",
    "doc_type_by_code",
    "match_doc_type",
]

# --- the fixed lines of every document ----------------------------------------------------------

# Decree 30/2020/NĐ-CP, Appendix I: the national name (Quốc hiệu) and motto (Tiêu ngữ), word for word
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"

# The receipt stamp (`dấu đến`, Decree 30/2020, Appendix) an office puts on every document it receives:
# its printed labels, folded lower, by kind: `CÔNG VĂN ĐẾN` (or `ĐẾN` closing a line), `Giờ ... Ngày ...`,
# `Kính chuyển` / `Chuyển:`, `Số đến`, `Lưu hồ sơ số`. Not the document's text.
RECEIPT_LABELS = {
    "den": r"\bcong\s+van\s+den\b|\bden\s*$",
    "gio": r"^gio\W|\bgio\W{1,6}.{0,12}\bngay\W",
    "chuyen": r"\bkinh\s+chuy\w{1,3}n\b|^chuyen\s*:",
    "so_den": r"^so\s+den\b",
    "luu": r"\bluu\s+ho\s+so\s+so\b",
}
RECEIPT_LINE = re.compile("|".join(RECEIPT_LABELS.values()))  # a line that holds any of them

# --- folding ---------------------------------------------------------------------------------------

fold = strip_diacritics  # every Vietnamese mark off (tones, shapes, đ→d); case and length kept

TOKEN_PUNCT = ".,;:()[]\"'"  # what clings to a word in running text and is not part of it
HYPHENS = frozenset({"-", "–"})  # a word's or a motto's hyphen, as OCR prints it alone between words
ITEM_MARKS = HYPHENS | {"+", "•"}  # what opens a list item (`- Bộ Nội vụ;`, a sub-item's `+`)
# the short rule printed under a header column as OCR reads it: its dashes, maybe a letter OCR saw in it
# (`———————`, `—m————`); never text
RULE_RUN = re.compile(r"(?:[-_—–=~][^\W\d_]?){2,}[-_—–=~]")


def fkey(s: str) -> str:
    """Folded lower-case form, same length as `nfc(s)`: the key words are compared on."""
    return fold(nfc(s)).lower()


def fold_words(s: str) -> str:
    """`fkey` with runs of white space as one space and none at the ends (names, phrases)."""
    return " ".join(fkey(s).split())


def fold_token(s: str) -> str:
    """`fkey` of one word with the punctuation around it stripped (`Hà,` -> `ha`)."""
    return fkey(s).strip(TOKEN_PUNCT)


def fold_any(s: str) -> str:
    """Lower case with every combining mark off, any Latin script (`é` -> `e` too, which `fold` keeps).

    For aligning OCR words with corrected words, where a foreign accent should match its bare letter;
    the length may change (a decomposed letter loses its marks).
    """
    s = unicodedata.normalize("NFD", s.lower()).replace("đ", "d")
    return "".join(ch for ch in s if not unicodedata.combining(ch))


# --- Roman numerals --------------------------------------------------------------------------------

# A well-formed numeral 1..399 (section numbers, quarters); use with `fullmatch`.
ROMAN_NUMERAL = re.compile(r"(?=[IVXLC])C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
# Up to five of I, V, X: what `roman_to_int` accepts before checking the numeral is well formed.
ROMAN_SHORT = re.compile(r"^[IVX]{1,5}$")
# One letter of a numeral as OCR prints it: a serif `I` comes out as `l` or `1`. Deliberately loose,
# for finding headings (`1l. NHIỆM VỤ`); the caller checks the value with `roman_to_int` after mapping.
OCR_ROMAN = "[IVXl1]"
_ROMAN_VAL = {"I": 1, "V": 5, "X": 10}


def roman_to_int(s: str) -> int | None:
    """Value of a well-formed numeral of up to five I/V/X (`IV` -> 4; `IIII`, `VX` -> None)."""
    s = s.upper()
    if not ROMAN_SHORT.match(s):
        return None
    total = 0
    for i, c in enumerate(s):
        v = _ROMAN_VAL[c]
        total += -v if i + 1 < len(s) and _ROMAN_VAL[s[i + 1]] > v else v
    return total if int_to_roman(total) == s else None


def int_to_roman(n: int) -> str:
    """Numeral of 1..39 (`4` -> `IV`); 0 gives an empty string."""
    out = []
    for v, r in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out.append(r)
            n -= v
    return "".join(out)


# --- administrative level words --------------------------------------------------------------------

# Level words that open a unit's name (`Thành phố Hà Nội`, `Xã Tân Lập`), as written in names.
LEVELS = ("Thành phố", "Thị xã", "Thị trấn", "Tỉnh", "Quận", "Huyện", "Xã", "Phường")
# The same in lower case, as the gazetteer and running text write them (`thị xã` before `xã`: a
# phrase is tried before its last word).
LEVELS_LOWER = ("thành phố", "thị trấn", "thị xã", "tỉnh", "huyện", "quận", "phường", "xã")
# A level word at the start of a folded (`fkey`) name.
LEVEL_RE = re.compile(r"^(?:thanh pho|thi xa|thi tran|tinh|quan|huyen|xa|phuong)\s+", re.I)


# --- document types (Decree 30) --------------------------------------------------------------------


@dataclass(frozen=True)
class DocType:
    name: str
    code: str
    group: str


_FALLBACK_TYPES = (("Kế hoạch", "KH", "administrative"), ("Quyết định", "QĐ", "administrative"))


@cache
def doc_types() -> tuple[DocType, ...]:
    """Decree 30 types (dictionaries/doc_types.tsv); longest names first so prefixes never win."""
    rows: list[DocType] = []
    try:
        for line in dictionary_entries("doc_types.tsv"):
            parts = (line.split("\t") + ["", ""])[:3]
            rows.append(
                DocType(nfc(parts[0].strip()), parts[1].strip(), parts[2].strip() or "administrative")
            )
    except OSError:
        rows = [DocType(*r) for r in _FALLBACK_TYPES]
    return tuple(sorted(rows, key=lambda d: -len(d.name)))


def doc_type_by_code(code: str | None) -> DocType | None:
    """The type of a symbol's code (`KH`, `QĐ`; `QD` as OCR or ASCII writes it)."""
    if not code:
        return None
    for d in doc_types():
        if d.code and d.code == code:
            return d
    folded = fold(code).upper()
    for d in doc_types():
        if d.code and fold(d.code).upper() == folded:
            return d
    return None


def match_doc_type(text: str, *, whole: bool = False) -> DocType | None:
    """The type a phrase starts with (`whole`: the phrase is only the type name), on folded words."""
    key = fold_words(text)
    for d in doc_types():
        name = fkey(d.name)
        if key == name or (not whole and key.startswith(name + " ")):
            return d
    return None
