"""The one YAML loader of the build's inputs: plain data only, every refusal with its file and line.

The inputs come from contributors' pull requests, so the loader accepts only what
the annotations need: mappings with plain string keys, lists, strings, integers
that fit in 64 bits, finite numbers, booleans and null, nested at most
:data:`MAX_DEPTH` deep. It refuses anchors and aliases (the "billion laughs" bomb),
every explicit tag (``!!binary``, ``!!python/...``), the merge key ``<<`` and an
unquoted date or time (YAML 1.1 would make it a ``datetime``; quote it). Each
mapping records the line it starts on as ``__line__``; a key given twice is refused.
"""

from __future__ import annotations

import math
from typing import Any

import yaml
from yaml.composer import ComposerError  # type: ignore[import-untyped]
from yaml.constructor import ConstructorError, SafeConstructor  # type: ignore[import-untyped]
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent  # type: ignore[import-untyped]
from yaml.nodes import MappingNode, Node, ScalarNode  # type: ignore[import-untyped]

__all__ = ["MAX_DEPTH", "load_yaml"]

#: How deep lists and mappings may nest (the 1.1.0 inputs nest at most 4 deep).
MAX_DEPTH = 16
_TAG = "tag:yaml.org,2002:"
_PLAIN = {f"{_TAG}{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")}
_NAMES = {
    f"{_TAG}timestamp": "an unquoted date or time (YAML reads it as a datetime) is not allowed in the inputs; "
    "quote it, as in '2022-03-01'",
    f"{_TAG}merge": "the merge key '<<' is not allowed in the inputs; write the keys out",
    f"{_TAG}value": "the value key '=' is not allowed in the inputs; quote it",
}
_DIGITS = 20  # characters of an integer literal: 2**63 has 19 digits


class _Loader(yaml.SafeLoader):  # type: ignore[misc]  # PyYAML ships no type hints
    """A safe loader that composes plain data only (see the module's docstring)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: object) -> Node:
        event = self.peek_event()
        if isinstance(event, AliasEvent) or event.anchor is not None:
            raise ComposerError(
                None,
                None,
                "anchors and aliases (&name, *name) are not allowed in the inputs; write each value out",
                event.start_mark,
            )
        if isinstance(event, (ScalarEvent, CollectionStartEvent)) and event.tag not in (None, "!"):
            raise ComposerError(
                None, None, f"the tag {event.tag} is not allowed in the inputs; write a plain value", event.start_mark
            )
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise ComposerError(None, None, f"lists and mappings nested more than {MAX_DEPTH} deep", event.start_mark)
        try:
            node: Node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if node.tag not in _PLAIN:
            raise ComposerError(
                None,
                None,
                _NAMES.get(node.tag, f"a value of type {node.tag} is not allowed in the inputs; write a plain value"),
                node.start_mark,
            )
        return node


def _construct_mapping(loader: _Loader, node: MappingNode) -> dict[str, Any]:
    mapping: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode) or key_node.tag != f"{_TAG}str":
            found = (
                "a list" if key_node.id == "sequence" else "a mapping" if key_node.id == "mapping" else key_node.value
            )
            raise ConstructorError(
                None, None, f"a mapping key must be a plain string, found {found!r:.40}", key_node.start_mark
            )
        if key_node.value in mapping:
            raise ConstructorError(None, None, f"duplicate key {key_node.value!r}", key_node.start_mark)
        mapping[key_node.value] = loader.construct_object(value_node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


def _construct_int(loader: _Loader, node: ScalarNode) -> int:
    digits = node.value.replace("_", "").lstrip("+-")
    if len(digits) > _DIGITS:
        raise ConstructorError(
            None,
            None,
            f"an integer of {len(digits)} characters; the inputs take integers between -2**63 and 2**63-1",
            node.start_mark,
        )
    value: int = SafeConstructor.construct_yaml_int(loader, node)
    if not -(2**63) <= value < 2**63:
        raise ConstructorError(None, None, f"the integer {value} is outside -2**63..2**63-1", node.start_mark)
    return value


def _construct_float(loader: _Loader, node: ScalarNode) -> float:
    if len(node.value) > 64:
        raise ConstructorError(None, None, f"a number of {len(node.value)} characters", node.start_mark)
    value: float = SafeConstructor.construct_yaml_float(loader, node)
    if not math.isfinite(value):
        raise ConstructorError(
            None, None, f"the number {node.value} is not finite; the package has no NaN or infinity", node.start_mark
        )
    return value


_Loader.add_constructor(f"{_TAG}map", _construct_mapping)
_Loader.add_constructor(f"{_TAG}int", _construct_int)
_Loader.add_constructor(f"{_TAG}float", _construct_float)


def load_yaml(text: str) -> Any:
    """The plain data of one YAML document; ``yaml.YAMLError`` (with a mark) for anything else."""
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
