"""``python -m article_data``: the same command line as ``article-data``."""

from ._cli import run

run()
