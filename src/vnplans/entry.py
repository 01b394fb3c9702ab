"""The `vnplans` console script: Tesseract's models start loading before the command line is built.

Why: `vnplans ocr PAGE` spent ~0.1 s importing Typer and building the CLI before `ocr` started the
engines' loads (`ocr.engine.warm_engine`), while the second core idled. Started here, from a look at
the arguments alone, the loads (C, the GIL released) run beside those imports. Only a plain `ocr`
command is warmed; anything the look does not understand is left to the CLI, which warms (a no-op
when the loads have begun) or reports the error as before.
"""

from __future__ import annotations

import sys

__all__ = ["main", "ocr_lang"]

_GLOBAL_FLAGS = frozenset({"-v", "-vv", "-vvv", "--verbose", "-q", "--quiet", "--debug"})


def ocr_lang(args: list[str]) -> str | None:
    """The language an `ocr` command line will read in (`--lang`, default `vie`), or None when the
    command is not `ocr`, asks for help, or names its language in a way this look does not parse."""
    i = 0
    while i < len(args) and args[i] in _GLOBAL_FLAGS:
        i += 1
    if i >= len(args) or args[i] != "ocr":
        return None
    rest = args[i + 1 :]
    if "--help" in rest or "-h" in rest:
        return None
    lang = "vie"
    for k, arg in enumerate(rest):
        if arg == "--":
            break
        if arg == "--lang":
            if k + 1 >= len(rest):
                return None
            lang = rest[k + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    from .ocr.engine import is_language_list

    return lang if is_language_list(lang) else None  # else the CLI names the error


def main() -> None:
    """Warm the OCR engines when the command will read a page, then run the CLI."""
    lang = ocr_lang(sys.argv[1:])
    if lang is not None:
        from .ocr.engine import warm_engine

        warm_engine(None, lang)
    from .cli import main as cli_main

    cli_main()
