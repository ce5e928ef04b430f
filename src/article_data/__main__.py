"""``python -m article_data``: the same as the ``article-data`` command."""

import sys

from ._cli import main

sys.exit(main())
