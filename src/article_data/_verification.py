"""What :meth:`Package.verify` found: which release a copy is, or that it is an untrusted copy."""

# No `from __future__ import annotations` here: a NamedTuple compiles each string annotation
# (typing.ForwardRef) when its class is made, about 0.3 ms a field on the start-up of `article-data verify`.

from typing import NamedTuple

__all__ = ["Verification"]


class Verification(NamedTuple):
    """The outcome of a successful :meth:`~article_data.Package.verify`.

    ``release`` is the kept release the copy is by the library's own record, or None
    when the copy is of no known version (a local build, a fork): then its files
    match only its own descriptor, which anyone may have rewritten.
    """

    version: str
    release: str | None
    files: int

    @property
    def trusted(self) -> bool:
        """Whether the copy was checked against the library's record of a release."""
        return self.release is not None

    def __str__(self) -> str:
        if self.release is not None:
            return (
                f"release {self.release}: datapackage.json and {self.files} files match the library's record "
                f"of that release"
            )
        return (
            f"version {self.version}, no known release: {self.files} files match its own datapackage.json "
            f"only (an untrusted copy: anyone may have rewritten its hashes)"
        )
