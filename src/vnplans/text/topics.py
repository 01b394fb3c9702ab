"""Corpus documents by topic, so a benchmark can hold whole topics out of training.

A document-id split (`corpus.is_heldout`) leaves every topic in training: its test sentences share
their vocabulary, place names and phrasing with what the model learnt (98.8 %), while a new user's
drainage decision or festival plan scored 96.5 % (issue 18). Leave-topic-out makes the benchmark
meet the model the way such a user does: every document of a held-out topic, whatever its source,
stays out of the language model and the candidate tables.

A topic comes from what the document says it is about, never from its body: the compendium's page
slug (`phapdien:nong-nghiep-nong-thon__thuy-loi`), or the head of an administrative document (title,
`Lĩnh vực` row, issuer) up to its first legal basis, since `Căn cứ Luật Thủy lợi` says nothing of
the document's own topic. Keywords are matched on folded, lower-case words; the first topic in
`TOPICS` order with a hit wins, so a water-board decision on fees is `water`, not `finance`.
"""

from __future__ import annotations

import re
from functools import cache

from .corpus import Doc, is_heldout
from .syllable import fold

__all__ = ["TOPICS", "HELDOUT_TOPICS", "topic_of", "is_topic_heldout", "in_training", "doc_head"]

# folded keyword phrases per topic; order matters (first match wins)
TOPICS: dict[str, tuple[str, ...]] = {
    "water": (
        "thuy loi",
        "de dieu",
        "thien tai",
        "lu lut",
        "ngap ung",
        "tieu ung",
        "thoat nuoc",
        "khi tuong thuy van",
        "tai nguyen nuoc",
        "nuoc sach",
        "ho chua",
        "chong lu",
        "phong chong lu",
        "han han",
        "xam nhap man",
        "sat lo",
        "bao lu",
    ),
    "culture": (
        "van hoa",
        "le hoi",
        "du lich",
        "the thao",
        "the duc",
        "di tich",
        "di san",
        "bao tang",
        "nghe thuat",
        "dien anh",
        "thu vien",
        "my thuat",
        "quang cao",
        "nep song",
        "le tang",
    ),
    "health": (
        "y te",
        "duoc",
        "kham benh",
        "chua benh",
        "benh truyen nhiem",
        "an toan thuc pham",
        "suc khoe",
    ),
    "education": ("giao duc", "dao tao", "hoc sinh", "sinh vien", "dai hoc", "nha giao", "truong hoc"),
    "transport": ("giao thong", "van tai", "duong bo", "duong sat", "hang hai", "hang khong", "duong thuy"),
    "land": ("dat dai", "su dung dat", "nha o", "xay dung", "quy hoach", "do thi", "kien truc", "do dac"),
    "agriculture": ("nong nghiep", "nong thon", "thuy san", "lam nghiep", "chan nuoi", "trong trot", "thu y"),
    "finance": (
        "tai chinh",
        "ngan sach",
        "thue",
        "le phi",
        "ngan hang",
        "tien te",
        "chung khoan",
        "ke toan",
        "kiem toan",
        "hai quan",
        "bao hiem",
        "tai san cong",
        "no cong",
    ),
    "security": ("quoc phong", "an ninh", "cong an", "quan su", "bien gioi", "trat tu"),
    "justice": ("tu phap", "to tung", "thi hanh an", "hinh su", "dan su", "khieu nai", "to cao", "toa an"),
}
HELDOUT_TOPICS = frozenset({"water", "culture"})  # out of training for the leave-topic-out benchmark

_HEAD_CHARS = 700  # title and issuer; further down the body's own words would decide
_BASIS = re.compile(r"^\W*(căn cứ|theo đề nghị|xét đề nghị)", re.IGNORECASE | re.MULTILINE)
_FIELD = re.compile(r"^\|\s*(?:Lĩnh vực|Ngành|Trích yếu|Tiêu đề|Cơ quan ban hành)(.*)$", re.MULTILINE)
_WORDS = re.compile(r"[a-z]+")


def doc_head(doc: Doc) -> str:
    """What the document says it is about: slug, or title/field rows before the first legal basis."""
    if doc.source == "phapdien":
        slug = doc.id.split(":", 1)[1]
        sub = slug.split("__")[-1]  # the subtopic decides; the parent page only when there is none
        return sub.replace("-", " ")
    head = doc.text[:_HEAD_CHARS]
    m = _BASIS.search(head)
    if m:
        head = head[: m.start()]
    fields = " ".join(_FIELD.findall(doc.text[:4000]))  # metadata rows of the crawled pages
    return fields + " " + head


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        (name, re.compile(r"\b(?:" + "|".join(re.escape(k) for k in keys) + r")\b"))
        for name, keys in TOPICS.items()
    )


def topic_of(doc: Doc) -> str:
    """The document's topic name (a key of `TOPICS`), or `other`."""
    words = " ".join(_WORDS.findall(fold(doc_head(doc)).lower()))
    for name, pat in _patterns():
        if pat.search(words):
            return name
    return "other"


def is_topic_heldout(doc: Doc) -> bool:
    """Whether the document belongs to a topic kept out of training (`HELDOUT_TOPICS`)."""
    return topic_of(doc) in HELDOUT_TOPICS


def in_training(doc: Doc) -> bool:
    """The language model's training documents: neither in the document split nor a held-out topic."""
    return not is_heldout(doc) and not is_topic_heldout(doc)
