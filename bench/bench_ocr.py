"""OCR benchmark: raw Tesseract `vie` vs vnplans (preprocess + OCR [+ text fix]) on degraded pages.

Pages are rendered from held-out corpus documents (`text.corpus.is_heldout`), degraded at mixed
levels with `synth.degrade`, and cached under bench/work/ocr/. Both systems run side by side in
the same process on the same pages, so their seconds per page are comparable.

    python -m bench.run --only ocr [--quick]
    python -m bench.bench_ocr --ablation [--quick]   # preprocessing steps one by one -> ocr_ablation.json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sys
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import cv2
import numpy as np

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
cv2.setNumThreads(1)  # one core per page on both sides, as Tesseract gets: the comparison is fair

WORK = Path(__file__).parent / "work" / "ocr"
SET_VERSION = 2  # bump when the page recipe changes, to re-render the cache
LEVELS = ("light", "medium", "heavy")
FONTS = ("Liberation Serif",) * 5 + ("Liberation Sans", "DejaVu Serif")
_SYL = re.compile(r"\w+")


# ---------------------------------------------------------------- the degraded set
def _paragraphs(doc_text: str) -> list[str]:
    out = []
    for line in doc_text.split("\n"):
        line = " ".join(line.split())
        if len(line) >= 3:
            out.append(line)
    return out


def build_set(corpus: str | Path, n: int, work: Path = WORK) -> list[dict]:
    """n degraded pages (cached): meta dicts with image path, truth, level, dpi, degradations."""
    work.mkdir(parents=True, exist_ok=True)
    index = work / f"set_v{SET_VERSION}.json"
    if index.exists():
        pages = json.loads(index.read_text(encoding="utf-8"))
        if len(pages) >= n:
            return pages[:n]
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from vnplans.synth.degrade import degrade_detailed
    from vnplans.synth.render import render_page
    from vnplans.text.corpus import is_heldout, iter_docs

    docs = [d for d in iter_docs(corpus) if is_heldout(d) and len(d.text) > 1500]
    if not docs:
        raise RuntimeError("no held-out documents in the corpus")
    rng = np.random.default_rng(20240601)
    pages: list[dict] = []
    for i in range(n):
        doc = docs[i % len(docs)]
        paras = _paragraphs(doc.text)
        start = int(rng.integers(0, max(1, len(paras) - 25)))
        font = FONTS[int(rng.integers(len(FONTS)))]
        size = float(rng.choice([12, 13, 13, 14]))
        page = render_page(paras[start : start + 40], font=font, size_pt=size, dpi=300)
        level = LEVELS[i % 3]
        deg = degrade_detailed(page.image, seed=1000 + i, level=level)
        img = np.asarray(deg.image)
        if img.ndim == 3:
            img = img[:, :, ::-1]
        path = work / f"page_v{SET_VERSION}_{i:03d}.png"
        cv2.imwrite(str(path), img)
        pages.append(
            {
                "image": str(path),
                "truth": "\n".join(page.lines),
                "doc": doc.id,
                "font": font,
                "size_pt": size,
                "level": level,
                "degradations": deg.applied,
                "dpi": round(300 * deg.scale),
            }
        )
    tmp = index.with_suffix(".tmp")
    tmp.write_text(json.dumps(pages, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(index)
    return pages


# ---------------------------------------------------------------- metrics
def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def errors(truth: str, hyp: str) -> dict:
    """Character and syllable edit counts (whitespace-normalised; syllables = \\w+ runs)."""
    from rapidfuzz.distance import Levenshtein

    t, h = _norm(truth), _norm(hyp)
    ts, hs = _SYL.findall(t.lower()), _SYL.findall(h.lower())
    return {
        "chars": len(t),
        "char_errors": Levenshtein.distance(t, h),
        "syllables": len(ts),
        "syllable_errors": Levenshtein.distance(ts, hs),
    }


def _rates(rows: list[dict]) -> dict:
    c = sum(r["chars"] for r in rows) or 1
    s = sum(r["syllables"] for r in rows) or 1
    ce = sum(r["char_errors"] for r in rows)
    se = sum(r["syllable_errors"] for r in rows)
    return {
        "cer": round(ce / c, 4),
        "syllable_error_rate": round(se / s, 4),
        "syllable_accuracy": round(1 - se / s, 4),
        "char_errors": ce,
        "chars": c,
    }


# ---------------------------------------------------------------- one page, one system
def _rss_mb() -> dict:
    """Peak memory of the worker and of the Tesseract processes it ran; with Tesseract in-process
    (`vnplans.tessapi`) there are none, and the worker's figure includes the engine."""
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"python_mb": round(me, 1), "tesseract_mb": round(kids, 1)}


def _cpu() -> float:
    """CPU seconds of this process and its finished children (Tesseract): steadier than wall time
    on a shared machine."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def run_page(page: dict, system: str, steps: list[str] | None = None, psm: int | None = None) -> dict:
    """OCR one cached page with `system` = raw | vnplans; returns text, confidences and seconds."""
    from vnplans.ocr import ocr_image
    from vnplans.preprocess import preprocess

    img = cv2.imread(page["image"], cv2.IMREAD_UNCHANGED)
    c0 = _cpu()
    t0 = time.perf_counter()
    if system == "raw":  # Tesseract as a user would run it: no preprocessing, default settings
        ocr = ocr_image(img, lang="vie", psm=3, max_dpi=None)
        applied: list[str] = []
    elif steps is None and psm is None:  # exactly what the pipeline runs (vnplans.pipeline.read_page)
        from vnplans.pipeline import StageTimer, read_page

        timer = StageTimer()
        pp, ocr, _ = read_page(img, page["dpi"], lang="vie", timer=timer)
        t_pre = timer.timings["preprocess"]
        applied = pp.applied
    else:  # ablations
        pp = preprocess(img, dpi=page["dpi"], steps=steps)
        t_pre = time.perf_counter() - t0
        ocr = ocr_image(pp.image, lang="vie", psm=psm, dpi=pp.dpi)
        applied = pp.applied
    dt = time.perf_counter() - t0
    out = {
        "text": ocr.text,
        "confidences": [[a, b, c] for (a, b), c in ocr.confidences().items()],
        "seconds": dt,
        "cpu_seconds": _cpu() - c0,
        "applied": applied,
        "rss": _rss_mb(),
    }
    if system != "raw":
        out["preprocess_seconds"] = t_pre
    return out


def _fix(text: str, confs: list) -> tuple[str | None, float]:
    """The pipeline's correction of its own OCR output (channel repair with Tesseract confidences)."""
    from vnplans.text.repair import repair_detailed

    t0 = time.perf_counter()
    res = repair_detailed(text, confidences={(a, b): c for a, b, c in confs}, profile="vie")
    return res.text, time.perf_counter() - t0


def _pool_run(pages: list[dict], workers: int, system: str = "vnplans") -> tuple[float, list[dict]]:
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as ex:
        res = list(ex.map(run_page, pages, [system] * len(pages)))
    return time.perf_counter() - t0, res


# ---------------------------------------------------------------- the benchmark
def run(args: argparse.Namespace) -> dict:
    n = 6 if args.quick else 24
    pages = build_set(args.corpus, n)
    rows: dict[str, list[dict]] = {"raw": [], "vnplans_ocr": [], "vnplans_fixed": []}
    secs: dict[str, list[float]] = {
        "raw": [],
        "vnplans": [],
        "preprocess": [],
        "fix": [],
        "cpu_raw": [],
        "cpu": [],
    }
    per_page = []
    fix_available = True
    for p in pages:
        raw = run_page(p, "raw")
        ours = run_page(p, "vnplans")
        fixed, t_fix = _fix(ours["text"], ours["confidences"])
        fix_available = fixed is not None
        e_raw, e_ours = errors(p["truth"], raw["text"]), errors(p["truth"], ours["text"])
        rows["raw"].append(e_raw)
        rows["vnplans_ocr"].append(e_ours)
        secs["raw"].append(raw["seconds"])
        secs["vnplans"].append(ours["seconds"])
        secs["preprocess"].append(ours["preprocess_seconds"])
        secs["cpu_raw"].append(raw["cpu_seconds"])
        secs["cpu"].append(ours["cpu_seconds"])
        rec = {
            "page": Path(p["image"]).name,
            "level": p["level"],
            "degradations": p["degradations"],
            "applied": ours["applied"],
            "raw": _rates([e_raw]),
            "vnplans_ocr": _rates([e_ours]),
            "seconds_raw": round(raw["seconds"], 2),
            "seconds_vnplans": round(ours["seconds"], 2),
        }
        if fixed is not None:
            e_fix = errors(p["truth"], fixed)
            rows["vnplans_fixed"].append(e_fix)
            secs["fix"].append(t_fix)
            rec["vnplans_fixed"] = _rates([e_fix])
        per_page.append(rec)
        print(
            f"[ocr] {rec['page']} {p['level']}: raw {rec['raw']} ours {rec['vnplans_ocr']}", file=sys.stderr
        )

    by_level = {
        lv: {
            k: _rates([r for r, pg in zip(v, pages, strict=False) if pg["level"] == lv])
            for k, v in rows.items()
            if v
        }
        for lv in LEVELS
    }
    # throughput: the same pages through 1 and 2 worker processes
    k = 4 if args.quick else 8
    t1, res1 = _pool_run(pages[:k], 1)
    t2, res2 = _pool_run(pages[:k], 2)
    rss = {
        "python_mb": max(r["rss"]["python_mb"] for r in res1 + res2),
        "tesseract_mb": max(r["rss"]["tesseract_mb"] for r in res1 + res2),
    }
    mean = lambda xs: sum(xs) / len(xs) if xs else 0.0  # noqa: E731
    summary = {
        "pages": len(pages),
        "raw_tesseract": {**_rates(rows["raw"]), "seconds_per_page": round(mean(secs["raw"]), 2)},
        "vnplans_ocr_only": {
            **_rates(rows["vnplans_ocr"]),
            "seconds_per_page": round(mean(secs["vnplans"]), 2),
            "preprocess_seconds_per_page": round(mean(secs["preprocess"]), 2),
        },
        "time_ratio_vs_raw": round(mean(secs["vnplans"]) / max(1e-9, mean(secs["raw"])), 3),
        # the same ratio in CPU seconds (Tesseract included): what load from other jobs cannot skew
        "cpu_seconds_per_page": {
            "raw": round(mean(secs["cpu_raw"]), 2),
            "vnplans": round(mean(secs["cpu"]), 2),
        },
        "cpu_ratio_vs_raw": round(mean(secs["cpu"]) / max(1e-9, mean(secs["cpu_raw"])), 3),
        "pages_per_second": {"1_worker": round(k / t1, 3), "2_workers": round(k / t2, 3)},
        "speedup_2_workers": round(t1 / t2, 2),
        "peak_rss_per_worker": rss,
        "load_average": os.getloadavg(),
    }
    if fix_available and rows["vnplans_fixed"]:
        summary["vnplans_with_fix"] = {
            **_rates(rows["vnplans_fixed"]),
            "fix_seconds_per_page": round(mean(secs["fix"]), 2),
        }
    else:
        summary["vnplans_with_fix"] = "no pages corrected"
    best = rows["vnplans_fixed"] if rows["vnplans_fixed"] else rows["vnplans_ocr"]
    r_raw, r_best = _rates(rows["raw"]), _rates(best)
    summary["targets"] = {
        "syllable_error_rate_at_most_half_raw": r_best["syllable_error_rate"]
        <= r_raw["syllable_error_rate"] / 2,
        "cer_at_most_1pct": r_best["char_errors"] <= 0.01 * r_best["chars"],  # unrounded
        "time_at_most_1.15x_raw": summary["time_ratio_vs_raw"] <= 1.15,
        "2_workers_at_least_1.8x": summary["speedup_2_workers"] >= 1.8,
    }
    result = {"summary": summary, "by_level": by_level, "pages": per_page}
    abl = Path(args.out) / "ocr_ablation.json"
    if abl.exists():
        result["ablation"] = json.loads(abl.read_text(encoding="utf-8")).get("summary")
    return result


# ---------------------------------------------------------------- ablation of preprocessing steps
def _abl_job(job: tuple[dict, str, list[str] | None, int | None]) -> dict:
    page, name, steps, psm = job
    system = "raw" if name == "raw" else "vnplans"
    r = run_page(page, system, steps, psm)
    return {
        "config": name,
        **errors(page["truth"], r["text"]),
        "seconds": r["seconds"],
        "level": page["level"],
    }


def ablation(
    corpus: str, n: int, out: Path, configs: dict[str, tuple[list[str] | None, int | None]], workers: int = 2
) -> dict:
    pages = build_set(corpus, n)
    jobs = [(p, name, steps, psm) for name, (steps, psm) in configs.items() for p in pages]
    with ProcessPoolExecutor(max_workers=workers) as ex:
        res = list(ex.map(_abl_job, jobs))
    summary = {}
    for name in configs:
        rs = [r for r in res if r["config"] == name]
        summary[name] = {
            **_rates(rs),
            "seconds_per_page": round(sum(r["seconds"] for r in rs) / len(rs), 2),
            "by_level": {lv: _rates([r for r in rs if r["level"] == lv]) for lv in LEVELS},
            "steps": configs[name][0],
            "psm": configs[name][1],
        }
    path = out / "ocr_ablation.json"
    if path.exists():  # runs of different configs accumulate
        old = json.loads(path.read_text(encoding="utf-8"))
        if old.get("pages") == len(pages):
            summary = {**old.get("summary", {}), **summary}
    result = {"pages": len(pages), "summary": summary}
    out.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.bench_ocr")
    ap.add_argument("--corpus", default="../shared/corpus")
    ap.add_argument("--out", default="bench/results")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--ablation", action="store_true")
    ap.add_argument("--pages", type=int, default=None)
    ap.add_argument("--configs", default=None, help="JSON {name: [steps|null, psm|null]} to override")
    a = ap.parse_args(argv)
    if not a.ablation:
        print(json.dumps(run(a)["summary"], ensure_ascii=False, indent=2))
        return 0
    from vnplans.preprocess import ALL_STEPS, DEFAULT_STEPS

    if a.configs:
        configs = {k: (v[0], v[1]) for k, v in json.loads(a.configs).items()}
    else:
        base = list(DEFAULT_STEPS)
        configs = {"raw": (None, None), "default": (base, None)}
        for s in ALL_STEPS:
            if s == "gray":
                continue
            configs[f"-{s}" if s in base else f"+{s}"] = (
                [x for x in base if x != s] if s in base else [*base, s],
                None,
            )
    n = a.pages or (6 if a.quick else 12)
    r = ablation(a.corpus, n, Path(a.out), configs)
    print(
        json.dumps(
            {
                k: {kk: v[kk] for kk in ("cer", "syllable_error_rate", "seconds_per_page")}
                for k, v in r["summary"].items()
            },
            indent=1,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
