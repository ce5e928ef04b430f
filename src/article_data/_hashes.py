"""The one place a ``sha256:<hex>`` label is made or recognised."""

from __future__ import annotations

import hashlib
import re

__all__ = ["HASH_PATTERN", "PREFIX", "hex_digest", "is_sha256_label", "sha256"]

#: The only hash form a descriptor may declare: ``sha256:`` and 64 lowercase hex digits.
PREFIX = "sha256:"
HASH_PATTERN = re.compile(PREFIX + r"[0-9a-f]{64}")


def sha256(data: bytes) -> str:
    """Return ``sha256:<hex>`` of some bytes, the form ``datapackage.json`` uses.

    Examples
    --------
    >>> sha256(b"")
    'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
    """
    return PREFIX + hashlib.sha256(data).hexdigest()


def is_sha256_label(value: object) -> bool:
    """Return whether a value is a well-formed ``sha256:<hex>`` label.

    >>> is_sha256_label("md5:" + "0" * 32)
    False
    """
    return isinstance(value, str) and HASH_PATTERN.fullmatch(value) is not None


def hex_digest(label: str) -> str:
    """The hex digits of a ``sha256:<hex>`` label (what ``sha256sum`` prints).

    >>> hex_digest("sha256:" + "0" * 64) == "0" * 64
    True
    """
    return label.removeprefix(PREFIX)
