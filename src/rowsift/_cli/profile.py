"""`rowsift profile INPUT`: column and table statistics, as a Rich summary or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from rowsift._cli.console import out, print_json


def profile_command(
    input: Annotated[
        Path, typer.Argument(help="The table to profile (CSV, TSV, Parquet, NDJSON).")
    ],
    json_output: Annotated[
        bool, typer.Option("--json", help="Print machine-readable JSON only.")
    ] = False,
    sample: Annotated[
        int | None, typer.Option("--sample", help="Profile about N rows (every k-th row).")
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
) -> int:
    """Profile a table: types, nulls, shapes, values, keys, dependencies."""
    from rowsift.exceptions import UsageError
    from rowsift.io import read_table
    from rowsift.profile import profile_table
    from rowsift.recipe import SourceSpec

    if sample is not None and sample < 1:
        raise UsageError(f"--sample must be at least 1, got {sample}", hint="e.g. --sample 100000")
    prof = profile_table(read_table(input, SourceSpec()), sample=sample)
    if json_output:
        print_json({"input": str(input), **prof.to_dict()})
        return 0
    sampled = (
        f", profiled on {prof.sampled_rows:,} sampled rows (±{prof.margin:.1%} on shares)"
        if sample
        else ""
    )
    out.print(
        f"{input}: {prof.rows:,} rows{sampled}, {len(prof.columns)} columns, "
        f"{prof.duplicate_rows:,} duplicate rows in {prof.sampled_rows:,} examined"
    )
    table = Table(title="columns", title_justify="left")
    for header in ("column", "type", "nulls", "distinct", "top shapes", "top values", "range"):
        table.add_column(header, overflow="fold")
    for column in prof.columns:
        present = column.present or 1
        shapes = ", ".join(f"{s.shape} {s.count / present:.1%}" for s in column.shapes[:3])
        values = ", ".join(f"{v!r} {c}" for v, c in column.top(3))
        numeric = column.numeric
        span = "" if numeric is None else f"{numeric.min:g} .. {numeric.max:g}"
        nulls = f"{column.nulls:,}" + (
            f" (+{sum(column.null_like.values()):,} like {', '.join(column.null_like)})"
            if column.null_like
            else ""
        )
        kind = column.inferred_type + (f" {column.format}" if column.format else "")
        table.add_row(
            column.name,
            f"{kind} {column.parse_share:.1%}",
            nulls,
            f"{column.distinct:,}",
            shapes,
            values,
            span,
        )
    out.print(table)
    if prof.keys:
        out.print("candidate keys: " + ", ".join("+".join(key) for key in prof.keys))
    for dependency in prof.dependencies[:20]:
        out.print(
            f"dependency {dependency.determinant} → {dependency.dependent}: holds on "
            f"{dependency.share:.1%} of {dependency.support:,} rows in {dependency.groups:,} groups"
        )
    return 0
