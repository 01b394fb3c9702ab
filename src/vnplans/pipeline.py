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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .options import TEXT_LAYER_MODES, Options

if TYPE_CHECKING:
    import numpy as np

    from .ingest import LoadedDocument, PageInput
    from .models import PlanRecord
    from .ocr import OcrPage
    from .text.result import TextResult

__all__ = [
    "Options",  # re-exported: options.py, one frozen Options instead of keyword chains
    "TEXT_LAYER_MODES",
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
    source_size: tuple[int, int] | None = None  # (w, h) pixels of the page as read, before preprocessing
    # per word of `ocr` (same order): Tesseract's reading and the corrector's confidence (0..1)
    word_sources: list[tuple[str, float]] | None = None
    source_dpi: int | None = None
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


def _apply_fix_detailed(
    page: OcrPage, spans: list[tuple[int, int]], fix: TextResult, order: list[int] | None = None
) -> tuple[OcrPage, list[tuple[str, float]]]:
    """Corrected words on their boxes, and per kept word Tesseract's text and the corrector's lowest
    confidence over it (1.0 where the corrector had nothing to say): what word-level exports report.
    `spans[i]`: where word `order[i]` of the page (`i` when `order` is None) lies in the fixed text;
    the words keep the page's order.

    A split (`QUÝI` -> `QUÝ` + `I`) gives several outputs for one input span; a merge gives one output
    whose span runs over the next OCR word, which then loses what the merge consumed.
    """
    from .ocr import OcrPage as _OcrPage
    from .ocr import OcrWord

    order = list(range(len(page.words))) if order is None else order
    groups: dict[tuple[int, int], list[str]] = {}
    confs: dict[tuple[int, int], float] = {}
    for info in sorted(fix.words, key=lambda w: (w.start, w.end)):
        groups.setdefault((info.start, info.end), []).append(info.output)
        confs[(info.start, info.end)] = min(confs.get((info.start, info.end), 1.0), info.confidence)
    edits = [(a, b, " ".join(o for o in outs if o)) for (a, b), outs in groups.items()]
    fixed: dict[int, tuple[str, float]] = {}
    j = 0
    for n, (s, e) in zip(order, spans, strict=True):
        w = page.words[n]
        while j < len(edits) and edits[j][1] <= s:
            j += 1
        pieces: list[str] = []
        pos = s
        k = j
        conf = 1.0
        while k < len(edits) and edits[k][0] < e:
            a, b, output = edits[k]
            conf = min(conf, confs[(a, b)])
            if a >= pos:
                pieces += [w.text[pos - s : a - s], output]
            pos = max(pos, min(b, e))
            k += 1
        pieces.append(w.text[pos - s :])
        fixed[n] = ("".join(pieces).strip(), conf)
    out = _OcrPage(width=page.width, height=page.height)
    sources: list[tuple[str, float]] = []
    for n, w in enumerate(page.words):
        text, conf = fixed.get(n, (w.text, 1.0))
        if text:
            out.words.append(OcrWord(text, w.conf, w.x0, w.y0, w.x1, w.y1, w.block, w.par, w.line))
            sources.append((w.text, round(conf, 4)))
    return out, sources


def _fix(text: str, *, style: str, confidences: dict[tuple[int, int], float] | None = None) -> TextResult:
    from .text.auto import fix_text

    return fix_text(text, mode="auto", style=style, confidences=confidences)


def correct_ocr(
    page: OcrPage,
    *,
    lang: str = "vie",
    style: str = "keep",
    image: np.ndarray | None = None,
    table_rows: list[list[tuple[int, int, int, int]]] | None = None,
) -> tuple[TextResult, OcrPage]:
    """Correct our own OCR output and put the corrected words back on their boxes.

    `vie` lines look like clean Vietnamese to the quality detector, but `vie` on scans swaps tone marks
    (`Tố chức` for `Tổ chức`): every line goes through the OCR-aware repairer, with Tesseract's word
    confidences. `image`: the page as it was read, where the repairer asks whether the print left a
    space inside a word it would split (`ocr.spacing`). `table_rows`: the page's table cells by row
    (`layout.table_cells`): the fix reads a table cell by cell (`ocr.reading`), and a line's words a
    column's gap apart as two sentences always.
    """
    fix, fixed, _ = _correct_detailed(page, lang=lang, style=style, image=image, table_rows=table_rows)
    return fix, fixed


def _correct_detailed(
    page: OcrPage,
    *,
    lang: str,
    style: str,
    image: np.ndarray | None,
    table_rows: list[list[tuple[int, int, int, int]]] | None,
) -> tuple[TextResult, OcrPage, list[tuple[str, float]]]:
    """`correct_ocr`, and per kept word its source and confidence (`_apply_fix_detailed`)."""
    from .layout.settings import DEFAULT_LAYOUT
    from .ocr import percent
    from .ocr.reading import cell_order
    from .text import warmup

    warmup.wait()
    # a table's cells, and a line's parts a column's gap apart, are read as sentences of their own
    view = cell_order(page, table_rows or [], gap=page.width * DEFAULT_LAYOUT.column_gap)
    if view is None:
        raw = page.text
        spans = list(page.confidences())  # word spans in `raw`, in word order
        order = list(range(len(page.words)))
    else:
        raw, spans, order = view
    words = [page.words[n] for n in order]
    # in percent, the scale of the channel model's error buckets
    confidences = {span: percent(w.conf) for span, w in zip(spans, words, strict=True)}
    if "vie" in lang.split("+"):
        from .text.repair import repair_detailed

        unspaced = None
        if image is not None:
            from .ocr.spacing import unspaced_check

            unspaced = unspaced_check(image, words, spans)
        fix = repair_detailed(raw, confidences=confidences, style=style, profile="vie", unspaced=unspaced)
    else:
        fix = _fix(raw, style=style, confidences=confidences)
    fixed, sources = _apply_fix_detailed(page, spans, fix, order)
    return fix, fixed, sources


def read_page(
    image: np.ndarray,
    dpi: int | None = None,
    *,
    lang: str = "vie",
    timer: StageTimer | None = None,
    engine: str | None = None,
    psm: int | None = None,
    before_ocr: Callable[[], None] | None = None,
    when_free: Callable[[], None] | None = None,
) -> tuple[Any, OcrPage, Any]:
    """Preprocess and OCR one page: (Preprocessed, OcrPage, rule masks). The benchmark times this path.
    `engine`: a registered OCR engine's name (None: Tesseract); `psm`: its layout hint; `before_ocr`:
    called once the page is clean, as OCR starts (work to overlap with it); `when_free`: the same work
    for an engine that reads a page in bands, done by the first core its bands leave free (idempotent)."""
    pre, page, rules, _, _ = _read_page(
        image, dpi, lang=lang, timer=timer, engine=engine, psm=psm, before_ocr=before_ocr, when_free=when_free
    )
    return pre, page, rules


def _read_page(
    image: np.ndarray,
    dpi: int | None,
    *,
    lang: str,
    timer: StageTimer | None,
    engine: str | None,
    psm: int | None,
    before_ocr: Callable[[], None] | None,
    when_free: Callable[[], None] | None,
) -> tuple[Any, OcrPage, Any, np.ndarray | None, np.ndarray]:
    """`read_page`, the page OCR read when all its rules were taken off (a table page; else None) and
    the page's `binarize`: the table's empty cells are read again on that page, and the cells and the
    layout are found on that binarized page (each was made again: 10-15 ms and 3-4 ms a time)."""
    from .image.preprocess import preprocess
    from .layout import MIN_GRID_CROSSINGS, crossings, find_rules, grid_rows, remove_rules
    from .layout.rules import as_gray, binarize
    from .ocr import get_engine

    ocr = get_engine(engine)
    timer = timer or StageTimer()
    with timer.stage("preprocess"):
        pre = preprocess(image, dpi=dpi, engine=ocr)
    with timer.stage("ocr"):
        # Tesseract reads table rules as `|`/`I` and loses TT numbers beside them: OCR without rules,
        # but analyse layout on the page with them (the rules are the table's grid)
        bw = binarize(as_gray(pre.image))
        rules = find_rules(pre.image, bw=bw)
        painted = rules
        table = crossings(rules) >= MIN_GRID_CROSSINGS
        if not table:  # what stands upright is a seal's arc
            painted = (rules[0], rules[1] * 0)
        # a page is read in two halves at once (ocr.bands), but a table stays in one of them: cut
        # through, Tesseract lost TT numbers and merged rows (parse bench lead units 98 -> 60 %)
        split: dict[str, Any] = {}
        if getattr(ocr, "splits_pages", False):
            split = {"bands": True} if when_free is None else {"bands": True, "when_free": when_free}
            if table:
                split["keep_whole"] = grid_rows(rules)
        if "when_free" not in split and before_ocr is not None:
            before_ocr()
        read = remove_rules(pre.image, painted)
        page = ocr.read(read, lang=lang, dpi=pre.dpi, psm=psm, **split)
        if pre.leaders:  # taken off the page with the dust, back as words of dots
            from .ocr.leaders import restore_leaders

            page = restore_leaders(page, pre.leaders)
    return pre, page, rules, read if table else None, bw


def _process_image_page(
    number: int, image: np.ndarray, dpi: int | None, opts: Options, timer: StageTimer
) -> PageResult:
    dpi = dpi or opts.dpi
    warm: dict[str, Callable[[], None]] = {}
    if opts.fix:  # the corrector's models load on a core Tesseract leaves free (it reads in C, the GIL
        from .text import warmup  # released); during the Python of the clean-up they slowed it

        warm = {"before_ocr": warmup.start, "when_free": warmup.run_here}
    pre, page, rules, ruleless, bw = _read_page(
        image, dpi, lang=opts.lang, timer=timer, engine=opts.engine, psm=opts.psm,
        before_ocr=warm.get("before_ocr"), when_free=warm.get("when_free"),
    )  # fmt: skip
    with timer.stage("ocr"):
        from .layout import table_cells
        from .layout.stamps import take_receipt_stamp
        from .ocr import get_engine
        from .ocr.cells import reread_empty_cells
        from .ocr.lines import reread_lost_lines
        from .ocr.slots import reread_blanks
        from .ocr.specks import drop_speck_words

        cells = 0
        grid: list[list[tuple[int, int, int, int]]] = []
        if ruleless is not None:  # a table page: cells Tesseract's layout left empty
            grid = table_cells(pre.image, rules, bw=bw)
            # on the page as OCR read it, without its rules: a crop that took in a column rule beside an
            # empty cell read the rule as `I` (a form's empty rows: `1 | | I |`)
            cells = reread_empty_cells(ruleless, page, get_engine(opts.engine), opts.lang, pre.dpi, grid)
        # printed lines Tesseract's layout dropped (a band's, or a dotted form line's): read alone
        tables = [(min(c[1] for c in row), max(c[3] for c in row)) for row in grid if row]
        lost = reread_lost_lines(pre.image, page, get_engine(opts.engine), opts.lang, pre.dpi, tables)
        # after the cells (a stamp's frame is a cell, read again) and before the blanks (the stamp's
        # handwriting beside the date line would pass for the date's)
        stamp = take_receipt_stamp(page)
        notes = reread_blanks(pre.image, page, get_engine(opts.engine), opts.lang, pre.dpi)
        # last: a line read again from a seal's dots would bring its speck words back
        if specks := drop_speck_words(pre.image, page):
            notes.append(
                (
                    "speck-words",
                    f"{len(specks)} word(s) read from specks dropped: {' '.join(w.text for w in specks)}",
                )
            )
        if stamp is not None:
            notes.insert(0, ("receipt-stamp", f"a receipt stamp kept out of the text: {stamp.text}"))
        if lost:
            notes.append(
                ("lines-reread", f"{lost} printed lines OCR's layout dropped were read on their own")
            )
        if cells:
            notes.append(
                (
                    "cells-reread",
                    f"{cells} runs of table cells or cell lines OCR left empty were read on their own",
                )
            )
    raw = page.text
    result = PageResult(
        number, raw, "ocr", raw_text=raw, ocr=page, image=pre.image, preprocessing=pre.applied
    )
    result.warnings.extend(notes)
    result.source_size, result.source_dpi = (int(image.shape[1]), int(image.shape[0])), dpi
    if opts.fix and raw.strip():
        with timer.stage("correct"):
            result.fix, result.ocr, result.word_sources = _correct_detailed(
                page, lang=opts.lang, style=opts.style, image=pre.image, table_rows=grid
            )
            result.text = result.fix.text
    if opts.layout:
        with timer.stage("layout"):
            from .layout import analyze_layout

            result.layout = analyze_layout(pre.image, result.ocr, rules=rules, bw=bw)
            # layout order beats Tesseract's block order: header columns side by side, tables as rows
            result.text = result.layout.to_text() or result.text
    return result


def _process_page(p: PageInput, opts: Options, timer: StageTimer) -> PageResult:
    text_layer = opts.text_layer
    if text_layer == "skip":
        use_text = p.text is not None and (p.image is None or bool(p.text.strip()))
    else:
        use_text = p.text is not None and (
            p.image is None or (p.text_quality in GOOD_TEXT_LAYER and text_layer != "force")
        )
    if use_text:
        text = p.text or ""
        res = PageResult(p.number, text, "text-layer", raw_text=text)
        if opts.fix and text.strip():
            with timer.stage("correct"):
                res.fix = _fix(text, style=opts.style)
                res.text = res.fix.text
    elif p.image is not None:
        res = _process_image_page(p.number, p.image, p.dpi, opts, timer)
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
    options: Options | None = None,
    fix: bool | None = None,
    lang: str | None = None,
    style: str | None = None,
    layout: bool | None = None,
    force_ocr: bool = False,
    digest: bool = False,
    text_layer: str | None = None,
    keep_images: bool = True,
) -> tuple[LoadedDocument, list[PageResult]]:
    """Pages `first` to `last` (1-based, inclusive; None: to the end), each with its own timings.

    Reads only those pages (one at a time), so a worker can do its share of a long scan; the file is
    hashed only with `digest=True`. Returns the probed document (kind, page count) and the page results.
    `options` says how (default Options()); the keywords, where given, override it (`text_layer`: one
    of TEXT_LAYER_MODES, `force_ocr=True` is `force`).
    `keep_images=False` drops each page's image once the page is read (an A4 page at 300 dpi is ~9 MB,
    so memory then stays flat in the number of pages).
    """
    from .ingest import probe, read_pages
    from .ocr import get_engine

    opts = Options.build(
        options,
        fix=fix,
        lang=lang,
        style=style,
        layout=layout,
        text_layer="force" if force_ocr else text_layer,
    )
    text_layer = opts.text_layer
    timer = StageTimer()  # the first page's timer also carries opening the document
    with timer.stage("ingest"):
        doc = probe(Path(path), digest=digest)
        if doc.kind != "text":  # the OCR model loads on the other core while the first page is decoded
            warm = getattr(get_engine(opts.engine), "warm", None)
            if warm is not None:
                warm(opts.lang)
        inputs = read_pages(doc, first, last, render="always" if text_layer == "force" else "auto")
    results: list[PageResult] = []
    while True:
        with timer.stage("ingest"):
            p = next(inputs, None)
        if p is None:
            return doc, results
        page = _process_page(p, opts, timer)
        del p  # the decoded page: released before the next one is read
        if not keep_images:
            page.image = None
        results.append(page)
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
    options: Options | None = None,
    fix: bool | None = None,
    lang: str | None = None,
    style: str | None = None,
    layout: bool | None = None,
    force_ocr: bool = False,
    text_layer: str | None = None,
    keep_images: bool = True,
) -> DocumentResult:
    """Run every stage a document needs and return per-page results with timings (page images only
    with `keep_images`, for a searchable PDF). Keywords, where given, override `options`."""
    from .errors import EmptyInput

    opts = Options.build(
        options,
        fix=fix,
        lang=lang,
        style=style,
        layout=layout,
        text_layer="force" if force_ocr else text_layer,
    )
    doc, pages = process_pages(path, options=opts, digest=True, keep_images=keep_images)
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
    from .parse.provenance import locate_fields, page_tokens
    from .parse.taskprov import locate_tasks

    tokens = page_tokens(result)
    locate_tasks(record, result, tokens)
    locate_fields(record, result, tokens)
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
            sources.append([(w.text, w.conf) for w in p.ocr.words])
        pages.append(sources)
    score(record, pages)


def _attach_provenance(record: PlanRecord, result: DocumentResult) -> None:
    from .models import Issue
    from .names import display

    src = record.source
    src.path = display(result.path)  # a file name that is not UTF-8 would make the record unwritable
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
        from .ocr import mean_conf

        q.confidences["ocr"] = round(mean_conf(ocr_words), 4)
    for code, msg in result.warnings:
        q.warnings.append(Issue(code=code, message=msg))
    low = [w for w in words if w.confidence < 0.5]
    if low:  # name them (the first few), so a reviewer knows what to look at
        shown = ", ".join(f"{w.source}→{w.output} ({w.confidence:.2f})" for w in low[:8])
        more = f" and {len(low) - 8} more" if len(low) > 8 else ""
        q.warnings.append(
            Issue(
                code="low-confidence-words",
                message=f"{len(low)} words corrected with low confidence: {shown}{more}",
            )
        )


def convert(
    path: str | Path,
    *,
    fix: bool | None = None,
    lang: str | None = None,
    style: str | None = None,
    options: Options | None = None,
) -> PlanRecord:
    """One document in (text, image, PDF), one validated record out (keywords override `options`)."""
    opts = Options.build(options, fix=fix, lang=lang, style=style)
    return convert_detailed(path, options=opts, keep_images=False)[0]


def convert_detailed(
    path: str | Path,
    *,
    options: Options | None = None,
    fix: bool | None = None,
    lang: str | None = None,
    style: str | None = None,
    text_layer: str | None = None,
    keep_images: bool = True,
) -> tuple[PlanRecord, DocumentResult]:
    """The record plus the per-page results (images with `keep_images`, OCR words, timings) batch outputs need."""
    from .names import display

    opts = Options.build(options, fix=fix, lang=lang, style=style, text_layer=text_layer)
    result = process_document(path, options=opts, keep_images=keep_images)
    return build_record(result, name=display(Path(path).name)), result


def convert_text(
    text: str,
    *,
    fix: bool | None = None,
    name: str | None = None,
    style: str | None = None,
    options: Options | None = None,
) -> PlanRecord:
    """Text already in memory (e.g. from stdin) to a record (keywords override `options`)."""
    import hashlib

    opts = Options.build(options, fix=fix, style=style)
    page = PageResult(1, text, "text-layer", raw_text=text)
    if opts.fix and text.strip():
        page.fix = _fix(text, style=opts.style)
        page.text = page.fix.text
    result = DocumentResult(name or "<text>", hashlib.sha256(text.encode()).hexdigest(), "text", [page])
    return build_record(result, name=name or "<text>")


def ocr_document(
    path: str | Path,
    *,
    lang: str | None = None,
    correct: bool | None = None,
    searchable_pdf: str | Path | None = None,
    text_layer: str | None = None,
    options: Options | None = None,
) -> str:
    """Text of a scan or PDF; optionally a searchable PDF with the corrected text layer."""
    opts = Options.build(options, fix=correct, lang=lang, text_layer=text_layer)
    # the searchable PDF is made from the input's own pages (write_searchable), not the page images
    result = process_document(path, options=opts, keep_images=False)
    if searchable_pdf is not None:
        write_searchable(result, searchable_pdf, build_record(result, name=Path(path).name))
    return result.text


def write_searchable(result: DocumentResult, out_path: str | Path, record: PlanRecord | None = None) -> None:
    """Searchable PDF/A of a processed scan: the input's own pages under an invisible corrected text
    layer, with the record's title, number, date and issuer as metadata."""
    from .export.pdfa import meta_from_record
    from .export.searchable import PageLayer, write_original_searchable
    from .image.pagemap import to_source

    layers = []
    for p in result.pages:
        if p.ocr is None or p.source_size is None:
            continue
        matrix, _ = to_source(p.source_size, p.preprocessing, (p.ocr.width, p.ocr.height))
        layers.append(PageLayer(p.number, p.ocr, matrix, p.source_size, p.source_dpi))
    if not layers:
        raise ValueError(f"{result.path}: no image pages to make a searchable PDF from")
    meta = meta_from_record(record) if record is not None else None
    write_original_searchable(result.path, layers, Path(out_path), meta=meta)
