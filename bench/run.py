"""Run every benchmark module `bench/bench_*.py` and write its JSON result under bench/results/."""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.run")
    p.add_argument("--corpus", default="../shared/corpus")
    p.add_argument("--out", default="bench/results")
    p.add_argument("--only", nargs="*", help="benchmark names (e.g. restore garble ocr parse batch)")
    p.add_argument("--quick", action="store_true", help="smaller sets, for a smoke run")
    args = p.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    names = sorted(f.stem.removeprefix("bench_") for f in Path(__file__).parent.glob("bench_*.py"))
    if args.only:
        names = [n for n in names if n in args.only]
    failed = 0
    for name in names:
        mod = importlib.import_module(f"bench.bench_{name}")
        t0 = time.time()
        print(f"[bench] {name} ...", file=sys.stderr, flush=True)
        try:
            result = mod.run(args)
        except Exception as e:  # a broken benchmark must not hide the others' figures
            failed += 1
            result = {"error": f"{type(e).__name__}: {e}"}
        result.setdefault("benchmark", name)
        result["seconds"] = round(time.time() - t0, 2)
        result["machine"] = {"python": platform.python_version(), "cpu_count": __import__("os").cpu_count()}
        tmp = out / f"{name}.json.tmp"
        tmp.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        tmp.replace(out / f"{name}.json")
        print(
            f"[bench] {name}: {json.dumps(result.get('summary', result), ensure_ascii=False)[:400]}",
            file=sys.stderr,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
