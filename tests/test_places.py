"""Official unit names after their level word: pinned to the gazetteer's spelling, only where the
document does not spell them itself, and only where they are written as names."""

from __future__ import annotations

from vnplans import restore
from vnplans.text.places import _gazetteer, place_pins
from vnplans.text.repair import repair
from vnplans.text.tokens import tokenize


def _pins(text: str) -> dict[str, str]:
    toks = tokenize(text)
    return {toks[i].text: v for i, v in place_pins(toks).items()}


def test_stripped_and_garbled_names_take_the_official_spelling() -> None:
    assert restore("UY BAN NHAN DAN HUYEN TIEN DU") == "ỦY BAN NHÂN DÂN HUYỆN TIÊN DU"
    assert repair("HUYEN TIEN DU") == "HUYỆN TIÊN DU"  # the model alone: `CHUYỂN TIỀN DƯ`
    assert repair("Uy ban nhan dan huyén Tién Du ban hanh") == "Ủy ban nhân dân huyện Tiên Du ban hành"
    assert (
        restore("UBND tinh Bac Ninh; UBND thanh pho Hai Phong")
        == "UBND tỉnh Bắc Ninh; UBND thành phố Hải Phòng"
    )


def test_the_same_name_without_its_level_word_follows_the_header() -> None:
    text = "UY BAN NHAN DAN\nHUYEN TIEN DU\nSo: 194/KH-UBND Tién Du, ngay 12 thang 3 nam 2025"
    assert repair(text).splitlines()[2] == "Số: 194/KH-UBND Tiên Du, ngày 12 tháng 3 năm 2025"
    # without a header, a two-word name standing alone is found in the gazetteer itself
    assert "Tiên Du" in restore("So: 194/KH-UBND Tien Du, ngay 12 thang 3 nam 2025")


def test_pre_2025_wards_and_names_standing_alone() -> None:
    """Wards of before the 2025 reorganisation (admin_wards_pre2025.tsv), a trailing number dropped,
    and bare two-word names; never a longer bare name (mostly people's) nor a lower-case phrase."""
    assert set(_pins("thuoc phuong Co Nhue 1").values()) == {"phường", "cổ", "nhuế"}
    assert set(_pins("khu tap the Dong Ngac").values()) == {"đông", "ngạc"}
    assert _pins("ong Nguyen Van Thanh") == {}  # a commune's name too, but far more often a person's
    assert _pins("co nhue cau") == {}  # not written as a name


def test_the_documents_own_marks_win() -> None:
    assert _pins("huyện Tiền Dư") == {}  # folds like Tiên Du, but written with valid marks of its own
    assert set(_pins("huyện Tiền Hải").values()) == {"huyện", "tiền", "hải"}  # agrees: a no-op


def test_prose_that_folds_like_a_name_is_left_to_the_model() -> None:
    assert _pins("phuong an phong chay") == {}  # `phương án phòng`, not Phường An Phong
    assert _pins("Phuong an phong chay chua chay") == {}
    assert _pins("PHUONG AN PHONG CHAY CHUA CHAY") == {}  # upper case: the name must end the phrase
    assert _pins("huyen Tien\n\nDu") == {}  # a paragraph break splits the phrase
    assert list(_pins("huyen Tien\nDu").values()) == ["huyện", "tiên", "du"]  # a name wraps in prose


def test_names_two_spellings_fold_to_are_not_pinned() -> None:
    ambiguous = [k for k, v in _gazetteer().items() if v is None]
    assert ambiguous, "the gazetteer has look-alike names (else this test proves nothing)"
    key = ambiguous[0]
    text = " ".join(w.capitalize() if n else w for n, w in enumerate(key))
    assert _pins(text) == {}


def test_a_persons_name_is_no_place_name_standing_alone() -> None:
    """`Vạn Hưng` and `Lê Thanh` are communes, `Văn Hùng` and `Lê Thành` parts of signers' names: a
    two-word name beside another capitalised word is a person's, and the model decides."""
    for text in ("PHO THU TUONG\n(Da ky) Le Thanh Long", "THU TRUONG\nNguyen Van Hung"):
        pinned = place_pins(tokenize(text))
        assert not pinned, pinned
    assert place_pins(tokenize("khu tap the Dong Ngac, phia bac"))  # alone, still a place


def test_an_organisations_title_is_no_place_name_standing_alone() -> None:
    """`Ban Thi đua - Khen thưởng` folds like the commune `Bản Thi`, but its `thi` makes the word
    `thi đua` with the word after: a title, left to the model (it was pinned to `Bản Thi đua`)."""
    for text in ("Ban Thi dua - Khen thuong tinh", "Sở Tài chính, Ban Thi đua - Khen thưởng tỉnh"):
        assert place_pins(tokenize(text)) == {}, text
    assert restore("Ban Thi dua - Khen thuong").startswith("Ban Thi đua")
    assert repair("Ban Thi đua - Khen thưởng tỉnh chủ trì") == "Ban Thi đua - Khen thưởng tỉnh chủ trì"
    assert set(_pins("xa Ban Thi dua vao").values()) >= {"bản", "thi"}  # after its level word: pinned
