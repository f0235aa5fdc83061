"""Paths as the engines' file readers take them literally."""

from __future__ import annotations

from pathlib import Path

GLOB_CHARACTERS = "*?["
"""What DuckDB's readers (and Dask's file system layer) read as a glob in a path."""


def glob_escaped(path: Path) -> str:
    """The path with each glob character written as a class of itself, so that a reader that
    globs reads that one file: ``x[1].csv`` would otherwise read ``x1.csv``.

    >>> glob_escaped(Path("runs/x[1]*?.csv"))
    'runs/x[[]1][*][?].csv'
    """
    return "".join(f"[{char}]" if char in GLOB_CHARACTERS else char for char in str(path))
