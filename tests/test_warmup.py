"""The background warm-up loads what the first repair needs, and repair reads the same afterwards."""

from __future__ import annotations

import ast
import subprocess
import sys


def test_warmup_loads_every_model_before_the_first_repair() -> None:
    # a fresh interpreter: in this one, other tests may have loaded the models already
    code = (
        "from vnplans import resources\n"
        "from vnplans.text import warmup\n"
        "assert not resources._LOADED\n"
        "warmup.start(); warmup.start(); warmup.wait()\n"
        "print(sorted(k for k, _ in resources._LOADED))\n"
        "from vnplans.text.repair import repair\n"
        "print(repair('Tố chức kiểm tra công tác cải cách hành chính', profile='vie'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    loaded, repaired = out.stdout.splitlines()
    assert {"lm", "channel", "candidates"} <= set(ast.literal_eval(loaded))
    assert repaired == "Tổ chức kiểm tra công tác cải cách hành chính"
