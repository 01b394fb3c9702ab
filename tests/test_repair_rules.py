"""Repair rules as data: every rule's examples, run through the whole repairer with the rule on and off."""

from __future__ import annotations

from pathlib import Path

import pytest

from vnplans.text.repair import RULES, Rule, repair, repair_detailed, rules
from vnplans.text.repair.rule import STAGES

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(
    not (ROOT / "models" / "channel.json.gz").exists() or not (ROOT / "models" / "lm.npz").exists(),
    reason="models not built (make models)",
)

CASES = [
    pytest.param(rule, ex, id=f"{rule.name}-{k}") for rule in RULES for k, ex in enumerate(rule.examples)
]


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_rule_example_holds_with_the_rule_on(rule: Rule, example) -> None:
    assert repair(example.text, profile=example.profile) == example.expected


@pytest.mark.parametrize(("rule", "example"), [c for c in CASES if c.values[1].differs_off])
def test_rule_example_changes_with_the_rule_off(rule: Rule, example) -> None:
    """Switching the rule off loses what it did: the example is evidence for this rule, not another."""
    off = repair(example.text, profile=example.profile, disabled={rule.name})
    assert off != example.expected


@pytest.mark.parametrize(("rule", "example"), [c for c in CASES if not c.values[1].differs_off])
def test_guard_examples_hold_with_the_rule_off_too(rule: Rule, example) -> None:
    """A guard example shows what the rule leaves alone: with or without it the text is the same."""
    assert repair(example.text, profile=example.profile, disabled={rule.name}) == example.expected


def test_registry_is_well_formed() -> None:
    names = [r.name for r in rules()]
    assert len(names) == len(set(names)) >= 25
    for r in RULES:
        assert r.stage in STAGES and r.scope and r.scope <= {"eng", "vie", "legacy"} and r.why
    # every rule with examples has one that only it explains
    for r in RULES:
        if r.examples:
            assert any(ex.differs_off for ex in r.examples), r.name


def test_unknown_rule_names_are_refused() -> None:
    with pytest.raises(ValueError, match="no_such_rule"):
        repair("thuc hien", disabled={"no_such_rule"})


def test_all_rules_off_still_decodes_and_keeps_lines() -> None:
    """With every rule off the channel + LM core still repairs words and keeps the line structure."""
    raw = "TT |\nthuc hien nhiem vu | nam 2023\nQUYI NAM 2023"
    res = repair_detailed(raw, disabled={r.name for r in RULES})
    assert res.text.count("\n") == raw.count("\n")
    assert "thực hiện nhiệm vụ" in res.text
    assert "|" in res.text  # no rule dropped the pipes
    assert not res.notes
