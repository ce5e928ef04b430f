"""The structure every consumer of a package relies on, checked once before any of them runs.

The page, the diff, the exports and SQL read these tables and columns. A copy of the
package may lack a table, drop a column, retype an offset or make it nullable; this
module refuses such a copy with one :class:`DescriptorError` naming the table and
the column, before ``render_html``, ``diff``, ``export`` or ``sql`` meets it. The
contract is what every kept release (1.0.0 on) has in common: older packages pass.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._errors import DescriptorError

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from ._tableschema import TableSchema

__all__ = ["CONTRACT", "TableContract", "check_contract"]

_SPAN = {"paragraph_id": "string", "char_start": "integer", "char_end": "integer", "text": "string"}


@dataclass(frozen=True)
class TableContract:
    """A table's primary key, the columns that must be present and never null, and those that must be present."""

    key: str
    required: dict[str, str]
    present: dict[str, str | None]  # None: any type (it changes between versions, e.g. aliases)


CONTRACT: dict[str, TableContract] = {
    "paragraphs": TableContract(
        "paragraph_id",
        {
            "paragraph_id": "string",
            "position": "integer",
            "kind": "string",
            "char_start": "integer",
            "char_end": "integer",
            "text": "string",
        },
        {"line_number": "integer"},
    ),
    "quotes": TableContract(
        "quote_id",
        {"quote_id": "string", **_SPAN, "quote_type": "string", "is_speech": "boolean"},
        {
            "has_closing_mark": "boolean",
            "speaker_person_id": "string",
            "speaker_organization_id": "string",
            "cue": "string",
        },
    ),
    "people": TableContract(
        "person_id",
        {"person_id": "string", "label": "string"},
        {
            "name": "string",
            "aliases": None,
            "is_pseudonym": "boolean",
            "description": "string",
            "age": "integer",
            "wikidata_id": "string",
        },
    ),
    "organizations": TableContract(
        "organization_id",
        {"organization_id": "string", "name": "string", "kind": "string"},
        {"aliases": None, "description": "string", "wikidata_id": "string"},
    ),
    "places": TableContract(
        "place_id",
        {"place_id": "string", "name": "string", "kind": "string"},
        {"aliases": None, "wikidata_id": "string"},
    ),
    "mentions": TableContract(
        "mention_id",
        {"mention_id": "string", **_SPAN, "mention_type": "string"},
        {"person_id": "string", "organization_id": "string", "place_id": "string"},
    ),
    "figures": TableContract(
        "figure_id",
        {"figure_id": "string", **_SPAN, "kind": "string", "qualifier": "string"},
        {"value": "number", "unit": "string", "date": "string", "date_precision": "string", "subject": "string"},
    ),
    "images": TableContract(
        "image_id",
        {
            "image_id": "string",
            "paragraph_id": "string",
            "caption": "string",
            "caption_char_start": "integer",
            "caption_char_end": "integer",
            "credit": "string",
            "credit_char_start": "integer",
            "credit_char_end": "integer",
        },
        {
            "photographer_person_id": "string",
            "agency_organization_id": "string",
            "date_taken": "date",
            "place_id": "string",
        },
    ),
    "defects": TableContract(
        "defect_id", {"defect_id": "string", **_SPAN, "kind": "string"}, {"correction": "string", "note": "string"}
    ),
}


def check_contract(tables: Sequence[str], schema_of: Callable[[str], TableSchema], where: str) -> None:
    """Refuse a package whose tables, keys or columns are not the contract's (a :class:`DescriptorError`).

    ``tables`` are the package's table names, ``schema_of`` gives a table's checked
    Table Schema, ``where`` names the descriptor in messages.
    """
    missing = [name for name in CONTRACT if name not in tables]
    if missing:
        raise DescriptorError(
            f"{where}: no table {missing[0]!r}; every article-data package has the tables "
            f"{', '.join(CONTRACT)}, which the page, diff, export and SQL read"
        )
    for name, contract in CONTRACT.items():
        schema = schema_of(name)
        fields = {f["name"]: f for f in schema.fields}
        if schema.primary_key != (contract.key,):
            raise DescriptorError(
                f"{schema.where}: expected the primary key [{contract.key!r}], found {list(schema.primary_key)!r:.80}"
            )
        for column, kind in [*contract.required.items(), *contract.present.items()]:
            field = fields.get(column)
            if field is None:
                raise DescriptorError(
                    f"{schema.where}: table {name!r} has no column {column!r}, which every article-data package has"
                )
            if kind is not None and field["type"] != kind:
                raise DescriptorError(f"{schema.where}: column {name}.{column} is {field['type']!r}; expected {kind!r}")
            if column in contract.required and not field.get("constraints", {}).get("required", False):
                raise DescriptorError(
                    f"{schema.where}: column {name}.{column} may be null; every article-data "
                    "package requires it (constraints.required: true)"
                )
