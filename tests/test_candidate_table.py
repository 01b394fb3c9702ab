"""The build-time candidate table: it must say exactly what the search computes, for this model only."""

from __future__ import annotations

from pathlib import Path

from vnplans.text import candidate_table
from vnplans.text.channel import K_CANDIDATES, Channel, get_channel


def test_committed_table_fits_the_committed_channel_and_the_current_search() -> None:
    channel = get_channel()
    table = candidate_table.load(channel)
    assert table is not None, "models/candidate_table.json.xz is stale: run `make candidate-table`"
    assert set(table) == set(channel.unigrams)
    sample = sorted(table)[::67]
    assert len(sample) > 50
    for syl in sample:  # a stale table would change results silently: recompute a sample of it
        assert table[syl] == channel._candidates_uncached(syl, candidate_table.PROFILE, K_CANDIDATES, 0), syl


def test_lookups_read_the_table_and_fall_back_to_the_search() -> None:
    channel = get_channel()
    word = sorted(channel.unigrams)[100]
    assert channel.scored_candidates(word.upper(), "vie", K_CANDIDATES) is channel.table[word]
    odd = "xqz"  # no syllable: searched, as before
    assert odd not in channel.table
    assert channel.scored_candidates(odd, "vie", K_CANDIDATES) == channel._candidates_uncached(
        odd, "vie", K_CANDIDATES, 0
    )


def test_a_table_of_another_model_is_ignored(tmp_path: Path) -> None:
    channel = get_channel()
    other = Channel(channel.profiles, dict(list(channel.unigrams.items())[:50]), meta=channel.meta)
    other.sha256 = "0" * 64
    path = tmp_path / candidate_table.TABLE_NAME
    candidate_table.write(candidate_table.build(other), path)
    assert candidate_table.load(other, path) is not None
    assert candidate_table.load(channel, path) is None  # stamped for the other model
    (tmp_path / "broken.json.xz").write_bytes(b"not xz")
    assert candidate_table.load(channel, tmp_path / "broken.json.xz") is None
    assert Channel(channel.profiles).table == {}  # a model built in memory has no table
