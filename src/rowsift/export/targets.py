"""Every format `rowsift export --to NAME` writes: one table, read by the command and the API.

A target is a function from a recipe to text, a line of what it gives, and the file suffix an
output of it usually has. Adding a target is adding a line to `TARGETS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rowsift.export.code.duckdb_sql import duckdb_sql
from rowsift.export.code.pandas import pandas_program
from rowsift.export.code.polars import polars_program
from rowsift.export.code.pyspark import pyspark_program
from rowsift.export.contracts import FORMATS
from rowsift.recipe.model import Recipe


@dataclass(frozen=True, kw_only=True)
class Target:
    """One export format."""

    write: Callable[[Recipe], str]
    """The recipe as the target's text; raises `ExportError` for what it cannot express."""
    description: str
    suffix: str
    """The usual file suffix of the output (``.py``, ``.sql``, ``.json``)."""


TARGETS: dict[str, Target] = {
    "polars": Target(
        write=polars_program,
        description="a standalone Python program that needs only Polars",
        suffix=".py",
    ),
    "pandas": Target(
        write=pandas_program,
        description="a standalone Python program that needs only pandas (with pyarrow)",
        suffix=".py",
    ),
    "pyspark": Target(
        write=pyspark_program,
        description="a standalone Python program that needs only PySpark",
        suffix=".py",
    ),
    "duckdb-sql": Target(
        write=duckdb_sql,
        description="DuckDB SQL: views clean and quarantine over the input, usable as dbt models",
        suffix=".sql",
    ),
    # contracts and suites (rowsift.export.contracts), each as its own table describes it
    **{
        name: Target(write=contract.write, description=contract.description, suffix=contract.suffix)
        for name, contract in FORMATS.items()
    },
}
"""Every target, by the name `--to` takes."""
