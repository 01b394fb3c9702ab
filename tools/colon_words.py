"""Syllables a colon often follows before a lower-case word, for the dust-colon rule of the repairer.

    python -m tools.colon_words --corpus ../shared/corpus --out dictionaries/colon_words.txt

On a heavy scan dust is read as a colon between two words (`khu: vui chơi`). In clean legal text a
colon before a lower-case word follows a few words far more often than others (`bao gồm: các`,
`như sau: không`, `ví dụ: trường hợp`). A syllable is listed when, in the training documents (held-out
ones excluded), `syllable: word` occurs at least MIN_COUNT times and at least MIN_RATE of the
syllable's uses. `text.repair` keeps a colon after these and drops one after any other syllable when
the language model knows the two words as a pair.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from .dictionary_file import word_list_main

MIN_COUNT = 5
MIN_RATE = 0.001
_WORD = re.compile(r"[^\W\d_]+")
_MARK_BEFORE_WORD = re.compile(r"(\w+)([:.]) ([^\W\d_]+)")


def colon_words(corpus: str | Path) -> list[str]:
    """The listed syllables, most frequent colon first."""
    from vnplans.text.corpus import is_heldout, iter_docs
    from vnplans.text.syllable import is_valid_syllable

    words: Counter[str] = Counter()
    colon: Counter[str] = Counter()
    for doc in iter_docs(corpus):
        if is_heldout(doc):
            continue
        words.update(w.lower() for w in _WORD.findall(doc.text))
        for m in _MARK_BEFORE_WORD.finditer(doc.text):
            if m.group(2) == ":" and m.group(3).islower():
                colon[m.group(1).lower()] += 1
    return [
        w
        for w, n in colon.most_common()
        if n >= MIN_COUNT and n / max(1, words[w]) >= MIN_RATE and is_valid_syllable(w)
    ]


HEADER = (
    "# Syllables a colon often follows before a lower-case word in clean legal text (`bao gồm: các`).\n"
    f"# Built by `python -m tools.colon_words` (>= {MIN_COUNT} times and >= {MIN_RATE:g} of the\n"
    "# syllable's uses, training documents only); read by text.repair's dust-colon rule.\n"
)


def main(argv: list[str] | None = None) -> int:
    return word_list_main(
        argv, prog="python -m tools.colon_words", out="dictionaries/colon_words.txt",
        build=colon_words, header=HEADER, noun="syllables",
    )  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
