"""Noisy-channel repair of bad OCR text: English-model garble (`Péc lap`) and `vie` tone confusions.

For every word-like token we propose inventory syllables whose folded form is close (rapidfuzz on
folded forms, for recall), score them with the learned channel P(observed | syllable) and let the
trigram LM choose over whole sentences (`decoder.viterbi`). Tokens that read better as two
syllables (`QUYI` = `QUÝ I`) are split, two fragments that read as one syllable are merged, both
only when channel + local LM say so. Numbers, dates and document symbols pass through (their
abbreviation parts are mapped to known abbreviations: `QD-UBND` -> `QĐ-UBND`); isolated table
borders (`|`) are dropped with a note. Output tokens always come from input tokens, lines are kept;
the only marks added are ones OCR is known to lose (the stop of `.”.`, the dots of a gapped `...`).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from ..errors import ModelNotFound
from ..resources import dictionary_entries, two_syllable_words
from .channel import Channel, get_channel
from .lm import ROMAN, is_roman_numeral, token_unit, word_unit
from .places import place_pins
from .quality import is_skeleton
from .result import TextResult, WordInfo
from .syllable import GLYPH_TWINS, SAME_SHAPE_CAPITALS, fold, is_valid_syllable, nfc, normalize_tone_placement
from .tokens import Kind, Token, tokenize

__all__ = ["repair", "repair_detailed", "syllable_candidates", "detect_profile", "repair_abbreviation"]

K_CANDIDATES = 12  # readings per word, best channel + prior first
# ... plus the commonest words among the rest whose misreading is rare but possible: `năm` read `ném`
# ranked 15th, yet in `tháng 4 ném 2021` only the model can tell, if it is offered the reading
COMMON_EXTRA, COMMON_MIN_LP = 2, -5.0
KEEP_UNK = -4.5  # emission of keeping an unknown word-like token as it is (LM sees <unk>)
CHANNEL_WEIGHT = 1.0
_JUNK = set("|¦")
# dust specks read as a lone symbol between two words: `di tích ` lịch sử`, `gửi „ đến`. Never
# Vietnamese prose: about 3 per million characters of clean legal text (most of those OCR dust too)
_DUST = frozenset("`‹›„°*\\~^_")
_VIE_MARKS = set("ăâđêôơư")
_SPLIT_SEP = re.compile(r"([/\-.:])")
# Roman numerals as administrative texts use them (headings `II.`, `QUÝ III`, `lần thứ IX`).
_ROMAN = re.compile(r"^(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
_ROMAN_OCR = str.maketrans({"1": "I", "l": "I", "|": "I", "!": "I"})  # shapes eng prints for `I`
_UNSEEN_ABBR = -1.0  # log10 odds against an all-caps token being a new abbreviation, not garble
_DICT_ABBR_COUNT = 20  # pseudo-count of a curated dictionary abbreviation (the "known" threshold)


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


_SHAPES: dict[int, tuple[dict[str, str], frozenset[str]]] = {}
_NOT_GLYPH = set(".,;:!?()[]{}<>\"'“”‘’«»…|·•-–—/\\")


def _shapes(channel: Channel, profile: str = "eng") -> tuple[dict[str, str], frozenset[str]]:
    """Learned from the channel tables: the letter each non-letter glyph most likely stands for
    (`6` -> o, `1` -> l, `€` -> e, `&` -> a) and the set of non-alphanumeric glyphs OCR prints
    inside words (a token `ti€u` is a garbled word, not punctuation)."""
    key = id(channel)
    if key not in _SHAPES:
        best: dict[str, tuple[float, str]] = {}
        prof = channel.profiles.get(profile) or next(iter(channel.profiles.values()))
        for tab in (prof.chars, prof.upper):
            for c, segs in tab.items():
                if not c.isalpha():
                    continue
                for seg, lp in segs.items():
                    if len(seg) == 1 and not seg.isalpha() and lp > best.get(seg, (-99.0, ""))[0]:
                        best[seg] = (lp, fold(c).lower())
        shape = {g: c for g, (lp, c) in best.items() if lp >= -3.0}
        glyphs = frozenset(g for g in shape if not g.isalnum() and g not in _NOT_GLYPH)
        _SHAPES[key] = (shape, glyphs)
    return _SHAPES[key]


@lru_cache(maxsize=200_000)
def _cands_cached(ch_id: int, token: str, profile: str, limit: int) -> tuple[tuple[str, float, float], ...]:
    channel = _CH_BY_ID[ch_id]
    inv = _inventory(channel)
    low = token.lower()
    q = fold(low)
    dmax = _max_dist(q, profile)
    hits = process.extract(q, inv.keys, scorer=Levenshtein.distance, score_cutoff=dmax, limit=None)
    if any(not c.isalpha() for c in q):  # digits/glyphs for letters: search their learned letters too
        shape = _shapes(channel)[0]
        q2 = "".join(c if c.isalpha() else shape.get(c, c) for c in q)
        if q2 != q:
            seen = {h[0] for h in hits}
            more = process.extract(q2, inv.keys, scorer=Levenshtein.distance, score_cutoff=dmax, limit=None)
            hits.extend(h for h in more if h[0] not in seen)
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
    # the rest by prior alone (x[2] - x[1]), commonest first
    rest = sorted((x for x in scored[limit:] if x[1] >= COMMON_MIN_LP), key=lambda x: x[1] - x[2])
    return tuple(scored[:limit] + rest[:COMMON_EXTRA])


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
    """Abbreviation inventory: corpus counts (channel + LM candidate tables) plus the curated
    dictionary, whose entries count as at least `_DICT_ABBR_COUNT` occurrences."""
    table = dict(channel.abbreviations)
    try:
        from .candidates import get_candidates

        cands = get_candidates()
        for forms in cands._abbr.values():
            for form, n in forms:
                table[form] = max(table.get(form, 0), n)
    except ModelNotFound:  # not installed: an error, not a quieter repair
        raise
    except Exception:  # candidate tables not built yet: the channel's own counts suffice
        pass
    try:
        from .abbrev import load_abbreviations

        protected, unique = load_abbreviations()
        for form in {*protected, *(f for f in unique.values() if f)}:
            if len(form) >= 2 and form[0].isupper():
                table[form] = table.get(form, 0) + _DICT_ABBR_COUNT
    except Exception:  # no dictionary: corpus counts only
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
    if not token.isupper():
        return token  # mixed-case forms (`TTg`, `QyĐ`) are written on purpose
    try:  # fold-identical accented spelling the corpus makes unambiguous (QD -> QĐ)
        from .candidates import get_candidates

        accented = get_candidates().abbreviation(token)
        if accented and fold(accented) == fold(token):
            return accented
    except ModelNotFound:  # not installed: an error, not a quieter repair
        raise
    except Exception:  # no candidate tables: the channel's own counts below
        pass
    own = table.get(token, 0)
    if own >= 20 or len(token) < 3:
        return token  # known as written, or too short to tell garble from a real abbreviation
    # Keeping an unknown form means it is a new abbreviation that OCR read right; mapping it means
    # a known one (prior: its count) was garbled (the learned channel: `Đ` -> `P`/`DP`, ...).
    keep = math.log10((own + 0.5) / total) + (_UNSEEN_ABBR if own < 3 else 0.0)
    best, best_score = token, keep
    dmax = 1 if len(token) <= 4 else 2
    for cand, d, _ in process.extract(
        fold(token), keys, processor=fold, scorer=Levenshtein.distance, score_cutoff=dmax, limit=30
    ):
        if cand == token or table[cand] < 5:
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
    """Isolated `|` tokens on lines that are not markdown/pipe tables (those keep their pipes), and
    lone dust symbols between two words."""
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
    for i in range(2, len(tokens) - 2):
        t = tokens[i]
        if (
            t.kind != Kind.PUNCT
            or len(t.text) > 2
            or not set(t.text) & _DUST
            or not set(t.text) <= _DUST | {"-"}
        ):
            continue
        before, after = tokens[i - 1], tokens[i + 1]
        if (
            before.kind == after.kind == Kind.SPACE
            and "\n" not in after.text
            and _dust_between(tokens, i)
            and (tokens[i + 2].kind == Kind.WORD or _dust_before_number(tokens, i))
        ):
            out.add(i)
    for i in range(len(tokens)):
        if _line_end_speck(tokens, i) or _speck_before_marker(tokens, i):
            out.add(i)
    out.update(_dust_lines(tokens))
    return out


# dust that never opens a number: `Nghị định số „ 131/2021` (a degree sign follows its number)
_NUMBER_DUST = frozenset("„‹›`")
# specks a scan leaves after the mark closing a line (`trình độ; °`); `*` only when unpaired
_END_DUST = _DUST | frozenset("+!¡,;:'‘’")


def _dust_before_number(tokens: list[Token], i: int) -> bool:
    """A lone `„` (or `‹`, `›`, a backquote) between a word and a number or document symbol."""
    return tokens[i].text in _NUMBER_DUST and tokens[i + 2].kind in (Kind.NUMBER, Kind.SYMBOL)


def _is_break(t: Token) -> bool:
    """A space token holding a line break."""
    return t.kind == Kind.SPACE and "\n" in t.text


def _line_begin(tokens: list[Token], i: int) -> int:
    """Index of the first token of tokens[i]'s line."""
    j = i - 1
    while j >= 0 and not _is_break(tokens[j]):
        j -= 1
    return j + 1


def _ends_line(tokens: list[Token], i: int) -> bool:
    return i + 1 >= len(tokens) or _is_break(tokens[i + 1])


def _line_end_speck(tokens: list[Token], i: int) -> bool:
    """A lone letter or symbol ending a line after the mark that closes it: `trình độ; °`,
    `phương tiện. l`, `Nga). :`, `nghiệp; Á`, `an ninh, F`, `Nghị định +`. Per million characters of
    clean legal text a line ends in `; x` / `. x` (one letter) 2.4 times, mostly OCR noise itself, in
    one of these symbols after a closing mark 4.4 (markdown `*`, spared when paired, among them), in
    an upper-case letter after `, ` 0.2 (`chiến trường B, C, K`, hence the word before the comma must
    be a syllable), in a dust symbol after a word 1.6 (formulas ending in `+`)."""
    t = tokens[i]
    if len(t.text) != 1 or i < 2 or tokens[i - 1].text != " " or not _ends_line(tokens, i):
        return False
    left = tokens[i - 2]
    if t.kind == Kind.WORD:
        if left.text in (";", "."):
            return True
        return (
            left.text == ","
            and t.text.isupper()
            and i >= 3
            and tokens[i - 3].kind == Kind.WORD
            and len(tokens[i - 3].text) >= 2
        )
    if t.kind != Kind.PUNCT or t.text not in _END_DUST:
        return False
    if t.text == "*" and not _lone_star(tokens, i):
        return False  # markdown emphasis (`*Căn cứ ...;*`) pairs its stars
    if left.kind == Kind.PUNCT:
        return left.text[-1:] in ";.)" and (t.text not in ",;:'" or left.text[-1:] in ";.")
    return left.kind == Kind.WORD and t.text in _DUST | {"+", "!", "¡"}


def _lone_star(tokens: list[Token], i: int) -> bool:
    """No other `*` on the star's line nor opening the next one."""
    if any("*" in t.text for t in tokens[_line_begin(tokens, i) : i]):
        return False
    return i + 2 >= len(tokens) or not tokens[i + 2].text.startswith("*")


def _speck_before_marker(tokens: list[Token], i: int) -> bool:
    """A lone letter or mark opening a line before a numbered list marker (`l 8. Tổ chức`,
    `. 3. Đề xuất`): a line opening `x 8.` is 0.06 per million characters of clean legal text, `. 8.`
    or `: 8.` 0.2 (dashes, quotes and bullets before a number are real, and so are pipes of tables)."""
    t = tokens[i]
    if len(t.text) != 1 or i + 3 >= len(tokens) or not (t.kind == Kind.WORD or t.text in _END_DUST | {"."}):
        return False
    if t.text in "*'" or not _line_start(tokens, i) or t.text.isdigit():
        return False
    return (
        tokens[i + 1].text == " "
        and tokens[i + 2].kind == Kind.NUMBER
        and tokens[i + 3].text[:1] in ".)"
        and (i + 4 >= len(tokens) or tokens[i + 4].kind == Kind.SPACE)
    )


def _dust_lines(tokens: list[Token]) -> set[int]:
    """Lines of nothing but specks after a blank line (`-° -°`, `*`, `:`): a paragraph of only
    `° * „ : ; , '` is 0.7 per million characters of clean legal text (a lone `-` or `...` is a
    real placeholder there and stays)."""
    out: set[int] = set()
    i = 0
    n = len(tokens)
    while i < n:
        if i and not (tokens[i - 1].kind == Kind.SPACE and "\n\n" in tokens[i - 1].text):
            i += 1
            continue
        j = i
        line: list[int] = []
        while j < n and not _is_break(tokens[j]):
            if tokens[j].kind != Kind.SPACE:
                line.append(j)
            j += 1
        chars = "".join(tokens[k].text for k in line)
        if (
            line
            and len(chars) <= 4
            and all(tokens[k].kind == Kind.PUNCT for k in line)
            and set(chars) <= _DUST | set(":;,'-")
            and set(chars) - {"-", "_"}
        ):
            out.update(line)
        i = max(j, i + 1)
    return out


def _dust_between(tokens: list[Token], i: int) -> bool:
    """What stands before a lone dust symbol is a word (`tích ` lịch`), also across a line break
    (`gửi` / `„ đến`; a `*` opening a line is a bullet), or a comma (`nghiệp, ` tổ`)."""
    t, before, left = tokens[i], tokens[i - 1], tokens[i - 2]
    if "\n" in before.text:
        return left.kind == Kind.WORD and "*" not in t.text
    return left.kind == Kind.WORD or left.text in (",", ";")


_GLUED = frozenset("-._°`~*^")  # dust read as a mark between two words: never prose
_GLUED_PUNCT = frozenset(",;:")  # real punctuation that lost its space
_SPLIT_MARKS = frozenset({":", ".", "...", "…"})  # dust read between the syllables of one word


@lru_cache(maxsize=1)
def _colon_words() -> frozenset[str]:
    """Syllables a colon often follows before a lower-case word in clean legal text (`bao gồm: các`,
    `như sau: không`, `ví dụ: trường hợp`; 51% of all `word: word` colons there), from
    dictionaries/colon_words.txt (`python -m tools.colon_words`). After any other syllable such a
    colon is rarer than dust on a heavy scan (`khu: vui chơi`)."""
    try:
        return frozenset(nfc(w.strip()) for w in dictionary_entries("colon_words.txt"))
    except OSError:
        return frozenset()


def _attested(lm, left: Token, right: Token) -> bool:
    """The LM has seen `left right` as a pair (a joined pair like `các-bon` is a word, not dust)."""
    ul, ur = token_unit(left), token_unit(right)
    if ul is None or ur is None or ul not in lm.index or ur not in lm.index:
        return False
    a, b = lm.vocab_id(ul), lm.vocab_id(ur)
    pair = float(lm.score([a], [b])[0])
    return pair > max(-3.0, float(lm.uni_bow[a] + lm.uni_lp[b]))


def _one_word(left: Token, right: Token) -> bool:
    """`left right` is a two-syllable dictionary word (`doanh nghiệp`, `KẾ HOẠCH`)."""
    return f"{left.text.lower()} {right.text.lower()}" in two_syllable_words()


def _capital_word(left: Token, right: Token) -> bool:
    """`left right` in capitals is a two-syllable dictionary word (`KẾ HOẠCH`)."""
    words = left.kind == Kind.WORD and right.kind == Kind.WORD
    return words and left.text.isupper() and right.text.isupper() and _one_word(left, right)


def _stray_marks(tokens: list[Token], lm) -> dict[int, str]:
    """Dust on a scan that OCR reads as a mark glued to words: `Chính-phủ`, `vực.hàng`, `quy -hành`.

    A mark between two syllables the LM knows as a pair becomes a space (`,;:` keep themselves and
    get their space back); a mark stuck to the front of a word mid-sentence is dropped, and so is a
    full stop before a lower-case word, and `:`, `.` or `...` between the two syllables of a
    dictionary word (`doanh: nghiệp`, `KẾ.HOẠCH`). Capitalised right-hand words keep their hyphen
    (`Bà Rịa-Vũng Tàu`).
    """
    out: dict[int, str] = {}
    n = len(tokens)
    for i, t in enumerate(tokens):
        if t.kind != Kind.PUNCT or (len(t.text) != 1 and t.text not in _SPLIT_MARKS) or i == 0 or i + 1 >= n:
            continue
        prev, nxt = tokens[i - 1], tokens[i + 1]
        lower_next = nxt.kind == Kind.WORD and nxt.text.islower() and is_valid_syllable(nxt.text)
        if lower_next and prev.kind == Kind.WORD and is_valid_syllable(prev.text.lower()):
            if t.text in _SPLIT_MARKS and _one_word(prev, nxt):
                out[i] = " "
            elif t.text in _GLUED_PUNCT:
                out[i] = t.text + " "
            elif t.text in _GLUED and _attested(lm, prev, nxt):
                out[i] = " "
            continue  # glued on both sides: none of the rules below (they need a space) applies
        if t.text in _SPLIT_MARKS and _capital_word(prev, nxt):
            out[i] = " "  # `KẾ.HOẠCH`: the same in a heading
            continue
        if i < 2:
            continue
        after_word = prev.kind == Kind.SPACE and "\n" not in prev.text and tokens[i - 2].kind == Kind.WORD
        # `quy -hành`, `và :Xã hội`: a mark stuck to the front of a word, after a word and a space;
        # also at the start of a wrapped line (`sản` / `.phẩm`: 0.5 per million characters of clean text)
        wrapped = (
            prev.kind == Kind.SPACE
            and prev.text.count("\n") == 1
            and tokens[i - 2].kind == Kind.WORD
            and lower_next
            and (t.text in _GLUED_PUNCT | {"."} or t.text in _GLUED and tokens[i - 2].text[-1:].islower())
        )
        front = (
            wrapped
            or after_word
            and (
                (lower_next and t.text in _GLUED and tokens[i - 2].text[-1:].islower())
                or (
                    t.text in _GLUED_PUNCT | {"."}
                    and nxt.kind == Kind.WORD
                    and is_valid_syllable(nxt.text.lower())
                    and i + 2 < n
                )
            )
        )
        # `các sở, ban, ngành. huyện`: a sentence never ends before a lower-case word, also where a
        # table cell wraps (`ngành.` / `huyện`); a list marker (`a)`) on the next line is not a word
        false_stop = (
            t.text == "."
            and i + 2 < n
            and prev.kind == Kind.WORD
            and prev.text.islower()
            and is_valid_syllable(prev.text)
            and nxt.kind == Kind.SPACE
            and nxt.text.count("\n") <= 2
            and tokens[i + 2].kind == Kind.WORD
            and tokens[i + 2].text.islower()
            and is_valid_syllable(tokens[i + 2].text)
            and _plain_word_follows(tokens, i + 3, strict=nxt.text.count("\n") == 2)
        )
        # `doanh: nghiệp`, `hoạt. động`, `bổ... sung`: a mark never splits a word (in clean legal text
        # a dictionary word around `:` or `.` is 2 per million characters, mostly `label: value`)
        split_word = (
            t.text in _SPLIT_MARKS
            and i + 2 < n
            and prev.kind == Kind.WORD
            and nxt.kind == Kind.SPACE
            and nxt.text == " "
            and tokens[i + 2].kind == Kind.WORD
            and tokens[i + 2].text.islower()
            and _one_word(prev, tokens[i + 2])
        )
        if front or false_stop or split_word or _dust_colon(tokens, i, lm) or _dust_quote(tokens, i):
            out[i] = ""
    return out


def _gapped_ellipses(tokens: list[Token]) -> list[int]:
    """Ellipses OCR read with a gap (`phòng, ban. .)` for `ban...)`): the index of the first stop. In
    clean legal text `word. .` before `)` never occurs, `word...)` 389 times."""
    return [
        i
        for i in range(1, len(tokens) - 3)
        if tokens[i].text == "."
        and tokens[i - 1].kind == Kind.WORD
        and tokens[i + 1].text == " "
        and tokens[i + 2].text == "."
        and tokens[i + 3].text[:1] == ")"
    ]


def _quote_stops(tokens: list[Token]) -> list[int]:
    """Closing quotes of an amended passage that lost the full stop after them: `... sản.”` / `7.
    Sửa đổi`. In clean legal text a passage closed by `.”` or `;”` before a numbered item is followed
    by `.` 86% of the time (952 of 1,101 in training documents), and OCR drops that small dot after
    a quote (on scanned test pages it was never read)."""
    out = []
    for i in range(1, len(tokens) - 3):
        if (
            tokens[i].text == "”"
            and tokens[i - 1].text in (".", ";")
            and tokens[i + 1].kind == Kind.SPACE
            and "\n" in tokens[i + 1].text
            and tokens[i + 2].kind == Kind.NUMBER
            and (tokens[i + 3].text[:1] in ".)" or tokens[i + 3].text == " ")
        ):
            out.append(i)
    return out


def _dust_quote(tokens: list[Token], i: int) -> bool:
    """A lone `'` stuck to one side of a word inside a line: `thời 'gian`, `quốc'` / `gia`. In clean
    legal text a word opening with `'` after another word is 0.5 per million characters, one closing
    with `'` before a lower-case word 0.2, after `,` or `;` 0.1 (quotes are `“”`); a quoted word (`'x'`)
    keeps its quotes."""
    t = tokens[i]
    if t.text != "'" or i < 2 or i + 2 >= len(tokens):
        return False
    prev, nxt = tokens[i - 1], tokens[i + 1]
    if prev.kind == Kind.SPACE and nxt.kind == Kind.WORD:  # opening: `thời 'gian`, `hóa, 'Thể thao`
        return (
            prev.text.count("\n") <= 2
            and (tokens[i - 2].kind == Kind.WORD or tokens[i - 2].text in (",", ";"))
            and is_valid_syllable(nxt.text.lower())
            and tokens[i + 2].text != "'"
        )
    if prev.kind == Kind.WORD and nxt.kind == Kind.SPACE:  # closing: `quốc' gia`
        after = tokens[i + 2]
        return (
            nxt.text.count("\n") <= 1
            and after.kind == Kind.WORD
            and after.text.islower()
            and is_valid_syllable(after.text)
            and is_valid_syllable(prev.text.lower())
            and tokens[i - 2].text != "'"
        )
    return False


def _plain_word_follows(tokens: list[Token], j: int, strict: bool) -> bool:
    """The word before tokens[j] is prose, not a list marker (`a)`, `b.`); `strict` (after a blank
    line, where `k: Số kỳ` and `b- Nhiệm vụ` start paragraphs) wants a space or the end after it."""
    if j >= len(tokens):
        return True
    if strict:
        return tokens[j].kind == Kind.SPACE
    return tokens[j].text[:1] not in ")."


def _dust_colon(tokens: list[Token], i: int, lm) -> bool:
    """`khu: vui chơi`, `văn bản: xác nhận`: a colon between two lower-case words that read on as one
    phrase (the LM has the pair), after a syllable a colon rarely follows (`_colon_words`)."""
    if tokens[i].text != ":" or i < 1 or i + 2 >= len(tokens):
        return False
    prev, gap, nxt = tokens[i - 1], tokens[i + 1], tokens[i + 2]
    return (
        prev.kind == nxt.kind == Kind.WORD
        and gap.text in (" ", "\n")  # `w:` + line break + lower-case word: 1 per million clean chars
        and prev.text.islower()
        and nxt.text.islower()
        and len(nxt.text) >= 2  # not a list marker (`như sau: a)`)
        and is_valid_syllable(prev.text)
        and is_valid_syllable(nxt.text)
        and prev.text not in _colon_words()
        and not _line_label(tokens, i)
        and _attested(lm, prev, nxt)
    )


@lru_cache(maxsize=1)
def _capital_pairs() -> frozenset[str]:
    """Pairs `prev word` whose second word is printed capitalised after the lower-case first in clean
    legal text (`của chính` for `của Chính phủ`, `các sở`), from dictionaries/capital_pairs.txt
    (`python -m tools.capital_pairs`)."""
    try:
        return frozenset(nfc(w.strip()) for w in dictionary_entries("capital_pairs.txt"))
    except OSError:
        return frozenset()


def _false_capitals(tokens: list[Token], lm) -> set[int]:
    """Words OCR capitalised mid-sentence because the capital looks like the small letter: `dịch` /
    `Vụ công`, `trong Chiến tranh`, `lịch SỬ`. Lower-cased after a lower-case word when the LM knows
    the pair and clean text does not capitalise it there (`_capital_pairs`: `của Chính phủ` stays)."""
    out: set[int] = set()
    for i in range(2, len(tokens)):
        t, gap, prev = tokens[i], tokens[i - 1], tokens[i - 2]
        if not (
            t.text[:1].isupper() and fold(t.text[0].lower()) in SAME_SHAPE_CAPITALS and _looks_small(t.text)
        ):
            continue
        if not (gap.text in (" ", "\n") and prev.kind == Kind.WORD and prev.text.islower()):
            continue
        if i >= 4 and tokens[i - 3].text == " " and tokens[i - 4].text[:1].isupper():
            continue  # inside a capitalised name: `Hợp đồng Xây dựng - Chuyển giao`
        low = t.text.lower()
        if not (is_valid_syllable(prev.text) and is_valid_syllable(low)):
            continue
        if f"{prev.text} {low}" in _capital_pairs() or f"* {low}" in _capital_pairs():
            continue
        if _attested(lm, prev, Token(low, Kind.WORD, t.start)):
            out.add(i)
    return out


def _looks_small(text: str) -> bool:
    """Capitalised (`Vụ`), or all capitals of the small letters' shapes (`SỬ`, `SƠ`)."""
    if text[1:].islower() or len(text) == 1:
        return True
    return len(text) <= 3 and text.isupper() and all(fold(c.lower()) in SAME_SHAPE_CAPITALS for c in text)


def _line_label(tokens: list[Token], i: int) -> bool:
    """The colon ends a short capitalised label opening its line (`Phạm vi: không quá ...`)."""
    begin = _line_begin(tokens, i)
    kinds = [t.kind for t in tokens[begin:i]]
    if any(k not in (Kind.WORD, Kind.SPACE) for k in kinds):
        return False
    return kinds.count(Kind.WORD) <= 3 and tokens[begin].text[:1].isupper()


# ----- roman numerals, list markers, glyphs glued to words ------------------------------------
def is_roman(text: str) -> bool:
    """An upper-case Roman numeral (I .. LXXXIX): heading numbers, quarters, congress numbers."""
    return bool(text) and text.isupper() and _ROMAN.match(text) is not None


def _line_start(tokens: list[Token], i: int) -> bool:
    j = i - 1
    while j >= 0 and tokens[j].kind == Kind.SPACE and "\n" not in tokens[j].text:
        j -= 1
    return j < 0 or _is_break(tokens[j])


def _marker_follows(tokens: list[Token], i: int) -> bool:
    return i + 1 < len(tokens) and tokens[i + 1].kind == Kind.PUNCT and tokens[i + 1].text[:1] in ".)"


def _roman_ocr_form(text: str) -> str | None:
    """`I1I` -> `III`, `Il` -> `II`: an OCR form of a Roman numeral (digit one / small L / bar for I)."""
    norm = text.translate(_ROMAN_OCR)
    if norm == text or len(norm) < 2 or not any(c in "IVX" for c in text):
        return None
    return norm if is_roman(norm) else None


_GLUED_NUMBER = re.compile(
    r"^(?:(?P<lead>\d{1,4})(?P<w1>[^\W\d_]{2,})|(?P<w2>[^\W\d_]{2,})(?P<trail>\d{1,4}))$"
)


def _glued_number(tok: Token, channel: Channel) -> tuple[str, str, bool] | None:
    """(number, word, number first) for a number glued to a word by a lost space (`3năm`, `tháng3`).

    Digits carry facts (a month, a count), so they are split off and kept rather than read as
    letters, unless the learned letter shapes of the digits make the whole token a syllable
    (`1ập` for `lập`): then it is a garbled word like any other.
    """
    if tok.kind != Kind.MIXED or not (m := _GLUED_NUMBER.match(tok.text)):
        return None
    num, word = (m["lead"], m["w1"]) if m["lead"] else (m["trail"], m["w2"])
    if not is_valid_syllable(word.lower()):
        return None
    shape = _shapes(channel)[0]
    as_letters = "".join(shape.get(c, c) for c in tok.text.lower())
    if as_letters.isalpha() and (is_valid_syllable(as_letters) or is_skeleton(fold(as_letters))):
        return None
    return num, word, bool(m["lead"])


def _numeral_unit(text: str) -> str:
    """LM unit of a numeral's text, as training saw it (Roman numerals are `<roman>`)."""
    return ROMAN if is_roman_numeral(text) else text.lower()


def _roman_position(tokens: list[Token], i: int, line_upper: bool) -> _Pos | None:
    """A fixed lattice position for a Roman numeral that must pass through unchanged (or an obvious
    OCR form of one at the start of a heading line, normalised); None when the token is ordinary."""
    tok = tokens[i]
    t = tok.text
    heading = _line_start(tokens, i) and _marker_follows(tokens, i)
    if is_roman(t):
        # `VI`, `XI`, `I` are also syllables: in an all-caps line (`ĐƠN VỊ`) the LM decides
        if is_valid_syllable(t.lower()) and line_upper and not heading:
            return None
        return _Pos([i], [(_unit_of(tok), 0.0)], [""], t, fixed=True)
    if heading and line_upper:
        norm = _roman_ocr_form(t)
        if norm is not None:
            return _Pos([i], [(_numeral_unit(norm), 0.0)], [norm], t, fixed=True)
    return None


_INNER = frozenset("'’?")  # punctuation elsewhere; between two letters of a word, OCR's reading of ư/ứ


def _glue_glyphs(tokens: list[Token], glyphs: frozenset[str]) -> list[Token]:
    """Re-read tokens that carry glyphs OCR prints for letters: `ti€u`, `1€` (punctuation to the
    tokenizer) become word-like MIXED tokens, `x&` (a word and a glued glyph) one token, and so do
    `thu'c`, `chi?c` (an apostrophe or question mark between a word and lower-case letters, no space:
    Vietnamese words have none, and `M'Đrắk`, `H'Leo` continue in upper case)."""
    out: list[Token] = []
    i = 0
    n = len(tokens)
    while i < n:
        t = tokens[i]
        if (
            t.kind == Kind.WORD
            and i + 2 < n
            and tokens[i + 1].text in _INNER
            and tokens[i + 2].kind == Kind.WORD
            and tokens[i + 2].text[:1].islower()
            and len(t.text) + 1 + len(tokens[i + 2].text) <= 7
        ):
            out.append(Token(t.text + tokens[i + 1].text + tokens[i + 2].text, Kind.MIXED, t.start))
            i += 3
            continue
        if (
            t.kind == Kind.PUNCT
            and 2 <= len(t.text) <= 7
            and any(c in glyphs for c in t.text)
            and any(c.isalnum() for c in t.text)
            and all(c.isalnum() or c in glyphs for c in t.text)
        ):
            out.append(Token(t.text, Kind.MIXED, t.start))
            i += 1
            continue
        if (
            t.kind in (Kind.WORD, Kind.MIXED)
            and i + 1 < n
            and tokens[i + 1].kind == Kind.PUNCT
            and 1 <= len(tokens[i + 1].text) <= 2
            and all(c in glyphs for c in tokens[i + 1].text)
            and len(t.text) + len(tokens[i + 1].text) <= 7
            and (i + 2 >= n or tokens[i + 2].kind in (Kind.SPACE, Kind.PUNCT))
        ):
            out.append(Token(t.text + tokens[i + 1].text, Kind.MIXED, t.start))
            i += 2
            continue
        if t.kind == Kind.PUNCT and len(t.text) == 1 and t.text in glyphs and _lone_glyph(tokens, i):
            out.append(Token(t.text, Kind.MIXED, t.start))
            i += 1
            continue
        out.append(t)
        i += 1
    return out


def _lone_glyph(tokens: list[Token], i: int) -> bool:
    """A glyph standing as a word between lower-case words of its line: the English model prints `ở`
    as `&` or `@` (`làm việc & nước ngoài`, `tiền ăn, &, chi phí`). Names keep theirs: a capitalised
    or upper-case neighbour (`Xây dựng & Thương mại`), a glued glyph (`R&D`) and neighbours that are
    no Vietnamese words (`abc @ gmail`) are left alone."""
    if i == 0 or tokens[i - 1].kind != Kind.SPACE or "\n" in tokens[i - 1].text:
        return False
    if i + 1 < len(tokens) and tokens[i + 1].kind not in (Kind.SPACE, Kind.PUNCT):
        return False
    # across spaces and commas only: `hi - #@mlang` is no word between words
    sides = list(_line_neighbours(tokens, i, through=_space_or_comma))
    if len(sides) < 2 or not all(w[:1].islower() for w in sides):
        return False
    try:
        from .candidates import get_candidates

        known = get_candidates()
    except ModelNotFound:  # not installed: an error, not a quieter repair
        raise
    except Exception:  # candidate tables not built yet: no evidence, keep the glyph
        return False
    return any(fold(w).lower() in known for w in sides)  # not `abc @ gmail`


def _space_or_comma(tok: Token) -> bool:
    return (tok.kind == Kind.SPACE and "\n" not in tok.text) or tok.text == ","


_MARKER_LINE = re.compile(r"^[^\S\n]*(?:[-–“\"][^\S\n]*)?([^\W_])\)", re.M)
_MARKER_LETTERS = "abcdđeghiklmnopqrstuvxy"  # the Vietnamese alphabet lists count in


def _marker_start(tokens: list[Token], i: int) -> bool:
    """tokens[i] opens its line, or follows a dash or an opening quote that does (`- đ)`, `“c)`)."""
    if _line_start(tokens, i):
        return True
    j = i - 1
    if j >= 1 and tokens[j].text == " ":
        j -= 1
    return j >= 0 and tokens[j].text in ("-", "–", "“", '"') and _line_start(tokens, j)


def _list_markers(tokens: list[Token], text: str, channel: Channel) -> dict[int, str]:
    """Line-initial list markers read back as letters: a glyph (`¢)`) as the letter the channel says
    it is, preferring the letter after the previous marker (`b)` ... `¢)` -> `c)`); a letter no list
    counts in (`j)`, `ø)`, `])`, `1)` after `h)`), or the expected letter in the wrong case or tone
    (`C)`, `đ)` after `c)`), as the expected letter; after a figure (`4)`) no letter is expected."""
    out: dict[int, str] = {}
    for i, t in enumerate(tokens):
        if not (
            len(t.text) == 1
            and t.kind in (Kind.PUNCT, Kind.WORD, Kind.NUMBER)
            and (t.kind != Kind.PUNCT or t.text not in _NOT_GLYPH or t.text == "]")
            and i + 1 < len(tokens)
            and tokens[i + 1].text.startswith(")")
            and _marker_start(tokens, i)
        ):
            continue
        prev = _MARKER_LINE.findall(text[: t.start])
        expect = None
        if prev and prev[-1] in _MARKER_LETTERS[:-1]:  # after `4)` or `A)` no letter is expected
            expect = _MARKER_LETTERS[_MARKER_LETTERS.index(prev[-1]) + 1]
        if t.text == expect:
            continue
        if t.kind != Kind.PUNCT or t.text == "]":
            if expect is not None and _misread_marker(t.text, expect, channel):
                out[i] = expect
            continue
        scored = {c: channel.logp(t.text, c, "eng") for c in _MARKER_LETTERS if c != "đ"}
        if expect is not None and scored.get(expect, -99.0) >= -4.0:
            out[i] = expect
            continue
        best = max(scored, key=scored.__getitem__)
        if scored[best] >= -2.5:
            out[i] = best
    return out


def _misread_marker(read: str, expect: str, channel: Channel) -> bool:
    """`read` stands for the expected marker letter: it is that letter in another case or tone
    (`C`, `đ` for `d`), or a character no list counts in that the channel can confuse with it."""
    if read.lower() == expect or fold(read.lower()) == fold(expect):
        return True
    if read.isdigit():  # `1)` for `i)` or `l)`; other figures open numbered lists (`4)`)
        return read.translate(_ROMAN_OCR).lower() == expect or channel.logp(read, expect, "eng") >= -3.0
    return read.lower() not in _MARKER_LETTERS and channel.logp(read, expect, "eng") >= -4.0


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


def _not_word_or_break(tok: Token) -> bool:
    return tok.kind != Kind.WORD and not _is_break(tok)


def _capital_misread(tokens: list[Token], i: int, chosen: str) -> bool:
    """`Các BO, cơ quan ngang Bo`: the English model reads a small `ộ` as a capital O, so a two- or
    three-letter word comes out in capitals among small-letter words. It is title case when the word
    it stands for has marks the capitals lost and neither neighbour on its line is in capitals."""
    t = tokens[i].text
    if tokens[i].kind != Kind.WORD or not 2 <= len(t) <= 3 or not t.isupper() or chosen == fold(chosen):
        return False
    if fold(t.lower()) != t.lower():
        return False  # capitals with their marks (`BỘ`): written so
    return not any(len(w) > 1 and w.isupper() for w in _line_neighbours(tokens, i))


def _line_neighbours(
    tokens: list[Token], i: int, through: Callable[[Token], bool] | None = None
) -> Iterator[str]:
    """The words just before and after token `i` on its line, across the tokens `through` accepts
    (default: anything but a word or a line break)."""
    if through is None:
        through = _not_word_or_break
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(tokens) and through(tokens[j]):
            j += step
        if 0 <= j < len(tokens) and tokens[j].kind == Kind.WORD:
            yield tokens[j].text


# ----- main ------------------------------------------------------------------------------------
@dataclass
class _Pos:
    tok: list[int]  # input token indices this position covers (several when fragments merge)
    cands: list[tuple[str, float]]  # (LM unit, emission log10)
    outs: list[str]  # output text per candidate (lower case); '' = keep the source as it is
    piece: str  # observed text this position reads (for case transfer)
    fixed: bool = False  # a Roman numeral or list marker: never split, merged or rewritten


def _unit_of(tok: Token) -> str:
    """The LM unit training gave this token (Roman numerals are `<roman>` there)."""
    return token_unit(tok) or tok.text.lower()


def _word_like(text: str, kind: Kind) -> bool:
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


_NAME_WORD = re.compile(r"[^\W\d_]+")
_NAME_GAP = re.compile(r"^[\s,\-–]*$")  # what may stand between two words of one printed name


def _name_initials(text: str) -> frozenset[str]:
    """Initials of every run of upper-case words in the text, `VÀ` skipped (`SỞ KẾ HOẠCH VÀ ĐẦU TƯ`
    gives `SKHĐT`, and its sub-runs `KHĐT`, `SKH`, ...): how a body's own abbreviation is made."""
    out: set[str] = set()
    for line in text.split("\n"):
        runs: list[list[str]] = [[]]
        end = 0
        for m in _NAME_WORD.finditer(line):
            w = m.group()
            if not w.isupper() or not _NAME_GAP.match(line[end : m.start()]):
                runs.append([])
            if w.isupper():
                runs[-1].append(w)
            end = m.end()
        for run in runs:
            heads = [w[0] if w[0] == "Đ" else fold(w[0]).upper() for w in run if w != "VÀ"]  # ỦY -> U
            for a in range(len(heads)):
                for b in range(a + 2, len(heads) + 1):
                    out.add("".join(heads[a:b]))
    return frozenset(out)


def _repair_symbol(text: str, channel: Channel, profile: str, names: frozenset[str] = frozenset()) -> str:
    """Fix the abbreviation parts of a document symbol (`42/NQ-HDPND`); digits never change, nor a part
    that spells the initials of a name printed in the text (the issuer's own `SVHTTDL`)."""
    out = []
    for p in _SPLIT_SEP.split(text):
        if len(p) >= 2 and p.isalpha() and p.isupper() and p not in names:
            out.append(repair_abbreviation(p, channel, profile))
        else:
            out.append(p)
    return "".join(out)


_SYMBOL_HEAD = re.compile(r"\d/\d{4}/(?:[A-ZĐ]+-)*[A-ZĐ]{2,}$")  # `95/2026/NĐ`, `15/2012/QH`


def _split_symbols(tokens: list[Token]) -> dict[int, str]:
    """Spaces OCR opened inside a document symbol, to close: `95/2026/NĐ- CP`, `162/2018/NĐ- -CP`,
    `15/2012/QH 13`. In clean legal text `/NĐ- CP` is 0.4% of `/NĐ-CP` (323 of 73,390), `NĐ- -CP` 5
    times, and a congress number apart from its `QH` 3 times in 22,087."""
    out: dict[int, str] = {}
    n = len(tokens)
    for i, t in enumerate(tokens):
        if t.kind != Kind.SYMBOL or not _SYMBOL_HEAD.search(t.text) or i + 3 >= n:
            continue
        a, b, c = tokens[i + 1], tokens[i + 2], tokens[i + 3]
        if a.text == "-" and b.text == " ":
            if c.kind == Kind.ABBR:
                out[i + 2] = ""
            elif c.text == "-" and i + 4 < n and tokens[i + 4].kind == Kind.ABBR:
                out[i + 2] = out[i + 3] = ""
        elif (
            a.text == " "
            and b.kind == Kind.NUMBER
            and len(b.text) <= 2
            and "-" not in t.text.rsplit("/", 1)[1]
            and (c.kind == Kind.SPACE or c.text[:1] in ",;.)")
        ):
            out[i + 1] = ""
    return out


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
        if p.fixed:
            out.append(p)
            i += 1
            continue
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
                and not q.fixed
                and _word_like(qt.text, qt.kind)
                and len(gap) == 1
                and gap[0].kind == Kind.SPACE
                and "\n" not in gap[0].text
            ):
                joined = tok.text + qt.text
                mp = _word_position(channel, joined, Kind.WORD, profile, None, [*p.tok, q.tok[0]])
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
        if len(p.tok) == 1 and t.isupper() and t.isalpha() and not is_valid_syllable(t.lower()):
            s_keep = single + _local_lm(lm, [prev2, prev1, p.cands[0][0], nxt])
            best_split = None
            for k in range(1, min(4, len(t) - 2) + 1):
                a, b = t[:-k], t[-k:]
                if not is_roman(b) or not is_valid_syllable(fold(a).lower()):
                    continue
                pa = _word_position(channel, a, Kind.WORD, profile, None, p.tok)
                b_unit = _numeral_unit(b)
                pb = _Pos(p.tok, [(b_unit, 0.0)], [""], b, fixed=True)
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


def _same_syllable(piece: str, chosen: str) -> bool:
    """`hoá` read where the LM spells `hóa`: one syllable with its tone mark placed in the other style.
    Both are correct, so with style `keep` the document keeps its own spelling."""
    low = piece.lower()
    return low != chosen and normalize_tone_placement(low) == normalize_tone_placement(chosen)


def _without_dropped(tokens: list[Token], out_text: list[str], vie: list[bool]) -> list[Token]:
    """Tokens with the marks (and specks read as letters) already dropped as dust read as spaces, so
    a dust full stop no longer ends the sentence the LM decodes (`hoạt. động` was decoded as two
    sentences: `hoạt đồng`). Only on `vie` lines (`vie[i]` per token): in English-model OCR text the
    dropped marks still separate the words around them, and joining them lost rows of the parse
    benchmark's task tables (lead unit 0.73 -> 0.70)."""
    return [
        Token(" ", Kind.SPACE, t.start) if vie[i] and t.kind != Kind.SPACE and not out_text[i].strip() else t
        for i, t in enumerate(tokens)
    ]


# a day or month OCR printed with look-alikes of its digits: `ngày !1 tháng ! năm 2018`, `tháng O3`
_DATE_FIELD = re.compile(r"(?<!\S)(\w+)([ \t]+)([0-9!|lIOo]{1,2})(?=[ \t]+(\w+)(?!\S))")
_DATE_SLOTS = {("ngay", "thang"): 31, ("thang", "nam"): 12}  # word before, word after: largest value
_AS_DIGIT = str.maketrans("!|lIOo", "111100")


def _date_digits(text: str) -> tuple[str, list[str]]:
    """Day and month numbers between `ngày`/`tháng`/`năm` read back as digits, character for character
    (offsets into the text stay valid). The words around are the evidence, so a field is changed only
    in that slot and only to a day or month that exists."""
    notes: list[str] = []

    def fix(m: re.Match[str]) -> str:
        field = m.group(3)
        top = _DATE_SLOTS.get((fold(m.group(1).lower()), fold(m.group(4).lower())))
        digits = field.translate(_AS_DIGIT)
        if top is None or digits == field or not 1 <= int(digits) <= top:
            return m.group(0)
        notes.append(f"date number {field!r} read as {digits!r} (after {m.group(1)!r})")
        return m.group(1) + m.group(2) + digits

    return _DATE_FIELD.sub(fix, text), notes


def repair_detailed(
    text: str,
    *,
    confidences: dict[tuple[int, int], float] | None = None,
    style: str = "keep",
    profile: str | None = None,
    channel: Channel | None = None,
    lm=None,
) -> TextResult:
    """Repair OCR garble; `profile` is `eng` or `vie` (detected when None). Never raises on text."""
    from .decoder import viterbi
    from .lm import get_lm, segments

    text = nfc(text).translate(GLYPH_TWINS)  # same length: offsets still point into the input
    if not text.strip():
        return TextResult(text, "repair")
    text, date_notes = _date_digits(text)  # same length too
    channel = channel or get_channel()
    lm = lm or get_lm()
    tokens = _glue_glyphs(tokenize(text), _shapes(channel)[1])
    junk = _junk_indices(tokens, text)
    out_text: list[str] = [t.text for t in tokens]
    words: list[WordInfo] = []
    notes: list[str] = date_notes
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
        elif i + 1 < len(tokens) and tokens[i + 1].text == " ":
            out_text[i + 1] = ""  # `gửi` / `„ đến` -> `gửi` / `đến`: no space opens the line
    vie_line = [p == "vie" for p in line_profile]
    for i, mark in _stray_marks(tokens, lm).items():
        if vie_line[line_no[i]]:
            out_text[i] = mark
            # a mark read as a space stays one on the word boxes (`KẾ.HOẠCH` -> `KẾ HOẠCH`, not `KẾHOẠCH`)
            shown = mark.strip() or mark[:1]
            words.append(WordInfo(tokens[i].start, tokens[i].end, tokens[i].text, shown, 0.7))
    for i, mark in _split_symbols(tokens).items():
        out_text[i] = mark
    for i in _gapped_ellipses(tokens):
        out_text[i], out_text[i + 1] = "..", ""
    for i in _quote_stops(tokens):
        if vie_line[line_no[i]]:
            out_text[i] = "”."
    markers = _list_markers(tokens, text, channel)
    for i, letter in markers.items():
        out_text[i] = letter
        words.append(WordInfo(tokens[i].start, tokens[i].end, tokens[i].text, letter, 0.8))
        notes.append(f"list marker {tokens[i].text!r} read as {letter!r} at line {line_no[i] + 1}")
    pins = place_pins(tokens)  # official unit names after their level word
    small = _false_capitals(tokens, lm) - pins.keys()
    pieces: dict[int, list[str]] = defaultdict(list)
    names: frozenset[str] | None = None  # initials of the text's upper-case names, when a symbol needs them
    for seg in segments(
        _without_dropped(tokens, out_text, [vie_line[line_no[i]] for i in range(len(tokens))])
    ):
        positions: list[_Pos] = []
        for i in seg:
            tok = tokens[i]
            rom = _roman_position(tokens, i, line_upper.get(line_no[i], False))
            if rom is not None:
                positions.append(rom)
            elif i in pins:
                positions.append(_Pos([i], [(word_unit(pins[i]), 0.0)], [pins[i]], tok.text, fixed=True))
            elif glued := _glued_number(tok, channel):
                num, word, num_first = glued
                pn = _Pos([i], [("<num>", 0.0)], [""], num, fixed=True)
                conf = _conf_for(tok, confidences)
                pw = _word_position(channel, word, Kind.WORD, line_profile[line_no[i]], conf, [i])
                positions.extend([pn, pw] if num_first else [pw, pn])
            elif _word_like(tok.text, tok.kind):
                conf = _conf_for(tok, confidences)
                prof = line_profile[line_no[i]]
                pos = _word_position(channel, tok.text, tok.kind, prof, conf, [i])
                if is_roman(tok.text):  # `VI` in an all-caps line: the numeral or `VỊ`, nothing further
                    same = [
                        (c, o)
                        for c, o in zip(pos.cands, pos.outs, strict=True)
                        if fold(c[0]) == tok.text.lower()
                    ]
                    pos.cands = [(tok.text.lower(), 0.0)] + [c for c, _ in same]
                    pos.outs = [""] + [o for _, o in same]
                positions.append(pos)
            else:
                positions.append(_Pos([i], [(_unit_of(tok), 0.0)], [""], tok.text))
        for p in positions:  # rare inventory forms the LM never saw are mostly typos in the corpus
            if p.fixed:
                continue
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
            if p.tok[0] in small and len(p.tok) == 1:
                p.piece = p.piece.lower()
            if first.kind == Kind.SYMBOL:
                if names is None:
                    names = _name_initials(text)
                out = _repair_symbol(first.text, channel, line_profile[line_no[p.tok[0]]], names)
            elif not chosen or (style == "keep" and _same_syllable(p.piece, chosen)):
                out = p.piece
            elif first.kind == Kind.ABBR and chosen.isupper():
                out = chosen
            else:
                out = _case_like(p.piece, chosen, line_upper.get(line_no[p.tok[0]], False))
                if out.isupper() and len(p.tok) == 1 and _capital_misread(tokens, p.tok[0], chosen):
                    out = out[:1] + out[1:].lower()
            pieces[p.tok[0]].append(out)
            for j in range(p.tok[0] + 1, p.tok[-1] + 1):
                out_text[j] = ""  # merged fragments and the space between them
            src = "".join(tokens[j].text for j in range(p.tok[0], p.tok[-1] + 1))
            words.append(WordInfo(first.start, tokens[p.tok[-1]].end, src, out, float(c)))
    for i, letter in markers.items():
        if i in pieces:  # a letter marker (`đ)` for `d)`) is a word to the decoder: the marker wins
            pieces[i] = [letter]
    for i, outs in pieces.items():
        out_text[i] = " ".join(outs)
    result = "".join(out_text)
    result = normalize_tone_placement(result, style)  # `keep`: as decoded, the page's own placement
    words.sort(key=lambda w: w.start)
    return TextResult(result, "repair", words, notes)


def repair(
    text: str,
    *,
    confidences: dict[tuple[int, int], float] | None = None,
    style: str = "keep",
    profile: str | None = None,
) -> str:
    """Repaired text (see `repair_detailed`)."""
    return repair_detailed(text, confidences=confidences, style=style, profile=profile).text
