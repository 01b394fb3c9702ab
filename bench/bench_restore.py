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

        m = max(100, n // 10)  # pyvi is slow: a prefix of the same sentences
        base = evaluate("pyvi", ViUtils.add_accents, refs[:m])
        base["note"] = f"first {m} of the same sentences"
        ours_prefix = score(refs[:m], [restorer.restore(strip_diacritics(s)) for s in refs[:m]])
        base["vnplans_accuracy_same_prefix"] = ours_prefix["accuracy"]
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
