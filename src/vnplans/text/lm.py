"""Syllable n-gram language model: compact storage, fast load, vectorised backoff scoring.

Units are lower-case syllables (tone placement normalised to the `old` style), upper-case folded
abbreviations (`UBND`, `QD` for QĐ: stripped and accented input share a unit) and the classes
`<num>`, `<date>`, `<roman>`, `<sym>`, `<abbr>`, `<unk>`. Probabilities are interpolated modified
Kneser-Ney written in backoff form (ARPA semantics), so a query is a handful of `searchsorted` calls
over sorted uint64 keys that pack up to four 16-bit ids.
"""

from __future__ import annotations

import contextlib
import json
import lzma
import re
import zlib
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ..resources import load_once, model_path
from . import lm_cache
from .syllable import fold, is_valid_syllable, normalize_tone_placement
from .tokens import Kind, Token

__all__ = [
    "BOS",
    "EOS",
    "UNK",
    "NUM",
    "ROMAN",
    "DATE",
    "SYM",
    "ABBR",
    "SPECIALS",
    "BITS",
    "MODEL_NAME",
    "NgramLM",
    "LatticeIndex",
    "lattice_index",
    "get_lm",
    "token_unit",
    "word_unit",
    "segments",
    "pack",
]

UNK, BOS, EOS, NUM, SYM, ABBR, ROMAN = "<unk>", "<s>", "</s>", "<num>", "<sym>", "<abbr>", "<roman>"
DATE = "<date>"
SPECIALS = (UNK, BOS, EOS, NUM, SYM, ABBR, ROMAN, DATE)  # ids 0..7 in every model
BITS = 16  # bits per id in a packed key: vocabularies stay below 65,536 units
MODEL_NAME = "lm.npz"
_SENT_PUNCT = frozenset(".;:!?|…")
_BULLETS = "-+*•–—"


@lru_cache(maxsize=200_000)
def word_unit(word: str) -> str:
    """LM unit of a WORD token: lower case, tone mark where the `old` style puts it."""
    return normalize_tone_placement(word.lower(), "old")


_ROMAN = re.compile(r"(?=[IVX])X{0,3}(IX|IV|V?I{0,3})")


def is_roman_numeral(text: str) -> bool:
    """Upper-case Roman numeral that is not also a Vietnamese syllable (`VI`, `XI` are words too)."""
    return bool(_ROMAN.fullmatch(text)) and not is_valid_syllable(text)


def token_unit(tok: Token) -> str | None:
    """LM unit of a token, or None for spaces and punctuation (they are not modelled).

    Roman numerals are one unit of their own, not numbers: they follow other words than digits do
    (`quý IV` 193 times in the corpus and `quỹ IV` never, against `quỹ 1` 174 times and `quý 1` 32),
    so counted as `<num>` they turned a restored `QUY II` into `QUỸ II`.
    """
    k = tok.kind
    if k in (Kind.WORD, Kind.ABBR) and is_roman_numeral(tok.text):
        return ROMAN
    if k == Kind.WORD:
        return word_unit(tok.text)
    if k == Kind.ABBR:
        return fold(tok.text).upper()
    if k == Kind.NUMBER:
        return NUM
    if k == Kind.SYMBOL:
        return _symbol_unit(tok.text)
    if k == Kind.MIXED:
        return SYM
    return None


_PERIOD_SPLIT = re.compile(r"[/\-]")


def _symbol_unit(text: str) -> str:
    """Dates and periods written as one token are units of their own, not codes.

    Plans date every task (`tháng 02/2023`, `Quý II/2023`, `giai đoạn 2023-2025`). As `<sym>`, shared
    with `244/KH-UBND`, a stripped `Quy II/2023` kept its missing mark: the model had no reason to
    prefer `quý` before a symbol. `II/2023` reads as the Roman numeral it starts with (`quý II`).
    All-digit ones (`02/2023`, `2023-2025`) are `<date>`, not `<num>`: different words follow them
    (`tháng 5` is followed by `năm`, `tháng 02/2023` by anything; as `<num>` the English-OCR
    timeframes got worse, 86% -> 80% right).
    """
    head, *rest = _PERIOD_SPLIT.split(text)
    if not rest or not all(p.isdigit() for p in rest):
        return SYM
    if head.isdigit():
        return DATE
    return ROMAN if is_roman_numeral(head) else SYM


# log10 P(end of sentence | the two words before a line break) under which a capital opening the next
# line goes on the sentence (`các Ban của` / `Đảng`: -3.5; `Chính phủ` -0.8, `kế hoạch` -1.5 end one)
RUN_ON_END_LP = -2.5


def _is_boundary(tokens: Sequence[Token], i: int, lm: NgramLM | None = None) -> bool:
    """Sentence punctuation, a blank line, or a line break before a capital, digit or bullet.

    A line break before a lower-case word is a wrapped line, not a sentence end: OCR text wraps
    mid-sentence and the model should see across it. That holds across one blank line too: Tesseract
    opens a paragraph where the indentation changes, even inside a sentence (`xăng` / blank / `dầu`).
    Given `lm`, a line break (or one blank line) before a capitalised word is no end either where the
    line stops on words no sentence ends on (`runs_on`): a name or a capitalised noun wrapped onto the
    next line, which Tesseract often sets a paragraph apart (`các Ban của` / blank / `Đảng;`).
    """
    tok = tokens[i]
    if tok.kind == Kind.PUNCT:
        return any(c in _SENT_PUNCT for c in tok.text)
    if tok.kind != Kind.SPACE or "\n" not in tok.text:
        return False
    nxt = tokens[i + 1].text[:1] if i + 1 < len(tokens) else ""
    if tok.text.count("\n") > 2 or (tok.text.count("\n") == 2 and not nxt.isalpha()):
        return True
    if nxt.isupper() and lm is not None:
        return not runs_on(tokens, i, lm)
    return not nxt or nxt.isupper() or nxt.isdigit() or nxt in _BULLETS


def runs_on(tokens: Sequence[Token], i: int, lm: NgramLM) -> bool:
    """The line break `tokens[i]` wraps a sentence onto a capitalised word: the line ends on two words,
    not in capitals, the LM says no sentence ends on (`RUN_ON_END_LP`), and the next line opens with a
    word in title case, not a heading's capitals (`KẾ HOẠCH` / `Thực hiện` and a signer's lines stay
    apart)."""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt is None or nxt.kind != Kind.WORD or (len(nxt.text) > 1 and nxt.text.isupper()):
        return False
    if i < 3 or tokens[i - 2].text != " ":
        return False
    a, b = tokens[i - 3], tokens[i - 1]
    if (
        a.kind != Kind.WORD
        or b.kind != Kind.WORD
        or any(len(t.text) > 1 and t.text.isupper() for t in (a, b))
    ):
        return False
    units = [word_unit(a.text), word_unit(b.text)]
    return (
        lm.sentence_logprob(units, bos=False) - lm.sentence_logprob(units, bos=False, eos=False)
        < RUN_ON_END_LP
    )


def segments(tokens: Sequence[Token], lm: NgramLM | None = None) -> list[list[int]]:
    """Token indices of the modelled tokens, grouped into sentences (each decoded as a whole); `lm`:
    see `_is_boundary`."""
    out: list[list[int]] = []
    cur: list[int] = []
    for i, tok in enumerate(tokens):
        if tok.kind in (Kind.SPACE, Kind.PUNCT):
            if cur and _is_boundary(tokens, i, lm):
                out.append(cur)
                cur = []
            continue
        cur.append(i)
    if cur:
        out.append(cur)
    return out


def pack(cols: Sequence[np.ndarray]) -> np.ndarray:
    """Pack id columns (oldest first) into uint64 keys; sorting keys sorts n-grams lexically."""
    key = np.asarray(cols[0], dtype=np.uint64)
    for c in cols[1:]:
        key = (key << np.uint64(BITS)) | np.asarray(c, dtype=np.uint64)
    return key


class LatticeIndex(NamedTuple):
    """Where each neighbouring pair and triple of a lattice's candidates sits in its flat arrays.

    Pairs (b, c) of positions (j-1, j), j >= 1, are flat in (j, b, c) order: `pb`/`pc` index the
    candidates. Triples (a, b, c) of positions j >= 2, flat in (j, a, b, c) order, are read through
    their two pairs (`pab`, `pbc`), so per-pair work (bigram lookups, emissions, word bonuses) is done
    once per pair and gathered, not once per triple.
    """

    pb: np.ndarray
    pc: np.ndarray
    pab: np.ndarray
    pbc: np.ndarray
    tstart: np.ndarray  # first triple of each position triple


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The concatenated ranges start..start+length (numpy's missing `concatenate(map(arange))`)."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(lengths)
    shift = np.repeat(starts - (ends - lengths), lengths)
    return np.arange(total, dtype=np.int64) + shift


def lattice_index(sizes: np.ndarray) -> LatticeIndex:
    """The `LatticeIndex` of a lattice with `sizes[j]` candidates at position j (at least 3 positions)."""
    sizes = np.asarray(sizes, dtype=np.int64)
    offsets = np.cumsum(sizes) - sizes
    ka, kb, kc = sizes[:-2], sizes[1:-1], sizes[2:]
    pblock = sizes[:-1] * sizes[1:]
    pstart = np.cumsum(pblock) - pblock
    # pair (b, c) of positions (j-1, j): b repeated kc times, c cycling
    pb = np.repeat(_ranges(offsets[:-1], sizes[:-1]), np.repeat(sizes[1:], sizes[:-1]))
    pc = _ranges(np.repeat(offsets[1:], sizes[:-1]), np.repeat(sizes[1:], sizes[:-1]))
    # triple (a, b, c) at position j: pair (a, b) repeated kc times; pairs (b, c) once per a
    pab = np.repeat(np.arange(int(pblock[:-1].sum()), dtype=np.int64), np.repeat(kc, ka * kb))
    pbc = _ranges(np.repeat(pstart[1:], ka), np.repeat(kb * kc, ka))
    tblock = ka * kb * kc
    return LatticeIndex(pb, pc, pab, pbc, np.cumsum(tblock) - tblock)


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: spreads packed ids over the bits


def key_filter(keys: np.ndarray) -> np.ndarray:
    """A one-hash Bloom filter of packed n-gram keys, 8 bits per key (about 1 false "maybe" in 10).

    Most n-grams a lattice asks for are not in the model (4 in 5 bigrams, 9 in 10 trigrams), and a
    binary search costs a cache miss per level of a 13 MB table; one bit in a 2 MB array rules
    them out first.
    """
    bits = max(6, int(np.ceil(np.log2(max(keys.size, 1) * 8))))
    flags = np.zeros(1 << bits, dtype=bool)
    flags[(np.asarray(keys, dtype=np.uint64) * _GOLDEN) >> np.uint64(64 - bits)] = True
    return np.packbits(flags, bitorder="little")


def may_contain(filt: np.ndarray, key: np.ndarray) -> np.ndarray:
    """False where `key` is certainly not among the keys `filt` was built from (see `key_filter`)."""
    bits = int(filt.size * 8).bit_length() - 1
    h = (key * _GOLDEN) >> np.uint64(64 - bits)
    return ((filt[h >> np.uint64(3)] >> (h & np.uint64(7)).astype(np.uint8)) & 1).astype(bool)


class NgramLM:
    """Backoff n-gram model over unit ids. Build with `NgramLM.load()`; use `get_lm()` to share one."""

    def __init__(
        self,
        vocab: list[str],
        uni_lp: np.ndarray,
        uni_bow: np.ndarray,
        keys: list[np.ndarray],
        lps: list[np.ndarray],
        bows: list[np.ndarray],
        meta: dict | None = None,
        has_child: np.ndarray | None = None,
        filters: list[np.ndarray] | None = None,
    ):
        self.vocab = vocab
        self.index = {u: i for i, u in enumerate(vocab)}
        self.order = len(keys) + 1
        self.uni_lp = uni_lp.astype(np.float32)
        self.uni_bow = uni_bow.astype(np.float32)
        self.keys = keys  # keys[k] holds the (k+2)-grams
        self.lps = lps
        self.bows = bows  # bows[k] for (k+2)-grams used as contexts; empty for the top order
        self.meta = meta or {}
        self.unk, self.bos, self.eos = 0, 1, 2
        self.filters = filters if filters is not None else [key_filter(k) for k in keys]
        # bigram entries that are contexts of some trigram: only those need a trigram lookup
        if has_child is not None:
            self.has_child = has_child
            return
        self.has_child = np.zeros(keys[0].size if keys else 0, dtype=bool)
        if len(keys) > 1 and keys[1].size:
            ctx = keys[1] >> np.uint64(BITS)  # sorted, so runs are contiguous
            ctx = ctx[np.r_[True, ctx[1:] != ctx[:-1]]]
            self.has_child[np.searchsorted(keys[0], ctx)] = True

    # ----- vocabulary -------------------------------------------------------------------------
    def vocab_id(self, unit: str) -> int:
        """Id of a unit (see `token_unit`); `<unk>` (or `<abbr>` for upper case) when unknown."""
        i = self.index.get(unit)
        if i is not None:
            return i
        if unit[:1].isupper() and unit.isupper():
            return 5
        return 0

    def ids(self, units: Iterable[str]) -> np.ndarray:
        get = self.index.get
        return np.array([i if (i := get(u)) is not None else self.vocab_id(u) for u in units], dtype=np.int64)

    # ----- scoring ----------------------------------------------------------------------------
    def _lookup(self, n: int, key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Index of each key in the n-gram table and whether it is there (the index is only
        meaningful where it is). Keys the table's filter rules out are not searched at all."""
        table = self.keys[n - 2]
        if table.size == 0:
            return np.zeros(key.shape, dtype=np.int64), np.zeros(key.shape, dtype=bool)
        if key.size <= 32:
            idx = np.minimum(np.searchsorted(table, key), table.size - 1)
            return idx, table[idx] == key
        cand = np.flatnonzero(may_contain(self.filters[n - 2], key))
        sub = key[cand]
        order = np.argsort(sub, kind="stable")  # sorted needles let searchsorted reuse bounds
        pos = np.empty(sub.size, dtype=np.int64)
        pos[order] = np.searchsorted(table, sub[order])
        np.minimum(pos, table.size - 1, out=pos)
        idx = np.zeros(key.size, dtype=np.int64)
        idx[cand] = pos
        found = np.zeros(key.size, dtype=bool)
        found[cand] = table[pos] == sub
        return idx, found

    def score(self, *cols: np.ndarray) -> np.ndarray:
        """log10 P(last | previous) for equal-length id arrays, oldest context first (any length).

        `lm.score(w1, w2, w3)` is the trigram query; contexts longer than the order are cut.
        """
        arrs = [np.asarray(c, dtype=np.uint64).ravel() for c in cols[-self.order :]]
        w = arrs[-1].astype(np.int64)
        out = np.zeros(w.shape, dtype=np.float64)
        if w.size == 0:
            return out
        todo = np.arange(w.size)
        acc = np.zeros(w.size, dtype=np.float64)
        for n in range(len(arrs), 1, -1):
            sub = [a[todo] for a in arrs[-n:]]
            idx, found = self._lookup(n, pack(sub))
            hit = todo[found]
            out[hit] = acc[hit] + self.lps[n - 2][idx[found]]
            todo = todo[~found]
            if todo.size == 0:
                return out
            ctx = [s[~found] for s in sub[:-1]]
            if n - 1 == 1:
                acc[todo] += self.uni_bow[ctx[0].astype(np.int64)]
            else:
                cidx, cfound = self._lookup(n - 1, pack(ctx))
                b = np.where(cfound, self.bows[n - 3][cidx], 0.0)
                acc[todo] += b
        out[todo] = acc[todo] + self.uni_lp[w[todo]]
        return out

    def lattice_scores(
        self, ids: np.ndarray, sizes: np.ndarray, index: LatticeIndex | None = None
    ) -> np.ndarray:
        """Trigram log10 P(c | a, b) for every candidate triple of three consecutive positions.

        `ids` holds the candidate ids of all positions back to back, `sizes` the count per position
        (`index`: their `lattice_index`, when the caller has it already). The result is flat in
        (position, a, b, c) order for positions 2.. (what `viterbi` needs). Equivalent to
        `score(a, b, c)` capped at order 3, but each candidate pair is looked up once and trigrams
        are only searched under contexts that have children, so a sentence costs a few vectorised
        searches.
        """
        ix = index if index is not None else lattice_index(sizes)
        ib, ic = ids[ix.pb], ids[ix.pc]
        if self.order >= 2 and self.keys[0].size:
            idx, found = self._lookup(2, pack([ib, ic]))
            lp2 = np.where(found, self.lps[0][idx], self.uni_bow[ib] + self.uni_lp[ic])
            ctx_bow = np.where(found, self.bows[0][idx], 0.0) if self.order >= 3 else np.zeros(ib.size)
            ctx_ok = found & self.has_child[idx] if self.order >= 3 else np.zeros(ib.size, dtype=bool)
        else:
            lp2 = self.uni_lp[ic].astype(np.float64)
            ctx_bow = np.zeros(ib.size)
            ctx_ok = np.zeros(ib.size, dtype=bool)
        pab, pbc = ix.pab, ix.pbc
        out = ctx_bow[pab] + lp2[pbc]
        sel = np.flatnonzero(ctx_ok[pab])
        if sel.size:
            ab, bc = pab[sel], pbc[sel]
            idx3, found3 = self._lookup(3, pack([ib[ab], ic[ab], ic[bc]]))
            out[sel[found3]] = self.lps[1][idx3[found3]]
        return out

    def sentence_logprob(self, units: Sequence[str], bos: bool = True, eos: bool = True) -> float:
        """Total log10 probability of a unit sequence (for evaluation and tests)."""
        ids = list(self.ids(units))
        seq = ([self.bos] if bos else []) + ids + ([self.eos] if eos else [])
        start = 1 if bos else 0
        if len(seq) <= start:
            return 0.0
        cols = []
        for k in range(self.order - 1, -1, -1):
            cols.append(np.array([seq[i - k] if i - k >= 0 else self.bos for i in range(start, len(seq))]))
        return float(self.score(*cols).sum())

    # ----- storage ----------------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        """Trie layout: per order the last ids and, per context entry, its number of children.

        Keys are rebuilt at load with `np.repeat`; log-probs and backoffs are 8-bit codes into
        256-entry codebooks. Every array is zlib-compressed (lzma is 15 % smaller but 8x slower to open).
        """
        arrays: dict[str, np.ndarray] = {}

        def put(name: str, a: np.ndarray) -> None:
            arrays[name] = np.frombuffer(zlib.compress(np.ascontiguousarray(a).tobytes(), 9), np.uint8)
            meta["arrays"][name] = [str(a.dtype), list(a.shape)]

        meta = dict(self.meta)
        meta.update({"order": self.order, "codec": "zlib", "arrays": {}})
        put("vocab", np.frombuffer("\n".join(self.vocab).encode(), np.uint8))
        put("uni_lp", self.uni_lp.astype(np.float32))
        put("uni_bow", self.uni_bow.astype(np.float32))
        prev = np.arange(len(self.vocab), dtype=np.uint64)
        for k, table in enumerate(self.keys):
            ctx = table >> np.uint64(BITS)
            pos = np.searchsorted(prev, ctx)
            nchild = np.bincount(pos, minlength=prev.size).astype(np.uint32)
            put(f"nchild{k + 2}", nchild)
            put(f"last{k + 2}", (table & np.uint64((1 << BITS) - 1)).astype(np.uint16))
            for name, vals in (("lp", self.lps[k]), ("bow", self.bows[k])):
                if vals.size:
                    book, codes = _quantise(vals)
                    put(f"{name}book{k + 2}", book)
                    put(f"{name}code{k + 2}", codes)
            prev = table
        arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), np.uint8)
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, **arrays)
        tmp.replace(path)

    @classmethod
    def load(cls, path: str | Path | None = None) -> NgramLM:
        """Load a model written by `save` (default: `models/lm.npz`), through its unpacked copy in the
        user's cache when there is one (`lm_cache`), making that copy when there is not."""
        path = Path(path) if path is not None else model_path(MODEL_NAME)
        if path.is_dir():
            path = path / MODEL_NAME
        cached = lm_cache.read(path)
        if cached is not None:
            with contextlib.suppress(KeyError, ValueError):
                return cls._from_tables(*cached)
        lm = cls._unpack(path)
        lm_cache.write(path, lm._tables(), lm.vocab, lm.meta)
        return lm

    def _tables(self) -> dict[str, np.ndarray]:
        out = {"uni_lp": self.uni_lp, "uni_bow": self.uni_bow, "has_child": self.has_child}
        for k, (key, lp, bow, filt) in enumerate(
            zip(self.keys, self.lps, self.bows, self.filters, strict=True)
        ):
            out |= {f"key{k + 2}": key, f"lp{k + 2}": lp, f"bow{k + 2}": bow, f"filter{k + 2}": filt}
        return out

    @classmethod
    def _from_tables(cls, tables: dict[str, np.ndarray], vocab: list[str], meta: dict) -> NgramLM:
        orders = range(2, meta["order"] + 1)
        keys, lps, bows = ([tables[f"{t}{n}"] for n in orders] for t in ("key", "lp", "bow"))
        # a copy written without filters (by an older version) still loads: they are rebuilt
        filters = (
            [tables[f"filter{n}"] for n in orders] if all(f"filter{n}" in tables for n in orders) else None
        )
        return cls(
            vocab, tables["uni_lp"], tables["uni_bow"], keys, lps, bows, meta, tables["has_child"], filters
        )

    @classmethod
    def _unpack(cls, path: Path) -> NgramLM:
        with np.load(path) as z:
            meta = json.loads(bytes(z["meta"]).decode())
            decompress = zlib.decompress if meta.get("codec") == "zlib" else lzma.decompress

            def get(name: str) -> np.ndarray:
                dtype, shape = meta["arrays"][name]
                return np.frombuffer(decompress(bytes(z[name])), dtype=dtype).reshape(shape)

            def has(name: str) -> bool:
                return name in meta["arrays"]

            vocab = bytes(get("vocab")).decode().split("\n")
            uni_lp, uni_bow = get("uni_lp"), get("uni_bow")
            keys, lps, bows = [], [], []
            prev = np.arange(len(vocab), dtype=np.uint64)
            for n in range(2, meta["order"] + 1):
                nchild = get(f"nchild{n}").astype(np.int64)
                last = get(f"last{n}").astype(np.uint64)
                table = (np.repeat(prev, nchild) << np.uint64(BITS)) | last
                keys.append(table)
                lps.append(get(f"lpbook{n}")[get(f"lpcode{n}")])
                bows.append(
                    get(f"bowbook{n}")[get(f"bowcode{n}")] if has(f"bowcode{n}") else np.zeros(0, np.float32)
                )
                prev = table
        meta.pop("arrays", None)
        return cls(vocab, uni_lp, uni_bow, keys, lps, bows, meta)


def _quantise(vals: np.ndarray, levels: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """Equal-population bins with mean centroids: 8 bits lose little where values are dense."""
    vals = vals.astype(np.float64)
    order = np.sort(vals)
    edges = order[np.linspace(0, order.size - 1, levels + 1).astype(np.int64)][1:-1]
    edges = np.unique(edges)
    codes = np.searchsorted(edges, vals, side="right").astype(np.uint8)
    sums = np.bincount(codes, weights=vals, minlength=edges.size + 1)
    cnts = np.bincount(codes, minlength=edges.size + 1)
    book = (sums / np.maximum(cnts, 1)).astype(np.float32)
    return book, codes


def get_lm(path: str | Path | None = None) -> NgramLM:
    """The process-wide model (loaded once; thread-safe)."""
    return load_once("lm", path, NgramLM.load)
