"""Diacritic restoration: stripped (or partly stripped) Vietnamese in, fully accented text out.

Only WORD tokens change (plus stripped abbreviations, via `abbrev`); every other character is
copied, so lines, numbers, document symbols, dates, e-mails and URLs survive. Each sentence is
decoded as a whole with the trigram LM over the candidates of every word:

- a word without marks may become any corpus spelling that folds to it;
- a word that already has marks keeps them unless the LM is very sure (alternatives that only add
  marks pay `ADD_MARKS_PENALTY`, ones that contradict the marks pay `CONFLICT_PENALTY`);
- unknown and foreign words are left alone; case is carried over letter by letter;
- words glued by `/`, `:` or `.` (`va/hoac`, `hieu luc:01/01/2023`) are restored like any word,
  document symbols and dates are not;
- a line-initial `d)` right after a `d)` item is `đ)` (a, b, c, d, đ, e...): document context
  that the sentence decoder cannot see.

With an order-4 model (`train-lm --order 4`) the trigram lattice is pruned and rescored by
`viterbi4`; on the dev split it did not beat the trigram decoder, so the shipped model is order 3.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..resources import comma_ratio, comma_words
from .abbrev import is_protected, restore_abbreviation, restore_symbol
from .candidates import Candidates, get_candidates
from .decoder import viterbi, viterbi4, viterbi_many
from .doccache import DocCache
from .lm import BOS, EOS, NgramLM, get_lm, is_roman_numeral, segments, token_unit, word_unit
from .phrases import office_pins
from .places import place_pins
from .result import TextResult, WordInfo
from .syllable import (
    TONE_STYLES,
    fold,
    is_valid_syllable,
    nfc,
    normalize_tone_placement,
    strip_tone,
    transfer_case,
)
from .tokens import Kind, Token, acronyms, comma_after, folded_before, tokenize
from .wordbonus import pair_bonus

__all__ = ["restore", "restore_detailed", "RestoreConfig"]


@dataclass(frozen=True, slots=True)
class RestoreConfig:
    """Decoding knobs (tuned on a dev split of training documents, never on the benchmark)."""

    max_candidates: int = 10  # per word, by prior (8 cut `đới`, 9th of `doi`: `nhiệt đối`)
    min_log_prior: float = -4.0  # drop spellings 10^4 times rarer than the folded form's total
    prior_weight: float = 0.2  # weight of log P(accented | folded) added to the LM
    add_marks_penalty: float = -1.5
    conflict_penalty: float = -5.0
    chunk: int = 150  # positions per Viterbi call; longer sentences are decoded in chained chunks
    split_glued: bool = True  # restore words glued by `/`, `:` or `.` (`va/hoac`, `1.va`)
    list_markers: bool = True  # `d)` after a `d)` item becomes `đ)` (document context)
    valid_only: bool = True  # drop phonotactically invalid spellings when a valid one exists
    use_order4: bool = True  # with a 4-gram model: trigram-pruned lattice rescored by 4-gram Viterbi
    margin: float = 3.0  # log10 max-marginal margin of the candidates kept for the 4-gram pass
    max_keep: int = 4
    conf_temperature: float = 3.5  # calibration of the reported confidence (see `calibrate`)
    word_bonus: float = 0.5  # log10 bonus for a candidate pair that is a dictionary word (0: off)
    acronyms: bool = True  # capitals alone in a line of small letters are kept (`tokens.acronyms`)
    doc_cache: bool = True  # second pass: low-confidence words take the document's own readings
    cache_high: float = 0.95  # first-pass confidence that makes a reading the document's
    cache_low: float = 0.9  # words below this are decoded again with the cache's bonus
    cache_weight: float = 1.0  # log10 bonus for a reading that is all of the cached readings
    comma_words: bool = True  # a word a comma follows takes the comma's evidence (`resources.comma_words`)


DEFAULT = RestoreConfig()


def _marks_subset(src: str, cand: str) -> bool:
    """True when every mark of `src` is also on `cand` (same letters once folded)."""
    for s, c in zip(src, cand, strict=False):
        if s == c or s.isascii():
            continue
        if strip_tone(s) != s:  # s has a tone: cand must carry the same character
            return False
        if strip_tone(c) != s:  # shape mark (ă â ê ô ơ ư đ) must survive, any tone on top
            return False
    return True


@lru_cache(maxsize=100_000)
def _word_lattice(lower: str, cands: Candidates, cfg: RestoreConfig) -> list[tuple[str, float]]:
    """Candidate units with emissions for one lower-case, old-style word."""
    folded = fold(lower)
    forms = cands.for_toneless(folded)
    if not forms:
        return [(lower, 0.0)]
    if cfg.valid_only:  # `hoac`, `luc`: corpus typos that break phonotactics (stop coda, no tone)
        forms = [(u, p) for u, p in forms if is_valid_syllable(u)] or forms
    best = forms[0][1]
    kept = [(u, p) for u, p in forms[: cfg.max_candidates] if p >= best + cfg.min_log_prior]
    if lower == folded:
        return [(u, cfg.prior_weight * p) for u, p in kept]
    out = [(lower, 0.0)]
    for u, p in kept:
        if u == lower:
            continue
        pen = cfg.add_marks_penalty if _marks_subset(lower, u) else cfg.conflict_penalty
        out.append((u, pen + cfg.prior_weight * p))
    return out


_PIECE = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+|[^\w]+|_+")


def _split_glued(toks: list[Token], cands: Candidates) -> list[Token]:
    """Split symbols that are words glued by punctuation (`va/hoac`, `luc:01/01/2023`, `1.va`).

    The tokenizer keeps a chunk with `:`, `.` or digits whole (dates, document symbols), and one
    with `/` unless all its pieces are syllables (`va/hoac` it splits itself); when the letter runs
    are lower-case or capitalised syllables the candidates know (no abbreviation such as `UBND`),
    they are words to restore, so they become WORD tokens between NUMBER and PUNCT pieces.
    """
    out: list[Token] = []
    for t in toks:
        if t.kind != Kind.SYMBOL or "@" in t.text or "://" in t.text or t.text.lower().startswith("www."):
            out.append(t)
            continue
        pieces = [(m.group(), m.start()) for m in _PIECE.finditer(t.text)]
        letters = [p for p, _ in pieces if p[0].isalpha()]
        if (
            not letters
            or any((len(p) > 1 and p.isupper()) or not (p[1:].islower() or len(p) == 1) for p in letters)
            or not any(fold(p.lower()) in cands for p in letters)
        ):
            out.append(t)
            continue
        for p, off in pieces:
            kind = Kind.WORD if p[0].isalpha() else Kind.NUMBER if p[0].isdigit() else Kind.PUNCT
            out.append(Token(p, kind, t.start + off))
    return out


def _render(src: str, unit: str, style: str) -> str:
    out = unit if style == "old" else normalize_tone_placement(unit, style)
    if len(out) != len(src):
        return src
    return transfer_case(src, out)


def _lattice(
    toks: Sequence[Token],
    idx: list[int],
    cands: Candidates,
    cfg: RestoreConfig,
    pins: dict[int, str],
    cache: DocCache | None = None,
    redo: frozenset[int] = frozenset(),
) -> list[list[tuple[str, float]]]:
    """Candidates and emissions for each token index of one sentence (`redo`: the token indices
    whose candidates take the document cache's bonus)."""
    lattice: list[list[tuple[str, float]]] = []
    for i in idx:
        t = toks[i]
        if i in pins:  # an official unit name after its level word
            lattice.append([(word_unit(pins[i]), 0.0)])
        elif t.kind == Kind.WORD and not is_protected(t.text) and not is_roman_numeral(t.text):
            cands_i = _word_lattice(word_unit(t.text), cands, cfg)
            if cfg.comma_words and len(cands_i) > 1 and comma_after(toks, i) is not None:
                ratios = comma_words()
                cands_i = [(u, e + comma_ratio(ratios, folded_before(toks, i), u)) for u, e in cands_i]
            if cache is not None and i in redo:
                cands_i = [(u, e + cache.bonus(u, cfg.cache_weight)) for u, e in cands_i]
            lattice.append(cands_i)
        else:
            lattice.append([(token_unit(t) or EOS, 0.0)])
    return lattice


def _decode(
    lattices: list[list[list[tuple[str, float]]]], lm: NgramLM, cfg: RestoreConfig
) -> list[tuple[list[str], list[float]]]:
    """Chosen unit and confidence for each position of each sentence's lattice.

    Sentences of up to `cfg.chunk` positions are decoded together (`viterbi_many`); longer ones in
    chained chunks, each chunk's history the previous chunk's last choices.
    """
    pairs = pair_bonus(lm, cfg.word_bonus) if cfg.word_bonus else None
    four = cfg.use_order4 and lm.order >= 4
    out: list[tuple[list[str], list[float]]] = [([], [])] * len(lattices)
    short = [k for k, lat in enumerate(lattices) if len(lat) <= cfg.chunk] if not four else []
    for k, (best, conf) in zip(
        short, viterbi_many([lattices[k] for k in short], lm, pairs=pairs), strict=True
    ):
        out[k] = ([lattices[k][j][b][0] for j, b in enumerate(best)], conf)
    done = set(short)
    for k, lattice in enumerate(lattices):
        if k in done:
            continue
        units: list[str] = []
        confs: list[float] = []
        for s in range(0, len(lattice), cfg.chunk):
            part = lattice[s : s + cfg.chunk]
            last = s + cfg.chunk >= len(lattice)
            left = ([BOS] * 3 + units)[-3:]
            if four:
                best, conf = viterbi4(
                    part, lm, left=left, right_end=last, margin=cfg.margin, max_keep=cfg.max_keep
                )
            else:
                best, conf = viterbi(part, lm, left=(left[1], left[2]), right_end=last, pairs=pairs)
            units.extend(part[j][b][0] for j, b in enumerate(best))
            confs.extend(conf)
        out[k] = (units, confs)
    return out


def calibrate(conf: float, temperature: float) -> float:
    """The decoder's local posterior, its log-odds divided by `temperature`, rounded to 4 places.

    A trigram model is overconfident between close readings (`sở`/`số`, `úng`/`ứng`): at the
    reporting threshold of 0.6 (`TextResult.low_confidence`) it flagged only 36 % of the in-domain
    errors. 3.5 moves that threshold to a raw posterior of about 0.8, which flags 55 % of them (chosen
    on the in-domain set; the held-out topics and the hand-written prose measure it). Decoding and
    the document cache use the raw posterior; only the reported confidence changes.
    """
    if conf >= 1.0 or temperature == 1.0:
        return round(conf, 4)
    if conf <= 0.0:
        return 0.0
    logit = math.log(conf / (1.0 - conf)) / temperature
    return round(1.0 / (1.0 + math.exp(-logit)), 4)


def restore_detailed(
    text: str,
    *,
    style: str = "keep",
    lm: NgramLM | None = None,
    candidates: Candidates | None = None,
    config: RestoreConfig = DEFAULT,
) -> TextResult:
    """Restore diacritics; `words` lists every WORD token (offsets into the NFC input)."""
    if style not in TONE_STYLES:
        raise ValueError(f"style must be one of {TONE_STYLES}, got {style!r}")
    text = nfc(text)
    if not text.strip():
        return TextResult(text, "restore")
    lm = lm or get_lm()
    cands = candidates or get_candidates()
    toks = tokenize(text)
    if config.split_glued:
        toks = _split_glued(toks, cands)
    out = [t.text for t in toks]
    words: list[WordInfo] = []
    pins = place_pins(toks)
    pins |= {i: w for i, w in office_pins(toks).items() if i not in pins}  # `Sở KH&CN`, not `Số`
    if config.acronyms:  # kept as written: `thuế VAT`, not `VẬT` (see `tokens.acronyms`)
        pins |= {i: toks[i].text.lower() for i in acronyms(toks) if i not in pins}
    segs = segments(toks)
    decoded = _decode([_lattice(toks, idx, cands, config, pins) for idx in segs], lm, config)
    if config.doc_cache:
        decoded = _cache_pass(toks, segs, decoded, lm, cands, config, pins)
    for idx, (units, confs) in zip(segs, decoded, strict=True):
        for i, unit, conf in zip(idx, units, confs, strict=True):
            t = toks[i]
            if t.kind == Kind.WORD:
                if is_protected(t.text):
                    new = t.text
                elif unit == word_unit(t.text) and fold(unit) not in cands:
                    new = normalize_tone_placement(t.text, style)  # unknown word: marks as given
                elif t.text[1:].islower() or t.text.isupper() or t.text.islower():
                    new = _render(t.text, unit, style)
                elif len(t.text) > 3 and fold(t.text.lower()) in cands:
                    new = _render(t.text, unit, style)  # OCR case noise (`tIEn`, `chUC`), not `TTr`
                else:
                    new = restore_abbreviation(t.text, cands)  # mixed case: QyD, TTr, CTr
                out[i] = new
                words.append(WordInfo(t.start, t.end, t.text, new, calibrate(conf, config.conf_temperature)))
            elif t.kind == Kind.ABBR:
                new = restore_abbreviation(t.text, cands)
                if new != t.text:
                    out[i] = new
                    words.append(WordInfo(t.start, t.end, t.text, new, 1.0))
            elif t.kind == Kind.SYMBOL:
                new = restore_symbol(t.text, cands)
                if new != t.text:
                    out[i] = new
                    words.append(WordInfo(t.start, t.end, t.text, new, 1.0))
    if config.list_markers:
        _fix_list_markers(toks, out, words)
    return TextResult("".join(out), "restore", words)


def _cache_pass(
    toks: Sequence[Token],
    segs: list[list[int]],
    decoded: list[tuple[list[str], list[float]]],
    lm: NgramLM,
    cands: Candidates,
    cfg: RestoreConfig,
    pins: dict[int, str],
) -> list[tuple[list[str], list[float]]]:
    """Decode again the sentences with low-confidence words the document spells elsewhere, and with
    words whose folded form the document printed, marks and all, as another reading."""
    cache = DocCache(lambda folded: (cands.for_toneless(folded) or [(None, 0.0)])[0][0])
    for idx, (units, confs) in zip(segs, decoded, strict=True):
        printed = [toks[i].kind == Kind.WORD and fold(toks[i].text) != toks[i].text for i in idx]
        chosen = [word_unit(toks[i].text) if p else u for i, u, p in zip(idx, units, printed, strict=True)]
        cache.collect(chosen, confs, printed, cfg.cache_high)
    out = list(decoded)
    again: list[int] = []
    lattices: list[list[list[tuple[str, float]]]] = []
    for k, (idx, (units, confs)) in enumerate(zip(segs, decoded, strict=True)):
        redo = frozenset(
            i
            for i, u, c in zip(idx, units, confs, strict=True)
            if toks[i].kind == Kind.WORD
            and i not in pins
            and (c < cfg.cache_low and cache.knows(u) or cache.contradicts(u))
        )
        if redo:
            again.append(k)
            lattices.append(_lattice(toks, idx, cands, cfg, pins, cache, redo))
    for k, result in zip(again, _decode(lattices, lm, cfg), strict=True):
        out[k] = result
    return out


def _fix_list_markers(toks: Sequence[Token], out: list[str], words: list[WordInfo]) -> None:
    """`d)` right after a `d)` item is `đ)`, and right after `c)` it is `d)` (a, b, c, d, đ, e...).

    Only line-initial one-letter markers followed by `)` count; the previous marker of the same
    document is the context the sentence decoder cannot see.
    """
    prev = ""
    info = {w.start: k for k, w in enumerate(words)}
    for i, t in enumerate(toks):
        if t.kind != Kind.WORD or len(t.text) != 1 or i + 1 >= len(toks):
            continue
        if not toks[i + 1].text.startswith(")"):
            continue
        j = i - 1
        while j >= 0 and (
            toks[j].kind == Kind.SPACE and "\n" not in toks[j].text or toks[j].text in "-+*•–—("
        ):
            j -= 1
        if j >= 0 and not (toks[j].kind == Kind.SPACE and "\n" in toks[j].text):
            continue  # not at the start of a line
        cur = out[i]
        if fold(cur).lower() == "d" and prev in ("c", "d", "đ"):
            new = ("đ" if prev != "c" else "d") if cur.islower() else ("Đ" if prev != "c" else "D")
            if new != cur and t.text in "dD":
                out[i] = new
                k = info.get(t.start)
                if k is not None:
                    words[k] = WordInfo(t.start, t.end, t.text, new, words[k].confidence)
        prev = out[i].lower()


def restore(text: str, *, style: str = "keep") -> str:
    """Put the diacritics back: `restore("Uy ban nhan dan")` -> "Ủy ban nhân dân"."""
    return restore_detailed(text, style=style).text
