"""Turn run summaries and plans into Rich renderables for the terminal.

Names and values in them come from tables and recipes: they are given as `Text` (or plain
strings, which `rowsift._cli.console.SafeConsole` never reads as markup).
"""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text

from rowsift._cli.console import safe_text, visible
from rowsift.engine import Plan
from rowsift.engine.execute import describe_column
from rowsift.summary import RunSummary

_STATUS_STYLE = {"pass": "bold green", "warn": "bold yellow", "fail": "bold red"}


def status_line(summary: RunSummary) -> Text:
    """One line: status and the three row counts."""
    share = summary.rows_quarantined / summary.rows_in if summary.rows_in else 0.0
    text = Text()
    text.append(summary.status.upper(), style=_STATUS_STYLE[summary.status])
    text.append(
        f"  {summary.rows_in:,} rows in → {summary.rows_clean:,} clean, "
        f"{summary.rows_quarantined:,} quarantined ({share:.1%})"
    )
    return text


def loading_line(summary: RunSummary) -> Text | None:
    """What loading did with a text file's lines besides a one-row header (`input.loading`),
    or None when it did nothing else."""
    loading = summary.input.get("loading") or {}
    parts = [
        (loading.get("preamble", 0), "before the header"),
        (loading.get("header", 0) - 1 if loading.get("header", 0) > 1 else 0, "more of the header"),
        (loading.get("blank", 0), "blank"),
        (loading.get("comment", 0), "comments"),
        (loading.get("footer", 0), "of the footer"),
    ]
    skipped = [f"{count:,} {what}" for count, what in parts if count]
    merged = loading.get("merged", 0)
    rejoined = loading.get("joined", 0)
    if not skipped and not merged and not rejoined:
        return None
    said = []
    if skipped:
        said.append("lines skipped: " + ", ".join(skipped))
    if merged:
        said.append(f"{merged:,} lines joined to records over several lines")
    if rejoined:
        said.append(f"{rejoined:,} records read back to the header's width (row.joined)")
    return Text("loading: " + "; ".join(said) + " (summary.json: input.loading)")


def alerts_lines(summary: RunSummary) -> list[Text]:
    """The monitoring verdict: where the run was recorded, then one line per alert."""
    monitor = summary.monitor
    if monitor is None or not monitor.recorded:
        return []
    lines = [
        Text(
            visible(
                f"recorded as run {monitor.run_id} of {monitor.dataset} "
                f"(batch {monitor.batch}); baseline: {monitor.baseline}"
            )
        )
    ]
    if not summary.alerts:
        lines.append(Text("no drift or anomaly", style="green"))
    for alert in summary.alerts:
        line = Text()
        line.append(f"ALERT {alert['kind']}", style="bold yellow")
        line.append("  ")
        line.append(safe_text(alert["message"], limit=None))
        lines.append(line)
    return lines


def rules_table(summary: RunSummary) -> Table:
    """The rules that failed at least once, with counts, in recipe order."""
    table = Table(title="Rule failures", title_justify="left", show_edge=False)
    table.add_column("rule")
    table.add_column("severity")
    table.add_column("rows", justify="right")
    table.add_column("share", justify="right")
    for rule in summary.rules:
        if rule.failed:
            share = rule.failed / summary.rows_in if summary.rows_in else 0.0
            table.add_row(rule.id, rule.severity, f"{rule.failed:,}", f"{share:.2%}")
    if not table.rows:
        table.add_row("(none)", "", "0", "")
    return table


def dataset_table(summary: RunSummary) -> Table:
    """Dataset rules with what was observed and whether it passed."""
    table = Table(title="Dataset rules", title_justify="left", show_edge=False)
    table.add_column("rule")
    table.add_column("severity")
    table.add_column("observed", justify="right")
    table.add_column("bounds")
    table.add_column("verdict")
    for outcome in summary.dataset:
        observed = (
            f"{outcome.observed:,.0f}"
            if outcome.id == "dataset.row_count"
            else f"{outcome.observed:.2%}"
        )
        bounds = ", ".join(
            f"{k}={v}"
            for k, v in vars(outcome.rule).items()
            if k in ("min", "max") and v is not None
        )
        verdict = (
            Text("pass", style="green")
            if outcome.passed
            else Text("FAIL", style="bold red" if outcome.severity == "error" else "bold yellow")
        )
        table.add_row(outcome.id, outcome.severity, observed, bounds, verdict)
    return table


def plan_tables(plan: Plan) -> list[Any]:
    """The compiled plan, column by column and rule by rule."""
    columns = Table(title="Columns (in order of work)", title_justify="left", show_edge=False)
    columns.add_column("column")
    columns.add_column("steps")
    columns.add_column("rules (id · severity)")
    for column in plan.columns:
        rules = [f"{column.type_rule_id} · error"] if column.cast.type != "string" else []
        rules += [f"{step.id} · {step.rule.severity}" for step in column.rules]
        required = "" if column.required else " (optional)"
        columns.add_row(column.name + required, describe_column(column), "\n".join(rules))
    rowset = Table(title="Row-set rules", title_justify="left", show_edge=False)
    rowset.add_column("rule")
    rowset.add_column("columns")
    rowset.add_column("policy")
    rowset.add_column("severity")
    for step in plan.rowset:
        policy = ", ".join(
            f"{k}={v}"
            for k, v in vars(step.rule).items()
            if k in ("blame", "keep", "min_support") or (k == "ignore_if_null" and v != "any")
        )
        rowset.add_row(step.id, ", ".join(step.columns), policy, step.rule.severity)
    dataset = Table(title="Dataset rules", title_justify="left", show_edge=False)
    dataset.add_column("rule")
    dataset.add_column("bounds")
    dataset.add_column("severity")
    for dstep in plan.dataset:
        bounds = ", ".join(
            f"{k}={v}"
            for k, v in vars(dstep.rule).items()
            if k not in ("severity",) and v is not None
        )
        dataset.add_row(dstep.id, bounds, dstep.rule.severity)
    return [columns, rowset, dataset]
