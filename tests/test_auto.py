"""fix_text: dispatch per block, same line count, offsets into the input, never crash."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vnplans.text.auto import fix_text
from vnplans.text.legacy import encode_legacy
from vnplans.text.syllable import fold


def _have_models() -> bool:
    try:
        from vnplans.text.candidates import get_candidates
        from vnplans.text.lm import get_lm

        get_lm()
        get_candidates()
    except Exception:
        return False
    return True


HAVE_LM = _have_models()

CLEAN = "Ủy ban nhân dân tỉnh ban hành kế hoạch thực hiện nhiệm vụ năm tới.\nCác sở phối hợp triển khai."


def _offsets_point_into_input(text, result):
    for w in result.words:
        assert 0 <= w.start <= w.end <= len(text)
        assert text[w.start : w.end] == w.source


def test_clean_text_is_kept_with_tone_style():
    r = fix_text("Hoà bình và thuỷ lợi của tỉnh được chú trọng.", style="old")
    assert r.text == "Hòa bình và thủy lợi của tỉnh được chú trọng."
    assert r.mode == "keep"
    r = fix_text("Hòa bình và thủy lợi của tỉnh được chú trọng.", style="new")
    assert r.text.startswith("Hoà bình và thuỷ lợi")


def test_nfc_input_offsets_map_to_decomposed_input():
    text = unicodedata.normalize("NFD", "Hoà bình và thuỷ lợi được chú trọng.")
    assert fix_text(text).text == "Hoà bình và thuỷ lợi được chú trọng."  # style keep: composed only
    r = fix_text(text, style="old")
    assert r.text == "Hòa bình và thủy lợi được chú trọng."
    assert r.words and all(unicodedata.normalize("NFC", w.source) in ("Hoà", "thuỷ") for w in r.words)
    _offsets_point_into_input(text, r)


@pytest.mark.parametrize("enc", ["tcvn3", "vni"])
def test_legacy_page_converted_auto_and_forced(enc):
    src = encode_legacy(CLEAN, enc).replace("\n", "\r\n")
    for mode in ("auto", "legacy"):
        r = fix_text(src, mode=mode)
        assert r.text == CLEAN.replace("\n", "\r\n")
        assert r.mode == f"legacy-{enc}"
        _offsets_point_into_input(src, r)


def test_mixed_page_keeps_unicode_lines_out_of_legacy_conversion():
    text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n" + encode_legacy(CLEAN, "tcvn3") + "\nBan chi dao"
    r = fix_text(text)
    assert r.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n" + CLEAN + "\nBan chi dao"


def test_not_vietnamese_and_empty_unchanged():
    en = "The committee shall review the annual report and submit its findings."
    r = fix_text(en)
    assert r.text == en and r.mode == "not-vietnamese" and r.notes
    assert fix_text("").text == "" and fix_text("\n\n").text == "\n\n"


def test_forced_keep_and_bad_arguments():
    stripped = fold(CLEAN)
    assert fix_text(stripped, mode="keep").text == stripped
    with pytest.raises(ValueError):
        fix_text("x", mode="magic")
    with pytest.raises(ValueError):
        fix_text("x", style="newest")


def test_stripped_text_goes_to_restore():
    r = fix_text(fold(CLEAN))
    assert r.mode == "restore"
    assert r.text.count("\n") == 1
    if HAVE_LM:
        assert r.text != fold(CLEAN)  # marks came back
        _offsets_point_into_input(fold(CLEAN), r)
    else:
        assert any("failed" in n for n in r.notes)  # no model: kept, and said so


def test_garbled_page_goes_to_repair():
    text = "H6i ddng nhan dan quyet dinh vé két qua nhiém vu\nKE HOACH\nlap thanh tich 14p thuéng nim"
    r = fix_text(text)
    assert r.mode == "repair"
    assert r.text.count("\n") == 2


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_never_crashes_and_keeps_lines(text):
    for mode in ("auto", "keep", "legacy"):
        r = fix_text(text, mode=mode)
        assert r.text.count("\n") == text.count("\n")
        _offsets_point_into_input(text, r)
