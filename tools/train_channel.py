"""Learn the OCR channel P(observed | intended) by rendering training text and running Tesseract.

    python -m tools.train_channel --corpus ../shared/corpus --out models

1. Sample text lines from TRAINING documents only (`not is_heldout(doc)`), seeded.
2. Render pages (Liberation Serif mostly, DejaVu Serif, Liberation Sans; 12-14 pt; 200-300 dpi),
   add scanner degradation (mild for `eng`, heavier for `vie` so its tone confusions appear), run
   real Tesseract. OCR results are cached under `build/channel_cache/` so estimation reruns are fast.
3. Align OCR words to source words, then characters within words, and count confusions.
4. Write `models/channel.json.gz`: char confusions, frequent syllable pairs, merges/splits, the
   syllable unigram inventory and frequent abbreviations (used when no LM tables are present).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import random
import re
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from vnplans.text.corpus import is_heldout, iter_docs
from vnplans.text.syllable import is_valid_syllable, nfc

FONTS = (("Liberation Serif", 0.6), ("DejaVu Serif", 0.2), ("Liberation Sans", 0.2))
_WORDS = re.compile(r"[^\W\d_]+")


def _pick(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    x = rng.random()
    for name, p in options:
        x -= p
        if x <= 0:
            return name
    return options[-1][0]


def _good_line(line: str) -> bool:
    if line.startswith(("|", "---", "#")) or not (25 <= len(line) <= 700):
        return False
    words = _WORDS.findall(line)
    if len(words) < 5:
        return False
    return sum(is_valid_syllable(w) for w in words) >= 0.8 * len(words)


def scan_corpus(corpus: str, *, pool_size: int, seed: int) -> tuple[list[str], Counter, Counter]:
    """One pass over training docs: a seeded reservoir of lines, syllable and abbreviation counts."""
    rng = random.Random(seed)
    pool: list[str] = []
    seen = 0
    syl: Counter = Counter()
    abbr: Counter = Counter()
    for doc in iter_docs(corpus):
        if is_heldout(doc):
            continue
        for w in _WORDS.findall(doc.text):
            if len(w) >= 2 and w.isupper() and not is_valid_syllable(w):
                abbr[w] += 1
            else:
                syl[w.lower()] += 1
        for line in doc.text.split("\n"):
            line = line.strip()
            if not _good_line(line):
                continue
            seen += 1
            if len(pool) < pool_size:
                pool.append(line)
            else:
                j = rng.randrange(seen)
                if j < pool_size:
                    pool[j] = line
    return pool, syl, abbr


def page_specs(n_eng: int, n_vie: int, seed: int) -> list[dict]:
    specs = []
    for i in range(n_eng + n_vie):
        rng = random.Random(seed * 1000 + i)
        lang = "eng" if i < n_eng else "vie"
        spec = {
            "id": i,
            "lang": lang,
            "font": _pick(rng, FONTS),
            "size_pt": rng.choice((12, 13, 13, 14)),
            "dpi": rng.choice((200, 250, 300, 300)),
            "bold": rng.random() < 0.08,
            "upper_p": 0.12,
            "seed": seed * 1000 + i,
        }
        if lang == "eng":
            spec["scan"] = {
                "blur": rng.uniform(0.2, 0.9),
                "noise": rng.uniform(2, 9),
                "scale": rng.uniform(0.65, 1.0),
                "jpeg_quality": rng.randrange(40, 90),
            }
        else:  # degraded enough that Tesseract vie starts confusing tone marks
            spec["scan"] = {
                "blur": rng.uniform(0.6, 1.4),
                "noise": rng.uniform(5, 16),
                "scale": rng.uniform(0.38, 0.6),
                "jpeg_quality": rng.randrange(20, 55),
            }
        specs.append(spec)
    return specs


def page_paragraphs(spec: dict, pool: list[str]) -> list[str]:
    rng = random.Random(spec["seed"])
    paras = []
    total = 0
    while total < 4200:
        p = pool[rng.randrange(len(pool))]
        if rng.random() < spec["upper_p"] and len(p) < 160:
            p = p.upper()
        paras.append(p)
        total += len(p)
    return paras


def ocr_page(spec: dict, paras: list[str], cache: Path) -> dict:
    """Render, degrade, OCR one page; cached as JSON by page id + spec."""
    out = cache / f"page_{spec['id']:04d}_{spec['lang']}.json"
    if out.exists():
        data = json.loads(out.read_text(encoding="utf-8"))
        if data.get("spec") == spec:
            return data
    from vnplans.ocr import ocr_image
    from vnplans.synth.render import mild_scan, render_page

    page = render_page(
        paras, font=spec["font"], size_pt=spec["size_pt"], dpi=spec["dpi"], bold=spec["bold"], align="justify"
    )
    img = mild_scan(page.image, seed=spec["seed"], **spec["scan"])
    res = ocr_image(np.asarray(img), lang=spec["lang"])
    data = {
        "spec": spec,
        "lines": page.lines,
        "words": [[w.text, w.conf, w.block, w.par, w.line] for w in res.words],
    }
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tmp.replace(out)
    return data


def _ocr_job(args: tuple[dict, list[str], str]) -> dict:
    spec, paras, cache = args
    return ocr_page(spec, paras, Path(cache))


def generate(corpus: str, cache: Path, *, n_eng: int, n_vie: int, seed: int, jobs: int) -> tuple[list[dict], Counter, Counter]:
    cache.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    pool, syl, abbr = scan_corpus(corpus, pool_size=20000, seed=seed)
    print(f"[channel] corpus scan {time.time() - t0:.0f}s: {len(pool)} lines, {len(syl)} word types", file=sys.stderr)
    specs = page_specs(n_eng, n_vie, seed)
    work = [(s, page_paragraphs(s, pool), str(cache)) for s in specs]
    pages = []
    with ProcessPoolExecutor(max_workers=jobs) as ex:
        for i, data in enumerate(ex.map(_ocr_job, work)):
            pages.append(data)
            if i % 10 == 0:
                print(f"[channel] page {i + 1}/{len(work)} {time.time() - t0:.0f}s", file=sys.stderr, flush=True)
    return pages, syl, abbr


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tools.train_channel")
    p.add_argument("--corpus", default="../shared/corpus")
    p.add_argument("--out", default="models")
    p.add_argument("--cache", default="build/channel_cache")
    p.add_argument("--eng-pages", type=int, default=110)
    p.add_argument("--vie-pages", type=int, default=70)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--generate-only", action="store_true")
    a = p.parse_args(argv)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    pages, syl, abbr = generate(a.corpus, Path(a.cache), n_eng=a.eng_pages, n_vie=a.vie_pages, seed=a.seed, jobs=a.jobs)
    if a.generate_only:
        return 0
    from tools.channel_estimate import estimate_and_write  # noqa: PLC0415

    estimate_and_write(pages, syl, abbr, Path(a.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
