"""Reading and checking the hand-written inputs; every problem is collected with its file and line."""

from __future__ import annotations

import heapq
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from article_data._errors import DescriptorError
from article_data._tableschema import check_table_schema

from .errors import InputFileError
from .layout import ARTICLE, INPUTS, METADATA, SCHEMAS
from .loader import load_yaml
from .model import MutableRow as Row
from .paths import ARTICLE_CAP, SCHEMA_CAP, YAML_CAP, read_input

__all__ = [
    "ID",
    "MAX_PROBLEMS",
    "Inputs",
    "Row",
    "TooManyProblems",
    "check_enum",
    "check_ids",
    "check_ref",
    "enum",
    "where",
]

#: Ids the annotators write: lowercase letters, digits and '_', starting with a letter.
ID = re.compile(r"^[a-z][a-z0-9_]*$")
#: The build lists every problem of the inputs, up to this many (then it stops reading them).
MAX_PROBLEMS = 1000


class TooManyProblems(Exception):  # noqa: N818  (a signal to stop, not an error of its own)
    """Raised by :meth:`Inputs.problem` at :data:`MAX_PROBLEMS`; :func:`article_data_build.assemble.build` stops."""


def where(row: Row) -> tuple[str, int | None]:
    """The input file and line a row came from."""
    return row.get("__file__", INPUTS), row.get("__line__")


def strip_lines(value: Any) -> Any:
    """A parsed input without the loader's ``__line__``/``__file__`` bookkeeping."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k not in ("__line__", "__file__")}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value


@dataclass
class Inputs:
    """The inputs of one build, read from ``root``, plus the problems found so far."""

    root: Path
    problems: list[str] = field(default_factory=list)

    def problem(self, file: str, line: int | None, message: str) -> None:
        """Record a problem; past :data:`MAX_PROBLEMS` the build stops reading (TooManyProblems)."""
        self.problems.append(f"{file}:{line if line is not None else 1}: {message}")
        if len(self.problems) >= MAX_PROBLEMS:
            self.problems.append(f"{INPUTS}:1: stopped after {MAX_PROBLEMS} problems; fix these first")
            raise TooManyProblems(self.problems[-1])

    def read_yaml(self, name: str) -> Any:
        """A YAML file of annotations/, or None (with a problem) when it cannot be read."""
        rel = f"{INPUTS}/{name}"
        try:
            return load_yaml(read_input(self.root, rel, YAML_CAP).decode("utf-8"))
        except InputFileError as exc:
            self.problem(rel, None, str(exc).removeprefix(f"{rel}: "))
        except UnicodeDecodeError as exc:
            self.problem(rel, None, f"not UTF-8 ({exc})")
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            self.problem(
                rel, mark.line + 1 if mark else None, f"malformed YAML: {getattr(exc, 'problem', None) or exc}"
            )
        return None

    def rows(self, name: str, allowed: set[str], required: set[str]) -> list[Row]:
        """A YAML list of mappings with its keys checked; rows carry '__file__' and '__line__'."""
        data = self.read_yaml(name)
        rel = f"{INPUTS}/{name}"
        if data is None:
            return []
        if not isinstance(data, list):
            self.problem(rel, None, f"expected a YAML list of entries, found {type(data).__name__}")
            return []
        good = []
        for item in data:
            if not isinstance(item, dict):
                self.problem(rel, None, f"expected a mapping per entry, found {item!r:.60}")
                continue
            line = item.get("__line__")
            keys = set(item) - {"__line__"}
            for key in sorted(keys - allowed):
                self.problem(rel, line, f"unknown key {key!r}; expected keys among {sorted(allowed)}")
            for key in sorted(required - keys):
                self.problem(rel, line, f"missing required key {key!r}")
            item["__file__"] = rel
            good.append(item)
        return good

    def article(self) -> tuple[bytes, str] | None:
        """The article's bytes and text, or None when it cannot be read or is not UTF-8."""
        try:
            data = read_input(self.root, ARTICLE, ARTICLE_CAP)
            return data, data.decode("utf-8")
        except InputFileError as exc:
            self.problem(ARTICLE, None, str(exc).removeprefix(f"{ARTICLE}: "))
            return None
        except UnicodeDecodeError as exc:
            self.problem(ARTICLE, None, f"not UTF-8: {exc}")
            return None

    def metadata(self) -> dict[str, Any]:
        """annotations/package.yaml: descriptor properties, the table list and the responsible-AI fields."""
        data = self.read_yaml("package.yaml")
        if not isinstance(data, dict):
            self.problem(METADATA, None, "expected a mapping of descriptor properties")
            return {}
        return data

    def table_names(self, metadata: dict[str, Any]) -> list[str]:
        """The tables to build, in published order: package.yaml's ``tables`` list."""
        names = metadata.get("tables")
        if not isinstance(names, list) or not names or not all(isinstance(n, str) and ID.match(n) for n in names):
            self.problem(
                METADATA, metadata.get("__line__"), f"'tables' must list the table names in order, found {names!r:.80}"
            )
            return []
        return names

    def schemas(self, tables: list[str]) -> dict[str, dict[str, Any]]:
        """annotations/schemas/<table>.schema.json of each table, checked as Table Schemas."""
        schemas: dict[str, dict[str, Any]] = {}
        for name in tables:
            rel = f"{SCHEMAS}/{name}.schema.json"
            try:
                schema = json.loads(read_input(self.root, rel, SCHEMA_CAP).decode("utf-8"))
                check_table_schema(schema, rel)
            except (InputFileError, ValueError, DescriptorError, RecursionError) as exc:
                self.problem(rel, None, f"cannot use the Table Schema: {exc}")
                continue
            schemas[name] = schema
        return schemas


def enum(schemas: dict[str, Any], table: str, column: str) -> list[str]:
    """A column's enum, from its Table Schema (the one place enum values are written)."""
    fields = {f["name"]: f for f in schemas[table]["fields"]}
    return list(fields[column].get("constraints", {}).get("enum", []))


def check_enum(inputs: Inputs, row: Row, key: str, values: list[str]) -> None:
    if row.get(key) not in values:
        inputs.problem(*where(row), f"{key} {row.get(key)!r:.60} is not one of {values}")


def check_ids(inputs: Inputs, rows: list[Row]) -> set[str]:
    """The ids of some rows; a malformed or repeated id is a problem."""
    seen: set[str] = set()
    for row in rows:
        rid = row.get("id")
        if not isinstance(rid, str) or not ID.match(rid):
            inputs.problem(
                *where(row), f"id {rid!r:.60} must be lowercase letters, digits and '_', starting with a letter"
            )
        elif rid in seen:
            inputs.problem(*where(row), f"duplicate id {rid!r}")
        else:
            seen.add(rid)
    return seen


def check_ref(inputs: Inputs, row: Row, key: str, known: set[str], table: str) -> str | None:
    """A reference to another table's id; an unknown one is a problem."""
    value = row.get(key)
    if value is not None and (not isinstance(value, str) or value not in known):
        inputs.problem(
            *where(row), f"{key} {value!r:.60} is not an id in {table}; known ids: {heapq.nsmallest(12, known)}..."
        )
    return value
