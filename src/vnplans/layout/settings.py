"""The ratios and thresholds of page layout in one place (after pdfplumber's `TableSettings`).

Lengths are fractions of the page width or height (or of a text line's height) unless named `_px`, so
one setting holds at any resolution. The default instance is today's behaviour; pass another
`LayoutSettings` to `analyze_layout` or `find_rules` to try a change without editing code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LayoutSettings:
    # ----- ink and rules (`layout.rules`)
    binarize_block: int = 60  # adaptive threshold window = width / this (>= 15 px, odd)
    binarize_offset: int = 15  # ... and how much darker than its window a pixel is to count as ink
    half_size_from: int = 1200  # px on the short side (A4 at 150 dpi): smaller images keep full size
    rule_kernel: int = 30  # opening kernel = width / this (>= 20 px): longer than strokes, shorter than rows
    rule_kernel_min_px: int = 20
    rule_gap: int = 600  # pin-hole closing = width / this (>= 2 px): not the gaps between letters
    rule_bridge: int = 40  # closing along a rule = width / this (>= 3 px)
    streak_margin: int = 100  # a line within side / this of the edge is a scanner border or streak
    thick_run: int = 200  # a "rule" thicker than width / this (>= 4 px) is a bold word's letters
    text_run_near: int = 1240  # the band above and below a rule: width / near .. width / far
    text_run_far: int = 250
    text_run_ink: float = 0.25  # ink share in that band that makes a rule a baseline of letters
    short_rule: int = 8  # horizontal rules shorter than width / this may be a bold word's baseline
    min_grid_crossings: int = 4  # the smallest table: a box, two rules crossing at its four corners
    # ----- words and rows (`layout.analyze`)
    row_overlap: float = 0.6  # two OCR lines form one printed row when they overlap this much in height
    column_gap: float = 0.03  # a gap wider than this share of the width separates word groups
    rule_word_ink: float = 0.1  # a `|` or `—` word over this much rule ink is the rule itself
    crossed_cut_margin: int = 300  # a word crosses a column rule by table width / this (>= 3 px)
    # ----- unruled tables
    unruled_align: float = 0.02  # column starts line up within this share of the width
    unruled_min_columns: int = 3
    unruled_min_rows: int = 3
    # ----- header columns
    flat_word: float = 0.35  # a "word" flatter than this share of the median height is a rule
    doubted_conf: float = 0.5  # ... and so is a short word (<= 3 letters) OCR read below this confidence
    header_split_top: float = 0.4  # header rows split into two columns above this share of the height
    header_bottom: float = 0.45  # the header ends by this share of the height
    stamp_zone: float = 0.3  # above this share, two-column rows after the header are a stamp beside text
    header_line_gap: float = 5  # ... or at a vertical gap of this many line heights
    header_min_line_px: float = 10
    header_column_spread: float = 0.2  # the two header columns' centres at least this far apart
    header_bound_drift: float = 0.15  # a two-part row whose split strays this far is not the header
    header_centre_tol: float = 0.12  # a one-part row centred within this of a column's centre
    header_right_edge: float = 0.03  # ... and a right-column row starts no further left of the bound
    # ----- rows that are not text
    junk_zone: float = 0.15  # specks and stamp fragments are dropped above this share of the height
    junk_conf: float = 0.45  # a row OCR read below this mean confidence (0-1) is junk
    page_number_x: float = 0.54  # a page number is centred here (share of the width) ...
    page_number_tol: float = 0.1  # ... within this


DEFAULT_LAYOUT = LayoutSettings()
