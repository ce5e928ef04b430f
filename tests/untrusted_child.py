"""Run entry points of article_data over one copy of the package, in a child process the tests bound.

    python tests/untrusted_child.py ROOT ACTION...

Each action prints ``ACTION ok`` or ``ACTION refused ERRORTYPE: message``; any exception
other than an ``ArticleDataError`` escapes as a traceback (exit 1), which is what the
tests look for.
"""

from __future__ import annotations

import os
import sys

import article_data as ad


def act(root: str, action: str) -> None:
    pkg = ad.Package(root)
    if action == "verify":
        print(pkg.verify())
    elif action == "text":
        pkg.article_text()
    elif action == "load":
        pkg.load_all()
        pkg.load_all(format="csv")
    elif action == "render":
        ad.render_html(pkg)
    elif action == "diff":
        ad.diff(ad.Package(), pkg)
    elif action == "export":
        for table in pkg.tables:
            for fmt in ("csv", "json", "parquet"):
                pkg.export(table, fmt)
    elif action == "sql":
        pkg.sql("SELECT count(*) AS n FROM quotes")
    elif action == "validate":
        try:
            pkg.validate()
        except ad.ValidationError as exc:
            print(f"validate problems {len(exc.problems)}")
    else:
        raise SystemExit(f"unknown action {action}")


def main() -> int:
    root, actions = sys.argv[1], sys.argv[2:]
    for action in actions:
        try:
            act(root, action)
        except ad.ArticleDataError as exc:
            message = str(exc).replace("\n", " ")[:300]
            print(f"{action} refused {type(exc).__name__}: {message}")
        else:
            print(f"{action} ok")
    return 0


if __name__ == "__main__":
    # Arrow's and DuckDB's thread pools can abort the interpreter while it tears itself down, after
    # the work is done (apache/arrow#34314, the reason the console script ends the same way): every
    # action has printed its outcome by now, so end at once with the real status.
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
