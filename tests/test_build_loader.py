"""The one YAML loader of the build (article_data_build.loader): plain data only, every refusal with its file and line.

Each class of hostile YAML is tried with generated members, appended to a real input
file, by a whole build in a child process under an address-space limit: the build
exits 1 with a message naming the file and line, no traceback, and publishes nothing.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from article_data_build import cli
from article_data_build.loader import MAX_DEPTH, load_yaml
from bounded import GIB, run_bounded
from helpers import ROOT, snapshot

MAPPING_FILES = ("package.yaml", "mentions.yaml")
LIST_FILES = ("people.yaml", "quotes.yaml", "figures.yaml", "places.yaml")
SETTINGS = settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("loader") / "repo"
    for name in ("annotations", "schemas", "data", "datapackage.json", "DATA_DICTIONARY.md"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy2)(ROOT / name, root / name)
    yield root


def build_with(repo: Path, name: str, fragment: str) -> tuple[str, int]:
    """Append ``fragment`` (a value) to annotations/NAME, build in a bounded child; the stderr and the fragment's line."""
    path = repo / "annotations" / name
    original = path.read_bytes()
    before = snapshot(repo)
    text = original.decode().rstrip("\n") + "\n"
    line = text.count("\n") + 1
    entry = f"hostile: {fragment}\n" if name in MAPPING_FILES else f"- hostile: {fragment}\n"
    path.write_text(text + entry, encoding="utf-8")
    try:
        done = run_bounded(lambda: cli.main(["--inputs", str(repo)]), memory_bytes=2 * GIB, timeout=60)
    finally:
        path.write_bytes(original)
    assert not done.timed_out and done.returncode == 1, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr and snapshot(repo) == before
    return done.stderr, line


def assert_refused(stderr: str, name: str, line: int, words: str) -> None:
    found = [part for part in stderr.splitlines() if f"annotations/{name}:" in part and words in part]
    assert found, stderr[-2000:]
    reported = int(found[0].split(f"annotations/{name}:")[1].split(":")[0])
    assert line <= reported <= line + 2, (line, found[0])


files = st.sampled_from(MAPPING_FILES + LIST_FILES)


@SETTINGS
@given(
    name=files, levels=st.integers(1, 12), width=st.integers(2, 9), anchor=st.from_regex(r"[a-z]{1,8}", fullmatch=True)
)
def test_anchors_and_aliases_are_refused(repo: Path, name: str, levels: int, width: int, anchor: str) -> None:
    """A billion-laughs bomb of any depth and width is refused at its first anchor, in seconds and bounded memory."""
    bomb = "\n".join(
        f"  l{i}: &{anchor}{i} [{', '.join([f'*{anchor}{i - 1}'] * width)}]" if i else f"  l0: &{anchor}0 x"
        for i in range(levels + 1)
    )
    stderr, line = build_with(repo, name, "\n" + bomb)
    assert_refused(stderr, name, line, "anchors and aliases")


TAGGED = [
    "!!binary aGVsbG8=",
    "!!python/object/apply:os.system ['true']",
    "!!set {a: null}",
    "!!omap [a: 1]",
    "!!timestamp 2020-01-01",
    "!custom x",
    "!!str x",
    "!<tag:yaml.org,2002:int> 3",
    "!!float 1",
    "!!map {a: 1}",
]


@SETTINGS
@given(name=files, tagged=st.sampled_from(TAGGED))
def test_explicit_tags_are_refused(repo: Path, name: str, tagged: str) -> None:
    """Every explicit tag (``!!binary``, ``!!python/...``, a local tag, even ``!!str``) is refused with its line."""
    stderr, line = build_with(repo, name, tagged)
    assert_refused(stderr, name, line, "is not allowed in the inputs")


out_of_range = st.one_of(
    st.integers(min_value=2**63), st.integers(max_value=-(2**63) - 1), st.integers(21, 6000).map(lambda n: "9" * n)
)


@SETTINGS
@given(name=files, value=out_of_range)
def test_integers_beyond_64_bits_are_refused(repo: Path, name: str, value: int | str) -> None:
    """An integer outside int64, up to thousands of digits (past Python's own 4300-digit limit), is a message."""
    stderr, line = build_with(repo, name, str(value))
    assert_refused(stderr, name, line, "integer")


@SETTINGS
@given(name=files, value=st.sampled_from([".nan", ".NaN", ".inf", "-.Inf", "+.INF", "1.0e+999", "-1.5e+400"]))
def test_numbers_that_are_not_finite_are_refused(repo: Path, name: str, value: str) -> None:
    """NaN and infinity (written or overflowing) are refused: the package has no such number."""
    stderr, line = build_with(repo, name, value)
    assert_refused(stderr, name, line, "not finite")


KEYS = ["{[a, b]: 1}", "{{a: 1}: 1}", "{1: x}", "{null: x}", "{true: x}", "{2.5: x}", "\n  ? [a]\n  : 1"]


@SETTINGS
@given(name=files, mapping=st.sampled_from(KEYS))
def test_mapping_keys_must_be_plain_strings(repo: Path, name: str, mapping: str) -> None:
    """A list, a mapping, a number, null or a boolean as a mapping key is refused with its line."""
    stderr, line = build_with(repo, name, mapping)
    assert_refused(stderr, name, line, "a mapping key must be a plain string")


@SETTINGS
@given(name=files, depth=st.integers(MAX_DEPTH + 1, 20_000), mapping=st.booleans())
def test_deep_nesting_is_refused(repo: Path, name: str, depth: int, mapping: bool) -> None:
    """Lists or mappings nested past MAX_DEPTH, up to 20,000 deep (past Python's recursion limit), are a message."""
    fragment = "{a: " * depth + "1" + "}" * depth if mapping else "[" * depth + "]" * depth
    stderr, line = build_with(repo, name, fragment)
    assert_refused(stderr, name, line, f"nested more than {MAX_DEPTH} deep")


@SETTINGS
@given(name=files, when=st.one_of(st.dates().map(str), st.datetimes().map(lambda d: d.isoformat(" "))))
def test_unquoted_dates_are_refused(repo: Path, name: str, when: str) -> None:
    """An unquoted date or time (a datetime to YAML 1.1) is refused, saying to quote it."""
    stderr, line = build_with(repo, name, when)
    assert_refused(stderr, name, line, "quote it")


def test_the_merge_key_is_refused() -> None:
    """``<<`` would copy keys from elsewhere; it is refused with its line."""
    with pytest.raises(yaml.YAMLError, match="merge key") as caught:
        load_yaml("a: 1\nb:\n  <<: {c: 1}\n")
    assert caught.value.problem_mark.line + 1 == 3  # type: ignore[attr-defined]


def test_plain_data_loads_with_lines() -> None:
    """Strings, 64-bit integers, finite numbers, booleans, null, lists and mappings load; mappings carry their line."""
    data = load_yaml(f"- a: {2**63 - 1}\n  b: [x, 1.5, true, null, '2022-03-01']\n- c: {-(2**63)}\n")
    assert data == [
        {"a": 2**63 - 1, "b": ["x", 1.5, True, None, "2022-03-01"], "__line__": 1},
        {"c": -(2**63), "__line__": 3},
    ]
