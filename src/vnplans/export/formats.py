"""Output formats as one registry: name -> how it is made, its file ending and what it needs.

Why a registry: the format names were spelled out in the CLI's help and checks, the batch worker's
if-chains and the output folder's file names; a new format meant finding every place. Each `Format`
says what it is made from:

- `record`: the validated record alone (json, txt, md): `render(record)` gives the bytes.
- `words`: corrected words on their boxes of the OCR'd pages (alto, hocr, tsv):
  `render(pages, file_name=..., version=...)` with `export.words.page_words` pages.
- `review`: the HTML review page, from the record, the processed document and the page pictures.
- `pdf`: the searchable PDF, drawn by the converter on the input's own pages.

Writers are imported when a format is rendered, so `import vnplans.export.formats` stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Format",
    "FORMATS",
    "FORMAT_NAMES",
    "WORD_FORMATS",
    "get_format",
    "parse_formats",
    "render_record",
]


def _txt(record: Any) -> bytes:
    text = record.text
    return (text if text.endswith("\n") or not text else text + "\n").encode("utf-8")


def _md(record: Any) -> bytes:
    from .markdown import to_markdown

    md = to_markdown(record)
    return (md if md.endswith("\n") else md + "\n").encode("utf-8")


def _json(record: Any) -> bytes:
    return (record.model_dump_json(indent=2) + "\n").encode("utf-8")


def _alto(pages: Any, *, file_name: str, version: str) -> str:
    from .words import to_alto

    return to_alto(pages, file_name=file_name, version=version)


def _hocr(pages: Any, *, file_name: str, version: str) -> str:
    from .words import to_hocr

    return to_hocr(pages, file_name=file_name, version=version)


def _tsv(pages: Any, *, file_name: str, version: str) -> str:
    from .words import to_tsv

    return to_tsv(pages)


@dataclass(frozen=True)
class Format:
    name: str
    kind: str  # record | words | review | pdf (see the module docstring)
    suffix: str  # file name ending after `<name>.`
    description: str
    render: Callable[..., Any] | None = None  # record -> bytes, or word pages -> str; None: made elsewhere

    @property
    def needs_pages(self) -> bool:
        """Made from the processed document's OCR'd pages, not only the record."""
        return self.kind in ("words", "pdf")


# canonical order: the order `--format` lists them and the batch makes them
FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "json", "record", "json", "the validated record (always written: it is the resume key)", _json
        ),
        Format("txt", "record", "txt", "corrected text", _txt),
        Format("md", "record", "md", "Markdown: header, sections and the task table", _md),
        Format("pdf", "pdf", "pdf", "searchable PDF/A-2b: the scan's own pages under the corrected text"),
        Format("alto", "words", "alto.xml", "ALTO v4: corrected words on their boxes", _alto),
        Format("hocr", "words", "hocr", "hOCR: corrected words on their boxes", _hocr),
        Format("tsv", "words", "tsv", "Tesseract-style TSV of the words with both confidences", _tsv),
        Format("html", "review", "html", "review page (page pictures, unsure words boxed) + index.html"),
    )
}
FORMAT_NAMES = tuple(FORMATS)
WORD_FORMATS = tuple(n for n, f in FORMATS.items() if f.kind == "words")


def get_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown format {name!r} (choose from {', '.join(FORMAT_NAMES)})") from None


def parse_formats(formats: str | Iterable[str]) -> tuple[str, ...]:
    """Requested formats in canonical order; json is always written (it is the record and the resume key)."""
    items = formats.split(",") if isinstance(formats, str) else list(formats)
    wanted = {f.strip().lower() for f in items if f.strip()}
    unknown = wanted - set(FORMATS)
    if unknown:
        raise ValueError(
            f"unknown format(s): {', '.join(sorted(unknown))} (choose from {', '.join(FORMAT_NAMES)})"
        )
    wanted.add("json")
    return tuple(f for f in FORMAT_NAMES if f in wanted)


def render_record(record: Any, formats: Iterable[str]) -> dict[str, bytes]:
    """Bytes of each wanted format made from the record alone (json always)."""
    wanted = set(formats) | {"json"}
    return {
        n: f.render(record) for n, f in FORMATS.items() if f.kind == "record" and n in wanted and f.render
    }
