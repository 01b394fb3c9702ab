"""Page layout from OCR words and the page image: two-column header, text lines, ruled tables.

Why: Tesseract's reading order interleaves the two header columns and flattens tables into word
soup, so the parser would see `ỦY BAN ... CỘNG HÒA ...` and cells from different columns joined.
Here the header columns are recovered from word x-positions, tables from ruled lines (OpenCV
morphology) with OCR words assigned to cells by box centre, and tables without rules from
aligned column gaps. `merge_tables` joins a table that continues over pages.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass, field

import cv2
import numpy as np

from vnplans.masks import components, erase, shrink_any
from vnplans.ocr import OcrPage, OcrWord

__all__ = [
    "Table",
    "PageLayout",
    "analyze_layout",
    "find_rules",
    "merge_layouts",
    "merge_tables",
    "remove_rules",
]

Box = tuple[int, int, int, int]  # x0, y0, x1, y1


@dataclass
class Table:
    """Cell text by row; a one-cell row in a multi-column table is a merged row such as `QUÝ I`."""

    rows: list[list[str]]
    header: list[str] | None = None
    bbox: Box | None = None
    ncols: int = 0
    col_edges: list[int] = field(default_factory=list)  # x of column boundaries, left border first
    ruled: bool = True

    def all_rows(self) -> list[list[str]]:
        return ([self.header] if self.header else []) + self.rows


@dataclass
class PageLayout:
    """What the parser needs from one page: header columns, text lines, tables, in reading order."""

    header_left: list[str] = field(default_factory=list)
    header_right: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    header_rows: list[tuple[str, str]] = field(default_factory=list)  # header pairs on one printed row
    blocks: list[tuple[str, int]] = field(default_factory=list)  # ("line", i) / ("table", j) by reading order
    width: int = 0
    height: int = 0

    def to_text(self) -> str:
        """Linear text like `PlanDoc.to_text`: header rows as `left    right`, table rows as `a | b | c`."""
        out = [f"{a}    {b}".strip() for a, b in self.header_rows]
        if out:
            out.append("")
        blocks = self.blocks or [("line", i) for i in range(len(self.lines))] + [
            ("table", j) for j in range(len(self.tables))
        ]
        for kind, i in blocks:
            if kind == "line":
                out.append(self.lines[i])
            else:
                if out and out[-1]:
                    out.append("")
                out.extend(" | ".join(r) for r in self.tables[i].all_rows())
                out.append("")
        while out and not out[-1]:
            out.pop()
        return "\n".join(out) + ("\n" if out else "")


# ---------------------------------------------------------------- image helpers


def _gray(image: object) -> np.ndarray:
    arr = np.asarray(image)
    if arr.ndim == 3:
        arr = cv2.cvtColor(arr[:, :, :3], cv2.COLOR_RGB2GRAY) if arr.shape[2] >= 3 else arr[:, :, 0]
    if arr.dtype != np.uint8:
        arr = np.clip(arr, 0, 255).astype(np.uint8)
    return arr


def _drop_streaks(mask: np.ndarray, vertical: bool) -> np.ndarray:
    """Remove line components that reach the image edge: scanner borders and photocopy streaks."""
    h, w = mask.shape
    comps = components(mask)
    margin = max(3, (h if vertical else w) // 100)
    bad = []
    for i in range(1, comps.n):
        x, y, bw, bh = comps.stats[i, :4]
        if vertical:
            edge = y <= margin or y + bh >= h - margin or x <= 1 or x + bw >= w - 1
        else:
            edge = x <= margin or x + bw >= w - margin or y <= 1 or y + bh >= h - 1
        if edge:
            bad.append(i)
    return erase(mask, comps, bad) if bad else mask


def _binarize(gray: np.ndarray) -> np.ndarray:
    block = max(15, (gray.shape[1] // 60) | 1)
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 15)


HALF_SIZE_FROM = 1200  # px on the short side (an A4 page at 150 dpi): smaller images keep full size


def find_rules(image: object) -> tuple[np.ndarray, np.ndarray]:
    """Masks (uint8, 255 = ink) of horizontal and vertical ruled lines, by morphological opening.

    Kernels are about 1/30 of the page width: longer than any glyph stroke, shorter than a table row.
    A full page is searched at half size (a 2x2 block is ink if any pixel is): rules stay connected,
    and the morphology and component passes cost a quarter; masks come back at full size.
    """
    bw = _binarize(_gray(image))
    h, w = bw.shape
    if min(h, w) < HALF_SIZE_FROM:
        return _rule_masks(bw)
    hor, ver = _rule_masks(shrink_any(bw))

    def up(mask: np.ndarray) -> np.ndarray:
        full = np.zeros((h, w), np.uint8)
        full[: (h // 2) * 2, : (w // 2) * 2] = cv2.resize(
            mask, ((w // 2) * 2, (h // 2) * 2), interpolation=cv2.INTER_NEAREST
        )
        return full

    return up(hor), up(ver)


def _rule_masks(bw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    w = bw.shape[1]
    k = max(20, w // 30)
    g = max(2, w // 600)  # closes pin-holes of faded or despeckled rules, not the gaps between letters
    hor = cv2.morphologyEx(bw, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (g, 1)))
    hor = cv2.morphologyEx(hor, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1)))
    hor = cv2.morphologyEx(
        hor, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, w // 40), 3))
    )
    ver = cv2.morphologyEx(bw, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, g)))
    ver = cv2.morphologyEx(ver, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, k)))
    ver = cv2.morphologyEx(
        ver, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (3, max(3, w // 40)))
    )
    return _drop_thick_runs(_drop_text_runs(_drop_streaks(hor, False), bw), bw), _drop_streaks(ver, True)


def _drop_thick_runs(hor: np.ndarray, bw: np.ndarray) -> np.ndarray:
    """Remove "rules" that are as tall as letters: on a 1-bit scan a bold line's letters touch and
    pass the opening as one long run. Down a printed rule the ink is a few pixels thick; down that
    run, the ink is a letter's height (its stems). Painting such a run white erased the words."""
    w = bw.shape[1]
    limit = max(4, w // 200)  # ~4 px at half size of a 200 dpi page; letters' stems are 8-10
    reach = 4 * limit
    comps = components(hor)
    bad = []
    for i in range(1, comps.n):
        x, y, cw, ch = (int(v) for v in comps.stats[i, :4])
        cy = y + ch // 2
        top = max(0, cy - reach)
        band = bw[top : cy + reach + 1, x : x + cw : 3] > 0
        if not band.size:
            continue
        c = cy - top
        # ink run through the rule's middle row, per sampled column: rows up and down until paper
        up = np.argmin(band[c::-1], axis=0)
        up[band[c::-1].all(axis=0)] = c + 1
        down = np.argmin(band[c:], axis=0)
        down[band[c:].all(axis=0)] = band.shape[0] - c
        runs = (up + down - 1)[band[c]]
        if runs.size and float(np.median(runs)) > limit:
            bad.append(i)
    return erase(hor, comps, bad) if bad else hor


def _drop_text_runs(hor: np.ndarray, bw: np.ndarray) -> np.ndarray:
    """Remove "rules" with letters standing on them: bold serif text closes into a baseline run.

    A printed rule has paper above or below it (cell padding); a baseline has stems above it.
    """
    w = bw.shape[1]
    d, dd = max(2, w // 1240), max(6, w // 250)
    comps = components(hor)
    bad = []
    for i in range(1, comps.n):
        x, y, bw_, bh = comps.stats[i, :4]
        above = bw[max(0, y - dd) : max(0, y - d), x : x + bw_] > 0
        below = bw[y + bh + d : y + bh + dd, x : x + bw_] > 0
        up = float(above.mean()) if above.size else 0.0
        down = float(below.mean()) if below.size else 0.0
        if max(up, down) > 0.25:
            bad.append(i)
    return erase(hor, comps, bad) if bad else hor


def crossings(rules: tuple[np.ndarray, np.ndarray]) -> int:
    """How many places horizontal and vertical rules meet: a table's grid has many, a page without one
    none. Upright "rules" on a page without a grid are a seal's arcs or its star: painting them white
    cost Tesseract words (11 -> 17 syllable errors on a realistic page), so the pipeline paints vertical
    rules out only on a page with a grid."""
    hor, ver = rules
    if not hor.any() or not ver.any():
        return 0
    k = cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5))
    meet = cv2.dilate(hor, k) & cv2.dilate(ver, k)
    return components(meet).n - 1


MIN_GRID_CROSSINGS = 4  # the smallest table: a box, two rules crossing at its four corners


def remove_rules(image: object, rules: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """The page (gray) with ruled lines painted white, so Tesseract does not read rules as `|` or `I`."""
    gray = _gray(image).copy()
    hor, ver = rules if rules is not None else find_rules(gray)
    w = gray.shape[1]
    comps = components(hor)
    short = [i for i in range(1, comps.n) if comps.stats[i, 2] < w // 8]  # may be a bold word's baseline
    if short:
        hor = erase(hor, comps, short)
    mask = cv2.dilate(hor | ver, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    gray[mask > 0] = 255
    return gray


@dataclass
class _Grid:
    """A ruled table: row bands between horizontal rules, column rules, which rules each band has."""

    bbox: Box
    bands: list[tuple[int, int]]
    cuts: list[int]  # x of every column rule, outer borders included (median over bands)
    present: list[list[bool]]  # per band, per inner rule (cuts[1:-1])
    band_cuts: list[list[int]]  # per band, x of every rule there (skew moves rules from band to band)


def _h_segments(hor: np.ndarray, min_w: int) -> list[tuple[int, int, int]]:
    """Long horizontal rules as (y, x0, x1)."""
    c = components(hor)
    segs = [
        (int(c.centroids[i][1]), int(c.stats[i, 0]), int(c.stats[i, 0] + c.stats[i, 2]))
        for i in range(1, c.n)
        if c.stats[i, 2] >= min_w and c.stats[i, 3] < c.stats[i, 2] / 8
    ]
    return sorted(segs)


def _crowding(bw: np.ndarray, x: int, y0: int, y1: int, w: int) -> float:
    """Share of rows with ink right beside a vertical line on both sides.

    Cells are padded, so text keeps clear of a real column rule; a streak runs through the words.
    """
    half, d1 = 2, 3 + max(6, w // 200)
    left = bw[y0:y1, max(0, x - d1) : max(0, x - half - 2)] > 0
    right = bw[y0:y1, x + half + 2 : x + d1] > 0
    if not left.size or not right.size:
        return 0.0
    left = left[:, left.mean(axis=0) < 0.6]  # another line alongside (a streak) is not a letter
    right = right[:, right.mean(axis=0) < 0.6]
    if not left.size or not right.size:
        return 0.0
    return float((left.any(axis=1) & right.any(axis=1)).mean())


def _band_rules(spread: np.ndarray, bw: np.ndarray, a: int, b: int, lo: int, hi: int) -> list[int]:
    """x of the vertical rules crossing one row band: pixel columns inked on nearly every row."""
    pad = (b - a) // 10
    cover = (spread[a + pad : b - pad, lo:hi] > 0).mean(axis=0)
    xs = np.flatnonzero(cover >= 0.8)
    out = []
    for run in np.split(xs, np.flatnonzero(np.diff(xs) > 1) + 1) if xs.size else []:
        raw = (bw[a + pad : b - pad, lo + run[0] : lo + run[-1] + 1] > 0).mean(axis=0)
        strong = np.flatnonzero(raw >= 0.5)
        subs = (
            np.split(strong, np.flatnonzero(np.diff(strong) > 1) + 1)
            if strong.size
            else [np.arange(raw.size)]
        )
        merged = [subs[0]]
        for sub in subs[1:]:  # a faint dip inside one thick rule does not make two rules
            if raw[merged[-1][-1] + 1 : sub[0]].min() >= 0.2:
                merged[-1] = np.concatenate([merged[-1], sub])
            else:
                merged.append(sub)
        for sub in merged:  # a streak a few pixels from a rule: two lines, not one
            out.append(lo + int(run[0]) + int(sub[np.argmax(raw[sub])]))
    return out


def _find_grids(bw: np.ndarray, hor: np.ndarray) -> list[_Grid]:
    """Tables from long horizontal rules sharing an x-extent, then column rules band by band.

    A column rule is a pixel column inked on nearly every row of a band (between two horizontal
    rules): coverage tolerates broken, faded rules where morphology loses them, and measuring per
    band tolerates residual skew. Rules found in the bands are clustered into table columns; ink that
    continues above or below the table, or that letters crowd on both sides, is a photocopy streak.
    """
    h, w = bw.shape
    segs = _h_segments(hor, int(w * 0.2))
    groups: list[list[tuple[int, int, int]]] = []
    for sg in segs:
        for gr in groups:
            y, a, b = gr[-1]
            if abs(a - sg[1]) < w * 0.03 and abs(b - sg[2]) < w * 0.03 and sg[0] - y < h * 0.3:
                gr.append(sg)
                break
        else:
            groups.append([sg])
    r = max(1, w // 800)
    spread = cv2.dilate(bw, cv2.getStructuringElement(cv2.MORPH_RECT, (2 * r + 1, 1)))
    tol = max(8, int(w * 0.012))
    out: list[_Grid] = []
    for gr in groups:
        ys: list[int] = []
        for y, _, _ in gr:
            if not ys or y - ys[-1] > max(6, h // 200):
                ys.append(y)
        bands = [(a, b) for a, b in zip(ys, ys[1:], strict=False) if b - a > max(8, w // 120)]
        if not bands:
            continue
        x0 = min(a for _, a, _ in gr)
        x1 = max(b for _, _, b in gr)
        lo, hi = max(0, x0 - 3 * r - 4), min(w, x1 + 3 * r + 5)
        found = [_band_rules(spread, bw, a, b, lo, hi) for a, b in bands]
        clusters: list[list[tuple[int, int]]] = []  # (band, x)
        for i, x in sorted(((i, x) for i, xs in enumerate(found) for x in xs), key=lambda t: t[1]):
            if clusters and x - clusters[-1][-1][1] <= tol and all(j != i for j, _ in clusters[-1]):
                clusters[-1].append((i, x))
            else:
                clusters.append([(i, x)])
        top, bot = bands[0][0], bands[-1][1]
        margin = max(4, h // 60)
        cols: list[dict[int, int]] = []
        for cl in clusters:
            if len(cl) < max(2, len(bands) // 4) and len(bands) > 1:
                continue
            at = dict(cl)
            first, last = min(at), max(at)
            xa, xb = at[first], at[last]
            above = bw[max(0, top - margin) : max(0, top - 4), xa - 1 : xa + 2]
            below = bw[bot + 4 : min(h, bot + margin), xb - 1 : xb + 2]
            if (above.size and (above > 0).any(axis=1).mean() > 0.5) or (
                below.size and (below > 0).any(axis=1).mean() > 0.5
            ):
                continue  # ink continuing past the table: a streak
            crowd = [_crowding(bw, x, bands[i][0] + 3, bands[i][1] - 3, w) for i, x in cl]
            if statistics.mean(crowd) > 0.1:
                continue
            cols.append(at)
        near = max(4, w // 250)
        for k in range(len(cols) - 1, 0, -1):  # both edges of one thick, hollow-looking rule
            a_med, b_med = statistics.median(cols[k - 1].values()), statistics.median(cols[k].values())
            if b_med - a_med <= near:
                both = {i: (cols[k - 1].get(i, x) + x) // 2 for i, x in cols[k].items()}
                cols[k - 1] = {**cols[k - 1], **both}
                del cols[k]
        if not cols or (len(cols) < 2 and len(bands) < 3):
            continue  # rules without column rules: underlines, a form's lines, not a table
        med = [statistics.median(c.values()) for c in cols]
        if med[0] - x0 > w * 0.02:
            cols.insert(0, {})
            med.insert(0, x0)
        if med[-1] < x1 - w * 0.02:
            cols.append({})
            med.append(x1)
        xs_per_band: list[list[int]] = []
        present: list[list[bool]] = []
        for i in range(len(bands)):
            offs = [c[i] - m for c, m in zip(cols, med, strict=True) if i in c]
            off = statistics.median(offs) if offs else 0
            xs_per_band.append([c.get(i, round(m + off)) for c, m in zip(cols, med, strict=True)])
            present.append([i in c for c in cols[1:-1]])
        out.append(_Grid((x0, top, x1, bot), bands, [round(m) for m in med], present, xs_per_band))
    return sorted(out, key=lambda g: g.bbox[1])


# ---------------------------------------------------------------- words, rows


_NOI_NHAN = re.compile(r"\W*n\w?[oơ0]\w?i\s*nh\w?[aâậ]\w?n", re.I)  # "Nơi nhận" opens the closing block
_RULE_CHARS = re.compile(r"^[|\[\]!_—–\-=~.,:;'`\"]+$")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFD", text.lower()).encode("ascii", "ignore").decode()


def _clean(text: str) -> str:
    return text.strip("|[]¦_")


def _join_lines(words: list[OcrWord]) -> str:
    """Text of one cell: printed lines top to bottom, stray marks (`‹`, `..`: noise near rules) dropped."""
    keep = [w for w in words if any(ch.isalnum() for ch in w.text) or w.text in ("-", "–", "+")]
    return " ".join(" ".join(w.text for w in row) for row in _rows(keep))


def _rows(words: list[OcrWord]) -> list[list[OcrWord]]:
    """Words grouped into printed rows, left to right.

    Tesseract's own lines are kept whole (they never mix columns with different line pitch, e.g. the
    signature beside Nơi nhận); lines at the same height in different blocks are joined into one row.
    """
    frags: dict[tuple[int, int, int], list[OcrWord]] = {}
    for w in words:
        frags.setdefault((w.block, w.par, w.line), []).append(w)
    spans = []
    for ws in frags.values():
        y0 = statistics.median(w.y0 for w in ws)
        y1 = statistics.median(w.y1 for w in ws)
        spans.append((y0, max(y1, y0 + 1), ws))
    spans.sort(key=lambda s: (s[0] + s[1]) / 2)
    rows: list[tuple[float, float, list[OcrWord]]] = []
    for y0, y1, ws in spans:
        for k in range(len(rows) - 1, max(-1, len(rows) - 4), -1):
            r0, r1, rws = rows[k]
            if min(r1, y1) - max(r0, y0) >= 0.6 * min(r1 - r0, y1 - y0) and not _overlaps_x(rws, ws):
                rows[k] = (min(r0, y0), max(r1, y1), rws + ws)
                break
        else:
            rows.append((y0, y1, list(ws)))
    return [sorted(ws, key=lambda w: w.x0) for _, _, ws in rows]


def _overlaps_x(a: list[OcrWord], b: list[OcrWord]) -> bool:
    return min(w.x0 for w in a) < max(w.x1 for w in b) and min(w.x0 for w in b) < max(w.x1 for w in a)


def _groups(row: list[OcrWord], gap: float) -> list[list[OcrWord]]:
    out: list[list[OcrWord]] = [[row[0]]]
    for a, b in zip(row, row[1:], strict=False):
        if b.x0 - a.x1 > gap:
            out.append([])
        out[-1].append(b)
    return out


def _text(ws: list[OcrWord]) -> str:
    return " ".join(w.text for w in ws)


# ---------------------------------------------------------------- tables


def _band_of(g: _Grid, cy: float) -> int:
    return min(range(len(g.bands)), key=lambda i: max(g.bands[i][0] - cy, 0, cy - g.bands[i][1]))


def _drop_crossed_cuts(g: _Grid, words: list[OcrWord], bands: list[int]) -> _Grid:
    """Drop "column rules" that words run across: a streak through the cells, not a rule.

    A streak runs through the text of most rows it crosses; a real rule is at most touched by a box
    that OCR stretched over a speck beside it (`.:Tổng`) in a row or two, so what counts is the
    share of the rule's rows with a word across it.
    """
    m = max(3, (g.bbox[2] - g.bbox[0]) // 300)
    crossed: list[set[int]] = [set() for _ in range(len(g.cuts) - 2)]
    for w, i in zip(words, bands, strict=True):
        for k, c in enumerate(g.band_cuts[i][1:-1]):
            if g.present[i][k] and w.x0 < c - m and w.x1 > c + m and len(w.text) >= 2:
                crossed[k].add(i)
    rows_with = [sum(p[k] for p in g.present) for k in range(len(crossed))]
    keep = [k for k, hit in enumerate(crossed) if len(hit) < max(2, rows_with[k] / 3)]
    if len(keep) == len(crossed):
        return g
    sel = [0, *(k + 1 for k in keep), len(g.cuts) - 1]
    return _Grid(
        g.bbox,
        g.bands,
        [g.cuts[k] for k in sel],
        [[row[k] for k in keep] for row in g.present],
        [[xs[k] for k in sel] for xs in g.band_cuts],
    )


def _grid_table(g: _Grid, words: list[OcrWord]) -> Table:
    """Cell text of a ruled grid: each word goes to the band and cell holding its box centre."""
    bands = [_band_of(g, (w.y0 + w.y1) / 2) for w in words]
    g = _drop_crossed_cuts(g, words, bands)
    ncols = len(g.cuts) - 1
    content: dict[tuple[int, int], list[OcrWord]] = {}
    for w, i in zip(words, bands, strict=True):
        cx = (w.x0 + w.x1) / 2
        k = sum(1 for c in g.band_cuts[i][1:-1] if c < cx)
        content.setdefault((i, k), []).append(w)
    rows: list[list[str]] = []
    for i, present in enumerate(g.present):
        starts = [0] + [k + 1 for k, p in enumerate(present) if p]  # first column of each printed cell
        if len(starts) == 1 and ncols > 1:  # merged row spanning the table, e.g. QUÝ I
            rows.append([_join_lines([w for k in range(ncols) for w in content.get((i, k), [])])])
            continue
        row = [""] * ncols
        for n, k0 in enumerate(starts):
            k1 = starts[n + 1] if n + 1 < len(starts) else ncols
            row[k0] = _join_lines([w for k in range(k0, k1) for w in content.get((i, k), [])])
        rows.append(row)
    while rows and not any(rows[-1]):
        rows.pop()
    table = Table(rows=rows, bbox=g.bbox, ncols=ncols, col_edges=list(g.cuts), ruled=True)
    _pick_header(table)
    return table


def _pick_header(table: Table) -> None:
    """The first row is a header when it fills every column with short, non-numeric labels."""
    if len(table.rows) < 2 or len(table.rows[0]) != table.ncols or table.ncols < 2:
        return
    first = table.rows[0]
    if all(c and len(c.split()) <= 6 and not re.fullmatch(r"[\dIVXLivxl.,)]+", c) for c in first):
        table.header = first
        table.rows = table.rows[1:]


def _unruled_tables(rows: list[list[OcrWord]], width: int, gap: float) -> list[tuple[int, int, Table]]:
    """Tables printed without rules: runs of >= 3 rows whose column gaps line up.

    Returns (first row index, last row index, table). Column starts are clustered word-group x0s.
    """
    found: list[tuple[int, int, Table]] = []
    i = 0
    tol = width * 0.02
    while i < len(rows):
        gi = _groups(rows[i], gap)
        if len(gi) < 3:
            i += 1
            continue
        starts = [g[0].x0 for g in gi]
        j = i + 1
        members = [gi]
        while j < len(rows):
            gj = _groups(rows[j], gap)
            if len(gj) >= 2 and all(min(abs(g[0].x0 - s) for s in starts) < tol for g in gj):
                members.append(gj)
                j += 1
            elif len(gj) == 1 and members and min(abs(gj[0][0].x0 - s) for s in starts[1:]) < tol:
                members.append(gj)  # a wrapped continuation line of one cell
                j += 1
            else:
                break
        if len(members) >= 3:
            trows: list[list[str]] = []
            for gs in members:
                cells = [""] * len(starts)
                for g in gs:
                    k = min(range(len(starts)), key=lambda k: abs(starts[k] - g[0].x0))
                    cells[k] = (cells[k] + " " + _text(g)).strip()
                if trows and not cells[0] and len(gs) < len(starts):  # continuation line: join upward
                    trows[-1] = [(a + " " + b).strip() for a, b in zip(trows[-1], cells, strict=True)]
                else:
                    trows.append(cells)
            ws = [w for r in rows[i:j] for w in r]
            bbox = (
                min(w.x0 for w in ws),
                min(w.y0 for w in ws),
                max(w.x1 for w in ws),
                max(w.y1 for w in ws),
            )
            t = Table(rows=trows, bbox=bbox, ncols=len(starts), col_edges=[*starts, bbox[2]], ruled=False)
            _pick_header(t)
            found.append((i, j - 1, t))
            i = j
        else:
            i += 1
    return found


# ---------------------------------------------------------------- page


def _usable(words: list[OcrWord], rules: np.ndarray) -> list[OcrWord]:
    """OCR words minus the rules Tesseract read as text (`|`, `—`), with stray bars stripped."""
    out: list[OcrWord] = []
    for w in words:
        t = _clean(w.text)
        if not t:
            continue
        if _RULE_CHARS.match(t) and t not in ("-", "–"):
            patch = rules[max(0, w.y0) : w.y1 + 1, max(0, w.x0) : w.x1 + 1]
            if patch.size and (patch > 0).mean() > 0.1:
                continue
        if t != w.text:
            w = OcrWord(t, w.conf, w.x0, w.y0, w.x1, w.y1, w.block, w.par, w.line)
        out.append(w)
    return out


def _header(
    rows: list[list[OcrWord]], width: int, height: int, gap: float
) -> tuple[int, list[tuple[str, str]]]:
    """Leading rows that form the two-column header; returns (rows used, (left, right) pairs).

    A "word" much flatter than the text (the short rule under the issuing body, read as `mã`) is not
    text: it would stand for a line of its own and split the header where it is not split."""
    heights = [w.y1 - w.y0 for r in rows[:12] for w in r]
    flat = 0.35 * statistics.median(heights) if heights else 0
    kept_rows = [
        (i, [w for w in r if w.y1 - w.y0 >= flat and not (w.conf < 50 and len(w.text) <= 3)])
        for i, r in enumerate(rows)
    ]  # ... nor a short word OCR itself doubted (`SỔ` for the same rule)
    index = [i for i, r in kept_rows if r]  # position of each kept row among the caller's rows
    rows = [r for _, r in kept_rows if r]
    split_rows = []
    for r in rows[:4]:
        if (r[0].y0 + r[-1].y1) / 2 > height * 0.4:
            break
        gs = _groups(r, gap)
        if len(gs) >= 2:
            k = max(range(len(gs) - 1), key=lambda k: gs[k + 1][0].x0 - gs[k][-1].x1)
            left = [w for g in gs[: k + 1] for w in g]
            right = [w for g in gs[k + 1 :] for w in g]
            split_rows.append((left, right))
    if not split_rows:
        return 0, []
    cl = statistics.median((lft[0].x0 + lft[-1].x1) / 2 for lft, _ in split_rows)
    cr = statistics.median((rgt[0].x0 + rgt[-1].x1) / 2 for _, rgt in split_rows)
    bound = statistics.median((lft[-1].x1 + rgt[0].x0) / 2 for lft, rgt in split_rows)
    if cr - cl < width * 0.2:
        return 0, []
    pairs: list[tuple[str, str]] = []
    used = 0
    prev_y = None
    for r in rows:
        y = (r[0].y0 + r[0].y1) / 2
        lh = max(10, statistics.median(w.y1 - w.y0 for w in r))
        if y > height * 0.45 or (prev_y is not None and y - prev_y > 5 * lh):
            break
        gs = _groups(r, gap)
        c = (r[0].x0 + r[-1].x1) / 2
        if len(gs) >= 2:
            k = max(range(len(gs) - 1), key=lambda k: gs[k + 1][0].x0 - gs[k][-1].x1)
            left = [w for g in gs[: k + 1] for w in g]
            right = [w for g in gs[k + 1 :] for w in g]
            if abs((left[-1].x1 + right[0].x0) / 2 - bound) > width * 0.15:
                break
            pairs.append((_text(left), _text(right)))
        elif r[-1].x1 < bound and abs(c - cl) < width * 0.12:
            pairs.append((_text(r), ""))
        elif r[0].x0 > bound - width * 0.03 and abs(c - cr) < width * 0.12:
            pairs.append(("", _text(r)))
        else:
            break
        used += 1
        prev_y = y
    if not any(a and b for a, b in pairs) or _NOI_NHAN.match(_fold(pairs[0][0])):
        return 0, []
    return index[used - 1] + 1, pairs


def _junk(row: list[OcrWord]) -> bool:
    alnum = sum(ch.isalnum() for w in row for ch in w.text)
    return alnum < 3 and not _text(row).strip(".").isdigit() or statistics.mean(w.conf for w in row) < 45


def _is_page_number(row: list[OcrWord], width: int) -> bool:
    t = _text(row)
    return (
        len(t) <= 4
        and t.strip(".-– ").isdigit()
        and abs((row[0].x0 + row[-1].x1) / 2 - width * 0.54) < width * 0.1
    )


def analyze_layout(
    image: object,
    ocr_page: OcrPage,
    *,
    first_page: bool | None = None,
    rules: tuple[np.ndarray, np.ndarray] | None = None,
) -> PageLayout:
    """Header columns, lines, tables of one page. `image` is the page OCR ran on (same pixel grid).

    `first_page=False` skips header detection; None looks for a header at the top of any page.
    Lines of a two-column block lower on the page (signature beside Nơi nhận) come out right column
    first, then left, the order `PlanDoc.to_text` uses.
    """
    gray = _gray(image)
    height, width = gray.shape
    bw = _binarize(gray)
    hor, ver = rules if rules is not None else _rule_masks(bw)  # the pipeline found them before OCR
    words = _usable(ocr_page.words, hor | ver)
    gap = width * 0.03
    layout = PageLayout(width=width, height=height)

    grids = _find_grids(bw, hor)
    in_table: list[list[OcrWord]] = [[] for _ in grids]
    free: list[OcrWord] = []
    for w in words:
        cx, cy = (w.x0 + w.x1) / 2, (w.y0 + w.y1) / 2
        for k, g in enumerate(grids):
            x0, y0, x1, y1 = g.bbox
            if x0 <= cx <= x1 and y0 <= cy <= y1:
                in_table[k].append(w)
                break
        else:
            free.append(w)
    placed: list[tuple[float, str, object]] = []  # (y, kind, payload) for reading order
    for g, ws in zip(grids, in_table, strict=True):
        placed.append((g.bbox[1], "table", _grid_table(g, ws)))

    rows = [r for r in _rows(free) if any(ch.isalnum() for w in r for ch in w.text)]
    while rows and rows[0][0].y1 < height * 0.15 and _junk(rows[0]):
        rows = rows[1:]  # specks, streak bits and stamp fragments above the first printed line
    if first_page is not False:
        top = 0
        if rows and _is_page_number(rows[0], width):  # Decree 30 numbers pages from 2: not a first page
            placed.append((rows[0][0].y0, "line", _text(rows[0])))
            rows = rows[1:]
        else:
            top, pairs = _header(rows, width, height, gap)
            layout.header_rows = pairs
            layout.header_left = [a for a, _ in pairs if a]
            layout.header_right = [b for _, b in pairs if b]
        rows = rows[top:]

    unruled = _unruled_tables(rows, width, gap)
    taken: set[int] = set()
    for i, j, t in unruled:
        placed.append((rows[i][0].y0, "table", t))
        taken.update(range(i, j + 1))
    rows = [r for k, r in enumerate(rows) if k not in taken]

    k = 0
    while k < len(rows):
        gs = _groups(rows[k], gap)
        if len(gs) >= 2:  # a two-column block: collect its rows, emit right column then left
            kk = max(range(len(gs) - 1), key=lambda q: gs[q + 1][0].x0 - gs[q][-1].x1)
            bound = (gs[kk][-1].x1 + gs[kk + 1][0].x0) / 2
            lefts: list[str] = []
            rights: list[str] = []
            y_first = rows[k][0].y0
            start = k
            while k < len(rows):
                r = rows[k]
                left = [w for w in r if w.x1 <= bound]
                right = [w for w in r if w.x0 >= bound]
                if len(left) + len(right) < len(r):
                    break
                if left:
                    lefts.append(_text(left))
                if right:
                    rights.append(_text(right))
                k += 1
            if k == start:  # a box overlapping its neighbour straddles the gap: not two columns
                placed.append((rows[k][0].y0, "line", _text(rows[k])))
                k += 1
                continue
            for n, s in enumerate([*rights, *lefts]):
                placed.append((y_first + n * 1e-3, "line", s))
            continue
        placed.append((rows[k][0].y0, "line", _text(rows[k])))
        k += 1

    for _, kind, payload in sorted(placed, key=lambda p: p[0]):
        if kind == "line":
            layout.blocks.append(("line", len(layout.lines)))
            layout.lines.append(payload)  # type: ignore[arg-type]
        else:
            layout.blocks.append(("table", len(layout.tables)))
            layout.tables.append(payload)  # type: ignore[arg-type]
    return layout


# ---------------------------------------------------------------- across pages


def _similar(a: list[str], b: list[str]) -> bool:
    from rapidfuzz import fuzz

    return len(a) == len(b) and fuzz.ratio(" | ".join(a).lower(), " | ".join(b).lower()) >= 80


def _edge_block(layout: PageLayout, last: bool) -> tuple[str, int] | None:
    """The first (or last) block of a page, skipping page numbers and stray short lines."""
    seq = reversed(layout.blocks) if last else iter(layout.blocks)
    for kind, i in seq:
        if kind == "line" and len(layout.lines[i].strip()) <= 3:
            continue
        return kind, i
    return None


def merge_layouts(layouts: list[PageLayout]) -> PageLayout:
    """One layout for a whole document: the first page's header, every page's lines in order, and
    tables continued over pages joined (a continuation adds rows to its table, not a new block)."""
    tables, owner = _merge(layouts)
    doc = PageLayout(tables=tables)
    first = next((lay for lay in layouts if lay.header_rows), None)
    if first is not None:
        doc.header_rows = list(first.header_rows)
        doc.header_left = list(first.header_left)
        doc.header_right = list(first.header_right)
    for n, lay in enumerate(layouts):
        doc.width, doc.height = max(doc.width, lay.width), max(doc.height, lay.height)
        blocks = lay.blocks or [("line", i) for i in range(len(lay.lines))] + [
            ("table", j) for j in range(len(lay.tables))
        ]
        for kind, i in blocks:
            if kind == "line":
                doc.blocks.append(("line", len(doc.lines)))
                doc.lines.append(lay.lines[i])
            elif owner[(n, i)][1]:  # the first part of a table: place it here
                doc.blocks.append(("table", owner[(n, i)][0]))
    return doc


def merge_tables(layouts: list[PageLayout]) -> list[Table]:
    """All tables of a document, a table continued on the next page joined into one.

    A continuation is the first block of a page following a table that ended its page, with the same
    number of columns (and similar column positions when known). A repeated header row is dropped; a
    first row with an empty TT cell is a row broken across the page and is joined to the row above.
    """
    return _merge(layouts)[0]


def _merge(layouts: list[PageLayout]) -> tuple[list[Table], dict[tuple[int, int], tuple[int, bool]]]:
    """Merged tables, and for each (page, table) the merged index and whether it starts that table."""
    owner: dict[tuple[int, int], tuple[int, bool]] = {}
    out: list[Table] = []
    prev_open = False
    for n, lay in enumerate(layouts):
        first = _edge_block(lay, last=False)
        for j, t in enumerate(lay.tables):
            cont = (
                prev_open
                and out
                and first == ("table", j)
                and out[-1].ncols == t.ncols
                and _same_columns(out[-1], t)
            )
            if not cont:
                owner[(n, j)] = (len(out), True)
                out.append(
                    Table([list(r) for r in t.rows], t.header, t.bbox, t.ncols, list(t.col_edges), t.ruled)
                )
                continue
            owner[(n, j)] = (len(out) - 1, False)
            base = out[-1]
            rows = [list(r) for r in t.rows]
            if t.header is None and rows and base.header and _similar(rows[0], base.header):
                rows = rows[1:]
            elif t.header is not None and base.header is None:
                base.header = t.header
            elif t.header is not None and base.header is not None and not _similar(t.header, base.header):
                rows.insert(0, t.header)
            if (
                rows
                and base.rows
                and len(rows[0]) == base.ncols > 1
                and not rows[0][0].strip()
                and len(base.rows[-1]) == base.ncols
            ):
                base.rows[-1] = [(a + " " + b).strip() for a, b in zip(base.rows[-1], rows[0], strict=True)]
                rows = rows[1:]
            base.rows.extend(rows)
        prev_open = bool(lay.tables) and _edge_block(lay, last=True) == ("table", len(lay.tables) - 1)
    return out, owner


def _same_columns(a: Table, b: Table) -> bool:
    """Column rules at the same places across the table's width.

    Measured relative to each table's own span, not in pixels: one document's pages may be scanned
    at different resolutions (a 150 dpi page among 300 dpi ones), and the table is still the same.
    """
    if not a.col_edges or not b.col_edges or len(a.col_edges) != len(b.col_edges):
        return True
    rel = []
    for edges in (a.col_edges, b.col_edges):
        span = edges[-1] - edges[0]
        if span <= 0:
            return True
        rel.append([(x - edges[0]) / span for x in edges])
    return all(abs(x - y) <= 0.04 for x, y in zip(rel[0], rel[1], strict=True))
