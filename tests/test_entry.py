"""The console script's early look at its arguments (`vnplans.entry`)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from vnplans.entry import ocr_lang


@pytest.mark.parametrize(
    ("args", "lang"),
    [
        (["ocr", "page.png"], "vie"),
        (["-v", "ocr", "page.png"], "vie"),
        (["-q", "--debug", "ocr", "-", "--format", "alto"], "vie"),
        (["ocr", "page.png", "--lang", "vie+eng"], "vie+eng"),
        (["ocr", "--lang=eng", "page.png"], "eng"),
        (["ocr", "page.png", "--raw"], "vie"),
    ],
)
def test_ocr_commands_are_warmed_in_their_language(args: list[str], lang: str) -> None:
    assert ocr_lang(args) == lang


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["convert", "scan.png"],
        ["--version"],
        ["restore", "ocr"],  # `ocr` as another command's argument
        ["ocr", "--help"],
        ["ocr", "page.png", "--lang"],  # no value: the CLI reports it
        ["ocr", "page.png", "--lang", "vie+"],  # an empty part: the CLI names the error
        ["ocr", "page.png", "--lang", " "],
        ["--unknown", "ocr", "page.png"],  # an option this look does not know: left to the CLI
    ],
)
def test_other_command_lines_are_left_to_the_cli(args: list[str]) -> None:
    assert ocr_lang(args) is None


_PROBE = """
import sys, types
sys.argv = ["vnplans", *sys.argv[1:]]
cli = types.ModuleType("vnplans.cli")

def main():
    from vnplans.ocr import tessapi
    loading = sorted(lang for (_pid, lang), futures in tessapi._PARKED.items() if futures)
    print(",".join(loading), "typer" in sys.modules)

cli.main = main
sys.modules["vnplans.cli"] = cli
from vnplans.entry import main as entry_main
entry_main()
"""


def test_the_engines_load_before_the_cli_is_imported() -> None:
    """A real Tesseract load begins before the CLI (and Typer) is imported, for `ocr` only."""

    def run(*args: str) -> list[str]:
        cmd = [sys.executable, "-c", _PROBE, *args]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True).stdout.split()

    assert run("ocr", "page.png") == ["vie", "False"]
    assert run("convert", "page.png") == ["False"]
