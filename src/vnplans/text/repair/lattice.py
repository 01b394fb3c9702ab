"""The decoding lattice: one position per token (its candidate readings with emission scores), fixed
positions for numerals and pinned names, and the split/merge moves that reshape it before Viterbi."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ...resources import comma_ratio, comma_words
from ..channel import K_CANDIDATES, Channel, syllable_candidates
from ..lm import token_unit
from ..syllable import fold, is_valid_syllable, normalize_tone_placement, strip_tone
from ..tokens import Kind, Token, comma_after, folded_before
from .abbrevs import is_known_abbreviation, repair_abbreviation
from .scan import chapter_numeral, is_roman, line_start, marker_follows, numeral_unit, roman_ocr_form

SPLIT_MARGIN, SPLIT_MARGIN_WORD = 1.0, 0.0  # log10: a split's lead over the token kept whole
KEEP_UNK = -4.5  # emission of keeping an unknown word-like token as it is (LM sees <unk>)
CHANNEL_WEIGHT = 1.0
DOUBTED_CONF = 40.0  # Tesseract word confidence (%) below which `vie` words are wrong 7 times in 10
UNSURE_FRAGMENT_CONF = 10.0  # below this Tesseract had no reading of the word at all: try it as a fragment
IMPLAUSIBLE = -7.0  # log10 P of a word's two LM steps (into it, out of it) below which it is doubted
WIDE_LIMIT = 48  # readings an `eng` word its neighbours reject is given (`widen`; K_CANDIDATES else)
WIDEN_GAIN = 2.0  # log10 by which a reading one letter away must beat it there (`widen`)
SURE_CONF = 90.0  # Tesseract word confidence (%) at and above which a real syllable is `sure_word`
SURE_CHANGE = 0.75  # the decoder's posterior below which such a word is not changed (`sure_word`)


@dataclass
class Pos:
    tok: list[int]  # input token indices this position covers (several when fragments merge)
    cands: list[tuple[str, float]]  # (LM unit, emission log10)
    outs: list[str]  # output text per candidate (lower case); '' = keep the source as it is
    piece: str  # observed text this position reads (for case transfer)
    fixed: bool = False  # a Roman numeral or list marker: never split, merged or rewritten


def unit_of(tok: Token) -> str:
    """The LM unit training gave this token (Roman numerals are `<roman>` there)."""
    return token_unit(tok) or tok.text.lower()


def word_like(text: str, kind: Kind) -> bool:
    if len(text) == 1 and kind == Kind.MIXED:
        return True  # a lone glyph `_glue_glyphs` found standing as a word
    if len(text) == 1 and not is_valid_syllable(text):
        return False  # list markers (`b)`) and stray letters: too little evidence to rewrite
    if kind in (Kind.WORD, Kind.ABBR):
        return len(text) <= 9
    if kind == Kind.MIXED:
        digits = sum(c.isdigit() for c in text)
        odd = sum(not c.isalnum() for c in text)  # glyphs glued in by `_glue_glyphs`
        return len(text) <= 7 and digits <= 2 and (digits + odd < len(text) or odd > 0 < digits)
    return False


def doubted(profile: str, conf: float | None) -> bool:
    """A `vie` word Tesseract itself doubts: its candidates are searched one letter further."""
    return profile == "vie" and conf is not None and conf < DOUBTED_CONF


def sure_word(
    tok: Token, chosen: str, posterior: float, confidences: dict[tuple[int, int], float] | None
) -> bool:
    """A word to keep as read (the rule `sure_words`): Tesseract was sure of it, it is a real syllable,
    and the decoder's other reading won only narrowly. On the dev pages and 30 tuning pages of dev
    documents, changing such words had undone right readings (`chứng chỉ` read in a table header's
    scrambled order, decoded `chứng chi` at 0.51); the changes the decoder is sure of stay (keeping every
    sure real syllable as read: 105 -> 243 syllable errors there)."""
    if tok.kind != Kind.WORD or posterior >= SURE_CHANGE:
        return False
    low = tok.text.lower()
    if chosen == low or not is_valid_syllable(low):
        return False
    conf = conf_for(tok, confidences)
    return conf is not None and conf >= SURE_CONF


def conf_for(tok: Token, confidences: dict[tuple[int, int], float] | None) -> float | None:
    if not confidences:
        return None
    c = confidences.get((tok.start, tok.end))
    if c is not None:
        return c
    for (s, e), v in confidences.items():
        if s <= tok.start and tok.end <= e:
            return v
    return None


def word_position(
    channel: Channel,
    obs: str,
    kind: Kind,
    profile: str,
    conf: float | None,
    toks: list[int],
    reach: int | None = None,
    limit: int = K_CANDIDATES,
) -> Pos:
    if kind == Kind.ABBR and strip_tone(obs) != obs:
        kind = Kind.WORD  # a tone mark (`VÀDU`): words OCR glued, never an abbreviation
    cands: list[tuple[str, float]] = []
    outs: list[str] = []
    low = obs.lower()
    # `vie` keeps letters, so its search is tone slips only; a word Tesseract itself doubts is as
    # likely to have a wrong letter (`tạn` for `hạn`): search one letter further
    if reach is None:
        reach = 1 if doubted(profile, conf) else 0
    for syl, lp in syllable_candidates(channel, obs, profile, limit=limit, reach=reach):
        e = CHANNEL_WEIGHT * lp
        if conf is not None:
            e += channel.conf_adjust(conf, syl == low, profile)
        cands.append((syl, e))
        outs.append(syl)
    if kind == Kind.ABBR and is_known_abbreviation(obs, channel):
        return Pos(toks, [(fold(obs).upper(), 0.0)], [obs], obs)
    if kind == Kind.ABBR:
        fixed = repair_abbreviation(obs, channel, profile)
        cands.append((fold(fixed).upper(), -0.5 if len(obs) > 3 else -2.0))
        outs.append(fixed)
    elif low not in set(outs):
        unit = "<sym>" if kind == Kind.MIXED else "<unk>"
        cands.append((unit, KEEP_UNK))
        outs.append("")
    return Pos(toks, cands, outs, obs)


def roman_position(tokens: list[Token], i: int, line_upper: bool) -> Pos | None:
    """A fixed lattice position for a Roman numeral that must pass through unchanged (or an obvious
    OCR form of one at the start of a heading line, normalised); None when the token is ordinary."""
    tok = tokens[i]
    t = tok.text
    if (chapter := chapter_numeral(tokens, i)) is not None:
        return Pos([i], [(numeral_unit(chapter), 0.0)], [chapter], t, fixed=True)
    heading = line_start(tokens, i) and marker_follows(tokens, i)
    if is_roman(t):
        # `VI`, `XI`, `I` are also syllables: in an all-caps line (`ĐƠN VỊ`) the LM decides
        if is_valid_syllable(t.lower()) and line_upper and not heading:
            return None
        return Pos([i], [(unit_of(tok), 0.0)], [""], t, fixed=True)
    if heading and line_upper:
        norm = roman_ocr_form(t)
        if norm is not None:
            return Pos([i], [(numeral_unit(norm), 0.0)], [norm], t, fixed=True)
    return None


def _unsure(tok: Token, confidences: dict[tuple[int, int], float] | None) -> bool:
    """Tesseract gave the word no confidence (asked only of a token whose readings look fine: the
    lookup may scan the whole confidence table)."""
    c = conf_for(tok, confidences)
    return c is not None and c < UNSURE_FRAGMENT_CONF


def _local_lm(lm, units: list[str]) -> float:
    """log10 P of units[2:] given the two units before (a short window around a decision)."""
    ids = lm.ids(units)
    if len(ids) < 3:
        return 0.0
    return float(lm.score(ids[:-2], ids[1:-1], ids[2:]).sum())


def _local_lms(lm, prev2: str, prev1: str, units: list[str], nxt: str) -> list[float]:
    """`_local_lm(lm, [prev2, prev1, u, nxt])` for every `u` of `units`, in one query of the model
    (a word's 20-40 readings one query each were a third of `widen`'s time)."""
    us = lm.ids(units)
    p2, p1, z = (np.full(us.size, i, dtype=np.int64) for i in lm.ids([prev2, prev1, nxt]))
    # per reading, the trigram ending on it and the one after it, summed as `_local_lm` sums them
    s = lm.score(np.concatenate([p2, p1]), np.concatenate([p1, us]), np.concatenate([us, z]))
    return (s[: us.size] + s[us.size :]).tolist()


def _split_margin(a: Pos, b: Pos) -> float:
    """How much better a split must score than the token kept whole: less where its two readings make
    a two-syllable dictionary word (`Địađiếm` -> `Địa điểm`, a bold table head's lost space) than
    where they are two syllables the LM merely likes."""
    from .pairs import is_word  # here: `pairs` builds on this module's `Pos`

    return SPLIT_MARGIN_WORD if is_word(a.cands[0][0], b.cands[0][0]) else SPLIT_MARGIN


def _top_unit(p: Pos | None, default: str) -> str:
    return p.cands[0][0] if p is not None else default


def resegment(
    positions: list[Pos],
    tokens: list[Token],
    channel: Channel,
    profile: str,
    lm,
    off: frozenset[str] = frozenset(),
    confidences: dict[tuple[int, int], float] | None = None,
    unspaced: Callable[[int, int], bool] | None = None,
    again: bool = False,
) -> list[Pos]:
    """Split tokens that read as two syllables and merge fragments that read as one, when the
    channel (with its learned merge/split rates) and the local LM context agree. The three moves are
    the rules `merge_fragments`, `split_roman` and `split_syllables`; names in `off` are skipped.
    `unspaced(start, end)`: the scan shows no space inside the token, so the print glued it and it
    is not split (`ocr.spacing`).
    A token is tried for a merge (and, three letters or more, a split) when its own readings are poor,
    or when Tesseract gave it no confidence (below `UNSURE_FRAGMENT_CONF`): a broken italic `Th` read
    `TI` reads well as a word (`TY`) and only the merge with what follows (`TI hương` -> `Thương`)
    fits its neighbours.
    `again`: a second pass once something was split, for the tokens still whole beside it: two glued
    tokens side by side (`Địađiếm tốchức`) were each judged beside the other's `<unk>`, which the LM
    finds cheap, and stayed whole; beside the split words they read as two. Only splits are retried:
    a position that is already a split's half or a merge stays as it is."""
    prof = channel.profiles[profile]
    out: list[Pos] = []
    i = 0
    n = len(positions)
    while i < n:
        p = positions[i]
        tok = tokens[p.tok[0]]
        single = max((e for _, e in p.cands), default=-99.0)
        if again and (len(p.tok) != 1 or split_half(p, tokens)):
            out.append(p)
            i += 1
            continue
        if p.fixed:
            out.append(p)
            i += 1
            continue
        weak = (
            len(p.tok) == 1 and word_like(tok.text, tok.kind) and (single < -1.5 or _unsure(tok, confidences))
        )
        prev2 = _top_unit(out[-2] if len(out) > 1 else None, "<s>")
        prev1 = _top_unit(out[-1] if out else None, "<s>")
        nxt = _top_unit(positions[i + 1] if i + 1 < n else None, "</s>")
        # merge with the next fragment (`th uc` for `thực`)
        if weak and i + 1 < n and "merge_fragments" not in off and not again:
            q = positions[i + 1]
            qt = tokens[q.tok[0]]
            gap = tokens[p.tok[0] + 1 : q.tok[0]]
            if (
                len(q.tok) == 1
                and not q.fixed
                and word_like(qt.text, qt.kind)
                and len(gap) == 1
                and gap[0].kind == Kind.SPACE
                and "\n" not in gap[0].text
            ):
                joined = tok.text + qt.text
                mp = word_position(channel, joined, Kind.WORD, profile, None, [*p.tok, q.tok[0]])
                mp.piece = tok.text + gap[0].text + qt.text  # kept as read (space too) if LM keeps it
                nxt2 = _top_unit(positions[i + 2] if i + 2 < n else None, "</s>")
                s_merge = mp.cands[0][1] + prof.split_lp + _local_lm(lm, [prev2, prev1, mp.cands[0][0], nxt2])
                q_best = max(e for _, e in q.cands)
                s_keep = single + q_best + _local_lm(lm, [prev2, prev1, p.cands[0][0], q.cands[0][0], nxt2])
                if mp.outs[0] and s_merge > s_keep + 1.0:
                    out.append(mp)
                    i += 2
                    continue
        # a syllable with a Roman numeral glued on (`QUYII` for `QUÝ II`): split, numeral kept
        t = tok.text
        if (
            len(p.tok) == 1
            and t.isupper()
            and t.isalpha()
            and not is_valid_syllable(t.lower())
            and "split_roman" not in off
            and not again
        ):
            s_keep = single + _local_lm(lm, [prev2, prev1, p.cands[0][0], nxt])
            best_split = None
            for k in range(1, min(4, len(t) - 2) + 1):
                a, b = t[:-k], t[-k:]
                if not is_roman(b) or not is_valid_syllable(fold(a).lower()):
                    continue
                pa = word_position(channel, a, Kind.WORD, profile, None, p.tok)
                b_unit = numeral_unit(b)
                pb = Pos(p.tok, [(b_unit, 0.0)], [""], b, fixed=True)
                if not pa.outs[0]:
                    continue
                # the learned rate of a one-letter word glued to its neighbour (`QUYI`), else merges
                glue = getattr(prof, "merge_short_lp", None) or prof.merge_lp
                sc = max(
                    e + glue + _local_lm(lm, [prev2, prev1, u, b_unit, nxt])
                    for u, e in pa.cands[:4]
                    if not u.startswith("<")
                )
                if best_split is None or sc > best_split[0]:
                    best_split = (sc, pa, pb)
            if best_split is not None and best_split[0] > s_keep + 0.5:
                out.extend(best_split[1:])
                i += 1
                continue
        # split into two syllables (`QUYI` for `QUÝ I`)
        if (
            weak
            and len(tok.text) >= 3
            and "split_syllables" not in off
            and not (unspaced is not None and unspaced(tok.start, tok.end))
        ):
            best_split = None
            s_keep = single + _local_lm(lm, [prev2, prev1, p.cands[0][0], nxt])
            for k in range(1, len(tok.text)):
                a, b = tok.text[:k], tok.text[k:]
                if not (any(c.isalpha() for c in a) and any(c.isalpha() for c in b)):
                    continue
                pa = word_position(channel, a, Kind.WORD, profile, None, p.tok)
                pb = word_position(channel, b, Kind.WORD, profile, None, p.tok)
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
            if best_split is not None and best_split[0] > s_keep + _split_margin(
                best_split[1], best_split[2]
            ):
                out.extend(best_split[1:])
                i += 1
                continue
        out.append(p)
        i += 1
    return out


def before_commas(positions: list[Pos], tokens: list[Token], out_text: list[str]) -> None:
    """The rule `comma_words`: a word a comma follows (`tỉnh,`, `tỉnh ,`) gets the comma's evidence
    on each reading (`resources.comma_words`), which the LM, skipping punctuation, never sees: `tỉnh`
    ends an item before a comma 18 times as often as `tính`. A comma dropped as dust gives none."""
    ratios = comma_words()
    for k, p in enumerate(positions):
        if p.fixed or len(p.cands) < 2 or tokens[p.tok[0]].kind != Kind.WORD:
            continue  # one reading only, or no word as read (`G7,` is no `Ga,`: the restorer's rule too)
        if k + 1 < len(positions) and positions[k + 1].tok[0] == p.tok[-1]:
            continue  # a split's first half: its second half meets the comma
        j = comma_after(tokens, p.tok[-1])
        if j is not None and out_text[j] == ",":
            prev = folded_before(tokens, p.tok[0])
            p.cands = [(u, e + comma_ratio(ratios, prev, u)) for u, e in p.cands]


def split_half(p: Pos, tokens: list[Token]) -> bool:
    """A position that reads part of its token: one half of a split (`resegment`)."""
    return len(p.tok) == 1 and not p.fixed and p.piece != tokens[p.tok[0]].text


def _fits(lm, around: list[str]) -> tuple[list[str], np.ndarray]:
    """The units with sentence ends, and every position's reading between its neighbours' (the LM's
    two steps into and out of it), in one query."""
    units = ["<s>", "<s>", *around, "</s>"]
    ids = lm.ids(units)
    n = len(around)
    fit = lm.score(ids[0:n], ids[1 : n + 1], ids[2 : n + 2]) + lm.score(
        ids[1 : n + 1], ids[2 : n + 2], ids[3 : n + 3]
    )
    return units, fit


def widen(
    positions: list[Pos],
    tokens: list[Token],
    channel: Channel,
    profile: str,
    lm,
    confidences: dict[tuple[int, int], float] | None,
) -> None:
    """The rule `context_letters`: a `vie` word its neighbours reject is searched one letter further.

    `vie` keeps letters, so a word Tesseract was sure of gets tone and shape readings only; on worn
    print it still swaps a letter (`quyền hạn xà cơ cấu` for `và`), and nothing then offers the
    word. Where every reading of a word is implausible between its neighbours (the LM's two steps
    through it below `IMPLAUSIBLE`), and a reading one letter away is `WIDEN_GAIN` better there,
    the position gets the wider readings; Viterbi chooses among them as among any.

    `eng` searches letters away already, but keeps the `K_CANDIDATES` readings the channel likes best,
    and a final `ng` read as `nh` puts the word beyond them (`lanh` offered `lãnh`, `lạnh`, `hành`, ...,
    never `lãng`, 15th at -3.7, where the LM favoured `chống lãng phí` by 9 log10). Such a word gets
    `WIDE_LIMIT` readings, its neighbours taken as first decoded where any word is doubted: the
    channel's first readings of `eng` text are too often wrong themselves (`tiết kiểm chống`)."""
    if profile not in ("vie", "eng") or not positions:
        return
    units, fit = _fits(lm, [_top_unit(p, "<s>") for p in positions])
    if profile == "eng" and (fit < IMPLAUSIBLE).any():
        from ..decoder import viterbi

        first, _ = viterbi([p.cands for p in positions], lm)
        units, fit = _fits(lm, [p.cands[b][0] for p, b in zip(positions, first, strict=True)])
    for k in np.flatnonzero(fit < IMPLAUSIBLE):
        p = positions[k]
        tok = tokens[p.tok[0]]
        if p.fixed or len(p.tok) != 1 or tok.kind != Kind.WORD or not word_like(tok.text, tok.kind):
            continue
        conf = conf_for(tok, confidences)
        if doubted(profile, conf):
            continue  # searched that far already
        prev2, prev1, nxt = units[k], units[k + 1], units[k + 3]
        fits = _local_lms(lm, prev2, prev1, [u for u, _ in p.cands], nxt)
        if max(fits) >= IMPLAUSIBLE:
            continue
        here = max(e + lp for (_, e), lp in zip(p.cands, fits, strict=True))
        if profile == "vie":
            wide = word_position(channel, tok.text, tok.kind, profile, conf, p.tok, reach=1)
        else:
            wide = word_position(channel, tok.text, tok.kind, profile, conf, p.tok, limit=WIDE_LIMIT)
        wide_fits = _local_lms(lm, prev2, prev1, [u for u, _ in wide.cands], nxt)
        best = max(e + lp for (_, e), lp in zip(wide.cands, wide_fits, strict=True))
        if best > here + WIDEN_GAIN:
            p.cands, p.outs = wide.cands, wide.outs


def same_syllable(piece: str, chosen: str) -> bool:
    """`hoá` read where the LM spells `hóa`: one syllable with its tone mark placed in the other style.
    Both are correct, so with style `keep` the document keeps its own spelling."""
    low = piece.lower()
    return low != chosen and normalize_tone_placement(low) == normalize_tone_placement(chosen)


def without_dropped(tokens: list[Token], out_text: list[str], vie: list[bool]) -> list[Token]:
    """Tokens with the marks (and specks read as letters) already dropped as dust read as spaces, so
    a dust full stop no longer ends the sentence the LM decodes (`hoạt. động` was decoded as two
    sentences: `hoạt đồng`). Only on `vie` lines (`vie[i]` per token): in English-model OCR text the
    dropped marks still separate the words around them, and joining them lost rows of the parse
    benchmark's task tables (lead unit 0.73 -> 0.70)."""
    return [
        Token(" ", Kind.SPACE, t.start) if vie[i] and t.kind != Kind.SPACE and not out_text[i].strip() else t
        for i, t in enumerate(tokens)
    ]
