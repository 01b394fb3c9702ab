"""Diacritic restoration beyond the training domain: held-out topics and hand-written prose (issue 18).

Three sets, each stripped of its marks and restored by `vnplans.restore_detailed`:

- **in-domain**: held-out documents (`is_heldout`) of topics the model trained on;
- **held-out topics**: every document of a topic kept out of training (`topics.HELDOUT_TOPICS`, from any
  source), leave-topic-out. Sentences sharing a 10-syllable shingle with a training document are
  dropped (the compendium's parent pages quote their subtopics);
- **hand-written prose**: `bench/data/restore_ood/*.txt`, non-legal administrative text written for
  this benchmark (contracts, notices, letters, a festival plan, a drainage decision, place names).

Sentences of one document are restored together, a document at a time (at most `DOC_LINES` lines),
as a user restores a file: document-level context is part of what is measured. Accuracy is per
syllable, case-insensitive and neutral to tone placement, as in `bench_restore`. A word is *flagged*
when its confidence is below `LOW` (the threshold of `TextResult.low_confidence`); the benchmark
reports which share of the errors is flagged and which share of the flagged words is wrong.
Speed (`syllables_per_s`, on the in-domain set) is measured after one warm-up call that loads the
models; that call's time is `first_call_s` (until issue 18's speed work it was inside the in-domain
timing, which made the figure depend on the set's size).
"""

from __future__ import annotations

import hashlib
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from vnplans.text.corpus import ContentFilter, Doc, _hashes, is_heldout, iter_docs, split_sentences
from vnplans.text.result import TextResult
from vnplans.text.syllable import nfc, normalize_tone_placement, strip_diacritics
from vnplans.text.topics import HELDOUT_TOPICS, in_training, topic_of

from .bench_restore import _is_vietnamese

DATA = Path(__file__).resolve().parent / "data" / "restore_ood"
WORK = Path("bench/work")
LOW = 0.6  # TextResult.low_confidence's default
DOC_LINES = 60
_WORD = re.compile(r"[^\W\d_]+")
WARM_UP = "Uy ban nhan dan tinh ban hanh ke hoach."  # made up, in no set

Restorer = Callable[[str], TextResult]


def _norm(word: str) -> str:
    return normalize_tone_placement(word.lower(), "old")


def training_filter(docs: Iterable[Doc]) -> ContentFilter:
    """Shingles of the training documents under the leave-topic-out split."""
    import numpy as np

    cache = WORK / "train_shingles_topics.npy"
    if cache.exists():
        return ContentFilter(np.load(cache))
    parts = [_hashes(d.text) for d in docs if in_training(d)]
    cf = ContentFilter(np.concatenate(parts))
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.save(cache, cf.hashes)
    return cf


def doc_texts(docs: Iterable[Doc], content: ContentFilter, per_set: int) -> list[str]:
    """Unseen Vietnamese sentences grouped by document, documents in a stable pseudo-random order."""
    keyed = sorted(docs, key=lambda d: hashlib.sha1(d.id.encode()).hexdigest())
    per_doc = max(per_set // max(len(keyed), 1), 8)  # spread the set over many documents
    out: list[str] = []
    total = 0
    for d in keyed:
        sents = [s for s in split_sentences(d.text) if _is_vietnamese(s) and len(s) < 1000]
        sents = [s for s in dict.fromkeys(sents) if content.is_unseen(s)][:per_doc]
        for i in range(0, len(sents), DOC_LINES):
            out.append("\n".join(sents[i : i + DOC_LINES]))
        total += len(sents)
        if total >= per_set:
            break
    return out


def hand_written() -> list[str]:
    return [nfc(p.read_text(encoding="utf-8")) for p in sorted(DATA.glob("*.txt"))]


def evaluate(refs: list[str], fn: Restorer) -> dict:
    """Accuracy, speed, confusions and flagging of `fn` on stripped copies of `refs` (whole texts)."""
    total = correct = flagged = flagged_wrong = 0
    errors: Counter = Counter()
    t = 0.0
    for ref in refs:
        src = strip_diacritics(ref)  # same length and offsets as ref
        t0 = time.perf_counter()
        res = fn(src)
        t += time.perf_counter() - t0
        for w in res.words:
            truth = ref[w.start : w.end]
            for a, b in zip(_WORD.findall(truth), _WORD.findall(w.output), strict=False):
                total += 1
                ok = _norm(a) == _norm(b)
                correct += ok
                low = w.confidence < LOW
                flagged += low
                flagged_wrong += low and not ok
                if not ok:
                    errors[f"{a.lower()} -> {b.lower()}"] += 1
    wrong = total - correct
    return {
        "syllables": total,
        "accuracy": round(correct / total, 5) if total else None,
        "errors": wrong,
        "syllables_per_s": round(total / t) if t else None,
        "flagged": flagged,
        "errors_flagged_share": round(flagged_wrong / wrong, 3) if wrong else None,
        "flagged_precision": round(flagged_wrong / flagged, 3) if flagged else None,
        "top_errors": errors.most_common(25),
    }


def sets(corpus: str | Path, quick: bool = False) -> dict[str, list[str]]:
    """The benchmark's texts by set name (`in_domain`, `topic:<name>`, `hand_written`)."""
    docs = list(iter_docs(corpus))
    content = training_filter(docs)
    n = 300 if quick else 1500
    by_topic: dict[str, list[Doc]] = defaultdict(list)
    for d in docs:
        by_topic[topic_of(d)].append(d)
    out = {
        "in_domain": doc_texts(
            (d for d in docs if is_heldout(d) and topic_of(d) not in HELDOUT_TOPICS), content, n
        )
    }
    for name in sorted(HELDOUT_TOPICS):
        out[f"topic:{name}"] = doc_texts(by_topic[name], content, n)
    out["hand_written"] = hand_written()
    return out


def run(args, fn: Restorer | None = None) -> dict:
    from vnplans.text.restorer import restore_detailed

    fn = fn or restore_detailed
    t0 = time.perf_counter()
    fn(WARM_UP)  # loads the models: a one-off cost per process, reported apart from the speed
    first_call = time.perf_counter() - t0
    results = {
        name: evaluate(texts, fn) for name, texts in sets(args.corpus, getattr(args, "quick", False)).items()
    }
    topics = [v for k, v in results.items() if k.startswith("topic:")]
    syl = sum(v["syllables"] for v in topics)
    ok = sum(v["syllables"] - v["errors"] for v in topics)
    err = sum(v["errors"] for v in topics)
    flag_ok = sum(round((v["errors_flagged_share"] or 0) * v["errors"]) for v in topics)
    return {
        "summary": {
            "in_domain": results["in_domain"]["accuracy"],
            "heldout_topics": round(ok / syl, 5) if syl else None,
            "hand_written": results["hand_written"]["accuracy"],
            "heldout_topics_syllables": syl,
            "hand_written_syllables": results["hand_written"]["syllables"],
            "heldout_errors_flagged_share": round(flag_ok / err, 3) if err else None,
            "hand_written_errors_flagged_share": results["hand_written"]["errors_flagged_share"],
            "syllables_per_s": results["in_domain"]["syllables_per_s"],
            "first_call_s": round(first_call, 3),
        },
        "heldout_topics": sorted(HELDOUT_TOPICS),
        "test_sets": "in-domain: held-out documents of trained topics; topics: every document of a held-out "
        "topic; both without sentences sharing a 10-syllable shingle with training; hand-written: "
        "bench/data/restore_ood. Sentences of a document restored together; flagged = confidence < 0.6",
        "sets": results,
    }
