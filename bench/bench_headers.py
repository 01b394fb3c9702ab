"""Header fields on REAL documents (not our generated pages): 240 laws, decrees, circulars and decisions
of many issuers from ../shared/corpus, their expected headers in bench/data/headers_expected.jsonl
(ids and fields only; the text is read from the corpus at run time, from the line where the document
proper starts).

Fields: authority, number/symbol, place, issue date, type, title, signer title (marks and titles),
signer name. Apart from them (so the field figures stay comparable across releases): `recipients`, the
documents whose `Nơi nhận` list comes out item for item, of those whose list the ground truth reads
with certainty (108 of 240), and `recipient_items`, their items found. Modes:
- clean: the corpus text through `vnplans.pipeline.convert_text` (what a user running it gets);
- stripped: the same text without diacritics, restored by vnplans first;
- scan: a fixed subset rendered as 200-dpi 1-bit pages (two-column Decree 30 header, body, signature
  block; light degradation) and run through the whole pipeline (`vnplans.convert`).

Reported per split: `dev` (issuers we may look at) and `test` (issuers never tuned on), plus `heldout`
(documents the language model never saw; the stripped and scan modes restore/repair with that model).
Also: articles found in the section tree vs `Điều N.` lines in the text (clean mode).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
import tempfile
from collections import Counter
from pathlib import Path

from vnplans.text.syllable import normalize_tone_placement, strip_diacritics

from .headers_truth import DATA, FIELDS  # one list of the fields, beside the expected file's writer

SCAN_DOCS = 30  # fixed subset for the scan mode (rendering + OCR of 240 documents is too slow here)
_MARK = re.compile(r"\b(TM|KT|TL|TUQ|Q)\s*\.\s*")
_ARTICLE_LINE = re.compile(r"^[\s>#*_|]*Điều\s+(\d{1,3})\s*[.:]", re.M)


def load() -> list[dict]:
    return [json.loads(x) for x in DATA.read_text(encoding="utf-8").splitlines() if x.strip()]


def corpus_texts(corpus: str, ids: set[str]) -> dict[str, str]:
    from vnplans.text.corpus import iter_docs

    return {d.id: d.text for d in iter_docs(corpus) if d.id in ids}


def document_text(full: str, row: dict) -> str | None:
    """The document proper (from its header), or None when the corpus no longer has the same text."""
    if hashlib.sha256(full.encode()).hexdigest()[:16] != row["sha"]:
        return None
    return "\n".join(full.split("\n")[row["start_line"] :])


def _norm(v: object) -> str | None:
    if v is None:
        return None
    s = normalize_tone_placement(str(v), style="new")
    s = _MARK.sub(lambda m: m.group(1) + ". ", s)
    return " ".join(s.lower().split()).strip(" .,;:") or None


def record_fields(rec) -> dict:
    h, s = rec.header, rec.signature
    num = None
    if h.symbol:
        num = re.sub(r"\s+", "", f"{h.number}/{h.symbol}" if h.number else h.symbol)
    titles = []
    for i, t in enumerate(s.titles):
        titles.append(f"{s.modes[i]}. {t}" if i < len(s.modes) else t)
    return {
        "authority": h.authority,
        "number_symbol": num,
        "place": h.place,
        "issued_date": h.issued_date.isoformat() if isinstance(h.issued_date, dt.date) else None,
        "doc_type": h.doc_type,
        "title": h.title,
        "signer_title": " ".join(titles) or None,
        "signer_name": s.name,
    }


def compare(rec, expected: dict) -> dict[str, bool | None]:
    """Per field: True/False, or None when the expected value is unknown (signer block the ground-truth
    extractor could not read: not scored)."""
    got = record_fields(rec)
    out: dict[str, bool | None] = {}
    for f in FIELDS:
        want = expected.get(f)
        if want is None and f.startswith("signer"):
            out[f] = None
        elif f == "number_symbol":
            out[f] = (got[f] or "").replace("–", "-") == (want or "")
        else:
            out[f] = _norm(got[f]) == _norm(want)
    return out


def recipients_right(rec, expected: dict) -> tuple[bool, int, int] | None:
    """(whether the record's `Nơi nhận` list is the document's item for item, its items found among
    the document's, the document's items), or None where the ground truth could not read the list (not
    scored). Kept out of `FIELDS`: the header figures stay comparable across releases."""
    want = expected.get("recipients")
    if not want:
        return None
    got, wanted = [_norm(x) for x in rec.recipients], [_norm(x) for x in want]
    found = sum((Counter(got) & Counter(wanted)).values())
    return got == wanted, found, len(wanted)


def articles(rec, text: str) -> tuple[int, int]:
    """(articles found in the section tree that are in the text, `Điều N.` lines in the text)."""
    want = Counter(m.group(1) for m in _ARTICLE_LINE.finditer(text))
    found: Counter[str] = Counter()

    def walk(nodes) -> None:
        for n in nodes:
            if n.kind == "article":
                found[n.label.split()[-1]] += 1
            walk(n.children)

    walk(rec.sections)
    return sum(min(c, found[k]) for k, c in want.items()), sum(want.values())


class Tally:
    def __init__(self) -> None:
        self.fields: dict[str, list[int]] = {f: [0, 0] for f in FIELDS}
        self.docs = [0, 0]

    def add(self, hits: dict[str, bool | None]) -> None:
        scored = {f: v for f, v in hits.items() if v is not None}
        for f, v in scored.items():
            self.fields[f][0] += int(v)
            self.fields[f][1] += 1
        self.docs[0] += int(all(scored.values()))
        self.docs[1] += 1

    def summary(self) -> dict:
        right = sum(a for a, _ in self.fields.values())
        total = sum(b for _, b in self.fields.values())
        return {
            "fields_right": round(right / total, 4) if total else None,
            "fields": f"{right}/{total}",
            "docs_fully_right": f"{self.docs[0]}/{self.docs[1]}",
            "per_field": {f: f"{a}/{b}" for f, (a, b) in self.fields.items()},
        }


def run(args: argparse.Namespace) -> dict:
    from bench.scan_render import render_scan
    from vnplans.pipeline import convert, convert_text

    rows = load()
    quick = getattr(args, "quick", False)
    modes = getattr(args, "modes", None) or ["clean", "stripped", "scan"]
    if quick:
        rows = rows[:20]
    texts = corpus_texts(getattr(args, "corpus", "../shared/corpus"), {r["id"] for r in rows})
    scan_ids = {
        r["id"] for r in sorted(rows, key=lambda r: hashlib.sha1(r["id"].encode()).hexdigest())[:SCAN_DOCS]
    }
    result: dict = {"documents": len(rows), "modes": {}, "failures": {}, "stale": 0}
    art = {"dev": [0, 0], "test": [0, 0]}
    for mode in modes:
        tallies = {k: Tally() for k in ("dev", "test", "heldout", "all")}
        # documents whose Nơi nhận list came out item for item, of those scored; items right, of all
        lists = {k: [0, 0, 0, 0] for k in tallies}
        fails: list[dict] = []
        for row in rows:
            if mode == "scan" and row["id"] not in scan_ids:
                continue
            text = document_text(texts.get(row["id"], ""), row)
            if text is None:
                result["stale"] += 1
                continue
            try:
                if mode == "clean":
                    rec = convert_text(text, name=row["id"])
                    a, b = articles(rec, text)
                    art[row["split"]][0] += a
                    art[row["split"]][1] += b
                elif mode == "stripped":
                    rec = convert_text(strip_diacritics(text), name=row["id"])
                else:
                    with tempfile.TemporaryDirectory() as tmp:
                        seed = int(hashlib.sha1(row["id"].encode()).hexdigest()[:6], 16)
                        path = render_scan(text, row["expected"], row["notes"], seed=seed, folder=Path(tmp))
                        rec = convert(path)
            except Exception as e:  # a benchmark reports a crash as a miss, it does not stop
                fails.append({"id": row["id"], "error": f"{type(e).__name__}: {e}"})
                continue
            hits = compare(rec, row["expected"])
            listed = recipients_right(rec, row["expected"])
            for k in (row["split"], "all") + (("heldout",) if row["heldout"] else ()):
                tallies[k].add(hits)
                if listed is not None:
                    lists[k][0] += int(listed[0])
                    lists[k][1] += 1
                    lists[k][2] += listed[1]
                    lists[k][3] += listed[2]
            if listed is not None and not listed[0]:
                fails.append(
                    {
                        "id": row["id"],
                        "split": row["split"],
                        "recipients": [rec.recipients, row["expected"]["recipients"]],
                    }
                )
            if not all(v for v in hits.values() if v is not None):
                got = record_fields(rec)
                fails.append(
                    {
                        "id": row["id"],
                        "split": row["split"],
                        "wrong": {f: [got[f], row["expected"][f]] for f, v in hits.items() if v is False},
                    }
                )
        result["modes"][mode] = {
            k: t.summary()
            | {
                "recipients": f"{lists[k][0]}/{lists[k][1]}",
                "recipient_items": f"{lists[k][2]}/{lists[k][3]}",
            }
            for k, t in tallies.items()
        }
        result["failures"][mode] = fails
    if "clean" in modes:
        result["articles"] = {k: f"{a}/{b}" for k, (a, b) in art.items()}
    result["summary"] = {
        m: {k: v[k]["fields_right"] for k in ("dev", "test", "heldout")} for m, v in result["modes"].items()
    } | ({"articles": result["articles"]} if "articles" in result else {})
    result["summary"]["recipients"] = {
        m: {k: v[k]["recipients"] for k in ("dev", "test", "heldout")} for m, v in result["modes"].items()
    }
    result["summary"]["recipient_items"] = {
        m: {k: v[k]["recipient_items"] for k in ("dev", "test", "heldout")}
        for m, v in result["modes"].items()
    }
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.bench_headers")
    p.add_argument("--corpus", default="../shared/corpus")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--modes", nargs="*", choices=["clean", "stripped", "scan"])
    p.add_argument("--split", choices=["dev", "test"], help="print failures of this split only")
    p.add_argument("--out", help="write the JSON result here")
    a = p.parse_args(argv)
    res = run(a)
    if a.out:
        Path(a.out).write_text(json.dumps(res, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for mode, fails in res["failures"].items():
        for f in fails:
            if a.split is None or f.get("split") == a.split:
                print(mode, json.dumps(f, ensure_ascii=False))
    print(json.dumps(res["summary"], ensure_ascii=False, indent=1))
    for mode, v in res["modes"].items():
        print(mode, json.dumps({k: v[k]["per_field"] for k in ("dev", "test")}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
