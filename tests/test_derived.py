"""Tables derived from the dictionaries: the cached copy is the table the code computes, an edited
input is never served an old table, and any trouble with the cache falls back to computing it."""

from __future__ import annotations

import json
import marshal
from pathlib import Path

import pytest

from vnplans.derived import derived


def _counting(value):
    calls = []

    def build():
        calls.append(1)
        return value

    return build, calls


def test_stored_once_then_read_and_recomputed_when_an_input_changes(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("VNPLANS_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "words.txt"
    source.write_text("a b\n", encoding="utf-8")
    build, calls = _counting(["a b"])
    assert derived("t", [source], build) == ["a b"]
    assert derived("t", [source], build) == ["a b"] and len(calls) == 1  # the second came from the cache
    stored = list((tmp_path / "cache" / "derived").glob("t-*.json"))
    assert len(stored) == 1 and json.loads(stored[0].read_text(encoding="utf-8")) == ["a b"]
    source.write_text("a b\nc d\n", encoding="utf-8")
    build2, calls2 = _counting(["a b", "c d"])
    assert derived("t", [source], build2) == ["a b", "c d"] and calls2 == [1]
    left = list((tmp_path / "cache" / "derived").iterdir())
    assert len(left) == 1 and left[0] != stored[0]  # the old table is gone, no temporary file is left


def test_marshal_keeps_tuples_and_tuple_keys(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("VNPLANS_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "in.txt"
    source.write_text("x", encoding="utf-8")
    value = ({("tinh", "bac"): ("tỉnh", "bắc"), ("x",): None}, frozenset({"a"}))
    build, calls = _counting(value)
    assert derived("m", [source], build, codec="marshal") == value
    again = derived("m", [source], build, codec="marshal")
    assert again == value and len(calls) == 1 and isinstance(next(iter(again[0])), tuple)
    (stored,) = (tmp_path / "cache" / "derived").glob("m-*.marshal")
    stored.write_bytes(marshal.dumps(5))  # a value, not a table: computed again, and stored again
    assert derived("m", [source], build, codec="marshal") == value and len(calls) == 2
    stored.write_bytes(stored.read_bytes()[:0] + b"[")  # cut short
    assert derived("m", [source], build, codec="marshal") == value and len(calls) == 3


def test_the_cached_model_tables_are_the_files(tmp_path: Path, monkeypatch) -> None:
    """The candidate tables read from the user's cache are the ones the model files give."""
    from vnplans.text import candidate_table
    from vnplans.text.candidates import Candidates
    from vnplans.text.channel import get_channel

    monkeypatch.setenv("VNPLANS_CACHE_DIR", "off")
    table, cands = candidate_table.load(get_channel()), Candidates.load()
    monkeypatch.setenv("VNPLANS_CACHE_DIR", str(tmp_path))
    candidate_table.load(get_channel()), Candidates.load()  # writes the cache
    assert len(list((tmp_path / "derived").glob("*.marshal"))) == 2
    table2, cands2 = candidate_table.load(get_channel()), Candidates.load()
    assert table2 == table and len(table) > 1000
    assert (cands2._syl, cands2._abbr, cands2.inventory) == (cands._syl, cands._abbr, cands.inventory)
    assert cands2.for_toneless("tinh")[0][0] in {"tỉnh", "tính"}


@pytest.mark.parametrize("trouble", ["off", "damaged", "unwritable"])
def test_trouble_with_the_cache_computes_the_table(tmp_path: Path, monkeypatch, trouble: str) -> None:
    source = tmp_path / "in.txt"
    source.write_text("x", encoding="utf-8")
    root = tmp_path / "cache"
    if trouble == "off":
        monkeypatch.setenv("VNPLANS_CACHE_DIR", "off")
    elif trouble == "unwritable":
        root.write_text("a file where the folder should be", encoding="utf-8")
        monkeypatch.setenv("VNPLANS_CACHE_DIR", str(root))
    else:
        monkeypatch.setenv("VNPLANS_CACHE_DIR", str(root))
        derived("t", [source], lambda: {"k": 1})
        (stored,) = (root / "derived").glob("t-*.json")
        stored.write_text('{"k": ', encoding="utf-8")  # cut short
    build, calls = _counting({"k": 2})
    assert derived("t", [source], build) == {"k": 2} and calls == [1]


def test_the_cached_gazetteer_and_pair_words_are_the_computed_ones(tmp_path: Path, monkeypatch) -> None:
    """Through the real dictionaries: a process reading the cache gets what one computing gets."""
    from vnplans.text import places
    from vnplans.text.repair import pairs

    def fresh() -> tuple:
        places._tables.cache_clear()
        pairs._words.cache_clear()
        return places._gazetteer(), places._bare_names(), pairs._words()

    monkeypatch.setenv("VNPLANS_CACHE_DIR", "off")
    computed = fresh()
    monkeypatch.setenv("VNPLANS_CACHE_DIR", str(tmp_path))
    fresh()  # writes the cache
    assert len(list((tmp_path / "derived").glob("*.json"))) == 1  # the pair words
    assert len(list((tmp_path / "derived").glob("gazetteer-*.marshal"))) == 1
    assert fresh() == computed
    gaz = computed[0]
    assert gaz[("tinh", "bac", "ninh")] == ("tỉnh", "bắc", "ninh") and "bổ sung" in computed[2]
    places._tables.cache_clear()
    pairs._words.cache_clear()


def test_a_packed_table_reads_as_the_table_it_packs(tmp_path: Path, monkeypatch) -> None:
    """Stored through `derived` and read back: every lookup, a missing key, a None value and the
    keys are those of the plain table."""
    from vnplans.derived import Packed, pack

    monkeypatch.setenv("VNPLANS_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "in.txt"
    source.write_text("x", encoding="utf-8")
    table = {("tinh", "bac"): ("tỉnh", "bắc"), ("x",): None, ("a",): (("á", -0.5, -1.25),)}
    derived("p", [source], lambda: pack(table), codec="marshal")  # stored
    packed = Packed(derived("p", [source], lambda: pytest.fail("read from the cache"), codec="marshal"))
    assert packed == table and sorted(packed) == sorted(table) and len(packed) == 3
    assert packed[("tinh", "bac")] is packed.get(("tinh", "bac"))  # built once, then kept
    assert packed.get(("x",), "missing") is None and packed.get(("y",), "missing") == "missing"
    assert ("a",) in packed and ("y",) not in packed
    with pytest.raises(KeyError):
        packed[("y",)]
