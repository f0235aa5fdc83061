"""`rowsift export`: a recipe as a standalone program or another tool's format."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer


def export_command(
    recipe: Annotated[Path, typer.Argument(help="The recipe (YAML) to export.")],
    to: Annotated[
        str,
        typer.Option(
            "--to",
            help="The target: polars, pandas, pyspark or duckdb-sql (code that cleans like "
            "`rowsift run`), or a contract format; see docs/export.md. An unknown name lists "
            "them all.",
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="The file to write (default: standard output).",
            dir_okay=False,
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
) -> int:
    """Export a recipe: a readable program that cleans like `rowsift run`, or a contract."""
    from rowsift.export import export_file

    text = export_file(recipe, to=to, output=output)
    if output is None:
        sys.stdout.write(text)
    else:
        from rich.text import Text

        from rowsift._cli.console import err

        err.print(Text.assemble("wrote ", (str(output), "bold"), f" ({to})"))
    return 0
