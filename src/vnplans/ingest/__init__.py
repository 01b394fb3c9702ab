"""Load any supported input (image, multi-page TIFF, PDF, plain text) as a list of pages.

The type comes from the content, not the name. Every refusal is a `vnplans.errors.InputError`
subclass raised before the first page is produced where possible (header, page count, size), so a
caller never writes half a document. `iter_pages` streams pages for long documents; `load` keeps
them all; `read_pages` streams a page range of a probed document (a worker's share of a split document
probes without hashing); a page reads the same alone as with its whole document.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import CorruptInput, EmptyInput, TooLargeInput, UnsupportedInput
from .detect import IMAGE_KINDS, claimed_kind, detect_kind

__all__ = ["PageInput", "LoadedDocument", "MAX_FILE_BYTES", "load", "iter_pages", "read_pages", "probe"]

MAX_FILE_BYTES = 512 * 1024 * 1024


@dataclass
class PageInput:
    """One page: a text layer, an image for OCR, or both (a PDF page whose text layer is doubtful)."""

    number: int  # 1-based
    text: str | None
    image: np.ndarray | None  # uint8 gray (H, W) or BGR (H, W, 3)
    dpi: int | None
    text_quality: str | None  # text.quality kind of `text`; None when there is no text


@dataclass
class LoadedDocument:
    path: Path
    sha256: str
    kind: str  # pdf | png | jpeg | tiff | webp | bmp | gif | text
    pages: list[PageInput] = field(default_factory=list)
    page_count: int = 0


def _sha256_and_head(path: Path, digest: bool = True) -> tuple[str, bytes, int]:
    h = hashlib.sha256()
    head = b""
    size = 0
    try:
        with path.open("rb") as f:
            if not digest:
                return "", f.read(8192), os.fstat(f.fileno()).st_size
            while chunk := f.read(1 << 20):
                if not head:
                    head = chunk[:8192]
                size += len(chunk)
                h.update(chunk)
    except IsADirectoryError:
        raise UnsupportedInput(path, "is a directory") from None
    except FileNotFoundError:
        raise FileNotFoundError(f"{path}: no such file") from None
    return h.hexdigest(), head, size


def probe(path: str | Path, *, digest: bool = True) -> LoadedDocument:
    """Hash, kind and page count (no pages): every refusal that can be made without decoding pages.

    digest=False skips hashing (sha256 is ""), for a worker reading a few pages of a big file.
    """
    path = Path(path)
    if path.is_file() and path.stat().st_size > MAX_FILE_BYTES:
        raise TooLargeInput(path, f"file is larger than {MAX_FILE_BYTES // 2**20} MiB")
    sha, head, size = _sha256_and_head(path, digest)
    if size == 0:
        raise EmptyInput(path)
    kind = detect_kind(head, path.name)
    if kind is None:
        claimed = claimed_kind(path.name)
        if claimed is not None:  # a damaged file of a type we read is a failure the archivist must see
            what = "text file: it holds binary data" if claimed == "text" else f"{claimed.upper()} file"
            raise CorruptInput(path, f"not a valid {what} (starts with {head[:8]!r})")
        raise UnsupportedInput(path, f"unsupported file type (starts with {head[:8]!r})")
    if kind == "pdf":
        from .pdf import pdf_page_count

        count = pdf_page_count(path)
    elif kind in IMAGE_KINDS:
        from .images import image_page_count

        count = image_page_count(path)
    else:
        count = 1
    return LoadedDocument(path, sha, kind, [], count)


def _text_pages(path: Path, start: int = 0, stop: int | None = None) -> list[PageInput]:
    from .pdf import assess_text

    text = _read_text(path)
    parts = text.split("\f") if "\f" in text else [text]
    if not any(p.strip() for p in parts):
        raise EmptyInput(path, "text file has no text")
    return [PageInput(i + 1, p, None, None, assess_text(p)) for i, p in enumerate(parts)][start:stop]


def _read_text(path: Path) -> str:
    try:
        from .textfile import read_text_file
    except ImportError:  # interim until ingest/textfile.py lands: UTF-8/16 only
        data = path.read_bytes()
        for enc in ("utf-8-sig", "utf-16") if data[:2] not in (b"\xff\xfe", b"\xfe\xff") else ("utf-16",):
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                continue
        raise CorruptInput(path, "text is not valid UTF-8/UTF-16") from None
    return read_text_file(path)


def _pages(doc: LoadedDocument, render: str, start: int = 0, stop: int | None = None) -> Iterator[PageInput]:
    """Pages `start` to `stop` (0-based, stop exclusive)."""
    if doc.kind == "text":
        yield from _text_pages(doc.path, start, stop)
    elif doc.kind == "pdf":
        from .pdf import iter_pdf_pages

        pdf_pages = iter_pdf_pages(doc.path, render=render, start=start, stop=stop)
        for i, (text, image, dpi, quality) in enumerate(pdf_pages, start + 1):
            yield PageInput(i, text, image, dpi, quality)
    else:
        from .images import iter_image_pages

        for i, (image, dpi) in enumerate(iter_image_pages(doc.path, start=start, stop=stop), start + 1):
            yield PageInput(i, None, image, dpi, None)


def read_pages(
    doc: LoadedDocument, first: int = 1, last: int | None = None, *, render: str = "auto"
) -> Iterator[PageInput]:
    """Pages `first` to `last` (1-based, inclusive; None: to the end) of a `probe`d document, one at a time.

    A range outside the document's pages is refused at once; pages that cannot be read are `CorruptInput`.
    """
    if not 1 <= first <= (doc.page_count if last is None else last) <= doc.page_count:
        raise ValueError(f"{doc.path}: pages {first}-{last} are not within 1-{doc.page_count}")
    return _all_of(doc, _pages(doc, render, first - 1, last), first, last)


def _all_of(
    doc: LoadedDocument, pages: Iterator[PageInput], first: int, last: int | None
) -> Iterator[PageInput]:
    count = 0
    for page in pages:
        count += 1
        yield page
    if last is not None and count != last - first + 1:
        raise CorruptInput(doc.path, f"pages {first}-{last}: only {count} could be read")


def iter_pages(path: str | Path, *, render: str = "auto") -> Iterator[PageInput]:
    """Pages one at a time (constant memory); header-level errors are raised here, not at first `next`.

    render (PDF only): "auto" | "always" | "never", see `ingest.pdf.iter_pdf_pages`.
    """
    return _pages(probe(path), render)


def load(path: str | Path, *, render: str = "auto") -> LoadedDocument:
    """The whole document with every page decoded; raises `InputError` subclasses with clear reasons."""
    doc = probe(path)
    doc.pages = list(_pages(doc, render))
    if not doc.pages:
        raise EmptyInput(doc.path, "no pages")
    return doc
