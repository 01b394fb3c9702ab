"""Input type from content (magic bytes), so a scan saved as `.pdf.txt` or without a suffix still loads.

The extension is only a tie-breaker for text: binary formats are always recognised by their
signature, and a file with NUL bytes and no known signature is refused rather than guessed.
"""

from __future__ import annotations

__all__ = ["IMAGE_KINDS", "TEXT_SUFFIXES", "claimed_kind", "detect_kind"]

IMAGE_KINDS = frozenset({"png", "jpeg", "tiff", "webp", "bmp", "gif"})

TEXT_SUFFIXES = (".txt", ".text", ".md", ".csv", ".tsv")
_SUFFIX_KINDS = {
    ".pdf": "pdf", ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".jpe": "jpeg", ".tif": "tiff",
    ".tiff": "tiff", ".webp": "webp", ".bmp": "bmp", ".gif": "gif",
}  # fmt: skip


def claimed_kind(name: str) -> str | None:
    """The supported type a file's suffix claims (`text` for .txt and the like; None for unknown ones)."""
    if name.lower().endswith(TEXT_SUFFIXES):
        return "text"
    dot = name.rfind(".")
    return _SUFFIX_KINDS.get(name[dot:].lower()) if dot >= 0 else None


def detect_kind(head: bytes, name: str = "") -> str | None:
    """Kind of a file from its first bytes (>= 16 useful): pdf | png | jpeg | tiff | webp | bmp | gif | text.

    None when the content is binary and unknown.
    """
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:  # PDF allows junk before the header
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):  # classic and BigTIFF
        return "tiff"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:2] == b"BM" and len(head) >= 26:
        return "bmp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if _looks_textual(head) or (name.lower().endswith(TEXT_SUFFIXES) and b"\x00" not in head[:4096]):
        return "text"
    return None


def _looks_textual(head: bytes) -> bool:
    """UTF-16 with a BOM, or bytes without NULs and few control characters (any 8-bit encoding)."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    sample = head[:8192]
    if not sample or b"\x00" in sample:
        return False
    # TCVN3 (VN1) puts some capitals on C0 codes, so allow a few control bytes
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls <= len(sample) // 20
