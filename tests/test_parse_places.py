"""Official place spellings from the administrative-unit list (dictionaries/admin_units.tsv)."""

from __future__ import annotations

from vnplans.parse import parse_text
from vnplans.parse.places import canonical_place, official_authority, official_place


def test_folded_match_gives_the_official_spelling() -> None:
    assert canonical_place("Tiền Đủ") == "Tiên Du"  # what a language model makes of `Tien Du`
    assert canonical_place("Lam Đong") == "Lâm Đồng"
    assert canonical_place("Nghé An") == "Nghệ An"  # OCR damage: near match, clearly the best


def test_unknown_or_ambiguous_names_are_left_alone() -> None:
    assert canonical_place("Xyz") is None
    assert canonical_place("Ab") is None
    assert official_place("Phòng họp số 3") == "Phòng họp số 3"


def test_level_words_are_kept_and_case_follows_the_header() -> None:
    assert official_place("Thành phố Hồ Chí Minh") == "Thành phố Hồ Chí Minh"
    assert official_authority("ỦY BAN NHÂN DÂN HUYỆN TIỀN ĐỦ") == "ỦY BAN NHÂN DÂN HUYỆN TIÊN DU"
    assert official_authority("SỞ TÀI CHÍNH") == "SỞ TÀI CHÍNH"


def test_parser_respells_restored_place_names_but_not_unaccented_text() -> None:
    head = "{a}    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 12/KH-UBND    {p}, ngày 3 tháng 4 năm 2023\n\nKẾ HOẠCH\nVề việc thử\n"
    rec = parse_text(head.format(a="ỦY BAN NHÂN DÂN HUYỆN TIỀN ĐỦ", p="Tiền Đủ"))
    assert (rec.header.authority, rec.header.place) == ("ỦY BAN NHÂN DÂN HUYỆN TIÊN DU", "Tiên Du")
    rec = parse_text(head.format(a="UBND HUYEN TIEN DU", p="Tien Du"))
    assert rec.header.place == "Tien Du"
