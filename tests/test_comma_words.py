"""The comma's evidence on the word before it (`tools.comma_words`, rule `comma_words`, the restorer)."""

from __future__ import annotations

import dataclasses
import json
import lzma
import subprocess
import sys
from pathlib import Path

from vnplans.resources import comma_ratio, comma_words
from vnplans.text.restorer import DEFAULT, restore_detailed
from vnplans.text.tokens import comma_after, folded_before, tokenize


def test_the_comma_after_a_word_and_the_word_before_it() -> None:
    toks = tokenize("Lao động tỉnh, Sở và tính ,\nxã")
    i = next(k for k, t in enumerate(toks) if t.text == "tỉnh")
    assert comma_after(toks, i) == i + 1
    assert folded_before(toks, i) == "dong"
    j = next(k for k, t in enumerate(toks) if t.text == "tính")
    assert comma_after(toks, j) == j + 2  # `tính ,`: a space on the line
    assert comma_after(toks, i + 3) is None  # `Sở` is followed by a word
    assert folded_before(toks, 0) == ""


def test_a_listed_pair_speaks_before_the_word_alone() -> None:
    ratios = {"do": -0.8, "tu do": -0.4}
    assert comma_ratio(ratios, "tu", "do") == -0.4  # `tự do,`: no preposition `do,`
    assert comma_ratio(ratios, "vi", "do") == -0.8
    assert comma_ratio(ratios, "", "do") == -0.8
    assert comma_ratio(ratios, "tu", "đo") == 0.0


def test_the_committed_list_knows_an_item_ends_in_tinh() -> None:
    ratios = comma_words()
    assert ratios["tỉnh"] > 0 > ratios["tính"]
    assert ratios["và"] < -2  # a conjunction never ends an item


def test_restoring_a_list_of_units_reads_tinh_before_its_commas() -> None:
    text = "Liên đoàn Lao động tinh, Ban Dân tộc tinh, Sở Y tế"
    on = restore_detailed(text).text
    off = restore_detailed(text, config=dataclasses.replace(DEFAULT, comma_words=False)).text
    assert on == "Liên đoàn Lao động tỉnh, Ban Dân tộc tỉnh, Sở Y tế"
    assert off != on


def test_the_list_is_built_from_the_training_documents(tmp_path: Path) -> None:
    """`python -m tools.comma_words` (as `make comma-words` runs it) on a small corpus of its own."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = "Sở Nội vụ tỉnh, Sở Y tế tỉnh, cách tính toán và cách tính số liệu. " * 30
    with lzma.open(corpus / "phapdien.jsonl.xz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "d0", "source": "phapdien", "text": text}) + "\n")
    out = tmp_path / "comma_words.tsv"
    root = Path(__file__).resolve().parents[1]
    args = ["-m", "tools.comma_words", "--corpus", str(corpus), "--out", str(out)]
    subprocess.run([sys.executable, *args], cwd=root, check=True, capture_output=True)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#")
    rows = {w: float(v) for w, _, v in (ln.partition("\t") for ln in lines if not ln.startswith("#"))}
    assert rows["tỉnh"] > 0 > rows["tính"]
    assert rows["và"] < 0
