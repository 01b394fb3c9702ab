"""A review page per document (`--format html`) and a batch index: what a person checks before trusting.

Why: the record says how many words were doubtful, not which; a reviewer needs to see them on the
scan. One self-contained HTML file (page images inlined as JPEG data URIs, no script or font from
elsewhere) shows each page with every low-confidence word boxed in red and every located header and
signature field (`record.provenance`) outlined in blue, a doubtful one filled orange, and beside it the warnings, the record's header and the task table
(rows with warnings marked, linked to their page). Boxes are placed in percent of the page, so they
stay on their words at any zoom.

Field boxes are the record's own provenance (`parse.provenance`), on the same source-page pixels as
the word boxes; a field is doubtful when warned about, garbled, read from unsure words or matched
loosely.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..parse.taskprov import LOW_WORD_CONFIDENCE

__all__ = ["render_review", "render_index", "page_images", "REVIEW_WIDTH"]

REVIEW_WIDTH = 1400  # px: page images are shrunk to this width (enough to read, small enough to mail)
_HEADER_FIELDS = (
    ("authority", "Cơ quan ban hành"), ("parent_authority", "Cơ quan chủ quản"), ("number", "Số"),
    ("symbol", "Ký hiệu"), ("place", "Địa danh"), ("issued_date", "Ngày ban hành"), ("doc_type", "Loại văn bản"),
    ("title", "Trích yếu"),
)  # fmt: skip
_CSS = """
body{font-family:"DejaVu Sans","Liberation Sans",Arial,sans-serif;margin:0;color:#222;background:#eee}
header{background:#234;color:#fff;padding:8px 16px}header h1{font-size:18px;margin:0}
main{display:flex;gap:16px;padding:16px;align-items:flex-start}
.pages{flex:3;min-width:0}aside{flex:2;min-width:320px;position:sticky;top:8px;max-height:96vh;overflow:auto}
figure{margin:0 0 16px 0;background:#fff;padding:8px}figcaption{font-size:13px;color:#555;padding-top:4px}
.sheet{position:relative;display:block}.sheet img{display:block;width:100%;height:auto}
.box{position:absolute;box-sizing:border-box}
.box.low{border:2px solid #d00;background:rgba(255,0,0,.15)}
.box.field{border:2px solid #36c}.box.field.doubt{border-color:#e80;background:rgba(255,160,0,.18)}
section{background:#fff;padding:8px 12px;margin-bottom:12px}h2{font-size:15px;margin:4px 0 8px}
table{border-collapse:collapse;width:100%;font-size:13px}td,th{border:1px solid #ccc;padding:3px 5px;vertical-align:top}
tr.doubt td{background:#fff1dc}td.missing{color:#999;font-style:italic}
ul.warnings{padding-left:18px;font-size:13px}ul.warnings li{margin-bottom:3px}
.ok{color:#070}.failed{color:#c00}.skipped{color:#777}
"""


def page_images(path: str | Path, numbers: Iterable[int], width: int = REVIEW_WIDTH) -> dict[int, str]:
    """Data URIs (JPEG) of the source pages `numbers`, shrunk to `width` pixels; pages that cannot be
    read again are left out (the review page then shows their words without the picture)."""
    from PIL import Image

    from ..ingest import probe, read_pages

    wanted = sorted(set(numbers))
    if not wanted:
        return {}
    out: dict[int, str] = {}
    doc = probe(Path(path), digest=False)
    if doc.kind == "text":
        return {}
    for page in read_pages(doc, wanted[0], wanted[-1], render="always"):
        if page.number not in wanted or page.image is None:
            continue
        arr = page.image
        im = Image.fromarray(arr[:, :, ::-1].copy() if arr.ndim == 3 else arr)
        if im.width > width:
            im = im.resize((width, round(im.height * width / im.width)), Image.LANCZOS)
        buf = io.BytesIO()
        im.convert("RGB").save(buf, "JPEG", quality=72, optimize=True)
        out[page.number] = "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
    return out


def _doubtful_fields(record: Any) -> dict[str, str]:
    """Header fields a reviewer should check, with the reason: warned about, or text that reads as
    garbled (OCR noise the parser took in) rather than Vietnamese."""
    from ..text.quality import assess

    out: dict[str, str] = {}
    h = record.header
    for field, _ in _HEADER_FIELDS:
        for w in record.quality.warnings:
            if f"header.{field}" in w.message:
                out[field] = f"{w.code}: {w.message}"
        value = getattr(h, field)
        if isinstance(value, str) and len(value.split()) >= 2:
            kind = assess(value).kind
            if kind in ("garbled", "not-vietnamese"):
                out.setdefault(field, f"reads as {kind} text")
    return out


_FIELD_MATCH = 0.9  # a field's words found less alike than this are boxed as doubtful


def _field_boxes(record: Any, doubts: dict[str, str]) -> dict[int, list[tuple[str, Any, str]]]:
    """Per page, (key, FieldSource, why doubtful or "") for each located field (`record.provenance`)."""
    out: dict[int, list[tuple[str, Any, str]]] = {}
    seen: set[tuple[int, tuple[int, int, int, int]]] = set()
    for key, src in record.provenance.items():
        if (src.page, src.box) in seen:  # number and symbol: one printed word
            continue
        seen.add((src.page, src.box))
        why = doubts.get(key.split(".", 1)[1]) or (
            f"words read with confidence {src.confidence:.2f}" if src.confidence < LOW_WORD_CONFIDENCE else
            f"found only {src.match:.0%} alike" if src.match < _FIELD_MATCH else ""
        )  # fmt: skip
        out.setdefault(src.page, []).append((key, src, why))
    return out


def _field_box(key: str, src: Any, why: str, page: Any) -> str:
    x0, y0, x1, y1 = src.box
    title = f"{key}: {src.text}" + (f" ({why})" if why else "")
    return (
        f'<div class="box field{" doubt" if why else ""}" data-field="{html.escape(key)}" '
        f'style="left:{100 * x0 / page.width:.3f}%;top:{100 * y0 / page.height:.3f}%;'
        f'width:{100 * (x1 - x0) / page.width:.3f}%;height:{100 * (y1 - y0) / page.height:.3f}%" '
        f'title="{html.escape(title)}"></div>'
    )


def _word_conf(w: Any) -> float:
    corr = w.correction_conf if w.correction_conf is not None else 1.0
    return min(max(0.0, w.ocr_conf) / 100, corr)


def _box(w: Any, page: Any, cls: str, title: str) -> str:
    left, top = 100 * w.left / page.width, 100 * w.top / page.height
    width, height = 100 * w.width / page.width, 100 * w.height / page.height
    return (
        f'<div class="box {cls}" style="left:{left:.3f}%;top:{top:.3f}%;width:{width:.3f}%;'
        f'height:{height:.3f}%" title="{html.escape(title)}" data-word="{html.escape(w.text)}"></div>'
    )


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def render_review(record: Any, result: Any, images: dict[int, str] | None = None, *, name: str = "") -> str:
    """The review page of one processed document; `images`: data URIs by page number (`page_images`)."""
    from .words import page_words

    images = images or {}
    pages = page_words(result) if result is not None else []
    doubts = _doubtful_fields(record)
    h = record.header
    fields = _field_boxes(record, doubts)

    figures: list[str] = []
    low_total = 0
    numbers = sorted({p.number for p in pages} | set(images))
    by_number = {p.number: p for p in pages}
    for n in numbers:
        p = by_number.get(n)
        boxes: list[str] = []
        low = 0
        if p is not None:
            # field boxes first: a doubtful word inside a field keeps its red border on top
            boxes += [_field_box(key, src, why, p) for key, src, why in fields.get(n, [])]
            for w in p.words:
                conf = _word_conf(w)
                if conf < LOW_WORD_CONFIDENCE:
                    low += 1
                    said = f"OCR {w.ocr_text!r} → {w.text!r}" if w.ocr_text != w.text else repr(w.text)
                    boxes.append(_box(w, p, "low", f"{said}; OCR {w.ocr_conf:.0f}%, correction "
                                      f"{w.correction_conf if w.correction_conf is not None else '-'}"))  # fmt: skip
        low_total += low
        img = images.get(n)
        picture = f'<img src="{img}" alt="trang {n}">' if img else '<p class="missing">(no page image)</p>'
        ratio = f"aspect-ratio:{p.width}/{p.height};" if p is not None and not img else ""
        figures.append(
            f'<figure class="page" id="page-{n}" data-page="{n}" data-low="{low}">'
            f'<div class="sheet" style="{ratio}">{picture}{"".join(boxes)}</div>'
            f"<figcaption>Trang {n}: {len(p.words) if p else 0} từ, {low} từ độ tin cậy thấp</figcaption></figure>"
        )

    warnings = [f"<li><code>{_e(w.code)}</code> {_e(w.message)}</li>" for w in record.quality.warnings]
    for t in record.tasks:
        for w in t.warnings:
            where = f"TT {t.tt}" if t.tt is not None else "row"
            link = f' (<a href="#page-{t.page}">trang {t.page}</a>)' if t.page else ""
            warnings.append(f"<li>{_e(where)}{link}: {_e(w)}</li>")
    header_rows = []
    for field, label in _HEADER_FIELDS:
        value = getattr(h, field)
        doubt = doubts.get(field)
        cls = ' class="doubt"' if doubt else ""
        shown = _e(value) if value is not None else '<span class="missing">—</span>'
        note = f"<br><small>{_e(doubt)}</small>" if doubt else ""
        header_rows.append(f'<tr{cls} data-field="{field}"><th>{_e(label)}</th><td>{shown}{note}</td></tr>')
    task_rows = []
    for t in record.tasks:
        cls = ' class="doubt"' if t.warnings else ""
        page = f'<a href="#page-{t.page}">{t.page}</a>' if t.page else ""
        conf = f"{t.confidence:.2f}" if t.confidence is not None else ""
        task_rows.append(
            f"<tr{cls}><td>{_e(t.tt)}</td><td>{_e(t.period)}</td><td>{_e(t.content)}</td>"
            f"<td>{_e(t.lead_unit or t.responsible)}</td><td>{_e(t.timeframe)}</td><td>{page}</td>"
            f"<td>{conf}</td></tr>"
        )
    q = record.quality
    confs = ", ".join(f"{k} {v:.2f}" for k, v in q.confidences.items())
    title = name or (record.source.path and Path(record.source.path).name) or "document"
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Kiểm tra: {_e(title)}</title><style>{_CSS}</style></head>
<body data-low-words="{low_total}" data-doubtful-fields="{len(doubts)}" data-warnings="{len(warnings)}">
<header><h1>{_e(title)}</h1><div>{_e(h.doc_type)} {_e("/".join(x for x in (h.number, h.symbol) if x))} ·
{len(numbers)} trang · {q.corrected_words} từ đã sửa · {low_total} từ độ tin cậy thấp · {_e(confs)}</div></header>
<main><div class="pages">{"".join(figures) or "<p>(văn bản không có ảnh trang)</p>"}</div>
<aside>
<section id="warnings"><h2>Cần kiểm tra ({len(warnings)})</h2><ul class="warnings">{"".join(warnings)}</ul></section>
<section id="record"><h2>Thông tin văn bản</h2><table>{"".join(header_rows)}</table></section>
<section id="tasks"><h2>Nhiệm vụ ({len(record.tasks)})</h2><table><tr><th>TT</th><th>Thời kỳ</th>
<th>Nội dung</th><th>Chủ trì</th><th>Thời gian</th><th>Trang</th><th>Tin cậy</th></tr>{"".join(task_rows)}</table></section>
</aside></main></body></html>
"""


def render_index(entries: dict[str, dict[str, Any]], out: Path) -> str:
    """The batch's index: every input with its status, warnings and a link to its review page."""
    rows = []
    for name in sorted(entries):
        e = entries[name]
        status = str(e.get("status", "?"))
        review = out / f"{name}.html"
        ours = review.name in (e.get("outputs") or ())  # a file of the user's by that name is not linked
        link = f'<a href="{_e(review.name)}">{_e(name)}</a>' if ours and review.is_file() else _e(name)
        rows.append(
            f'<tr data-name="{_e(name)}" data-status="{_e(status)}"><td>{link}</td>'
            f'<td>{_e(e.get("input") or e.get("path"))}</td><td class="{_e(status)}">{_e(status)}</td>'
            f"<td>{_e(e.get('pages'))}</td><td>{_e(e.get('warnings'))}</td><td>{_e(e.get('error'))}</td></tr>"
        )
    counts: dict[str, int] = {}
    for e in entries.values():
        counts[str(e.get("status"))] = counts.get(str(e.get("status")), 0) + 1
    summary = " · ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><meta name="generator" content="vnplans"><title>vnplans: {len(entries)} văn bản</title><style>{_CSS}</style></head>
<body><header><h1>{len(entries)} văn bản</h1><div>{_e(summary)}</div></header>
<main><section style="flex:1"><table><tr><th>Văn bản</th><th>Tệp</th><th>Trạng thái</th><th>Trang</th>
<th>Cảnh báo</th><th>Lỗi</th></tr>{"".join(rows)}</table></section></main></body></html>
"""
