"""Stage orchestration: ingest -> preprocess -> OCR -> text fix -> layout -> parse, with provenance.

Each stage is a plain function from the module that owns it; this module only decides which stages a
page needs (a good PDF text layer skips OCR), carries word confidences from OCR into the corrector,
puts corrected words back on their boxes for layout, and records timings and warnings.

Pages are processed independently (`process_pages` on any page range) and joined by
`assemble_document`; `process_document` is exactly those two on the whole document, so a batch that
spreads one scan's pages over several workers gets the same result.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

    from .ingest import LoadedDocument, PageInput
    from .models import PlanRecord
    from .ocr import OcrPage
    from .text.result import TextResult

__all__ = [
    "PageResult",
    "StageTimer",
    "DocumentResult",
    "process_document",
    "process_pages",
    "assemble_document",
    "build_record",
    "convert",
    "convert_detailed",
    "convert_text",
    "ocr_document",
    "write_searchable",
    "read_page",
    "correct_ocr",
]

GOOD_TEXT_LAYER = ("clean",)  # text-layer qualities used as they are; anything else is fixed or re-OCR'd


@dataclass
class PageResult:
    number: int
    text: str  # corrected text of the page
    route: str  # text-layer | ocr
    raw_text: str = ""
    fix: TextResult | None = None
    ocr: OcrPage | None = None
    image: np.ndarray | None = None
    layout: Any = None
    preprocessing: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # this page's stages (ingest included)
    warnings: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class DocumentResult:
    path: str
    sha256: str
    kind: str
    pages: list[PageResult]
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(p.text.rstrip("\n") for p in self.pages) + "\n"


class StageTimer:
    """Seconds per named stage (summed when a stage runs twice): the timings in results and manifests."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = round(self.timings.get(name, 0.0) + time.perf_counter() - t0, 4)


def _apply_fix_to_words(page: OcrPage, spans: list[tuple[int, int]], fix: TextResult) -> OcrPage:
    """Put corrected words back on their boxes, so layout sees corrected cells.

    A split (`QUÝI` -> `QUÝ` + `I`) gives several outputs for one input span; a merge gives one output
    whose span runs over the next OCR word, which then loses what the merge consumed.
    """
    from .ocr import OcrPage as _OcrPage
    from .ocr import OcrWord

    groups: dict[tuple[int, int], list[str]] = {}
    for info in sorted(fix.words, key=lambda w: (w.start, w.end)):
        groups.setdefault((info.start, info.end), []).append(info.output)
    edits = [(a, b, " ".join(o for o in outs if o)) for (a, b), outs in groups.items()]
    out = _OcrPage(width=page.width, height=page.height)
    j = 0
    for w, (s, e) in zip(page.words, spans, strict=True):
        while j < len(edits) and edits[j][1] <= s:
            j += 1
        pieces: list[str] = []
        pos = s
        k = j
        while k < len(edits) and edits[k][0] < e:
            a, b, output = edits[k]
            if a >= pos:
                pieces += [w.text[pos - s : a - s], output]
            pos = max(pos, min(b, e))
            k += 1
        pieces.append(w.text[pos - s :])
        text = "".join(pieces).strip()
        if text:
            out.words.append(OcrWord(text, w.conf, w.x0, w.y0, w.x1, w.y1, w.block, w.par, w.line))
    return out


def _fix(text: str, *, style: str, confidences: dict[tuple[int, int], float] | None = None) -> TextResult:
    from .text.auto import fix_text

    return fix_text(text, mode="auto", style=style, confidences=confidences)


def correct_ocr(page: OcrPage, *, lang: str = "vie", style: str = "keep") -> tuple[TextResult, OcrPage]:
    """Correct our own OCR output and put the corrected words back on their boxes.

    `vie` lines look like clean Vietnamese to the quality detector, but `vie` on scans swaps tone marks
    (`Tố chức` for `Tổ chức`): every line goes through the OCR-aware repairer, with Tesseract's word
    confidences.
    """
    raw = page.text
    confidences = page.confidences()  # word spans in `raw`, in word order
    if "vie" in lang.split("+"):
        from .text.repair import repair_detailed

        fix = repair_detailed(raw, confidences=confidences, style=style, profile="vie")
    else:
        fix = _fix(raw, style=style, confidences=confidences)
    return fix, _apply_fix_to_words(page, list(confidences), fix)


def read_page(
    image: np.ndarray, dpi: int | None = None, *, lang: str = "vie", timer: StageTimer | None = None
) -> tuple[Any, OcrPage, Any]:
    """Preprocess and OCR one page: (Preprocessed, OcrPage, rule masks). The benchmark times this path."""
    from .layout import find_rules, remove_rules
    from .ocr import ocr_image
    from .preprocess import preprocess

    timer = timer or StageTimer()
    with timer.stage("preprocess"):
        pre = preprocess(image, dpi=dpi)
    with timer.stage("ocr"):
        # Tesseract reads table rules as `|`/`I` and loses TT numbers beside them: OCR without rules,
        # but analyse layout on the page with them (the rules are the table's grid)
        rules = find_rules(pre.image)
        page = ocr_image(remove_rules(pre.image, rules), lang=lang, dpi=pre.dpi)
    return pre, page, rules


def _process_image_page(
    number: int,
    image: np.ndarray,
    dpi: int | None,
    *,
    lang: str,
    fix: bool,
    style: str,
    timer: StageTimer,
    want_layout: bool,
) -> PageResult:
    pre, page, rules = read_page(image, dpi, lang=lang, timer=timer)
    raw = page.text
    result = PageResult(
        number, raw, "ocr", raw_text=raw, ocr=page, image=pre.image, preprocessing=pre.applied
    )
    if fix and raw.strip():
        with timer.stage("correct"):
            result.fix, result.ocr = correct_ocr(page, lang=lang, style=style)
            result.text = result.fix.text
    if want_layout:
        with timer.stage("layout"):
            from .layout import analyze_layout

            result.layout = analyze_layout(pre.image, result.ocr, rules=rules)
            # layout order beats Tesseract's block order: header columns side by side, tables as rows
            result.text = result.layout.to_text() or result.text
    return result


def _process_page(
    p: PageInput, *, fix: bool, lang: str, style: str, layout: bool, force_ocr: bool, timer: StageTimer
) -> PageResult:
    use_text = p.text is not None and (
        p.image is None or (p.text_quality in GOOD_TEXT_LAYER and not force_ocr)
    )
    if use_text:
        text = p.text or ""
        res = PageResult(p.number, text, "text-layer", raw_text=text)
        if fix and text.strip():
            with timer.stage("correct"):
                res.fix = _fix(text, style=style)
                res.text = res.fix.text
    elif p.image is not None:
        res = _process_image_page(
            p.number, p.image, p.dpi, lang=lang, fix=fix, style=style, timer=timer, want_layout=layout
        )
    else:
        res = PageResult(p.number, "", "empty")
        res.warnings.append(("empty-page", f"page {p.number} has neither text nor image"))
    res.timings = timer.timings
    return res


def process_pages(
    path: str | Path,
    first: int = 1,
    last: int | None = None,
    *,
    fix: bool = True,
    lang: str = "vie",
    style: str = "keep",
    layout: bool = True,
    force_ocr: bool = False,
    digest: bool = False,
) -> tuple[LoadedDocument, list[PageResult]]:
    """Pages `first` to `last` (1-based, inclusive; None: to the end), each with its own timings.

    Reads only those pages (one at a time), so a worker can do its share of a long scan; the file is
    hashed only with `digest=True`. Returns the probed document (kind, page count) and the page results.
    """
    from .ingest import probe, read_pages

    timer = StageTimer()  # the first page's timer also carries opening the document
    with timer.stage("ingest"):
        doc = probe(Path(path), digest=digest)
        inputs = read_pages(doc, first, last)
    results: list[PageResult] = []
    while True:
        with timer.stage("ingest"):
            p = next(inputs, None)
        if p is None:
            return doc, results
        results.append(
            _process_page(p, fix=fix, lang=lang, style=style, layout=layout, force_ocr=force_ocr, timer=timer)
        )
        timer = StageTimer()


def assemble_document(path: str | Path, sha256: str, kind: str, pages: list[PageResult]) -> DocumentResult:
    """A document from its page results (in any order): stage timings summed, warnings in page order."""
    pages = sorted(pages, key=lambda p: p.number)
    timings: dict[str, float] = {}
    for p in pages:
        for stage, seconds in p.timings.items():
            timings[stage] = round(timings.get(stage, 0.0) + seconds, 4)
    warnings = [w for p in pages for w in p.warnings]
    return DocumentResult(str(path), sha256, kind, pages, timings, warnings)


def process_document(
    path: str | Path,
    *,
    fix: bool = True,
    lang: str = "vie",
    style: str = "keep",
    layout: bool = True,
    force_ocr: bool = False,
) -> DocumentResult:
    """Run every stage a document needs and return per-page results with timings."""
    from .errors import EmptyInput

    doc, pages = process_pages(
        path, fix=fix, lang=lang, style=style, layout=layout, force_ocr=force_ocr, digest=True
    )
    if not pages:
        raise EmptyInput(doc.path, "no pages")
    return assemble_document(path, doc.sha256, doc.kind, pages)


def _layouts(pages: list[PageResult]) -> list[Any] | None:
    """Per-page layouts for the parser, which joins tables continuing across pages itself."""
    layouts = [p.layout for p in pages if p.layout is not None]
    return layouts or None


def build_record(result: DocumentResult, *, name: str) -> PlanRecord:
    """Parse a processed document and attach provenance (source, confidences, warnings)."""
    from .parse import parse_text

    t0 = time.perf_counter()
    record = parse_text(result.text, layout=_layouts(result.pages), name=name)
    _attach_provenance(record, result)
    _score(record, result)
    result.timings["parse"] = round(time.perf_counter() - t0, 4)
    return record


def _score(record: PlanRecord, result: DocumentResult) -> None:
    """Field confidences from the words each page's OCR and text fix were unsure of."""
    from .parse import score

    pages = []
    for p in result.pages:
        sources = []
        if p.fix is not None:
            sources.append([(w.output, w.confidence) for w in p.fix.words if w.output])
        if p.ocr is not None:
            sources.append([(w.text, w.conf / 100) for w in p.ocr.words])
        pages.append(sources)
    score(record, pages)


def _attach_provenance(record: PlanRecord, result: DocumentResult) -> None:
    from .models import Issue

    src = record.source
    src.path = result.path
    src.sha256 = result.sha256
    src.kind = result.kind
    src.pages = len(result.pages)
    q = record.quality
    fixes = [p.fix for p in result.pages if p.fix is not None]
    q.corrected_words = sum(f.corrected_count for f in fixes)
    words = [w for f in fixes for w in f.words]
    q.confidences["text"] = round(sum(w.confidence for w in words) / len(words), 4) if words else 1.0
    ocr_words = [w for p in result.pages if p.ocr is not None for w in p.ocr.words]
    if ocr_words:
        q.confidences["ocr"] = round(sum(w.conf for w in ocr_words) / len(ocr_words) / 100, 4)
    for code, msg in result.warnings:
        q.warnings.append(Issue(code=code, message=msg))
    low = [w for w in words if w.confidence < 0.5]
    if low:
        q.warnings.append(
            Issue(code="low-confidence-words", message=f"{len(low)} words corrected with low confidence")
        )


def convert(path: str | Path, *, fix: bool = True, lang: str = "vie", style: str = "keep") -> PlanRecord:
    """One document in (text, image, PDF), one validated record out."""
    return convert_detailed(path, fix=fix, lang=lang, style=style)[0]


def convert_detailed(
    path: str | Path, *, fix: bool = True, lang: str = "vie", style: str = "keep"
) -> tuple[PlanRecord, DocumentResult]:
    """The record plus the per-page results (images, OCR words, timings) batch outputs need."""
    result = process_document(path, fix=fix, lang=lang, style=style)
    return build_record(result, name=Path(path).name), result


def convert_text(text: str, *, fix: bool = True, name: str | None = None, style: str = "keep") -> PlanRecord:
    """Text already in memory (e.g. from stdin) to a record."""
    import hashlib

    page = PageResult(1, text, "text-layer", raw_text=text)
    if fix and text.strip():
        page.fix = _fix(text, style=style)
        page.text = page.fix.text
    result = DocumentResult(name or "<text>", hashlib.sha256(text.encode()).hexdigest(), "text", [page])
    return build_record(result, name=name or "<text>")


def ocr_document(
    path: str | Path, *, lang: str = "vie", correct: bool = True, searchable_pdf: str | Path | None = None
) -> str:
    """Text of a scan or PDF; optionally a searchable PDF with the corrected text layer."""
    result = process_document(path, fix=correct, lang=lang)
    if searchable_pdf is not None:
        write_searchable(result, searchable_pdf)
    return result.text


def write_searchable(result: DocumentResult, out_path: str | Path) -> None:
    """Searchable PDF of a processed scan: page images under an invisible corrected text layer."""
    from .searchable import write_searchable_pdf

    # the OCR words already carry the corrected text, on their own boxes
    pages = [(p.image, p.ocr, None) for p in result.pages if p.image is not None and p.ocr is not None]
    if not pages:
        raise ValueError(f"{result.path}: no image pages to make a searchable PDF from")
    write_searchable_pdf(pages, Path(out_path))
