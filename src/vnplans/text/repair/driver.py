"""The repair driver: normalise, tokenize, run the registered rules stage by stage, decode each
sentence over the lattice with the trigram LM (`decoder.viterbi`) and print the result.

Output tokens always come from input tokens and lines are kept; the only marks added are ones OCR is
known to lose (the stop of `.”.`, the dots of a gapped `...`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from ..channel import Channel, get_channel
from ..result import TextResult, WordInfo
from ..syllable import GLYPH_TWINS, fold, nfc, normalize_tone_placement
from ..tokens import Kind, tokenize
from .abbrevs import cited_type, detect_profile, name_initials, repair_symbol
from .context import Context
from .lattice import (
    Pos,
    before_commas,
    conf_for,
    resegment,
    same_syllable,
    split_half,
    sure_word,
    unit_of,
    widen,
    without_dropped,
    word_like,
    word_position,
)
from .pairs import dictionary_pairs, only_choice_makes_word
from .rules import RULES, rule_names
from .scan import is_roman
from .words import capital_misread, case_like, changed_capital


def _active(ctx: Context, stage: str) -> list:
    return [r for r in RULES if r.stage == stage and ctx.on(r.name)]


def repair_detailed(
    text: str,
    *,
    confidences: dict[tuple[int, int], float] | None = None,
    style: str = "keep",
    profile: str | None = None,
    channel: Channel | None = None,
    lm=None,
    disabled: Iterable[str] = (),
    unspaced: Callable[[int, int], bool] | None = None,
) -> TextResult:
    """Repair OCR garble; `profile` is `eng` or `vie` (detected per line when None); `disabled` names
    rules (`RULES`) to switch off; `unspaced(start, end)`: True where the scan shows no space inside
    those characters (`ocr.spacing`), so `split_syllables` keeps them whole. Never raises on text."""
    from ..decoder import viterbi
    from ..lm import get_lm, segments

    off = frozenset(disabled)
    if unknown := off - rule_names():
        raise ValueError(f"unknown repair rules: {', '.join(sorted(unknown))}")
    text = nfc(text).translate(GLYPH_TWINS)  # same length: offsets still point into the input
    if not text.strip():
        return TextResult(text, "repair")
    ctx = Context(text, channel or get_channel(), None, confidences, style, profile, off)
    for rule in _active(ctx, "text"):
        rule.apply(ctx)  # same length too
    text = ctx.text
    ctx.lm = lm = lm or get_lm()
    ctx.tokens = tokenize(text)
    for rule in _active(ctx, "tokens"):
        rule.apply(ctx)
    tokens = ctx.tokens
    junk: set[int] = set()
    for rule in _active(ctx, "drop"):
        junk |= rule.apply(ctx)
    ctx.out_text = out_text = [t.text for t in tokens]
    words, notes = ctx.words, ctx.notes
    ctx.line_no = line_no = [0] * len(tokens)
    ln = 0
    for i, t in enumerate(tokens):
        line_no[i] = ln
        ln += t.text.count("\n")
    per_line: dict[int, list[bool]] = defaultdict(list)
    for i, t in enumerate(tokens):
        if t.kind in (Kind.WORD, Kind.ABBR) and len(t.text) > 1:
            per_line[line_no[i]].append(t.text.isupper())
    ctx.line_upper = line_upper = {k: sum(v) >= 0.6 * len(v) for k, v in per_line.items()}
    # Each line gets its own OCR profile unless given: pages mix engines when text was pasted together.
    ctx.line_profile = line_profile = [profile or detect_profile(ln_text) for ln_text in text.split("\n")]
    for i in sorted(junk):
        notes.append(f"dropped junk {tokens[i].text!r} at line {line_no[i] + 1}")
        out_text[i] = ""
        words.append(WordInfo(tokens[i].start, tokens[i].end, tokens[i].text, "", 1.0))
        prev = tokens[i - 1] if i else None
        glued = i + 1 < len(tokens) and tokens[i + 1].kind != Kind.SPACE  # `a “b`: the space before stays
        if (
            prev is not None
            and prev.kind == Kind.SPACE
            and "\n" not in prev.text
            and out_text[i - 1]
            and not glued
        ):
            out_text[i - 1] = ""  # `TT |` -> `TT`, `a | b` -> `a b`
        elif i + 1 < len(tokens) and tokens[i + 1].text == " ":
            out_text[i + 1] = ""  # `gửi` / `„ đến` -> `gửi` / `đến`: no space opens the line
    for rule in _active(ctx, "edit"):
        rule.apply(ctx)
    placers = [r for r in RULES if r.position is not None and ctx.on(r.name)]
    pieces: dict[int, list[str]] = defaultdict(list)
    names: frozenset[str] | None = None  # initials of the text's upper-case names, when a symbol needs them
    vie_tok = [ctx.vie_at(i) and ctx.on("dust_as_space") for i in range(len(tokens))]
    wraps = lm if ctx.on("wrapped_capitals") else None
    for seg in segments(without_dropped(tokens, out_text, vie_tok), wraps):
        positions: list[Pos] = []
        for i in seg:
            tok = tokens[i]
            fixed = next((got for r in placers if (got := r.position(ctx, i)) is not None), None)
            if fixed is not None:
                positions.extend(fixed)
            elif word_like(tok.text, tok.kind):
                conf = conf_for(tok, confidences)
                prof = line_profile[line_no[i]]
                pos = word_position(ctx.channel, tok.text, tok.kind, prof, conf, [i])
                if is_roman(tok.text) and ctx.on("roman_numerals"):
                    # `VI` in an all-caps line: the numeral or `VỊ`, nothing further
                    same = [
                        (c, o)
                        for c, o in zip(pos.cands, pos.outs, strict=True)
                        if fold(c[0]) == tok.text.lower()
                    ]
                    pos.cands = [(tok.text.lower(), 0.0)] + [c for c, _ in same]
                    pos.outs = [""] + [o for _, o in same]
                positions.append(pos)
            else:
                positions.append(Pos([i], [(unit_of(tok), 0.0)], [""], tok.text))
        if ctx.on("rare_forms"):
            for p in positions:  # rare inventory forms the LM never saw are mostly typos in the corpus
                if p.fixed:
                    continue
                p.cands = [
                    (u, e - 3.0 if u not in lm.index and not u.startswith("<") and u.islower() else e)
                    for u, e in p.cands
                ]
        seg_profile = line_profile[line_no[seg[0]]]
        if ctx.on("context_letters"):
            widen(positions, tokens, ctx.channel, seg_profile, lm, confidences)
        positions = resegment(positions, tokens, ctx.channel, seg_profile, lm, off, confidences, unspaced)
        if ctx.on("split_syllables") and any(split_half(p, tokens) for p in positions):
            positions = resegment(
                positions, tokens, ctx.channel, seg_profile, lm, off, confidences, unspaced, again=True
            )
        if ctx.on("comma_words"):
            before_commas(positions, tokens, out_text)
        decoded, conf = viterbi([p.cands for p in positions], lm)
        best = dictionary_pairs(positions, decoded, conf) if ctx.on("dictionary_pairs") else decoded
        for k, (p, b, b0, c) in enumerate(zip(positions, best, decoded, conf, strict=True)):
            first = tokens[p.tok[0]]
            chosen = p.outs[b]
            if p.tok[0] in ctx.small and len(p.tok) == 1:
                p.piece = p.piece.lower()
            if first.kind == Kind.SYMBOL and ctx.on("symbol_abbreviations"):
                if names is None:
                    names = name_initials(text) if ctx.on("issuer_initials") else frozenset()
                named = cited_type(tokens, p.tok[0]) if ctx.on("symbol_type_code") else None
                out = repair_symbol(first.text, ctx.channel, line_profile[line_no[p.tok[0]]], names, named)
            elif (
                not chosen
                or (style == "keep" and ctx.on("keep_tone_style") and same_syllable(p.piece, chosen))
                # a reading a dictionary pair chose is not the decoder's narrow win `sure_words` guards
                or (
                    b == b0
                    and len(p.tok) == 1
                    and ctx.on("sure_words")
                    and sure_word(first, chosen, c, confidences)
                    # unless the dictionary backs the decoder: `thể loại` is a word, `thế loại` none
                    and not only_choice_makes_word(positions, best, k, unit_of(first))
                )
            ):
                out = p.piece
            elif first.kind == Kind.ABBR and chosen.isupper():
                out = chosen
            else:
                out = case_like(p.piece, chosen, line_upper.get(line_no[p.tok[0]], False))
                if (
                    out.isupper()
                    and len(p.tok) == 1
                    and ctx.on("capital_misread")
                    and capital_misread(tokens, p.tok[0], chosen)
                ):
                    out = out[:1] + out[1:].lower()
                elif (
                    out[:1].isupper()
                    and not out.isupper()
                    and len(p.tok) == 1
                    and ctx.on("changed_capital")
                    and changed_capital(tokens, p.tok[0], chosen, ctx.lm)
                ):
                    out = out[:1].lower() + out[1:]
            pieces[p.tok[0]].append(out)
            for j in range(p.tok[0] + 1, p.tok[-1] + 1):
                out_text[j] = ""  # merged fragments and the space between them
            src = "".join(tokens[j].text for j in range(p.tok[0], p.tok[-1] + 1))
            words.append(WordInfo(first.start, tokens[p.tok[-1]].end, src, out, float(c)))
    for i, letter in ctx.markers.items():
        if i in pieces:  # a letter marker (`đ)` for `d)`) is a word to the decoder: the marker wins,
            pieces[i] = [letter]  # in the text and in the word records (two would print `d đ)`)
            t = tokens[i]
            words[:] = [w for w in words if (w.start, w.end) != (t.start, t.end) or w.output == letter]
    for i, outs in pieces.items():
        out_text[i] = " ".join(outs)
    _join_words(tokens, out_text, words)
    result = "".join(out_text)
    result = normalize_tone_placement(result, style)  # `keep`: as decoded, the page's own placement
    words.sort(key=lambda w: w.start)
    return TextResult(result, "repair", words, notes)


def _join_words(tokens: list, out_text: list[str], words: list[WordInfo]) -> None:
    """A space a rule closed (`số 1 93/2025/NĐ-CP`, `Điều 2 .`) joins two OCR words: one record runs
    over both, so the words put back on their boxes (and the layout text built from them) carry the
    join too. The records it replaces lend it their lowest confidence."""
    n = len(tokens)
    i = 0
    while i < n:
        if not (tokens[i].kind == Kind.SPACE and "\n" not in tokens[i].text and not out_text[i]):
            i += 1
            continue
        a = i
        while a > 0 and tokens[a - 1].kind != Kind.SPACE:
            a -= 1
        b = i
        while b + 1 < n and (
            tokens[b + 1].kind != Kind.SPACE or ("\n" not in tokens[b + 1].text and not out_text[b + 1])
        ):
            b += 1
        if (
            a == i
            or b == i
            or not "".join(out_text[a:i]).strip()
            or not "".join(out_text[i + 1 : b + 1]).strip()
        ):
            i = b + 1
            continue
        start, end = tokens[a].start, tokens[b].end
        inner = [w for w in words if w.start >= start and w.end <= end]
        conf = min((w.confidence for w in inner), default=1.0)
        words[:] = [w for w in words if not (w.start >= start and w.end <= end)]
        src = "".join(t.text for t in tokens[a : b + 1])
        words.append(WordInfo(start, end, src, "".join(out_text[a : b + 1]), conf))
        i = b + 1


def repair(
    text: str,
    *,
    confidences: dict[tuple[int, int], float] | None = None,
    style: str = "keep",
    profile: str | None = None,
    disabled: Iterable[str] = (),
) -> str:
    """Repaired text (see `repair_detailed`)."""
    return repair_detailed(
        text, confidences=confidences, style=style, profile=profile, disabled=disabled
    ).text
