"""`rowsift report`: a run's report, or a dataset's history from the metric store, as HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def report_command(
    run_dir: Annotated[
        Path | None,
        typer.Argument(help="The folder a run wrote (rowsift run … --out FOLDER)."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="The HTML file to write (default: RUN_DIR/report.html).",
            dir_okay=False,
        ),
    ] = None,
    store: Annotated[
        str | None,
        typer.Option(
            "--store",
            help="Write a dataset's history from this metric store instead of a run's report.",
        ),
    ] = None,
    dataset: Annotated[
        str | None, typer.Option("--dataset", help="The dataset whose history to write (--store).")
    ] = None,
    days: Annotated[
        int, typer.Option("--days", help="History of the last DAYS days (--store).", min=1)
    ] = 90,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print machine-readable JSON only.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
) -> int:
    """Write a self-contained HTML report of a run, or of a dataset's history (--store)."""
    from rich.text import Text

    from rowsift._cli.console import out, print_json
    from rowsift.exceptions import UsageError

    if store is not None or dataset is not None:
        if run_dir is not None:
            raise UsageError(
                "give either RUN_DIR or --store with --dataset, not both",
                hint="rowsift report out/  or  rowsift report --store m.duckdb --dataset orders",
            )
        from rowsift.report.history import write_history_report

        target = write_history_report(store, dataset, output, days=days)
    elif run_dir is None:
        raise UsageError(
            "nothing to report on",
            hint="rowsift report RUN_DIR, or rowsift report --store URL --dataset NAME",
        )
    else:
        from rowsift.report import write_run_report

        target = write_run_report(run_dir, output)
    if json_output:
        print_json({"report": str(target), "bytes": target.stat().st_size})
    else:
        out.print(Text(f"report: {target} ({target.stat().st_size / 1024:,.0f} KiB)"))
    return 0


HtmlOption = Annotated[
    Path | None,
    typer.Option(
        "--html",
        help="Also write a self-contained HTML report to this file (works offline).",
        dir_okay=False,
    ),
]


def write_html_report(page: str, target: Path, *, inputs: list[str], quiet: bool = False) -> None:
    """Write a rendered report to `target` (never over an input) and say where it went."""
    from rich.text import Text

    from rowsift._cli.console import err
    from rowsift.io.output_folder import refuse_overwrite
    from rowsift.report import write_html

    refuse_overwrite(inputs, [target])
    written = write_html(page, target)
    if not quiet:
        err.print(Text(f"report: {written} ({written.stat().st_size / 1024:,.0f} KiB)"))
