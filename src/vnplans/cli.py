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

import typer

from . import __version__

app = typer.Typer(
    name="vnplans",
    help="Degraded Vietnamese administrative documents in, faithful text and validated records out.\n\n"
    "Examples:\n\n"
    "  vnplans restore old-ocr.txt > fixed.txt\n\n"
    "  vnplans ocr scan.pdf\n\n"
    "  vnplans parse plan.txt --json\n\n"
    "  vnplans convert archive/ --out converted/ --jobs 4",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

_DEBUG = {"on": False}


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
) -> None:
    _DEBUG["on"] = debug


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
    # piece by piece (paragraphs, ~64 K characters), each written before the next is fixed: memory
    # follows the piece, not the file
    for offset, piece in text_blocks(text):
        try:
            result = fix_text(piece, mode=mode, style=style)
        except Exception as e:
            _fail(e)
        _emit(result.text)
        if report:
            typer.echo(f"mode={result.mode} corrected={result.corrected_count}", err=True)
            for w in result.words:
                if w.changed or w.confidence < 0.6:
                    start, end = w.start + offset, w.end + offset
                    typer.echo(f"{start}:{end}\t{w.source}\t{w.output}\t{w.confidence:.2f}", err=True)
            for n in result.notes:
                typer.echo(n, err=True)
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
    except (OSError, ValueError) as e:
        _fail(e)


@app.command()
def ocr(
    file: Annotated[Path, typer.Argument(help="Image (PNG/JPEG/TIFF/...) or PDF.")],
    raw: Annotated[
        bool, typer.Option("--raw", help="Tesseract text only, no Vietnamese correction.")
    ] = False,
    lang: Annotated[str, typer.Option(help="Tesseract language(s).")] = "vie",
    pdf: Annotated[Path | None, typer.Option("--pdf", help="Also write a searchable PDF here.")] = None,
) -> None:
    """OCR a scan or PDF and print its Vietnamese text.

    Example: vnplans ocr scan.png
    """
    from .pipeline import ocr_document

    if not lang.strip() or any(not part.strip() for part in lang.split("+")):
        raise typer.BadParameter(f"{lang!r} names no language (e.g. vie, vie+eng)", param_hint="--lang")
    try:
        from .ocr import check_tesseract

        check_tesseract(lang)  # an unknown language would stop Tesseract itself, or crash it
        text = ocr_document(file, lang=lang, correct=not raw, searchable_pdf=pdf)
    except Exception as e:  # bad input of any kind: one line, no traceback
        _fail(e)
    _emit(text if text.endswith("\n") else text + "\n")


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
    from .pipeline import convert, convert_text

    try:
        if file == "-":
            record = convert_text(_read_text_arg("-"), fix=not no_fix, name="<stdin>")
        else:
            record = convert(Path(file), fix=not no_fix)
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
    formats: Annotated[str, typer.Option("--format", help="Comma list of json,txt,md,pdf.")] = "json,txt,md",
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
) -> None:
    """Convert many documents: per-document JSON/TXT/MD, tasks.csv and manifest.jsonl; resumable.

    Rerunning skips inputs already converted (same bytes, same version); --force redoes them.
    Exit codes: 0 all converted or skipped, 1 some inputs failed (the rest are converted),
    2 usage error, 130 interrupted (finished outputs kept; rerun to resume).

    Example: vnplans convert scans/ --out converted/ --jobs 2
    """
    from .batch import run_batch
    from .batch.run import EXECUTORS, parse_formats

    try:
        parse_formats(formats)
    except ValueError as e:
        raise typer.BadParameter(str(e), param_hint="--format") from None
    if executor not in EXECUTORS:
        raise typer.BadParameter(f"{executor!r} is not one of: process, dask", param_hint="--executor")
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
            quiet=quiet,
            json_logs=json_logs,
            scheduler=scheduler,
            executor=executor,
            timeout=timeout or None,
        )
    except KeyboardInterrupt:
        typer.echo("vnplans: interrupted; finished outputs are kept, rerun to resume", err=True)
        raise typer.Exit(130) from None
    except Exception as e:  # bad input of any kind: one line, no traceback
        _fail(e)
    raise typer.Exit(code)


def main() -> None:
    """The console entry point: the app, then a quick exit."""
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
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):  # a closed pipe, or no stream at all
            stream.flush()
    os._exit(status)


if __name__ == "__main__":
    main()
