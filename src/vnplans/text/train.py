"""Training the syllable LM and the candidate tables from the corpus (`vnplans train-lm`).

Counting is numpy all the way: the corpus becomes one id stream with `<s>`/`</s>` around each
sentence, n-gram windows are packed into uint64 keys and counted with `np.unique`. Estimation is
interpolated modified Kneser-Ney (Chen & Goodman), written in backoff form and count-pruned.
The result is deterministic: same corpus, same files.
"""

from __future__ import annotations

import hashlib
import json
import lzma
import re
import sys
import time
from array import array
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .corpus import HELDOUT_SOURCES, Doc, is_heldout, iter_docs
from .lm import BITS, BOS, EOS, SPECIALS, UNK, NgramLM, segments, token_unit
from .syllable import fold
from .tokens import Kind, tokenize

__all__ = ["train_lm", "is_dev", "build_stream", "estimate_kn", "DEFAULT_PRUNE", "CANDIDATES_NAME"]

CANDIDATES_NAME = "candidates.json.xz"
DEFAULT_PRUNE = {2: 1, 3: 1, 4: 2}  # keep n-grams seen at least this often (raw counts)
MIN_UNIT_COUNT = 2  # rarer units map to <unk> (or <abbr>): one-offs are mostly typos and names
DEV_PERCENT = 5


def is_dev(doc: Doc) -> bool:
    """A dev split carved from *training* documents, for tuning without touching the test split."""
    if not doc.source.startswith(HELDOUT_SOURCES) or is_heldout(doc):
        return False
    return int(hashlib.sha1(f"dev:{doc.id}".encode()).hexdigest()[:8], 16) % 100 < DEV_PERCENT


def _log(msg: str) -> None:
    print(f"[train-lm] {msg}", file=sys.stderr, flush=True)


def _abbr_parts(tok_text: str) -> list[str]:
    """Upper-case letter runs inside a symbol (`QĐ-UBND` -> QĐ, UBND)."""
    parts, cur = [], []
    for c in tok_text + " ":
        if c.isalpha():
            cur.append(c)
        else:
            if len(cur) >= 2:
                parts.append("".join(cur))
            cur = []
    return [p for p in parts if p.isupper()]


_WORD = re.compile(r"[^\W\d_]+")


def _marked_share(words: list[str]) -> float:
    return sum(1 for w in words if fold(w) != w) / len(words) if words else 1.0


def clean_text(text: str) -> str:
    """Drop text typed without diacritics: it would teach the LM that `cua` may follow `Nghi dinh`.

    A whole document below 30 % marked words goes, and so does any line of 4+ words below 20 %.
    """
    if _marked_share(_WORD.findall(text)) < 0.3:
        return ""
    keep = []
    for line in text.split("\n"):
        words = _WORD.findall(line)
        if len(words) < 4 or _marked_share(words) >= 0.2:
            keep.append(line)
    return "\n".join(keep)


def build_stream(
    corpus_dir: str | Path, keep: Callable[[Doc], bool]
) -> tuple[np.ndarray, list[str], np.ndarray, Counter]:
    """Tokenise the kept documents into a raw id stream; returns (stream, units, counts, abbrevs)."""
    index: dict[str, int] = {u: i for i, u in enumerate(SPECIALS)}
    units: list[str] = list(SPECIALS)
    stream = array("I")
    abbrevs: Counter = Counter()
    bos, eos = index[BOS], index[EOS]
    ndocs = 0
    for doc in iter_docs(corpus_dir):
        if not keep(doc):
            continue
        ndocs += 1
        toks = tokenize(clean_text(doc.text))
        for t in toks:
            if t.kind == Kind.ABBR:
                abbrevs[t.text] += 1
            elif t.kind == Kind.SYMBOL and "@" not in t.text and "://" not in t.text:
                abbrevs.update(_abbr_parts(t.text))
        for seg in segments(toks):
            stream.append(bos)
            for i in seg:
                u = token_unit(toks[i])
                if u is None:
                    continue
                j = index.get(u)
                if j is None:
                    j = index[u] = len(units)
                    units.append(u)
                stream.append(j)
            stream.append(eos)
    arr = np.frombuffer(stream, dtype=np.uint32).astype(np.int64)
    counts = np.bincount(arr, minlength=len(units))
    _log(f"{ndocs} documents, {arr.size:,} units, {len(units):,} distinct")
    return arr, units, counts, abbrevs


def _prune_vocab(
    stream: np.ndarray, units: list[str], counts: np.ndarray, max_vocab: int = (1 << BITS) - 1
) -> tuple[np.ndarray, list[str]]:
    """Keep frequent units (ids by descending count, ties by spelling); map the rest to classes."""
    n_spec = len(SPECIALS)
    cand = [i for i in range(n_spec, len(units)) if counts[i] >= MIN_UNIT_COUNT]
    cand.sort(key=lambda i: (-counts[i], units[i]))
    cand = cand[: max_vocab - n_spec]
    remap = np.zeros(len(units), dtype=np.int64)
    for i in range(len(units)):
        remap[i] = SPECIALS.index("<abbr>") if units[i].isupper() else SPECIALS.index(UNK)
    remap[:n_spec] = np.arange(n_spec)
    remap[cand] = np.arange(n_spec, n_spec + len(cand))
    vocab = list(SPECIALS) + [units[i] for i in cand]
    return remap[stream], vocab


def _mask(n: int) -> np.uint64:
    return np.uint64((1 << (BITS * n)) - 1)


def _count(stream: np.ndarray, n: int, bos: int, eos: int) -> tuple[np.ndarray, np.ndarray]:
    """Unique n-gram keys and raw counts; windows never cross a sentence boundary."""
    length = stream.size - n + 1
    s = stream.astype(np.uint64)
    key = np.zeros(length, dtype=np.uint64)
    valid = np.ones(length, dtype=bool)
    for j in range(n):
        col = s[j : j + length]
        key = (key << np.uint64(BITS)) | col
        if j < n - 1:
            valid &= col != eos
        if j > 0 or n == 1:
            valid &= col != bos
    return np.unique(key[valid], return_counts=True)


def _discounts(counts: np.ndarray) -> np.ndarray:
    """Modified KN discounts D(0..3+) from counts-of-counts (Chen & Goodman 1998)."""
    nk = [max(int((counts == k).sum()), 1) for k in (1, 2, 3, 4)]
    y = nk[0] / (nk[0] + 2 * nk[1])
    d = [0.0, 1 - 2 * y * nk[1] / nk[0], 2 - 3 * y * nk[2] / nk[1], 3 - 4 * y * nk[3] / nk[2]]
    return np.array([min(max(x, 0.0), k) for k, x in enumerate(d)])


def estimate_kn(
    stream: np.ndarray,
    vocab: list[str],
    order: int = 3,
    prune: dict[int, int] | None = None,
    base_order: int | None = None,
) -> NgramLM:
    """Interpolated modified Kneser-Ney over an id stream, in backoff form, count-pruned."""
    prune = {**DEFAULT_PRUNE, **(prune or {})}
    bos, eos = SPECIALS.index(BOS), SPECIALS.index(EOS)
    V = len(vocab)
    raw = {n: _count(stream, n, bos, eos) for n in range(1, order + 1)}
    # Orders up to `base_order` (default: all) form a standard KN model; higher orders are layers on top of it,
    # interpolating with the *full* lower model (raw counts at every level >= base_order), so an
    # order-4 model answers trigram queries exactly like the order-3 model of the same corpus.
    base = min(order, base_order or order)
    adj: dict[int, np.ndarray] = {n: raw[n][1] for n in range(base, order + 1)}
    for n in range(base - 1, 0, -1):
        kc, cc = np.unique(raw[n + 1][0] & _mask(n), return_counts=True)
        kr, cr = raw[n]
        idx = np.minimum(np.searchsorted(kc, kr), kc.size - 1)
        found = kc[idx] == kr
        first = kr >> np.uint64(BITS * (n - 1))
        adj[n] = np.where(found & (first != bos), cc[idx], cr)
    # unigrams, dense by id, interpolated with the uniform distribution
    k1, a1 = raw[1][0].astype(np.int64), adj[1].astype(np.float64)
    dv = _discounts(adj[1])[np.minimum(adj[1], 3)]
    total = a1.sum()
    p1 = np.zeros(V)
    p1[k1] = (a1 - dv) / total
    p1 += dv.sum() / total / (V - 1)
    p1[bos] = 0.0
    uni_lp = np.log10(np.where(p1 > 0, p1, 1e-99))
    uni_lp[bos] = -99.0
    uni_bow = np.zeros(V)
    prev_keys, prev_p = None, p1
    keys, lps, bows = [], [], []
    for n in range(2, order + 1):
        k, a = raw[n][0], adj[n].astype(np.float64)
        ctx = k >> np.uint64(BITS)
        new = np.r_[True, ctx[1:] != ctx[:-1]]
        starts = np.flatnonzero(new)
        grp = np.cumsum(new) - 1
        dv = _discounts(adj[n])[np.minimum(adj[n], 3)]
        tot = np.add.reduceat(a, starts)
        gam = np.add.reduceat(dv, starts) / tot
        low = k & _mask(n - 1)
        plow = prev_p[low.astype(np.int64)] if n == 2 else prev_p[np.searchsorted(prev_keys, low)]
        p = (a - dv) / tot[grp] + gam[grp] * plow
        bw = np.log10(np.maximum(gam, 1e-99))
        if n == 2:
            uni_bow[ctx[starts].astype(np.int64)] = bw
        else:
            bows[-1][np.searchsorted(prev_keys, ctx[starts])] = bw
        keys.append(k)
        lps.append(np.log10(p))
        bows.append(np.zeros(k.size) if n < order else np.zeros(0))
        prev_keys, prev_p = k, p
    # count pruning (thresholds grow with n, so every kept n-gram keeps its context)
    for n in range(2, order + 1):
        keep = raw[n][1] >= prune.get(n, 1)
        keys[n - 2], lps[n - 2] = keys[n - 2][keep], lps[n - 2][keep]
        if bows[n - 2].size:
            bows[n - 2] = bows[n - 2][keep]
    meta = {"order": order, "prune": {str(k): v for k, v in prune.items()}, "tokens": int(stream.size)}
    return NgramLM(vocab, uni_lp, uni_bow, keys, lps, bows, meta)


def candidate_tables(units: list[str], counts: np.ndarray, abbrevs: Counter) -> dict:
    """folded syllable -> [[accented, count], ...] and folded abbreviation -> [[form, count], ...]."""
    syl: dict[str, list] = {}
    for u, c in zip(units, counts.tolist(), strict=True):
        if c < MIN_UNIT_COUNT or u in SPECIALS or not u.isalpha() or not u.islower():
            continue
        syl.setdefault(fold(u), []).append([u, c])
    abbr: dict[str, list] = {}
    for form, c in abbrevs.items():
        if c >= MIN_UNIT_COUNT:
            abbr.setdefault(fold(form), []).append([form, c])
    for table in (syl, abbr):
        for v in table.values():
            v.sort(key=lambda x: (-x[1], x[0]))
    return {"syllables": dict(sorted(syl.items())), "abbrev": dict(sorted(abbr.items()))}


def write_candidate_dictionary(tables: dict, path: Path) -> None:
    """Human-readable export of the candidate map (dictionaries/syllable_candidates.tsv)."""
    lines = [
        "# folded syllable -> accented syllables with corpus counts, most frequent first.",
        "# Source: counts over the vnplans training corpus (public-domain Vietnamese legal texts,",
        "# IP law Art. 15); regenerated by `vnplans train-lm`. Licence: MIT (this project).",
    ]
    for k, v in tables["syllables"].items():
        lines.append(k + "\t" + " ".join(f"{u}:{c}" for u, c in v))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def train_lm(
    corpus_dir: str | Path,
    out_dir: str | Path,
    order: int = 3,
    *,
    exclude_dev: bool = False,
    prune: dict[int, int] | None = None,
    dictionaries: str | Path | None = "auto",
) -> Path:
    """Train on `topics.in_training` documents (minus the dev split if asked); write the models.

    Held-out documents and every document of a held-out topic stay out, so the restore benchmarks'
    in-domain and leave-topic-out figures are both measured on text the model never saw.
    """
    from .topics import in_training

    t0 = time.time()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)

    def keep(d: Doc) -> bool:
        return in_training(d) and not (exclude_dev and is_dev(d))

    stream, units, counts, abbrevs = build_stream(corpus_dir, keep)
    _log(f"tokenised in {time.time() - t0:.0f}s")
    return write_models(stream, units, counts, abbrevs, out, order, prune, dictionaries, exclude_dev, t0)


def write_models(
    stream: np.ndarray,
    units: list[str],
    counts: np.ndarray,
    abbrevs: Counter,
    out: Path,
    order: int = 3,
    prune: dict[int, int] | None = None,
    dictionaries: str | Path | None = "auto",
    exclude_dev: bool = False,
    t0: float | None = None,
) -> Path:
    """Estimate from a `build_stream` result and write lm.npz, candidates and the TSV export."""
    t0 = t0 or time.time()
    out = Path(out)
    tables = candidate_tables(units, counts, abbrevs)
    ids, vocab = _prune_vocab(stream, units, counts)
    del stream
    lm = estimate_kn(ids, vocab, order=order, prune=prune)
    lm.meta["exclude_dev"] = exclude_dev
    lm.save(out / "lm.npz")
    with lzma.open(out / CANDIDATES_NAME, "wt", encoding="utf-8", preset=9) as fh:
        json.dump(tables, fh, ensure_ascii=False, separators=(",", ":"))
    if dictionaries == "auto":
        dictionaries = Path(__file__).resolve().parents[3] / "dictionaries"
    if dictionaries and Path(dictionaries).is_dir():
        write_candidate_dictionary(tables, Path(dictionaries) / "syllable_candidates.tsv")
    sizes = {p.name: p.stat().st_size for p in (out / "lm.npz", out / CANDIDATES_NAME)}
    _log(
        f"order {order}, vocab {len(vocab):,}, n-grams "
        + ", ".join(f"{k.size:,}" for k in lm.keys)
        + f"; files {sizes}; {time.time() - t0:.0f}s"
    )
    return out / "lm.npz"
