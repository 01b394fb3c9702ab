"""Lead units survive the text fix: a generated plan read in OCR order, stripped and restored, keeps
every task's lead unit (repair of the same names: tests/test_places.py). Units whose words fold like a
commune (`Ban Thi đua` / `Bản Thi`) were once pinned to the commune's spelling by the place list,
which cost the parse benchmark's scans 5-7 points of lead-unit accuracy without any test noticing."""

from __future__ import annotations

import pytest

from vnplans import restore
from vnplans.parse import parse_text
from vnplans.synth.plans import generate_plan, ocr_order_text
from vnplans.text.syllable import strip_diacritics

SEEDS = (1009, 1011)  # plans whose tables give several tasks to the Ban Thi đua - Khen thưởng


def _leads(text: str) -> list[str | None]:
    return [t.lead_unit for t in parse_text(text).tasks]


@pytest.mark.parametrize("seed", SEEDS)
def test_lead_units_survive_restore(seed: int) -> None:
    doc = generate_plan(seed)
    want = [t["lead_unit"] for t in doc.expected["tasks"]]
    assert _leads(restore(strip_diacritics(ocr_order_text(doc, seed)))) == want
