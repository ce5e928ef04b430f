"""``python -m article_data_build``: build the package (see :mod:`article_data_build.cli`)."""

import sys

from .cli import main

# The build validates pandas frames only, but pandera imports PySpark's pandas API when it
# is installed (the test suite's Spark test needs it), and PySpark warns about pandas 3 on
# stderr: in this process alone, mark it unavailable, as pandera handles.
sys.modules.setdefault("pyspark", None)  # type: ignore[arg-type]
sys.exit(main())
