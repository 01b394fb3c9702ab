"""Where `ocr.spacing.SPACE_GAP` comes from: the blank runs inside the words the text fix would split.

    python -m bench.run --only spacing   # -> bench/results/spacing.json

Pages: the OCR benchmark's realistic dev pages and a tuning set made here the same way from the
same dev documents (`bench_ocr._split == "dev"`, never the test split) with other seeds and other
paragraphs. Each page is read as `vnplans ocr` reads it; the text fix runs without the scan, and
every word `split_syllables` splits is measured on the page (`ocr.spacing.widest_gap`, as a share of
the word box's height) and judged against the truth: `ran_together` where the truth has the two
words, `printed_glued` where the truth has the word as one. The threshold is right when every
`ran_together` word measures above it and every `printed_glued` word below.
"""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .bench_ocr import WORK, dev_window_pages, realistic_set, write_index

TUNING_PAGES = 30
SEED = 31337


def tuning_set(corpus: str | Path, n: int = TUNING_PAGES, work: Path = WORK) -> list[dict]:
    """n pages of dev documents, cached; three tries of paragraph windows per document."""
    index = work / "spacing_tuning.json"
    if index.exists():
        pages = json.loads(index.read_text(encoding="utf-8"))
        if len(pages) >= n and all(Path(p["image"]).exists() for p in pages[:n]):
            return pages[:n]
    pages = dev_window_pages(corpus, SEED, n, lambda i: work / f"spacing_tuning_{i:03d}.png", 12000)
    write_index(index, pages)
    return pages


def _splits(page: dict) -> list[dict]:
    """The words the text fix splits on this page when it has no scan to ask, measured on the scan."""
    import cv2

    from vnplans.ocr.spacing import widest_gap
    from vnplans.pipeline import _correct_detailed, read_page

    img = cv2.imread(page["image"], cv2.IMREAD_UNCHANGED)
    pre, ocr, _ = read_page(img, page["dpi"], lang="vie")
    # no image: splits as before `ocr.spacing`; the words and their sources as the fix read them (a line's
    # parts a column's gap apart are two sentences to it, so its text is not always `ocr.text`)
    _, out, sources = _correct_detailed(ocr, lang="vie", style="keep", image=None, table_rows=None)
    truth = " ".join(page["truth"].split())
    rows = []
    for word, (source, _) in zip(out.words, sources, strict=True):
        if " " not in word.text or " " in source or len(source) < 3:
            continue
        height = max(1, word.y1 - word.y0)
        if word.text in truth:
            verdict = "ran_together"
        elif word.text.replace(" ", "") in truth:
            verdict = "printed_glued"
        else:
            continue  # neither form in the truth: a misread either way
        gap = widest_gap(pre.image, (word.x0, word.y0, word.x1, word.y1))
        rows.append({"page": Path(page["image"]).name, "read": source, "split": word.text, "verdict": verdict,
                     "gap_px": gap, "height_px": height, "gap_share": round(gap / height, 3)})  # fmt: skip
    return rows


def run(args) -> dict:
    from vnplans.ocr.spacing import SPACE_GAP

    dev = [p for p in realistic_set(args.corpus, 30) if p["split"] == "dev"]
    pages = dev + tuning_set(args.corpus, 8 if getattr(args, "quick", False) else TUNING_PAGES)
    with ProcessPoolExecutor(max_workers=2) as ex:
        rows = [r for page_rows in ex.map(_splits, pages) for r in page_rows]
    together = [r["gap_share"] for r in rows if r["verdict"] == "ran_together"]
    glued = [r["gap_share"] for r in rows if r["verdict"] == "printed_glued"]
    return {
        "summary": {
            "pages": len(pages),
            "space_gap": SPACE_GAP,
            "ran_together": {"words": len(together), "min_share": min(together, default=None)},
            "printed_glued": {"words": len(glued), "max_share": max(glued, default=None)},
            "separates": all(s >= SPACE_GAP for s in together) and all(s < SPACE_GAP for s in glued),
        },
        "words": rows,
    }
