"""`rowsift monitor model LOG`: a model's drift and quality per window of its prediction log."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rowsift._cli.guard import guarded
from rowsift._cli.options import EXIT_ALERT

if TYPE_CHECKING:
    from rowsift.monitor.model import ModelReport


monitor_app = typer.Typer(
    name="monitor",
    help="Watch a model in production: drift and quality over time.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def model_command(
    log: Annotated[
        Path, typer.Argument(help="The prediction log (CSV, TSV, Parquet, NDJSON, ...).")
    ],
    labels: Annotated[
        Path | None,
        typer.Option("--labels", help="A table of labels that arrived later, joined by --id."),
    ] = None,
    id: Annotated[str, typer.Option("--id", help="The id column.")] = "id",
    timestamp: Annotated[
        str, typer.Option("--timestamp", help="The column of prediction times.")
    ] = "timestamp",
    prediction: Annotated[
        str, typer.Option("--prediction", help="The column of predictions.")
    ] = "prediction",
    label: Annotated[str, typer.Option("--label", help="The column of true labels.")] = "label",
    score: Annotated[
        str | None,
        typer.Option("--score", help="A column of scores or probabilities of the positive class."),
    ] = None,
    features: Annotated[
        str | None,
        typer.Option(
            "--features", help="Comma-separated feature columns (default: every other column)."
        ),
    ] = None,
    window: Annotated[
        str, typer.Option("--window", help="A duration (1d, 6h, 1w) or a number of rows.")
    ] = "1d",
    baseline_windows: Annotated[
        int, typer.Option("--baseline-windows", help="How many first windows form the baseline.")
    ] = 1,
    max_drop: Annotated[
        float,
        typer.Option(
            "--max-drop", help="Alert when the metric falls by more than this from the baseline."
        ),
    ] = 0.05,
    metric: Annotated[
        str | None,
        typer.Option(
            "--metric",
            help="accuracy, precision, recall, f1, roc_auc, mae, rmse or r2 "
            "(default: roc_auc with --score, else f1; rmse for regression).",
        ),
    ] = None,
    task: Annotated[
        str, typer.Option("--task", help="auto, classification or regression.")
    ] = "auto",
    positive: Annotated[
        str | None,
        typer.Option("--positive", help="The positive class (default: the larger label)."),
    ] = None,
    min_labels: Annotated[
        int, typer.Option("--min-labels", help="Fewer labelled rows in a window: no metrics.")
    ] = 30,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print machine-readable JSON only.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
) -> int:
    """Compare each window of a prediction log with the first: drift, quality, alerts.

    Exit codes: 0 no alert, 2 bad usage (e.g. a missing column), 3 unreadable input,
    4 an alert was raised.
    """
    from rich.text import Text

    from rowsift._cli.console import err, print_json
    from rowsift.monitor.model import monitor_model
    from rowsift.monitor.settings import PerformanceSettings

    report = monitor_model(
        log,
        labels=labels,
        id=id,
        timestamp=timestamp,
        prediction=prediction,
        label=label,
        score=score,
        features=[name.strip() for name in features.split(",") if name.strip()]
        if features
        else None,
        window=window,
        baseline_windows=baseline_windows,
        task=task,  # type: ignore[arg-type]  # monitor_model checks it
        positive=positive,
        min_labels=min_labels,
        performance=PerformanceSettings(max_drop=max_drop, metric=metric),
    )
    for name, count in report.broken_records.items():
        path = log if name == "log" else labels
        err.print(Text(f"warning: {path}: {count:,} record(s) could not be split and are left out"))
    if json_output:
        print_json({"log": str(log), **report.to_dict()})
    else:
        _render(log, report)
    return EXIT_ALERT if report.alerts else 0


def _render(log: Path, report: ModelReport) -> None:
    from rich.table import Table
    from rich.text import Text

    from rowsift._cli.console import out
    from rowsift.monitor.model import DISPLAY_NAMES, LOWER_IS_BETTER

    base = [w for w in report.windows if w.baseline]
    first = "the first is" if len(base) == 1 else f"the first {len(base)} are"
    positive = "" if report.positive is None else f", positive class {report.positive!r}"
    limit = (
        f"max rise {report.max_drop:.1%}"
        if report.metric in LOWER_IS_BETTER
        else f"max drop {report.max_drop:g}"
    )
    out.print(
        Text(
            f"{log}: {sum(w.rows for w in report.windows):,} predictions in "
            f"{len(report.windows)} windows of {report.window} ({first} the baseline); "
            f"{report.task}{positive}; watching {DISPLAY_NAMES[report.metric]} ({limit})"
        )
    )
    if report.skipped_rows:
        out.print(f"{report.skipped_rows:,} row(s) without a readable timestamp were left out")
    shown = [
        name
        for name in report.baseline_metrics
        if any(w.metrics.get(name) is not None for w in report.windows)
    ]
    # each line: its cells before the drifted columns, the drifted columns, its alerts, and
    # whether a section ends below it
    lines: list[tuple[list[str], list[str], str, bool]] = []
    if len(base) > 1:
        lines.append(
            (
                [
                    "baseline",
                    f"{report.baseline_rows:,}",
                    f"{report.baseline_labelled:,}",
                    *(_number(report.baseline_metrics.get(name)) for name in shown),
                ],
                [],
                "",
                True,
            )
        )
    for window in report.windows:
        cells = [
            window.label,
            f"{window.rows:,}",
            f"{window.labelled:,}",
            *(_number(window.metrics.get(name)) for name in shown),
        ]
        drifted = [*window.drifted_features, *window.drifted_predictions]
        alerts = str(len(window.alerts)) if window.alerts else ""
        lines.append((cells, drifted, alerts, window.baseline and window is base[-1]))
    headers = [
        "window",
        "rows",
        "labelled",
        *(DISPLAY_NAMES[n] for n in shown),
        "drifted",
        "alerts",
    ]

    def table_rows(counted: bool) -> list[list[str]]:
        """Every line's cells, its drifted columns named, or `counted`."""
        return [
            [
                *cells,
                (str(len(drifted)) if counted else ", ".join(drifted)) if drifted else "",
                alerts,
            ]
            for cells, drifted, alerts, _ in lines
        ]

    def too_wide(rows: list[list[str]]) -> bool:
        widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(headers)]
        return sum(widths) + 3 * (len(headers) - 1) > out.width

    # every cell is shown whole, one line per window (a window is named by when it starts):
    # where the terminal is too narrow, the drifted columns are counted (the alerts below
    # name them), then each column is as wide as its widest cell and its header is shortened
    rows = table_rows(counted=False)
    if too_wide(rows):
        rows = table_rows(counted=True)
    narrow = too_wide(rows)
    widest = [max((len(row[i]) for row in rows), default=1) for i in range(len(headers))]
    table = Table(show_edge=False, pad_edge=False)
    for index, header in enumerate(headers):
        table.add_column(
            header,
            justify="left" if header in ("window", "drifted") else "right",
            no_wrap=True,
            width=max(widest[index], min(len(header), 4)) if narrow else None,
        )
    for number, (row, (_, _, _, section_ends)) in enumerate(zip(rows, lines, strict=True)):
        styled: list[str | Text] = list(row)
        if number == 0 and len(base) > 1:  # the merged baseline
            styled[0] = Text(row[0], style="bold")
        if row[-1]:
            styled[-1] = Text(row[-1], style="bold yellow")
        table.add_row(*styled, end_section=section_ends)
    out.print(table)
    for alert in report.alerts:
        out.print(Text.assemble((f"{alert.kind}: ", "bold yellow"), alert.message))
    count = len(report.alerts)
    out.print(f"{count} alert(s)" if count else "no alerts")


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if abs(value) < 10 else f"{value:,.4g}"


monitor_app.command("model")(guarded(model_command))
