"""A doubtful syllable re-read so that it and its neighbour make a dictionary word.

Why: the decoder weighs the channel against a trigram model; where the two nearly tie (`bỗ sung`,
0.53 for the mark OCR printed) the mark OCR printed wins, although `bỗ sung` is no word and `bổ sung`,
the same letters, is one. Only a syllable the decoder was unsure of is re-read, only to another of its
own candidates with the same letters, and only when exactly one such candidate makes a two-syllable
dictionary word with a neighbour that the chosen one does not make.
"""

from __future__ import annotations

from functools import cache, lru_cache

from ... import resources
from ...derived import derived
from ...resources import dictionary_path, two_syllable_words
from .. import syllable
from ..syllable import fold, normalize_tone_placement
from .lattice import Pos

__all__ = ["dictionary_pairs", "only_choice_makes_word", "preload", "PAIR_DOUBT"]

PAIR_DOUBT = 0.7  # a syllable decoded with a lower posterior than this may be re-read


@lru_cache(maxsize=65_536)
def _new_style(syllable: str) -> str:
    """One syllable's `new` tone placement: the 30k entries share ~7k syllables, so each is placed once."""
    return normalize_tone_placement(syllable, style="new")


def _placed(words: str) -> str:
    return " ".join(_new_style(w) for w in words.split(" "))  # placement is per syllable: the same


@cache
def _words() -> frozenset[str]:
    """The dictionary's two-syllable words in `new` placement: the words as listed, and those whose
    placement differs in `new` (kept in the user's cache: `derived`). A word as listed that is not in
    `new` placement never matches, as a looked-up pair is always placed first; most already are, so
    the one set is loaded once, not twice."""
    words = two_syllable_words()

    def build() -> list[str]:
        return sorted({placed for w in words if (placed := _placed(w)) != w})

    code = (__file__, syllable.__file__, resources.__file__, dictionary_path("words.txt"))
    return words | frozenset(derived("pair-words", code, build))


def preload() -> None:
    """Build the word set now, not at the first doubt."""
    _words()


def is_word(a: str, b: str) -> bool:
    """Syllable units `a b` make a two-syllable dictionary word, in any tone placement."""
    return _placed(f"{a} {b}") in _words()


def _unit(positions: list[Pos], best: list[int], k: int) -> str:
    return positions[k].cands[best[k]][0]


def _makes_word(positions: list[Pos], best: list[int], k: int, u: str) -> bool:
    """`u` at position `k` makes a two-syllable dictionary word with a neighbour as `best` reads it."""
    left = k > 0 and is_word(_unit(positions, best, k - 1), u)
    return left or (k + 1 < len(positions) and is_word(u, _unit(positions, best, k + 1)))


def dictionary_pairs(positions: list[Pos], best: list[int], conf: list[float]) -> list[int]:
    """`best` with doubtful syllables re-read where a same-letter candidate makes a dictionary word."""
    out = list(best)
    for k, p in enumerate(positions):
        if conf[k] >= PAIR_DOUBT or p.fixed or len(p.cands) < 2:
            continue
        cur = _unit(positions, out, k)
        if not cur.isalpha() or _makes_word(positions, out, k, cur):
            continue
        alts = [
            a
            for a, (u, _) in enumerate(p.cands)
            if a != out[k] and u.isalpha() and fold(u) == fold(cur) and _makes_word(positions, out, k, u)
        ]
        if len(alts) == 1:
            out[k] = alts[0]
    return out


def only_choice_makes_word(positions: list[Pos], best: list[int], k: int, read: str) -> bool:
    """The decoder's choice at `k` makes a two-syllable dictionary word with a neighbour as decoded and
    the syllable as read makes none (`thành phổ` decoded `thành phố`): the dictionary backs the change."""
    chosen = _unit(positions, best, k)
    return _makes_word(positions, best, k, chosen) and not _makes_word(positions, best, k, read)
