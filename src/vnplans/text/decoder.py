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

from ..arrays import unique
from .lm import BOS, EOS, NgramLM, lattice_index

__all__ = ["viterbi", "viterbi_many", "viterbi4", "Lattice"]

Lattice = Sequence[Sequence[tuple[str, float]]]


class PairScores(Protocol):
    """Scores for candidate pairs of neighbouring positions, by LM id (see `wordbonus.PairBonus`)."""

    def scores(self, ids_b: np.ndarray, ids_c: np.ndarray) -> np.ndarray: ...


_LN10 = float(np.log(10.0))


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
    return viterbi_many(
        [lattice], lm, lefts=[left], right_ends=[right_end], lm_weight=lm_weight, pairs=pairs
    )[0]


BATCH_CANDIDATES = 4000  # candidates scored together by `viterbi_many` (bounds its memory)


def viterbi_many(
    lattices: Sequence[Lattice],
    lm: NgramLM,
    *,
    lefts: Sequence[tuple[str, str]] | None = None,
    right_ends: Sequence[bool] | None = None,
    lm_weight: float = 1.0,
    pairs: PairScores | None = None,
) -> list[tuple[list[int], list[float]]]:
    """`viterbi` of each lattice (a document's sentences), bit for bit, at a fraction of the cost.

    A sentence is short: decoded alone, it pays numpy's fixed cost per call for every model lookup,
    index and posterior. Here the lattices are laid end to end (each with its own history and end)
    and scored, weighted and given their confidences in a few vectorised calls per batch; only the
    forward pass runs sentence by sentence. Every score is computed by the same operations in the
    same order as for one lattice, so the paths and confidences are identical.
    """
    lefts = lefts if lefts is not None else [(BOS, BOS)] * len(lattices)
    right_ends = right_ends if right_ends is not None else [True] * len(lattices)
    out: list[tuple[list[int], list[float]]] = [([], []) for _ in lattices]
    todo: list[tuple[int, list[Sequence[tuple[str, float]]]]] = []
    for i, (lattice, left, right_end) in enumerate(zip(lattices, lefts, right_ends, strict=True)):
        n = len(lattice)
        if n == 0:
            continue
        if any(len(p) == 0 for p in lattice):
            raise ValueError("every lattice position needs at least one candidate")
        ext: list[Sequence[tuple[str, float]]] = [[(left[0], 0.0)], [(left[1], 0.0)], *lattice]
        if right_end:
            ext.append([(EOS, 0.0)])
        if all(len(p) == 1 for p in ext):
            out[i] = ([0] * n, [1.0] * n)
        else:
            todo.append((i, ext))
    batch: list[tuple[int, list[Sequence[tuple[str, float]]]]] = []
    size = 0
    for item in todo:
        batch.append(item)
        size += sum(len(p) for p in item[1])
        if size >= BATCH_CANDIDATES:
            _decode_batch(batch, lattices, lm, lm_weight, pairs, out)
            batch, size = [], 0
    if batch:
        _decode_batch(batch, lattices, lm, lm_weight, pairs, out)
    return out


def _decode_batch(
    batch: list[tuple[int, list[Sequence[tuple[str, float]]]]],
    lattices: Sequence[Lattice],
    lm: NgramLM,
    lm_weight: float,
    pairs: PairScores | None,
    out: list[tuple[list[int], list[float]]],
) -> None:
    """Decode extended lattices laid end to end; results go to `out` by lattice number."""
    exts = [ext for _, ext in batch]
    sizes, trans, tstart = _transitions(exts, lm, lm_weight, pairs)
    sizes_l = sizes.tolist()
    ends = (tstart + sizes[:-2] * sizes[1:-1] * sizes[2:]).tolist()
    path = np.zeros(sizes.size, dtype=np.int64)
    bounds = []
    g = 0
    for ext in exts:
        m = len(ext)
        deltas, backs = _forward(sizes_l, ends, trans, g, g + m)
        path[g : g + m] = _backtrack(deltas, backs)
        bounds.append((g, m))
        g += m
    conf = _confidence(sizes, tstart, trans, path, bounds)
    for (i, _), (g, _m) in zip(batch, bounds, strict=True):
        n = len(lattices[i])
        out[i] = (path[g + 2 : g + 2 + n].tolist(), conf[g + 2 : g + 2 + n].tolist())


def _transitions(
    exts: Sequence[Sequence[Sequence[tuple[str, float]]]],
    lm: NgramLM,
    lm_weight: float,
    pairs: PairScores | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sizes, flat transition scores and block starts of extended lattices laid end to end.

    `trans` is flat in (position, a, b, c) order: `lm_weight * log10 P(c | a, b)`, plus c's emission,
    plus the pair score of (b, c). Blocks straddling two lattices are scored too and never read.
    """
    sizes = np.fromiter((len(p) for ext in exts for p in ext), dtype=np.int64)
    ix = lattice_index(sizes)
    ids = lm.ids(u for ext in exts for p in ext for u, _ in p)
    em = np.fromiter((e for ext in exts for p in ext for _, e in p), dtype=np.float64, count=ids.size)
    trans = lm_weight * lm.lattice_scores(ids, sizes, ix) + em[ix.pc][ix.pbc]
    if pairs is not None:
        trans += pairs.scores(ids[ix.pb], ids[ix.pc])[ix.pbc]
    return sizes, trans, ix.tstart


def _forward(
    sizes: list[int], ends: list[int], trans: np.ndarray, first: int, stop: int
) -> tuple[list[np.ndarray], list[np.ndarray | None]]:
    """Trigram forward pass over the extended lattice at positions first..stop-1 of a batch.

    Returns forward scores per position (`deltas[j - 2][b, c]`: best path ending with b at j-1 and
    c at j) and back-pointers (None where the oldest position has one candidate: the pointer is 0).
    """
    delta = np.zeros((1, 1))
    deltas: list[np.ndarray] = []
    backs: list[np.ndarray | None] = []
    lo = ends[first - 1] if first else 0
    for j in range(first + 2, stop):
        ka, kb, kc = sizes[j - 2], sizes[j - 1], sizes[j]
        hi = ends[j - 2]
        if ka == 1:  # nothing to choose between: the max over one row is that row
            delta = delta[0][:, None] + trans[lo:hi].reshape(kb, kc)
            backs.append(None)
        else:
            m = delta[:, :, None] + trans[lo:hi].reshape(ka, kb, kc)
            back = m.argmax(axis=0)
            backs.append(back)
            delta = m.max(axis=0)
        lo = hi
        deltas.append(delta)
    return deltas, backs


def _confidence(
    sizes: np.ndarray, tstart: np.ndarray, trans: np.ndarray, pa: np.ndarray, bounds: list[tuple[int, int]]
) -> np.ndarray:
    """Local posteriors: each alternative rescored with the decoded neighbours kept.

    The (up to) three trigrams that contain position p are read back from `trans` (no new lookups);
    emissions of the neighbours are the same for every alternative and cancel out. `bounds` holds
    each lattice's first position and length in the batch. Positions are done together, grouped so
    that every sum adds in numpy's own order for a row of that length (a left fold below 8
    candidates, pairwise from 8): the figures are bit for bit those of scoring one position alone.
    """
    conf = np.ones(sizes.size)
    starts = np.array([g for g, _ in bounds], dtype=np.int64)
    lens = np.array([m for _, m in bounds], dtype=np.int64)
    # trigrams after p inside its lattice: 2 for p <= m-3, 1 for p = m-2, 0 for p = m-1
    rel = np.arange(sizes.size) - np.repeat(starts, lens)
    after = np.minimum(np.repeat(lens, lens) - 1 - rel, 2)
    cand = (rel >= 2) & (sizes > 1)
    for terms in (2, 1, 0):
        pos = np.flatnonzero(cand & (after == terms))
        if pos.size == 0:
            continue
        k = sizes[pos]
        small = k < 8
        groups = [(pos[small], int(k[small].max()) if small.any() else 0, True)]
        groups += [(pos[k == kk], int(kk), False) for kk in unique(k[~small])]
        for p, width, fold in groups:
            if p.size:
                conf[p] = _posteriors(sizes, tstart, trans, pa, p, width, terms, fold)
    return conf


def _posteriors(
    sizes: np.ndarray,
    tstart: np.ndarray,
    trans: np.ndarray,
    pa: np.ndarray,
    p: np.ndarray,
    width: int,
    terms: int,
    fold: bool,
) -> np.ndarray:
    """Posterior of the chosen candidate at positions `p` (rows of `width` columns, see `_confidence`)."""
    k0 = sizes[p]
    x = np.arange(width)
    valid = x < k0[:, None]
    xs = np.where(valid, x, 0)
    s = trans[(tstart[p - 2] + (pa[p - 2] * sizes[p - 1] + pa[p - 1]) * k0)[:, None] + xs]
    if terms >= 1:
        k1 = sizes[p + 1]
        s = s + trans[(tstart[p - 1] + pa[p - 1] * k0 * k1 + pa[p + 1])[:, None] + xs * k1[:, None]]
        if terms == 2:
            k2 = sizes[p + 2]
            s += trans[(tstart[p] + pa[p + 1] * k2 + pa[p + 2])[:, None] + xs * (k1 * k2)[:, None]]
    if fold:
        s[~valid] = -np.inf
    e = np.exp((s - s.max(axis=1, keepdims=True)) * _LN10)
    if fold:
        tot = e[:, 0].copy()
        for c in range(1, width):
            tot += e[:, c]
    else:
        tot = e.sum(axis=1)
    return e[np.arange(p.size), pa[p]] / tot


def _trigram_pass(
    ext: Sequence[Sequence[tuple[str, float]]], lm: NgramLM, lm_weight: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[np.ndarray], list[np.ndarray | None]]:
    """Sizes, transitions, block starts, forward scores and back-pointers of one extended lattice."""
    sizes, trans, tstart = _transitions([ext], lm, lm_weight)
    sizes_l = sizes.tolist()
    ends = (tstart + sizes[:-2] * sizes[1:-1] * sizes[2:]).tolist()
    deltas, backs = _forward(sizes_l, ends, trans, 0, len(sizes_l))
    return sizes, trans, tstart, deltas, backs


def _backtrack(deltas: list[np.ndarray], backs: list[np.ndarray | None]) -> list[int]:
    delta = deltas[-1]
    b, c = np.unravel_index(int(delta.argmax()), delta.shape)
    b, c = int(b), int(c)
    path = [c, b]
    for bp in reversed(backs):
        a = 0 if bp is None else int(bp[b, c])
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
    sizes, trans, bstart, deltas, backs = _trigram_pass(ext, lm, lm_weight)
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
    conf = _confidence(sizes, bstart, trans, np.asarray(path, dtype=np.int64), [(0, sizes.size)])
    return path[2 : 2 + n], conf[2 : 2 + n].tolist()


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
