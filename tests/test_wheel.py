"""The wheel carries the data: install it into a fresh virtual environment and use it from anywhere."""

from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path

import pytest
from helpers import BIN, ROOT, run

import article_data as ad


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel built from this checkout installed (pinned by requirements.lock)."""
    base = tmp_path_factory.mktemp("wheel")
    run(BIN / "python", "-m", "build", "--wheel", "--no-isolation", "--outdir", base / "dist", ROOT, check=True)
    wheels = list((base / "dist").glob("article_data-*.whl"))
    assert len(wheels) == 1 and ad.__version__ in wheels[0].name
    venv = base / "venv"
    run(sys.executable, "-m", "venv", venv, check=True)
    run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
        "-c", ROOT / "requirements.lock", wheels[0], check=True)
    return venv


def in_empty_folder(venv: Path, tmp_path: Path, *args: str) -> tuple[int, str, str]:
    empty = tmp_path / "empty"
    empty.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = run(*args, cwd=empty, env=env)
    return result.returncode, result.stdout, result.stderr


def test_wheel_loads_every_table_offline_from_an_empty_folder(installed: Path, tmp_path: Path) -> None:
    """The issue's one-liner prints the row counts of the committed CSVs, with no checkout in sight."""
    code = ("import article_data as ad; ad.verify(); ad.validate(); "
            "print(__import__('json').dumps({n: len(ad.load(n)) for n in ad.TABLES})); print(ad.path())")
    status, out, err = in_empty_folder(installed, tmp_path, str(installed / "bin" / "python"), "-c", code)
    assert status == 0, err
    counts_line, root_line = out.strip().splitlines()
    expected = {}
    for table in ad.TABLES:
        with open(ROOT / "data" / f"{table}.csv", encoding="utf-8", newline="") as handle:
            expected[table] = sum(1 for _ in csv.reader(handle)) - 1
    assert json.loads(counts_line) == expected
    assert Path(root_line).is_relative_to(installed) and not Path(root_line).is_relative_to(ROOT)


def test_wheel_reports_the_pinned_version(installed: Path, tmp_path: Path) -> None:
    """The installed distribution, the module and its descriptor report the same version."""
    code = ("import article_data as ad, importlib.metadata as m; "
            "print(ad.__version__, m.version('article-data'), ad.descriptor()['version'])")
    status, out, _ = in_empty_folder(installed, tmp_path, str(installed / "bin" / "python"), "-c", code)
    assert status == 0 and out.split() == [ad.__version__] * 3


def test_flipped_byte_in_installed_data_is_caught(installed: Path, tmp_path: Path) -> None:
    """Changing one byte of an installed data file makes load raise IntegrityError and verify exit 1."""
    python = str(installed / "bin" / "python")
    status, out, _ = in_empty_folder(installed, tmp_path, python, "-c", "import article_data as ad; print(ad.path('figures', format='csv'))")
    target = Path(out.strip())
    original = target.read_bytes()
    try:
        data = bytearray(original)
        data[len(data) // 2] ^= 0x01
        target.write_bytes(bytes(data))
        code = ("import article_data as ad\ntry:\n    ad.load('figures', format='csv')\n"
                "except ad.IntegrityError as e:\n    print('IntegrityError', e.path)")
        status, out, _ = in_empty_folder(installed, tmp_path, python, "-c", code)
        assert out.split() == ["IntegrityError", str(target)]
        status, _, err = in_empty_folder(installed, tmp_path, str(installed / "bin" / "article-data"), "verify")
        assert status == 1 and str(target) in err
    finally:
        target.write_bytes(original)
