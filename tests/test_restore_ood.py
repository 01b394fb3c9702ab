"""Issue 18 parts: topic split, document cache, dictionary word bonus, calibrated confidence."""

from __future__ import annotations

import dataclasses

import numpy as np

from vnplans.text.corpus import Doc
from vnplans.text.doccache import DocCache
from vnplans.text.lm import get_lm
from vnplans.text.restorer import DEFAULT, calibrate, restore_detailed
from vnplans.text.topics import HELDOUT_TOPICS, in_training, topic_of
from vnplans.text.wordbonus import pair_bonus


def test_topics_come_from_the_slug_or_the_head_not_the_legal_bases() -> None:
    assert topic_of(Doc("phapdien:nong-nghiep-nong-thon__thuy-loi", "phapdien", "")) == "water"
    assert topic_of(Doc("phapdien:van-hoa-the-thao-du-lich__du-lich", "phapdien", "")) == "culture"
    head = "BỘ TÀI CHÍNH\nTHÔNG TƯ\nQuy định về phí thẩm định\nCăn cứ Luật Thủy lợi;\n"
    assert topic_of(Doc("vbpl:x", "vbpl", head)) == "finance"  # the basis names water, the title fees
    water = Doc("vbpl:y", "vbpl", "QUYẾT ĐỊNH\nVề phòng, chống thiên tai năm 2026\n")
    assert topic_of(water) in HELDOUT_TOPICS and not in_training(water)


def test_the_cache_speaks_for_rarer_readings_only() -> None:
    cache = DocCache(lambda folded: {"ung": "ứng"}.get(folded))
    cache.collect(["úng", "úng", "ứng", "ngập"], [0.99, 0.99, 0.99, 0.5], [False] * 4, high=0.95)
    assert cache.bonus("úng", 1.0) > 0.6  # two of three confident readings
    assert cache.bonus("ứng", 1.0) == 0.0  # the corpus's usual reading needs no help
    assert not cache.knows("ngập")  # an unsure choice is not the document's reading
    cache.collect(["cửa"], [0.1], [True], high=0.95)  # printed with its marks: always counted
    assert cache.knows("của")


def test_a_printed_word_raises_its_stripped_twins() -> None:
    """Partly marked text: the title printed `cửa xả` and `đê`; the stripped lines follow it (without
    the cache the model reads `của xã` and `dễ`)."""
    text = "Kiểm tra cửa xả và đê.\nSua chua cua xa tram bom truoc mua mua.\nMat de bi sat lo."
    cfg = dataclasses.replace(DEFAULT, doc_cache=False)
    lines = restore_detailed(text).text.splitlines()
    assert lines[1].startswith("Sửa chữa cửa xả") and lines[2] == "Mặt đê bị sạt lở."
    assert restore_detailed(text, config=cfg).text.splitlines()[1:] != lines[1:]


def test_dictionary_pairs_get_the_bonus() -> None:
    lm = get_lm()
    bonus = pair_bonus(lm, 0.5)
    ids = lm.ids(["nhiệt", "đới", "nhiệt", "đối"])
    assert np.allclose(bonus.scores(ids[[0, 2]], ids[[1, 3]]), [0.5, 0.0])


def test_calibration_is_monotone_and_keeps_the_ends() -> None:
    assert calibrate(1.0, 3.5) == 1.0 and calibrate(0.0, 3.5) == 0.0 and calibrate(0.5, 3.5) == 0.5
    assert calibrate(0.8, 3.5) < 0.6 < calibrate(0.85, 3.5) < calibrate(0.99, 3.5) < 0.99
    assert calibrate(0.8, 1.0) == 0.8
