"""One page's layout from OCR words and ruled grids: header columns, text rows, ruled and unruled tables.

Why: Tesseract's reading order interleaves the two header columns and flattens tables into word
soup; here the header columns come from word x-positions and cells from rules or aligned gaps.
"""

from __future__ import annotations

import re
import statistics

import numpy as np

from vnplans.lexicon import HYPHENS, ITEM_MARKS, RULE_RUN
from vnplans.lexicon import fkey as _fold
from vnplans.ocr import OcrPage, OcrWord, letters_or_digits, mean_conf

from .grids import Grid, find_grids, grid_cells
from .page import PageLayout, Table
from .rules import as_gray, binarize, rule_masks
from .settings import DEFAULT_LAYOUT, LayoutSettings

# ---------------------------------------------------------------- words, rows


_NOI_NHAN = re.compile(r"\W*n\w?[oơ0]\w?i\s*nh\w?[aâậ]\w?n", re.I)  # "Nơi nhận" opens the closing block
_RULE_CHARS = re.compile(r"^[|\[\]!_—–\-=~.,:;'`\"]+$")
# a dotted leader (a form's blank) lies where the rule finder sees a dotted rule: the words of dots
# are what the page prints, kept (a dev form page lost `NĂM ...........`); in a table's cells they
# are still dropped as noise near its rules (`_join_lines`)
_LEADER = re.compile(r"^(?:\.{3,}|…+)$")


def _clean(text: str) -> str:
    return text.strip("|[]¦_")


def _join_lines(words: list[OcrWord], s: LayoutSettings = DEFAULT_LAYOUT) -> str:
    """Text of one cell: printed lines top to bottom, stray marks (`‹`, `..`: noise near rules) dropped.
    A `—` between two words of its row is the text's dash (`Giáo dục — Giáo dục đại học`, lost from
    dev pages' cells); at a row's end it is as likely a piece of rule."""
    keep = [w for w in words if any(ch.isalnum() for ch in w.text) or w.text in ("-", "–", "+", "—")]
    return " ".join(" ".join(w.text for w in _inner_dashes(row)) for row in _rows(keep, s))


def _inner_dashes(row: list[OcrWord]) -> list[OcrWord]:
    return [w for k, w in enumerate(row) if w.text != "—" or 0 < k < len(row) - 1]


def _rows(words: list[OcrWord], s: LayoutSettings = DEFAULT_LAYOUT) -> list[list[OcrWord]]:
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
            if min(r1, y1) - max(r0, y0) >= s.row_overlap * min(r1 - r0, y1 - y0) and not _overlaps_x(
                rws, ws
            ):
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


def _has_text(ws: list[OcrWord]) -> bool:
    """A letter or digit among the words, not only spacing marks (`ˆ`, `˜`: letters to Unicode, what
    Tesseract prints for specks) and punctuation: a row of `~ ˆ ˆ ~ °` under a seal is no line."""
    return letters_or_digits(ws) > 0


def _column(ws: list[OcrWord]) -> bool:
    """Enough text to stand for a column's line: two letters or digits (`KT.`, `TM.`). A seal's arc or
    a speck read as `j`, `+` or a backtick beside a body line (`Điều 2. Điều khoản thi hành  \u0060 ~`)
    opens no two-column block: taken for one, the body lines under it went to the recipients' column
    and printed after the signer."""
    return letters_or_digits(ws) >= 2


def _bullet(ws: list[OcrWord]) -> bool:
    return len(ws) == 1 and ws[0].text in ITEM_MARKS


def _text(ws: list[OcrWord]) -> str:
    return " ".join(w.text for w in ws)


# ---------------------------------------------------------------- tables


def _band_of(g: Grid, cy: float) -> int:
    return min(range(len(g.bands)), key=lambda i: max(g.bands[i][0] - cy, 0, cy - g.bands[i][1]))


def _drop_crossed_cuts(
    g: Grid, words: list[OcrWord], bands: list[int], s: LayoutSettings = DEFAULT_LAYOUT
) -> Grid:
    """Drop "column rules" that words run across: a streak through the cells, not a rule.

    A streak runs through the text of most rows it crosses; a real rule is at most touched by a box
    that OCR stretched over a speck beside it (`.:Tổng`) in a row or two, so what counts is the
    share of the rule's rows with a word across it.
    """
    m = max(3, (g.bbox[2] - g.bbox[0]) // s.crossed_cut_margin)
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
    return Grid(
        g.bbox,
        g.bands,
        [g.cuts[k] for k in sel],
        [[row[k] for k in keep] for row in g.present],
        [[xs[k] for k in sel] for xs in g.band_cuts],
    )


def _faded_cuts(g: Grid, words: list[OcrWord], bands: list[int], s: LayoutSettings = DEFAULT_LAYOUT) -> None:
    """A column rule the scan lost in one band (a faint rule a 1-bit scan broke into sparse dots) is
    still there when the band's words stand on both sides of it and none runs across it, in a row of
    cells (one with a rule left, or opening with its number). A merged row has its words on one side
    (`QUÝ I`), or a heading left of a speck read as letters (`QUÝ III  ï CÀ`), or a heading word split
    at the rule (`QUÝ HI`): a lone word left of a rule must be a row number. Marks without letters are
    the rule's own dots read as text."""
    m = max(3, (g.bbox[2] - g.bbox[0]) // s.crossed_cut_margin)
    for i, present in enumerate(g.present):
        mine = [w for w, b in zip(words, bands, strict=True) if b == i and any(ch.isalnum() for ch in w.text)]
        first = min(mine, key=lambda w: w.x0, default=None)
        if first is None or not (any(present) or any(ch.isdigit() for ch in first.text)):
            continue  # a row of cells has a rule left or opens with its number; `QUÝ III ...` does not
        for k, c in enumerate(g.band_cuts[i][1:-1]):
            if present[k] or any(w.x0 < c - m and w.x1 > c + m for w in mine):
                continue
            left = [w for w in mine if (w.x0 + w.x1) / 2 < c]
            right = [w for w in mine if (w.x0 + w.x1) / 2 > c]
            if right and (len(left) >= 2 or (len(left) == 1 and any(ch.isdigit() for ch in left[0].text))):
                present[k] = True


def _grid_table(g: Grid, words: list[OcrWord], s: LayoutSettings = DEFAULT_LAYOUT) -> Table:
    """Cell text of a ruled grid: each word goes to the band and cell holding its box centre."""
    bands = [_band_of(g, (w.y0 + w.y1) / 2) for w in words]
    g = _drop_crossed_cuts(g, words, bands, s)
    _faded_cuts(g, words, bands, s)
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
            rows.append([_join_lines([w for k in range(ncols) for w in content.get((i, k), [])], s)])
            continue
        row = [""] * ncols
        for n, k0 in enumerate(starts):
            k1 = starts[n + 1] if n + 1 < len(starts) else ncols
            row[k0] = _join_lines([w for k in range(k0, k1) for w in content.get((i, k), [])], s)
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


def _unruled_tables(
    rows: list[list[OcrWord]], width: int, gap: float, s: LayoutSettings = DEFAULT_LAYOUT
) -> list[tuple[int, int, Table]]:
    """Tables printed without rules: runs of >= 3 rows whose column gaps line up.

    Returns (first row index, last row index, table). Column starts are clustered word-group x0s.
    """
    found: list[tuple[int, int, Table]] = []
    i = 0
    tol = width * s.unruled_align

    def closing(gs: list[list[OcrWord]]) -> bool:
        # the signer beside `Nơi nhận` is two columns, not a table: a recipient's word box that
        # Tesseract drew round its dash alone (`-Như` 8 px wide) made a third column there
        return any(_SIGNER_MODE.match(_text(g)) or _NOI_NHAN.match(_fold(_text(g))) for g in gs)

    while i < len(rows):
        gi = _groups(rows[i], gap)
        if len(gi) < s.unruled_min_columns or closing(gi):
            i += 1
            continue
        starts = [g[0].x0 for g in gi]
        j = i + 1
        members = [gi]
        while j < len(rows):
            gj = _groups(rows[j], gap)
            if closing(gj):
                break
            if len(gj) >= 2 and all(min(abs(g[0].x0 - s) for s in starts) < tol for g in gj):
                members.append(gj)
                j += 1
            elif len(gj) == 1 and members and min(abs(gj[0][0].x0 - s) for s in starts[1:]) < tol:
                members.append(gj)  # a wrapped continuation line of one cell
                j += 1
            else:
                break
        if len(members) >= s.unruled_min_rows:
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


def _usable(words: list[OcrWord], rules: np.ndarray, s: LayoutSettings = DEFAULT_LAYOUT) -> list[OcrWord]:
    """OCR words minus the rules Tesseract read as text (`|`, `—`), with stray bars stripped."""
    out: list[OcrWord] = []
    for w in words:
        t = _clean(w.text)
        if not t:
            continue
        if _RULE_CHARS.match(t) and t not in HYPHENS and not _LEADER.match(t):
            patch = rules[max(0, w.y0) : w.y1 + 1, max(0, w.x0) : w.x1 + 1]
            if patch.size and (patch > 0).mean() > s.rule_word_ink:
                continue
        if t != w.text:
            w = OcrWord(t, w.conf, w.x0, w.y0, w.x1, w.y1, w.block, w.par, w.line)
        out.append(w)
    return out


def _header(
    rows: list[list[OcrWord]], width: int, height: int, gap: float, s: LayoutSettings = DEFAULT_LAYOUT
) -> tuple[int, list[tuple[str, str]], list[int]]:
    """Leading rows that form the two-column header; returns (rows used, (left, right) pairs, rows
    inside it that are a stamp's lines: right of the right column's centre, kept out of the pairs).

    A "word" much flatter than the text (the short rule under the issuing body, read as `mã`) is not
    text: it would stand for a line of its own and split the header where it is not split."""
    heights = [w.y1 - w.y0 for r in rows[:12] for w in r]
    word_h = statistics.median(heights) if heights else 0
    flat = s.flat_word * word_h

    def rule_flat(w: OcrWord) -> bool:
        """Flatter than text and no hyphen: the motto's `-` is as flat as the rule, but narrow."""
        return w.y1 - w.y0 < flat and not (w.text in HYPHENS and w.x1 - w.x0 <= word_h)

    def rule_like(w: OcrWord, r: list[OcrWord]) -> bool:
        """A short word OCR itself doubted (`SỔ` for the same rule), standing apart: within a run of
        words (`QUỐC HỘI` OCR was unsure of) it is a word of the line."""
        if not (w.conf < s.doubted_conf and len(w.text) <= 3):
            return False
        return all(v is w or v.x1 < w.x0 - gap or v.x0 > w.x1 + gap for v in r)

    kept_rows = [
        (
            i,
            [w for w in r if not rule_flat(w) and not rule_like(w, r) and not RULE_RUN.fullmatch(w.text)],
        )
        for i, r in enumerate(rows)
    ]
    index = [i for i, r in kept_rows if r]  # position of each kept row among the caller's rows
    rows = [r for _, r in kept_rows if r]
    split_rows = []
    for r in rows[:4]:
        if (r[0].y0 + r[-1].y1) / 2 > height * s.header_split_top:
            break
        gs = _groups(r, gap)
        if len(gs) >= 2:
            k = max(range(len(gs) - 1), key=lambda k: gs[k + 1][0].x0 - gs[k][-1].x1)
            left = [w for g in gs[: k + 1] for w in g]
            right = [w for g in gs[k + 1 :] for w in g]
            split_rows.append((left, right))
    if not split_rows:
        return 0, [], []
    cl = statistics.median((lft[0].x0 + lft[-1].x1) / 2 for lft, _ in split_rows)
    cr = statistics.median((rgt[0].x0 + rgt[-1].x1) / 2 for _, rgt in split_rows)
    bound = statistics.median((lft[-1].x1 + rgt[0].x0) / 2 for lft, rgt in split_rows)
    if cr - cl < width * s.header_column_spread:
        return 0, [], []
    pairs: list[tuple[str, str]] = []
    stamps: list[int] = []
    used = 0
    prev_y = None
    for pos, r in enumerate(rows):
        y = (r[0].y0 + r[0].y1) / 2
        lh = max(s.header_min_line_px, statistics.median(w.y1 - w.y0 for w in r))
        if y > height * s.header_bottom or (prev_y is not None and y - prev_y > s.header_line_gap * lh):
            break
        gs = _groups(r, gap)
        c = (r[0].x0 + r[-1].x1) / 2
        if len(gs) >= 2:
            k = max(range(len(gs) - 1), key=lambda k: gs[k + 1][0].x0 - gs[k][-1].x1)
            left = [w for g in gs[: k + 1] for w in g]
            right = [w for g in gs[k + 1 :] for w in g]
            if abs((left[-1].x1 + right[0].x0) / 2 - bound) > width * s.header_bound_drift:
                break
            pairs.append((_text(left), _text(right)))
        elif r[-1].x1 < bound and abs(c - cl) < width * s.header_centre_tol:
            pairs.append((_text(r), ""))
        elif r[0].x0 > bound - width * s.header_right_edge and abs(c - cr) < width * s.header_centre_tol:
            pairs.append(("", _text(r)))
        elif r[0].x0 > bound and c > cr and pairs:  # right of the column and of its centre: a stamp's
            stamps.append(index[pos])  # line, no header field, read on after the header (not a stop)
            continue
        else:
            break
        used = pos + 1
        prev_y = y
    if not any(a and b for a, b in pairs) or any(_NOI_NHAN.match(_fold(a)) for a, _ in pairs):
        return 0, [], []  # Nơi nhận beside the signer (a last page's top) is no header
    return index[used - 1] + 1, pairs, stamps


_RECIPIENT_ITEM = re.compile(r"^\s*[-–~+•]")
_SIGNER_MODE = re.compile(r"^\W*(?:TM|KT|TL|TUQ|Q)\s*\.", re.I)


def _closing_block(lefts: list[str], rights: list[str], n_rows: int) -> bool:
    """Rows read as the signer (right) beside the recipients (left): a signing mode on the right
    (`KT. BỘ TRƯỞNG`), or recipient items on the left (`- Lưu: VT.`: one row alone, two in a block)."""
    items = sum(bool(_RECIPIENT_ITEM.match(t)) for t in lefts)
    return any(_SIGNER_MODE.match(t) for t in rights) or items >= min(2, n_rows)


def _paired(rows: list[list[OcrWord]], bound: float) -> bool:
    """Rows of a two-column block that pair up, a word on each side in three rows or more and in two
    of three: a table of labels and values (`Số hiệu | 28/2026/TT-BXD`; the block also takes the lines
    under it that stay within one column), not a stamp's lines beside a title, which stand on rows of
    their own."""
    both = sum(any(w.x1 <= bound for w in r) and any(w.x0 >= bound for w in r) for r in rows)
    return both >= 3 and 3 * both >= 2 * len(rows)


def _junk(row: list[OcrWord], s: LayoutSettings = DEFAULT_LAYOUT) -> bool:
    alnum = sum(ch.isalnum() for w in row for ch in w.text)
    return alnum < 3 and not _text(row).strip(".").isdigit() or mean_conf(row) < s.junk_conf


def _is_page_number(row: list[OcrWord], width: int, s: LayoutSettings = DEFAULT_LAYOUT) -> bool:
    t = _text(row)
    return (
        len(t) <= 4
        and t.strip(".-– ").isdigit()
        and abs((row[0].x0 + row[-1].x1) / 2 - width * s.page_number_x) < width * s.page_number_tol
    )


def analyze_layout(
    image: object,
    ocr_page: OcrPage,
    *,
    first_page: bool | None = None,
    rules: tuple[np.ndarray, np.ndarray] | None = None,
    settings: LayoutSettings = DEFAULT_LAYOUT,
    bw: np.ndarray | None = None,
) -> PageLayout:
    """Header columns, lines, tables of one page. `image` is the page OCR ran on (same pixel grid).

    `first_page=False` skips header detection; None looks for a header at the top of any page.
    Lines of a two-column block lower on the page (signature beside Nơi nhận) come out right column
    first, then left, the order `PlanDoc.to_text` uses. `settings`: the layout ratios; `bw`: the
    page's `binarize`, when the caller has it.
    """
    s = settings
    gray = as_gray(image)
    height, width = gray.shape
    bw = binarize(gray, s) if bw is None else bw
    hor, ver = rules if rules is not None else rule_masks(bw, s)  # the pipeline found them before OCR
    words = _usable(ocr_page.words, hor | ver, s)
    gap = width * s.column_gap
    layout = PageLayout(width=width, height=height)

    grids = find_grids(bw, hor)
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
        placed.append((g.bbox[1], "table", _grid_table(g, ws, s)))

    rows = [r for r in _rows(free, s) if _has_text(r)]
    while rows and rows[0][0].y1 < height * s.junk_zone and _junk(rows[0], s):
        rows = rows[1:]  # specks, streak bits and stamp fragments above the first printed line
    if first_page is not False:
        if rows and _is_page_number(rows[0], width, s):  # Decree 30 numbers pages from 2: not a first page
            placed.append((rows[0][0].y0, "line", _text(rows[0])))
            rows = rows[1:]
        else:
            top, pairs, stamps = _header(rows, width, height, gap, s)
            layout.header_rows = pairs
            layout.header_left = [a for a, _ in pairs if a]
            layout.header_right = [b for _, b in pairs if b]
            rows = [rows[i] for i in stamps if i < top] + rows[top:]  # a stamp's lines read on as text

    unruled = _unruled_tables(rows, width, gap, s)
    taken: set[int] = set()
    for i, j, t in unruled:
        placed.append((rows[i][0].y0, "table", t))
        taken.update(range(i, j + 1))
    rows = [r for k, r in enumerate(rows) if k not in taken]

    k = 0
    closing = False  # past `Nơi nhận`: two-column rows there are the signer beside the recipients
    while k < len(rows):
        gs = [g for g in _groups(rows[k], gap) if _column(g)]
        if len(gs) >= 2:  # a two-column block: collect its rows, emit right column then left
            kk = max(range(len(gs) - 1), key=lambda q: gs[q + 1][0].x0 - gs[q][-1].x1)
            bound = (gs[kk][-1].x1 + gs[kk + 1][0].x0) / 2
            # where the right column's text starts: a line of the left column may run up to it (the
            # bound lies mid-gap of the first row, `Nơi nhận:` | `TM. CHÍNH PHỦ`, and recipient lines
            # are longer); a line that runs on past it spans both columns and ends the block
            reach = gs[kk + 1][0].x0
            lefts: list[str] = []
            rights: list[str] = []
            y_first = rows[k][0].y0
            start = k
            while k < len(rows):
                r = rows[k]
                runs = _groups(r, gap)
                if k == start:
                    if sum(w.x1 <= bound or w.x0 >= bound for w in r) < len(r):
                        break
                elif any(g[0].x0 < bound and max(w.x1 for w in g) > reach for g in runs):
                    break
                # each run of word-spaced words goes to the column it starts in: a word space at the
                # bound is no gutter (`- Thủ tướng Chính phủ; các | Phó TTCP;`, a long line of the left
                # column where the right one is blank, when a speck in the block's first row set the
                # bound); a speck a column's width from any text is no part of a line (`°` | `KT.`), nor
                # a dash in the signer's column; in the recipients' a lone dash still opens an item
                left = [w for g in runs if g[0].x0 < bound and (_has_text(g) or _bullet(g)) for w in g]
                right = [w for g in runs if g[0].x0 >= bound and _has_text(g) for w in g]
                reach = min([reach, *(g[0].x0 for g in runs if g[0].x0 >= bound and _column(g))])
                if left:
                    lefts.append(_text(left))
                if right:
                    rights.append(_text(right))
                k += 1
            if k == start:  # a box overlapping its neighbour straddles the gap: not two columns
                placed.append((rows[k][0].y0, "line", _text(rows[k])))
                k += 1
                continue
            closing = closing or any(_NOI_NHAN.match(_fold(t)) for t in lefts)
            top_zone = y_first < height * s.stamp_zone  # a stamp beside the type line stays apart
            if top_zone and _paired(rows[start:k], bound):
                top_zone = False  # ... a table of labels and values does not: its rows read across
            if not (closing or top_zone or _closing_block(lefts, rights, k - start)):
                # body rows with a column-wide gap (a seal or a streak cleaned out of two lines, a form
                # line whose dotted leaders were dust) read on left to right, row by row
                placed.extend((rows[i][0].y0, "line", _text(rows[i])) for i in range(start, k))
                continue
            for n, text in enumerate([*rights, *lefts]):
                placed.append((y_first + n * 1e-3, "line", text))
            continue
        placed.append((rows[k][0].y0, "line", _text(rows[k])))
        closing = closing or bool(_NOI_NHAN.match(_fold(_text(rows[k]))))
        k += 1

    for _, kind, payload in sorted(placed, key=lambda p: p[0]):
        if kind == "line":
            layout.blocks.append(("line", len(layout.lines)))
            layout.lines.append(payload)  # type: ignore[arg-type]
        else:
            layout.blocks.append(("table", len(layout.tables)))
            layout.tables.append(payload)  # type: ignore[arg-type]
    return layout


def table_cells(
    image: np.ndarray,
    rules: tuple[np.ndarray, np.ndarray],
    settings: LayoutSettings = DEFAULT_LAYOUT,
    bw: np.ndarray | None = None,
) -> list[list[tuple[int, int, int, int]]]:
    """The rows of cells of the page's ruled tables, as `analyze_layout` will find them (for OCR's
    second look at cells it left empty); `bw`: the page's `binarize`, when the caller has it."""
    bw = binarize(as_gray(image), settings) if bw is None else bw
    return [row for g in find_grids(bw, rules[0]) for row in grid_cells(g)]
