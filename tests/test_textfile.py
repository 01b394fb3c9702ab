"""Text-file decoding: BOMs, UTF-8/16, cp1258, legacy fonts, clear errors."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vnplans.errors import CorruptInput, EmptyInput, InputError, TooLargeInput
from vnplans.ingest import textfile
from vnplans.ingest.textfile import decode_bytes, read_text_file
from vnplans.text.legacy import encode_legacy_bytes
from vnplans.text.syllable import strip_tone

TEXT = "Ủy ban nhân dân thành phố\nKế hoạch triển khai công tác thi đua, khen thưởng năm 2024"
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def cp1258_bytes(text: str) -> bytes:
    """cp1258 keeps shaped vowels precomposed and writes tones as combining marks."""
    out = []
    for c in text:
        marks = [m for m in unicodedata.normalize("NFD", c) if m in TONE_MARKS]
        out.append(strip_tone(c) + "".join(marks))
    return "".join(out).encode("cp1258")


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        TEXT.encode("utf-8-sig"),
        TEXT.encode("utf-16"),
        TEXT.encode("utf-16-le"),
        TEXT.encode("utf-16-be"),
        unicodedata.normalize("NFD", TEXT).encode("utf-8"),
        TEXT.replace("\n", "\r\n").encode("utf-8"),
        cp1258_bytes(TEXT),
        encode_legacy_bytes(TEXT, "tcvn3"),
        encode_legacy_bytes(TEXT, "vni"),
    ],
)
def test_decodes_every_form_to_nfc(data):
    assert decode_bytes(data, "t.txt") == TEXT


def test_errors_are_clear(monkeypatch):
    with pytest.raises(EmptyInput, match="t.txt"):
        decode_bytes(b"", "t.txt")
    with pytest.raises(EmptyInput):
        decode_bytes(b" \r\n\t", "t.txt")
    with pytest.raises(CorruptInput):
        decode_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "img.txt")
    with pytest.raises(CorruptInput):
        decode_bytes(b"abc\x00def\x00" * 50, "nul.txt")
    monkeypatch.setattr(textfile, "MAX_TEXT_BYTES", 100)
    with pytest.raises(TooLargeInput):
        decode_bytes(b"a" * 101, "big.txt")


def test_read_text_file(tmp_path):
    p = tmp_path / "plan.txt"
    p.write_bytes(encode_legacy_bytes(TEXT, "vni"))
    assert read_text_file(p) == TEXT
    with pytest.raises(OSError):
        read_text_file(tmp_path / "missing.txt")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_decode_or_clear_error(data):
    try:
        out = decode_bytes(data, "x")
    except InputError:
        return
    assert "\r" not in out
    assert out == unicodedata.normalize("NFC", out)
