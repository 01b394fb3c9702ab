"""Official names of administrative units, spelled as the gazetteer spells them after their level word.

The language model learnt laws, not the map: `HUYEN TIEN DU` restored as `HUYỆN TIỀN ĐỦ`, or repaired
as `CHUYỂN TIỀN DƯ` ("transfer enough money"), because `tiền đủ` is common prose and Tiên Du a name it
rarely saw. Yet the header of a plan names its issuing body, and its tables name units, always after
a level word (`UBND huyện`, `ỦY BAN NHÂN DÂN TỈNH`). So a level word followed by words that fold to
exactly one official name of that level (dictionaries/admin_units.tsv) pins those words, level word
included, to the official spelling. The gazetteer adds the wards and communes of before the July 2025
reorganisation (dictionaries/admin_wards_pre2025.tsv): older documents and people's addresses still
name them (`phường Cổ Nhuế 1`; a trailing number is not a word, so the name is also known without it).

The document's own marks win: a name is pinned only where none of its words carries valid marks of
its own (stripped text, English-model OCR: `Tién` is no syllable), or where they already agree. And
names are proper nouns: in mixed-case text every word of the name is capitalised (`phương án phòng`
folds like `Phường An Phong`; 330 such lower-case look-alikes against 1,761 real names in vbpl), and in
an upper-case line the name ends the upper-case phrase (`HUYỆN TIÊN DU`, not `PHƯƠNG ÁN PHÒNG CHÁY`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache, lru_cache

from .. import lexicon, resources
from ..derived import Packed, derived, pack
from ..lexicon import LEVELS_LOWER as _LEVELS
from ..resources import admin_unit_names, dictionary_entries, dictionary_path, two_syllable_words
from . import syllable
from .syllable import fold, is_valid_syllable, normalize_tone_placement
from .tokens import Kind, Token

__all__ = ["place_pins"]

MAX_NAME = 4  # syllables of a unit name after its level word (`Phường Đông Hưng Thuận`)
BARE_NAME = 2  # syllables of a name standing alone (see `_standalone`)
_LEVEL_STARTS = frozenset(fold(lv.split()[0]) for lv in _LEVELS)


def _unit_names() -> list[str]:
    """Every unit name, level word included: the current list plus the pre-2025 wards and communes."""
    try:
        older = [line.split("\t", 1)[0] for line in dictionary_entries("admin_wards_pre2025.tsv")]
    except OSError:
        older = []
    return [*admin_unit_names(), *older]


@lru_cache(maxsize=65_536)
def _old_style(word: str) -> str:
    """One lower-case word in `old` tone placement (the gazetteer repeats its words: 23k names, 5k words)."""
    return normalize_tone_placement(word, "old")


@lru_cache(maxsize=65_536)
def _folded(word: str) -> str:
    """`fold` of a gazetteer word, once per word (its tables fold the same 5k words 60k times)."""
    return fold(word)


def _name_words(name: str) -> tuple[str, ...]:
    """Lower-case words of a name, `old` tone placement, without a trailing number (`Cổ Nhuế 1`)."""
    words = [_old_style(w) for w in name.lower().split()]
    while words and not words[-1].isalpha():
        words.pop()
    return tuple(words)


Leveled = tuple[tuple[tuple[str, ...], int], ...]
Table = dict[tuple[str, ...], tuple[str, ...] | None]
Lookup = Mapping[tuple[str, ...], tuple[str, ...] | None]  # a `Table` as loaded (`Packed`)


def _leveled_names() -> Leveled:
    """Every unit name's words with the number of leading words that are its level word (0: none)."""
    levels = [tuple(lv.split()) for lv in _LEVELS]
    out = []
    for name in _unit_names():
        words = _name_words(name)
        n = next((len(lv) for lv in levels if len(words) > len(lv) and words[: len(lv)] == lv), 0)
        out.append((words, n))
    return tuple(out)


def _build_gazetteer(leveled: Leveled) -> Table:
    """Folded `level words + name` -> the official spelling in lower case (None when two spellings
    fold alike: then the model decides)."""
    out: Table = {}
    for words, n in leveled:
        if not n or len(words) - n > MAX_NAME:
            continue
        key = tuple(_folded(w) for w in words)
        if out.get(key, words) != words:
            out[key] = None
        else:
            out[key] = words
    return out


@cache
def _tables() -> tuple[Lookup, Lookup]:
    """(gazetteer, bare names), kept in the user's cache (`derived`): building them places the tone
    marks of 30k names, 0.15 s of CPU in every process."""

    def build() -> tuple[dict, dict]:
        leveled = _leveled_names()
        return pack(_build_gazetteer(leveled)), pack(_build_bare_names(leveled))

    inputs = [__file__, syllable.__file__, lexicon.__file__, resources.__file__]
    inputs += [dictionary_path("admin_units.tsv"), dictionary_path("admin_wards_pre2025.tsv")]
    gazetteer, bare = derived("gazetteer", inputs, build, codec="marshal")
    return Packed(gazetteer), Packed(bare)  # a page looks up a few names of the 15k


def _gazetteer() -> Lookup:
    """Folded `level words + name` -> the official spelling in lower case (None when two spellings
    fold alike: then the model decides)."""
    return _tables()[0]


def _bare_names() -> Lookup:
    """Folded name without its level word -> spelling, over every level and era (None: ambiguous)."""
    return _tables()[1]


def _own_marks(word: str, official: str) -> bool:
    """Whether `word` carries valid marks that differ from the official spelling (the document says so)."""
    lower = word.lower()
    return lower != official and lower != fold(lower) and is_valid_syllable(lower)


def place_pins(tokens: Sequence[Token]) -> dict[int, str]:
    """Token index -> official spelling (lower case) for every unit name found after its level word,
    and for the same names met again without it."""
    words = [i for i, t in enumerate(tokens) if t.kind == Kind.WORD]
    gaz = _gazetteer()
    pins: dict[int, str] = {}
    k = 0
    while k < len(words):
        if fold(tokens[words[k]].text.lower()) not in _LEVEL_STARTS:  # most words: no name follows
            k += 1
            continue
        run = _phrase(tokens, words[k : k + 2 + MAX_NAME])
        folded = tuple(fold(tokens[i].text.lower()) for i in run)
        n = next((n for n in range(len(run), 1, -1) if gaz.get(folded[:n])), 0)  # longest name first
        if not n:
            k += 1
            continue
        idx, official = run[:n], gaz[folded[:n]]
        if _proper(tokens, idx, official) and _unmarked(tokens, idx, official):
            pins.update(zip(idx, official, strict=True))
        k += n
    pins |= _named_again(tokens, words, pins)
    return pins | _standalone(tokens, words, pins)


def _build_bare_names(leveled: Leveled) -> Table:
    """Folded name without its level word -> spelling, over every level and era (None: ambiguous)."""
    out: Table = {}
    for words, n in leveled:
        name = words[n:]
        if len(name) != BARE_NAME:
            continue
        key = tuple(_folded(w) for w in name)
        out[key] = name if out.get(key, name) == name else None
    return out


def _standalone(tokens: Sequence[Token], words: list[int], pins: dict[int, str]) -> dict[int, str]:
    """Unit names standing alone (`khu tập thể Đông Ngạc`, an address's `Cổ Nhuế`): two capitalised,
    unmarked words folding to exactly one name of the gazetteer. Two only: longer bare names are
    mostly people's (`Nguyễn Văn Thảnh` is a commune, and far more often someone's name)."""
    bare = _bare_names()
    out: dict[int, str] = {}
    k = 0
    while k < len(words):
        t = tokens[words[k]].text
        if words[k] in pins or not _titled(t):
            k += 1
            continue
        if k and _adjacent(tokens, words[k - 1], words[k]) and _titled(tokens[words[k - 1]].text):
            # after another capitalised word it is the end of a person's name (`Nguyễn Văn Hùng`:
            # `Vạn Hưng` is a commune's name): stripped signer names came back as `Nguyễn Vạn Hưng`
            k += 1
            continue
        idx = _phrase(tokens, words[k : k + BARE_NAME])
        texts = [tokens[j].text for j in idx]
        name = bare.get(tuple(fold(x.lower()) for x in texts)) if len(idx) == BARE_NAME else None
        after = words[k + BARE_NAME : k + BARE_NAME + 1]
        if (
            name
            and all(_titled(x) for x in texts)
            # nor before one: three capitalised words are a person (`Lê Thanh Long`, `Lê Thanh` a commune)
            and not (after and _adjacent(tokens, idx[-1], after[0]) and _titled(tokens[after[0]].text))
            and not _word_goes_on(tokens, idx[-1], name[-1], after)
            and not any(j in pins for j in idx)
            and _unmarked(tokens, idx, name)
        ):
            out.update(zip(idx, name, strict=True))
            k += BARE_NAME - 1
        k += 1
    return out


@cache
def _word_starts() -> dict[str, frozenset[str]]:
    """First syllable (`old` tone placement, as `_name_words` spells names) -> the folded second
    syllables it makes a dictionary word with (dictionaries/words.txt)."""
    out: dict[str, set[str]] = {}
    for w in two_syllable_words():
        a, b = w.split()
        out.setdefault(normalize_tone_placement(a, "old"), set()).add(fold(b))
    return {a: frozenset(bs) for a, bs in out.items()}


def _word_goes_on(tokens: Sequence[Token], last: int, official: str, after: list[int]) -> bool:
    """Whether the name's last syllable, spelled as the name spells it, makes a dictionary word with
    the small-letter word after it (only white space between: a wrapped cell).

    Then the capitals are an organisation's title, not a place's name: `Ban Thi đua - Khen thưởng`
    (the board of `thi đua`) folds like the commune `Bản Thi`, and pinning it there turned every lead
    unit `Ban Thi đua` into `Bản Thi đua`. The word after is compared folded (stripped text)."""
    if not after or any(t.kind != Kind.SPACE for t in tokens[last + 1 : after[0]]):
        return False
    nxt = tokens[after[0]].text
    return nxt.islower() and fold(nxt) in _word_starts().get(official, frozenset())


def _titled(t: str) -> bool:
    return t[:1].isupper() and t[1:].islower()


def _adjacent(tokens: Sequence[Token], a: int, b: int) -> bool:
    """Words `a` then `b` one space apart on one line."""
    return len(_phrase(tokens, [a, b])) == 2


def _phrase(tokens: Sequence[Token], idx: list[int]) -> list[int]:
    """The leading words of `idx` that follow each other one space apart, or across one line break
    (a name wraps in running text: `thành phố Cần` / `Thơ`), never across a paragraph."""
    out = idx[:1]
    for j in idx[1:]:
        between = tokens[out[-1] + 1 : j]
        if len(between) != 1 or between[0].kind != Kind.SPACE or between[0].text.count("\n") > 1:
            break
        out.append(j)
    return out


def _unmarked(tokens: Sequence[Token], idx: list[int], official: Sequence[str]) -> bool:
    """No word carries valid marks of its own that differ from the official spelling."""
    return not any(_own_marks(tokens[i].text, w) for i, w in zip(idx, official, strict=True))


def _named_again(tokens: Sequence[Token], words: list[int], pins: dict[int, str]) -> dict[int, str]:
    """The pinned names without their level word, elsewhere in the document: the place of `Tiên Du,
    ngày 12 tháng 3` once the header said `HUYỆN TIÊN DU`. Two syllables or more, capitalised."""
    names = {}
    if not pins:
        return {}
    for idx in _pinned_runs(tokens, pins):
        official = tuple(pins[i] for i in idx)
        name = official[_level_words(official) :]
        if len(name) >= 2:
            names[tuple(fold(w) for w in name)] = name
    by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for folded, name in names.items():  # only a word folding like a name's first can start it
        by_first.setdefault(folded[0], []).append((folded, name))
    out: dict[int, str] = {}
    for k, w in enumerate(words):
        for folded, name in by_first.get(fold(tokens[w].text.lower()), ()):
            idx = _phrase(tokens, words[k : k + len(name)])
            texts = [tokens[j].text for j in idx]
            if (
                len(idx) == len(name)
                and not any(j in pins for j in idx)
                and tuple(fold(t.lower()) for t in texts) == folded
                and all(t[:1].isupper() for t in texts)
                and _unmarked(tokens, idx, name)
            ):
                out.update(zip(idx, name, strict=True))
    return out


def _pinned_runs(tokens: Sequence[Token], pins: dict[int, str]) -> list[list[int]]:
    runs: list[list[int]] = []
    for i in sorted(pins):
        if runs and _phrase(tokens, [runs[-1][-1], i]) == [runs[-1][-1], i]:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _level_words(official: tuple[str, ...]) -> int:
    joined = " ".join(official)
    return len(next(lv for lv in _LEVELS if joined.startswith(lv + " ")).split())


def _proper(tokens: Sequence[Token], idx: list[int], official: tuple[str, ...]) -> bool:
    """Written as a name: capitalised words, or an upper-case phrase that ends with the name."""
    texts = [tokens[i].text for i in idx]
    if not all(t.isupper() for t in texts):
        return all(t[:1].isupper() for t in texts[_level_words(official) :])
    nxt = idx[-1] + 1
    while nxt < len(tokens) and tokens[nxt].kind == Kind.SPACE and "\n" not in tokens[nxt].text:
        nxt += 1
    if nxt >= len(tokens) or tokens[nxt].kind != Kind.WORD:
        return True  # end of text or line, or punctuation
    return not tokens[nxt].text.isupper()
