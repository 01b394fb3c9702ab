"""OCR of REAL documents' first pages: header, title, body and closing block, printed and scanned.

Why: the OCR benchmark's realistic pages are windows of body paragraphs; no page of it has the parts
where a plan's records come from (the two-column header, the number and date line, the title, the
signer's block and `Nơi nhận`), and a user's scan always starts with them. Here each document of the
header benchmark's list (bench/data/headers_expected.jsonl: real laws, decrees, circulars and decisions
of many issuers) is laid out the Decree 30 way from its own strings (`bench.scan_render.plan_doc`: its
issuing body, number, place and date, type, title, first and last paragraphs, signer, recipients),
rendered at 300 dpi and scanned in both calibrated profiles of the OCR benchmark (`synth.scanner`:
1-bit 200 dpi and colour JPEG at 150-200 ppi; seals, dust, skew; since 0.12.16's second scan of each
document, the first scans as they were). Its first page is
scored as the OCR benchmark scores: syllable errors of plain `tesseract PAGE - -l vie` and of the text
`vnplans ocr PAGE` prints, against the page's printed text (header rows as `left    right`, the order
vnplans prints them; plain Tesseract reads the columns one after the other, so its figure includes
the order it reads a header in, as a user sees it).

Held out by document and by content: only the documents the language model never saw (the header
benchmark's `heldout` ones, 20 of 240), and of their body only paragraphs that share no 10-syllable run
with the training text (`text.corpus.ContentFilter`; legal bases quoted by many documents drop out).
A first try on all 40 documents of a draw read the colour pages of documents the model was trained on
word for word (0 errors where plain Tesseract made 50-80): memory, not correction. Documents are split
as the header benchmark splits them (`dev`: issuers we may look at, `test`: issuers never tuned on).
Pages are cached under bench/work/firstpages/.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from .bench_headers import corpus_texts, document_text, load
from .bench_ocr import WORK, _write_png, errors, page_summary, run_command, run_printed, write_index

FOLDER = WORK.parent / "firstpages"
_SALT = "firstpages-2"


def _key(doc_id: str) -> str:
    return hashlib.sha1(f"{_SALT}:{doc_id}".encode()).hexdigest()


def page_set(corpus: str | Path, folder: Path = FOLDER) -> list[dict]:
    """The first page of every held-out document (cached: rendered once, read from the index after)."""
    index = folder / "pages.json"
    if index.exists():
        pages = json.loads(index.read_text(encoding="utf-8"))
        if all(Path(p["image"]).exists() for p in pages):
            return pages
    from bench.scan_render import plan_doc
    from vnplans.synth.document import render_document
    from vnplans.synth.scanner import scan_like
    from vnplans.text.corpus import ContentFilter

    folder.mkdir(parents=True, exist_ok=True)
    unseen = ContentFilter.from_corpus(corpus, cache=WORK.parent / "train_shingles.npy").is_unseen
    rows = sorted((r for r in load() if r["heldout"]), key=lambda r: _key(r["id"]))
    texts = corpus_texts(str(corpus), {r["id"] for r in rows})
    pages: list[dict] = []
    for row in rows:
        text = document_text(texts.get(row["id"], ""), row)
        if text is None:
            continue
        doc = plan_doc(text, row["expected"], row["notes"])
        doc.body = [p for p in doc.body if unseen(p.text)]
        first = render_document(doc, dpi=300)[0]
        seed = int(_key(row["id"])[:6], 16)
        profile = "jpeg" if len(pages) % 6 == 4 else "bilevel"  # the first scan: every third document JPEG
        for n, level in enumerate((profile, "bilevel" if profile == "jpeg" else "jpeg")):
            scan = scan_like(first.image, seed=seed + n, profile=level)
            path = folder / f"first_{len(pages):03d}.png"
            _write_png(path, scan.image, scan.dpi)
            pages.append({"image": str(path), "truth": first.text, "level": level, "dpi": scan.dpi,
                          "doc": row["id"], "split": row["split"], "degradations": scan.applied})  # fmt: skip
    write_index(index, pages)
    return pages


def run(args: argparse.Namespace) -> dict:
    corpus = getattr(args, "corpus", "../shared/corpus")
    pages = page_set(corpus)
    rows = []
    for page in pages[:4] if getattr(args, "quick", False) else pages:
        raw = errors(page["truth"], run_command(page)["text"])
        ours = errors(page["truth"], run_printed(page)["text"])
        rows.append(
            {"page": Path(page["image"]).name, "doc": page["doc"], "split": page["split"], "level": page["level"],
             "syllables": raw["syllables"], "raw": raw["syllable_errors"], "vnplans": ours["syllable_errors"],
             "raw_cer": round(raw["char_errors"] / max(1, raw["chars"]), 4),
             "vnplans_cer": round(ours["char_errors"] / max(1, ours["chars"]), 4)}
        )  # fmt: skip
        print(f"[firstpages] {rows[-1]}", file=sys.stderr, flush=True)
    return {
        "summary": {
            split: page_summary([r for r in rows if r["split"] == split]) for split in ("test", "dev")
        },
        "pages": rows,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default="../shared/corpus")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", default="bench/results/firstpages.json")
    args = ap.parse_args(argv)
    result = run(args)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result["summary"], ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
