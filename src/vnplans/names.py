"""File names as the user has them, shown and reused safely.

POSIX names are bytes: one that is not valid UTF-8 (`m\\xff.txt`) reaches Python as a str with lone
surrogates, which opens fine but cannot be written into JSON, CSV or a UTF-8 terminal. Such names are
shown with the bad bytes as `\\xff` and turned into output stems with `%FF`. Stems are also kept short
enough that the stem, a suffix and our temporary-file decoration fit the usual 255-byte name limit.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

__all__ = ["display", "safe_stem", "short_temp_name", "MAX_STEM_BYTES"]

# 255-byte file-name limit (ext4, XFS, btrfs) minus room for ".json" and the temp-file decoration
MAX_STEM_BYTES = 180


def display(path: str | os.PathLike[str] | bytes) -> str:
    """`path` as a str that always encodes to UTF-8: undecodable bytes are shown as `\\xNN`."""
    raw = os.fsencode(path)
    return raw.decode("utf-8", "backslashreplace")


def safe_stem(stem: str, limit: int = MAX_STEM_BYTES) -> str:
    """An output stem that is valid UTF-8 and at most `limit` bytes; a cut one ends in a hash of the whole."""
    raw = os.fsencode(stem) if isinstance(stem, str) else stem
    text = "".join(_stem_char(ch) for ch in raw.decode("utf-8", "surrogateescape").replace("/", "_"))
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    digest = hashlib.sha1(raw).hexdigest()[:10]
    head = encoded[: limit - len(digest) - 1].decode("utf-8", "ignore")  # never half a character
    return f"{head}-{digest}"


def _stem_char(ch: str) -> str:
    if 0xDC80 <= ord(ch) <= 0xDCFF:  # an undecodable byte
        return f"%{ord(ch) - 0xDC00:02X}"
    return ch if ch.isprintable() else f"%{ord(ch):02X}"


def short_temp_name(path: Path, decoration: str) -> str:
    """The hidden temp name for `path`: `.<name><decoration>`, its name cut so the whole fits 255 bytes."""
    name = path.name
    room = 255 - 1 - len(os.fsencode(decoration))
    raw = os.fsencode(name)
    if len(raw) > room:
        name = os.fsdecode(raw[: max(room, 1)])
    return f".{name}{decoration}"
