"""Dust and junk OCR reads as marks: stray table pipes, specks between words, at line ends, before
list markers, and lines of nothing but specks. Each finder returns token indices to drop."""

from __future__ import annotations

from collections import defaultdict

from ..tokens import Kind, Token
from .scan import ends_line, is_break, line_begin, line_start

_JUNK = set("|¦")
# dust specks read as a lone symbol between two words: `di tích ` lịch sử`, `gửi „ đến`. Never
# Vietnamese prose: about 3 per million characters of clean legal text (most of those OCR dust too)
DUST = frozenset("`‹›„°*\\~^_")


def stray_pipes(tokens: list[Token], text: str) -> set[int]:
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


def dust_between_words(tokens: list[Token], text: str) -> set[int]:
    """Lone dust symbols between two words (`di tích ` lịch sử`, `gửi „ đến`) or before a number."""
    out: set[int] = set()
    for i in range(2, len(tokens) - 2):
        t = tokens[i]
        if (
            t.kind != Kind.PUNCT
            or len(t.text) > 2
            or not set(t.text) & DUST
            or not set(t.text) <= DUST | {"-"}
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
    return out


def lone_parens(tokens: list[Token], text: str) -> set[int]:
    """A `)` standing alone between a word and the next word or number, with no `(` open before it in
    its paragraph (`Nghị định số ) 40/2025/NĐ-CP`): a speck. Clean legal text has 32 such in 132M
    characters, and those are its own old OCR (`Thông tư số ) 52/2020/TT-BGDĐT`); a spaced marker
    (`c2 )`, `a )`) is not a word of two letters and stays."""
    out: set[int] = set()
    for i in range(2, len(tokens) - 2):
        t, before, after = tokens[i], tokens[i - 1], tokens[i + 1]
        if t.text != ")" or t.kind != Kind.PUNCT:
            continue
        if not (before.kind == after.kind == Kind.SPACE) or "\n" in before.text + after.text:
            continue
        left, right = tokens[i - 2], tokens[i + 2]
        if left.kind != Kind.WORD or len(left.text) < 2 or right.kind not in _AFTER_PAREN:
            continue
        para = text[text.rfind("\n\n", 0, t.start) + 1 : t.start]
        if para.count("(") <= para.count(")"):
            out.add(i)
    return out


_AFTER_PAREN = frozenset({Kind.WORD, Kind.NUMBER, Kind.SYMBOL})


def line_end_specks(tokens: list[Token], text: str) -> set[int]:
    """Lone letters or symbols ending a line after the mark that closes it (`_line_end_speck`)."""
    return {i for i in range(len(tokens)) if _line_end_speck(tokens, i)}


def specks_before_markers(tokens: list[Token], text: str) -> set[int]:
    """Lone letters or marks opening a line before a numbered list marker (`_speck_before_marker`)."""
    return {i for i in range(len(tokens)) if _speck_before_marker(tokens, i)}


# dust that never opens a number: `Nghị định số „ 131/2021` (a degree sign follows its number)
_NUMBER_DUST = frozenset("„‹›`")
# specks a scan leaves after the mark closing a line (`trình độ; °`); `*` only when unpaired
_END_DUST = DUST | frozenset("+!¡,;:'‘’")


def _dust_before_number(tokens: list[Token], i: int) -> bool:
    """A lone `„` (or `‹`, `›`, a backquote) between a word and a number or document symbol."""
    return tokens[i].text in _NUMBER_DUST and tokens[i + 2].kind in (Kind.NUMBER, Kind.SYMBOL)


def _line_end_speck(tokens: list[Token], i: int) -> bool:
    """A lone letter or symbol ending a line after the mark that closes it: `trình độ; °`,
    `phương tiện. l`, `Nga). :`, `nghiệp; Á`, `an ninh, F`, `Nghị định +`. Per million characters of
    clean legal text a line ends in `; x` / `. x` (one letter) 2.4 times, mostly OCR noise itself, in
    one of these symbols after a closing mark 4.4 (markdown `*`, spared when paired, among them), in
    an upper-case letter after `, ` 0.2 (`chiến trường B, C, K`, hence the word before the comma must
    be a syllable), in a dust symbol after a word 1.6 (formulas ending in `+`)."""
    t = tokens[i]
    if len(t.text) != 1 or i < 2 or tokens[i - 1].text != " " or not ends_line(tokens, i):
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
    return left.kind == Kind.WORD and t.text in DUST | {"+", "!", "¡"}


def _lone_star(tokens: list[Token], i: int) -> bool:
    """No other `*` on the star's line nor opening the next one."""
    if any("*" in t.text for t in tokens[line_begin(tokens, i) : i]):
        return False
    return i + 2 >= len(tokens) or not tokens[i + 2].text.startswith("*")


def _speck_before_marker(tokens: list[Token], i: int) -> bool:
    """A lone letter or mark opening a line before a numbered list marker (`l 8. Tổ chức`,
    `. 3. Đề xuất`): a line opening `x 8.` is 0.06 per million characters of clean legal text, `. 8.`
    or `: 8.` 0.2 (dashes, quotes and bullets before a number are real, and so are pipes of tables)."""
    t = tokens[i]
    if len(t.text) != 1 or i + 3 >= len(tokens) or not (t.kind == Kind.WORD or t.text in _END_DUST | {"."}):
        return False
    if t.text in "*'" or not line_start(tokens, i) or t.text.isdigit():
        return False
    return (
        tokens[i + 1].text == " "
        and tokens[i + 2].kind == Kind.NUMBER
        and tokens[i + 3].text[:1] in ".)"
        and (i + 4 >= len(tokens) or tokens[i + 4].kind == Kind.SPACE)
    )


def dust_lines(tokens: list[Token], text: str) -> set[int]:
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
        while j < n and not is_break(tokens[j]):
            if tokens[j].kind != Kind.SPACE:
                line.append(j)
            j += 1
        chars = "".join(tokens[k].text for k in line)
        if (
            line
            and len(chars) <= 4
            and all(tokens[k].kind == Kind.PUNCT for k in line)
            and set(chars) <= DUST | set(":;,'-")
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


def doubled_marks(tokens: list[Token], lm=None) -> dict[int, str]:
    """A stop or colon glued after a comma or semicolon (`đổi,:bổ`, `thông tin;.`): the second is a
    speck, read back as the space a word glued to it lost. Clean legal text never writes them (52 in
    132M characters of the corpus, all of them typos or old OCR); an ellipsis (`,...`) is kept."""
    out: dict[int, str] = {}
    for i in range(len(tokens) - 1):
        t, nxt = tokens[i], tokens[i + 1]
        if t.text in (",", ";") and nxt.text in (".", ":") and nxt.start == t.end:
            glued = i + 2 < len(tokens) and tokens[i + 2].kind != Kind.SPACE
            out[i + 1] = " " if glued else ""
    return out


_QUOTES = frozenset("'’‘`")


def symbol_specks(tokens: list[Token], text: str) -> set[int]:
    """A quote glued inside a document symbol between its letters (`37/2013/T'T-BCT`): a speck, since
    a symbol is letters, digits, `/`, `-` and `.` only."""
    return {
        i
        for i in range(1, len(tokens) - 1)
        if tokens[i].text in _QUOTES
        and tokens[i - 1].kind == Kind.SYMBOL
        and tokens[i + 1].kind in (Kind.SYMBOL, Kind.ABBR)
        and tokens[i - 1].end == tokens[i].start
        and tokens[i].end == tokens[i + 1].start
        and tokens[i - 1].text[-1:].isupper()
        and tokens[i + 1].text[:1].isupper()
    }
