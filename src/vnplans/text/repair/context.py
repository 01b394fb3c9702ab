"""The state one repair run shares between its rules: the text, its tokens, what each token will print
as, per-line facts, and the notes and word records of what changed."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..channel import Channel
from ..result import WordInfo
from ..tokens import Token


@dataclass
class Context:
    text: str
    channel: Channel
    lm: object
    confidences: dict[tuple[int, int], float] | None
    style: str
    profile: str | None
    off: frozenset[str]
    tokens: list[Token] = field(default_factory=list)
    out_text: list[str] = field(default_factory=list)  # what each token prints as ('' = dropped)
    words: list[WordInfo] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    line_no: list[int] = field(default_factory=list)  # line of each token
    line_upper: dict[int, bool] = field(default_factory=dict)  # line mostly in capitals
    line_profile: list[str] = field(default_factory=list)  # OCR profile of each line
    markers: dict[int, str] = field(default_factory=dict)  # list-marker letters (win over decoding)
    pins: dict[int, str] = field(default_factory=dict)  # official unit names, fixed in the lattice
    small: set[int] = field(default_factory=set)  # words to print in lower case
    marked: set[int] = field(default_factory=set)  # marks a stray-mark rule already rewrote
    acronyms: set[int] | None = None  # words in capitals alone in a line of small letters (found once)

    def on(self, name: str) -> bool:
        return name not in self.off

    def vie_at(self, i: int) -> bool:
        """Token `i` stands on a line read by the `vie` model."""
        return self.line_profile[self.line_no[i]] == "vie"
