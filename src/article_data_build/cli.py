"""``python -m article_data_build``: build the data package from the article and the curated annotations.

    python -m article_data_build              # build into the repository (data/, schemas/,
                                              # datapackage.json, DATA_DICTIONARY.md, croissant.json,
                                              # article.jsonld)
    python -m article_data_build --out DIR    # build a copy into DIR (used by the rebuild test)

Humans write only judgments in annotations/ (which words are a quote, who said them,
what a number means). The build finds every annotated string in the text and computes
offsets, paragraph ids, mention rows, aliases, positions, byte counts and hashes. It
reports every problem at once, with the input file and line, and then writes nothing.
Otherwise it writes the whole package into a staging folder, validates it with
article_data, checks that the version is not understated against the latest release kept
in releases/ (see :mod:`article_data_build.release`), and only then swaps it into place (see
:mod:`article_data_build.publish`).
"""

from __future__ import annotations

import argparse
import errno
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from article_data import ArticleDataError, Package, ValidationError
from article_data._terminal import escape

from .assemble import build
from .croissant import croissant_metadata
from .dictionary import data_dictionary
from .errors import BuildError, MetadataError
from .jsonld import news_article
from .layout import ROOT, STATE
from .model import BuiltPackage
from .paths import real_folder
from .publish import build_lock, publish, recover, stage
from .release import check_version
from .writer import json_bytes, write_package

__all__ = ["main", "write_staging"]


def write_staging(staging: Path, package: BuiltPackage) -> None:
    """Write every output of a built package into ``staging``."""
    descriptor = write_package(staging, package)
    (staging / "DATA_DICTIONARY.md").write_text(data_dictionary(package), encoding="utf-8")
    croissant = croissant_metadata(descriptor, package.schemas, package.responsible_ai, date_published=package.released)
    (staging / "croissant.json").write_bytes(json_bytes(croissant))
    (staging / "article.jsonld").write_bytes(json_bytes(news_article(descriptor, package.tables)))


def _published_version(dest: Path) -> str | None:
    try:
        return Package(dest).version
    except ArticleDataError:
        return None


def _stage_and_publish(dest: Path, package: BuiltPackage, inputs_root: Path) -> int:
    staging = Path(tempfile.mkdtemp(prefix="staging-", dir=real_folder(dest, STATE)))
    try:
        write_staging(staging, package)
        stage("staging written")
        refused = check_version(inputs_root, staging)  # first: a changed release is refused by its version
        if refused:
            shutil.rmtree(staging, ignore_errors=True)
            print("build: refused; nothing was published:\n  " + "\n  ".join(refused), file=sys.stderr)
            return 1
        Package(staging).validate()
        stage("staging validated")
    except ValidationError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"build: the built package does not validate; nothing was published:\n{exc}", file=sys.stderr)
        return 1
    except MetadataError as exc:  # croissant.json or article.jsonld cannot describe the package
        shutil.rmtree(staging, ignore_errors=True)
        print(f"build: cannot describe the built package; nothing was published:\n{exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(
            f"{_os_problem(exc)} while writing the staging folder {staging}; nothing was published and "
            "the previous package is intact"
        ) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        publish(dest, staging, old_version=_published_version(dest), new_version=package.version)
    except OSError as exc:
        raise BuildError(
            f"{_os_problem(exc)} while swapping the new package into {dest}; run the build again once "
            "this is fixed: it restores the previous package first (the swap journal in .build)"
        ) from None
    return 0


def _os_problem(exc: OSError) -> str:
    """What an operating-system error means for the build, in words (a full disk said as such)."""
    where = f" ({exc.filename})" if exc.filename else ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"the disk is full{where}: {exc.strerror}"
    if exc.errno == errno.EFBIG:
        return f"a file-size limit was reached{where}: {exc.strerror} (the disk or quota is full)"
    return f"{exc.strerror or exc}{where}"


def main(argv: Sequence[str] | None = None) -> int:
    """Build; return the exit code (1 with every problem listed when the inputs are broken)."""
    parser = argparse.ArgumentParser(
        prog="python -m article_data_build", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, help="build into this folder instead of the repository")
    parser.add_argument(
        "--inputs", type=Path, default=ROOT, help="folder holding annotations/ (default: the repository)"
    )
    parser.add_argument(
        "--version",
        help="publish under this version instead of the library's (a fork, a test of "
        "changed inputs); the version guard applies to it as to any",
    )
    args = parser.parse_args(argv)
    try:
        return _build(args)
    except OSError as exc:
        print(f"build: {escape(_os_problem(exc), newlines=False)}", file=sys.stderr)
    except ArticleDataError as exc:
        print(f"build: {escape(exc, newlines=False)}", file=sys.stderr)
    return 1


def _build(args: argparse.Namespace) -> int:
    dest = (args.out or args.inputs).resolve()
    dest.mkdir(parents=True, exist_ok=True)
    with build_lock(dest):
        stage("locked")
        recover(dest)
        inputs, package = build(args.inputs.resolve())
        if package is not None and args.version:
            package = replace(package, metadata={**package.metadata, "version": args.version})
        stage("inputs read")
        if inputs.problems or package is None:
            print(f"build: {len(inputs.problems)} problem(s) in the inputs; nothing was written:", file=sys.stderr)
            for problem in inputs.problems:
                print(f"  {escape(problem, newlines=False)}", file=sys.stderr)
            return 1
        code = _stage_and_publish(dest, package, args.inputs.resolve())
    if code == 0:
        counts = ", ".join(f"{n} {len(r)}" for n, r in package.tables.items())
        print(f"build: article-data {package.version} written to {dest} ({counts})")
    return code
