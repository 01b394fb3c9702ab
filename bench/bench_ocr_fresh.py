"""OCR on fresh renders of dev documents: pages no decision had seen when they were drawn (30 a draw).

Why: the OCR benchmark's 18 dev pages had been looked at so often that vnplans made 12 errors on
them against 107 on the 22 held-out pages; a fresh draw of dev documents (new paragraph windows,
seals, dust, profiles) shows what the corrector does on pages it was not fitted to, without touching
the held-out set. 0.12.12's changes were found on these pages, so from then on they are dev pages too:
the next fresh draw takes new seeds (`SEEDS`).

Pages are built like the spacing benchmark's tuning set (`bench_spacing.tuning_set`: windows of
paragraphs of held-out dev documents, printed in the calibrated profiles) and cached under
bench/work/ocr_fresh/. Scored as the OCR benchmark scores: plain `tesseract PAGE - -l vie` against the
text `vnplans ocr PAGE` prints, syllable errors per page.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .bench_ocr import (
    WORK,
    dev_window_pages,
    errors,
    page_summary,
    run_command,
    run_printed,
    write_index,
)

# paragraph draw -> first scan seed: 30 pages each; a new draw, new seeds. 5151 was drawn for 0.12.13
# (1-bit seal rings, `image.seals`, were found on it), 8383 for 0.12.14 (speck words, table cells read
# together, empty cells read without their rules), 6161 for 0.12.16 (no new class: ties of the language
# model, `số` / `sổ`, and a list that skips `h)`); each is dev since
SEEDS = {777: 77000, 4242: 88000, 5151: 51000, 8383: 83000, 6161: 61000}
PAGES_PER_SEED = 30
FRESH = WORK.parent / "ocr_fresh"


def fresh_set(corpus: str | Path, seed: int, n: int = PAGES_PER_SEED, work: Path = FRESH) -> list[dict]:
    """n pages of dev documents drawn with `seed` (cached)."""
    index = work / f"fresh_{seed}.json"
    if index.exists():
        pages = json.loads(index.read_text(encoding="utf-8"))
        if len(pages) >= n and all(Path(p["image"]).exists() for p in pages[:n]):
            return pages[:n]
    pages = dev_window_pages(corpus, seed, n, lambda i: work / f"fresh_{seed}_{i:03d}.png", SEEDS[seed])
    pages = [{**p, "set": "fresh", "split": "dev"} for p in pages]
    write_index(index, pages)
    return pages


def run(args: argparse.Namespace) -> dict:
    corpus = getattr(args, "corpus", "../shared/corpus")
    n = 5 if getattr(args, "quick", False) else PAGES_PER_SEED
    rows = []
    for seed in SEEDS:
        for page in fresh_set(corpus, seed, n):
            raw = errors(page["truth"], run_command(page)["text"])
            ours = errors(page["truth"], run_printed(page)["text"])
            rows.append(
                {"page": Path(page["image"]).name, "level": page["level"], "dpi": page["dpi"],
                 "syllables": raw["syllables"], "raw": raw["syllable_errors"], "vnplans": ours["syllable_errors"]}
            )  # fmt: skip
            print(f"[ocr_fresh] {rows[-1]}", file=sys.stderr, flush=True)
    return {"summary": page_summary(rows), "pages": rows}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.bench_ocr_fresh")
    p.add_argument("--corpus", default="../shared/corpus")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--out", type=Path)
    args = p.parse_args(argv)
    result = run(args)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(json.dumps(result["summary"], ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
