"""Unit and property tests of syllable analysis, stripping, tone placement and case transfer."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from vnplans.text.syllable import (
    Tone,
    analyze,
    apply_tone,
    fold,
    get_tone,
    is_valid_syllable,
    nfc,
    normalize_tone_placement,
    strip_diacritics,
    strip_tone,
    transfer_case,
)


@pytest.mark.parametrize(
    ("word", "onset", "nucleus", "coda", "tone"),
    [
        ("người", "ng", "ươi", "", Tone.HUYEN),
        ("quốc", "qu", "ô", "c", Tone.SAC),
        ("gìn", "g", "i", "n", Tone.HUYEN),
        ("giữ", "gi", "ư", "", Tone.NGA),
        ("nghiêng", "ngh", "iê", "ng", Tone.NGANG),
        ("khuyên", "kh", "uyê", "n", Tone.NGANG),
        ("Đức", "đ", "ư", "c", Tone.SAC),
    ],
)
def test_analyze_parts(word: str, onset: str, nucleus: str, coda: str, tone: Tone) -> None:
    syl = analyze(word)
    assert syl is not None
    assert (syl.onset, syl.nucleus, syl.coda, syl.tone) == (onset, nucleus, coda, tone)


@pytest.mark.parametrize("word", ["người", "hoạch", "thủy", "khuya", "quý", "yêu", "uyển", "được"])
def test_valid_syllables(word: str) -> None:
    assert is_valid_syllable(word)


@pytest.mark.parametrize("word", ["UBND", "kh", "tiếngs", "hoàc", "càt", "ce", "ghex", "iêu", "hóá"])
def test_invalid_syllables(word: str) -> None:
    assert not is_valid_syllable(word)


def test_strip_and_fold() -> None:
    assert strip_diacritics("Ủy ban nhân dân ĐÀ NẴNG") == "Uy ban nhan dan DA NANG"
    assert strip_tone("Quyết định") == "Quyêt đinh"
    assert fold is strip_diacritics


def test_tone_placement_styles() -> None:
    assert normalize_tone_placement("hoà thuỷ Uỷ ban KHOẺ", "old") == "hòa thủy Ủy ban KHỎE"
    assert normalize_tone_placement("hòa thủy Ủy ban", "new") == "hoà thuỷ Uỷ ban"
    # closed syllables and shaped vowels do not depend on the style
    assert normalize_tone_placement("hoạch quyết", "new") == "hoạch quyết"
    with pytest.raises(ValueError):
        normalize_tone_placement("hoà", "modern")


def test_apply_and_get_tone() -> None:
    assert apply_tone("hoa", Tone.HUYEN, "old") == "hòa"
    assert apply_tone("hoa", Tone.HUYEN, "new") == "hoà"
    assert apply_tone("thuy", Tone.HOI) == "thủy"
    assert apply_tone("12", Tone.SAC) is None
    assert get_tone("Nẵng") == Tone.NGA
    assert get_tone("ban") == Tone.NGANG


def test_transfer_case() -> None:
    assert transfer_case("KE", "kế") == "KẾ"
    assert transfer_case("Uy", "ủy") == "Ủy"
    assert transfer_case("dAn", "dân") == "dÂn"
    assert transfer_case("ke", "KẾ") == "kế"


def test_nfc_composes() -> None:
    assert nfc("Vie\u0323\u0302t") == "Việt"


@example("\u0309")  # a hook above on no letter (once shortened the text, moving every later offset)
@given(st.text(max_size=200))
def test_strip_keeps_length_and_never_crashes(text: str) -> None:
    text = nfc(text)
    assert len(strip_diacritics(text)) == len(text)
    assert len(strip_tone(text)) == len(text)
    assert strip_diacritics(strip_diacritics(text)) == strip_diacritics(text)


@given(
    st.text(
        alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ HOÀ ,.\n",
        max_size=120,
    )
)
def test_tone_placement_round_trip(text: str) -> None:
    old = normalize_tone_placement(text, "old")
    new = normalize_tone_placement(text, "new")
    assert len(old) == len(new) == len(nfc(text))
    assert normalize_tone_placement(new, "old") == old
    assert strip_diacritics(old) == strip_diacritics(text)
    for w in text.split():
        analyze(w)
        is_valid_syllable(w)
