"""Build models/candidate_table.json.xz: every inventory syllable's candidate readings for the `vie`
profile, computed once here instead of on each page's first repair (see vnplans.text.candidate_table).

    python -m tools.candidate_table [--out models]     # make candidate-table; after make train-channel

Deterministic: the readings are a function of the channel model and the candidate search alone.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    from vnplans.text import candidate_table
    from vnplans.text.channel import get_channel

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="models", help="folder of the models (default: models)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    channel = get_channel()
    table = candidate_table.build(channel)
    out = Path(args.out) / candidate_table.TABLE_NAME
    candidate_table.write(table, out)
    took = time.perf_counter() - t0
    print(f"{out}: {len(table['readings'])} syllables, {out.stat().st_size:,} bytes, {took:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
