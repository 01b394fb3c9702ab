"""libtesseract in-process, through its C API (ctypes): the same TSV as the `tesseract` command, faster.

The command starts a process and loads the language model for every page, and reads the page from
a temporary image file: ~0.09 s of a 1 s page. Here each thread keeps one initialised engine and
hands it the pixels. Output is identical: `tesseract` itself is a thin client of this library, and
the engine is set up as the command sets it up (`--psm` as the page segmentation mode, `--dpi` as
`user_defined_dpi`). `tests/test_tessapi.py` checks word for word against the command.

`available()` is False, and `ocr.py` uses the command through pytesseract, when the library cannot
be loaded (not Linux/macOS with Tesseract 5, say) or `VNPLANS_TESSERACT=cli` asks for the command.
A crash inside the library takes its process down; batch workers are separate processes, and the
batch reports that page as failed and carries on.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import os
import threading
import weakref
from concurrent.futures import Future
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

# no numpy at import: the CLI starts loading models (`warm`) before numpy, OpenCV and the pipeline load
__all__ = ["available", "image_to_data", "skip_end_at_exit", "warm", "TesseractApiError"]

_LIB_NAMES = ("libtesseract.so.5", "libtesseract.5.dylib", "tesseract")
# columns of Tesseract's TSV, the header the command writes and the library does not
_COLUMNS = (
    "level", "page_num", "block_num", "par_num", "line_num", "word_num",
    "left", "top", "width", "height", "conf", "text",
)  # fmt: skip


class TesseractApiError(RuntimeError):
    """The library refused a language or a page (the caller may fall back to the command)."""


@cache
def _lib() -> Any:
    """The loaded library with its signatures declared, or None."""
    if os.environ.get("VNPLANS_TESSERACT", "").lower() == "cli":
        return None
    # OpenMP reads its limit as the library loads: one Tesseract thread (see `ocr.tesseract`). Loaded
    # early by `warm` without it, the two bands' OpenMP teams spun on two cores: 0.9 -> 2.6 s a page.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    lib = None
    for name in _LIB_NAMES:
        path = name if "." in name else ctypes.util.find_library(name)
        if not path:
            continue
        try:
            lib = ctypes.CDLL(path)
            break
        except OSError:
            continue
    if lib is None:
        return None
    v, s, i = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
    try:
        for fn, args, res in (
            ("TessVersion", [], s),
            ("TessBaseAPICreate", [], v),
            ("TessBaseAPIDelete", [v], None),
            ("TessBaseAPIInit3", [v, s, s], i),
            ("TessBaseAPIEnd", [v], None),
            ("TessBaseAPISetVariable", [v, s, s], i),
            ("TessBaseAPISetPageSegMode", [v, i], None),
            ("TessBaseAPISetImage", [v, v, i, i, i, i], None),
            ("TessBaseAPIRecognize", [v, v], i),
            ("TessBaseAPIGetTsvText", [v, i], v),
            ("TessBaseAPIClear", [v], None),
            ("TessDeleteText", [v], None),
        ):
            f = getattr(lib, fn)
            f.argtypes, f.restype = args, res
    except AttributeError:  # an old library without part of the C API
        return None
    if not (lib.TessVersion() or b"").startswith(b"5"):
        return None  # the TSV layout and engine set-up above are Tesseract 5's
    return lib


def available() -> bool:
    """Whether pages go to the in-process library (else to the `tesseract` command)."""
    return _lib() is not None


class _Engine:
    """One initialised TessBaseAPI (model loaded). Ended when its thread ends or at exit, so a thread
    pool does not leave an engine per finished thread; never in a forked child (the parent owns it)."""

    def __init__(self, lib: Any, lang: str) -> None:
        self.lib, self.pid = lib, os.getpid()
        self.h = lib.TessBaseAPICreate()
        # as the command does: its debug messages (`Detected 120 diacritics`) are not for our stderr
        lib.TessBaseAPISetVariable(self.h, b"debug_file", os.devnull.encode())
        if lib.TessBaseAPIInit3(self.h, None, lang.encode()) != 0:
            self.close()
            raise TesseractApiError(f"Tesseract could not load language {lang!r}")
        lib.TessBaseAPISetVariable(self.h, b"debug_file", os.devnull.encode())
        _LIVE.add(self)

    def close(self) -> None:
        h, self.h = self.h, None
        if h and self.pid == os.getpid():
            self.lib.TessBaseAPIEnd(h)
            self.lib.TessBaseAPIDelete(h)

    __del__ = close


class _Engines(threading.local):
    """Per thread (a TessBaseAPI is not thread-safe) and per process (not shared across a fork)."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.by_lang: dict[str, _Engine] = {}


_ENGINES = _Engines()
_LIVE: weakref.WeakSet[_Engine] = weakref.WeakSet()  # ended at exit (else Tesseract warns of leaks)


# engines loading in the background (`warm`), by (process, language): one for each thread that asks
_PARKED: dict[tuple[int, str], list[Future[_Engine]]] = {}
_PARKED_LOCK = threading.Lock()


def _own(lang: str) -> _Engine | None:
    if _ENGINES.pid != os.getpid():  # inherited through fork: the parent owns those
        _ENGINES.pid, _ENGINES.by_lang = os.getpid(), {}
    return _ENGINES.by_lang.get(lang)


def _to_load(lang: str) -> Any:
    """The library when `lang` is a language name this thread has no engine for yet, else None (an
    empty name crashes the library: `check_tesseract` names that error)."""
    lib = _lib()
    if lib is None or not lang or any(not part for part in lang.split("+")) or _own(lang) is not None:
        return None
    return lib


def warm(lang: str, count: int = 1) -> None:
    """Start loading `count` engines for `lang` (~0.1 s of C each, the GIL released) on one thread,
    one after another, for the first `count` threads that read a page (a page read in two bands
    wants two). Loaded side by side they were a third busy thread on two cores while the page was
    cleaned. A no-op when this thread has the engine, or engines are already loading; a failure is
    left for `image_to_data` to raise in the reading thread."""
    lib = _to_load(lang)
    if lib is None or count < 1:
        return
    key = (os.getpid(), lang)
    with _PARKED_LOCK:
        if _PARKED.get(key):
            return
        futures: list[Future[_Engine]] = [Future() for _ in range(count)]
        _PARKED[key] = list(futures)

    def load() -> None:
        for future in futures:
            try:
                future.set_result(_Engine(lib, lang))
            except BaseException as e:  # noqa: BLE001 - handed to the thread that takes the engine
                future.set_exception(e)

    threading.Thread(target=load, name=f"tesseract-{lang}", daemon=True).start()


def _engine(lang: str) -> int:
    engine = _own(lang)
    if engine is None:
        with _PARKED_LOCK:
            parked = _PARKED.get((os.getpid(), lang))
            future = parked.pop(0) if parked else None
            if parked == []:
                del _PARKED[(os.getpid(), lang)]
        if future is not None and future.exception() is None:
            engine = future.result()
        else:  # none loading, or it failed: load here, and raise here
            engine = _Engine(_lib(), lang)
        _ENGINES.by_lang[lang] = engine
    return engine.h


@atexit.register
def _end_all() -> None:
    for engine in list(_LIVE):
        engine.close()


def skip_end_at_exit() -> None:
    """Leave the engines to the operating system at exit: for a process that ends with `os._exit`,
    which frees their memory at once (ending two engines cost 10 ms of every `vnplans ocr`)."""
    atexit.unregister(_end_all)


def image_to_data(image: np.ndarray, *, lang: str, psm: int, dpi: int | None) -> dict[str, list]:
    """Tesseract's TSV for a gray or BGR uint8 page, as pytesseract's `image_to_data` DICT gives it
    (numbers as int, confidences truncated to int as pytesseract does)."""
    import numpy as np

    lib = _lib()
    if lib is None:
        raise TesseractApiError("libtesseract is not available")
    a = np.asarray(image)
    if a.ndim == 3:
        a = a[:, :, 2::-1] if a.shape[2] >= 3 else a[:, :, 0]  # BGR(A) -> RGB, as the TIFF held it
    a = np.ascontiguousarray(a, dtype=np.uint8)
    bpp = 1 if a.ndim == 2 else 3
    h = _engine(lang)
    lib.TessBaseAPISetPageSegMode(h, int(psm))
    lib.TessBaseAPISetVariable(h, b"user_defined_dpi", str(int(dpi or 0)).encode())
    lib.TessBaseAPISetImage(h, a.ctypes.data, a.shape[1], a.shape[0], bpp, a.strides[0])
    try:
        if lib.TessBaseAPIRecognize(h, None) != 0:
            raise TesseractApiError("Tesseract could not recognise the page")
        p = lib.TessBaseAPIGetTsvText(h, 0)
        try:
            tsv = ctypes.string_at(p).decode("utf-8", "replace") if p else ""
        finally:
            if p:
                lib.TessDeleteText(p)
    finally:
        lib.TessBaseAPIClear(h)
    return _parse_tsv(tsv)


def _parse_tsv(tsv: str) -> dict[str, list]:
    out: dict[str, list] = {c: [] for c in _COLUMNS}
    last = len(_COLUMNS) - 1
    for line in tsv.strip("\n").split("\n"):
        if not line:
            continue
        cells = line.split("\t", last)
        cells += [""] * (len(_COLUMNS) - len(cells))
        for k, (col, val) in enumerate(zip(_COLUMNS, cells, strict=True)):
            out[col].append(val if k == last else int(float(val)))
    return out
