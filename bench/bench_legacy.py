"""Legacy encodings and the quality detector on generated data from held-out corpus sentences.

Legacy: each sentence is encoded to TCVN3 (ABC, capitals with toned vowels on lower-case codes as
with `.VnTimeH`; and the VN1 variant with upper-case slots) and VNI, as mis-decoded strings and as
raw bytes through `ingest.textfile.decode_bytes`; we report detection accuracy and character
accuracy after conversion. Quality: per-class accuracy of `assess` on clean, stripped, garbled
(simulated), legacy and non-Vietnamese lines.
"""

from __future__ import annotations

import random
import textwrap
from collections import Counter
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from vnplans.ingest.textfile import decode_bytes
from vnplans.text.corpus import is_heldout, iter_docs, split_sentences
from vnplans.text.legacy import convert_legacy, detect_legacy, encode_legacy, encode_legacy_bytes
from vnplans.text.quality import assess, simulate_garble
from vnplans.text.syllable import fold


def _sentences(corpus: str, n: int, seed: int = 0) -> list[str]:
    sents = []
    for d in iter_docs(corpus):
        if is_heldout(d):
            sents += [s for s in split_sentences(d.text) if len(s.split()) >= 4 and not s.startswith("|")]
    random.Random(seed).shuffle(sents)
    return sents[:n]


def _char_acc(ref: str, hyp: str) -> tuple[int, int]:
    return Levenshtein.distance(ref, hyp), len(ref)


def _legacy(sents: list[str]) -> dict:
    out: dict = {}
    variants = (("tcvn3", "tcvn3", "abc"), ("tcvn3-vn1", "tcvn3", "vn1"), ("vni", "vni", "abc"))
    for name, enc, upper in variants:
        errs = total = det_ok = bytes_errs = 0
        det_doc_ok = 0
        for i, s in enumerate(sents):
            e = encode_legacy(s, enc, upper=upper)
            det_ok += detect_legacy(e) == enc
            d, n = _char_acc(s, convert_legacy(e, enc))
            errs += d
            total += n
            bd, _ = _char_acc(s, decode_bytes(encode_legacy_bytes(s, enc, upper=upper), "bench"))
            bytes_errs += bd
            if i % 10 == 0:
                doc = "\n".join(sents[i : i + 10])
                det_doc_ok += detect_legacy(encode_legacy(doc, enc, upper=upper)) == enc
        out[name] = {
            "sentences": len(sents),
            "detect_sentence_acc": round(det_ok / len(sents), 4),
            "detect_page_acc": round(det_doc_ok / max(1, (len(sents) + 9) // 10), 4),
            "char_acc": round(1 - errs / max(total, 1), 5),
            "bytes_char_acc": round(1 - bytes_errs / max(total, 1), 5),
        }
    fp = sum(detect_legacy(s) is not None for s in sents)
    fp_stripped = sum(detect_legacy(fold(s)) is not None for s in sents)
    out["false_positive_clean"] = round(fp / len(sents), 4)
    out["false_positive_stripped"] = round(fp_stripped / len(sents), 4)
    return out


def _english_lines(n: int) -> list[str]:
    """English prose from the standard library's docstrings: a not-Vietnamese sample at hand."""
    import argparse
    import collections
    import json
    import logging
    import pathlib
    import subprocess

    lines = []
    for mod in (json, argparse, logging, collections, subprocess, pathlib, random, textwrap):
        for name in sorted(dir(mod)):
            doc = getattr(getattr(mod, name, None), "__doc__", None)
            if isinstance(doc, str):
                for para in doc.split("\n\n"):
                    t = " ".join(para.split())
                    if len(t) > 40 and ">>>" not in t:
                        lines.append(textwrap.wrap(t, 80)[0])
    random.Random(3).shuffle(lines)
    return lines[:n]


def _quality(sents: list[str]) -> dict:
    rng = random.Random(5)
    lines = [w for s in sents for w in textwrap.wrap(s, 80)[:2]]
    data = {
        "clean": lines,
        "stripped": [fold(x) for x in lines],
        "garbled": [simulate_garble(x, rng) for x in lines],
        "legacy-tcvn3": [encode_legacy(x, "tcvn3") for x in lines],
        "legacy-vni": [encode_legacy(x, "vni") for x in lines],
        "not-vietnamese": _english_lines(len(lines)),
    }
    out = {}
    for kind, xs in data.items():
        c = Counter(assess(x).kind for x in xs)
        out[kind] = {"n": len(xs), "accuracy": round(c[kind] / max(1, len(xs)), 4), "confusion": dict(c)}
    # A simulated garbled line without any visible damage is indistinguishable from a stripped one,
    # and both go to a corrector that restores marks; count that as the lenient figure.
    g = out["garbled"]["confusion"]
    out["garbled"]["accuracy_or_stripped"] = round(
        (g.get("garbled", 0) + g.get("stripped", 0)) / max(1, out["garbled"]["n"]), 4
    )
    pages = {k: "\n".join(v[:40]) for k, v in data.items()}
    out["page_level"] = {k: assess(p).kind for k, p in pages.items()}
    return out


def run(args) -> dict:
    corpus = getattr(args, "corpus", "../shared/corpus")
    quick = getattr(args, "quick", False)
    if not Path(corpus).exists():
        return {"error": f"corpus not found: {corpus}"}
    sents = _sentences(corpus, 300 if quick else 2000)
    legacy = _legacy(sents)
    quality = _quality(sents[: 150 if quick else 600])
    summary = {
        "tcvn3_char_acc": legacy["tcvn3"]["char_acc"],
        "tcvn3_vn1_char_acc": legacy["tcvn3-vn1"]["char_acc"],
        "vni_char_acc": legacy["vni"]["char_acc"],
        "tcvn3_detect_acc": legacy["tcvn3"]["detect_sentence_acc"],
        "vni_detect_acc": legacy["vni"]["detect_sentence_acc"],
        "legacy_false_positive_clean": legacy["false_positive_clean"],
        "quality_acc": {
            k: v["accuracy"] for k, v in quality.items() if isinstance(v, dict) and "accuracy" in v
        },
    }
    return {"summary": summary, "legacy": legacy, "quality": quality}


if __name__ == "__main__":
    import argparse
    import json

    p = argparse.ArgumentParser()
    p.add_argument("--corpus", default="../shared/corpus")
    p.add_argument("--quick", action="store_true")
    print(json.dumps(run(p.parse_args()), ensure_ascii=False, indent=2))
