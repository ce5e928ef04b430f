"""The one place the dataset's version is written (see README, "Versioning")."""

__version__ = "2.0.0"
