"""The Pythons CI runs the suite on: the ``Programming Language :: Python :: 3.N`` classifiers of pyproject.toml.

The classifiers are the one list (PyPI shows them; ``make test-pythons`` and ``.ci/run`` read them here):

    python scripts/pythons.py               # every version, one per line: 3.11 3.12 3.13
    python scripts/pythons.py --other       # those other than the Python running this script
    python scripts/pythons.py --find 3.12   # the path of an interpreter of that version (pyenv or PATH)
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLASSIFIER = re.compile(r"Programming Language :: Python :: (3\.\d+)")


def versions(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """The ``3.N`` versions the classifiers name, oldest first."""
    classifiers = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["classifiers"]
    found = [m.group(1) for c in classifiers if (m := CLASSIFIER.fullmatch(c))]
    return sorted(found, key=lambda v: tuple(map(int, v.split("."))))


def find(version: str) -> str:
    """An interpreter of ``version``: pyenv's newest ``version.*`` first, then ``python<version>`` on the PATH."""
    pyenv = sorted(
        Path.home().glob(f".pyenv/versions/{version}.*/bin/python"),
        key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p.parent.parent.name)),
    )
    candidates = [str(p) for p in reversed(pyenv)] + [c for c in [shutil.which(f"python{version}")] if c]
    for candidate in candidates:
        said = subprocess.run(
            [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        if said == version:
            return candidate
    raise SystemExit(
        f"scripts/pythons.py: no Python {version} found (looked for ~/.pyenv/versions/{version}.*/bin/python "
        f"and python{version} on the PATH); install it (pyenv install {version}) or drop its classifier "
        "from pyproject.toml"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--other", action="store_true", help="leave out the version of the Python running this")
    parser.add_argument("--find", metavar="VERSION", help="print the path of an interpreter of VERSION")
    args = parser.parse_args()
    if args.find:
        print(find(args.find))
        return
    running = "{}.{}".format(*sys.version_info[:2])
    print("\n".join(v for v in versions() if not (args.other and v == running)))


if __name__ == "__main__":
    main()
