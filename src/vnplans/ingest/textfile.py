"""Plain-text files of any vintage to Unicode NFC with `\\n` line ends.

Order of trust: a BOM (UTF-8/UTF-16), strict UTF-8, BOM-less UTF-16 (NUL-byte pattern), then the
8-bit Vietnamese encodings, chosen by which reading yields the most Vietnamese syllables: cp1258
(Windows Vietnamese, combining tone marks) or the TCVN3/VNI font encodings of old documents.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from ..errors import CorruptInput, EmptyInput, TooLargeInput
from ..text.legacy import LEGACY_ENCODINGS, bytes_as_cp1252, convert_legacy, guess_legacy
from ..text.syllable import is_valid_syllable, nfc

__all__ = ["MAX_TEXT_BYTES", "decode_bytes", "read_text_file"]

MAX_TEXT_BYTES = 50 * 1024 * 1024
_SAMPLE = 256 * 1024  # bytes scored when choosing an 8-bit reading
_WORD = re.compile(r"[^\W\d_]+")
# Control bytes that never occur in text. 0x01-0x17 are left out: TCVN3 (VN1) puts capitals there.
_BINARY = frozenset({0x00, 0x7F, 0x18, 0x19, 0x1C, 0x1D, 0x1E, 0x1F})


def _finish(text: str) -> str:
    return nfc(text.replace("\r\n", "\n").replace("\r", "\n"))


def _utf16_guess(data: bytes) -> str | None:
    """BOM-less UTF-16: mostly-ASCII text has NULs in every other byte."""
    if len(data) < 4 or len(data) % 2:
        return None
    even = data[0::2].count(0) / (len(data) // 2)
    odd = data[1::2].count(0) / (len(data) // 2)
    for enc, ok in (("utf-16-le", odd > 0.3 and even < 0.05), ("utf-16-be", even > 0.3 and odd < 0.05)):
        if ok:
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                return None
    return None


def _printable(text: str) -> bool:
    """At most 1% control, private-use or unassigned characters in the first part of the text."""
    sample = text[:_SAMPLE]
    bad = sum(
        1 for c in sample if c not in "\t\n\r\f" and unicodedata.category(c) in ("Cc", "Cn", "Co", "Cs")
    )
    return bad <= len(sample) // 100


def _looks_binary(data: bytes) -> bool:
    """Control bytes in any part of the file: a PDF or archive may open with a page of plain text."""
    step = 16 * 1024  # small windows: a binary tail after megabytes of text still shows
    for start in range(0, len(data), step):
        sample = data[start : start + step]
        bad = sum(sample.count(bytes([b])) for b in _BINARY)
        if bad > max(2, len(sample) // 200):
            return True
    return False


def _binary_kind(data: bytes) -> str | None:
    """The document type a file's signature declares (PDF, an image), when it is not text."""
    from .detect import detect_kind

    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return None
    kind = detect_kind(data[:1024], "")
    if kind == "pdf":  # the header may follow junk, but then the file must also end like a PDF
        return kind if data.startswith(b"%PDF-") or b"%%EOF" in data[-2048:] else None
    # image headers hold NUL bytes; a text that merely starts with "BM" or "GIF89a" does not
    return kind if kind not in (None, "text") and b"\x00" in data[:64] else None


def _viet_score(text: str) -> float:
    words = _WORD.findall(text[:_SAMPLE])
    if not words:
        return 0.0
    return sum(is_valid_syllable(w.lower()) for w in words) / len(words)


def decode_bytes(data: bytes, name: str) -> str:
    """Decode a text file's bytes; `name` only labels errors. Raises `InputError` subclasses."""
    if len(data) > MAX_TEXT_BYTES:
        raise TooLargeInput(name, f"text file is {len(data) // (1024 * 1024)} MB, over the 50 MB limit")
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise EmptyInput(name, "text file is empty")
    kind = _binary_kind(data)
    if kind is not None:
        raise CorruptInput(name, f"this is a {kind.upper()} file, not text (vnplans ocr / parse read it)")
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return _finish(data.decode(enc))
            except UnicodeDecodeError as e:
                raise CorruptInput(name, f"text starts with a {enc} mark but is not valid {enc}") from e
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        if "\x00" in text or _looks_binary(data):
            raise CorruptInput(name, "file contains NUL or control bytes: binary data, not text")
        return _finish(text)
    utf16 = _utf16_guess(data)
    if utf16 is not None and _printable(utf16):
        return _finish(utf16)
    if _looks_binary(data):
        raise CorruptInput(name, "file looks binary (control bytes), not text")
    text = _decode_8bit(data)
    if not _printable(text):
        raise CorruptInput(name, "file looks binary (control characters), not text")
    return _finish(text)


def _decode_8bit(data: bytes) -> str:
    """cp1258 or a legacy font encoding, whichever reads as more Vietnamese; cp1252 as a last resort."""
    latin = bytes_as_cp1252(data)
    guess = guess_legacy(latin[:_SAMPLE])
    options: list[tuple[float, str]] = [(-1.0, latin)]
    for enc in LEGACY_ENCODINGS:
        if guess.scores.get(enc, 0.0) > 0:
            legacy = convert_legacy(latin, enc)
            options.append((_viet_score(legacy) + (0.01 if enc == guess.encoding else 0.0), legacy))
    try:
        cp1258 = nfc(data.decode("cp1258"))
        options.append((_viet_score(cp1258), cp1258))
    except UnicodeDecodeError:
        pass
    return max(options, key=lambda o: o[0])[1]


def read_text_file(path: str | Path) -> str:
    """Read and decode a text file (see `decode_bytes`)."""
    p = Path(path)
    size = p.stat().st_size  # OSError (missing, unreadable) propagates: the CLI reports it
    if size > MAX_TEXT_BYTES:
        raise TooLargeInput(p, f"text file is {size // (1024 * 1024)} MB, over the 50 MB limit")
    return decode_bytes(p.read_bytes(), str(p))
