"""CITATION.cff: valid CFF 1.2.0, for this version of the dataset, crediting the original article."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml

import article_data as ad
from helpers import ROOT, run
from test_licence import reuse_licences, tool

CITATION = ROOT / "CITATION.cff"


@pytest.fixture(scope="module")
def citation() -> dict[str, Any]:
    """CITATION.cff as data."""
    return yaml.safe_load(CITATION.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_citation_cff_validates() -> None:
    """`cffconvert --validate` (from the tool venv) accepts CITATION.cff as CFF 1.2.0."""
    result = run(tool("cffconvert"), "--validate", "-i", CITATION, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_citation_version_is_the_library_version(citation: dict[str, Any]) -> None:
    """CITATION.cff cites the version that article_data reports at run time."""
    assert str(citation["version"]) == ad.__version__


def test_citation_describes_the_dataset_and_its_licence(citation: dict[str, Any]) -> None:
    """A dataset by the maintainers (an entity), under the annotations' licence, one of the ids REUSE.toml uses."""
    assert citation["cff-version"] == "1.2.0" and citation["type"] == "dataset"
    assert citation["authors"] == [{"name": "article-data maintainers"}]
    assert citation["license"] == "CC-BY-4.0" and citation["license"] in reuse_licences()
    assert "LicenseRef-TIME-Article-Third-Party" in citation["abstract"] and "MIT" in citation["abstract"]


def test_citation_credits_the_original_article_and_the_paraphrased_copy(citation: dict[str, Any]) -> None:
    """The references name the TIME original (Amie Ferris-Rotman, 2022-04-08) and the paraphrased copy as signed."""
    original, copy = citation["references"]
    assert (
        original["title"]
        == copy["title"].removesuffix(" (machine-paraphrased copy)")
        == "The Russians Fighting Putin in Ukraine"
    )
    assert original["authors"] == [{"family-names": "Ferris-Rotman", "given-names": "Amie"}]
    assert original["journal"] == "TIME" and original["date-published"] == dt.date(2022, 4, 8)
    assert "Miss Cherry May Timbol" in copy["authors"][0]["name"]
