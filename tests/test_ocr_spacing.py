"""The scan's say on spaces inside an OCR word (`ocr.spacing`), and the text fix keeping a word the
print glued while still splitting one Tesseract ran together."""

from __future__ import annotations

import numpy as np
import pytest

from vnplans.ocr import OcrWord
from vnplans.ocr.spacing import SPACE_GAP, unspaced_check, widest_gap
from vnplans.synth.render import render_page

GLUED = [
    "Loại văn bảnQuyết định số 12/QĐ-UBND của Ủy ban nhân dân tỉnh",
    "Cơ quan ban hànhBộ Giao thông vận tải",
]


def _page(paras: list[str], dpi: int = 200) -> np.ndarray:
    page = render_page(paras, dpi=dpi, page_mm=(180, 50), margins_mm=(8, 8, 8, 8), align="left", indent_mm=0)
    return np.asarray(page.image.convert("L"))


def _ink_box(image: np.ndarray, x0: int, x1: int) -> tuple[int, int, int, int]:
    """The box of the ink of the first text line between columns x0 and x1."""
    rows = np.flatnonzero((image[:, x0:x1] < 128).any(axis=1))
    first_line = rows[: np.argmax(np.diff(rows) > 5) + 1] if (np.diff(rows) > 5).any() else rows
    cols = np.flatnonzero((image[first_line[0] : first_line[-1] + 1, x0:x1] < 128).any(axis=0))
    return x0 + int(cols[0]), int(first_line[0]), x0 + int(cols[-1]) + 1, int(first_line[-1]) + 1


def test_a_printed_space_is_a_gap_and_kerning_is_not() -> None:
    spaced, glued = _page(["bản Quyết"]), _page(["bảnQuyết"])
    w = spaced.shape[1]
    for image, wide in ((spaced, True), (glued, False)):
        box = _ink_box(image, 0, w)
        gap = widest_gap(image, box)
        assert (gap >= SPACE_GAP * (box[3] - box[1])) is wide
        assert widest_gap(image, (box[0], box[1], box[0] + 3, box[3])) <= 2  # no letters, no gap


def test_the_check_locates_a_part_of_a_word_by_its_characters() -> None:
    """A box Tesseract made of two printed words (`bản Quyết` read `bảnQuyết`) is spaced, and so is
    its whole text; a part inside one printed word is not."""
    image = _page(["bản Quyết"])
    box = _ink_box(image, 0, image.shape[1])
    word = OcrWord("bảnQuyết", 0.9, *box, block=1, par=1, line=1)
    check = unspaced_check(image, [word], [(0, 8)])
    assert check(0, 8) is False  # the print has a space: a split would be faithful
    assert check(4, 8) is True  # `Quyết` alone: one printed word
    assert check(9, 12) is False  # outside any word: no say


@pytest.mark.parametrize("glued", [True, False])
def test_repair_splits_only_what_the_scan_shows_spaced(glued: bool) -> None:
    from vnplans.text.repair import repair_detailed

    text = "Loại văn bảnQuyết định"
    fix = repair_detailed(text, profile="vie", unspaced=lambda start, end: glued)
    assert ("bảnQuyết" in fix.text) is glued
    assert ("bản Quyết" in fix.text) is not glued


def test_pipeline_keeps_words_the_print_glued(tmp_path) -> None:
    """Through real Tesseract: words printed without a space, which Tesseract reads as one, stay one
    in `vnplans ocr`'s text (the split rule still fires on the same text without the scan's say)."""
    from PIL import Image

    from vnplans.options import Options
    from vnplans.pipeline import process_document
    from vnplans.text.repair import repair_detailed

    path = tmp_path / "glued.png"
    Image.fromarray(_page(GLUED)).save(path, dpi=(200, 200))
    res = process_document(path, options=Options())
    page = res.pages[0]
    assert "bảnQuyết" in page.raw_text and "hànhBộ" in page.raw_text  # Tesseract read them glued
    assert "bảnQuyết" in res.text and "hànhBộ" in res.text
    assert "bản Quyết" in repair_detailed(page.raw_text, profile="vie").text  # without the scan: split


def test_a_speck_in_a_space_does_not_close_it() -> None:
    """Dust in the space between two printed words (as on a scan of `Triển khai`) leaves the gap a
    space; a stroke as wide, top to bottom, closes it."""
    image = _page(["bản Quyết"])
    x0, y0, x1, y1 = _ink_box(image, 0, image.shape[1])
    cols = (image[y0:y1, x0:x1] < 128).any(axis=0)
    blank = np.flatnonzero(~cols)
    mid = x0 + int(blank[len(blank) // 2])  # a column inside the space
    height = y1 - y0
    dusty = image.copy()
    dusty[(y0 + y1) // 2 : (y0 + y1) // 2 + 3, mid - 1 : mid + 2] = 0
    assert widest_gap(dusty, (x0, y0, x1, y1)) >= SPACE_GAP * height
    ruled = image.copy()
    ruled[y0:y1, mid - 1 : mid + 2] = 0
    assert widest_gap(ruled, (x0, y0, x1, y1)) < widest_gap(image, (x0, y0, x1, y1)) // 2 + 2
