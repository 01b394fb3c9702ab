"""Noisy-channel repair of bad OCR text: English-model garble (`Péc lap`) and `vie` tone confusions.

For every word-like token the channel proposes inventory syllables whose folded form is close
(`Channel.candidates`), scored by P(observed | syllable), and the trigram LM chooses over whole
sentences (`decoder.viterbi`). Around that core, named rules (`RULES`, see `rules.py`) drop dust,
fix marks, keep numerals, symbols and list markers, split and merge tokens; each can be switched off
(`repair_detailed(..., disabled={"name"})`) and is measured alone by `bench/bench_rules.py`.

Modules: `driver` (the loop), `rule` (what a rule is), `rules` (the registry), `context` (shared run
state), `lattice` (positions, split/merge), `abbrevs`, `dust`, `marks`, `words` (the rules' finders),
`scan` (where a token stands).
"""

from __future__ import annotations

from ..channel import K_CANDIDATES, syllable_candidates
from .abbrevs import detect_profile, repair_abbreviation
from .driver import repair, repair_detailed
from .rule import Example, Rule
from .rules import RULES, rules

__all__ = [
    "K_CANDIDATES",
    "RULES",
    "Example",
    "Rule",
    "detect_profile",
    "repair",
    "repair_abbreviation",
    "repair_detailed",
    "rules",
    "syllable_candidates",
]
