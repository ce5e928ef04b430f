"""SECURITY.md's "Reliability" table: every count it quotes is the number of cases its test really tries."""

from __future__ import annotations

import re

import pytest

import test_archive
import test_build
import test_build_publish
import test_cli
import test_descriptor
import test_files
import test_fuzz
import test_hostile
import test_output
import test_pages
import test_sql
import test_tableschema
import test_untrusted
from article_data_build.publish import STAGES
from helpers import ROOT

SECURITY = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
TABLE = SECURITY.split("## Reliability")[1].split("\n\n")[2]


def rows() -> dict[str, str]:
    """The table's rows: first cell -> "cases tried" cell."""
    found = {}
    for line in TABLE.splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        found[cells[0]] = cells[1]
    return found


def number(n: int) -> str:
    return f"{n:,}"


def section_tests(module: object, heading: str) -> int:
    """The test functions under a ``# -- heading ---`` comment of a module's source, up to the next heading."""
    import inspect

    source = inspect.getsource(module)  # type: ignore[arg-type]
    section = source.split(f"# -- {heading}", 1)[1].split("\n# -- ", 1)[0]
    return len(re.findall(r"^def test_", section, flags=re.MULTILINE))


#: A phrase that picks the row -> the count it must quote, computed from the tests themselves.
EXPECTED = {
    "a missing file — in each of the": lambda: number(len(test_hostile.FILES) * (len(test_hostile.FAULTS) + 1)),
    "with `load(verify=False)` on each CSV": lambda: number(len(test_hostile.CSV_TABLES) * len(test_hostile.FAULTS)),
    "every single-byte flip of": lambda: " / ".join(
        number((ROOT / "data" / f"places.{f}").stat().st_size) for f in ("parquet", "csv")
    ),
    "hostile zips: a member declaring": lambda: f"5 × {test_untrusted.SETTINGS.max_examples}",
    "random header mutations of the 1.1.0 zip": lambda: number(test_untrusted.MUTATIONS),
    "Parquet with its hash declared": lambda: (
        f"{section_tests(test_untrusted, 'Parquet whose hash matches')} × {test_untrusted.SETTINGS.max_examples}"
    ),
    "Parquet page headers set at random": lambda: (
        f"{test_pages.GARBLED} + {len(test_pages.CUTS) + len(test_pages.CREATED_BY) + test_pages.SINGLE_CASES}"
    ),
    "copies breaking the contract": lambda: number(len(test_untrusted.STRUCTURE)),
    "nested quotations (30 to 1,500 deep)": lambda: f"{test_untrusted.SETTINGS.max_examples} / 4",
    "a copy claiming 1.1.0 with a rehashed edit": lambda: f"1 / {2 * len(test_untrusted.KEPT)}",
    "hidden characters (newlines, C1": lambda: (
        f"{test_untrusted.SETTINGS.max_examples} / {test_untrusted.SETTINGS.max_examples}"
    ),
    "hypothesis: random flips": lambda: number(test_fuzz.EXAMPLES["data file, verify=True"]),
    "hypothesis: the same mutations of a CSV": lambda: number(test_fuzz.EXAMPLES["CSV file, verify=False"]),
    "hypothesis: `datapackage.json`": lambda: number(test_fuzz.EXAMPLES["descriptor"]),
    "hypothesis: random resource names": lambda: (
        f"{test_fuzz.EXAMPLES['resource name']} / {test_fuzz.EXAMPLES['schema value']}"
    ),
    "hand-made hostile descriptors": lambda: f"{len(test_hostile.BAD_DESCRIPTORS)} × 6 entry points",
    "resource names that are SQL": lambda: (
        f"{len(test_descriptor.HOSTILE_RESOURCE_NAMES)} / {len(test_sql.LEGAL_NAMES)}"
    ),
    "field names that are SQL": lambda: number(len(test_tableschema.HOSTILE_FIELD_NAMES)),
    "control characters": lambda: number(len(test_cli.TERMINAL_ATTACKS)),
    "the files changed after `connect()`": lambda: f"{len(test_sql.AFTER_CONNECT)} / {len(test_sql.GLOB_FOLDERS)}",
    "a FIFO, a device, a folder, a socket": lambda: number(
        len(test_files.NOT_REGULAR) * len(test_files.REPLACED_FILES)
    ),
    "a symlink or a symlinked folder": lambda: f"2 / {len(test_files.OPENED_ONCE)}",
    "hostile Table Schema values": lambda: number(len(test_tableschema.BAD_SCHEMA_VALUES)),
    "catastrophic-backtracking patterns": lambda: number(len(test_tableschema.CATASTROPHIC)),
    "malformed descriptors": lambda: number(len(test_descriptor.BAD_JSON)),
    "export cells that a spreadsheet": lambda: number(len(test_output.FORMULAS)),
    "`-o` onto a missing folder": lambda: number(len(test_output.BAD_TARGETS) * 2),
    "an output killed mid-write": lambda: number(len(test_output.KILLS)),
    "broken annotation inputs": lambda: f"{len(test_build.BROKEN_INPUTS)}, plus 3 at once",
    "the build killed with SIGKILL at each named stage": lambda: number(len(STAGES)),
    "swap journals that are empty": lambda: number(len(test_build_publish.BAD_JOURNALS)),
    "hostile zip archives": lambda: number(len(test_archive.HOSTILE_ARCHIVES)),
}


@pytest.mark.parametrize("phrase", list(EXPECTED))
def test_readme_reliability_count_is_the_tests_count(phrase: str) -> None:
    """The row's "cases tried" equals the number of cases its test module defines."""
    matches = {first: cases for first, cases in rows().items() if phrase in first}
    assert len(matches) == 1, f"{phrase!r} picks {len(matches)} rows of SECURITY.md's Reliability table"
    (cases,) = matches.values()
    assert cases == EXPECTED[phrase](), phrase


def test_every_reliability_row_is_checked() -> None:
    """No row of the table quotes a count that no test above checks."""
    unchecked = [first for first in rows() if not any(phrase in first for phrase in EXPECTED)]
    assert not unchecked, unchecked


def test_the_files_count_in_the_first_row_is_the_descriptor_s() -> None:
    """The phrase "in each of the N files" names as many files as the descriptor lists."""
    first = next(r for r in rows() if "in each of the" in r)
    assert re.search(r"each of the (\d+) files", first)[1] == str(len(test_hostile.FILES))  # type: ignore[index]
