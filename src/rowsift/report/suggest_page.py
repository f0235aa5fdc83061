"""A suggested recipe as plain data for its HTML report (`rowsift suggest … --html`).

Every rule, transform and type the recipe holds, with the evidence `rowsift suggest` wrote
for it and its column's chart from the profile it learned from. No table is read here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from rowsift.recipe.ids import rule_ids, type_rule_id
from rowsift.report.charts import Chart, number
from rowsift.report.profile_page import column_chart
from rowsift.report.visible import visible

if TYPE_CHECKING:
    from rowsift.profile import TableProfile
    from rowsift.recipe import Recipe
    from rowsift.recipe.annotations import Evidence


def _written(entry: Any) -> str:
    """An entry as people write it in the recipe, without its evidence and review."""
    import json

    body = entry.compact()
    if isinstance(body, dict):
        body = {
            key: {k: v for k, v in value.items() if k not in ("evidence", "review")}
            if isinstance(value, dict)
            else value
            for key, value in body.items()
        }
        body = {key: (value if value != {} else None) for key, value in body.items()}
        if len(body) == 1 and next(iter(body.values())) is None:
            body = next(iter(body))
    text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False, default=str)
    return visible(text, limit=300)


def _evidence(evidence: Evidence | None, rows: int) -> dict[str, Any] | None:
    if evidence is None:
        return None
    quarantined = evidence.quarantined
    return {
        "statistic": visible(evidence.statistic, limit=120),
        "observed": number(evidence.observed),
        "threshold": number(evidence.threshold) if evidence.threshold is not None else "",
        "quarantined": quarantined,
        "share": f"{quarantined / rows:.2%}" if quarantined is not None and rows else "",
        "examples": [visible(e, limit=80) for e in evidence.examples[:5]],
        "note": visible(evidence.note or "", limit=300),
    }


def _item(kind: str, rule_id: str, entry: Any, rows: int) -> dict[str, Any]:
    return {
        "kind": kind,
        "id": visible(rule_id, limit=120),
        "written": _written(entry),
        "evidence": _evidence(getattr(entry.args, "evidence", None), rows),
        "review": getattr(getattr(entry.args, "review", None), "decision", ""),
    }


def suggest_page(recipe: Recipe, prof: TableProfile, *, source: str, target: str) -> dict[str, Any]:
    """Everything the suggest report shows, as plain data."""
    ids = dict(rule_ids(recipe))
    profiled = {column.name: column for column in prof.columns}
    rows = prof.rows
    columns = []
    for name, spec in recipe.columns.items():
        evidence: Mapping[str, Evidence] = spec.evidence
        items = [
            {
                "kind": "type",
                "id": visible(type_rule_id(name), limit=120),
                "written": visible(spec.type + (f" {spec.format}" if spec.format else "")),
                "evidence": _evidence(evidence.get("type"), rows),
                "review": "",
            }
        ]
        items += [
            {**_item("transform", entry.kind, entry, rows), "id": visible(entry.kind)}
            for entry in spec.transforms
        ]
        items += [
            _item("rule", ids[("columns", name, "rules", index)], entry, rows)
            for index, entry in enumerate(spec.rules)
        ]
        column = profiled.get(name)
        chart: Chart | None = column_chart(column) if column is not None else None
        columns.append({"name": visible(name, limit=80), "items": items, "chart": chart})
    table_rules = [
        _item("row rule", ids[("rows", index)], entry, rows)
        for index, entry in enumerate(recipe.rows)
    ] + [
        _item("dataset rule", ids[("dataset", index)], entry, rows)
        for index, entry in enumerate(recipe.dataset)
    ]
    budget = next((d.args for d in recipe.dataset if d.kind == "quarantine_rate"), None)
    rate = None if budget is None or budget.evidence is None else budget.evidence.observed
    count = sum(len(spec.rules) for spec in recipe.columns.values()) + len(table_rules)
    name = recipe.name or "unnamed recipe"
    return {
        "title": f"rowsift suggest: {visible(name, limit=80)}",
        "source": visible(source, limit=300),
        "target": visible(target, limit=300),
        "counts": {
            "rows": f"{rows:,}",
            "columns": f"{len(recipe.columns):,}",
            "rules": f"{count:,}",
            "rate": f"{rate:.2%}" if rate is not None else "not measured",
        },
        "columns": columns,
        "table_rules": table_rules,
        "data": {"rows": rows, "rules": count},
        "footer": "Made by rowsift from the suggested recipe and the profile it learned from; "
        "this file needs no network.",
    }
