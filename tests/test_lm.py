"""Language model: Kneser-Ney estimation, compact storage, scoring, training CLI path, decoder."""

from __future__ import annotations

import json
import lzma
from pathlib import Path

import numpy as np
import pytest

from vnplans.text import decoder
from vnplans.text.candidates import Candidates, get_candidates
from vnplans.text.decoder import viterbi, viterbi_many
from vnplans.text.lm import BOS, EOS, NgramLM, get_lm, segments, token_unit
from vnplans.text.tokens import tokenize
from vnplans.text.train import estimate_kn, train_lm

# A tiny made-up corpus (not from any real document) for estimation tests.
_SENTENCES = [
    "ủy ban nhân dân tỉnh ban hành kế hoạch thi đua năm 2023.",
    "hội đồng nhân dân thành phố thông qua nghị quyết về ngân sách.",
    "sở nội vụ chủ trì phối hợp với các sở ban ngành triển khai kế hoạch.",
    "ủy ban nhân dân huyện báo cáo kết quả thực hiện kế hoạch năm 2022.",
    "các cơ quan đơn vị tổ chức thực hiện nghiêm túc nội dung kế hoạch này.",
    "phòng nội vụ tham mưu ủy ban nhân dân huyện khen thưởng tập thể cá nhân.",
]


def _stream(sentences: list[str]) -> tuple[np.ndarray, list[str]]:
    vocab = ["<unk>", BOS, EOS, "<num>", "<sym>", "<abbr>"]
    index = {u: i for i, u in enumerate(vocab)}
    ids: list[int] = []
    for s in sentences:
        toks = tokenize(s)
        for seg in segments(toks):
            ids.append(1)
            for i in seg:
                u = token_unit(toks[i])
                if u not in index:
                    index[u] = len(vocab)
                    vocab.append(u)
                ids.append(index[u])
            ids.append(2)
    return np.array(ids * 3, dtype=np.int64), vocab


@pytest.fixture(scope="module")
def tiny() -> NgramLM:
    stream, vocab = _stream(_SENTENCES)
    return estimate_kn(stream, vocab, order=3, prune={2: 1, 3: 1})


def _dist(lm: NgramLM, h1: str, h2: str) -> np.ndarray:
    words = np.arange(len(lm.vocab))
    words = words[words != lm.bos]
    a = np.full(words.size, lm.vocab_id(h1))
    b = np.full(words.size, lm.vocab_id(h2))
    return 10 ** lm.score(a, b, words)


@pytest.mark.parametrize(
    ("h1", "h2"), [("ủy", "ban"), ("nhân", "dân"), (BOS, BOS), ("năm", "kế"), ("xyz", "abc")]
)
def test_kneser_ney_normalised(tiny: NgramLM, h1: str, h2: str) -> None:
    assert _dist(tiny, h1, h2).sum() == pytest.approx(1.0, abs=1e-6)


def test_seen_beats_unseen(tiny: NgramLM) -> None:
    good = tiny.sentence_logprob(["ủy", "ban", "nhân", "dân", "tỉnh"])
    bad = tiny.sentence_logprob(["tỉnh", "dân", "nhân", "ban", "ủy"])
    assert good > bad + 2


def test_save_load_roundtrip(tiny: NgramLM, tmp_path: Path) -> None:
    tiny.save(tmp_path / "lm.npz")
    back = NgramLM.load(tmp_path / "lm.npz")
    assert back.vocab == tiny.vocab and back.order == 3
    for k in range(2):
        assert np.array_equal(back.keys[k], tiny.keys[k])
    rng = np.random.default_rng(0)
    cols = [rng.integers(0, len(tiny.vocab), 500) for _ in range(3)]
    assert np.abs(back.score(*cols) - tiny.score(*cols)).max() < 0.05


def test_segments_wrap_and_boundaries() -> None:
    text = "triển khai kế hoạch\nthi đua năm 2023. Các sở\n\nPhòng nội vụ\nKẾ HOẠCH"
    toks = tokenize(text)
    segs = [[token_unit(toks[i]) for i in s] for s in segments(toks)]
    assert segs == [
        ["triển", "khai", "kế", "hoạch", "thi", "đua", "năm", "<num>"],
        ["các", "sở"],
        ["phòng", "nội", "vụ"],
        ["kế", "hoạch"],
    ]


def test_a_capital_wrapped_after_words_no_sentence_ends_on_continues_it() -> None:
    """With the LM, a line break before a capital is no sentence end where the line stops on words
    the model says no sentence ends on (`các Ban của` / `Đảng`); after words that end sentences
    (`Chính phủ` / `Bộ`), after a heading in capitals, or before one, it still is."""
    from vnplans.text.lm import runs_on

    lm = get_lm()
    toks = tokenize(
        "các Ban của\nĐảng;\nthuộc Chính phủ\nBộ Tài chính\nKẾ HOẠCH\nThực hiện\ncủa các\nTHÔNG TƯ"
    )
    segs = [[token_unit(toks[i]) for i in s] for s in segments(toks, lm)]
    assert segs == [
        ["các", "ban", "của", "đảng"],
        ["thuộc", "chính", "phủ"],
        ["bộ", "tài", "chính"],
        ["kế", "hoạch"],
        ["thực", "hiện", "của", "các"],
        ["thông", "tư"],
    ]
    assert segments(toks)[0] == [0, 2, 4]  # without the model, every capital after a break opens one
    para = tokenize("các Ban của\n\nĐảng;")  # Tesseract sets wrapped items apart by a blank line
    assert len(segments(para, lm)) == 1 and len(segments(para)) == 2
    breaks = [i for i, t in enumerate(toks) if t.text == "\n"]
    assert [runs_on(toks, i, lm) for i in breaks] == [True, False, False, False, False, False, False]


def test_blank_line_before_a_small_letter_continues_the_sentence() -> None:
    # Tesseract opens a paragraph inside a sentence where the indentation changes
    toks = tokenize("kinh doanh xăng\n\ndầu được sửa đổi.\n\nCăn cứ Luật")
    segs = [[token_unit(toks[i]) for i in s] for s in segments(toks)]
    assert segs == [["kinh", "doanh", "xăng", "dầu", "được", "sửa", "đổi"], ["căn", "cứ", "luật"]]
    three = tokenize("xăng\n\n\ndầu")
    assert len(segments(three)) == 2  # a wider gap is a break, whatever follows


def test_units_normalise_tone_and_abbreviations() -> None:
    units = [token_unit(t) for t in tokenize("Hoà HĐND 16/2018/QĐ-UBND 1.000 x") if token_unit(t)]
    assert units == ["hòa", "HDND", "<sym>", "<num>", "x"]


def test_train_lm_end_to_end(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with lzma.open(corpus / "phapdien.jsonl.xz", "wt", encoding="utf-8") as fh:
        for i in range(4):
            fh.write(json.dumps({"id": f"d{i}", "text": "\n".join(_SENTENCES) + " QĐ-UBND"}) + "\n")
    outs = []
    for run in ("a", "b"):
        train_lm(corpus, tmp_path / run, order=3, dictionaries=None)
        outs.append((tmp_path / run / "lm.npz").read_bytes())
    assert outs[0] == outs[1], "training must be deterministic"
    lm = NgramLM.load(tmp_path / "a")
    assert lm.vocab_id("ủy") > 5
    cands = Candidates.load(tmp_path / "a")
    assert cands.for_toneless("uy")[0][0] == "ủy"
    assert cands.abbreviation("QD", min_count=2) == "QĐ"


# ----- the committed model ---------------------------------------------------------------------


def test_real_model_loads_once_and_prefers_accents() -> None:
    lm = get_lm()
    assert get_lm() is lm
    assert lm.order >= 3
    good = lm.sentence_logprob(["ủy", "ban", "nhân", "dân", "thành", "phố"])
    bad = lm.sentence_logprob(["ủy", "bán", "nhận", "dần", "thanh", "phò"])
    assert good > bad + 5
    cands = get_candidates()
    forms = [u for u, _ in cands.for_toneless("quyet")]
    assert "quyết" in forms
    assert len(cands.inventory) > 5000


def test_viterbi_generic_lattice() -> None:
    lm = get_lm()
    lattice = [
        [("uy", 0.0), ("ủy", 0.0)],
        [("bán", 0.0), ("ban", 0.0), ("bạn", 0.0)],
        [("nhân", 0.0), ("nhận", 0.0)],
        [("dân", 0.0), ("dần", 0.0)],
    ]
    best, conf = viterbi(lattice, lm)
    assert [lattice[i][b][0] for i, b in enumerate(best)] == ["ủy", "ban", "nhân", "dân"]
    assert all(0.5 < c <= 1.0 for c in conf)
    # emissions steer the decoder: a strong penalty on "ban" moves the choice
    lattice[1] = [("bán", 0.0), ("ban", -30.0), ("bạn", 0.0)]
    best2, _ = viterbi(lattice, lm)
    assert lattice[1][best2[1]][0] != "ban"
    assert viterbi([], lm) == ([], [])
    assert viterbi([[("x", 0.0)]], lm) == ([0], [1.0])
    with pytest.raises(ValueError):
        viterbi([[]], lm)


def test_viterbi_right_context_options() -> None:
    lm = get_lm()
    lat = [[("kế", 0.0), ("kê", 0.0)], [("hoạch", 0.0), ("hoach", 0.0)]]
    best, conf = viterbi(lat, lm, left=("ban", "hành"), right_end=False)
    assert [lat[i][b][0] for i, b in enumerate(best)] == ["kế", "hoạch"]
    assert len(conf) == 2 and EOS not in [u for p in lat for u, _ in p]


def _random_lattices(lm: NgramLM, count: int, seed: int) -> list[list[list[tuple[str, float]]]]:
    """Lattices of real syllables, 0 to 20 positions of 1 to 10 candidates (8 and more: numpy sums
    those pairwise, below 8 left to right), with random emissions."""
    rng = np.random.default_rng(seed)
    words = [u for u in lm.vocab[8:3000] if u.isalpha()]
    out = []
    for _ in range(count):
        n = int(rng.integers(0, 21))
        out.append(
            [
                [
                    (str(u), float(e))
                    for u, e in zip(rng.choice(words, k, replace=False), rng.normal(0, 1, k), strict=True)
                ]
                for k in rng.integers(1, 11, n)
            ]
        )
    out.append([[("ủy", 0.0)], [("ban", 0.0)]])  # nothing to choose
    return out


def test_viterbi_many_is_viterbi_of_each_lattice_bit_for_bit(monkeypatch) -> None:
    from vnplans.text.wordbonus import pair_bonus

    lm = get_lm()
    lattices = _random_lattices(lm, 60, seed=3)
    lefts = [(BOS, BOS) if k % 3 else ("kế", "hoạch") for k in range(len(lattices))]
    ends = [k % 4 != 1 for k in range(len(lattices))]
    for pairs in (None, pair_bonus(lm, 0.5)):
        alone = [
            viterbi(lat, lm, left=left, right_end=end, pairs=pairs)
            for lat, left, end in zip(lattices, lefts, ends, strict=True)
        ]
        assert viterbi_many(lattices, lm, lefts=lefts, right_ends=ends, pairs=pairs) == alone
        monkeypatch.setattr(decoder, "BATCH_CANDIDATES", 50)  # many small batches: the same
        assert viterbi_many(lattices, lm, lefts=lefts, right_ends=ends, pairs=pairs) == alone
        monkeypatch.undo()


def test_viterbi_confidence_is_the_local_posterior() -> None:
    """Each position's confidence: its chosen candidate's share of the path's score with only that
    position changed (the neighbours' own trigrams and emissions cancel out)."""
    lm = get_lm()
    for lattice in _random_lattices(lm, 15, seed=5):
        best, conf = viterbi(lattice, lm)
        for p, pos in enumerate(lattice):
            scores = []
            for alt in range(len(pos)):
                units = [lattice[k][alt if k == p else best[k]][0] for k in range(len(lattice))]
                scores.append(lm.sentence_logprob(units) + pos[alt][1])
            e = np.exp((np.array(scores) - max(scores)) * np.log(10.0))
            assert conf[p] == pytest.approx(e[best[p]] / e.sum(), abs=1e-6)


def _brute_best(lattice, lm) -> float:
    import itertools

    best = -1e9
    for combo in itertools.product(*[range(len(p)) for p in lattice]):
        units = [lattice[k][c][0] for k, c in enumerate(combo)]
        s = lm.sentence_logprob(units) + sum(lattice[k][c][1] for k, c in enumerate(combo))
        best = max(best, s)
    return best


def test_viterbi4_is_exact_on_a_4gram_model() -> None:
    """With a wide margin the pruned 4-gram pass finds the best path of the full 4-gram model."""
    from vnplans.text.decoder import viterbi4

    stream, vocab = _stream(_SENTENCES)
    lm4 = estimate_kn(stream, vocab, order=4, prune={2: 1, 3: 1, 4: 1})
    assert lm4.order == 4
    rng = np.random.default_rng(0)
    words = vocab[6:]
    for _ in range(60):
        n = int(rng.integers(1, 6))
        lat = [
            [
                (words[i], float(rng.normal() * 0.3))
                for i in rng.choice(len(words), int(rng.integers(1, 4)), replace=False)
            ]
            for _ in range(n)
        ]
        best, conf = viterbi4(lat, lm4, margin=99.0, max_keep=99)
        units = [lat[k][c][0] for k, c in enumerate(best)]
        got = lm4.sentence_logprob(units) + sum(lat[k][c][1] for k, c in enumerate(best))
        assert got == pytest.approx(_brute_best(lat, lm4), abs=1e-6)
        assert len(conf) == n and all(0.0 <= c <= 1.0 for c in conf)
    # on a trigram model viterbi4 is plain viterbi
    lm3 = estimate_kn(stream, vocab, order=3)
    lat = [[("ủy", 0.0), ("uy", 0.0)], [("ban", 0.0), ("bán", 0.0)], [("nhân", 0.0), ("nhận", 0.0)]]
    assert viterbi4(lat, lm3) == viterbi(lat, lm3)


def test_layered_4gram_keeps_trigram_answers() -> None:
    """`base_order=3`: the 4-gram layer sits on the order-3 model, whose queries are unchanged."""
    stream, vocab = _stream(_SENTENCES)
    lm3 = estimate_kn(stream, vocab, order=3)
    lm4 = estimate_kn(stream, vocab, order=4, base_order=3)
    ids = np.arange(6, len(vocab))
    a, b, c = ids, np.roll(ids, 1), np.roll(ids, 2)
    assert np.allclose(lm3.score(a, b, c), lm4.score(a, b, c))
    assert np.allclose(lm3.score(b, c), lm4.score(b, c))


def test_the_key_filters_never_hide_an_ngram_of_the_model() -> None:
    """The lookups skip keys their filter rules out: every key of the model passes it, and a lookup
    finds exactly what a plain binary search finds."""
    from vnplans.text.lm import may_contain, pack

    lm = get_lm()
    rng = np.random.default_rng(7)
    for n, (keys, filt) in enumerate(zip(lm.keys, lm.filters, strict=True), start=2):
        assert may_contain(filt, keys).all()
        real = keys[rng.integers(0, keys.size, 500)]
        made = pack([rng.integers(0, len(lm.vocab), 2000) for _ in range(n)])
        probe = np.concatenate([real, made])
        idx, found = lm._lookup(n, probe)
        plain = np.minimum(np.searchsorted(keys, probe), keys.size - 1)
        assert np.array_equal(found, keys[plain] == probe) and found[:500].all()
        assert np.array_equal(idx[found], plain[found])


def test_readings_scored_in_one_query_score_as_one_by_one() -> None:
    """`widen`'s batched window scores are the per-reading ones, to the last bit, on held n-grams
    (a real phrase's readings) and on unknown words and sentence edges."""
    from vnplans.text.repair.lattice import _local_lm, _local_lms

    lm = get_lm()
    cases = [
        ("<s>", "<s>", ["ủy", "uỷ", "ùy", "xyzq"], "ban"),
        ("ủy", "ban", ["nhân", "nhận", "nhấn", "nhan"], "dân"),
        ("kế", "hoạch", ["tổ", "tố", "to", "tờ", "<num>"], "chức"),
        ("tổ", "chức", ["thực", "thức", "thục"], "</s>"),
    ]
    for prev2, prev1, units, nxt in cases:
        one_by_one = [_local_lm(lm, [prev2, prev1, u, nxt]) for u in units]
        assert _local_lms(lm, prev2, prev1, units, nxt) == one_by_one
        assert max(one_by_one) > min(one_by_one)  # the readings do differ: the comparison means something
