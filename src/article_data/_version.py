"""The one place the dataset's version is written (see README, "Versioning")."""

__version__ = "1.1.0"
