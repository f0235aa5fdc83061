"""What the commands share: exit codes, common options, and the input's help text."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

EXIT_FAILED_DATASET_RULE = 1
EXIT_INPUT = 3
EXIT_ALERT = 4
MAX_LIMIT = 1_000_000
"""The most a ``--limit`` may ask for (a number beyond 64 bits is no count of rows)."""

JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON only.")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")]
DebugOption = Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")]
INPUT_HELP = (
    "The table to read: CSV, TSV or other delimited text (any encoding, also compressed: "
    ".gz, .bz2, .zst, .xz, or a .zip of one file), ARFF, Excel (.xlsx, .xlsm, .xls, .xlsb, "
    ".ods), JSON, NDJSON, Parquet, Arrow/Feather, Stata (.dta), SQLite, DuckDB, or a "
    "postgresql:// URL."
)
CsvFormulasOption = Annotated[
    str,
    typer.Option(
        "--csv-formulas",
        help="escape (default): in CSV outputs, prefix with ' any text a spreadsheet would run "
        "as a formula (=, +, -, @ ...); keep: write values exactly as they are.",
    ),
]
SheetOption = Annotated[
    str | None,
    typer.Option(
        "--sheet", help="Excel sheet: a name, or a 0-based index (default the first visible one)."
    ),
]
TableOption = Annotated[
    str | None,
    typer.Option("--table", help="Database table, or a JSON object's array of records."),
]
QueryOption = Annotated[
    str | None, typer.Option("--query", help="Database query (one SELECT statement).")
]
ExternalAccessOption = Annotated[
    bool,
    typer.Option(
        "--allow-external-access",
        help="Let a recipe's source.query on a DuckDB file read other files and load "
        "extensions (off by default: a recipe is a file people pass around).",
    ),
]


def formula_policy(given: str) -> Literal["escape", "keep"]:
    """The --csv-formulas choice, checked."""
    from rowsift.exceptions import UsageError

    if given not in ("escape", "keep"):
        raise UsageError(f"unknown --csv-formulas {given!r}", hint="use escape or keep")
    return "keep" if given == "keep" else "escape"
