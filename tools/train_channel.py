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
import json
import math
import os
import random
import re
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from rapidfuzz.distance import Levenshtein

from vnplans.text.channel import MODEL_NAME, Channel, Profile, align_chars, align_tokens
from vnplans.text.corpus import is_heldout, iter_docs
from vnplans.text.syllable import fold, is_valid_syllable

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


def hard_spec(i: int, seed: int) -> dict:
    """A harder `eng` page: bold, larger or smaller type, lower resolution, toner bleed, bitonal.

    Real plans are often photocopies scanned at 150-200 dpi; there the crossbar of `Đ` fills in
    (`Đ` -> `P`), `ă`/`ơ` marks merge with the bowl (`năm` -> `ndm`, `với` -> `vdi`) and stray
    glyphs appear (`tiêu` -> `ti€u`). Mild pages alone almost never show these confusions.
    """
    rng = random.Random(seed * 1000 + i)
    dpi = rng.choice((150, 200, 200, 250))
    return {
        "id": i,
        "lang": "eng",
        "font": _pick(rng, (("Liberation Serif", 0.7), ("DejaVu Serif", 0.3))),
        "size_pt": rng.choice((11, 12, 13, 14, 16)),
        "dpi": dpi,
        "bold": rng.random() < 0.35,
        "upper_p": 0.2,
        "seed": seed * 1000 + i,
        "scan": {
            "blur": rng.uniform(0.5, 1.4),
            "noise": rng.uniform(3, 10),
            "scale": rng.uniform(0.6, 1.0),
            "jpeg_quality": rng.randrange(35, 80),
            "ink": rng.choice((0, 0, 2, 3, 3, 5)),
            "threshold": rng.choice((None, 140, 170, 200)),
        },
    }


def real_spec(i: int, seed: int) -> dict:
    """A `vie` page as archives hold them (`synth.scanner`: 1-bit 200 dpi or colour JPEG 150-200 ppi),
    read the way the pipeline reads it (its preprocessing, then Tesseract).

    The degraded `vie` pages above teach heavy-scan confusions; real scans mostly lose the upper of
    two stacked marks (`số` -> `sô`, `kiểm` -> `kiêm`, `đổi` -> `đối`), which those pages almost never
    show, so the channel put P(sô | số) at 1e-5 and repair kept `Nghị định sô 83`.
    """
    rng = random.Random(seed * 1000 + i)
    return {
        "id": i,
        "lang": "vie",
        "font": _pick(rng, (("Liberation Serif", 0.8), ("DejaVu Serif", 0.1), ("Liberation Sans", 0.1))),
        "size_pt": rng.choice((12, 13, 13, 14)),
        "dpi": 300,
        "bold": rng.random() < 0.1,
        "upper_p": 0.12,
        "seed": seed * 1000 + i,
        "real_profile": "jpeg" if rng.random() < 0.3 else "bilevel",
        "style": "decree30",  # legal bases in italics, headings in bold, as real documents print them
    }


def page_specs(n_eng: int, n_vie: int, seed: int, n_hard: int = 0, n_real: int = 0) -> list[dict]:
    """Page specs: `n_eng` mild `eng` pages, `n_vie` degraded `vie` pages, then `n_hard` hard `eng`
    pages and `n_real` real-profile `vie` pages (ids after the others, so adding pages never
    invalidates cached ones)."""
    specs = []
    for i in range(n_eng + n_vie):
        rng = random.Random(seed * 1000 + i)
        lang = "eng" if i < n_eng else "vie"
        spec_dpi = rng.choice((200, 250, 300, 300))
        spec = {
            "id": i,
            "lang": lang,
            "font": _pick(rng, FONTS),
            "size_pt": rng.choice((12, 13, 13, 14)),
            "dpi": spec_dpi,
            "bold": rng.random() < 0.08,
            "upper_p": 0.12,
            "seed": seed * 1000 + i,
        }
        if lang == "eng":
            spec["scan"] = {
                "blur": rng.uniform(0.2, 1.2),
                "noise": rng.uniform(2, 10),
                "scale": rng.uniform(0.45, 1.0) * (300 / spec_dpi) ** 0.5,
                "jpeg_quality": rng.randrange(40, 90),
            }
        else:  # degraded enough that Tesseract vie starts confusing tone marks
            spec["scan"] = {
                "blur": rng.uniform(0.8, 1.3),
                "noise": rng.uniform(8, 14),
                "scale": rng.uniform(0.28, 0.42) * 300 / spec_dpi,
                "jpeg_quality": rng.randrange(22, 45),
            }
        specs.append(spec)
    specs.extend(hard_spec(n_eng + n_vie + k, seed) for k in range(n_hard))
    specs.extend(real_spec(n_eng + n_vie + n_hard + k, seed) for k in range(n_real))
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
    from vnplans.ocr import ocr_image, percent
    from vnplans.synth.render import mild_scan, render_page
    from vnplans.synth.scanner import decree30_style

    page = render_page(
        paras,
        font=spec["font"],
        size_pt=spec["size_pt"],
        dpi=spec["dpi"],
        bold=spec["bold"],
        align="justify",
        style_of=decree30_style if spec.get("style") == "decree30" else None,
    )
    if spec.get("real_profile"):
        from vnplans.pipeline import read_page
        from vnplans.synth.scanner import scan_like

        scan = scan_like(page.image, seed=spec["seed"], profile=spec["real_profile"])
        _, res, _ = read_page(scan.image, scan.dpi, lang=spec["lang"])
    else:
        img = mild_scan(page.image, seed=spec["seed"], **spec["scan"])
        res = ocr_image(np.asarray(img), lang=spec["lang"])
    data = {
        "spec": spec,
        "lines": page.lines,
        "words": [
            [w.text, percent(w.conf), w.block, w.par, w.line] for w in res.words
        ],  # channel buckets: 0..100
    }
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tmp.replace(out)
    return data


def _ocr_job(args: tuple[dict, list[str], str]) -> dict:
    spec, paras, cache = args
    return ocr_page(spec, paras, Path(cache))


def generate(
    corpus: str,
    cache: Path,
    *,
    n_eng: int,
    n_vie: int,
    seed: int,
    jobs: int,
    n_hard: int = 0,
    n_dev: int = 0,
    n_real: int = 0,
) -> tuple[list[dict], Counter, Counter]:
    cache.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    pool, syl, abbr = scan_corpus(corpus, pool_size=20000, seed=seed)
    print(
        f"[channel] corpus scan {time.time() - t0:.0f}s: {len(pool)} lines, {len(syl)} word types",
        file=sys.stderr,
    )
    specs = page_specs(n_eng, n_vie, seed, n_hard, n_real)
    work = [(s, page_paragraphs(s, pool), str(cache)) for s in specs]
    # DEV pages for tuning repair weights: TRAINING documents, other seeds, never estimated on and
    # never the benchmark's held-out documents. Half mild, half hard.
    dev_specs = [dict(s, id=s["id"]) for s in page_specs(n_dev - n_dev // 2, 0, seed + 500, n_dev // 2)]
    work += [(s, page_paragraphs(s, pool), str(cache / "dev")) for s in dev_specs]
    (cache / "dev").mkdir(parents=True, exist_ok=True)
    pages = []
    with ProcessPoolExecutor(max_workers=jobs) as ex:
        for i, data in enumerate(ex.map(_ocr_job, work)):
            if i < len(specs):
                pages.append(data)
            if i % 10 == 0:
                print(
                    f"[channel] page {i + 1}/{len(work)} {time.time() - t0:.0f}s", file=sys.stderr, flush=True
                )
    return pages, syl, abbr


_EDGE = ".,;:!?()[]{}\"'“”‘’«»…*-–—_|/\\"

FAMILY_ALPHA = 4.0
# A documented, hand-set prior for a few well-known glyph-shape confusions of Tesseract `eng` on
# real scans that rendered training pages produce rarely or never (the crossbar of `Đ` lost or
# filled in: `Đơn` -> `Pon`, `HĐND` -> `HDPND`; `ư` -> `w`; `ơ` -> `6`; `c` -> `¢`). It is blended
# with the learned table with weight SHAPE_PRIOR_WEIGHT * 20 / (20 + n) (never below
# SHAPE_PRIOR_FLOOR), so learned evidence dominates wherever there is some.
SHAPE_PRIOR: dict[str, dict[str, float]] = {
    "đ": {"d": 0.8, "p": 0.08, "dp": 0.04, "ð": 0.04, "b": 0.04},
    "ư": {"u": 0.8, "w": 0.15, "v": 0.05},
    "ơ": {"o": 0.8, "6": 0.1, "d": 0.05, "é": 0.05},
    "c": {"c": 0.97, "¢": 0.03},
}
SHAPE_PRIOR_WEIGHT = 0.3
SHAPE_PRIOR_FLOOR = 0.1


def _stacked_prior() -> dict[str, dict[str, float]]:
    """`vie` on real 200 dpi scans loses the upper of two stacked marks (`số` -> `sô`, `ổn` -> `ôn`,
    `đổi` -> `đôi`) or reads it as another tone (`bổ` -> `bỗ`, `dầu` -> `dấu`): the commonest errors of
    plain Tesseract on real scans (the real scan in bench/data/realscans; ../shared/realscans/README),
    which rendered pages, even 1-bit 200 dpi italic ones, almost never produce (P(sô | số) was 1e-5.8).
    As a distribution per letter: kept 0.6, tone lost 0.3, each other tone 0.025; blended like
    `SHAPE_PRIOR` (at the floor weight, tone lost becomes 3%, another tone 0.25%).
    Marks below the letter (`ộ`, `ậ`, `ặ`, `ệ`) do not stack and are left to the data.
    """
    import unicodedata

    prior: dict[str, dict[str, float]] = {}
    for hat in "âăêô":
        toned = [unicodedata.normalize("NFC", hat + t) for t in "\u0301\u0300\u0309\u0303"]
        for c in toned:
            prior[c] = {c: 0.6, hat: 0.3, **{o: 0.025 for o in toned if o != c}}
    return prior


STACKED_PRIOR = _stacked_prior()


def _family(c: str) -> str:
    from vnplans.text.syllable import strip_tone

    return strip_tone(c) if c.isalpha() else c


def _family_seg(c: str, seg: str) -> str:
    """A segment relative to its char's family: the char's own glyph becomes `=` (identity)."""
    return "=" if seg == c else seg


def _unfamily_seg(c: str, fseg: str) -> str:
    return c if fseg == "=" else fseg


def _clean(tok: str) -> str:
    return tok.strip(_EDGE)


def _is_wordish(s: str) -> bool:
    return s.isalpha() and (is_valid_syllable(s) or (s.isupper() and len(s) >= 2))


def estimate(pages: list[dict]) -> dict[str, Profile]:
    """Count aligned confusions per OCR language and turn them into log10 probabilities."""
    profiles: dict[str, Profile] = {}
    for lang in ("eng", "vie"):
        chars: dict[str, Counter] = defaultdict(Counter)
        upper: dict[str, Counter] = defaultdict(Counter)
        pairs: Counter = Counter()
        intended_n: Counter = Counter()
        merges = splits = ones = 0
        short_merges = short_ones = 0  # the second intended token is one letter (`QUÝ I`)
        wrong_by_b = np.zeros(10)
        all_by_b = np.zeros(10)
        for page in pages:
            if page["spec"]["lang"] != lang:
                continue
            src = [t for t in (_clean(x) for x in " ".join(page["lines"]).split()) if t]
            obs_w = [(_clean(w[0]), w[1]) for w in page["words"]]
            obs_w = [w for w in obs_w if w[0]]
            obs = [w[0] for w in obs_w]
            for si, oi in align_tokens(src, obs):
                if len(si) == 1 and len(oi) == 1:
                    s, o = src[si[0]], obs[oi[0]]
                    if len(s) == 1 and s.isalpha():
                        short_ones += 1
                    if not _is_wordish(s):
                        continue
                    ones += 1
                    is_up = s.isupper() and len(s) > 1
                    if Levenshtein.normalized_distance(fold(s).lower(), fold(o).lower()) > 0.75:
                        continue  # misalignment, not a confusion
                    for c, seg in align_chars(s.lower(), o.lower()):
                        (upper if is_up else chars)[c][seg] += 1
                    if is_valid_syllable(s):
                        pairs[(o.lower(), s.lower())] += 1
                        intended_n[s.lower()] += 1
                    b = min(9, int(obs_w[oi[0]][1] // 10))
                    all_by_b[b] += 1
                    wrong_by_b[b] += o != s
                elif len(si) == 2 and len(oi) == 1:
                    merges += 1
                    short_merges += len(src[si[1]]) == 1 and src[si[1]].isalpha()
                elif len(si) == 1 and len(oi) == 2:
                    splits += 1

        priors = {**SHAPE_PRIOR, **STACKED_PRIOR} if lang == "vie" else SHAPE_PRIOR

        def table(
            counts: dict[str, Counter], min_count: int, priors: dict = priors
        ) -> dict[str, dict[str, float]]:
            """log10 P(segment | char), each char's counts smoothed towards its shape family.

            Tone variants of one letter (`ă ắ ằ ẳ ẵ ặ`) share their body glyph, so what OCR does to
            one is evidence for the others: `ặ`->`d` seen, `ă`->`d` not yet, is still likely
            (hierarchical Dirichlet smoothing, `FAMILY_ALPHA` pseudo-counts from the family).
            Then a small documented glyph-shape prior is blended in (`SHAPE_PRIOR`).
            """
            fam: dict[str, Counter] = defaultdict(Counter)
            for c, segs in counts.items():
                for seg, n in segs.items():
                    fam[_family(c)][_family_seg(c, seg)] += n
            out = {}
            for c in set(counts) | set(priors):
                segs = counts.get(c, Counter())
                n_c = sum(segs.values())
                f = fam.get(_family(c), Counter())
                n_f = sum(f.values())
                probs: dict[str, float] = {}
                for seg, n in segs.items():
                    if n >= min_count:
                        probs[seg] = n
                for fseg, n in f.items():
                    seg = _unfamily_seg(c, fseg)
                    if n >= min_count and n_f:
                        probs[seg] = probs.get(seg, 0.0) + FAMILY_ALPHA * n / n_f
                total = n_c + FAMILY_ALPHA + 2.0  # reserve mass for unseen segments
                p = {seg: v / total for seg, v in probs.items()}
                prior = priors.get(c)
                if prior:
                    lam = SHAPE_PRIOR_WEIGHT * 20.0 / (20.0 + n_c)  # fades as evidence grows
                    lam = max(lam, SHAPE_PRIOR_FLOOR)
                    for seg in set(p) | set(prior):
                        p[seg] = (1 - lam) * p.get(seg, 0.0) + lam * prior.get(seg, 0.0)
                kept = {seg: round(math.log10(v), 3) for seg, v in p.items() if v > 0}
                if kept:
                    out[c] = kept
            return out

        syl: dict[str, dict[str, float]] = defaultdict(dict)
        for (o, s), n in pairs.items():
            if n >= 2:
                syl[o][s] = round(math.log10(n / (intended_n[s] + 1.0)), 3)
        err = (wrong_by_b + 1) / (all_by_b + 2)
        profiles[lang] = Profile(
            chars=table(chars, 2),
            upper=table(upper, 2),
            syllables=dict(syl),
            merge_lp=round(math.log10((merges + 1) / (ones + 2)), 3),
            merge_short_lp=round(math.log10((short_merges + 1) / (short_ones + short_merges + 2)), 3),
            split_lp=round(math.log10((splits + 1) / (ones + 2)), 3),
            error_by_conf=[round(float(x), 4) for x in err],
            error_rate=round(float(wrong_by_b.sum() / max(1, all_by_b.sum())), 4),
        )
        print(
            f"[channel] {lang}: {ones} aligned words, {len(syl)} observed forms, merges {merges} splits {splits},"
            f" word error {profiles[lang].error_rate:.3f}",
            file=sys.stderr,
        )
    return profiles


def estimate_and_write(pages: list[dict], syl: Counter, abbr: Counter, out: Path) -> Path:
    profiles = estimate(pages)
    unigrams = {w: n for w, n in syl.items() if n >= 3 and is_valid_syllable(w)}
    abbreviations = {w: n for w, n in abbr.items() if n >= 20}
    meta = {
        "unigram_total": int(sum(unigrams.values())),
        "pages": {lang: sum(p["spec"]["lang"] == lang for p in pages) for lang in ("eng", "vie")},
        "built_by": "python -m tools.train_channel",
    }
    ch = Channel(profiles, unigrams, abbreviations, meta)
    path = out / MODEL_NAME
    ch.save(path)
    print(f"[channel] wrote {path} ({path.stat().st_size // 1024} KiB)", file=sys.stderr)
    return path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tools.train_channel")
    p.add_argument("--corpus", default="../shared/corpus")
    p.add_argument("--out", default="models")
    p.add_argument("--cache", default="build/channel_cache")
    p.add_argument("--eng-pages", type=int, default=120)
    p.add_argument("--vie-pages", type=int, default=80)
    p.add_argument("--hard-pages", type=int, default=60)
    p.add_argument(
        "--real-pages", type=int, default=100, help="vie pages in the calibrated real-scan profiles"
    )
    p.add_argument("--dev-pages", type=int, default=8, help="tuning pages, cached under <cache>/dev")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--generate-only", action="store_true")
    a = p.parse_args(argv)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    pages, syl, abbr = generate(
        a.corpus,
        Path(a.cache),
        n_eng=a.eng_pages,
        n_vie=a.vie_pages,
        seed=a.seed,
        jobs=a.jobs,
        n_hard=a.hard_pages,
        n_dev=a.dev_pages,
        n_real=a.real_pages,
    )
    if a.generate_only:
        return 0
    estimate_and_write(pages, syl, abbr, Path(a.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
