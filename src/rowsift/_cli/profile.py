"""`rowsift profile INPUT`: column and table statistics, as a Rich summary or JSON.

Values and names from the table are printed as plain text (never as Rich markup) and cut to a
readable length, so a cell ``[/]`` or a 20 MB field prints as what it is, quickly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from rowsift._cli.options import QueryOption, SheetOption, TableOption
from rowsift._cli.report import HtmlOption

if TYPE_CHECKING:
    from rich.table import Table

    from rowsift.profile import TableProfile

SHOWN = 40
"""Characters of a value shown in the summary; longer values end with an ellipsis."""
SHOWN_KEYS = 20
"""Candidate keys the summary names; it counts the others."""
SHOWN_COLUMNS = 200
"""Columns the summary's table shows; a wider table's others are counted under it (`--json`
and `--html` hold every one)."""


def shown(value: object, limit: int = SHOWN) -> str:
    """A value as a short, printable text (the JSON output keeps it whole).

    >>> shown("x" * 50, 10)
    'xxxxxxxxx…'
    >>> shown("a\\nb")
    "'a\\\\nb'"
    """
    text = value if isinstance(value, str) else str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    printable = text.isprintable()
    return text if printable else repr(text)


def profile_command(
    input: Annotated[
        str,
        typer.Argument(
            help="The table to profile: a file (CSV in any dialect, TSV, Parquet, JSON, Excel, "
            "SQLite, DuckDB) or a postgresql:// URL."
        ),
    ],
    json_output: Annotated[
        bool, typer.Option("--json", help="Print machine-readable JSON only.")
    ] = False,
    sample: Annotated[
        int | None, typer.Option("--sample", help="Profile about N rows (every k-th row).")
    ] = None,
    sheet: SheetOption = None,
    table: TableOption = None,
    query: QueryOption = None,
    html: HtmlOption = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
) -> int:
    """Profile a table: types, classes, nulls, shapes, values, keys, dependencies."""
    from rich.text import Text

    from rowsift._cli.console import err, out, print_json
    from rowsift.exceptions import UsageError
    from rowsift.profile import profile_table
    from rowsift.profile.reading import read_detected

    if sample is not None and sample < 1:
        raise UsageError(f"--sample must be at least 1, got {sample}", hint="e.g. --sample 100000")
    read, source = read_detected(input, chosen={"sheet": sheet, "table": table, "query": query})
    prof = profile_table(read, sample=sample, null_tokens=tuple(source.null_tokens))
    if html is not None:
        from rowsift._cli.report import write_html_report
        from rowsift.report import render_profile_report

        page = render_profile_report(prof, source=input)
        write_html_report(page, html, inputs=[input], quiet=json_output)
    if json_output:
        print_json({"input": str(input), "source": source.model_dump(), **prof.to_dict()})
        return 0
    sampled = (
        f", profiled on {prof.sampled_rows:,} sampled rows (±{prof.margin:.1%} on shares)"
        if sample
        else ""
    )
    out.print(
        Text(
            f"{shown(input, 200)}: {prof.rows:,} rows{sampled}, {len(prof.columns)} columns, "
            f"{prof.duplicate_rows:,} duplicate rows in {prof.sampled_rows:,} examined"
        )
    )
    if prof.parse_failures:
        err.print(
            Text(
                f"{prof.parse_failures:,} records could not be split into the header's fields: "
                "they are not profiled (a run quarantines them as row.parse)"
            )
        )
    out.print(columns_table(prof))
    hidden = len(prof.columns) - SHOWN_COLUMNS
    if hidden > 0:
        out.print(
            Text(
                f"… and {hidden:,} more columns, not shown here: --json or --html FILE holds "
                "every one"
            )
        )
    if prof.keys:
        keys = ", ".join("+".join(key) for key in prof.keys[:SHOWN_KEYS])
        more = len(prof.keys) - SHOWN_KEYS
        out.print(Text(f"candidate keys: {keys}" + (f" and {more:,} more" if more > 0 else "")))
    for dependency in prof.dependencies[:20]:
        out.print(
            Text(
                f"dependency {dependency.determinant} → {dependency.dependent}: holds on "
                f"{dependency.share:.1%} of {dependency.support:,} rows in "
                f"{dependency.groups:,} groups (mu {dependency.mu:.2f})"
            )
        )
    return 0


def columns_table(prof: TableProfile) -> Table:
    """One row per column; every cell a `Text`, so nothing in the data is read as markup."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title="columns", title_justify="left")
    for header in (
        "column",
        "type",
        "class",
        "nulls",
        "distinct",
        "top shapes",
        "top values",
        "range",
    ):
        table.add_column(header, overflow="fold")
    for column in prof.columns[:SHOWN_COLUMNS]:
        present = column.present or 1
        shapes = ", ".join(
            f"{shown(s.shape, 24)} {s.count / present:.1%}" for s in column.shapes[:3]
        )
        values = ", ".join(f"{shown(v)!r} {c}" for v, c in column.top(3))
        numeric = column.numeric
        span = "" if numeric is None else f"{numeric.min:g} .. {numeric.max:g}"
        nulls = f"{column.nulls:,}" + (
            f" (+{sum(column.null_like.values()):,} like "
            f"{', '.join(shown(t, 12) for t in column.null_like)})"
            if column.null_like
            else ""
        )
        kind = column.inferred_type + (f" {column.format}" if column.format else "")
        table.add_row(
            Text(shown(column.name, 60)),
            Text(f"{kind} {column.parse_share:.1%}"),
            Text(column.semantic),
            Text(nulls),
            Text(f"{column.distinct:,}"),
            Text(shapes),
            Text(values),
            Text(span),
        )
    return table
