"""Diacritic restoration benchmark: held-out sentences, stripped, restored; vnplans vs pyvi.

Test sentences come from held-out documents (`is_heldout`) and are further filtered by content:
a sentence sharing any 10-syllable shingle with a training document is dropped (the compendium
quotes the same laws as vbpl). Accuracy is per syllable, case-insensitive and neutral to tone
placement (both sides normalised with `normalize_tone_placement`).
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from vnplans.text.corpus import ContentFilter, is_heldout, iter_docs, split_sentences
from vnplans.text.syllable import normalize_tone_placement, strip_diacritics

_WORD = re.compile(r"[^\W\d_]+")
SHINGLES_CACHE = "bench/work/train_shingles.npy"


def _is_vietnamese(sentence: str) -> bool:
    words = _WORD.findall(sentence)
    if len(words) < 4:
        return False
    marked = sum(1 for w in words if strip_diacritics(w) != w)
    return marked >= 0.3 * len(words)


def pick_sentences(docs: Iterable, n: int, content: ContentFilter | None) -> list[str]:
    """Vietnamese sentences of the given documents, unseen in training, in a stable pseudo-random order."""
    pool: list[tuple[str, str]] = []
    for doc in docs:
        for s in split_sentences(doc.text):
            if _is_vietnamese(s) and len(s) < 2000:
                pool.append((hashlib.sha1(s.encode()).hexdigest(), s))
    pool = sorted(set(pool))
    out: list[str] = []
    for _, s in pool:
        if content is None or content.is_unseen(s):
            out.append(s)
            if len(out) >= n:
                break
    return out


def _norm(word: str) -> str:
    return normalize_tone_placement(word.lower(), "old")


def score(refs: list[str], hyps: list[str]) -> dict:
    """Syllable accuracy of hypotheses against references (words aligned by position)."""
    total = correct = misaligned = 0
    for ref, hyp in zip(refs, hyps, strict=True):
        rw = _WORD.findall(ref)
        hw = _WORD.findall(hyp)
        total += len(rw)
        if len(rw) != len(hw):
            misaligned += 1
            continue
        correct += sum(1 for a, b in zip(rw, hw, strict=True) if _norm(a) == _norm(b))
    return {
        "syllables": total,
        "accuracy": round(correct / total, 5) if total else None,
        "misaligned_sentences": misaligned,
    }


def evaluate(name: str, fn: Callable[[str], str], refs: list[str]) -> dict:
    """Run `fn` on every stripped reference, one sentence per call, timing only the calls."""
    stripped = [strip_diacritics(s) for s in refs]
    hyps: list[str] = []
    crashes = 0
    t = 0.0
    for s in stripped:
        t0 = time.perf_counter()
        try:
            h = fn(s)
        except Exception:
            crashes += 1
            h = s
        t += time.perf_counter() - t0
        hyps.append(h)
    res = score(refs, hyps)
    res.update(
        {
            "system": name,
            "crashes": crashes,
            "seconds": round(t, 3),
            "syllables_per_s": round(res["syllables"] / t) if t > 0 else None,
        }
    )
    return res


def run(args) -> dict:
    import vnplans.text.restorer as restorer
    from vnplans.text.candidates import get_candidates
    from vnplans.text.lm import get_lm

    n = 300 if getattr(args, "quick", False) else 3000
    content = ContentFilter.from_corpus(args.corpus, cache=SHINGLES_CACHE)
    refs = pick_sentences((d for d in iter_docs(args.corpus) if is_heldout(d)), n, content)
    t0 = time.perf_counter()
    get_lm(), get_candidates()
    load_s = time.perf_counter() - t0
    ours = evaluate("vnplans", restorer.restore, refs)
    ours["model_load_seconds"] = round(load_s, 3)
    systems = [ours]
    try:
        from pyvi import ViUtils

        base = evaluate("pyvi", ViUtils.add_accents, refs)  # the very same sentences
        base["note"] = "all the same sentences, same run"
        systems.append(base)
    except ImportError:
        pass
    models = Path(__file__).resolve().parents[1] / "models"
    size = sum(p.stat().st_size for p in models.glob("lm*")) + sum(
        p.stat().st_size for p in models.glob("candidates*")
    )
    return {
        "summary": {
            "sentences": len(refs),
            "syllables": ours["syllables"],
            "accuracy": ours["accuracy"],
            "syllables_per_s": ours["syllables_per_s"],
            "pyvi_accuracy": systems[1]["accuracy"] if len(systems) > 1 else None,
            "pyvi_syllables_per_s": systems[1]["syllables_per_s"] if len(systems) > 1 else None,
            "pyvi_crashes": systems[1]["crashes"] if len(systems) > 1 else None,
            "model_mb": round(size / 1e6, 2),
        },
        "test_set": "held-out documents (is_heldout); sentences sharing any 10-syllable shingle with "
        "training documents excluded (ContentFilter); diacritics stripped; one sentence per call",
        "systems": systems,
    }


def dev_sentences(corpus: str | Path, n: int = 3000) -> list[str]:
    """Tuning sentences: the dev split of training documents (`train.is_dev`), content-filtered
    against the other training documents (the same rules as the test set, never test data)."""
    import numpy as np

    from vnplans.text.corpus import _hashes
    from vnplans.text.train import is_dev

    docs = list(iter_docs(corpus))
    rest = [_hashes(d.text) for d in docs if not is_heldout(d) and not is_dev(d)]
    content = ContentFilter(np.concatenate(rest) if rest else np.zeros(0, dtype=np.uint64))
    return pick_sentences((d for d in docs if is_dev(d)), n, content)


def main(argv: list[str] | None = None) -> int:
    """Dev-split evaluation for tuning: `python -m bench.bench_restore --dev-models /tmp/dev-models`.

    Trains a model without the dev documents into `--dev-models` if it is not there yet
    (`train_lm(..., exclude_dev=True)`), then scores the restorer on the dev sentences;
    `--set key=value` overrides `RestoreConfig` fields.
    """
    import argparse
    import dataclasses
    import json

    import vnplans.text.restorer as restorer
    from vnplans.text.candidates import Candidates
    from vnplans.text.lm import NgramLM
    from vnplans.text.train import train_lm

    p = argparse.ArgumentParser(prog="python -m bench.bench_restore")
    p.add_argument("--corpus", default="../shared/corpus")
    p.add_argument("--dev-models", required=True)
    p.add_argument("--order", type=int, default=3)
    p.add_argument("--set", nargs="*", default=[], help="RestoreConfig overrides, e.g. prior_weight=0.3")
    args = p.parse_args(argv)
    models = Path(args.dev_models)
    if not (models / "lm.npz").exists():
        train_lm(args.corpus, models, order=args.order, exclude_dev=True, dictionaries=None)
    lm = NgramLM.load(models / "lm.npz")
    cands = Candidates.load(models / "candidates.json.xz")
    overrides = {}
    for kv in args.set:
        k, v = kv.split("=", 1)
        kind = type(getattr(restorer.DEFAULT, k))
        overrides[k] = v.lower() in ("1", "true") if kind is bool else kind(v)
    cfg = dataclasses.replace(restorer.DEFAULT, **overrides)
    refs = dev_sentences(args.corpus)
    res = evaluate(
        "vnplans-dev", lambda s: restorer.restore_detailed(s, lm=lm, candidates=cands, config=cfg).text, refs
    )
    res.update({"sentences": len(refs), "config": dataclasses.asdict(cfg), "model_order": lm.order})
    print(json.dumps(res, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
