"""What a repair rule is: a named pass with its scope, its reason and examples of what it does.

A rule runs at one stage of the driver (`repair.driver`):

* `text` — `apply(ctx)` rewrites `ctx.text` character for character (offsets stay valid);
* `tokens` — `apply(ctx)` re-reads `ctx.tokens`;
* `drop` — `apply(ctx)` returns token indices to drop as junk (the driver unites them, then drops);
* `edit` — `apply(ctx)` rewrites `ctx.out_text` (and notes what it did) before decoding;
* `position` — `position(ctx, i)` may give token `i` fixed lattice positions (first rule wins);
* `decode` — no hook: a decision inside decoding or output that the driver takes only while the
  rule is on (`ctx.on(name)`).

Every rule can be switched off by name (`repair_detailed(..., disabled={"name"})`), so tests and the
benchmark (`bench/bench_rules.py`) can measure it alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

Stage = Literal["text", "tokens", "drop", "edit", "position", "decode"]
Scope = Literal["eng", "vie", "legacy"]
STAGES: tuple[Stage, ...] = ("text", "tokens", "drop", "edit", "position", "decode")


@dataclass(frozen=True)
class Example:
    """`text` repaired with every rule on gives `expected`; with this rule off it gives something else
    unless `differs_off` is False (a guard, e.g. a rule that keeps what another would change)."""

    text: str
    expected: str
    profile: str | None = None
    differs_off: bool = True


@dataclass(frozen=True)
class Rule:
    """A repair pass: `scope` lists the OCR profiles whose lines it changes (`eng`: English-model
    garble, `vie`: Vietnamese-model tone slips; none of them runs on legacy-font text, which is
    converted, not repaired)."""

    name: str
    stage: Stage
    scope: frozenset[Scope]
    why: str
    examples: tuple[Example, ...] = ()
    apply: Callable[..., Any] | None = field(default=None, repr=False, compare=False)
    position: Callable[..., Any] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.stage not in STAGES:
            raise ValueError(f"rule {self.name}: unknown stage {self.stage!r}")
        needs_apply = self.stage in ("text", "tokens", "drop", "edit")
        if needs_apply and self.apply is None:
            raise ValueError(f"rule {self.name}: a {self.stage} rule needs `apply`")
        if self.stage == "position" and self.position is None:
            raise ValueError(f"rule {self.name}: a position rule needs `position`")
