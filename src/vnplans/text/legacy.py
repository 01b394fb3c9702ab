"""Legacy 8-bit Vietnamese encodings (TCVN3/ABC and VNI-Windows) to Unicode NFC, and back.

Text from old .doc/.pdf files typed with `.VnTime` (TCVN3) or `VNI-Times` (VNI) fonts usually reaches
us as the font's byte codes read as cp1252/latin-1: `Uû ban nh©n d©n` (TCVN3) or `UÛy ban nhaân daân`
(VNI). Both the mis-decoded strings and raw bytes are handled here.

TCVN3 (TCVN 5712 VN3) has codes only for lower-case toned vowels; upper-case ones were typed with the
`.VnTimeH` fonts using the same codes, so their case is guessed from the word and the line. The
upper-case slots of the fuller VN1 table are decoded too when they cannot be ordinary punctuation.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .syllable import is_valid_syllable, nfc

__all__ = [
    "LEGACY_ENCODINGS",
    "LegacyGuess",
    "detect_legacy",
    "guess_legacy",
    "convert_legacy",
    "convert_legacy_mapped",
    "encode_legacy",
    "encode_legacy_bytes",
    "decode_legacy_bytes",
    "bytes_as_cp1252",
    "nfc_mapped",
]

LEGACY_ENCODINGS = ("tcvn3", "vni")

# Vowel order in the tone tables below: ngang, sắc, huyền, hỏi, ngã, nặng.
_TONE_COMBINING = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
_BASES = ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y")


def _toned(base: str, tone: int) -> str:
    return unicodedata.normalize("NFC", base + _TONE_COMBINING[tone])


# ---------------------------------------------------------------------------------------------------
# TCVN3 (ABC): one byte per letter. Codes for sắc, huyền, hỏi, ngã, nặng of each lower-case vowel.
_TCVN3_TONED = {
    "a": "\xb8\xb5\xb6\xb7\xb9",
    "ă": "\xbe\xbb\xbc\xbd\xc6",
    "â": "\xca\xc7\xc8\xc9\xcb",
    "e": "\xd0\xcc\xce\xcf\xd1",
    "ê": "\xd5\xd2\xd3\xd4\xd6",
    "i": "\xdd\xd7\xd8\xdc\xde",
    "o": "\xe3\xdf\xe1\xe2\xe4",
    "ô": "\xe8\xe5\xe6\xe7\xe9",
    "ơ": "\xed\xea\xeb\xec\xee",
    "u": "\xf3\xef\xf1\xf2\xf4",
    "ư": "\xf8\xf5\xf6\xf7\xf9",
    "y": "\xfd\xfa\xfb\xfc\xfe",
}
_TCVN3_PLAIN = {
    "ă": "\xa8",
    "â": "\xa9",
    "ê": "\xaa",
    "ô": "\xab",
    "ơ": "\xac",
    "ư": "\xad",
    "đ": "\xae",
    "Ă": "\xa1",
    "Â": "\xa2",
    "Ê": "\xa3",
    "Ô": "\xa4",
    "Ơ": "\xa5",
    "Ư": "\xa6",
    "Đ": "\xa7",
}
# VN1 upper-case toned vowels (byte -> letter); C0 bytes are written as control characters.
_VN1_UPPER = dict(
    zip(
        "\x01\x02\x04\x05\x06\x11\x12\x13\x14\x15\x16\x17"
        "\x80\x81\x82\x83\x84\x85\x86\x87\x88\x89\x8a\x8b\x8c\x8d\x8e\x8f"
        "\x90\x91\x92\x93\x94\x95\x96\x97\x98\x99\x9a\x9b\x9c\x9d\x9e\x9f"
        "\xaf\xba\xbf\xc0\xc1\xc2\xc3\xc4\xc5\xcd\xd9\xda\xdb\xe0\xf0\xff",
        "ÚỤỪỬỮỨỰỲỶỸÝỴÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨẰẲẴẮẦẨẪẤỀỂỄẾỒỔỖỐ",
        strict=True,
    )
)
_TCVN3_DECODE: dict[str, str] = {}  # code -> letter, lower-case for toned vowels
for _b, _codes in _TCVN3_TONED.items():
    for _t, _c in enumerate(_codes, start=1):
        _TCVN3_DECODE[_c] = _toned(_b, _t)
for _u, _c in _TCVN3_PLAIN.items():
    _TCVN3_DECODE[_c] = _u
_TCVN3_CASELESS = frozenset(c for codes in _TCVN3_TONED.values() for c in codes)
_TCVN3_ENCODE = {v: k for k, v in _TCVN3_DECODE.items()}
_VN1_ENCODE = {v: k for k, v in _VN1_UPPER.items()}

# cp1252 glyphs of bytes 0x80-0x9f (and 0x81, 0x8d, 0x8f, 0x90, 0x9d, undefined there, as C1 controls).
_CP1252_HIGH = {b: bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0xA0)}
_BYTES_AS_CP1252 = {b: ch for b, ch in _CP1252_HIGH.items() if ch != chr(b)}
# A VN1 upper-case letter seen as a cp1252 glyph, e.g. “ for Ỏ: decoded only inside a word.
_VN1_GLYPH = {_CP1252_HIGH[ord(k)]: v for k, v in _VN1_UPPER.items() if "\x80" <= k <= "\x9f"}
_VN1_GLYPH.update({k: v for k, v in _VN1_UPPER.items() if k >= "\xa0"})
_VN1_SURE = {k: v for k, v in _VN1_UPPER.items() if k < "\xa0"}  # control characters: never real text
_COMMON_PUNCT = set("‘’“”–—…•\xa0")  # the glyphs a VN1 slot shares with everyday punctuation

# ---------------------------------------------------------------------------------------------------
# VNI-Windows: a base letter followed by a mark character; i-vowels, ơ, ư, đ and ỵ have single codes.
_VNI_TONE = ("", "ù", "ø", "û", "õ", "ï")  # sắc, huyền, hỏi, ngã, nặng (lower-case forms)
_VNI_CIRC = ("â", "á", "à", "å", "ã", "ä")  # circumflex, then circumflex + tone
_VNI_BREVE = ("ê", "é", "è", "ú", "ü", "ë")  # breve, then breve + tone
_VNI_I = ("i", "í", "ì", "æ", "ó", "ò")
_VNI_SINGLE = {"ơ": "ô", "ư": "ö", "đ": "ñ", "Ơ": "Ô", "Ư": "Ö", "Đ": "Ñ", "ỵ": "î", "Ỵ": "Î"}


def _vni_tables() -> tuple[dict[str, str], dict[str, str]]:
    """VNI sequence -> Unicode letter, and Unicode letter -> VNI sequence (upper and lower case)."""
    enc: dict[str, str] = {}
    for base in _BASES:
        for tone in range(6):
            uni = _toned(base, tone)
            if base == "i":
                seq = _VNI_I[tone]
            elif base == "y" and tone == 5:
                seq = "î"
            elif base in ("â", "ê", "ô"):
                seq = base.translate(str.maketrans("âêô", "aeo")) + _VNI_CIRC[tone]
            elif base == "ă":
                seq = "a" + _VNI_BREVE[tone]
            elif base in ("ơ", "ư"):
                seq = _VNI_SINGLE[base] + _VNI_TONE[tone]
            else:
                seq = base + _VNI_TONE[tone]
            enc[uni] = seq
            enc[uni.upper()] = seq.upper()
    enc["đ"], enc["Đ"] = "ñ", "Ñ"
    dec = {seq: uni for uni, seq in enc.items()}
    # Mixed-case sequences (upper base, lower mark and back) occur after case changes.
    for seq, uni in list(dec.items()):
        if len(seq) == 2:
            dec.setdefault(seq[0] + seq[1].swapcase(), uni)
    return dec, enc


_VNI_DECODE, _VNI_ENCODE = _vni_tables()
_VNI_MARKS = frozenset(s[1] for s in _VNI_DECODE if len(s) == 2)
_VNI_SINGLES = {s: u for s, u in _VNI_DECODE.items() if len(s) == 1 and not s.isascii()}


# ---------------------------------------------------------------------------------------------------
def bytes_as_cp1252(data: bytes) -> str:
    """Bytes as Windows would show them (cp1252, undefined bytes kept as C1 controls): never fails."""
    return data.decode("latin-1").translate(_BYTES_AS_CP1252)


def _is_letterish(ch: str, codes: frozenset[str] | dict[str, str]) -> bool:
    return ch.isalpha() or ch in codes


def _decode_tcvn3(text: str) -> tuple[list[str], list[int], list[bool]]:
    """Char-level TCVN3 decoding: output pieces, their source index, and 'case unknown' flags."""
    out: list[str] = []
    src: list[int] = []
    amb: list[bool] = []
    n = len(text)
    for i, ch in enumerate(text):
        if ch in _TCVN3_DECODE:
            out.append(_TCVN3_DECODE[ch])
            amb.append(ch in _TCVN3_CASELESS)
        elif ch in _VN1_SURE:
            out.append(_VN1_SURE[ch])
            amb.append(False)
        elif ch in _VN1_GLYPH:
            prev_l = i > 0 and _is_letterish(text[i - 1], _TCVN3_DECODE)
            next_l = i + 1 < n and _is_letterish(text[i + 1], _TCVN3_DECODE)
            inside = prev_l and next_l
            edge = (prev_l or next_l) and ch not in _COMMON_PUNCT and not ch.isalpha()
            # Latin-1 letters in the VN1 slots (À Á Â Ã Ä Å Í Ù Ú Û à ð ÿ) read as upper-case letters.
            if inside or edge or (ch.isalpha() and (prev_l or next_l)):
                out.append(_VN1_GLYPH[ch])
            else:
                out.append(ch)
            amb.append(False)
        elif ch == "\u03bc":  # µ (0xb5, à) after NFKC normalisation
            out.append("à")
            amb.append(True)
        else:
            out.append(ch)
            amb.append(False)
        src.append(i)
    return out, src, amb


_SENT_END = ".!?:"


def _resolve_case(out: list[str], amb: list[bool]) -> None:
    """Guess the case of TCVN3 toned vowels (lower-case codes also served `.VnTimeH` capitals)."""
    n = len(out)
    # Case evidence per line: known letters outside the ambiguous ones.
    line_of = [0] * n
    line_caps: list[tuple[int, int]] = []
    up = low = 0
    line = 0
    for i, ch in enumerate(out):
        if ch == "\n":
            line_caps.append((up, low))
            up = low = 0
            line += 1
        elif ch.isalpha() and not amb[i]:
            if ch.isupper():
                up += 1
            elif ch.islower():
                low += 1
        line_of[i] = line
    line_caps.append((up, low))
    i = 0
    while i < n:
        if not out[i].isalpha():
            i += 1
            continue
        j = i
        while j < n and out[j].isalpha():
            j += 1
        if any(amb[i:j]):
            _case_word(out, amb, i, j, line_caps[line_of[i]])
        i = j


def _case_word(out: list[str], amb: list[bool], i: int, j: int, caps: tuple[int, int]) -> None:
    known = [out[k] for k in range(i, j) if not amb[k]]
    k_up = sum(c.isupper() for c in known)
    k_low = len(known) - k_up
    line_up, line_low = caps
    line_caps = line_up >= 3 and line_up >= 9 * line_low
    if known and k_low == 0 and (k_up >= 2 or line_caps or (k_up == 1 and not out[i].isupper())):
        upper_all = True  # THÊY-like word, or capitals around a lone ambiguous initial
    elif not known and line_caps:
        upper_all = True
    else:
        upper_all = False
    if upper_all:
        for k in range(i, j):
            if amb[k]:
                out[k] = out[k].upper()
        return
    if amb[i] and _sentence_start(out, i):
        out[i] = out[i].upper()


def _sentence_start(out: list[str], i: int) -> bool:
    k = i - 1
    while k >= 0 and (out[k].isspace() or out[k] in "\"'“‘(-–•*"):
        k -= 1
    return k < 0 or out[k] in _SENT_END


def _decode_vni(text: str) -> tuple[list[str], list[int]]:
    out: list[str] = []
    src: list[int] = []
    i, n = 0, len(text)
    while i < n:
        pair = text[i : i + 2]
        if len(pair) == 2 and pair[1] in _VNI_MARKS and pair in _VNI_DECODE:
            out.append(_VNI_DECODE[pair])
            src.append(i)
            i += 2
            continue
        ch = text[i]
        out.append(_VNI_SINGLES.get(ch, ch))
        src.append(i)
        i += 1
    return out, src


def convert_legacy_mapped(text: str, encoding: str) -> tuple[str, list[int]]:
    """Convert, and give for each output character the index of the input character it came from."""
    if encoding == "tcvn3":
        out, src, amb = _decode_tcvn3(text)
        _resolve_case(out, amb)
    elif encoding == "vni":
        out, src = _decode_vni(text)
    else:
        raise ValueError(f"unknown legacy encoding {encoding!r}; expected one of {LEGACY_ENCODINGS}")
    return nfc_mapped(out, src)


def nfc_mapped(pieces: list[str], src: list[int]) -> tuple[str, list[int]]:
    """NFC of `"".join(pieces)` with each output character mapped to its piece's source index.

    A combining mark composes into the cluster before it, so the cluster keeps its first source.
    """
    joined = "".join(pieces)
    if len(joined) == len(pieces) and nfc(joined) == joined:
        return joined, list(src)
    clusters: list[list] = []  # [text, source]
    for piece, s in zip(pieces, src, strict=True):
        for ch in piece:
            if clusters and unicodedata.combining(ch):
                clusters[-1][0] += ch
            else:
                clusters.append([ch, s])
    text: list[str] = []
    out_src: list[int] = []
    for chunk, s in clusters:
        c = nfc(chunk)
        text.append(c)
        out_src.extend([s] * len(c))
    return "".join(text), out_src


def convert_legacy(text: str, encoding: str) -> str:
    """Convert mis-decoded TCVN3 (`encoding="tcvn3"`) or VNI (`"vni"`) text to Unicode NFC."""
    return convert_legacy_mapped(text, encoding)[0]


def decode_legacy_bytes(data: bytes, encoding: str) -> str:
    """Raw bytes of a TCVN3/VNI file to Unicode NFC."""
    return convert_legacy(bytes_as_cp1252(data), encoding)


def encode_legacy(text: str, encoding: str, *, upper: str = "abc") -> str:
    """Unicode to the legacy form as it looks when mis-decoded (for tests, benchmarks, simulation).

    TCVN3 capitals with a tone are written with the lower-case code (`.VnTimeH` usage) unless
    `upper="vn1"`, which uses the VN1 upper-case slots.
    """
    text = nfc(text)
    if encoding == "vni":
        return "".join(_VNI_ENCODE.get(c, c) for c in text)
    if encoding != "tcvn3":
        raise ValueError(f"unknown legacy encoding {encoding!r}; expected one of {LEGACY_ENCODINGS}")
    out = []
    for c in text:
        if c in _TCVN3_ENCODE:
            out.append(_TCVN3_ENCODE[c])
        elif upper == "vn1" and c in _VN1_ENCODE:
            out.append(_CP1252_HIGH.get(ord(_VN1_ENCODE[c]), _VN1_ENCODE[c]))
        elif c.lower() in _TCVN3_ENCODE:
            out.append(_TCVN3_ENCODE[c.lower()])
        else:
            out.append(c)
    return "".join(out)


def encode_legacy_bytes(text: str, encoding: str, *, upper: str = "abc") -> bytes:
    """Unicode to the bytes a legacy-font file holds; characters outside cp1252 become '?'."""
    s = encode_legacy(text, encoding, upper=upper)
    buf = bytearray()
    for c in s:
        o = ord(c)
        if o < 0x80 or 0xA0 <= o < 0x100:
            buf.append(o)
        else:
            try:
                buf += c.encode("cp1252")
            except UnicodeEncodeError:
                buf += b"?"
    return bytes(buf)


# ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class LegacyGuess:
    """Which legacy encoding the text looks like; `score` 0..1, per-encoding scores in `scores`."""

    encoding: str | None
    score: float
    scores: dict[str, float] = field(default_factory=dict)
    evidence: int = 0  # words that only make sense after conversion


_CHUNK = re.compile(r"\S+")
_LETTERS = re.compile(r"[^\W\d_]+")
_EDGE = "\"'()[]{}<>,.;:!?“”‘’-–—…"


def _words_valid(s: str) -> tuple[int, int]:
    words = _LETTERS.findall(s)
    return sum(is_valid_syllable(w.lower()) for w in words), len(words)


def _chunk_valid(s: str) -> bool:
    ok, n = _words_valid(s)
    return n > 0 and ok == n


def guess_legacy(text: str, *, max_chunks: int = 4000) -> LegacyGuess:
    """Score TCVN3 and VNI by how many odd-looking words become valid syllables once converted.

    Words already valid Unicode Vietnamese (and words outside latin-1, like `được`) count against
    both, so ordinary Unicode text with a few `©`/`é` characters is not taken for a legacy font.
    """
    candidates: list[str] = []
    unicode_viet = plain = 0
    for m in _CHUNK.finditer(text):
        c = m.group().strip(_EDGE)
        if not c:
            continue
        if c.isascii():
            plain += len(c) > 1 and c.isalpha()
            continue
        if any(ord(ch) > 0xFF and ch not in _VN1_GLYPH for ch in c):
            if _chunk_valid(c):
                unicode_viet += 1
            continue
        candidates.append(c)
        if len(candidates) >= max_chunks:
            break
    if not candidates:
        return LegacyGuess(None, 0.0, {e: 0.0 for e in LEGACY_ENCODINGS})
    before = [_chunk_valid(c) for c in candidates]
    scores: dict[str, float] = {}
    gains: dict[str, int] = {}
    for enc in LEGACY_ENCODINGS:
        gain = loss = stuck = 0
        for c, ok in zip(candidates, before, strict=True):
            after = _chunk_valid(convert_legacy(c, enc))
            gain += after and not ok
            loss += ok and not after
            stuck += not ok and not after
        gains[enc] = gain
        # Legacy text has marked words as often as Unicode text (most of them); OCR garble with a
        # few é/ô that happen to convert has mostly plain words, hence the share factor.
        share = min(1.0, len(candidates) / (0.45 * (len(candidates) + plain)))
        scores[enc] = round(share * gain / (gain + loss + unicode_viet + 0.5 * stuck + 1), 4)
    best = max(LEGACY_ENCODINGS, key=lambda e: scores[e])
    score = scores[best]
    if score < 0.45 or gains[best] < 1:
        return LegacyGuess(None, score, scores, gains[best])
    return LegacyGuess(best, score, scores, gains[best])


def detect_legacy(text: str) -> str | None:
    """`"tcvn3"`, `"vni"` or None; see `guess_legacy` for the score."""
    return guess_legacy(text).encoding
