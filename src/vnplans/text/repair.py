"""Noisy-channel repair of bad OCR text: English-model garble (`Péc lap`) and `vie` tone confusions.

For every word-like token we propose inventory syllables whose folded form is close (rapidfuzz on
folded forms, for recall), score them with the learned channel P(observed | syllable) and let the
trigram LM choose over whole sentences (`decoder.viterbi`). Tokens that read better as two
syllables (`QUYI` = `QUÝ I`) are split, two fragments that read as one syllable are merged, both
only when channel + local LM say so. Numbers, dates and document symbols pass through (their
abbreviation parts are mapped to known abbreviations: `QD-UBND` -> `QĐ-UBND`); isolated table
borders (`|`) are dropped with a note. Output tokens always come from input tokens, lines are kept.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from .channel import Channel, get_channel
from .result import TextResult, WordInfo
from .syllable import fold, is_valid_syllable, nfc, normalize_tone_placement
from .tokens import Kind, Token, tokenize

__all__ = ["repair", "repair_detailed", "syllable_candidates", "detect_profile", "repair_abbreviation"]

K_CANDIDATES = 12
KEEP_UNK = -4.5  # emission of keeping an unknown word-like token as it is (LM sees <unk>)
CHANNEL_WEIGHT = 1.0
_JUNK = set("|¦")
_VIE_MARKS = set("ăâđêôơư")
_SPLIT_SEP = re.compile(r"([/\-.:])")


# ----- inventory --------------------------------------------------------------------------------
class _Inventory:
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


_INV: dict[int, _Inventory] = {}


def _inventory(channel: Channel) -> _Inventory:
    inv = _INV.get(id(channel))
    if inv is None:
        inv = _INV[id(channel)] = _Inventory(channel)
    return inv


def _max_dist(obs_fold: str, profile: str) -> int:
    if profile == "vie":
        return 0 if is_valid_syllable(obs_fold) else 1
    odd = any(not c.isalpha() or not c.isascii() for c in obs_fold)
    if len(obs_fold) <= 2:
        return 1
    return 2 if (odd or len(obs_fold) >= 5 or not is_valid_syllable(obs_fold)) else 1


def syllable_candidates(
    channel: Channel, token: str, profile: str = "eng", limit: int = K_CANDIDATES
) -> list[tuple[str, float]]:
    """Best inventory syllables for an observed token: (syllable, log10 P(token | syllable))."""
    return list(_syllable_candidates(channel, nfc(token), profile, limit))


@lru_cache(maxsize=200_000)
def _cands_cached(ch_id: int, token: str, profile: str, limit: int) -> tuple[tuple[str, float, float], ...]:
    channel = _CH_BY_ID[ch_id]
    inv = _inventory(channel)
    low = token.lower()
    q = fold(low)
    dmax = _max_dist(q, profile)
    hits = process.extract(q, inv.keys, scorer=Levenshtein.distance, score_cutoff=dmax, limit=None)
    hits.sort(key=lambda h: (h[1], -inv.fold_count[h[0]]))
    folds = [h[0] for h in hits[:40]]
    pool: dict[str, int] = {}
    for f in folds:
        for syl, n in inv.by_fold[f][:12]:
            pool[syl] = n
    for syl in channel.known_pairs(low, profile):
        if syl in channel.unigrams:
            pool.setdefault(syl, channel.unigrams[syl])
    scored = []
    for syl, n in pool.items():
        lp = channel.logp(low, syl, profile)
        scored.append((syl, lp, lp + inv.prior(syl, n)))
    scored.sort(key=lambda x: -x[2])
    return tuple(scored[:limit])


_CH_BY_ID: dict[int, Channel] = {}


def _syllable_candidates(channel: Channel, token: str, profile: str, limit: int) -> list[tuple[str, float]]:
    _CH_BY_ID[id(channel)] = channel
    return [(s, lp) for s, lp, _ in _cands_cached(id(channel), token, profile, limit)]


def _best_joint(channel: Channel, token: str, profile: str) -> float:
    """Channel + prior of the best single reading (for split/merge pre-decisions)."""
    _CH_BY_ID[id(channel)] = channel
    c = _cands_cached(id(channel), token, profile, K_CANDIDATES)
    return c[0][2] if c else -99.0


# ----- profiles, abbreviations, junk -----------------------------------------------------------
def detect_profile(text: str) -> str:
    """`vie` when the text carries Vietnamese-only letters (the English model never prints them)."""
    words = [t.text for t in tokenize(text) if t.kind in (Kind.WORD, Kind.ABBR)]
    if not words:
        return "eng"
    marked = sum(1 for w in words if any(c in _VIE_MARKS for c in fold_keep_shape(w.lower())))
    return "vie" if marked >= max(1, 0.04 * len(words)) else "eng"


def fold_keep_shape(s: str) -> str:
    from .syllable import strip_tone

    return strip_tone(s)


def _abbr_table(channel: Channel) -> dict[str, int]:
    table = dict(channel.abbreviations)
    try:
        from .candidates import get_candidates

        cands = get_candidates()
        for forms in cands._abbr.values():
            for form, n in forms:
                table[form] = max(table.get(form, 0), n)
    except Exception:  # candidate tables not built yet: the channel's own counts suffice
        pass
    return table


_ABBR: dict[int, tuple[dict[str, int], list[str], int]] = {}


def repair_abbreviation(token: str, channel: Channel | None = None, profile: str = "eng") -> str:
    """Map a garbled upper-case abbreviation to a frequent known one (`TPKT` -> `TĐKT`), else keep."""
    channel = channel or get_channel()
    key = id(channel)
    if key not in _ABBR:
        table = _abbr_table(channel)
        _ABBR[key] = (table, list(table), sum(table.values()) or 1)
    table, keys, total = _ABBR[key]
    try:  # fold-identical accented spelling the corpus makes unambiguous (QD -> QĐ)
        from .candidates import get_candidates

        accented = get_candidates().abbreviation(token)
        if accented and fold(accented) == fold(token):
            return accented
    except Exception:  # no candidate tables: the channel's own counts below
        pass
    own = table.get(token, 0)
    if own >= 20:
        return token
    keep = math.log10((own + 0.5) / total)
    best, best_score = token, keep
    dmax = 1 if len(token) <= 4 else 2
    for cand, d, _ in process.extract(
        fold(token), keys, processor=fold, scorer=Levenshtein.distance, score_cutoff=dmax, limit=30
    ):
        if cand == token:
            continue
        lp = channel.logp(token, cand, profile)
        if lp < -4.0 * max(1, d):
            continue
        score = math.log10(table[cand] / total) + lp
        if score > best_score + 0.5:
            best, best_score = cand, score
    return best


def is_known_abbreviation(token: str, channel: Channel | None = None) -> bool:
    """Seen at least 20 times in training text as an upper-case abbreviation."""
    channel = channel or get_channel()
    repair_abbreviation("UBND", channel)  # builds the table once
    return _ABBR[id(channel)][0].get(token, 0) >= 20


def _junk_indices(tokens: list[Token], text: str) -> set[int]:
    """Isolated `|` tokens on lines that are not markdown/pipe tables (those keep their pipes)."""
    out: set[int] = set()
    line_pipes: dict[int, int] = defaultdict(int)
    line_of = []
    line = 0
    for t in tokens:
        line_of.append(line)
        line += t.text.count("\n")
    lines = text.split("\n")
    for i, t in enumerate(tokens):
        if t.kind == Kind.PUNCT and t.text and set(t.text) <= _JUNK:
            line_pipes[line_of[i]] += 1
    for i, t in enumerate(tokens):
        if not (t.kind == Kind.PUNCT and t.text and set(t.text) <= _JUNK):
            continue
        ln = lines[line_of[i]].strip() if line_of[i] < len(lines) else ""
        if ln.startswith("|") and ln.endswith("|") and line_pipes[line_of[i]] >= 3:
            continue  # a pipe table row
        before = tokens[i - 1] if i else None
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if (before is None or before.kind == Kind.SPACE) and (after is None or after.kind == Kind.SPACE):
            out.add(i)
    return out


# ----- case ------------------------------------------------------------------------------------
def _case_like(source: str, target: str, line_upper: bool) -> str:
    letters = [c for c in source if c.isalpha()]
    if not letters:
        return target
    ups = sum(c.isupper() for c in letters)
    if (ups == len(letters) and len(letters) >= 2) or (line_upper and ups >= max(1, len(letters) - 1)):
        return target.upper()
    if letters[0].isupper() or source[:1].isdigit() and line_upper:
        return target[:1].upper() + target[1:]
    return target


# ----- main ------------------------------------------------------------------------------------
@dataclass
class _Pos:
    tok: list[int]  # input token indices this position covers (several when fragments merge)
    cands: list[tuple[str, float]]  # (LM unit, emission log10)
    outs: list[str]  # output text per candidate (lower case); '' = keep the source as it is
    piece: str  # observed text this position reads (for case transfer)


def _unit_of(tok: Token) -> str:
    if tok.kind == Kind.NUMBER:
        return "<num>"
    if tok.kind in (Kind.SYMBOL, Kind.MIXED):
        return "<sym>"
    if tok.kind == Kind.ABBR:
        return fold(tok.text).upper()
    return tok.text.lower()


def _word_like(text: str, kind: Kind) -> bool:
    if len(text) == 1 and not is_valid_syllable(text):
        return False  # list markers (`b)`) and stray letters: too little evidence to rewrite
    if kind in (Kind.WORD, Kind.ABBR):
        return len(text) <= 9
    if kind == Kind.MIXED:
        digits = sum(c.isdigit() for c in text)
        return len(text) <= 7 and digits <= 2 and any(c.isalpha() for c in text)
    return False


def _conf_for(tok: Token, confidences: dict[tuple[int, int], float] | None) -> float | None:
    if not confidences:
        return None
    c = confidences.get((tok.start, tok.end))
    if c is not None:
        return c
    for (s, e), v in confidences.items():
        if s <= tok.start and tok.end <= e:
            return v
    return None


def _word_position(
    channel: Channel, obs: str, kind: Kind, profile: str, conf: float | None, toks: list[int]
) -> _Pos:
    cands: list[tuple[str, float]] = []
    outs: list[str] = []
    low = obs.lower()
    for syl, lp in syllable_candidates(channel, obs, profile):
        e = CHANNEL_WEIGHT * lp
        if conf is not None:
            e += channel.conf_adjust(conf, syl == low, profile)
        cands.append((syl, e))
        outs.append(syl)
    if kind == Kind.ABBR and is_known_abbreviation(obs, channel):
        return _Pos(toks, [(fold(obs).upper(), 0.0)], [obs], obs)
    if kind == Kind.ABBR:
        fixed = repair_abbreviation(obs, channel, profile)
        cands.append((fold(fixed).upper(), -0.5 if len(obs) > 3 else -2.0))
        outs.append(fixed)
    elif low not in set(outs):
        unit = "<sym>" if kind == Kind.MIXED else "<unk>"
        cands.append((unit, KEEP_UNK))
        outs.append("")
    return _Pos(toks, cands, outs, obs)


def _repair_symbol(text: str, channel: Channel, profile: str) -> str:
    """Fix the abbreviation parts of a document symbol (`42/NQ-HDPND`); digits never change."""
    out = []
    for p in _SPLIT_SEP.split(text):
        if len(p) >= 2 and p.isalpha() and p.isupper():
            out.append(repair_abbreviation(p, channel, profile))
        else:
            out.append(p)
    return "".join(out)


def _local_lm(lm, units: list[str]) -> float:
    """log10 P of units[2:] given the two units before (a short window around a decision)."""
    ids = lm.ids(units)
    if len(ids) < 3:
        return 0.0
    return float(lm.score(ids[:-2], ids[1:-1], ids[2:]).sum())


def _top_unit(p: _Pos | None, default: str) -> str:
    return p.cands[0][0] if p is not None else default


def _resegment(
    positions: list[_Pos], tokens: list[Token], channel: Channel, profile: str, lm, conf_map
) -> list[_Pos]:
    """Split tokens that read as two syllables and merge fragments that read as one, when the
    channel (with its learned merge/split rates) and the local LM context agree."""
    prof = channel.profiles[profile]
    out: list[_Pos] = []
    i = 0
    n = len(positions)
    while i < n:
        p = positions[i]
        tok = tokens[p.tok[0]]
        single = max((e for _, e in p.cands), default=-99.0)
        weak = len(p.tok) == 1 and _word_like(tok.text, tok.kind) and single < -1.5
        prev2 = _top_unit(out[-2] if len(out) > 1 else None, "<s>")
        prev1 = _top_unit(out[-1] if out else None, "<s>")
        nxt = _top_unit(positions[i + 1] if i + 1 < n else None, "</s>")
        # merge with the next fragment (`th uc` for `thực`)
        if weak and i + 1 < n:
            q = positions[i + 1]
            qt = tokens[q.tok[0]]
            gap = tokens[p.tok[0] + 1 : q.tok[0]]
            if (
                len(q.tok) == 1
                and _word_like(qt.text, qt.kind)
                and len(gap) == 1
                and gap[0].kind == Kind.SPACE
                and "\n" not in gap[0].text
            ):
                joined = tok.text + qt.text
                mp = _word_position(channel, joined, Kind.WORD, profile, None, [*p.tok, q.tok[0]])
                nxt2 = _top_unit(positions[i + 2] if i + 2 < n else None, "</s>")
                s_merge = mp.cands[0][1] + prof.split_lp + _local_lm(lm, [prev2, prev1, mp.cands[0][0], nxt2])
                q_best = max(e for _, e in q.cands)
                s_keep = single + q_best + _local_lm(lm, [prev2, prev1, p.cands[0][0], q.cands[0][0], nxt2])
                if mp.outs[0] and s_merge > s_keep + 1.0:
                    out.append(mp)
                    i += 2
                    continue
        # split into two syllables (`QUYI` for `QUÝ I`)
        if weak and len(tok.text) >= 3:
            best_split = None
            s_keep = single + _local_lm(lm, [prev2, prev1, p.cands[0][0], nxt])
            for k in range(1, len(tok.text)):
                a, b = tok.text[:k], tok.text[k:]
                if not (any(c.isalpha() for c in a) and any(c.isalpha() for c in b)):
                    continue
                pa = _word_position(channel, a, Kind.WORD, profile, None, p.tok)
                pb = _word_position(channel, b, Kind.WORD, profile, None, p.tok)
                if not (pa.outs[0] and pb.outs[0]):
                    continue
                sc = (
                    pa.cands[0][1]
                    + pb.cands[0][1]
                    + prof.merge_lp
                    + _local_lm(lm, [prev2, prev1, pa.cands[0][0], pb.cands[0][0], nxt])
                )
                if best_split is None or sc > best_split[0]:
                    best_split = (sc, pa, pb)
            if best_split is not None and best_split[0] > s_keep + 1.0:
                out.extend(best_split[1:])
                i += 1
                continue
        out.append(p)
        i += 1
    return out


def repair_detailed(
    text: str,
    *,
    confidences: dict[tuple[int, int], float] | None = None,
    style: str = "old",
    profile: str | None = None,
    channel: Channel | None = None,
    lm=None,
) -> TextResult:
    """Repair OCR garble; `profile` is `eng` or `vie` (detected when None). Never raises on text."""
    from .decoder import viterbi
    from .lm import get_lm, segments

    text = nfc(text)
    if not text.strip():
        return TextResult(text, "repair")
    channel = channel or get_channel()
    lm = lm or get_lm()
    tokens = tokenize(text)
    junk = _junk_indices(tokens, text)
    out_text: list[str] = [t.text for t in tokens]
    words: list[WordInfo] = []
    notes: list[str] = []
    line_no = [0] * len(tokens)
    ln = 0
    for i, t in enumerate(tokens):
        line_no[i] = ln
        ln += t.text.count("\n")
    per_line: dict[int, list[bool]] = defaultdict(list)
    for i, t in enumerate(tokens):
        if t.kind in (Kind.WORD, Kind.ABBR) and len(t.text) > 1:
            per_line[line_no[i]].append(t.text.isupper())
    line_upper = {k: sum(v) >= 0.6 * len(v) for k, v in per_line.items()}
    # Each line gets its own OCR profile unless given: pages mix engines when text was pasted together.
    lines = text.split("\n")
    line_profile = [profile or detect_profile(ln_text) for ln_text in lines]
    for i in sorted(junk):
        notes.append(f"dropped junk {tokens[i].text!r} at line {line_no[i] + 1}")
        out_text[i] = ""
        words.append(WordInfo(tokens[i].start, tokens[i].end, tokens[i].text, "", 1.0))
        prev = tokens[i - 1] if i else None
        if prev is not None and prev.kind == Kind.SPACE and "\n" not in prev.text and out_text[i - 1]:
            out_text[i - 1] = ""  # `TT |` -> `TT`, `a | b` -> `a b`
    pieces: dict[int, list[str]] = defaultdict(list)
    for seg in segments(tokens):
        positions: list[_Pos] = []
        for i in seg:
            tok = tokens[i]
            if _word_like(tok.text, tok.kind):
                conf = _conf_for(tok, confidences)
                prof = line_profile[line_no[i]]
                positions.append(_word_position(channel, tok.text, tok.kind, prof, conf, [i]))
            else:
                positions.append(_Pos([i], [(_unit_of(tok), 0.0)], [""], tok.text))
        for p in positions:  # rare inventory forms the LM never saw are mostly typos in the corpus
            p.cands = [
                (u, e - 3.0 if u not in lm.index and not u.startswith("<") and u.islower() else e)
                for u, e in p.cands
            ]
        seg_profile = line_profile[line_no[seg[0]]]
        positions = _resegment(positions, tokens, channel, seg_profile, lm, confidences)
        best, conf = viterbi([p.cands for p in positions], lm)
        for p, b, c in zip(positions, best, conf, strict=True):
            first = tokens[p.tok[0]]
            chosen = p.outs[b]
            if first.kind == Kind.SYMBOL:
                out = _repair_symbol(first.text, channel, line_profile[line_no[p.tok[0]]])
            elif not chosen:
                out = p.piece
            elif first.kind == Kind.ABBR and chosen.isupper():
                out = chosen
            else:
                out = _case_like(p.piece, chosen, line_upper.get(line_no[p.tok[0]], False))
            pieces[p.tok[0]].append(out)
            for j in range(p.tok[0] + 1, p.tok[-1] + 1):
                out_text[j] = ""  # merged fragments and the space between them
            src = "".join(tokens[j].text for j in range(p.tok[0], p.tok[-1] + 1))
            words.append(WordInfo(first.start, tokens[p.tok[-1]].end, src, out, float(c)))
    for i, outs in pieces.items():
        out_text[i] = " ".join(outs)
    result = "".join(out_text)
    if style == "new":
        result = normalize_tone_placement(result, "new")
    words.sort(key=lambda w: w.start)
    return TextResult(result, "repair", words, notes)


def repair(
    text: str,
    *,
    confidences: dict[tuple[int, int], float] | None = None,
    style: str = "old",
    profile: str | None = None,
) -> str:
    """Repaired text (see `repair_detailed`)."""
    return repair_detailed(text, confidences=confidences, style=style, profile=profile).text
