"""Learned OCR channel: how likely Tesseract prints `observed` when the page said `intended`.

The model is estimated by `tools/train_channel.py` from rendered training text run through real
Tesseract (`eng` and `vie`), never hand-listed. Two granularities:

* characters — P(observed segment | intended char), a segment being 0-3 observed characters, so
  `ư`->`w`, `m`->`rn` and dropped marks are all single events; upper-case glyphs have their own
  table (`Ộ`->`Q` has no lower-case counterpart) backed off to the lower-case one;
* syllables — frequent whole-token pairs (`thuéng` for `thưởng`), which capture context the
  character model misses, plus merge/split rates.

`Channel.logp(observed, intended)` is a Viterbi segmentation score in log10. Each OCR engine has
its own profile (`eng`: diacritics stripped or mangled; `vie`: tone confusions).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from ..resources import load_once
from .syllable import fold, is_valid_syllable, nfc

__all__ = [
    "MODEL_NAME",
    "PROFILES",
    "Profile",
    "Channel",
    "align_chars",
    "align_tokens",
    "get_channel",
    "model_name",
    "syllable_candidates",
    "K_CANDIDATES",
]

MODEL_NAME = "channel.json.gz"
PROFILES = ("eng", "vie")
MAX_SEG = 3  # longest observed segment for one intended character
UNSEEN_SUB = -3.6  # log10 of an unseen single-character substitution (the floor: no evidence)
_UNSEEN_DEL = -3.9
_UNSEEN_EXTRA = -1.2  # per extra observed character beyond the first
_FOLD_SUB = -2.2  # unseen substitution that keeps the base letter (ô->o style)
# The least log10 P a profile gives a mark read as another on the same letter (`à` as `ả`, `a` as `ả`).
# The `vie` tables were counted on generated pages, where Tesseract never put a hook on a plain `a`:
# add-k over a million `a`s gave that -7.2, so no context could undo it (`cơ quản, tổ chức`, `thuế tải
# nguyên` read at 88-96 % stayed as read). Real scans are less tidy than counts of zero say: at -4.5
# the LM must still favour the other reading 30,000 to 1. On the 51 dev and tuning pages and the real
# scan: 2 errors fewer, none new (-4.0 the same; -3.5 made `giờ thi` `giờ thì`).
MARK_FLOOR: dict[str, float] = {"vie": -4.5}
K_CANDIDATES = 12  # readings per word, best channel + prior first
# ... plus the commonest words among the rest whose misreading is rare but possible: `năm` read `ném`
# ranked 15th, yet in `tháng 4 ném 2021` only the model can tell, if it is offered the reading
COMMON_EXTRA, COMMON_MIN_LP = 2, -5.0
# marks that stay punctuation even where the channel learned them as a letter's shape
NOT_GLYPH = frozenset(".,;:!?()[]{}<>\"'“”‘’«»…|·•-–—/\\")


def _models_dir() -> Path:
    from ..resources import model_path

    return model_path(MODEL_NAME).parent


def align_chars(intended: str, observed: str) -> list[tuple[str, str]]:
    """Pair each intended character with the observed segment it became (insertions attach left).

    Levenshtein alignment where substitutions keeping the base letter cost less, so `ư`->`u`
    pairs up rather than shifting. Leading insertions attach to the first character.
    """
    a, b = intended, observed
    n, m = len(a), len(b)
    fa, fb = fold(a).lower(), fold(b).lower()
    inf = float("inf")
    d = [[inf] * (m + 1) for _ in range(n + 1)]
    back = [[0] * (m + 1) for _ in range(n + 1)]
    d[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            best, op = inf, 0
            if i and j:
                c = 0.0 if a[i - 1] == b[j - 1] else (0.4 if fa[i - 1] == fb[j - 1] else 1.0)
                if d[i - 1][j - 1] + c < best:
                    best, op = d[i - 1][j - 1] + c, 1
            if i and d[i - 1][j] + 1.0 < best:
                best, op = d[i - 1][j] + 1.0, 2
            if j and d[i][j - 1] + 1.05 < best:
                best, op = d[i][j - 1] + 1.05, 3
            d[i][j], back[i][j] = best, op
    segs: list[list[str]] = [[c, ""] for c in a]
    pending = ""
    i, j = n, m
    ops: list[tuple[int, int, int]] = []
    while i or j:
        op = back[i][j]
        ops.append((op, i, j))
        if op == 1:
            i, j = i - 1, j - 1
        elif op == 2:
            i -= 1
        else:
            j -= 1
    ops.reverse()
    cur = -1
    for op, i, j in ops:
        if op == 1:
            cur = i - 1
            segs[cur][1] += pending + b[j - 1]
            pending = ""
        elif op == 2:
            cur = i - 1
            if pending:
                segs[cur][1] += pending
                pending = ""
        else:
            if cur < 0:
                pending += b[j - 1]
            else:
                segs[cur][1] += b[j - 1]
    if pending and segs:
        segs[0][1] = pending + segs[0][1]
    return [(c, s) for c, s in segs]


def align_tokens(
    src: list[str], obs: list[str], key=lambda t: fold(t).lower()
) -> list[tuple[list[int], list[int]]]:
    """Align two token sequences: groups (src indices, obs indices) of 1:1, 1:2, 2:1, 1:0 or 0:1.

    Dynamic programming on normalised character distance between folded tokens; used to learn the
    channel and to score benchmarks (syllable accuracy).
    """
    ks, ko = [key(t) for t in src], [key(t) for t in obs]
    n, m = len(ks), len(ko)
    gap = 0.75
    inf = float("inf")
    # Banded DP keeps long pages cheap: alignments stay near the diagonal.
    band = max(40, abs(n - m) + 40)
    d: dict[tuple[int, int], float] = {(0, 0): 0.0}
    back: dict[tuple[int, int], tuple[int, int]] = {}

    def dist(x: str, y: str) -> float:
        return Levenshtein.normalized_distance(x, y)

    for i in range(n + 1):
        jc = round(i * m / n) if n else 0
        for j in range(max(0, jc - band), min(m, jc + band) + 1):
            if i == 0 and j == 0:
                continue
            best, arg = inf, (0, 0)
            for di, dj in ((1, 1), (1, 0), (0, 1), (1, 2), (2, 1)):
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0:
                    continue
                prev = d.get((pi, pj))
                if prev is None:
                    continue
                if (di, dj) == (1, 1):
                    c = dist(ks[pi], ko[pj])
                elif (di, dj) == (1, 0) or (di, dj) == (0, 1):
                    c = gap
                elif (di, dj) == (1, 2):
                    c = dist(ks[pi], ko[pj] + ko[pj + 1]) + 0.3
                else:
                    c = dist(ks[pi] + ks[pi + 1], ko[pj]) + 0.3
                if prev + c < best:
                    best, arg = prev + c, (di, dj)
            if best < inf:
                d[(i, j)] = best
                back[(i, j)] = arg
    out: list[tuple[list[int], list[int]]] = []
    i, j = n, m
    if (i, j) not in d:
        return [([k], []) for k in range(n)] + [([], [k]) for k in range(m)]
    while i or j:
        di, dj = back[(i, j)]
        out.append((list(range(i - di, i)), list(range(j - dj, j))))
        i, j = i - di, j - dj
    out.reverse()
    return out


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """Folded lower case of one character: the channel's alignment asks this ~10^5 times per page.
    A letter with a mark Vietnamese does not write (`ö`, `ä`: Tesseract `vie` prints them for `ổ`,
    `ả`) folds to its base letter too."""
    f = fold(ch).lower()
    if f.isascii() or not f.isalpha():
        return f
    base = "".join(c for c in unicodedata.normalize("NFD", f) if not unicodedata.combining(c))
    return base if len(base) == 1 and base.isascii() else f


def _latin_base(text: str) -> str:
    """`fold` of a token, foreign marks off as well (`kiöän` -> `kioan`): the candidate search key."""
    text = fold(text)
    return text if text.isascii() else "".join(_fold_char(c) if c.isalpha() else c for c in text)


@dataclass
class Profile:
    """One OCR engine's channel: character segment tables, syllable pairs and rates."""

    chars: dict[str, dict[str, float]]  # intended char -> {observed segment: log10 p}
    upper: dict[str, dict[str, float]]  # the same for characters of upper-case tokens
    syllables: dict[str, dict[str, float]]  # observed token (lower) -> {intended: log10 P(obs|int)}
    merge_lp: float = -3.0  # log10 P(two intended syllables printed as one token)
    merge_short_lp: float | None = None  # the same when the second is one letter (`QUÝ I` -> `QUYI`)
    split_lp: float = -3.0  # log10 P(one intended syllable printed as two tokens)
    error_by_conf: list[float] = field(default_factory=list)  # P(token wrong) per 10-point bucket
    error_rate: float = 0.1
    mark_floor: float | None = None  # `MARK_FLOOR` of the profile's name, set by `Channel`

    def seg_lp(self, c: str, seg: str, upper: bool) -> float:
        lp = self._seg_lp(c, seg, upper)
        floor = self.mark_floor
        if (
            floor is not None
            and lp < floor
            and len(seg) == 1
            and seg != c
            and _fold_char(seg) == _fold_char(c)
        ):
            return floor
        return lp

    def _seg_lp(self, c: str, seg: str, upper: bool) -> float:
        if upper:
            t = self.upper.get(c)
            if t is not None and seg in t:
                return t[seg]
        t = self.chars.get(c)
        if t is not None and seg in t:
            return t[seg]
        if not seg:
            return _UNSEEN_DEL
        if seg == c:
            return -0.05
        base = _FOLD_SUB if _fold_char(seg[0]) == _fold_char(c) else UNSEEN_SUB
        if len(seg) == 1 and (kept := self.chars.get(seg, {}).get(seg)) is not None:
            # a marked letter the engine seldom prints even where the page has it (`eng` prints `à`
            # for `à` once in 4,000) is no likelier from a letter without that mark: else `này`
            # read right by `eng` was `nay`, and `bà` became `bố`
            base = min(base, kept)
        return base + _UNSEEN_EXTRA * (len(seg) - 1)


def _max_dist(obs_fold: str, profile: str) -> int:
    """Largest folded edit distance searched: `vie` OCR keeps letters (tone slips only), `eng` mangles."""
    if profile == "vie":
        return 0 if is_valid_syllable(obs_fold) else 1
    odd = any(not c.isalpha() or not c.isascii() for c in obs_fold)
    if len(obs_fold) <= 2:
        return 1
    return 2 if (odd or len(obs_fold) >= 5 or not is_valid_syllable(obs_fold)) else 1


class Inventory:
    """Folded form -> syllables with counts, plus a rapidfuzz-ready key list."""

    def __init__(self, channel: Channel):
        by_fold: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for syl, n in channel.unigrams.items():
            by_fold[fold(syl)].append((syl, n))
        self.by_fold = {k: sorted(v, key=lambda x: -x[1]) for k, v in by_fold.items()}
        self.fold_count = {k: sum(n for _, n in v) for k, v in self.by_fold.items()}
        self.keys = list(self.by_fold)
        total = channel.meta.get("unigram_total") or sum(channel.unigrams.values()) or 1
        self.log_total = math.log10(total)

    def prior(self, syl: str, count: int) -> float:
        return math.log10(count + 0.5) - self.log_total


class Channel:
    """P(observed | intended) for syllables and abbreviations, per OCR profile."""

    def __init__(
        self,
        profiles: dict[str, Profile],
        unigrams: dict[str, int] | None = None,
        abbreviations: dict[str, int] | None = None,
        meta: dict | None = None,
    ):
        self.profiles = profiles
        for name, prof in profiles.items():
            if prof.mark_floor is None:
                prof.mark_floor = MARK_FLOOR.get(name)
        self.unigrams = unigrams or {}
        self.abbreviations = abbreviations or {}
        self.meta = meta or {}
        self._logp = lru_cache(maxsize=500_000)(self._logp_uncached)
        self._scored = lru_cache(maxsize=200_000)(self._candidates_uncached)
        self.sha256: str | None = None  # of the model's JSON when loaded from a file (stamps the table)
        self._shapes: dict[str, tuple[dict[str, str], frozenset[str]]] = {}

    # ----- scoring ---------------------------------------------------------------------------
    def logp(self, observed: str, intended: str, profile: str = "eng") -> float:
        """log10 P(observed | intended): case-insensitive, upper-case glyph table for all-caps input."""
        return self._logp(nfc(observed), nfc(intended), profile)

    def _logp_uncached(self, observed: str, intended: str, profile: str) -> float:
        prof = self.profiles[profile]
        upper = observed.isupper() and len(observed) > 1
        o, s = observed.lower(), intended.lower()
        syl = prof.syllables.get(o)
        table_lp = syl.get(s) if syl else None
        n, m = len(s), len(o)
        neg = -1e9
        d = [neg] * (m + 1)
        d[0] = 0.0
        for i in range(1, n + 1):
            c = s[i - 1]
            nd = [neg] * (m + 1)
            dropped = prof.seg_lp(c, "", upper)
            for j in range(m + 1):
                best = d[j] + dropped
                for k in range(1, min(MAX_SEG, j) + 1):
                    prev = d[j - k]
                    if prev <= neg:
                        continue
                    v = prev + prof.seg_lp(c, o[j - k : j], upper)
                    if v > best:
                        best = v
                nd[j] = best
            d = nd
        lp = d[m] if n else (UNSEEN_SUB * m)
        if table_lp is not None:  # learned whole-token evidence dominates when it says more
            lp = max(lp, table_lp)
        return lp

    def known_pairs(self, observed: str, profile: str = "eng") -> dict[str, float]:
        """Intended syllables seen for this observed token in training, with log10 P(obs|int)."""
        return self.profiles[profile].syllables.get(nfc(observed).lower(), {})

    def conf_adjust(self, conf: float, same: bool, profile: str = "vie") -> float:
        """Likelihood-ratio correction for a Tesseract word confidence (0..100).

        Low confidence raises the odds that the observed form is wrong, high confidence lowers them;
        learned per 10-point bucket.
        """
        prof = self.profiles[profile]
        if not prof.error_by_conf:
            return 0.0
        b = min(len(prof.error_by_conf) - 1, max(0, int(conf // 10)))
        e_b = min(0.98, max(0.002, prof.error_by_conf[b]))
        e = min(0.98, max(0.002, prof.error_rate))
        return math.log10((1 - e_b) / (1 - e)) if same else math.log10(e_b / e)

    def prior(self, syllable: str) -> float:
        """log10 unigram frequency of a syllable in training text (for rough pre-decisions)."""
        c = self.unigrams.get(syllable.lower(), 0)
        total = self.meta.get("unigram_total", 1)
        return math.log10((c + 0.5) / total)

    # ----- candidate readings --------------------------------------------------------------
    @cached_property
    def inventory(self) -> Inventory:
        """Folded form -> syllables of the training text (built once per channel)."""
        return Inventory(self)

    def shapes(self, profile: str = "eng") -> tuple[dict[str, str], frozenset[str]]:
        """Learned from the channel tables: the letter each non-letter glyph most likely stands for
        (`6` -> o, `1` -> l, `€` -> e, `&` -> a) and the set of non-alphanumeric glyphs OCR prints
        inside words (a token `ti€u` is a garbled word, not punctuation)."""
        got = self._shapes.get(profile)
        if got is None:
            best: dict[str, tuple[float, str]] = {}
            prof = self.profiles.get(profile) or next(iter(self.profiles.values()))
            for tab in (prof.chars, prof.upper):
                for c, segs in tab.items():
                    if not c.isalpha():
                        continue
                    for seg, lp in segs.items():
                        if len(seg) == 1 and not seg.isalpha() and lp > best.get(seg, (-99.0, ""))[0]:
                            best[seg] = (lp, fold(c).lower())
            shape = {g: c for g, (lp, c) in best.items() if lp >= -3.0}
            glyphs = frozenset(g for g in shape if not g.isalnum() and g not in NOT_GLYPH)
            got = self._shapes[profile] = (shape, glyphs)
        return got

    def candidates(
        self, token: str, profile: str = "eng", limit: int = K_CANDIDATES, reach: int = 0
    ) -> list[tuple[str, float]]:
        """Inventory syllables for an observed token, best first: (syllable, log10 P(token | syllable)).
        `reach`: the least folded edit distance searched (a word OCR doubts may have lost a letter)."""
        return [(s, lp) for s, lp, _ in self.scored_candidates(nfc(token), profile, limit, reach)]

    @cached_property
    def table(self) -> Mapping[str, tuple[tuple[str, float, float], ...]]:
        """The build-time readings of the inventory (`candidate_table`); empty when none fits."""
        from . import candidate_table

        return (candidate_table.load(self) or {}) if self.sha256 else {}

    def scored_candidates(
        self, token: str, profile: str, limit: int, reach: int = 0
    ) -> tuple[tuple[str, float, float], ...]:
        """`_candidates_uncached`, from the build-time table when it holds the word, else computed once."""
        from .candidate_table import PROFILE

        if profile == PROFILE and reach == 0 and limit == K_CANDIDATES:
            hit = self.table.get(token.lower())  # the search reads the word in small letters only
            if hit is not None:
                return hit
        return self._scored(token, profile, limit, reach)

    def _candidates_uncached(
        self, token: str, profile: str, limit: int, reach: int = 0
    ) -> tuple[tuple[str, float, float], ...]:
        """(syllable, channel log10, channel + prior) for the best `limit` readings, plus the commonest
        `COMMON_EXTRA` of the rest. Close folded forms are found with rapidfuzz (for recall); digits
        and glyphs are searched as their learned letters too."""
        inv = self.inventory
        low = token.lower()
        q = _latin_base(low)
        dmax = max(reach, _max_dist(q, profile))
        hits = process.extract(q, inv.keys, scorer=Levenshtein.distance, score_cutoff=dmax, limit=None)
        if any(not c.isalpha() for c in q):  # digits/glyphs for letters: search their learned letters too
            shape = self.shapes()[0]
            q2 = "".join(c if c.isalpha() else shape.get(c, c) for c in q)
            if q2 != q:
                # a fold both searches find keeps its nearer distance: `16n` is 2 edits from `lon` as
                # written, 0 as `l`+`o`+`n`, and at 2 it fell behind the 40 commonest folds (no `lớn`)
                best = {h[0]: h for h in hits}
                for h in process.extract(
                    q2, inv.keys, scorer=Levenshtein.distance, score_cutoff=dmax, limit=None
                ):
                    if h[0] not in best or h[1] < best[h[0]][1]:
                        best[h[0]] = h
                hits = list(best.values())
        hits.sort(key=lambda h: (h[1], -inv.fold_count[h[0]]))
        folds = [h[0] for h in hits[:40]]
        pool: dict[str, int] = {}
        for f in folds:
            for syl, n in inv.by_fold[f][:12]:
                pool[syl] = n
        for syl in self.known_pairs(low, profile):
            if syl in self.unigrams:
                pool.setdefault(syl, self.unigrams[syl])
        scored = []
        for syl, n in pool.items():
            lp = self.logp(low, syl, profile)
            scored.append((syl, lp, lp + inv.prior(syl, n)))
        scored.sort(key=lambda x: -x[2])
        # the rest by prior alone (x[2] - x[1]), commonest first
        rest = sorted((x for x in scored[limit:] if x[1] >= COMMON_MIN_LP), key=lambda x: x[1] - x[2])
        return tuple(scored[:limit] + rest[:COMMON_EXTRA])

    # ----- storage ---------------------------------------------------------------------------
    def to_json(self) -> dict:
        return {
            "meta": self.meta,
            # the floor is the code's (`MARK_FLOOR`), not the model's: a retrained model takes the current one
            "profiles": {
                k: {f: v for f, v in vars(p).items() if f != "mark_floor"} for k, p in self.profiles.items()
            },
            "unigrams": self.unigrams,
            "abbreviations": self.abbreviations,
        }

    def save(self, path: str | Path) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=9) as fh:
            json.dump(self.to_json(), fh, ensure_ascii=False, separators=(",", ":"))
        tmp.replace(path)

    @classmethod
    def load(cls, path: str | Path | None = None) -> Channel:
        path = Path(path) if path is not None else _models_dir() / MODEL_NAME
        if path.is_dir():
            path = path / MODEL_NAME
        with gzip.open(path, "rb") as fh:
            raw = fh.read()
        data = json.loads(raw)
        profiles = {k: Profile(**v) for k, v in data["profiles"].items()}
        channel = cls(profiles, data.get("unigrams"), data.get("abbreviations"), data.get("meta"))
        channel.sha256 = hashlib.sha256(raw).hexdigest()
        return channel


def model_name(engine: str = "tesseract") -> str:
    """The channel model counted on `engine`'s output (`MODEL_NAME`: Tesseract's)."""
    return MODEL_NAME if engine == "tesseract" else f"channel-{engine}.json.gz"


def get_channel(path: str | Path | None = None, *, engine: str = "tesseract") -> Channel:
    """The process-wide channel of an OCR engine (loaded once; `path` overrides the engine's model)."""
    if path is None and engine != "tesseract":
        path = _models_dir() / model_name(engine)
    return load_once("channel", path, Channel.load)


def syllable_candidates(
    channel: Channel, token: str, profile: str = "eng", limit: int = K_CANDIDATES, reach: int = 0
) -> list[tuple[str, float]]:
    """Best inventory syllables for an observed token: (syllable, log10 P(token | syllable))."""
    return channel.candidates(token, profile, limit, reach)
