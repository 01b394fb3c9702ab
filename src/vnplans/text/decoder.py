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
from typing import Protocol

import numpy as np

from .lm import BOS, EOS, NgramLM

__all__ = ["viterbi", "viterbi4", "Lattice"]

Lattice = Sequence[Sequence[tuple[str, float]]]


class PairScores(Protocol):
    """Scores for candidate pairs of neighbouring positions, by LM id (see `wordbonus.PairBonus`)."""

    def scores(self, ids_b: np.ndarray, ids_c: np.ndarray) -> np.ndarray: ...


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
    pairs: PairScores | None = None,
) -> tuple[list[int], list[float]]:
    """Best candidate index per position and a 0..1 confidence for each choice.

    `left` is the two-unit history before the first position (`<s> <s>` starts a sentence);
    `right_end` scores the transition into `</s>`. Confidence is the local posterior of the chosen
    candidate against its alternatives with the decoded neighbours fixed (a margin measure:
    0.5 means a coin toss between two candidates, close to 1 a clear win). Positions with no
    candidates are not allowed; a single candidate gets confidence 1. `pairs` adds a score to candidate pairs (b, c) of
    neighbouring positions (`wordbonus.PairBonus`: dictionary words).
    """
    n = len(lattice)
    if n == 0:
        return [], []
    if any(len(p) == 0 for p in lattice):
        raise ValueError("every lattice position needs at least one candidate")
    ext: list[Sequence[tuple[str, float]]] = [[(left[0], 0.0)], [(left[1], 0.0)], *lattice]
    if right_end:
        ext.append([(EOS, 0.0)])
    if all(len(p) == 1 for p in ext):
        return [0] * n, [1.0] * n
    sizes, trans, bstart, _, deltas, backs = _trigram_pass(ext, lm, lm_weight, pairs)
    path = _backtrack(deltas, backs)  # path[k] is the choice at ext position k
    return path[2 : 2 + n], _confidence(sizes, bstart, trans, path)[:n]


def _confidence(sizes: np.ndarray, bstart: np.ndarray, trans: np.ndarray, path: list[int]) -> list[float]:
    """Local posteriors: each alternative rescored with the decoded neighbours kept.

    The three trigrams that contain position p are read back from `trans` (no new lookups);
    emissions of the neighbours are the same for every alternative and cancel out.
    """
    m = sizes.size
    pa = np.asarray(path, dtype=np.int64)
    conf = [1.0] * m
    for p in range(2, m):
        k = int(sizes[p])
        if k == 1:
            continue
        x = np.arange(k)
        kp1 = int(sizes[p - 1])
        s = trans[bstart[p - 2] + (pa[p - 2] * kp1 + pa[p - 1]) * k + x].copy()
        if p + 1 < m:
            k1 = int(sizes[p + 1])
            s += trans[bstart[p - 1] + (pa[p - 1] * k + x) * k1 + pa[p + 1]]
            if p + 2 < m:
                k2 = int(sizes[p + 2])
                s += trans[bstart[p] + (x * k1 + pa[p + 1]) * k2 + pa[p + 2]]
        e = np.exp((s - s.max()) * _LN10)
        conf[p] = float(e[pa[p]] / e.sum())
    return conf[2:]


def _trigram_pass(
    ext: Sequence[Sequence[tuple[str, float]]], lm: NgramLM, lm_weight: float, pairs: PairScores | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[np.ndarray], list[np.ndarray]]:
    """Trigram forward pass over an extended lattice (two history positions first).

    Returns sizes, flat transition scores, block starts, emissions, forward scores per position
    (`deltas[j - 2][b, c]`: best path ending with b at j-1 and c at j) and back-pointers.
    """
    sizes = np.fromiter((len(p) for p in ext), dtype=np.int64, count=len(ext))
    offsets = np.cumsum(sizes) - sizes
    ids = lm.ids(u for p in ext for u, _ in p)
    em = np.fromiter((e for p in ext for _, e in p), dtype=np.float64, count=int(sizes.sum()))
    _, ib, ic, block = _block_indices(sizes, offsets, 2)
    trans = lm_weight * lm.lattice_scores(ids, sizes) + em[ic]
    if pairs is not None:
        trans += pairs.scores(ids[ib], ids[ic])
    bounds = np.cumsum(block)
    delta = np.zeros((1, 1))
    deltas: list[np.ndarray] = []
    backs: list[np.ndarray] = []
    lo = 0
    for j in range(2, len(ext)):
        hi = int(bounds[j - 2])
        m = delta[:, :, None] + trans[lo:hi].reshape(sizes[j - 2], sizes[j - 1], sizes[j])
        lo = hi
        backs.append(m.argmax(axis=0))
        delta = m.max(axis=0)
        deltas.append(delta)
    return sizes, trans, bounds - block, em, deltas, backs


def _backtrack(deltas: list[np.ndarray], backs: list[np.ndarray]) -> list[int]:
    delta = deltas[-1]
    b, c = np.unravel_index(int(delta.argmax()), delta.shape)
    path = [int(c), int(b)]
    for bp in reversed(backs):
        a = int(bp[b, c])
        path.append(a)
        b, c = a, b
    path.reverse()
    return path


def _max_marginals(
    sizes: np.ndarray, trans: np.ndarray, bstart: np.ndarray, deltas: list[np.ndarray]
) -> list[np.ndarray]:
    """Best total path score through each candidate (`out[j - 2][c]` for ext position j >= 2)."""
    m = sizes.size
    out: list[np.ndarray] = [np.zeros(0)] * (m - 2)
    beta = np.zeros((int(sizes[m - 2]), int(sizes[m - 1])))
    out[m - 3] = (deltas[m - 3] + beta).max(axis=0)
    for j in range(m - 2, 1, -1):
        # beta_j[b, c] = max_d trans_{j+1}[b, c, d] + beta_{j+1}[c, d]
        t = trans[bstart[j - 1] : bstart[j - 1] + sizes[j - 1] * sizes[j] * sizes[j + 1]]
        beta = (t.reshape(sizes[j - 1], sizes[j], sizes[j + 1]) + beta[None, :, :]).max(axis=2)
        out[j - 2] = (deltas[j - 2] + beta).max(axis=0)
    return out


def viterbi4(
    lattice: Lattice,
    lm: NgramLM,
    *,
    left: Sequence[str] = (BOS, BOS, BOS),
    right_end: bool = True,
    lm_weight: float = 1.0,
    margin: float = 3.0,
    max_keep: int = 4,
) -> tuple[list[int], list[float]]:
    """Like `viterbi`, but the final choice uses the model's full order (4-grams).

    Exact trigram Viterbi plus a backward pass give every candidate's max-marginal (the best
    trigram path through it); candidates within `margin` (log10) of the best path, at most
    `max_keep` per position, form a small lattice decoded exactly with the 4-gram model. `left`
    holds up to three units of history (oldest first). Confidences are the trigram local
    posteriors around the chosen path. With a trigram model this is plain `viterbi`.
    """
    n = len(lattice)
    if n == 0:
        return [], []
    if any(len(p) == 0 for p in lattice):
        raise ValueError("every lattice position needs at least one candidate")
    hist = [BOS] * max(0, 3 - len(left)) + list(left)[-3:]
    ext: list[Sequence[tuple[str, float]]] = [[(hist[1], 0.0)], [(hist[2], 0.0)], *lattice]
    if right_end:
        ext.append([(EOS, 0.0)])
    if max(len(p) for p in ext) == 1:
        return [0] * n, [1.0] * n
    sizes, trans, bstart, em, deltas, backs = _trigram_pass(ext, lm, lm_weight)
    path = _backtrack(deltas, backs)
    if lm.order >= 4:
        mm = _max_marginals(sizes, trans, bstart, deltas)
        best = float(deltas[-1].max())
        keep: list[np.ndarray] = [np.zeros(1, dtype=np.int64)] * 2
        for j in range(2, sizes.size):
            s = mm[j - 2]
            if s.size == 1:
                keep.append(np.zeros(1, dtype=np.int64))
                continue
            k = np.flatnonzero(s >= best - margin)
            if k.size > max_keep:
                k = k[np.argsort(-s[k], kind="stable")[:max_keep]]
            keep.append(np.sort(k))
        if any(k.size > 1 for k in keep):
            sub = _fourgram_viterbi(ext, keep, hist[0], lm, lm_weight)
            path = [int(keep[j][c]) for j, c in enumerate(sub)]
    return path[2 : 2 + n], _confidence(sizes, bstart, trans, path)[:n]


def _fourgram_viterbi(
    ext: Sequence[Sequence[tuple[str, float]]],
    keep: list[np.ndarray],
    first: str,
    lm: NgramLM,
    lm_weight: float,
) -> list[int]:
    """Exact 4-gram Viterbi over the kept candidates; returns local indices per ext position."""
    units = [[ext[j][i] for i in k] for j, k in enumerate(keep)]
    full = [[(first, 0.0)], *units]
    sizes = np.fromiter((len(p) for p in full), dtype=np.int64, count=len(full))
    offsets = np.cumsum(sizes) - sizes
    ids = lm.ids(u for p in full for u, _ in p)
    em = np.fromiter((e for p in full for _, e in p), dtype=np.float64, count=int(sizes.sum()))
    ka, kb, kc, kd = sizes[:-3], sizes[1:-2], sizes[2:-1], sizes[3:]
    block = ka * kb * kc * kd
    pos = np.repeat(np.arange(block.size), block)
    local = np.arange(int(block.sum())) - (np.cumsum(block) - block)[pos]
    kd_, kc_, kb_ = kd[pos], kc[pos], kb[pos]
    d = local % kd_
    r = local // kd_
    c = r % kc_
    r //= kc_
    b = r % kb_
    a = r // kb_
    ia, ib, icc, idd = offsets[pos] + a, offsets[pos + 1] + b, offsets[pos + 2] + c, offsets[pos + 3] + d
    trans = lm_weight * lm.score(ids[ia], ids[ib], ids[icc], ids[idd]) + em[idd]
    bounds = np.cumsum(block)
    delta = np.zeros((1, 1, 1))
    backs: list[np.ndarray] = []
    lo = 0
    for j in range(3, sizes.size):
        hi = int(bounds[j - 3])
        m = delta[..., None] + trans[lo:hi].reshape(sizes[j - 3], sizes[j - 2], sizes[j - 1], sizes[j])
        lo = hi
        backs.append(m.argmax(axis=0))
        delta = m.max(axis=0)
    b_, c_, d_ = np.unravel_index(int(delta.argmax()), delta.shape)
    path = [int(d_), int(c_), int(b_)]
    for bp in reversed(backs):
        a_ = int(bp[b_, c_, d_])
        path.append(a_)
        b_, c_, d_ = a_, b_, c_
    path.reverse()  # path[k]: choice at full position k (0 is the oldest history unit)
    return path[1:]
