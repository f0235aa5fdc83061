"""Recipes as readable standalone programs: one module per target, written from the plan.

Each program imports its library and the standard library only, never rowsift, and gives
rowsift's answer (the same clean rows, quarantine and reasons) on the inputs docs/export.md
says it is exact on.
"""

from __future__ import annotations

from types import ModuleType

from rowsift.export.code import duckdb_sql, pandas, polars, pyspark

EXPORTERS: dict[str, ModuleType] = {
    "polars": polars,
    "pandas": pandas,
    "pyspark": pyspark,
    "duckdb-sql": duckdb_sql,
}
"""The code targets, by name; each module has `EXPORTED` (the kinds it writes), `LIBRARY`
(the one library its code is written for; `LIBRARIES`, when there, all it imports) and
`outline` (how it reads a recipe)."""

PYTHON_PROGRAMS = ("polars", "pandas", "pyspark")
"""The targets whose text is a Python program."""

CANNOT_EXPORT: dict[str, dict[str, str]] = {target: {} for target in EXPORTERS}
"""Per program target, the registered rule and transform kinds it cannot write, and why
(each is listed in docs/export.md; exporting a recipe that uses one raises `ExportError`)."""
