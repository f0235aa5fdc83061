"""The exported pandera schemas (Python module on Polars, YAML on pandas) run by pandera on the
values rowsift typed, compared rule by rule with rowsift (see `peer_agreement`)."""

from __future__ import annotations

import runpy
import tempfile
import warnings
from pathlib import Path
from typing import Any

from bench.export.peer_agreement import Judged, Tally, compare, rule_kind
from rowsift._names import ROW


def pandera_case(case: str, judged: Judged, tally: Tally) -> None:
    """Both schemas of one case."""
    import pandera.pandas as pd_pa
    import pandera.polars as pl_pa

    from rowsift.export.contracts.pandera import to_pandera_python, to_pandera_yaml

    rows = list(judged.typed[ROW])
    frame = judged.typed.drop(ROW, "_rowsift_line", strict=False)
    try:
        with tempfile.TemporaryDirectory() as folder:
            module = Path(folder) / "schema.py"
            module.write_text(to_pandera_python(judged.recipe), encoding="utf-8")
            python_schema = runpy.run_path(str(module))["schema"]
        failures = _failures(
            lambda: python_schema.validate(frame, lazy=True),
            pl_pa.errors.SchemaErrors,
            python_schema,
        )
    except Exception as error:
        tally.add("disagree", f"{case} (python): pandera raised {type(error).__name__}: {error}")
    else:
        _compare(case, judged, failures, rows, tally, "python")
    try:
        yaml_schema = pd_pa.DataFrameSchema.from_yaml(to_pandera_yaml(judged.recipe))
        failures = _failures(
            lambda: yaml_schema.validate(frame.to_pandas(), lazy=True),
            pd_pa.errors.SchemaErrors,
            yaml_schema,
        )
    except Exception as error:
        tally.add(
            "disagree", f"{case} (yaml): pandera raised {type(error).__name__}: {str(error)[:200]}"
        )
    else:
        _compare(case, judged, failures, rows, tally, "yaml")


def _failures(validate: Any, errors: type[Exception], schema: Any) -> list[tuple[str, str, Any]]:
    """(column, check, index) of every failure; a numbered check is named by its rule id."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            validate()
        except errors as error:
            cases = error.failure_cases  # type: ignore[attr-defined]
            records = cases.to_dicts() if hasattr(cases, "to_dicts") else cases.to_dict("records")
            return [(str(r.get("column")), _check_name(schema, r), r.get("index")) for r in records]
    return []


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and value != value  # noqa: PLR0124


def _check_name(schema: Any, record: dict[str, Any]) -> str:
    number = record.get("check_number")
    column = schema.columns.get(record.get("column"))
    if number is None or _is_nan(number) or column is None:
        return str(record.get("check"))
    return str(column.checks[int(number)].name)


def _compare(
    case: str,
    judged: Judged,
    failures: list[tuple[str, str, Any]],
    rows: list[int],
    tally: Tally,
    form: str,
) -> None:
    by_id: dict[str, set[int]] = {}
    for column, check, index in failures:
        rule_id = check
        if check == "multiple_fields_uniqueness":
            rule_id = _table_unique_id(judged) or check
        elif check == "not_nullable":
            rule_id = _column_rule(judged, column, "not_null") or check
        elif "uniqueness" in check or check == "unique":
            rule_id = (
                _column_rule(judged, column, "unique")
                or _column_rule(judged, column, "duplicate")
                or check
            )
        row = rows[int(index)] if index is not None and not _is_nan(index) else -1
        by_id.setdefault(rule_id, set()).add(row)
    from rowsift.recipe.ids import rule_ids

    for location, rule_id in rule_ids(judged.recipe):
        kind = rule_kind(judged.recipe, rule_id)
        if kind is None or rule_id.startswith("dataset.") or _warns(judged, location):
            continue
        if f"{rule_id}: " in _notes(judged, form):
            continue  # left out of this schema, and said so
        compare(
            "pandera", rule_id, kind, by_id.get(rule_id, set()), judged, tally, f"{case} ({form})"
        )


def _table_unique_id(judged: Judged) -> str | None:
    """The rule pandera's ``unique=`` was written from (`pandera._table_unique`)."""
    from rowsift.export.contracts.common import Contract
    from rowsift.rules import Duplicate, Unique

    contract = Contract.of(judged.recipe, "pandera")
    for step in contract.table_steps():
        if isinstance(step.rule, Duplicate | Unique) and not step.warn:
            return step.id
    return None


def _column_rule(judged: Judged, column: str, kind: str) -> str | None:
    from rowsift.recipe.ids import rule_ids

    for location, rule_id in rule_ids(judged.recipe):
        if (
            location[0] == "columns"
            and location[1] == column
            and rule_kind(judged.recipe, rule_id) == kind
        ):
            return rule_id
    return None


def _warns(judged: Judged, location: Any) -> bool:
    recipe = judged.recipe
    if location[0] == "columns":
        entry = recipe.columns[str(location[1])].rules[int(location[3])]
    else:
        entry = (recipe.rows if location[0] == "rows" else recipe.dataset)[int(location[1])]
    return getattr(entry.args, "severity", "error") == "warn"


def _notes(judged: Judged, form: str) -> str:
    from rowsift.export.contracts.pandera import to_pandera_python, to_pandera_yaml

    text = to_pandera_python(judged.recipe) if form == "python" else to_pandera_yaml(judged.recipe)
    return "\n".join(line for line in text.splitlines() if line.startswith("# - "))
