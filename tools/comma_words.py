"""How much more (or less) often than the average syllable each syllable is followed by a comma.

    python -m tools.comma_words --corpus ../shared/corpus --out dictionaries/comma_words.tsv

The language model skips punctuation, so it cannot tell that an organisation or a list item ends
in `tỉnh` before a comma (`Liên đoàn Lao động tỉnh, Sở ...`: 11,337 of the corpus's 29,025 `tỉnh`
have one) far more often than in `tính` (651 of 30,825). Counted as a unit of the model, the comma
took a slot of the trigram's context and lists lost their words across it (`các huyện, thị xã` read
`cấp huyện`): measured in 0.12.9 and not kept. This list keeps the model as it is and gives the
decoder the comma's evidence on the word before it: log10 P(comma | syllable) / P(comma), over the
training documents (`topics.in_training`, as `train-lm`), for syllables seen MIN_COUNT times or more,
clipped to [LOW, HIGH]. `text.repair` (rule `comma_words`) and the restorer add it to the readings of
a word a comma follows.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

from .dictionary_file import word_list_main

MIN_COUNT = 20
LOW, HIGH = -3.0, 1.5
PAIR_GAIN = 0.5  # a pair (`tu do`: the syllable before, folded) is listed where it differs this much
_WORD = re.compile(r"[^\W\d_]+(,?)")


def comma_words(corpus: str | Path) -> list[tuple[str, float]]:
    """(syllable as the LM spells it, log10 ratio), most frequent syllable first."""
    from vnplans.text.corpus import iter_docs
    from vnplans.text.lm import word_unit
    from vnplans.text.syllable import fold, is_valid_syllable
    from vnplans.text.topics import in_training

    words: Counter[str] = Counter()
    comma: Counter[str] = Counter()
    for doc in iter_docs(corpus):
        if not in_training(doc):
            continue
        prev = ""  # the syllable before, folded (what OCR or stripped text still shows of it)
        for m in _WORD.finditer(doc.text):
            w = word_unit(m.group(0).rstrip(","))
            adjacent = prev and doc.text[m.start() - 1 : m.start()] == " "
            for key in (w, f"{prev} {w}") if adjacent else (w,):
                words[key] += 1
                if m.group(1):
                    comma[key] += 1
            prev = "" if m.group(1) else fold(w)
    base = sum(comma.values()) / max(1, sum(words.values()))

    def ratio(key: str) -> float:
        r = math.log10((comma[key] + 0.5) / (words[key] + 1) / base)
        return round(min(HIGH, max(LOW, r)), 2)

    out = []
    for key, n in words.most_common():
        w = key.rpartition(" ")[2]
        if n < MIN_COUNT or not is_valid_syllable(w):
            continue
        r = ratio(key)
        if " " not in key or abs(r - ratio(w)) >= PAIR_GAIN:
            out.append((key, r))
    return out


HEADER = (
    "# log10 P(comma | syllable) / P(comma) in clean legal text: `tỉnh` ends an item far more often than `tính`.\n"
    f"# Built by `python -m tools.comma_words` (syllables seen >= {MIN_COUNT} times in the training documents,\n"
    f"# and pairs `folded-syllable-before syllable` as often where they differ by >= {PAIR_GAIN:g} from the\n"
    f"# syllable alone; clipped to [{LOW:g}, {HIGH:g}]); read by text.repair's rule `comma_words` and the restorer.\n"
)


def main(argv: list[str] | None = None) -> int:
    return word_list_main(
        argv, prog="python -m tools.comma_words", out="dictionaries/comma_words.tsv",
        build=lambda corpus: [f"{w}\t{r:g}" for w, r in comma_words(corpus)], header=HEADER,
        noun="syllables and pairs",
    )  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
