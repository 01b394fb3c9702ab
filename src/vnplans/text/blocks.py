"""Long texts in pieces: `restore` of a whole archive file must not hold every word's lattice at once.

Fixing text keeps per-word state (candidates, confidences) for everything it is given, which for a
5 MB file came to 1.5 GB. Cut at paragraph breaks into pieces of about `size` characters, each piece
is fixed and written before the next is read, so memory follows the piece, not the file. A text
shorter than `size` is one piece, fixed exactly as before.
"""

from __future__ import annotations

from collections.abc import Iterator

__all__ = ["BLOCK_CHARS", "text_blocks"]

BLOCK_CHARS = 64 * 1024


def text_blocks(text: str, size: int = BLOCK_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, piece) covering `text` exactly; pieces end after a blank line where there is one, else
    after a line end, else at a space (a line of megabytes), so no word is cut."""
    n, start = len(text), 0
    while n - start > size:
        cut = -1
        for sep, reach in (("\n\n", 4), ("\n", 2), (" ", 1)):
            i = text.find(sep, start + size, start + reach * size)
            if i < 0:
                i = text.rfind(sep, start + 1, start + size)
            if i >= 0:
                cut = i + len(sep)
                break
        if cut <= start:
            cut = start + size  # no space at all in the window: a run of one "word"
        yield start, text[start:cut]
        start = cut
    if start < n or n == 0:
        yield start, text[start:]
