"""Tune repair weights on DEV pages (training documents, other seeds; see `train_channel --dev-pages`).

    python -m tools.tune_repair [--cache build/channel_cache/dev] [--grid]

Never uses the benchmark's held-out documents: those stay for `bench/bench_garble.py`.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path


def evaluate(pages: list[dict], **weights: float) -> dict:
    from bench.bench_garble import _agg, page_text, score

    from vnplans.text.repair import lattice as rp
    from vnplans.text.repair import repair_detailed

    saved = {k: getattr(rp, k) for k in weights}
    try:
        for k, v in weights.items():
            setattr(rp, k, v)
        rows = []
        for data in pages:
            raw, _ = page_text(data["words"])
            rows.append(score("\n".join(data["lines"]), repair_detailed(raw).text))
        return _agg(rows)
    finally:
        for k, v in saved.items():
            setattr(rp, k, v)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tools.tune_repair")
    p.add_argument("--cache", default="build/channel_cache/dev")
    p.add_argument("--grid", action="store_true")
    a = p.parse_args(argv)
    pages = [json.loads(f.read_text(encoding="utf-8")) for f in sorted(Path(a.cache).glob("page_*_eng.json"))]
    if not pages:
        print("no dev pages: run python -m tools.train_channel --dev-pages 8", file=sys.stderr)
        return 1
    print("default", evaluate(pages))
    if a.grid:
        for cw, ku in itertools.product((0.8, 1.0, 1.2, 1.5), (-3.5, -4.5, -5.5)):
            print(
                f"CHANNEL_WEIGHT={cw} KEEP_UNK={ku}",
                evaluate(pages, CHANNEL_WEIGHT=cw, KEEP_UNK=ku),
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
