"""Profiles: column and table statistics in a small fixed number of scans, on any engine.

`profile_table` reads a frame through narwhals and returns a `TableProfile`: per column its
likely type and parse share (`types`), semantic class (`semantics`), nulls and null-like
tokens, shapes of values (`shapes`), most frequent values and number statistics (`columns`);
per table its duplicates, candidate keys and approximate functional dependencies
(`dependencies`). `reading` loads a file with detection for `rowsift profile`. Profiles feed
`rowsift.suggest`.
"""

from __future__ import annotations

from rowsift.profile.columns import ColumnProfile, NumericStats, ShapeCount
from rowsift.profile.dependencies import Dependency
from rowsift.profile.shapes import (
    NULL_LIKE,
    SampledTexts,
    is_null_like,
    present_strings,
    shape_of,
)
from rowsift.profile.table import TableProfile, profile_table

__all__ = [
    "NULL_LIKE",
    "ColumnProfile",
    "Dependency",
    "NumericStats",
    "SampledTexts",
    "ShapeCount",
    "TableProfile",
    "is_null_like",
    "present_strings",
    "profile_table",
    "shape_of",
]
