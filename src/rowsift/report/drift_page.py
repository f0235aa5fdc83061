"""A drift comparison as plain data for its HTML report (`rowsift drift … --html`).

The two batches side by side: per column, the baseline's and the batch's counts, nulls and
centre, the test that compared them, and both distributions in one chart (same bins). It is
drawn from the metrics the store kept and the comparison computed; no table is read here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from rowsift.report.charts import number
from rowsift.report.run_page import drift_section
from rowsift.report.visible import visible

if TYPE_CHECKING:
    from rowsift.monitor.watch import Comparison


def _side(column: Mapping[str, Any] | None) -> dict[str, str]:
    if column is None:
        return {"rows": "absent", "nulls": "", "distinct": "", "centre": ""}
    rows = int(column["rows"])
    quantiles = column.get("quantiles") or []
    top = column.get("top") or []
    if len(quantiles) == 21:
        centre = f"median {number(quantiles[10])}"
    elif top:
        centre = f"most often {visible(top[0][0], limit=30)}"
    else:
        centre = ""
    return {
        "rows": f"{rows:,}",
        "nulls": f"{column['nulls'] / rows:.2%}" if rows else "",
        "distinct": _distinct(column),
        "centre": centre,
    }


def _distinct(column: Mapping[str, Any]) -> str:
    """The distinct count, "≈ 75,812,345" when it is an estimate (`distinct_estimated`)."""
    if column.get("distinct") is None:
        return ""
    return ("≈ " if column.get("distinct_estimated") else "") + f"{column['distinct']:,}"


def drift_page(comparison: Comparison) -> dict[str, Any]:
    """Everything the drift report shows, as plain data."""
    base = comparison.baseline
    baseline = base.metrics.to_dict() if base.metrics is not None else {"columns": {}}
    current = comparison.metrics.to_dict() if comparison.metrics is not None else {"columns": {}}
    section = drift_section(
        {
            "baseline": f"run {base.run_id} (batch {base.batch} of {base.dataset})",
            "run_id": None,
            "findings": [asdict(finding) for finding in comparison.report.findings],
            "baseline_profile": baseline,
        },
        current,
    )
    assert section is not None  # a comparison always has a baseline
    charts = {chart["column"]: chart for chart in section["charts"]}
    drifted = {f.column for f in comparison.report.findings if f.drifted}
    names = list(baseline["columns"]) + [
        name for name in current["columns"] if name not in baseline["columns"]
    ]
    columns = [
        {
            "name": visible(name, limit=80),
            "drifted": name in drifted,
            "baseline": _side(baseline["columns"].get(name)),
            "current": _side(current["columns"].get(name)),
            "chart": charts.get(visible(name, limit=80), {}).get("chart"),
        }
        for name in names
    ]
    columns.sort(key=lambda c: not c["drifted"])
    label = visible(comparison.current, limit=120)
    return {
        "title": f"rowsift drift: {label} against run {visible(base.run_id, limit=40)}",
        "baseline": section["baseline"],
        "current": label,
        "note": visible(note, limit=400) if (note := comparison.note()) else None,
        "status": {
            "key": "warn" if comparison.alerts else "pass",
            "icon": "!" if comparison.alerts else "✓",
            "word": "DRIFT" if comparison.alerts else "NO DRIFT",
            "sentence": f"{len(drifted)} column(s) drifted"
            if comparison.alerts
            else "no column drifted beyond its threshold",
        },
        "findings": section["findings"],
        "alerts": [
            {"kind": a.kind, "message": visible(a.message, limit=300)} for a in comparison.alerts
        ],
        "columns": columns,
        "data": {"drifted": bool(comparison.alerts), "columns": len(columns)},
        "footer": "Made by rowsift from the metrics the store kept; this file needs no network.",
    }
