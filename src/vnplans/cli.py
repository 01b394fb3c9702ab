"""The `vnplans` command line. Heavy modules are imported inside commands so `--help` starts fast.

Exit codes: 0 success; 1 some inputs failed (batch) or bad input; 2 usage error; 130 interrupted.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from pathlib import Path
from typing import Annotated, NoReturn

# numpy's OpenBLAS starts a thread per core that spins after each call; vnplans multiplies only 3x3
# matrices, and on 2 cores those threads took CPU from the two Tesseract bands (`vnplans ocr` on a
# 1-bit page: CPU 1.70 -> 1.55 s, wall -4 %). Set before numpy loads; batch workers inherit it.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import typer  # noqa: E402

from . import __version__
from .export.formats import FORMAT_NAMES, WORD_FORMATS

app = typer.Typer(
    name="vnplans",
    help="Degraded Vietnamese administrative documents in, faithful text and validated records out.\n\n"
    "Examples:\n\n"
    "  vnplans restore old-ocr.txt > fixed.txt\n\n"
    "  vnplans ocr scan.pdf\n\n"
    "  vnplans parse plan.txt --json\n\n"
    "  vnplans convert archive/ --out converted/ --jobs 4",
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish, PowerShell
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

_DEBUG = {"on": False}
_STATE = {"verbose": 0, "quiet": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"vnplans {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks on errors.")] = False,
    verbose: Annotated[
        int,
        typer.Option(
            "--verbose",
            "-v",
            count=True,
            help="More on stderr: -v stages and warnings, -vv every corrected word.",
        ),
    ] = 0,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Only errors on stderr (no progress, no notes).")
    ] = False,
) -> None:
    _DEBUG["on"] = debug
    _STATE["verbose"], _STATE["quiet"] = (0, True) if quiet else (verbose, False)


def _note(message: str, level: int = 1) -> None:
    """A line on stderr at verbosity `level` and above; nothing under --quiet."""
    if not _STATE["quiet"] and _STATE["verbose"] >= level:
        typer.echo(message, err=True)


def _word_report(words: list, notes: list[str], level: int, offset: int = 0) -> None:
    """Changed or doubtful words; `offset`: where the reported text starts in the whole input."""
    for w in words:
        if w.changed or w.confidence < 0.6:
            start, end = w.start + offset, w.end + offset
            _note(f"{start}:{end}\t{w.source}\t{w.output}\t{w.confidence:.2f}", level)
    for n in notes:
        _note(n, level)


_OS_REASONS = {
    errno.ENOENT: "no such file",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EISDIR: "is a folder, not a file",
    errno.ENOSPC: "no space left on device",
    errno.ENAMETOOLONG: "file name too long",
    errno.ELOOP: "too many levels of symbolic links",
}


def describe(err: BaseException) -> str:
    """`<file>: <reason>` on one line, the same wording for the same fault in every command."""
    from .names import display

    if isinstance(err, OSError) and err.filename is not None:
        reason = _OS_REASONS.get(err.errno or 0) or (err.strerror or str(err)).lower()
        return f"{display(err.filename)}: {reason}"
    msg = " ".join(str(err).split()) or type(err).__name__
    return msg.encode("utf-8", "backslashreplace").decode("utf-8")  # never a stray surrogate


def _fail(err: BaseException) -> NoReturn:
    """One clear line for users (exit 1 for bad input, 2 for bad usage); the traceback only with --debug."""
    from .errors import UsageError

    if _DEBUG["on"]:
        raise err
    msg = describe(err)
    if not isinstance(err, (OSError, ValueError, RuntimeError)):  # not an input problem: say so
        msg = f"unexpected {type(err).__name__}: {msg} (vnplans --debug shows where)"
    typer.echo(f"vnplans: error: {msg}", err=True)
    raise typer.Exit(2 if isinstance(err, UsageError) else 1)


def _emit(text: str) -> None:
    """Write a command's result to stdout, turning a full disk or a closed stdout into one error line."""
    if sys.stdout is None:
        _fail(OSError("cannot write the output: standard output is closed"))
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # `vnplans ... | head`: the reader has what it wanted
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(1) from None
    except (OSError, ValueError) as e:  # ENOSPC (/dev/full), EBADF, a closed file object
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        reason = _OS_REASONS.get(getattr(e, "errno", None) or 0) or describe(e)
        _fail(OSError(f"cannot write the output: {reason}"))


def _choice(value: str, choices: tuple[str, ...], option: str) -> str:
    if value not in choices:
        raise typer.BadParameter(f"{value!r} is not one of: {', '.join(choices)}", param_hint=option)
    return value


def _read_text_arg(file: str | None) -> str:
    if file in (None, "-"):
        data = sys.stdin.buffer.read()
        from .ingest.textfile import decode_bytes

        return decode_bytes(data, name="<stdin>")
    from .ingest.textfile import read_text_file

    return read_text_file(Path(file))


# The text-layer choice, the same on `ocr` and `convert` (OCRmyPDF's names)
SkipText = Annotated[
    bool, typer.Option("--skip-text", help="PDF pages with a text layer: use it (corrected), never OCR.")
]
RedoOcr = Annotated[
    bool,
    typer.Option(
        "--redo-ocr", help="Default: keep a clean Vietnamese text layer, OCR pages whose layer is bad."
    ),
]
ForceOcr = Annotated[bool, typer.Option("--force-ocr", help="OCR every page, whatever text layer it has.")]


@app.command()
def restore(
    file: Annotated[str | None, typer.Argument(help="Text file to fix; '-' or nothing reads stdin.")] = None,
    mode: Annotated[
        str, typer.Option("--mode", "-m", help="auto | restore | repair | legacy | keep (auto detects).")
    ] = "auto",
    style: Annotated[
        str, typer.Option(help="Tone placement: keep (as printed), old (hòa, thủy) or new (hoà, thuỷ).")
    ] = "keep",
    report: Annotated[
        bool, typer.Option("--report", help="Print per-word changes and confidences to stderr.")
    ] = False,
) -> None:
    """Restore diacritics and repair OCR errors; prints the fixed text, same lines as the input.

    Example: echo "Uy ban nhan dan thanh pho" | vnplans restore
    """
    _choice(mode, ("auto", "restore", "repair", "legacy", "keep"), "--mode")
    _choice(style, ("keep", "old", "new"), "--style")
    try:
        text = _read_text_arg(file)
        from .text.auto import fix_text
        from .text.blocks import text_blocks
    except Exception as e:  # bad input of any kind: one line, no traceback
        _fail(e)
    level = 0 if report else 1  # --report is -v for this command
    # piece by piece (paragraphs, ~64 K characters), each written before the next is fixed: memory
    # follows the piece, not the file
    for offset, piece in text_blocks(text):
        try:
            result = fix_text(piece, mode=mode, style=style)
        except Exception as e:
            _fail(e)
        _emit(result.text)
        _note(f"mode={result.mode} corrected={result.corrected_count}", level)
        _word_report(result.words, result.notes, level, offset)
        del result


@app.command("train-lm")
def train_lm(
    corpus: Annotated[Path, typer.Argument(help="Folder with *.jsonl.xz corpus files.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Output folder for the model files.")] = Path(
        "models"
    ),
    order: Annotated[int, typer.Option(help="n-gram order.")] = 3,
) -> None:
    """Train the syllable n-gram language model and candidate tables from the corpus.

    Example: vnplans train-lm ../shared/corpus -o models
    """
    from .text.train import train_lm as _train

    try:
        _train(corpus, out, order=order)
    except Exception as e:  # bad input of any kind: one line, no traceback
        _fail(e)


OCR_FORMATS = ("text", *WORD_FORMATS)


def _stdin_file() -> Path:
    """Standard input saved to a temporary file: ingest reads files (type by content, page by page)."""
    import tempfile

    data = sys.stdin.buffer.read()
    with tempfile.NamedTemporaryFile(prefix="vnplans-stdin-", delete=False) as fh:
        fh.write(data)
    return Path(fh.name)


def _text_layer_mode(skip: bool, redo: bool, force: bool) -> str:
    if skip + redo + force > 1:
        raise typer.BadParameter(
            "choose one of --skip-text, --redo-ocr, --force-ocr", param_hint="text layer"
        )
    return "skip" if skip else "force" if force else "auto"


@app.command()
def ocr(
    file: Annotated[str, typer.Argument(help="Image (PNG/JPEG/TIFF/...) or PDF; '-' reads it from stdin.")],
    raw: Annotated[
        bool, typer.Option("--raw", help="Tesseract text only, no Vietnamese correction.")
    ] = False,
    lang: Annotated[str, typer.Option(help="Tesseract language(s).")] = "vie",
    pdf: Annotated[
        Path | None,
        typer.Option("--pdf", help="Also write a searchable PDF/A-2b (the scan's own image) here."),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help=f"stdout: {' | '.join(OCR_FORMATS)} (corrected words on boxes)."),
    ] = "text",
    skip_text: SkipText = False,
    redo_ocr: RedoOcr = False,
    force_ocr: ForceOcr = False,
) -> None:
    """OCR a scan or PDF and print its Vietnamese text (or ALTO / hOCR / TSV).

    Example: vnplans ocr scan.png ;  cat scan.pdf | vnplans ocr - --format alto > scan.alto.xml
    """
    if fmt not in OCR_FORMATS:
        raise typer.BadParameter(f"{fmt!r} is not one of: {', '.join(OCR_FORMATS)}", param_hint="--format")
    mode = _text_layer_mode(skip_text, redo_ocr, force_ocr)
    from .ocr.engine import is_language_list, warm_engine

    if not is_language_list(lang):
        raise typer.BadParameter(f"{lang!r} names no language (e.g. vie, vie+eng)", param_hint="--lang")
    source: Path | None = None
    try:
        from .options import Options

        opts = Options(fix=not raw, lang=lang, text_layer=mode)
        warm_engine(opts.engine, opts.lang)  # the models load on the other core from here on

        from .names import display
        from .ocr import get_engine
        from .pipeline import build_record, process_document, write_searchable

        engine = get_engine(opts.engine)
        engine.check(opts.lang)  # an unknown language would stop the engine, or crash it
        source = _stdin_file() if file == "-" else Path(file)
        name = "<stdin>" if file == "-" else display(source.name)
        # the searchable PDF is drawn on the input's own pages: no page image is kept in memory
        result = process_document(source, options=opts, keep_images=False)
        for p in result.pages:
            _note(f"page {p.number}: {p.route}; " + " ".join(f"{k}={v:.2f}s" for k, v in p.timings.items()))
            for code, message in p.warnings:
                _note(f"page {p.number}: {code}: {message}")
            if p.fix is not None:
                _word_report(p.fix.words, p.fix.notes, 2)
        if pdf is not None:
            write_searchable(result, pdf, build_record(result, name=name))
        if fmt == "text":
            out = result.text
        else:
            from . import __version__
            from .export.formats import get_format
            from .export.words import page_words

            pages = page_words(result)
            if not pages:
                raise ValueError(
                    f"{name}: no OCR'd pages to give word boxes for (the text layer was used; try --force-ocr)"
                )
            out = get_format(fmt).render(pages, file_name=name, version=__version__)
    except Exception as e:  # bad input of any kind: one line, no traceback
        _fail(e)
    finally:
        if file == "-" and source is not None:
            source.unlink(missing_ok=True)
    _emit(out if out.endswith("\n") else out + "\n")


@app.command()
def parse(
    file: Annotated[str, typer.Argument(help="Text, image or PDF; '-' reads text from stdin.")],
    as_json: Annotated[
        bool, typer.Option("--json/--summary", help="JSON record (default) or a summary.")
    ] = True,
    no_fix: Annotated[
        bool, typer.Option("--no-fix", help="Parse the text as is, without restoring it.")
    ] = False,
) -> None:
    """Parse a plan into a validated record (header, sections, tasks, signature) as JSON.

    Example: vnplans parse plan.txt --json
    """
    from .options import Options
    from .pipeline import convert, convert_text

    opts = Options(fix=not no_fix)
    try:
        if file == "-":
            record = convert_text(_read_text_arg("-"), name="<stdin>", options=opts)
        else:
            record = convert(Path(file), options=opts)
    except Exception as e:  # bad input of any kind: one line, no traceback
        _fail(e)
    from .parse import NOT_VIETNAMESE

    if any(w.code == NOT_VIETNAMESE for w in record.quality.warnings):
        where = "<stdin>" if file == "-" else file
        _fail(ValueError(f"{where}: not a Vietnamese administrative document (the text is not Vietnamese)"))
    if as_json:
        _emit(record.model_dump_json(indent=2) + "\n")
    else:
        from .export import render_summary

        _emit(render_summary(record))


@app.command()
def rules(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per rule.")] = False,
) -> None:
    """List the repair rules (name, stage, OCR profiles, why) and the preprocessing steps.

    Each can be switched off by name (library: `repair_detailed(..., disabled={name})`, `preprocess(...,
    steps=...)`); `make bench` measures every rule's gain (bench/results/rules.json).
    """
    import json

    from .image.preprocess import ALL_STEPS, DEFAULT_STEPS
    from .text.repair import RULES

    rows = [
        {"kind": "repair", "name": r.name, "stage": r.stage, "scope": sorted(r.scope), "why": r.why}
        for r in RULES
    ]
    rows += [{"kind": "preprocess", "name": s, "default": s in DEFAULT_STEPS} for s in ALL_STEPS]
    if as_json:
        _emit("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
        return
    lines = []
    for r in rows:
        if r["kind"] == "repair":
            why = " ".join(r["why"].split())
            lines.append(f"repair      {r['name']:<22} {r['stage']:<8} {','.join(r['scope']):<9} {why}")
        else:
            lines.append(f"preprocess  {r['name']:<22} {'on' if r['default'] else 'off (opt-in)'}")
    _emit("\n".join(lines) + "\n")


@app.command()
def schema() -> None:
    """Print the JSON Schema of the output record."""
    import json

    from .models import PlanRecord

    _emit(json.dumps(PlanRecord.model_json_schema(), ensure_ascii=False, indent=2) + "\n")


@app.command()
def convert(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders (recursive) or globs.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("out"),
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", "-j", min=0, help="Worker processes (0 = all cores); scans are split by page."
        ),
    ] = 0,
    formats: Annotated[
        str,
        typer.Option(
            "--format", help=f"Comma list of {','.join(FORMAT_NAMES)} (html: review page + index.html)."
        ),
    ] = "json,txt,md",
    force: Annotated[bool, typer.Option("--force", help="Redo inputs already converted.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    json_logs: Annotated[
        bool, typer.Option("--json-logs", help="One JSON object per event on stderr.")
    ] = False,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Dask scheduler address, e.g. tcp://host:8786.")
    ] = None,
    executor: Annotated[
        str, typer.Option("--executor", help="process | dask (a LocalCluster unless --scheduler).")
    ] = "process",
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            min=0,
            help="Fail a document (or a page of a split scan) after this many seconds (0 = no limit).",
        ),
    ] = 0,
    csv_paths: Annotated[
        str,
        typer.Option(
            "--csv-paths", help="tasks.csv document column: relative (inside the input folder) | absolute."
        ),
    ] = "relative",
    csv_bom: Annotated[
        bool, typer.Option("--csv-bom", help="Start tasks.csv with a UTF-8 BOM (for Excel).")
    ] = False,
    skip_text: SkipText = False,
    redo_ocr: RedoOcr = False,
    force_ocr: ForceOcr = False,
) -> None:
    """Convert many documents: per-document JSON/TXT/MD, tasks.csv and manifest.jsonl; resumable.

    Rerunning skips inputs already converted (same bytes, same version); --force redoes them.
    Exit codes: 0 all converted or skipped, 1 some inputs failed (the rest are converted),
    2 usage error, 130 interrupted (finished outputs kept; rerun to resume).

    Example: vnplans convert scans/ --out converted/ --jobs 2
    """
    from .batch import run_batch
    from .batch.run import EXECUTORS, parse_formats
    from .options import Options

    try:
        parse_formats(formats)
    except ValueError as e:
        raise typer.BadParameter(str(e), param_hint="--format") from None
    if executor not in EXECUTORS:
        raise typer.BadParameter(f"{executor!r} is not one of: process, dask", param_hint="--executor")
    mode = _text_layer_mode(skip_text, redo_ocr, force_ocr)
    if csv_paths not in ("relative", "absolute"):
        raise typer.BadParameter(f"{csv_paths!r} is not one of: relative, absolute", param_hint="--csv-paths")
    from .batch.run import check_out

    try:
        check_out(inputs, out)
    except ValueError as e:
        raise typer.BadParameter(describe(e), param_hint="INPUTS / --out") from None
    try:
        code = run_batch(
            inputs,
            out,
            jobs=jobs,
            formats=formats,
            force=force,
            quiet=quiet or bool(_STATE["quiet"]),
            json_logs=json_logs,
            scheduler=scheduler,
            executor=executor,
            timeout=timeout or None,
            csv_paths=csv_paths,
            csv_bom=csv_bom,
            options=Options(text_layer=mode),
        )
    except KeyboardInterrupt:
        typer.echo("vnplans: interrupted; finished outputs are kept, rerun to resume", err=True)
        raise typer.Exit(130) from None
    except Exception as e:  # bad input of any kind: one line, no traceback
        _fail(e)
    raise typer.Exit(code)


def main() -> None:
    """The console entry point: the app, then a quick exit."""
    from .collector import collect_less

    collect_less()
    try:
        app()
        code: object = 0
    except SystemExit as e:
        code = e.code
    _leave(code)


def _leave(code: object) -> NoReturn:
    """Exit without the interpreter's teardown once the command is done and its output written.

    Freeing the state of OpenCV, NumPy, pdfminer and pydantic cost 0.15-0.25 s after every command,
    more than converting a text file takes. atexit handlers still run (the worker pool's clean-up
    among them) and output is flushed; a normal exit is kept while another non-daemon thread runs.
    """
    import atexit
    import contextlib
    import logging
    import os
    import threading

    if isinstance(code, str):  # sys.exit("message")
        print(code, file=sys.stderr)
        code = 1
    status = code if isinstance(code, int) else 0 if code is None else 1
    if any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread()):
        sys.exit(status)
    logging.shutdown()
    if (tessapi := sys.modules.get("vnplans.ocr.tessapi")) is not None:
        tessapi.skip_end_at_exit()  # freed with the process below
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):  # a closed pipe, or no stream at all
            stream.flush()
    os._exit(status)


if __name__ == "__main__":
    main()
