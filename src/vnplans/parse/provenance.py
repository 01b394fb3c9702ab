"""Where each header and signature field was read: its page, its box and how sure the words were.

Why after parsing: the parser reads text (a page's layout flattened to lines), so a field has no box
of its own. Its words are found again among the page's OCR words: the value and every run of
consecutive words are compared diacritic-folded (rapidfuzz similarity, so an OCR slip or a word split
in two still matches), the best run wins, and its words that match nothing of the value (a column
read across) are dropped from the box. Header fields are looked for on the first page, earliest run
on ties; the signer on the last two pages, latest run on ties. Text inputs and PDF text layers have no
word boxes: their records keep `provenance` empty rather than a guess.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from ..lexicon import fold_token
from ..models import FieldSource

__all__ = [
    "PageTokens",
    "Run",
    "page_tokens",
    "best_run",
    "by_columns",
    "source_of",
    "locate",
    "locate_fields",
    "MIN_MATCH",
]

MIN_MATCH = 0.75  # below this similarity a run is not the field (a field OCR lost, a value inferred)


@dataclass
class PageTokens:
    """A page's words split at spaces, folded for matching, with confidences and boxes per token."""

    number: int
    folded: list[str]
    words: list[str]  # as corrected
    confs: list[float | None]  # lower of OCR and correction; None for a text layer
    boxes: list[tuple[int, int, int, int]] | None  # x0, y0, x1, y1 on the source page; None: no geometry


@dataclass(frozen=True)
class Run:
    start: int
    end: int  # exclusive
    score: float  # 0..1
    hits: tuple[int, ...]  # token indices inside the run that match a word of the value


def page_tokens(result: Any) -> list[PageTokens]:
    """Tokens of every page of a `DocumentResult` in order; OCR'd pages with their source-page boxes."""
    from ..export.words import page_words

    boxed = {p.number: p for p in page_words(result)}
    out: list[PageTokens] = []
    for page in result.pages:
        pw = boxed.get(page.number)
        if pw is None or not pw.words:
            words = (page.text or "").split()
            out.append(
                PageTokens(page.number, [fold_token(w) for w in words], words, [None] * len(words), None)
            )
            continue
        t = PageTokens(page.number, [], [], [], [])
        for w in pw.words:
            corr = w.correction_conf if w.correction_conf is not None else 1.0
            conf = round(min(max(0.0, w.ocr_conf / 100), corr), 3)
            for part in w.text.split():
                t.folded.append(fold_token(part))
                t.words.append(part)
                t.confs.append(conf)
                t.boxes.append((w.left, w.top, w.left + w.width, w.top + w.height))  # type: ignore[union-attr]
        out.append(t)
    return out


def _hits(window: list[str], wanted: list[str]) -> tuple[int, ...]:
    """Positions in `window` of tokens aligned, in order, with the value's tokens (equal, or one edit
    per 4 letters): a word of the other column read into the run aligns with nothing and is left out."""
    out = []
    j = 0
    for i, tok in enumerate(window):
        for k in range(j, min(j + 3, len(wanted))):  # a wanted word OCR lost may be skipped
            if tok and Levenshtein.distance(tok, wanted[k]) <= len(wanted[k]) // 4:
                out.append(i)
                j = k + 1
                break
    return tuple(out)


def by_columns(tokens: PageTokens, lo: int, hi: int) -> tuple[PageTokens, list[int]]:
    """Tokens `[lo, hi)` re-read column by column (columns: x ranges no word box crosses, apart by more
    than a word space), each column
    top to bottom: the cells of a table row that OCR read line by line across the row come out whole.
    Returns the re-read tokens and, per token, its index in `tokens`."""
    assert tokens.boxes is not None
    idx = list(range(lo, min(hi, len(tokens.folded))))
    heights = sorted(tokens.boxes[i][3] - tokens.boxes[i][1] for i in idx)  # type: ignore[index]
    gap = 0.6 * heights[len(heights) // 2] if heights else 0  # wider than a word space
    spans: list[list[int]] = []
    for i in sorted(idx, key=lambda i: tokens.boxes[i][0]):  # type: ignore[index]
        x0, _, x1, _ = tokens.boxes[i]  # type: ignore[index]
        if spans and x0 <= spans[-1][1] + gap:
            spans[-1][1] = max(spans[-1][1], x1)
        else:
            spans.append([x0, x1])

    def column(i: int) -> int:
        return next(c for c, (a, b) in enumerate(spans) if a <= tokens.boxes[i][0] <= b + gap)  # type: ignore[index]

    def mid(i: int) -> float:
        return (tokens.boxes[i][1] + tokens.boxes[i][3]) / 2  # type: ignore[index]

    order: list[int] = []
    for c in range(len(spans)):
        col = sorted((i for i in idx if column(i) == c), key=mid)
        lines: list[list[int]] = []
        for i in col:  # a word whose centre is within half a height of the line's first word joins it
            h = tokens.boxes[i][3] - tokens.boxes[i][1]  # type: ignore[index]
            if lines and abs(mid(i) - mid(lines[-1][0])) <= h / 2:
                lines[-1].append(i)
            else:
                lines.append([i])
        order += [i for line in lines for i in sorted(line, key=lambda i: tokens.boxes[i][0])]  # type: ignore[index]
    sub = PageTokens(
        tokens.number,
        [tokens.folded[i] for i in order],
        [tokens.words[i] for i in order],
        [tokens.confs[i] for i in order],
        [tokens.boxes[i] for i in order],  # type: ignore[index]
    )
    return sub, order


def best_run(
    tokens: PageTokens, value: str, *, lo: int = 0, hi: int | None = None, last: bool = False
) -> Run | None:
    """The run of consecutive tokens in `[lo, hi)` most similar to `value` (folded), or None below
    `MIN_MATCH`. Ties go to the earliest run (`last`: the latest), then to a run printed in the same
    case as the value (a heading `KẾ HOẠCH`, not `kế hoạch` in a sentence)."""
    wanted = [t for t in (fold_token(x) for x in value.split()) if t]
    hi = len(tokens.folded) if hi is None else min(hi, len(tokens.folded))
    if not wanted or hi <= lo:
        return None
    target = " ".join(wanted)
    n = len(wanted)
    upper = value.isupper()
    best: tuple[float, float, int, int] | None = None  # score, case, order key, length
    for length in range(max(1, n - max(2, n // 5)), n + max(3, n // 3) + 1):
        for s in range(lo, hi - length + 1):
            cutoff = 100 * max(MIN_MATCH, best[0] if best else 0.0)
            score = fuzz.ratio(" ".join(tokens.folded[s : s + length]), target, score_cutoff=cutoff) / 100
            if not score:
                continue
            case = float(all(w.isupper() == upper for w in tokens.words[s : s + length] if w.isalpha()))
            key = (score, case, s if last else -s, -length)
            if best is None or key > best:
                best = key
    if best is None:
        return None
    s = best[2] if last else -best[2]
    e = s + -best[3]
    hits = tuple(s + i for i in _hits(tokens.folded[s:e], wanted)) or tuple(range(s, e))
    return Run(s, e, round(best[0], 3), hits)


def source_of(tokens: PageTokens, run: Run) -> FieldSource | None:
    """The FieldSource of a run: the box around its matching words, their mean confidence."""
    if tokens.boxes is None:
        return None
    boxes = [tokens.boxes[i] for i in run.hits]
    confs = [c for c in (tokens.confs[i] for i in run.hits) if c is not None]
    return FieldSource(
        page=tokens.number,
        box=(
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        ),
        confidence=round(sum(confs) / len(confs), 3) if confs else 1.0,
        match=run.score,
        text=" ".join(tokens.words[i] for i in run.hits),
    )


def locate(tokens: PageTokens, value: str, *, last: bool = False) -> tuple[float, FieldSource] | None:
    """`value`'s best run on a page, and if it is not exact, the best run again in its neighbourhood
    re-read column by column (the signer beside Nơi nhận, read line by line across the two)."""
    run = best_run(tokens, value, last=last)
    if run is None or (src := source_of(tokens, run)) is None:
        return None
    if run.score < 1.0:
        reach = max(6, run.end - run.start)
        sub, _ = by_columns(tokens, max(0, run.start - reach), run.end + reach)
        again = best_run(sub, value, last=last)
        if again is not None and again.score > run.score and (better := source_of(sub, again)):
            return again.score, better
    return run.score, src


def _date_text(d: dt.date) -> str:
    return f"ngày {d.day} tháng {d.month} năm {d.year}"


def _header_values(record: Any) -> dict[str, str]:
    h = record.header
    out: dict[str, str] = {}
    for key in ("authority", "parent_authority", "doc_type", "title"):
        value = getattr(h, key)
        if key == "doc_type" and value:
            value = value.upper()  # printed as a heading
        if value:
            out[f"header.{key}"] = value
    number = "/".join(x for x in (h.number, h.symbol) if x)
    if number:
        out["header.number"] = number
    return out


def locate_fields(record: Any, result: Any, pages: list[PageTokens] | None = None) -> None:
    """Fill `record.provenance` for the header (first page) and signature (last two pages) fields."""
    pages = pages if pages is not None else page_tokens(result)
    record.provenance = {}
    if not pages or pages[0].boxes is None:
        return
    first = pages[0]
    found: dict[str, FieldSource | None] = {}
    for key, value in _header_values(record).items():
        got = locate(first, value)
        found[key] = got[1] if got else None
    if found.get("header.number") and record.header.symbol and record.header.number:
        found["header.symbol"] = found["header.number"]  # one printed word: `244/KH-UBND`
    h = record.header
    date = _date_text(h.issued_date) if isinstance(h.issued_date, dt.date) else None
    line = ", ".join(x for x in (h.place, date) if x)
    run = best_run(first, line) if line else None
    if run is not None:  # place and date looked for inside their printed line, not the authority's name
        for key, value in (("header.place", h.place), ("header.issued_date", date)):
            part = best_run(first, value, lo=run.start, hi=run.end) if value else None
            found[key] = source_of(first, part) if part else None
    s = record.signature
    tail = [p for p in pages[-2:] if p.boxes is not None][::-1]
    marks = [f"{s.modes[i]}. {t}" if i < len(s.modes) else t for i, t in enumerate(s.titles)]  # as printed
    for key, value in (("signature.titles", " ".join(marks)), ("signature.name", s.name or "")):
        got = [(g, p.number) for p in tail if value and (g := locate(p, value, last=True))]
        if got:  # ties to the later page: the signature block closes the document
            found[key] = max(got, key=lambda gp: (gp[0][0], gp[1]))[0][1]
    record.provenance = {k: v for k, v in found.items() if v is not None}
