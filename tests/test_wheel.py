"""The wheel carries the data: install it into a fresh virtual environment and use it from anywhere."""

from __future__ import annotations

import csv
import json
import os
import re
import sys
import zipfile
from email.parser import HeaderParser
from pathlib import Path

import pytest

import article_data as ad
from helpers import BIN, ROOT, run


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from this checkout."""
    base = tmp_path_factory.mktemp("wheel")
    run(BIN / "python", "-m", "build", "--wheel", "--no-isolation", "--outdir", base / "dist", ROOT, check=True)
    wheels = list((base / "dist").glob("article_data-*.whl"))
    assert len(wheels) == 1 and ad.__version__ in wheels[0].name
    return wheels[0]


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel built from this checkout installed (pinned by requirements.lock)."""
    base = tmp_path_factory.mktemp("venv")
    wheels = [wheel]
    venv = base / "venv"
    run(sys.executable, "-m", "venv", venv, check=True)
    run(
        venv / "bin" / "python",
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "-c",
        ROOT / "requirements.lock",
        wheels[0],
        check=True,
    )
    return venv


def in_empty_folder(venv: Path, tmp_path: Path, *args: str) -> tuple[int, str, str]:
    empty = tmp_path / "empty"
    empty.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = run(*args, cwd=empty, env=env)
    return result.returncode, result.stdout, result.stderr


def test_wheel_loads_every_table_offline_from_an_empty_folder(installed: Path, tmp_path: Path) -> None:
    """The issue's one-liner prints the row counts of the committed CSVs, with no checkout in sight."""
    code = (
        "import article_data as ad; ad.verify(); ad.validate(); "
        "print(__import__('json').dumps({n: len(ad.load(n)) for n in ad.TABLES})); print(ad.path())"
    )
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
    code = (
        "import article_data as ad, importlib.metadata as m; "
        "print(ad.__version__, m.version('article-data'), ad.descriptor()['version'])"
    )
    status, out, _ = in_empty_folder(installed, tmp_path, str(installed / "bin" / "python"), "-c", code)
    assert status == 0 and out.split() == [ad.__version__] * 3


def test_flipped_byte_in_installed_data_is_caught(installed: Path, tmp_path: Path) -> None:
    """Changing one byte of an installed data file makes load raise IntegrityError and verify exit 1."""
    python = str(installed / "bin" / "python")
    status, out, _ = in_empty_folder(
        installed, tmp_path, python, "-c", "import article_data as ad; print(ad.path('figures', format='csv'))"
    )
    target = Path(out.strip())
    original = target.read_bytes()
    try:
        data = bytearray(original)
        data[len(data) // 2] ^= 0x01
        target.write_bytes(bytes(data))
        code = (
            "import article_data as ad\ntry:\n    ad.load('figures', format='csv')\n"
            "except ad.IntegrityError as e:\n    print('IntegrityError', e.path)"
        )
        status, out, _ = in_empty_folder(installed, tmp_path, python, "-c", code)
        assert out.split() == ["IntegrityError", str(target)]
        status, _, err = in_empty_folder(installed, tmp_path, str(installed / "bin" / "article-data"), "verify")
        assert status == 1 and str(target) in err
    finally:
        target.write_bytes(original)


def test_the_wheel_holds_only_the_library_and_its_data(wheel: Path) -> None:
    """No build or benchmark module ships; py.typed, the page's CSS/JS, the data, the documents and releases do."""
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    top = {n.split("/")[0] for n in names}
    assert top == {"article_data", f"article_data-{ad.__version__}.dist-info"}, top
    assert not [n for n in names if "article_data_build" in n or "article_data_bench" in n]
    for wanted in (
        "article_data/py.typed",
        "article_data/_data/datapackage.json",
        "article_data/_data/DATASHEET.md",
        "article_data/_data/DATA_DICTIONARY.md",
        "article_data/_data/ANNOTATION_GUIDE.md",
        "article_data/_data/CHANGELOG.md",
        "article_data/_data/releases/article-data-1.0.0.zip",
    ):
        assert wanted in names, wanted
    assert any(n.startswith("article_data/_render/") and n.endswith(".css") for n in names)


#: A Markdown link or image: [text](target).
LINK = re.compile(r"(!?)\[([^\]]*)\]\(([^)]*)\)")


def readme_user_part() -> str:
    """README.md from <!-- pypi-start --> to <!-- pypi-end -->, then from <!-- pypi-next --> to the end, with each
    relative link replaced by its text and each relative image left out (links on PyPI cannot be relative).
    """
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for marker in ("<!-- pypi-start -->\n", "<!-- pypi-end -->", "<!-- pypi-next -->\n"):
        assert readme.count(marker) == 1, marker
    top = readme.split("<!-- pypi-start -->\n")[1].split("<!-- pypi-end -->")[0]
    next_ = readme.split("<!-- pypi-next -->\n")[1]

    def absolute(match: re.Match[str]) -> str:
        image, text, target = match.groups()
        return match[0] if target.startswith(("https://", "http://")) else "" if image else text

    return LINK.sub(absolute, f"{top}\n{next_}")


def test_the_package_index_description_is_the_readme_s_user_part(wheel: Path) -> None:
    """The wheel's long description is README.md's user part (what it is, install, Quick start, where to go next),
    not a second copy: every link absolute, `pip install` first, nothing for contributors.
    """
    with zipfile.ZipFile(wheel) as archive:
        metadata = HeaderParser().parsestr(
            archive.read(f"article_data-{ad.__version__}.dist-info/METADATA").decode("utf-8")
        )
    assert metadata["Description-Content-Type"] == "text/markdown"
    body = str(metadata.get_payload())
    assert body.strip() == readme_user_part().strip()
    headings = re.findall(r"^## (.+)$", body, flags=re.MULTILINE)
    assert [h.lower() for h in headings] == ["install", "quick start", "where to go next"], headings
    blocks = re.findall(r"```(\w+)\n(.*?)```", body, flags=re.DOTALL)
    assert blocks[0][0] == "sh" and blocks[0][1].startswith("pip install article-data")
    assert any(kind == "python" and ">>> import article_data" in code for kind, code in blocks)
    assert all(target.startswith(("https://", "http://")) for *_, target in LINK.findall(body))
    assert "make test" not in body and "pretty_name:" not in body  # neither the contributors' lines nor the card


def test_the_documents_are_reachable_from_the_installed_wheel(installed: Path, tmp_path: Path) -> None:
    """`article-data info --docs` names the datasheet and the other documents inside the installed package."""
    status, out, _ = in_empty_folder(installed, tmp_path, str(installed / "bin" / "article-data"), "info", "--docs")
    assert status == 0
    for name in ("DATASHEET.md", "DATA_DICTIONARY.md", "ANNOTATION_GUIDE.md", "CHANGELOG.md", "CITATION.cff"):
        line = next(line for line in out.splitlines() if name in line)
        path = Path(line.split()[0])
        assert path.is_file() and path.is_relative_to(installed), line


def test_a_released_version_can_be_compared_from_the_installed_wheel(installed: Path, tmp_path: Path) -> None:
    """`article-data diff 1.0.0` works without a checkout: the releases ship in the wheel."""
    status, out, err = in_empty_folder(installed, tmp_path, str(installed / "bin" / "article-data"), "diff", "1.0.0")
    assert status in (0, 1), err
    assert out.startswith(f"article-data 1.0.0 → {ad.__version__}")


def test_a_kept_release_opens_by_number_from_the_installed_wheel(installed: Path, tmp_path: Path) -> None:
    """`ad.Package.release("1.0.0")` and `--release 1.0.0` open the release inside the wheel, with no checkout."""
    code = (
        "import article_data as ad; old = ad.Package.release('1.0.0'); old.verify(); "
        "print(old.version, len(old.load('defects')), old.root.is_relative_to(ad.path()))"
    )
    status, out, err = in_empty_folder(installed, tmp_path, str(installed / "bin" / "python"), "-c", code)
    assert status == 0 and out.split() == ["1.0.0", "23", "True"], err
    status, out, err = in_empty_folder(
        installed, tmp_path, str(installed / "bin" / "article-data"), "--release", "1.0.0", "info"
    )
    assert status == 0 and out.startswith("article-data 1.0.0 "), err


def test_the_library_never_imports_the_build() -> None:
    """Walking every import of every article_data module: none names article_data_build or article_data_bench."""
    import ast

    offenders = []
    for path in (ROOT / "src" / "article_data").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else ([node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            )
            offenders += [
                f"{path.name}: {n}" for n in names if n.split(".")[0] in ("article_data_build", "article_data_bench")
            ]
    assert not offenders, offenders
