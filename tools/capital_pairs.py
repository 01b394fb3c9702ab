"""Word pairs whose second word is printed capitalised, for the repairer's letter-case rule.

    python -m tools.capital_pairs --corpus ../shared/corpus --out dictionaries/capital_pairs.txt

`c o s u v w x z` (and their accented forms) look the same in upper and lower case, so OCR often
capitalises them mid-sentence (`dịch Vụ công`, `trong Chiến tranh`); and a capital the decoder reads
as another letter (`trong Hước` -> `nước`) says nothing of the printed case. After a lower-case word
such a word is mostly lower case in clean legal text, but not always (`của Chính phủ`, `các Sở`,
`tỉnh Nghệ An`, `của Đảng`). A pair `prev word` (both lower-cased) is listed when, in the training
documents (held-out ones excluded), the second word follows the lower-case first one capitalised at
least MIN_COUNT times and at least MIN_RATE of the pair's uses; `* word` when the word is capitalised
after any lower-case word at least MIN_RATE_ANY of the time (a name's head: `Công an`, `Nhà nước`).
`text.repair` lower-cases such a word after a lower-case word only when the pair is known to the
language model and neither entry is listed. A starred word's own pair can say otherwise: `!prev word`
lists a pair printed small at least MIN_SMALL_COUNT times and capitalised at most MAX_SMALL_RATE of
them (`cơ sở`: 50,598 small, 6 capitalised, where `* sở` stands for `các Sở`), so that word is lowered
after that one (Tesseract capitalises an `s` that opens a line: `cơ` / `Sở giáo dục`).
A document type named before `số` is listed as `word next số` on the same terms: `theo Chỉ thị số`
(17 times capitalised, never small) is written so, where `chỉ` on its own mostly is small after `theo`
(`theo chỉ đạo`); `kế hoạch số` (never capitalised after a small word) is not listed.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from .dictionary_file import word_list_main

MIN_COUNT = 2
MIN_RATE = 0.1
MIN_RATE_ANY = 0.02  # `* word`: capitalised after lower-case words in general (`Công an`, `Văn phòng`)
MIN_SMALL_COUNT = 50  # `!prev word`: a pair this frequent small ...
MAX_SMALL_RATE = 0.002  # ... and capitalised at most this share of its uses is small, starred or not
_PAIR = re.compile(r"(?<![^\W\d_])([^\W\d_]+)(?: |\n(?!\n))(?=([^\W\d_]+))")
_TYPE = re.compile(r"(?<![^\W\d_])([^\W\d_]+) (?=([^\W\d_]+) ([^\W\d_]+) số(?![^\W\d_]))")


def capital_pairs(corpus: str | Path) -> list[str]:
    """The listed pairs `prev word`, most frequent capitalised pair first."""
    from vnplans.text.corpus import is_heldout, iter_docs
    from vnplans.text.syllable import is_valid_syllable

    lower: Counter[tuple[str, str]] = Counter()
    title: Counter[tuple[str, str]] = Counter()
    for doc in iter_docs(corpus):
        if is_heldout(doc):
            continue
        for m in _PAIR.finditer(doc.text):
            prev, word = m.group(1), m.group(2)
            if not prev.islower():
                continue
            if word.islower():
                lower[prev, word] += 1
                lower["*", word] += 1
            elif word[0].isupper() and (len(word) == 1 or word[1:].islower()):
                title[prev, word.lower()] += 1
                title["*", word.lower()] += 1
        for m in _TYPE.finditer(doc.text):
            prev, word, nxt = m.groups()
            if not (prev.islower() and nxt.islower()):
                continue
            key = (word.lower(), f"{nxt} số")
            if word.islower():
                lower[key] += 1
            elif word[0].isupper() and (len(word) == 1 or word[1:].islower()):
                title[key] += 1
    listed = [
        f"{p} {w}"
        for (p, w), n in title.most_common()
        if n >= MIN_COUNT
        and n / (n + lower[p, w]) >= (MIN_RATE if p != "*" else MIN_RATE_ANY)
        and (p == "*" or is_valid_syllable(p))
        and all(is_valid_syllable(x) for x in w.split())
    ]
    starred = {e[2:] for e in listed if e.startswith("* ")}
    small = [
        (n, p, w)
        for (p, w), n in lower.items()
        if p != "*"
        and w in starred
        and n >= MIN_SMALL_COUNT
        and title[p, w] <= MAX_SMALL_RATE * n
        and is_valid_syllable(p)
        and is_valid_syllable(w)
    ]
    return listed + [f"!{p} {w}" for _, p, w in sorted(small, key=lambda t: (-t[0], t[1], t[2]))]


HEADER = (
    "# Pairs `prev word` whose second word is capitalised after the\n"
    f"# lower-case first in clean legal text (>= {MIN_COUNT} times and >= {MIN_RATE:g} of the pair's uses;\n"
    f"# `* word`: after any lower-case word, >= {MIN_RATE_ANY:g} of the time; `word next số`: a document\n"
    "# type named before `số`, on the pair's terms; `!prev word`: a starred word's pair printed small\n"
    f"# >= {MIN_SMALL_COUNT} times and capitalised <= {MAX_SMALL_RATE:g} of them; training documents only).\n"
    "# Built by `python -m tools.capital_pairs`; read by text.repair.\n"
)


def main(argv: list[str] | None = None) -> int:
    return word_list_main(
        argv, prog="python -m tools.capital_pairs", out="dictionaries/capital_pairs.txt",
        build=capital_pairs, header=HEADER, noun="pairs",
    )  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
