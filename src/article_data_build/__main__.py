"""``python -m article_data_build``: build the package (see :mod:`article_data_build.cli`)."""

import sys

from .cli import main

sys.exit(main())
