"""The dataset rules as a DuckDB view: one row per rule with what it observed and whether it
passed, from the counts of the judged rows (a run's status: `error` rules that did not pass)."""

from __future__ import annotations

from rowsift.exceptions import ExportError
from rowsift.export.code.duckdb_sql import JUDGED_VIEW
from rowsift.export.code.duckdb_text import name, text
from rowsift.export.code.outline import Outline
from rowsift.rules import DatasetRule, NullRate, QuarantineRate, RowCount

DATASET_VIEW = "rowsift_dataset"
QUARANTINED = "_rowsift_quarantined"


def _observed_and_passed(rule: DatasetRule) -> tuple[str, str]:
    if isinstance(rule, RowCount):
        observed = "rows_in" if rule.of == "input" else "rows_in - rows_quarantined"
        checks = [f"observed >= {rule.min}"] if rule.min is not None else []
        checks += [f"observed <= {rule.max}"] if rule.max is not None else []
        return f"CAST({observed} AS DOUBLE)", " AND ".join(checks) or "true"
    if isinstance(rule, QuarantineRate):
        rate = "CASE WHEN rows_in = 0 THEN 0.0 ELSE rows_quarantined / rows_in END"
        return rate, f"observed <= {rule.max!r}"
    if isinstance(rule, NullRate):
        nulls = name(f"nulls:{rule.column}")
        rate = f"CASE WHEN rows_in = 0 THEN 0.0 ELSE {nulls} / rows_in END"
        return rate, f"observed <= {rule.max!r}"
    raise ExportError(
        f"the dataset rule {rule.name!r} cannot be exported to duckdb-sql",
        hint="see docs/export.md for what each target can export",
    )


def dataset_view(plan_outline: Outline) -> str | None:
    """The view, or None when the recipe has no dataset rules."""
    steps = plan_outline.plan.dataset
    if not steps:
        return None
    columns = sorted({step.rule.column for step in steps if isinstance(step.rule, NullRate)})
    counts = [
        "CAST(count(*) AS DOUBLE) AS rows_in",
        # count_if of no rows is null, not 0
        f"CAST(coalesce(count_if({name(QUARANTINED)}), 0) AS DOUBLE) AS rows_quarantined",
        *[
            f"CAST(coalesce(count_if({name('_rowsift_text:' + column)} IS NULL), 0) AS DOUBLE) "
            f"AS {name('nulls:' + column)}"
            for column in columns
        ],
    ]
    rows = []
    for step in steps:
        observed, passed = _observed_and_passed(step.rule)
        rows.append(
            f"SELECT {text(step.id)} AS rule_id, {text(step.rule.severity)} AS severity, "
            f"observed, {passed} AS passed\n"
            f"FROM (SELECT {observed} AS observed FROM counts)"
        )
    return "\n".join(
        [
            "-- The dataset rules, judged on the counts: the run fails when a rule of severity",
            "-- error did not pass.",
            f"CREATE OR REPLACE VIEW {DATASET_VIEW} AS",
            "WITH counts AS (",
            "    SELECT " + ", ".join(counts),
            f"    FROM {JUDGED_VIEW}",
            ")",
            "\nUNION ALL\n".join(rows) + ";",
        ]
    )
