"""Load the text fix's models while Tesseract reads a page, on a core Tesseract leaves free.

Why: a single `vnplans ocr PAGE` paid ~0.45 s of imports and model loads (language model, channel,
candidate tables, gazetteer, abbreviations) before its first repair, after OCR. Tesseract reads the page
for about a second in C with the GIL released, so on a second core the loads cost no wall time. The
caller waits for the thread before its own first repair: the models are never used by two threads
while they load, and a failure (a missing model) is raised again by that repair, not lost here.
A page read whole leaves a core free all along: the pipeline starts the loads on a thread of their own
once the page is clean (`read_page(before_ocr=...)`). A page read in two bands keeps both cores busy:
the first band's thread that is done loads (`run_here`, `ocr.bands`). Started earlier, the
loads held the GIL against the clean-up's Python (preprocessing 0.15 s -> 0.3-0.45 s; the whole command
on the real scan 1.9x -> 1.54x a one-thread `tesseract`). Candidate readings are not searched here
(more Python work slowed Tesseract's own read, whole command 2.2 s -> 3.0 s): those of every inventory
syllable come from the build-time table (`candidate_table`), loaded here.
"""

from __future__ import annotations

import os
import threading

__all__ = ["start", "run_here", "wait"]

# any administrative sentence will do: it walks repair through every loader it has (abbreviations,
# level words and the gazetteer, numbers, dates), whatever the page turns out to hold
_SAMPLE = "ỦY BAN NHÂN DÂN TỈNH\nSố: 12/KH-UBND ngày 02 tháng 3 năm 2024 về việc tổ chức kiểm tra\n"
_lock = threading.Lock()
_started = False
_done = threading.Event()


def _forked() -> None:
    """In a child forked while the parent was loading, no thread finishes that load: begin anew."""
    global _lock, _started, _done
    _lock = threading.Lock()
    if not _done.is_set():
        _started, _done = False, threading.Event()


os.register_at_fork(after_in_child=_forked)


def _load() -> None:
    try:
        from ..resources import comma_words, two_syllable_words
        from .channel import get_channel
        from .repair import repair_detailed
        from .repair.pairs import preload
        from .repair.words import capital_pairs

        repair_detailed(_SAMPLE, profile="vie")
        preload()  # the dictionary-pair words, built at the first doubtful syllable otherwise
        two_syllable_words()  # the words a mark may not split (`split_word_marks`)
        comma_words()  # the comma's evidence on the word before it (`comma_words`)
        capital_pairs()  # the capitals clean text keeps (`false_capitals`, `changed_capital`)
        _ = get_channel().inventory  # the sample's words are in the candidate table: no search built it
    except Exception:  # noqa: BLE001 - the caller's own repair raises the same error with its context
        pass


def _claim() -> bool:
    """True for the one caller that is to load (marked begun before any thread runs, so that `wait`
    never misses a load that is about to begin)."""
    global _started
    with _lock:
        if _started:
            return False
        _started = True
        return True


def _run() -> None:
    try:
        _load()
    finally:
        _done.set()


def start() -> None:
    """Begin loading on a thread of its own, once per process (later calls do nothing): for a page
    read whole on one core, the other core is free all along."""
    if _claim():
        threading.Thread(target=_run, name="vnplans-warmup", daemon=True).start()


def run_here() -> None:
    """Load on the calling thread, unless loading has begun. For a page read in two bands: each band's
    thread calls this when its band is done, and the first one free loads (started with the bands, the
    loads slowed both: `vnplans ocr` on a 1-bit page 0.965 -> 0.905 s this way)."""
    if _claim():
        _run()


def wait() -> None:
    """Block until a begun warm-up has finished (at once when none has begun)."""
    if _started:
        _done.wait()
