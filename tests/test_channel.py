"""Channel model: alignment, segment scoring, storage, and the committed learned tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from vnplans.text.channel import MODEL_NAME, Channel, Profile, align_chars, align_tokens


def _toy() -> Channel:
    prof = Profile(
        chars={"ư": {"u": -0.1, "w": -1.0}, "ở": {"é": -0.3, "o": -0.4}, "đ": {"d": -0.05}},
        upper={"ộ": {"q": -0.5}},
        syllables={"nim": {"năm": -1.0}},
        error_by_conf=[0.9] * 5 + [0.1] * 4 + [0.01],
        error_rate=0.1,
    )
    return Channel({"eng": prof}, {"năm": 10, "thưởng": 5}, {"UBND": 100}, {"unigram_total": 15})


def test_align_chars_pairs_marks_and_multichar() -> None:
    assert align_chars("thưởng", "thuéng") == [
        ("t", "t"),
        ("h", "h"),
        ("ư", "u"),
        ("ở", "é"),
        ("n", "n"),
        ("g", "g"),
    ]
    pairs = align_chars("làm", "lrn")
    assert "".join(s for _, s in pairs) == "lrn" and len(pairs) == 3
    assert align_chars("đi", "") == [("đ", ""), ("i", "")]


def test_align_tokens_handles_merge_and_split() -> None:
    groups = align_tokens(["quý", "i", "kế", "hoạch"], ["QUYI", "ke", "hoach"])
    assert ([0, 1], [0]) in groups
    groups = align_tokens(["thực", "hiện"], ["th", "uc", "hien"])
    assert ([0], [0, 1]) in groups


def test_logp_prefers_learned_confusions() -> None:
    ch = _toy()
    assert ch.logp("thuéng", "thưởng") > ch.logp("thuéng", "thương")
    assert ch.logp("thwéng", "thưởng") < ch.logp("thuéng", "thưởng")
    assert ch.logp("nim", "năm") >= -1.0  # whole-token evidence
    assert ch.logp("HQI", "hội") > ch.logp("hqi", "hội")  # upper-case glyph table
    assert ch.logp("abc", "abc") > -0.5


def test_conf_adjust_direction() -> None:
    ch = _toy()
    assert ch.conf_adjust(20, same=True, profile="eng") < 0 < ch.conf_adjust(20, same=False, profile="eng")
    assert ch.conf_adjust(99, same=True, profile="eng") > 0


def test_save_load_roundtrip(tmp_path: Path) -> None:
    ch = _toy()
    ch.save(tmp_path / MODEL_NAME)
    back = Channel.load(tmp_path)
    assert back.logp("thuéng", "thưởng") == pytest.approx(ch.logp("thuéng", "thưởng"))
    assert back.abbreviations == {"UBND": 100}


def test_committed_model_learned_diacritic_loss() -> None:
    models = Path(__file__).resolve().parents[1] / "models" / MODEL_NAME
    if not models.exists():
        pytest.skip("models/channel.json.gz not built (make train-channel)")
    ch = Channel.load(models)
    assert models.stat().st_size < 3_000_000
    # eng drops marks: `nam` is far likelier from `năm` than from an unrelated syllable
    assert ch.logp("nam", "năm", "eng") > ch.logp("nam", "lâm", "eng") + 1
    assert ch.logp("thuong", "thưởng", "eng") > -2.5
    # vie mostly reads marks right
    assert ch.logp("tổ", "tổ", "vie") > ch.logp("to", "tổ", "vie")
    assert ch.profiles["eng"].error_rate > ch.profiles["vie"].error_rate
    # hard renders (bold, bleed, bitonal) + shape prior: the crossbar of `Đ` lost (`TPKT`, `Pon`)
    assert ch.logp("TPKT", "TĐKT", "eng") > -2.5
    # tone variants share their body glyph: `ndm` for `năm` is no longer near-impossible
    assert ch.logp("ndm", "năm", "eng") > -3.0
    assert ch.profiles["eng"].merge_short_lp is not None


def test_a_mark_the_english_model_seldom_prints_is_no_likelier_added_than_kept() -> None:
    """`eng` prints `à` for `à` about once in 4,000 times, so an `à` it did print is not likelier to
    stand for a plain `a` (an unseen substitution): `này`, `bà` read right stay (`bà` became `bố`)."""
    from vnplans.text.channel import get_channel
    from vnplans.text.repair import repair

    ch = get_channel()
    assert ch.logp("này", "này", "eng") >= ch.logp("này", "nay", "eng")
    assert ch.logp("bà", "bà", "eng") >= ch.logp("bà", "ba", "eng")
    assert repair("Ong, bà Nguyen Van A", profile="eng") == "Ông, bà Nguyễn Văn A"


def test_digits_read_as_letters_find_the_word_both_ways() -> None:
    """`16n` is two edits from `lon` as written and none read as `l`, `o`, `n`: the nearer search
    must win, or `lớn` falls behind the commonest folds two edits away and is never a reading."""
    from vnplans.text.channel import get_channel

    readings = [s for s, _ in get_channel().candidates("16n", "eng")]
    assert "lớn" in readings


def test_a_mark_counted_never_is_rare_not_impossible() -> None:
    """`MARK_FLOOR`: a learned -7 for a hook on a plain `a` is raised to the profile's floor; another
    letter, or a profile without a floor, keeps what was learned."""
    from vnplans.text.channel import MARK_FLOOR

    tables = {"a": {"a": -0.001, "ả": -7.0, "o": -7.0}}
    floored = Channel({"vie": Profile(chars=tables, upper={}, syllables={})})
    plain = Channel({"eng": Profile(chars=tables, upper={}, syllables={})})
    vie, eng = floored.profiles["vie"], plain.profiles["eng"]
    assert vie.seg_lp("a", "ả", False) == MARK_FLOOR["vie"]
    assert vie.seg_lp("a", "o", False) == -7.0  # another letter: as learned
    assert vie.seg_lp("a", "a", False) == -0.001
    assert eng.mark_floor is None and eng.seg_lp("a", "ả", False) == -7.0


def test_the_floor_lets_context_undo_an_impossible_mark_on_a_real_page_model() -> None:
    """Through the shipped model: `cơ quản, tổ chức` read at 96 % is `cơ quan` (the LM favours it by
    4.6 log10), while `Ban quản lý` keeps its mark."""
    import re

    from vnplans.text.repair import repair_detailed

    def fix(text: str) -> str:
        confs = {(m.start(), m.end()): 96.0 for m in re.finditer(r"\S+", text)}
        return repair_detailed(text, confidences=confs, profile="vie").text

    assert fix("áp dụng khi cơ quản, tổ chức có yêu cầu") == "áp dụng khi cơ quan, tổ chức có yêu cầu"
    assert fix("Ban quản lý dự án xây dựng") == "Ban quản lý dự án xây dựng"
