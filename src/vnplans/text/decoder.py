"""Generic lattice decoder: exact trigram Viterbi over candidate syllables, one sentence at a time.

A lattice is a list of positions; each position lists `(unit, emission_log10)` pairs, where `unit`
is an LM unit (a lower-case syllable, `<num>`, `<sym>`, an upper-case abbreviation...) and the
emission is whatever the caller believes about the observation (0 for "any candidate is as good",
a channel log-probability for OCR repair, a penalty for rewriting a word that already had marks).
The path score is `lm_weight * log10 P_LM + sum(emissions)`.

All n-gram lookups of a sentence are batched into one `lm.score` call; the Python loop only runs
one small max-reduction per position.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .lm import BOS, EOS, NgramLM

__all__ = ["viterbi", "Lattice"]

Lattice = Sequence[Sequence[tuple[str, float]]]
_LN10 = float(np.log(10.0))


def _block_indices(sizes: np.ndarray, offsets: np.ndarray, start: int) -> tuple[np.ndarray, ...]:
    """Flat candidate indices (a, b, c) of every trigram in positions start.. of the lattice."""
    ka, kb, kc = sizes[start - 2 : -2], sizes[start - 1 : -1], sizes[start:]
    block = ka * kb * kc
    pos = np.repeat(np.arange(block.size), block)
    first = np.cumsum(block) - block
    local = np.arange(int(block.sum())) - first[pos]
    kbc = (kb * kc)[pos]
    kcp = kc[pos]
    a = local // kbc
    b = (local // kcp) % kb[pos]
    c = local % kcp
    p = pos + start
    return offsets[p - 2] + a, offsets[p - 1] + b, offsets[p] + c, block


def viterbi(
    lattice: Lattice,
    lm: NgramLM,
    *,
    left: tuple[str, str] = (BOS, BOS),
    right_end: bool = True,
    lm_weight: float = 1.0,
) -> tuple[list[int], list[float]]:
    """Best candidate index per position and a 0..1 confidence for each choice.

    `left` is the two-unit history before the first position (`<s> <s>` starts a sentence);
    `right_end` scores the transition into `</s>`. Confidence is the local posterior of the chosen
    candidate against its alternatives with the decoded neighbours fixed (a margin measure:
    0.5 means a coin toss between two candidates, close to 1 a clear win). Positions with no
    candidates are not allowed; a single candidate gets confidence 1.
    """
    n = len(lattice)
    if n == 0:
        return [], []
    if any(len(p) == 0 for p in lattice):
        raise ValueError("every lattice position needs at least one candidate")
    ext: list[Sequence[tuple[str, float]]] = [[(left[0], 0.0)], [(left[1], 0.0)], *lattice]
    if right_end:
        ext.append([(EOS, 0.0)])
    sizes = np.fromiter((len(p) for p in ext), dtype=np.int64, count=len(ext))
    if int(sizes.max()) == 1:
        return [0] * n, [1.0] * n
    offsets = np.cumsum(sizes) - sizes
    ids = lm.ids(u for p in ext for u, _ in p)
    em = np.fromiter((e for p in ext for _, e in p), dtype=np.float64, count=int(sizes.sum()))
    ia, ib, ic, block = _block_indices(sizes, offsets, 2)
    trans = lm_weight * lm.score(ids[ia], ids[ib], ids[ic]) + em[ic]
    bounds = np.cumsum(block)
    # forward pass: delta[b, c] = best score of a path ending with (b, c)
    delta = np.zeros((1, 1))
    backs: list[np.ndarray] = []
    lo = 0
    for j in range(2, len(ext)):
        hi = int(bounds[j - 2])
        m = delta[:, :, None] + trans[lo:hi].reshape(sizes[j - 2], sizes[j - 1], sizes[j])
        lo = hi
        if m.shape[0] == 1:
            backs.append(np.zeros(m.shape[1:], dtype=np.int64))
            delta = m[0]
        else:
            backs.append(m.argmax(axis=0))
            delta = m.max(axis=0)
    b, c = np.unravel_index(int(delta.argmax()), delta.shape)
    path = [int(c), int(b)]
    for bp in reversed(backs):
        a = int(bp[b, c])
        path.append(a)
        b, c = a, b
    path.reverse()  # path[k] is the choice at ext position k
    best = path[2 : 2 + n]
    return best, _confidence(ext, sizes, offsets, ids, em, path, lm, lm_weight)[:n]


def _confidence(
    ext: Sequence[Sequence[tuple[str, float]]],
    sizes: np.ndarray,
    offsets: np.ndarray,
    ids: np.ndarray,
    em: np.ndarray,
    path: list[int],
    lm: NgramLM,
    lm_weight: float,
) -> list[float]:
    """Local posteriors: every alternative scored in the decoded context (one batched query)."""
    m = len(ext)
    chosen = offsets + np.asarray(path)
    cid = ids[chosen]
    pos = np.repeat(np.arange(m), sizes)  # ext position of every flat candidate
    cand = np.arange(ids.size)
    total = em.copy()
    for shift in (0, 1, 2):  # the trigrams ending at pos, pos+1 and pos+2 contain the candidate
        end = pos + shift
        ok = (end >= 2) & (end < m) & (pos >= 2)
        e = end[ok]
        cols = []
        for back in (2, 1, 0):
            p = e - back
            col = cid[p].copy()
            at = p == pos[ok]
            col[at] = ids[cand[ok][at]]
            cols.append(col)
        total[ok] += lm_weight * lm.score(*cols)
    conf = [1.0] * m
    for k in range(2, m):
        s = total[offsets[k] : offsets[k] + sizes[k]]
        if s.size > 1:
            p = np.exp((s - s.max()) * _LN10)
            conf[k] = float(p[path[k]] / p.sum())
    return conf[2:]
