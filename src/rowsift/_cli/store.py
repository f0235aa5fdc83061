"""`rowsift history`, `rowsift drift` and `rowsift alerts`: read the metric store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rowsift._cli.options import EXIT_ALERT

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
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many runs, newest first.")] = 20,
    json_output: JsonFlag = False,
    debug: DebugFlag = False,
) -> int:
    """List the runs recorded in the metric store, newest first."""
    from rich.table import Table
    from rich.text import Text

    from rowsift._cli.console import out, print_json
    from rowsift.monitor.config import project_store

    opened = project_store(store)
    runs = opened.runs(dataset=dataset, limit=limit)
    if json_output:
        print_json({"store": opened.url, "runs": [run.to_dict() for run in runs]})
        return 0
    table = Table(title=Text(f"Runs in {opened.url}"), title_justify="left", show_edge=False)
    for name, justify in (
        ("run", "left"),
        ("dataset", "left"),
        ("batch", "left"),
        ("finished", "left"),
        ("status", "left"),
        ("rows in", "right"),
        ("quarantined", "right"),
        ("alerts", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for run in runs:
        table.add_row(
            Text(run.run_id),
            Text(run.dataset),
            Text(run.batch),
            run.finished_at,
            run.status,
            f"{run.rows_in:,}",
            f"{run.rows_quarantined:,} ({run.quarantine_rate:.1%})",
            Text(str(len(run.alerts)), style="bold yellow" if run.alerts else ""),
        )
    if not runs:
        table.add_row("(no runs yet)", "", "", "", "", "", "", "")
    out.print(table)
    return 0


def alerts_command(
    store: StoreOption = None,
    dataset: DatasetOption = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", help="Look at this many runs, newest first.")
    ] = 50,
    json_output: JsonFlag = False,
    debug: DebugFlag = False,
) -> int:
    """List the alerts of recent runs, newest first."""
    from rich.table import Table
    from rich.text import Text

    from rowsift._cli.console import out, print_json
    from rowsift.monitor.config import project_store
    from rowsift.monitor.watch import recent_alerts

    opened = project_store(store)
    found = recent_alerts(opened, dataset=dataset, limit=limit)
    if json_output:
        print_json({"store": opened.url, "alerts": found})
        return 0
    if not found:
        out.print("no alerts")
        return 0
    table = Table(title=Text(f"Alerts in {opened.url}"), title_justify="left", show_edge=False)
    for name in ("run", "dataset", "batch", "kind", "alert"):
        table.add_column(name)
    for alert in found:
        # names and values come from the data: plain text, never markup
        table.add_row(
            *(Text(str(alert[key])) for key in ("run_id", "dataset", "batch", "kind", "message"))
        )
    out.print(table)
    return 0


def drift_command(
    baseline: Annotated[str, typer.Option("--baseline", help="The baseline run id.")],
    current: Annotated[
        str | None,
        typer.Option("--current", help="A run id or a file to compare (default: the newest run)."),
    ] = None,
    recipe: Annotated[
        Path | None,
        typer.Option("--recipe", help="Clean a --current FILE with this recipe before measuring."),
    ] = None,
    store: StoreOption = None,
    alpha: Annotated[
        float, typer.Option("--alpha", help="False discovery rate over all tests.")
    ] = 0.01,
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
        project_store(store),
        baseline=baseline,
        current=current,
        settings=DriftSettings(alpha=alpha),
        recipe=load_recipe(recipe) if recipe is not None else None,
    )
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
    return EXIT_ALERT if comparison.alerts else 0


def _number(value: float | None, spec: str = "4g") -> str:
    return "" if value is None else format(value, spec)
