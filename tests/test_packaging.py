"""The wheel carries its models: built with pip, installed into a throwaway venv, run from another folder.

Also the library surface the README shows: `vnplans.parse(text)`, exported exceptions, `py.typed`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

import vnplans

pytestmark = pytest.mark.slow  # batch runs / Chromium / wheel builds: `make check` leaves them out

ROOT = Path(__file__).resolve().parents[1]
STRIPPED = "Uy ban nhan dan thanh pho ban hanh Ke hoach thuc hien"


def _site_packages(prefix: Path) -> Path:
    paths = sysconfig.get_paths(vars={"base": str(prefix), "platbase": str(prefix)})
    return Path(paths["purelib"])


@pytest.fixture(scope="module")
def wheel_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv holding only the vnplans wheel; its dependencies come from this venv through a .pth line
    (not a second install), and the checkout is nowhere on its path."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    for name in ("setup.py", "pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    for name in ("src", "models", "dictionaries"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    dist = tmp / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", dist, src],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = dist.glob("vnplans-*.whl")
    env_dir = tmp / "venv"
    venv.create(env_dir, with_pip=False)
    site = _site_packages(env_dir)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target", site, wheel],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (site / "deps.pth").write_text(str(_site_packages(Path(sys.prefix))) + "\n")
    return env_dir


def _run(env_dir: Path, code: str, *, stdin: str = "", cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("VNPLANS_HOME", "PYTHONPATH")}
    return subprocess.run(
        [env_dir / "bin" / "python", "-c", code],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env=env,
    )


_CLI = "import sys; from vnplans.cli import main; sys.argv = ['vnplans', *{args!r}]; main()"


def test_wheel_restores_outside_the_checkout(wheel_venv: Path, tmp_path: Path) -> None:
    r = _run(wheel_venv, "import vnplans.resources as r; print(r.data_dir('models'))", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    models = Path(r.stdout.strip())
    assert models.is_relative_to(wheel_venv) and (models / "lm.npz").is_file()
    r = _run(wheel_venv, _CLI.format(args=["restore"]), stdin=STRIPPED + "\n", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Ủy ban nhân dân thành phố ban hành Kế hoạch")
    r = _run(
        wheel_venv, "import vnplans, pathlib; print(pathlib.Path(vnplans.__file__).parent)", cwd=tmp_path
    )
    assert (Path(r.stdout.strip()) / "py.typed").is_file()


def test_missing_model_is_an_error(wheel_venv: Path, tmp_path: Path) -> None:
    """A broken install (model deleted) fails loudly instead of printing its input unchanged."""
    lm = next(wheel_venv.rglob("vnplans/_models/lm.npz"))
    kept = lm.with_suffix(".away")
    lm.rename(kept)
    try:
        r = _run(wheel_venv, _CLI.format(args=["restore"]), stdin=STRIPPED + "\n", cwd=tmp_path)
        assert r.returncode == 1
        assert r.stdout == ""
        assert r.stderr.startswith("vnplans: error:") and "lm.npz not found" in r.stderr
        (tmp_path / "plan.txt").write_text(STRIPPED + "\n", encoding="utf-8")
        r = _run(wheel_venv, _CLI.format(args=["parse", "plan.txt"]), cwd=tmp_path)
        assert r.returncode == 1 and "lm.npz not found" in r.stderr
        args = ["convert", "plan.txt", "--out", "out", "--json-logs", "-j", "1"]
        r = _run(wheel_venv, _CLI.format(args=args), cwd=tmp_path)
        assert r.returncode == 1  # the document fails, it is not reported ok with its text unchanged
        assert '"status": "failed"' in r.stderr and "lm.npz not found" in r.stderr
        assert not (tmp_path / "out" / "plan.json").exists()
    finally:
        kept.rename(lm)


def test_library_surface() -> None:
    text = vnplans.fix_text(STRIPPED).text  # imports the parse subpackage on the way
    record = vnplans.parse(text)
    assert isinstance(record, vnplans.PlanRecord)
    assert record.text == text
    assert vnplans.parse_text(text).header == record.header
    assert issubclass(vnplans.CorruptInput, vnplans.InputError) and issubclass(vnplans.InputError, ValueError)
    assert not issubclass(vnplans.ModelNotFound, OSError)
    assert (Path(vnplans.__file__).parent / "py.typed").is_file()
