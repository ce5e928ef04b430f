"""The Hugging Face dataset card: the YAML header that makes ``datasets.load_dataset`` read the package right.

    python -m article_data_build.card          # rewrite README.md's YAML header
    python -m article_data_build.card --check  # exit 1 if it is stale

``datasets.load_dataset(<package folder>, "<table>")`` reads the ``configs`` of the
README's YAML header: one config per table, its CSV file as the one split, and
``dataset_info`` features computed from the Table Schema (an enum is a ``ClassLabel``
in schema order, integers ``int64``, numbers ``float64``, booleans ``bool``, dates
``date32``). Without it, ``datasets`` guesses splits from file names (``tests/test_*.py``
becomes a test split) or loads the Table Schemas as rows. The configs point at the CSV
copies: ``datasets`` casts CSV strings to ``ClassLabel`` but cannot cast the Parquet
copies' dictionary columns. A release zip carries the same header in a README.md of its
own (:func:`card_text`).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from article_data import Package
from article_data._types import enum_of

from .layout import ROOT

__all__ = ["HF_TYPES", "card_text", "front_matter", "regenerate"]

#: Table Schema type -> the ``datasets`` Value dtype of the column.
HF_TYPES: dict[str, str] = {
    "string": "string",
    "integer": "int64",
    "number": "float64",
    "boolean": "bool",
    "date": "date32",
    # The configs read the CSV copies, and the datasets CSV loader does not decode
    # a JSON cell into a List feature: an array column is its CSV text, ["Kiev"].
    "array": "string",
}
SPLIT = "train"
_HEADER = re.compile(r"\A---\n.*?\n---\n\n?", re.DOTALL)


def _feature(field: Mapping[str, Any]) -> dict[str, Any]:
    enum = enum_of(field)
    if enum is not None:
        return {"name": field["name"], "dtype": {"class_label": {"names": {str(i): v for i, v in enumerate(enum)}}}}
    return {"name": field["name"], "dtype": HF_TYPES[str(field["type"])]}


def front_matter(package: Package) -> str:
    """The YAML header (between ``---`` lines) for a package: licence, configs and features."""
    descriptor = package.descriptor()
    configs, infos = [], []
    for index, name in enumerate(package.tables):
        csv = package._reader.resource(name, "csv")
        configs.append(
            {
                "config_name": name,
                "data_files": [{"split": SPLIT, "path": csv.path}],
                **({"default": True} if index == 0 else {}),
            }
        )
        infos.append({"config_name": name, "features": [_feature(f) for f in package.table_schema(name)["fields"]]})
    header = {
        "pretty_name": descriptor.get("title", descriptor["name"]),
        "license": "other",
        "license_name": "cc-by-4.0-and-third-party-text",
        "license_link": "LICENSES/",
        "language": ["en"],
        "configs": configs,
        "dataset_info": infos,
    }
    body: str = yaml.safe_dump(header, sort_keys=False, allow_unicode=True, width=100)
    return "---\n" + body + "---\n"


def card_text(package: Package) -> str:
    """A README.md for a release zip: the YAML header and a few lines saying what the archive holds."""
    return (
        front_matter(package) + f"\n# {package.descriptor().get('title', 'article-data')}\n\n"
        f"article-data {package.version}: a Frictionless Data Package (`datapackage.json`); every table is a "
        'config of this dataset (`datasets.load_dataset(folder, "quotes")`). Check the files with '
        "`sha256sum -c SHA256SUMS` or `frictionless validate datapackage.json`. The article text is "
        "third-party material, not licensed by this project: see the descriptor's licences.\n"
    )


def regenerate(root: Path = ROOT, *, check: bool = False) -> list[str]:
    """Rewrite README.md's YAML header from the package in ``root`` (or, with ``check``, list it if stale)."""
    readme = root / "README.md"
    text = readme.read_text(encoding="utf-8")
    header = front_matter(Package(root))
    body = _HEADER.sub("", text, count=1)
    new = header + "\n" + body
    if new == text:
        return []
    if not check:
        readme.write_text(new, encoding="utf-8")
    return [f"{readme}: the YAML header is stale; run python -m article_data_build.card"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m article_data_build.card",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if README.md's YAML header is stale")
    args = parser.parse_args(argv)
    stale = regenerate(check=args.check)
    for line in stale:
        print(line, file=sys.stderr if args.check else sys.stdout)
    return 1 if stale and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
