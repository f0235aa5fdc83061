"""A run's report as plain data: what ``summary.json`` and ``details.json`` say, ready to draw.

Nothing here reads the run's input: the counts come from the summary, the examples and drift
from the details the run recorded, and the profile from the details too, measured on the
written clean output by the first report that needed it (`rowsift.report.details`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from rowsift.exceptions import InputError
from rowsift.report.charts import Chart, failure_bars, histogram, number, top_values
from rowsift.report.details import completed_details
from rowsift.report.visible import visible

STATUS = {
    "pass": ("✓", "PASS", "every dataset rule passed"),
    "warn": ("!", "WARN", "a warn-severity rule failed; the run passed"),
    "fail": ("✗", "FAIL", "a dataset rule of error severity failed"),
}
#: the rule failure chart shows this many rules, the most failed first
CHART_RULES = 40
#: profile charts show this many top values
TOP_SHOWN = 8
#: the quarantine explorer shows about this many example rows in all (details.json keeps 20 per
#: reason): each reason shows its share of them, at least EXAMPLES_MIN, so that the page stays
#: within its size budget however many rules fail
EXAMPLES_SHOWN = 2000
EXAMPLES_MIN = 5


def read_summary(run_dir: Path) -> dict[str, Any]:
    """``summary.json`` of a run folder; a clear error when it is not a run folder."""
    path = run_dir / "summary.json"
    if not run_dir.is_dir():
        raise InputError(
            f"{run_dir} is not a folder",
            hint="pass the folder a run wrote (rowsift run … --out FOLDER)",
        )
    if not path.is_file():
        raise InputError(
            f"{run_dir} holds no summary.json: it is not the output folder of a finished run",
            hint="pass the folder given to `rowsift run --out`",
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}", hint="run the recipe again") from None
    if not isinstance(data, dict) or "rows_in" not in data:
        raise InputError(f"{path} is not a rowsift run summary", hint="run the recipe again")
    return data


def status_of(status: str) -> dict[str, str]:
    """A status as icon, word and sentence, so that it never depends on colour alone."""
    icon, word, sentence = STATUS.get(status, ("?", status.upper(), ""))
    return {
        "key": status if status in STATUS else "unknown",
        "icon": icon,
        "word": word,
        "sentence": sentence,
    }


def run_page(run_dir: Path) -> dict[str, Any]:
    """Everything the run report shows, as plain data."""
    summary = read_summary(run_dir)
    details = completed_details(run_dir)
    return page_from(summary, details, source=str(run_dir))


def page_from(
    summary: Mapping[str, Any], details: Mapping[str, Any] | None, *, source: str
) -> dict[str, Any]:
    """The run report's data from a summary and (when the run recorded them) its details."""
    rows_in = int(summary["rows_in"])
    notes: list[str] = []
    if details is None:
        notes.append(
            "This run recorded no details.json (an older rowsift, or a run stopped while "
            "recording): the profile, examples and drift are not shown."
        )
        details = {}
    elif "error" in details:
        notes.append(f"The run could not measure its outputs for this report: {details['error']}")
        details = {}
    elif "profile_error" in details:
        notes.append(
            "The clean output's profile could not be measured for this report: "
            f"{details['profile_error']}."
        )
    rules = [
        {
            "id": rule["id"],
            "severity": rule["severity"],
            "failed": int(rule["failed"]),
            "share": rule["failed"] / rows_in if rows_in else 0.0,
        }
        for rule in summary.get("rules", [])
    ]
    failing = sorted((r for r in rules if r["failed"]), key=lambda r: -r["failed"])
    recipe = summary.get("recipe", {})
    name = recipe.get("name") or details.get("recipe", {}).get("name") or "unnamed recipe"
    return {
        "title": f"rowsift run report: {visible(name, limit=80)}",
        "source": source,
        "status": status_of(str(summary.get("status"))),
        "counts": _counts(summary),
        "rules": rules,
        "failing": len(failing),
        "failure_chart": failure_bars(
            f"Rows failed per rule ({min(len(failing), CHART_RULES)} of {len(failing)} failing "
            "rules, most failed first)",
            failing[:CHART_RULES],
            rows_in,
        )
        if failing
        else None,
        "reasons": _reasons(details.get("examples", {}), rows_in),
        "data_columns": details.get("examples", {}).get("data_columns"),
        "repairs": _repairs(summary.get("repairs")),
        "profile": profile_rows(details.get("profile")),
        "dataset": _dataset(summary.get("dataset", [])),
        "drift": drift_section(details.get("drift"), details.get("profile")),
        "alerts": [
            {
                "kind": a.get("kind", ""),
                "subject": a.get("subject", ""),
                "message": a.get("message", ""),
            }
            for a in summary.get("alerts", [])
        ],
        "provenance": _provenance(summary, details),
        "notes": notes,
        "data": {
            "status": summary.get("status"),
            "rows_in": rows_in,
            "rows_clean": summary.get("rows_clean"),
            "rows_quarantined": summary.get("rows_quarantined"),
            "recipe": name,
        },
    }


def _repairs(repairs: Any) -> list[dict[str, Any]]:
    """summary.json's ``repairs`` as one row per column and transform (none when not counted)."""
    columns = repairs.get("columns", {}) if isinstance(repairs, Mapping) else {}
    return [
        {"column": column, "transforms": key, "changed": int(changed)}
        for column, counts in columns.items()
        for key, changed in counts.items()
    ]


def _counts(summary: Mapping[str, Any]) -> dict[str, str]:
    rows_in = int(summary["rows_in"])
    quarantined = int(summary["rows_quarantined"])
    share = quarantined / rows_in if rows_in else 0.0
    return {
        "rows_in": f"{rows_in:,}",
        "rows_clean": f"{int(summary['rows_clean']):,}",
        "rows_quarantined": f"{quarantined:,}",
        "share": f"{share:.2%}",
    }


def _reasons(examples: Mapping[str, Any], rows_in: int) -> list[dict[str, Any]]:
    found = []
    reasons = examples.get("reasons", {})
    each = max(EXAMPLES_MIN, EXAMPLES_SHOWN // max(len(reasons), 1))
    for reason, entry in reasons.items():
        columns = list(entry.get("columns", []))
        blamed = set(entry.get("blamed", []))
        found.append(
            {
                "id": reason,
                "rows": int(entry["rows"]),
                "share": f"{entry['rows'] / rows_in:.2%}" if rows_in else "",
                "columns": [{"name": visible(c, limit=60), "blamed": c in blamed} for c in columns],
                "examples": [
                    {
                        "line": example.get("line"),
                        "row": example.get("row"),
                        "reasons": ", ".join(visible(r, limit=80) for r in example["reasons"]),
                        "cells": [
                            {
                                "text": visible(value) if value is not None else "null",
                                "null": value is None,
                                "blamed": column in blamed,
                            }
                            for column, value in zip(columns, example["values"], strict=True)
                        ],
                    }
                    for example in entry.get("examples", [])[:each]
                ],
            }
        )
    found.sort(key=lambda r: -r["rows"])
    return found


def profile_rows(profile: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """One row per measured column: type, nulls, distinct, quantiles, and a small chart."""
    if not profile:
        return []
    rows = []
    for name, column in profile.get("columns", {}).items():
        non_null = column["rows"] - column["nulls"]
        quantiles = column.get("quantiles") or []
        chart: Chart | None = None
        if column.get("histogram"):
            chart = histogram(
                f"Distribution of {visible(name, limit=60)} (share of non-null values per bin)",
                column["histogram"]["edges"],
                [column["histogram"]["counts"]],
            )
        elif column.get("top"):
            chart = top_values(
                f"Most frequent values of {visible(name, limit=60)} (share of non-null values)",
                [dict(column["top"][:TOP_SHOWN])],
                [non_null],
                limit=TOP_SHOWN,
            )
        rows.append(
            {
                "name": visible(name, limit=80),
                "dtype": column["dtype"],
                "kind": column["kind"],
                "nulls": column["nulls"],
                "null_rate": column["nulls"] / column["rows"] if column["rows"] else 0.0,
                "distinct": column.get("distinct"),
                # an estimate (HyperLogLog) is shown as one: "≈ 75,812,345"
                "distinct_estimated": bool(column.get("distinct_estimated")),
                "min": number(column.get("min")),
                "max": number(column.get("max")),
                "median": number(quantiles[10]) if len(quantiles) == 21 else "",
                "p05": number(quantiles[1]) if len(quantiles) == 21 else "",
                "p95": number(quantiles[19]) if len(quantiles) == 21 else "",
                "mean": number(column.get("mean")),
                "other": column.get("other", 0),
                "chart": chart,
            }
        )
    return rows


def _dataset(outcomes: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for outcome in outcomes:
        observed = outcome["observed"]
        shown = (
            f"{observed:,.0f}"
            if str(outcome["id"]).startswith("dataset.row_count")
            else f"{observed:.2%}"
        )
        bounds = ", ".join(f"{k} {v}" for k, v in outcome.get("bounds", {}).items())
        rows.append(
            {
                "id": outcome["id"],
                "severity": outcome["severity"],
                "observed": shown,
                "bounds": bounds,
                "passed": bool(outcome["passed"]),
            }
        )
    return rows


def drift_section(
    drift: Mapping[str, Any] | None, profile: Mapping[str, Any] | None
) -> dict[str, Any] | None:
    if not drift:
        return None
    baseline = (drift.get("baseline_profile") or {}).get("columns", {})
    current = (profile or {}).get("columns", {})
    findings = []
    for finding in drift.get("findings", []):
        findings.append(
            {
                "column": visible(finding["column"], limit=80),
                "category": visible(finding["category"], limit=60)
                if finding.get("category")
                else "",
                "check": finding["check"],
                "statistic": number(finding.get("statistic")),
                "p_value": _p(finding.get("p_value")),
                "q_value": _p(finding.get("q_value")),
                "effect": number(finding.get("effect")),
                "threshold": number(finding.get("threshold")),
                "drifted": bool(finding["drifted"]),
                "message": visible(finding.get("message", ""), limit=300),
            }
        )
    drifted = {f["column"] for f in drift.get("findings", []) if f["drifted"]}
    charts = []
    for name, base in baseline.items():
        cur = current.get(name)
        if cur is None:
            continue
        chart = _overlay(name, base, cur)
        if chart is not None:
            charts.append(
                {"column": visible(name, limit=80), "drifted": name in drifted, "chart": chart}
            )
    charts.sort(key=lambda c: not c["drifted"])
    return {
        "baseline": visible(drift.get("baseline", ""), limit=200),
        "run_id": drift.get("run_id"),
        "findings": findings,
        "drifted": len(drifted),
        "charts": charts,
    }


def _overlay(name: str, base: Mapping[str, Any], cur: Mapping[str, Any]) -> Chart | None:
    """The baseline's and the batch's distributions in one chart (same bins)."""
    title = f"{visible(name, limit=60)}: baseline (first bar) and this batch (second bar)"
    if base.get("histogram") and cur.get("histogram"):
        if base["histogram"]["edges"] != cur["histogram"]["edges"]:
            return None
        return histogram(
            title,
            base["histogram"]["edges"],
            [base["histogram"]["counts"], cur["histogram"]["counts"]],
        )
    if base.get("top") and cur.get("top"):
        return top_values(
            title,
            [dict(base["top"]), dict(cur["top"])],
            [base["rows"] - base["nulls"], cur["rows"] - cur["nulls"]],
            limit=TOP_SHOWN,
        )
    return None


def _p(value: float | None) -> str:
    if value is None:
        return ""
    return "< 0.0001" if value < 1e-4 else f"{value:.4f}"


def _provenance(summary: Mapping[str, Any], details: Mapping[str, Any]) -> list[tuple[str, str]]:
    recipe = summary.get("recipe", {})
    source = summary.get("input", {})
    version = details.get("recipe", {}).get("version")
    durations = summary.get("durations_s", {})
    items = [
        ("recipe", visible(recipe.get("name") or "unnamed", limit=120)),
        ("recipe version", str(version) if version is not None else "not recorded"),
        ("recipe sha256", str(recipe.get("sha256", ""))),
        ("input", visible(source.get("path", "a frame in memory"), limit=300)),
        ("input sha256", str(source.get("sha256", "not recorded"))),
        ("input bytes", number(source.get("bytes")) if source.get("bytes") is not None else ""),
        ("engine", str(summary.get("engine", ""))),
        ("started", str(summary.get("started_at", ""))),
        (
            "durations",
            ", ".join(f"{key} {float(value):.2f} s" for key, value in durations.items()),
        ),
        ("rowsift version", str(summary.get("rowsift_version", ""))),
    ]
    monitor = summary.get("monitor")
    if monitor:
        items += [
            ("store", visible(monitor.get("store", ""), limit=200)),
            ("dataset", visible(monitor.get("dataset", ""), limit=120)),
            ("batch", visible(monitor.get("batch", ""), limit=120)),
            ("store run id", str(monitor.get("run_id") or "not recorded")),
        ]
        if monitor.get("error"):
            items.append(("monitoring error", visible(monitor["error"], limit=500)))
    return [(label, value) for label, value in items if value != ""]
