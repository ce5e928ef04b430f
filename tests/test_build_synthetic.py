"""Synthetic packages at N times the real size (article_data_build.synthetic), as the benchmark uses them."""

from __future__ import annotations

from pathlib import Path

from article_data import Package
from article_data._package import default_root
from article_data_build.synthetic import synthesize


def test_synthetic_package_is_valid_and_scaled(tmp_path: Path) -> None:
    """The scale-3 synthetic package passes Package.validate() and holds 3x the rows of every table."""
    source = Package(default_root())
    package = synthesize(tmp_path, 3, source)
    scaled = Package(tmp_path)
    scaled.validate()
    assert scaled.tables == source.tables == tuple(package.tables)
    for name in source.tables:
        assert len(scaled.load(name)) == 3 * len(source.load(name)), name
    assert scaled.article_text() == "\n".join([source.article_text()] * 3)
