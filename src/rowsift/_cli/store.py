"""`rowsift history`, `rowsift drift` and `rowsift alerts` (incidents): read the metric store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rowsift._cli.options import EXIT_ALERT, MAX_LIMIT
from rowsift._cli.report import HtmlOption

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="The metric store (DuckDB file, duckdb:///path or postgresql://…); "
        "default: [store] url in rowsift.toml.",
    ),
]
DatasetOption = Annotated[str | None, typer.Option("--dataset", help="Only runs of this dataset.")]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON only.")]
DebugFlag = Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")]


def history_command(
    store: StoreOption = None,
    dataset: DatasetOption = None,
    limit: Annotated[
        int,
        typer.Option("--limit", "-n", help="How many runs, newest first.", min=1, max=MAX_LIMIT),
    ] = 20,
    json_output: JsonFlag = False,
    debug: DebugFlag = False,
) -> int:
    """List the runs recorded in the metric store, newest first.

    The `run` column is the part of each run id that other commands take (`rowsift drift
    --baseline 3fa2c1`, `rowsift baseline accept 3fa2c1`); --json gives the whole ids.
    """
    from rich.table import Table
    from rich.text import Text

    from rowsift._cli.console import out, print_json
    from rowsift.monitor.config import project_store

    opened = project_store(store, existing=True)
    runs = opened.runs(dataset=dataset, limit=limit)
    if json_output:
        print_json({"store": opened.url, "runs": [run.to_dict() for run in runs]})
        return 0
    out.print(Text(f"Runs in {opened.url}"))  # above the table: a long path stays whole
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("run", no_wrap=True)
    for name in ("dataset", "batch"):
        table.add_column(name, overflow="fold", ratio=1)
    table.add_column("finished", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("rows", justify="right", no_wrap=True)
    table.add_column("quar.", justify="right", no_wrap=True)
    table.add_column("alerts", justify="right", no_wrap=True)
    for run in runs:
        table.add_row(
            Text(short_id(run.run_id)),
            Text(run.dataset),
            Text(run.batch),
            # month, day and time (UTC) of the end of the run; --json gives the whole time
            run.finished_at[5:16].replace("T", " "),
            run.status,
            f"{run.rows_in:,}",
            f"{run.quarantine_rate:.1%}",
            Text(str(len(run.alerts)), style="bold yellow" if run.alerts else ""),
        )
    if not runs:
        table.add_row("(no runs yet)", "", "", "", "", "", "", "")
    out.print(table)
    return 0


def short_id(run_id: str) -> str:
    """The part of a run id people type: the six letters after its dash.

    >>> short_id("20261126T171200Z-3fa2c1")
    '3fa2c1'
    """
    head, dash, tail = run_id.rpartition("-")
    return tail if dash and head else run_id


def alerts_command(
    store: StoreOption = None,
    dataset: DatasetOption = None,
    open_only: Annotated[bool, typer.Option("--open", help="Only incidents still open.")] = False,
    limit: Annotated[
        int,
        typer.Option(
            "--limit", "-n", help="How many incidents, last seen first.", min=1, max=MAX_LIMIT
        ),
    ] = 50,
    json_output: JsonFlag = False,
    debug: DebugFlag = False,
) -> int:
    """List incidents: alerts of one kind about one subject in consecutive batches, grouped.

    Each shows when it was first and last seen (batch), in how many batches, and whether it is
    open or resolved (after quiet batches, or accepted as the new normal).
    """
    from rich.table import Table
    from rich.text import Text

    from rowsift._cli.console import out, print_json
    from rowsift.monitor.config import project_store

    opened = project_store(store, existing=True)
    found = opened.incidents(dataset=dataset, status="open" if open_only else None, limit=limit)
    if json_output:
        print_json({"store": opened.url, "incidents": [i.to_dict() for i in found]})
        return 0
    if not found:
        out.print("no open incidents" if open_only else "no incidents")
        return 0
    out.print(Text(f"Incidents in {opened.url}"))
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("incident", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("batches", overflow="fold")
    table.add_column("n", justify="right", no_wrap=True)
    table.add_column("alert", overflow="fold", ratio=1)
    for incident in found:
        span = incident.first_batch
        if incident.last_batch != incident.first_batch:
            span += f" … {incident.last_batch}"
        status = "accepted" if incident.resolution == "accepted" else str(incident.status)
        # names and values come from the data: plain text, never markup
        table.add_row(
            incident.incident_id,
            Text(status, style="bold yellow" if status == "open" else ""),
            Text(span),
            str(incident.count),
            Text(f"{incident.dataset}: {incident.kind} {incident.message}"),
        )
    out.print(table)
    return 0


def drift_command(
    baseline: Annotated[
        str | None,
        typer.Option(
            "--baseline",
            help="The baseline run: an id or a unique part of one, a batch, latest or previous "
            "(default: the run recorded before --current; for a file, the latest run).",
        ),
    ] = None,
    current: Annotated[
        str | None,
        typer.Option(
            "--current",
            help="The run (named as --baseline), or a file or database URL to compare "
            "(default: latest).",
        ),
    ] = None,
    dataset: Annotated[
        str | None,
        typer.Option("--dataset", help="The dataset whose runs are named (if several)."),
    ] = None,
    recipe: Annotated[
        Path | None,
        typer.Option("--recipe", help="Clean a --current FILE with this recipe before measuring."),
    ] = None,
    store: StoreOption = None,
    alpha: Annotated[
        float, typer.Option("--alpha", help="False discovery rate over all tests.")
    ] = 0.01,
    html: HtmlOption = None,
    json_output: JsonFlag = False,
    debug: DebugFlag = False,
) -> int:
    """Compare a batch (a recorded run or a file) with a baseline run; exit 4 when it drifted."""
    from rich.table import Table
    from rich.text import Text

    from rowsift._cli.console import out, print_json
    from rowsift.monitor.config import project_store
    from rowsift.monitor.settings import DriftSettings
    from rowsift.monitor.watch import compare_with_run
    from rowsift.recipe import load_recipe

    comparison = compare_with_run(
        project_store(store, existing=True),
        baseline=baseline,
        current=current,
        settings=DriftSettings(alpha=alpha),
        recipe=load_recipe(recipe) if recipe is not None else None,
        dataset=dataset,
    )
    if html is not None:
        from rowsift._cli.report import write_html_report
        from rowsift.report import render_drift_report

        inputs = [current] if current is not None else []
        write_html_report(render_drift_report(comparison), html, inputs=inputs, quiet=json_output)
    if json_output:
        print_json(comparison.to_dict())
    else:
        table = Table(
            title=Text(f"{comparison.current} vs run {comparison.baseline.run_id}"),
            title_justify="left",
            show_edge=False,
        )
        for name, justify in (
            ("column", "left"),
            ("test", "left"),
            ("statistic", "right"),
            ("p-value", "right"),
            ("q-value", "right"),
            ("effect", "right"),
            ("threshold", "right"),
            ("drifted", "left"),
        ):
            table.add_column(name, justify=justify)  # type: ignore[arg-type]
        for finding in comparison.report.findings:
            table.add_row(
                Text(finding.column + (f" = {finding.category}" if finding.category else "")),
                finding.check,
                _number(finding.statistic),
                _number(finding.p_value, "3g"),
                _number(finding.q_value, "3g"),
                _number(finding.effect),
                _number(finding.threshold),
                Text("DRIFT", style="bold yellow") if finding.drifted else Text("no"),
            )
        out.print(table)
        for alert in comparison.alerts:
            out.print(Text(f"ALERT {alert.kind}  {alert.message}", style="bold yellow"))
        if not comparison.alerts:
            out.print(Text("no drift", style="green"))
        if (note := comparison.note()) is not None:
            out.print(Text(f"note: {note}"))
    return EXIT_ALERT if comparison.alerts else 0


def _number(value: float | None, spec: str = "4g") -> str:
    return "" if value is None else format(value, spec)
