"""Dotted leaders back into the text: the blanks of a form (`số ........ ngày ..... tháng`).

Why after OCR and not on the page: `despeckle` takes leaders off with the dust, because Tesseract
reads the words beside a leader worse (on the held-out realistic pages, keeping them on the page
cost 78 -> 129 syllable errors), but a transcription without its blanks is not faithful. So each
leader `despeckle` found comes back as a word of dots on its box, in the line it sits on, or as a
line of its own where no text shares its row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .page import OcrLine, OcrPage, OcrWord

if TYPE_CHECKING:
    from ..image.preprocess import Leader

__all__ = ["LEADER_CONF", "restore_leaders"]

LEADER_CONF = 0.9  # the dots were seen on the page; the word is ours, not the engine's
MAX_GAP_LINES = 6  # a leader joins a line when no farther than this many line heights from its words
MIN_DOTS_ALONE = 6  # fewer dots are dust unless a word is a space away: three specks in a row came
# back as `...` 1.7 line heights after the last word on a synthetic page with 2,800 specks


def _lines(words: list[OcrWord]) -> dict[tuple[int, int, int], list[int]]:
    out: dict[tuple[int, int, int], list[int]] = {}
    for i, w in enumerate(words):
        out.setdefault((w.block, w.par, w.line), []).append(i)
    return out


def _box(words: list[OcrWord], idx: list[int]) -> tuple[int, int, int, int]:
    return OcrLine([words[i] for i in idx], 0, 0).box


def _same_row(words: list[OcrWord], lead: Leader) -> tuple[tuple[int, int, int], list[int]] | None:
    """The line whose row holds the leader's dots, nearest along the row (two columns share a row)."""
    cy = (lead.y0 + lead.y1) / 2
    reach = MAX_GAP_LINES if lead.dots >= MIN_DOTS_ALONE else 1
    best = None
    for key, idx in _lines(words).items():
        x0, y0, x1, y1 = _box(words, idx)
        if not y0 <= cy <= y1:
            continue
        gap = max(0, x0 - lead.x1, lead.x0 - x1)
        if gap <= reach * (y1 - y0) and (best is None or gap < best[0]):
            best = (gap, key, idx)
    return None if best is None else (best[1], best[2])


def _own_row(words: list[OcrWord], lead: Leader) -> tuple[int, tuple[int, int, int]]:
    """Where a leader alone on its row goes: after the nearest line above it that overlaps it along
    the row (in that line's block), else before the nearest such line below; else at the end."""
    cy = (lead.y0 + lead.y1) / 2
    above = below = None
    for key, idx in _lines(words).items():
        x0, y0, x1, y1 = _box(words, idx)
        if x1 < lead.x0 or x0 > lead.x1:
            continue
        if y1 <= cy and (above is None or y1 > above[0]):
            above = (y1, key, max(idx) + 1)
        elif y0 > cy and (below is None or y0 < below[0]):
            below = (y0, key, min(idx))
    near = above or below
    if near is None:
        block = max((w.block for w in words), default=0) + 1
        return len(words), (block, 1, 1)
    _, (block, par, _), at = near
    line = max((w.line for w in words if (w.block, w.par) == (block, par)), default=0) + 1
    return at, (block, par, line)


def restore_leaders(page: OcrPage, leaders: Sequence[Leader]) -> OcrPage:
    """`page` with a word of dots for each leader, top to bottom; the page itself when there are none."""
    if not leaders:
        return page
    words = list(page.words)
    for lead in sorted(leaders, key=lambda ld: (ld.y0, ld.x0)):
        row = _same_row(words, lead)
        if row is not None:
            key, idx = row
            left = [i for i in idx if words[i].x0 < lead.x0]
            at = max(left) + 1 if left else min(idx)
        elif lead.dots >= MIN_DOTS_ALONE:
            at, key = _own_row(words, lead)
        else:
            continue
        words.insert(at, OcrWord("." * lead.dots, LEADER_CONF, lead.x0, lead.y0, lead.x1, lead.y1, *key))
    return OcrPage(page.width, page.height, words)
