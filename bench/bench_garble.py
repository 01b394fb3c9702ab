"""OCR-garble repair on unseen text: Tesseract `eng` on clean-ish scans and `vie` on degraded scans.

Sentences come from HELD-OUT documents that share no 10-syllable shingle with training
(`ContentFilter`), are rendered and OCR'd exactly like channel training (other seeds), and cached
under bench/work/garble/. Reports syllable accuracy and CER of the raw OCR and of `repair`.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import numpy as np
from rapidfuzz.distance import Levenshtein
from tools.train_channel import _good_line, ocr_page, page_specs

from vnplans.text.channel import align_tokens
from vnplans.text.corpus import ContentFilter, _hashes, is_heldout, iter_docs, split_sentences

WORK = Path("bench/work")
_EDGE = ".,;:!?()[]{}\"'“”‘’«»…*|"


def heldout_sentences(corpus: str) -> list[str]:
    """Held-out sentences with no training shingle (same test as `ContentFilter.is_unseen`, but a
    binary search on the sorted hashes: `np.isin` re-sorts 15M hashes per sentence)."""
    cf = ContentFilter.from_corpus(corpus, cache=WORK / "train_shingles.npy")
    table = cf.hashes

    def unseen(s: str) -> bool:
        h = _hashes(s)
        if h.size == 0:
            return True
        idx = np.minimum(np.searchsorted(table, h), table.size - 1)
        return not bool((table[idx] == h).any())

    out = []
    for doc in iter_docs(corpus):
        if not is_heldout(doc):
            continue
        for s in split_sentences(doc.text):
            if _good_line(s) and unseen(s):
                out.append(s)
    return out


def page_text(words: list[list]) -> tuple[str, dict[tuple[int, int], float]]:
    """OCR words to text (one line per Tesseract line) and confidences by character span."""
    lines: list[str] = []
    conf: dict[tuple[int, int], float] = {}
    key = None
    pos = 0
    for text, c, block, par, line in words:
        k = (block, par, line)
        if key is not None and k != key:
            lines.append("\n")
            pos += 1
        elif key is not None:
            lines.append(" ")
            pos += 1
        key = k
        conf[(pos, pos + len(text))] = c
        lines.append(text)
        pos += len(text)
    return "".join(lines), conf


def _syls(text: str) -> list[str]:
    toks = [t.strip(_EDGE) for t in text.split()]
    return [t for t in toks if t]


def score(ref: str, hyp: str) -> dict:
    """Syllable accuracy over alphabetic reference tokens (exact, case-insensitive) and CER."""
    r, h = _syls(ref), _syls(hyp)
    total = correct = 0
    for si, oi in align_tokens(r, h):
        for k, i in enumerate(si):
            if not r[i].isalpha():
                continue
            total += 1
            if (
                len(si) == 1
                and len(oi) == 1
                and r[i].lower() == h[oi[0]].lower()
                or len(si) == 2
                and len(oi) == 2
                and r[i].lower() == h[oi[k]].lower()
            ):
                correct += 1
    rn, hn = " ".join(ref.split()), " ".join(hyp.split())
    return {"syllables": total, "correct": correct, "edits": Levenshtein.distance(rn, hn), "chars": len(rn)}


def _agg(rows: list[dict]) -> dict:
    t = sum(r["syllables"] for r in rows)
    c = sum(r["correct"] for r in rows)
    e = sum(r["edits"] for r in rows)
    n = sum(r["chars"] for r in rows)
    return {"syllable_accuracy": round(c / max(1, t), 4), "cer": round(e / max(1, n), 4), "syllables": t}


def garble_pages(args) -> tuple[list[dict], int]:
    """The benchmark pages (cached under bench/work/garble/): lang, reference text, raw OCR text and
    its confidences by character span. Shared with `bench_rules`."""
    quick = bool(getattr(args, "quick", False))
    corpus = getattr(args, "corpus", "../shared/corpus")
    WORK.mkdir(parents=True, exist_ok=True)
    cache = WORK / "garble"
    cache.mkdir(parents=True, exist_ok=True)
    sent_file = cache / "sentences.json"
    if sent_file.exists():
        sents = json.loads(sent_file.read_text(encoding="utf-8"))
    else:
        sents = heldout_sentences(corpus)
        sent_file.write_text(json.dumps(sents, ensure_ascii=False), encoding="utf-8")
    rng = random.Random(20240501)
    rng.shuffle(sents)
    n_eng, n_vie = (3, 2) if quick else (12, 8)
    specs = page_specs(n_eng, n_vie, seed=9001)
    pages = []
    cursor = 0
    for lang in ("eng", "vie"):
        for spec in (s for s in specs if s["lang"] == lang):
            paras = []
            total = 0
            while total < 3000 and sents:
                s = sents[cursor % len(sents)]
                cursor += 1
                paras.append(s.upper() if len(s) < 120 and cursor % 9 == 0 else s)
                total += len(s)
            data = ocr_page(spec, paras, cache)
            raw, conf = page_text(data["words"])
            pages.append({"lang": lang, "ref": "\n".join(data["lines"]), "raw": raw, "conf": conf})
    return pages, len(sents)


def run(args) -> dict:
    from vnplans.text.repair import repair_detailed

    pages, n_sents = garble_pages(args)
    results: dict[str, dict] = {}
    t_repair = 0.0
    for lang in ("eng", "vie"):
        raw_rows, fix_rows, fix_conf_rows = [], [], []
        for page in (p for p in pages if p["lang"] == lang):
            ref, raw, conf = page["ref"], page["raw"], page["conf"]
            t0 = time.time()
            fixed = repair_detailed(raw).text
            t_repair += time.time() - t0
            raw_rows.append(score(ref, raw))
            fix_rows.append(score(ref, fixed))
            if lang == "vie":
                fix_conf_rows.append(score(ref, repair_detailed(raw, confidences=conf).text))
        res = {"pages": len(raw_rows), "raw": _agg(raw_rows), "repaired": _agg(fix_rows)}
        if fix_conf_rows:
            res["repaired_with_confidences"] = _agg(fix_conf_rows)
        results[lang] = res
    ev, vv = results["eng"], results["vie"]
    summary = {
        "eng_raw_syllable_accuracy": ev["raw"]["syllable_accuracy"],
        "eng_repaired_syllable_accuracy": ev["repaired"]["syllable_accuracy"],
        "eng_raw_cer": ev["raw"]["cer"],
        "eng_repaired_cer": ev["repaired"]["cer"],
        "vie_raw_syllable_error": round(1 - vv["raw"]["syllable_accuracy"], 4),
        "vie_repaired_syllable_error": round(1 - vv["repaired"]["syllable_accuracy"], 4),
        "vie_repaired_with_conf_syllable_error": round(
            1 - vv.get("repaired_with_confidences", vv["repaired"])["syllable_accuracy"], 4
        ),
        "repair_seconds": round(t_repair, 1),
    }
    return {"summary": summary, "sentences_available": n_sents, **results}
