"""Describe the data package in MLCommons Croissant 1.0, with its Responsible AI fields.

The build calls :func:`croissant_metadata` with the descriptor it has just
written, the Table Schemas and the curated ``responsible_ai`` mapping of
``annotations/package.yaml``, and writes the result as ``croissant.json`` with
:func:`article_data_build.writer.json_bytes`. Everything is a function of those inputs (no clock, fixed
order), so two builds give the same bytes.

The mapping, table by table:

- every file of the descriptor (the article, each CSV and each Parquet copy)
  becomes a ``cr:FileObject`` with its relative ``contentUrl``, size and sha256;
- every table becomes a ``cr:RecordSet`` whose ``key`` is the primary key and
  whose fields read the Parquet copy (typed, so that no value goes through
  pandas' CSV type guessing), one field per Table Schema field, with a
  ``references`` for every foreign key.

Types, media types and foreign keys are the library's (:mod:`article_data._types`,
:mod:`article_data._vocabulary`, :mod:`article_data._tableschema`), so they are
stated once for the loader and for Croissant alike.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from article_data._errors import DescriptorError
from article_data._hashes import hex_digest, is_sha256_label
from article_data._tableschema import check_table_schema
from article_data._types import SUPPORTED_TYPES, croissant_type
from article_data._vocabulary import MEDIA_TYPES

from .errors import MetadataError

CROISSANT_1_0 = "http://mlcommons.org/croissant/1.0"
RAI_1_0 = "http://mlcommons.org/croissant/RAI/1.0"

#: The JSON-LD context of the Croissant 1.0 example datasets, which mlcroissant checks
#: against (it warns about any missing key). The spec's own Appendix 1 is an older,
#: incomplete draft of it: it lacks the ``cr`` and ``dct`` prefixes it relies on.
CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}

#: The Croissant RAI 1.0 properties ``responsible_ai`` may set, each with its
#: cardinality as mlcroissant reads it ("ONE": a string; "MANY": a string or a list).
#: rai:dataManipulationProtocol and rai:dataCollectionTimeframe are left out:
#: mlcroissant 1.1.1 reads them under other names (dataDataManipulationProtocol,
#: dataCollectionTimeFrame), so it would ignore them.
RAI_PROPERTIES: dict[str, str] = {
    "dataCollection": "ONE",
    "dataCollectionType": "MANY",
    "dataCollectionMissingData": "ONE",
    "dataCollectionRawData": "ONE",
    "dataImputationProtocol": "ONE",
    "dataPreprocessingProtocol": "MANY",
    "dataAnnotationProtocol": "MANY",
    "dataAnnotationPlatform": "MANY",
    "dataAnnotationAnalysis": "MANY",
    "annotationsPerItem": "ONE",
    "annotatorDemographics": "MANY",
    "machineAnnotationTools": "MANY",
    "dataBiases": "MANY",
    "dataUseCases": "MANY",
    "dataLimitations": "MANY",
    "dataSocialImpact": "ONE",
    "personalSensitiveInformation": "MANY",
    "dataReleaseMaintenancePlan": "ONE",
}


def rai_problems(rai: Any) -> list[str]:
    """Return what is wrong with a ``responsible_ai`` mapping (empty when it is usable).

    Parameters
    ----------
    rai : Any
        The value of ``responsible_ai`` in ``annotations/package.yaml``.

    Returns
    -------
    list of str
        One message per problem: not a mapping, an unknown property, or a value
        that is not a non-empty string (or, for a "MANY" property, a non-empty
        list of them).
    """
    if not isinstance(rai, Mapping):
        return [f"responsible_ai must be a mapping of Croissant RAI properties, found {type(rai).__name__}"]
    problems = []
    for key, value in rai.items():
        if key.startswith("__"):
            continue
        cardinality = RAI_PROPERTIES.get(key)
        if cardinality is None:
            problems.append(f"responsible_ai: unknown property {key!r}; expected one of {sorted(RAI_PROPERTIES)}")
        elif isinstance(value, str):
            if not value.strip():
                problems.append(f"responsible_ai.{key} is empty")
        elif cardinality == "MANY" and isinstance(value, list) and value:
            if not all(isinstance(v, str) and v.strip() for v in value):
                problems.append(f"responsible_ai.{key} must list non-empty strings")
        else:
            expected = "a string" if cardinality == "ONE" else "a string or a list of strings"
            problems.append(f"responsible_ai.{key} must be {expected}, found {type(value).__name__}")
    return problems


def _file_id(resource: Mapping[str, Any]) -> str:
    return str(resource["path"]).rsplit("/", 1)[-1]


def _extension(resource: Mapping[str, Any]) -> str:
    """The file's format: the descriptor's ``format`` (``SHA256SUMS`` is ``txt``), else its extension."""
    return str(resource.get("format") or str(resource["path"]).rsplit(".", 1)[-1])


def _hex_sha256(resource: Mapping[str, Any]) -> str:
    if not is_sha256_label(resource["hash"]):
        raise MetadataError(
            f"resource {resource.get('name')!r}: expected a hash 'sha256:<hex>', found {resource['hash']!r}"
        )
    return hex_digest(str(resource["hash"]))


def _license_description(licenses: Sequence[Mapping[str, Any]]) -> str:
    return " ".join(f"Licence: {lic.get('title') or lic['name']}" for lic in licenses)


def _file_object(resource: Mapping[str, Any]) -> dict[str, Any]:
    extension = _extension(resource)
    if extension not in MEDIA_TYPES:
        raise MetadataError(f"resource {resource.get('name')!r}: no Croissant encodingFormat for .{extension} files")
    description = str(resource.get("description", ""))
    if resource.get("licenses"):
        description = f"{description} {_license_description(resource['licenses'])}".strip()
    node: dict[str, Any] = {
        "@type": "cr:FileObject",
        "@id": _file_id(resource),
        "name": _file_id(resource),
    }
    if description:
        node["description"] = description
    node.update(
        {
            "contentSize": f"{resource['bytes']} B",
            "contentUrl": resource["path"],
            "encodingFormat": MEDIA_TYPES[extension],
            "sha256": _hex_sha256(resource),
        }
    )
    return node


def _field_id(table: str, column: str) -> str:
    return f"{table}/{column}"


def _ref(node_id: str | list[str]) -> dict[str, str] | list[dict[str, str]]:
    if isinstance(node_id, list):
        return [{"@id": i} for i in node_id] if len(node_id) > 1 else {"@id": node_id[0]}
    return {"@id": node_id}


def _record_set(table: str, schema: Mapping[str, Any], file_id: str) -> dict[str, Any]:
    for field in schema["fields"]:
        if field["type"] not in SUPPORTED_TYPES:
            raise MetadataError(f"table {table!r}: no Croissant dataType for Table Schema type {field['type']!r}")
    references: dict[str, str] = {}
    try:
        foreign_keys = check_table_schema(schema, f"table {table!r}").foreign_keys
    except DescriptorError as exc:
        raise MetadataError(str(exc)) from None
    for fk in foreign_keys:
        for column, target_column in zip(fk.columns, fk.target_columns):
            references[column] = _field_id(fk.resource or table, target_column)
    fields = []
    for field in schema["fields"]:
        node: dict[str, Any] = {
            "@type": "cr:Field",
            "@id": _field_id(table, field["name"]),
            "name": field["name"],
        }
        if field.get("description"):
            node["description"] = field["description"]
        if field["type"] == "array":  # Croissant 1.0: a repeated field of its items' type, strings (1.1 says isArray)
            node["dataType"] = croissant_type("string")
            node["repeated"] = True
        else:
            node["dataType"] = croissant_type(field["type"])
        if field["name"] in references:
            node["references"] = {"field": {"@id": references[field["name"]]}}
        node["source"] = {"fileObject": {"@id": file_id}, "extract": {"column": field["name"]}}
        fields.append(node)
    record_set: dict[str, Any] = {
        "@type": "cr:RecordSet",
        "@id": table,
        "name": table,
    }
    if schema.get("description"):
        record_set["description"] = schema["description"]
    key = [_field_id(table, column) for column in schema.get("primaryKey", [])]
    if key:
        record_set["key"] = _ref(key)
    record_set["field"] = fields
    return record_set


def _cite_as(descriptor: Mapping[str, Any], creators: Sequence[str], date_published: str | None) -> str:
    entries = [
        ("title", str(descriptor.get("title") or descriptor["name"])),
        ("author", " and ".join(f"{{{name}}}" for name in creators)),
        ("year", date_published[:4] if date_published else None),
        ("version", descriptor.get("version")),
        ("url", descriptor.get("homepage")),
    ]
    body = ",\n".join(f"  {key} = {{{value}}}" for key, value in entries if value)
    key = re.sub(r"[^A-Za-z0-9]+", "_", f"{descriptor['name']}_{descriptor.get('version', '')}").strip("_")
    return f"@misc{{{key},\n{body}\n}}"


def croissant_metadata(
    descriptor: Mapping[str, Any],
    schemas: Mapping[str, Mapping[str, Any]],
    rai: Mapping[str, Any],
    *,
    date_published: str | None = None,
) -> dict[str, Any]:
    """Return the Croissant 1.0 description (a JSON-LD dict) of a written data package.

    Parameters
    ----------
    descriptor : Mapping
        The ``datapackage.json`` as written: ``name``, ``title``, ``description``,
        ``version``, ``homepage``, ``keywords``, ``licenses``, ``contributors``
        and ``resources`` (each with ``path``, ``bytes`` and ``hash``
        ``"sha256:<hex>"``). Table resources (``type: table``) name their Table
        Schema in ``schemas``.
    schemas : Mapping
        Table Schemas by table name: ``fields`` (``name``, ``type``,
        ``description``), ``primaryKey`` and ``foreignKeys``.
    rai : Mapping
        Croissant RAI properties (``dataCollection``, ``dataBiases``, ...) to
        their text; written with the ``rai:`` prefix, in :data:`RAI_PROPERTIES`
        order. See :func:`rai_problems`.
    date_published : str, optional
        The release date (ISO 8601), e.g. from :func:`article_data_build.changelog.release_date`; omitted
        when None.

    Returns
    -------
    dict
        The JSON-LD document: dataset metadata, one ``cr:FileObject`` per file
        and one ``cr:RecordSet`` per table, in descriptor order.

    Raises
    ------
    ValueError
        If a file has no sha256 hash or no Croissant encoding format, a field
        has a type with no Croissant data type, a table has no Parquet or CSV
        file, or ``rai`` is not usable.
    """
    problems = rai_problems(rai)
    if problems:
        raise MetadataError("; ".join(problems))
    resources = [*descriptor["resources"], *descriptor.get("files", [])]
    by_path = {str(r["path"]): r for r in resources}
    creators = [str(c["title"]) for c in descriptor.get("contributors", []) if "creator" in c.get("roles", [])]
    licenses = [str(lic.get("path") or lic["name"]) for lic in descriptor.get("licenses", [])]

    metadata: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "name": descriptor["name"],
        "description": descriptor.get("description", ""),
        "conformsTo": [CROISSANT_1_0, RAI_1_0],
        "citeAs": _cite_as(descriptor, creators, date_published),
        "creator": [{"@type": "sc:Organization", "name": name} for name in creators],
    }
    if date_published:
        metadata["datePublished"] = date_published
    if descriptor.get("keywords"):
        metadata["keywords"] = list(descriptor["keywords"])
    if licenses:
        metadata["license"] = licenses[0] if len(licenses) == 1 else licenses
    if descriptor.get("homepage"):
        metadata["url"] = descriptor["homepage"]
    metadata["version"] = descriptor["version"]
    for key in RAI_PROPERTIES:
        if key in rai:
            value = rai[key]
            metadata[f"rai:{key}"] = list(value) if isinstance(value, list) else value
    metadata["distribution"] = [_file_object(r) for r in resources]

    record_sets = []
    for resource in resources:
        if resource.get("type") != "table":
            continue
        table = str(resource["name"])
        path = str(resource["path"])
        parquet = by_path.get(path.rsplit(".", 1)[0] + ".parquet")
        source = parquet if parquet is not None else resource
        record_sets.append(_record_set(table, schemas[table], _file_id(source)))
    metadata["recordSet"] = record_sets
    return metadata
