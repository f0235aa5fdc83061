"""The package version, in one place that imports nothing (the build reads it from here)."""

__version__ = "0.1.0"
