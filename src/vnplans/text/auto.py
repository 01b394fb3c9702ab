"""One entry point for any text: assess each line, group lines into blocks, dispatch each block to
the right corrector (keep, restore, repair, legacy conversion) and assemble one `TextResult`.

Guarantees, whatever the input: the output has exactly as many lines as the input, word offsets
point into the *input* text, and no exception escapes for text input (a failing corrector falls
back to keeping the block, with a note).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..errors import ModelNotFound
from .legacy import LEGACY_ENCODINGS, convert_legacy_mapped, guess_legacy, nfc_mapped
from .quality import QualityReport, assess
from .result import TextResult, WordInfo
from .syllable import TONE_STYLES, is_vietnamese_letter, normalize_tone_placement
from .tokens import Kind, tokenize

__all__ = ["MODES", "fix_text"]

MODES = ("auto", "restore", "repair", "legacy", "keep")

# Actions a block can get; the result's `mode` names the action covering the most lines.
_KEEP, _RESTORE, _REPAIR, _MERGE, _ASIS, _EMPTY = "keep", "restore", "repair", "merge", "asis", "empty"


@dataclass
class _Line:
    start: int  # offset of the line in the input
    raw: str  # without '\n' and a trailing '\r'
    cr: bool
    norm: str  # NFC
    src: list[int]  # input offset (relative to `start`) of each `norm` character
    kind: str = "empty"
    report: QualityReport | None = None


@dataclass
class _Block:
    action: str  # keep | restore | repair | merge | asis | empty | legacy-<enc>
    lines: list[int] = field(default_factory=list)
    why: str = ""


def _split_lines(text: str) -> list[_Line]:
    out = []
    pos = 0
    for part in text.split("\n"):
        cr = part.endswith("\r")
        raw = part[:-1] if cr else part
        norm, src = nfc_mapped(list(raw), list(range(len(raw))))
        out.append(_Line(pos, raw, cr, norm, src))
        pos += len(part) + 1
    return out


def fix_text(
    text: str,
    *,
    mode: str = "auto",
    style: str = "keep",
    confidences: dict[tuple[int, int], float] | None = None,
) -> TextResult:
    """Fix `text` (a line, a page or a document) by `mode`; `auto` decides per block of lines.

    `confidences` are optional OCR confidences keyed by input (start, end), passed to repair.
    Raises ValueError only for an unknown `mode`/`style`.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    if style not in TONE_STYLES:
        raise ValueError(f"style must be one of {TONE_STYLES}, got {style!r}")
    text = "" if text is None else str(text)
    try:
        return _fix(text, mode, style, confidences)
    except ModelNotFound:  # a broken install is an error, never text passed through as if fixed
        raise
    except Exception as e:  # last resort: the promise is "never crash on text"
        return TextResult(text, "keep", [], [f"auto: internal error ({type(e).__name__}: {e}); text kept"])


def _fix(text: str, mode: str, style: str, confidences: dict | None) -> TextResult:
    lines = _split_lines(text)
    blocks = _plan(lines, mode)
    out_lines: list[str] = [ln.raw for ln in lines]
    words: list[WordInfo] = []
    notes: list[str] = []
    weight: Counter[str] = Counter()
    for b in blocks:
        outs, bwords, bnotes = _run_block(b, lines, style, confidences, text)
        for i, o in zip(b.lines, outs, strict=True):
            out_lines[i] = o
        words.extend(bwords)
        label = f"lines {b.lines[0] + 1}-{b.lines[-1] + 1}" if len(b.lines) > 1 else f"line {b.lines[0] + 1}"
        notes.extend(f"{label}: {n}" for n in bnotes)
        if len(blocks) > 1 and b.action not in (_EMPTY,):
            notes.append(f"{label}: {_mode_name(b.action)}{f' ({b.why})' if b.why else ''}")
        if b.action != _EMPTY:
            weight[_mode_name(b.action)] += sum(len(lines[i].norm.split()) for i in b.lines) + 1
    result = "\n".join(o + ("\r" if ln.cr else "") for o, ln in zip(out_lines, lines, strict=True))
    overall = weight.most_common(1)[0][0] if weight else "empty"
    words.sort(key=lambda w: (w.start, w.end))
    return TextResult(result, overall, words, notes)


def _mode_name(action: str) -> str:
    return {_MERGE: "restore", _ASIS: "not-vietnamese"}.get(action, action)


# ---------------------------------------------------------------------------------------------------
# Planning: a kind per line, then an action per block of lines.
def _plan(lines: list[_Line], mode: str) -> list[_Block]:
    page = "\n".join(ln.norm for ln in lines)
    if mode == "legacy":
        g = guess_legacy(page)
        enc = g.encoding or max(LEGACY_ENCODINGS, key=lambda e: g.scores.get(e, 0.0))
        actions = [f"legacy-{enc}" if ln.norm.strip() else _EMPTY for ln in lines]
        return _group(actions, [""] * len(lines))
    if mode != "auto":
        act = {"restore": _RESTORE, "repair": _REPAIR, "keep": _KEEP}[mode]
        actions = [act if ln.norm.strip() else _EMPTY for ln in lines]
        return _group(actions, [""] * len(lines))
    page_enc = guess_legacy(page).encoding
    for ln in lines:
        if not ln.norm.strip():
            ln.kind = "empty"
            continue
        if page_enc is not None:
            # On a legacy page every line is converted (plain ASCII lines are unchanged by it) except
            # lines already in Unicode Vietnamese, like a digital-signature stamp.
            unicode_vn = any(ord(c) > 0xFF and is_vietnamese_letter(c) for c in ln.norm)
            if not unicode_vn or guess_legacy(ln.norm).scores.get(page_enc, 0.0) > 0:
                ln.kind = f"legacy-{page_enc}"
                continue
        ln.report = assess(ln.norm, legacy=False)
        ln.kind = ln.report.kind
    # A page of OCR garble also has lines that merely look stripped or abbreviation-only: repair them.
    content = [ln for ln in lines if ln.report is not None]
    garbled = sum(ln.kind == "garbled" for ln in content)
    report = assess(page, legacy=False) if content and garbled < 0.3 * len(content) else None
    page_garbled = content and (report is None or report.kind == "garbled")
    read_by_ocr = not page_garbled and content and _vie_ocr_evidence(report)
    actions: list[str] = []
    whys: list[str] = []
    for ln in lines:
        rep = ln.report
        kind = ln.kind
        if kind.startswith("legacy-"):
            act = kind
        elif kind == "empty":
            act = _EMPTY
        elif kind == "not-vietnamese":  # a weak verdict on a garbled page is more likely garble
            act = _REPAIR if page_garbled and rep is not None and rep.score < 0.5 else _ASIS
        elif kind == "garbled" or (page_garbled and (kind == "stripped" or (rep and rep.score < 0.5))):
            act = _REPAIR
        elif kind == "stripped":
            act = _RESTORE
        elif read_by_ocr:  # clean-looking lines of a page Tesseract `vie` read: its tone slips
            act = _REPAIR
        else:  # clean: keep, or restore the plain words when some lack their marks
            f = rep.features if rep else {}
            partly = f.get("missing", 0) > 0 or (f.get("n", 0) >= 5 and f.get("marked", 1) < 0.5)
            act = _MERGE if partly else _KEEP
        actions.append(act)
        whys.append(f"{kind} {rep.score:.2f}" if rep else kind)
    return _group(actions, whys)


# Share of words with OCR's fingerprints (junk glyphs, marks no Vietnamese word carries, letters mixed
# with digits) from which a clean-looking page counts as Tesseract `vie` output. Plain `vie` text of
# the real scan has 1.6%, of realistic scans 0-2.2%; held-out corpus documents a median of 0.04%, and
# 8 of 32 pass (their text carries stray marks of its own). On clean held-out sentences the repairer
# changes 0.23% of syllables, most of them the source's own typos (`QUYÊN`, `câp`, `VÈ`).
VIE_OCR_EVIDENCE = 0.008


def _vie_ocr_evidence(report: QualityReport) -> bool:
    """Is a clean-looking page Tesseract `vie` output? Such text keeps the engine's tone slips
    (`Nghị định sô 83`), which the OCR-aware repairer mends (real scan: 61 -> 47 syllable errors,
    against 59 when kept); on typed text it would only risk changing what the author wrote."""
    f = report.features
    if f.get("n", 0) < 40:
        return False
    return f.get("junk", 0.0) + f.get("badmark", 0.0) + f.get("mixed", 0.0) >= VIE_OCR_EVIDENCE


def _group(actions: list[str], whys: list[str]) -> list[_Block]:
    """Consecutive lines with one action form a block; blank lines join the block before them."""
    blocks: list[_Block] = []
    for i, act in enumerate(actions):
        if act == _EMPTY and blocks and blocks[-1].action != _EMPTY:
            blocks[-1].lines.append(i)
            continue
        if blocks and blocks[-1].action == act:
            blocks[-1].lines.append(i)
            continue
        blocks.append(_Block(act, [i], whys[i]))
    return blocks


# ---------------------------------------------------------------------------------------------------
# Running one block.
class _BlockText:
    """A block's NFC text and the map from its offsets back to input offsets."""

    def __init__(self, lines: list[_Line], idx: list[int]):
        parts: list[str] = []
        self.map: list[int] = []
        self.line_starts: list[int] = []
        pos = 0
        for k, i in enumerate(idx):
            ln = lines[i]
            self.line_starts.append(pos)
            parts.append(ln.norm)
            self.map.extend(ln.start + s for s in ln.src)
            pos += len(ln.norm)
            if k < len(idx) - 1:
                parts.append("\n")
                self.map.append(ln.start + len(ln.raw) + (1 if ln.cr else 0))
                pos += 1
        last = lines[idx[-1]]
        self.end = last.start + len(last.raw)
        self.text = "".join(parts)
        self.inverse = {v: k for k, v in enumerate(self.map)}
        self.inverse.setdefault(self.end, len(self.map))

    def span(self, s: int, e: int) -> tuple[int, int]:
        s = min(max(s, 0), len(self.map))
        e = min(max(e, s), len(self.map))
        a = self.map[s] if s < len(self.map) else self.end
        b = self.map[e] if e < len(self.map) else self.end
        return a, max(a, b)

    def local_confidences(self, conf: dict | None) -> dict[tuple[int, int], float] | None:
        if not conf:
            return None
        out = {}
        for (s, e), c in conf.items():
            if s in self.inverse and e in self.inverse:
                out[(self.inverse[s], self.inverse[e])] = c
        return out or None


def _run_block(
    b: _Block, lines: list[_Line], style: str, confidences: dict | None, text: str
) -> tuple[list[str], list[WordInfo], list[str]]:
    if b.action == _EMPTY or not any(lines[i].norm.strip() for i in b.lines):
        return [lines[i].raw for i in b.lines], [], []
    if b.action == _ASIS:
        return [lines[i].raw for i in b.lines], [], ["not Vietnamese: kept unchanged"]
    bt = _BlockText(lines, b.lines)
    try:
        out, words, notes = _dispatch(b.action, bt, style, confidences, text)
    except ModelNotFound:
        raise
    except Exception as e:  # a corrector failed (missing model, bug): keep the text, say so
        out, words = _keep(bt.text, style)
        notes = [f"{_mode_name(b.action)} failed ({type(e).__name__}: {e}); text kept"]
    outs = out.split("\n")
    if len(outs) != len(b.lines):
        if len(b.lines) > 1:  # the corrector merged or split lines: redo line by line
            res_out: list[str] = []
            res_words: list[WordInfo] = []
            res_notes: list[str] = []
            for i in b.lines:
                o, w, n = _run_block(_Block(b.action, [i]), lines, style, confidences, text)
                res_out.extend(o)
                res_words.extend(w)
                res_notes.extend(n)
            return res_out, res_words, res_notes
        outs = [out.replace("\n", " ")]
        notes.append("corrector changed the line count; line breaks folded")
    mapped = []
    for w in words:
        a, z = bt.span(w.start, w.end)
        mapped.append(WordInfo(a, z, text[a:z], w.output, w.confidence))
    return outs, mapped, notes


def _dispatch(
    action: str, bt: _BlockText, style: str, confidences: dict | None, text: str
) -> tuple[str, list[WordInfo], list[str]]:
    if action == _KEEP:
        out, words = _keep(bt.text, style)
        return out, words, []
    if action == _RESTORE:
        from .restorer import restore_detailed

        r = restore_detailed(bt.text, style=style)
        return r.text, r.words, list(r.notes)
    if action == _MERGE:
        return _merge_restore(bt.text, style)
    if action == _REPAIR:
        from .repair import repair_detailed

        r = repair_detailed(bt.text, confidences=bt.local_confidences(confidences), style=style)
        return r.text, r.words, list(r.notes)
    if action.startswith("legacy-"):
        return _legacy(bt.text, action.removeprefix("legacy-"), style)
    raise ValueError(f"unknown action {action!r}")


def _keep(text: str, style: str) -> tuple[str, list[WordInfo]]:
    """NFC text with tone marks placed by `style`; lists only the words that moved a mark."""
    out = normalize_tone_placement(text, style)
    words = []
    if out != text and len(out) == len(text):
        for t in tokenize(text):
            if t.kind == Kind.WORD and out[t.start : t.end] != t.text:
                words.append(WordInfo(t.start, t.end, t.text, out[t.start : t.end], 1.0))
    return out, words


def _merge_restore(text: str, style: str) -> tuple[str, list[WordInfo], list[str]]:
    """Clean text with some unmarked words: restore those, trust the marks that are there."""
    from .restorer import restore_detailed

    base, _ = _keep(text, style)
    r = restore_detailed(base, style=style)
    pieces: list[str] = []
    words: list[WordInfo] = []
    pos = 0
    for w in sorted(r.words, key=lambda w: w.start):
        if w.start < pos or w.end > len(base):
            continue
        src = base[w.start : w.end]
        new = w.output if src.isascii() else src
        pieces.append(base[pos : w.start])
        pieces.append(new)
        pos = w.end
        if new != text[w.start : w.end]:
            words.append(WordInfo(w.start, w.end, text[w.start : w.end], new, w.confidence))
    pieces.append(base[pos:])
    return "".join(pieces), words, []


def _legacy(text: str, enc: str, style: str) -> tuple[str, list[WordInfo], list[str]]:
    """Convert a legacy-font block; offsets of converted words map back through the conversion."""
    conv, src = convert_legacy_mapped(text, enc)
    out = normalize_tone_placement(conv, style)
    if len(out) != len(conv):
        out = conv
    ends = src[1:] + [len(text)]
    notes = []
    words: dict[tuple[int, int], WordInfo] = {}
    for t in tokenize(out):
        if t.kind in (Kind.WORD, Kind.ABBR, Kind.MIXED):
            a, z = src[t.start], ends[t.end - 1]
            if text[a:z] != t.text:
                words[(a, z)] = WordInfo(a, z, text[a:z], t.text, 1.0)
    rep = assess(out, legacy=False)
    if rep.kind == "stripped" or (rep.kind == "clean" and rep.features.get("missing", 0) > 0):
        try:  # converted, but typed without marks in places: restore those words
            restored, rwords, _ = _merge_restore(out, style)
            if len(restored.split("\n")) == len(out.split("\n")):
                for w in rwords:
                    a, z = src[w.start], ends[w.end - 1]
                    words[(a, z)] = WordInfo(a, z, text[a:z], w.output, w.confidence)
                out = restored
        except ModelNotFound:
            raise
        except Exception as e:  # restorer unavailable: the conversion alone still stands
            notes.append(f"restore after {enc} conversion failed ({type(e).__name__}); converted only")
    elif rep.kind == "garbled" and rep.words >= 3:
        notes.append(f"converted from {enc} but still looks garbled; review")
    return out, sorted(words.values(), key=lambda w: w.start), notes
