"""Single source of the package version (read by hatchling at build time)."""

__version__ = "5.0.0a1"
