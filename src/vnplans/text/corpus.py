"""Reading the training corpus and holding benchmark text out by document *and* by content.

The compendium (phapdien) quotes the same laws as vbpl, so a document-id split alone leaks test
sentences into training. `ContentFilter` keeps only held-out sentences that share no long n-gram
with any training document.
"""

from __future__ import annotations

import hashlib
import json
import lzma
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .syllable import fold, nfc

__all__ = ["Doc", "iter_docs", "is_heldout", "split_sentences", "ContentFilter", "SHINGLE"]

HELDOUT_PERCENT = 4  # of vbpl + vanban documents; phapdien is compendium text, always training
HELDOUT_SOURCES = ("vbpl", "vanban")
SHINGLE = 10  # syllables: a test sentence sharing any 10-gram with training is not "held out"


@dataclass(frozen=True, slots=True)
class Doc:
    id: str
    source: str  # file stem: vbpl | phapdien | vanban-2025-2026
    text: str


def iter_docs(corpus_dir: str | Path) -> Iterator[Doc]:
    """Every document of every `*.jsonl.xz` file, NFC, in a fixed (sorted) order."""
    files = sorted(Path(corpus_dir).glob("*.jsonl.xz"))
    if not files:
        raise FileNotFoundError(f"no *.jsonl.xz corpus files in {corpus_dir}")
    for f in files:
        stem = f.name.removesuffix(".jsonl.xz")
        with lzma.open(f, "rt", encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    obj = json.loads(line)
                    yield Doc(f"{stem}:{obj['id']}", stem, nfc(obj.get("text") or ""))


def is_heldout(doc: Doc) -> bool:
    """Stable document split: a fixed share of administrative documents, chosen by hash of id."""
    if not doc.source.startswith(HELDOUT_SOURCES):
        return False
    h = int(hashlib.sha1(doc.id.encode()).hexdigest()[:8], 16)
    return h % 100 < HELDOUT_PERCENT


_SENT_END = re.compile(r"(?<=[.;:!?])\s+|\n+")


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT_END.split(text) if s and s.strip()]


_WORD = re.compile(r"[^\W\d_]+")


def _hashes(text: str, n: int = SHINGLE) -> np.ndarray:
    sy = [w.lower() for w in _WORD.findall(fold(text))]
    if len(sy) < n:
        return np.zeros(0, dtype=np.uint64)
    grams = (" ".join(sy[i : i + n]) for i in range(len(sy) - n + 1))
    return np.fromiter(
        (int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little") for g in grams),
        dtype=np.uint64,
    )


class ContentFilter:
    """Hashes of every training n-gram, to test whether a held-out sentence is really unseen."""

    def __init__(self, hashes: np.ndarray):
        self.hashes = np.unique(hashes)

    @classmethod
    def from_corpus(cls, corpus_dir: str | Path, cache: str | Path | None = None) -> ContentFilter:
        if cache and Path(cache).exists():
            return cls(np.load(cache))
        parts = [_hashes(d.text) for d in iter_docs(corpus_dir) if not is_heldout(d)]
        self = cls(np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint64))
        if cache:
            Path(cache).parent.mkdir(parents=True, exist_ok=True)
            np.save(cache, self.hashes)
        return self

    def is_unseen(self, sentence: str) -> bool:
        h = _hashes(sentence)
        if h.size == 0 or self.hashes.size == 0:
            return True
        # binary search in the sorted table: np.isin would re-sort millions of hashes per call
        idx = np.minimum(np.searchsorted(self.hashes, h), self.hashes.size - 1)
        return not bool((self.hashes[idx] == h).any())

    def unseen(self, sentences: Iterable[str]) -> list[str]:
        return [s for s in sentences if self.is_unseen(s)]
