"""The renderer prints exactly the text it reports, legibly enough for real Tesseract."""

from __future__ import annotations

import numpy as np
import pytest

from vnplans.synth.render import find_font, load_font, mild_scan, render_page, render_paragraphs, wrap_text


def test_find_font_known_and_missing() -> None:
    assert find_font("Liberation Serif").exists()
    assert find_font("DejaVu Serif", "bold").exists()
    with pytest.raises(FileNotFoundError):
        find_font("No Such Font Family")


def test_wrap_respects_width() -> None:
    f = load_font("Liberation Serif", 50)
    lines = wrap_text("Ủy ban nhân dân thành phố ban hành kế hoạch triển khai công tác " * 5, f, 1200)
    assert len(lines) > 1
    assert all(f.getlength(ln) <= 1200 for ln in lines)


def test_render_lines_cover_text_and_ink() -> None:
    text = "Độc lập - Tự do - Hạnh phúc. Hội đồng nhân dân thành phố Cần Thơ."
    page = render_page([text, text.upper()], dpi=200, size_pt=13)
    assert " ".join(page.lines) == f"{text} {text.upper()}"
    arr = np.asarray(page.image)
    assert page.image.mode == "L" and (arr < 128).mean() > 0.001
    img = render_paragraphs([text], font="DejaVu Serif", size_pt=12, dpi=150)
    assert img.width == round(210 * 150 / 25.4)


def test_clip_reports_only_printed_lines() -> None:
    page = render_page(["một hai ba bốn năm sáu bảy tám chín mười " * 40] * 20, dpi=100)
    assert 10 < len(page.lines) < 400
    grown = render_page(["một hai ba"] * 200, dpi=100, overflow="grow")
    assert len(grown.lines) == 200 and grown.image.height > page.image.height


@pytest.mark.slow
def test_mild_scan_is_deterministic_and_real_ocr_reads_it() -> None:
    from vnplans.ocr import ocr_image

    page = render_page(["Kế hoạch triển khai công tác thi đua, khen thưởng năm 2023."], dpi=300)
    a = mild_scan(page.image, seed=3)
    b = mild_scan(page.image, seed=3)
    assert np.array_equal(np.asarray(a), np.asarray(b))
    words = [w.text for w in ocr_image(np.asarray(a), lang="vie").words]
    assert "hoạch" in words and "2023." in words
