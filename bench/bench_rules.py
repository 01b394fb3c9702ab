"""What each repair rule is worth: the garble benchmark's pages repaired with every rule on, then with
one rule off at a time (`repair_detailed(..., disabled={name})`).

A rule's gain is the errors it saves: (errors with it off) - (errors with all rules on), in syllables
(exact, case-insensitive, as `bench_garble` scores) and in character edits. Positive = the rule helps
on this material, zero = it never fires here or its changes do not matter, negative = it hurts. Sets:
`eng` (English-model OCR, repaired as the page-level repairer does) and `vie` (Vietnamese-model OCR
with Tesseract's word confidences, as the pipeline repairs it), both from `bench_garble`; and `dev`:
the dev split of the OCR benchmark's realistic pages (real-scan degradations, held-out documents),
read once by the pipeline's own OCR (`bench_ocr.run_page`) and cached under bench/work/rules/.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from bench.bench_garble import garble_pages, score

WORK = Path("bench/work/rules")
SETS = ("eng", "vie", "dev")


def ocr_dev_pages(args) -> list[dict]:
    """The OCR benchmark's dev pages as the pipeline reads them: truth, OCR text, confidences (cached)."""
    from bench.bench_ocr import REALISTIC_VERSION, realistic_set, run_page

    quick = bool(getattr(args, "quick", False))
    pages = [
        p
        for p in realistic_set(getattr(args, "corpus", "../shared/corpus"), 9 if quick else 30)
        if p["split"] == "dev"
    ]
    WORK.mkdir(parents=True, exist_ok=True)
    # `run_page` gives confidences in percent, as the pipeline hands them to repair. Until 0.11.0 this
    # read them as 0-1 and multiplied again: every dev word looked 100x surer than Tesseract said.
    cache = WORK / f"ocr_dev_v{REALISTIC_VERSION}_pct.json"
    done = json.loads(cache.read_text(encoding="utf-8")) if cache.exists() else {}
    out = []
    for p in pages:
        key = Path(p["image"]).name
        if key not in done:
            r = run_page(p, "vnplans")
            done[key] = {"text": r["text"], "conf": r["confidences"]}
            tmp = cache.with_suffix(".tmp")
            tmp.write_text(json.dumps(done, ensure_ascii=False), encoding="utf-8")
            tmp.replace(cache)
        got = done[key]
        conf = {(a, b): c for a, b, c in got["conf"]}
        out.append({"lang": "dev", "ref": p["truth"], "raw": got["text"], "conf": conf})
    return out


def _errors(pages: list[dict], disabled: frozenset[str]) -> dict[str, dict[str, int]]:
    from vnplans.text.repair import repair_detailed

    out: dict[str, dict[str, int]] = {}
    for lang in SETS:
        syl = edits = 0
        for p in (p for p in pages if p["lang"] == lang):
            conf = p["conf"] if lang != "eng" else None
            prof = "vie" if lang == "dev" else None  # the pipeline repairs its own OCR as `vie`
            s = score(
                p["ref"], repair_detailed(p["raw"], confidences=conf, profile=prof, disabled=disabled).text
            )
            syl += s["syllables"] - s["correct"]
            edits += s["edits"]
        out[lang] = {"syllable_errors": syl, "char_edits": edits}
    return out


def summarize(rows: list[dict], base: dict) -> dict:
    """Rules that help, change nothing, or hurt over all sets: syllables saved first, then characters
    (a tie on syllables is broken by characters)."""

    def total(r: dict) -> tuple[int, int]:
        return (sum(r[s]["syllable_gain"] for s in SETS), sum(r[s]["char_gain"] for s in SETS))

    return {
        "rules": len(rows),
        **{f"{s}_syllable_errors_all_on": base[s]["syllable_errors"] for s in SETS},
        "helping": sorted(r["rule"] for r in rows if total(r) > (0, 0)),
        "no_effect": sorted(r["rule"] for r in rows if total(r) == (0, 0)),
        "hurting": sorted(r["rule"] for r in rows if total(r) < (0, 0)),
    }


def run(args) -> dict:
    from vnplans.text.repair import RULES

    pages, _ = garble_pages(args)
    pages += ocr_dev_pages(args)
    t0 = time.time()
    base = _errors(pages, frozenset())
    rows = []
    for rule in RULES:
        off = _errors(pages, frozenset({rule.name}))
        row: dict = {"rule": rule.name, "stage": rule.stage, "scope": sorted(rule.scope)}
        for lang in SETS:
            row[lang] = {
                "syllable_gain": off[lang]["syllable_errors"] - base[lang]["syllable_errors"],
                "char_gain": off[lang]["char_edits"] - base[lang]["char_edits"],
            }
        rows.append(row)
        gains = " | ".join(
            f"{lang} syllables {row[lang]['syllable_gain']:+4d} chars {row[lang]['char_gain']:+5d}"
            for lang in SETS
        )
        print(f"  {rule.name:22} {gains}", flush=True)

    summary = summarize(rows, base)
    summary["seconds_per_pass"] = round((time.time() - t0) / (len(rows) + 1), 1)
    return {
        "summary": summary,
        "pages": {lang: sum(p["lang"] == lang for p in pages) for lang in SETS},
        "all_on": base,
        "gains": rows,
    }
