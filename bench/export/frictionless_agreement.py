"""The exported Table Schema run by frictionless-py on the values rowsift typed, written back as
text, compared rule by rule with rowsift (see `peer_agreement`)."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any

from bench.export.peer_agreement import Judged, Tally, compare
from rowsift._names import ROW
from rowsift.export.contracts.common import Contract

KIND_OF_CONSTRAINT = {
    "required": "not_null",
    "pattern": "matches",
    "enum": "in_set",
    "minimum": "between",
    "maximum": "between",
    "exclusiveMinimum": "between",
    "exclusiveMaximum": "between",
    "minLength": "length",
    "maxLength": "length",
    "unique": "unique",
}
_CONSTRAINT = re.compile(r'constraint "(\w+)"')


def _text(value: Any, fmt: str | None) -> str:
    """A typed value as the text the schema's field reads ("" is null)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date) and fmt:  # rowsift holds %z times in UTC
        return value.strftime(fmt.replace("%z", "+0000"))
    return str(value)


def frictionless_case(case: str, judged: Judged, tally: Tally) -> None:
    """Validate the typed rows with the exported schema and compare each exported rule."""
    import frictionless

    from rowsift.export.contracts.frictionless import to_frictionless

    if "" not in judged.recipe.source.null_tokens:
        tally.add("not comparable")  # an empty text is a value: it cannot stand for null here
        return
    descriptor = json.loads(to_frictionless(judged.recipe))
    contract = Contract.of(judged.recipe, "frictionless")
    formats = {column.name: column.cast.format for column in contract.plan.columns}
    names = [field["name"] for field in descriptor["fields"]]
    # by name, never as a pattern (a column may be named `^b$`)
    rows = list(zip(*(judged.typed.get_column(name) for name in [*names, ROW]), strict=True))
    data = [names] + [
        [_text(v, formats.get(n)) for n, v in zip(names, row, strict=False)] for row in rows
    ]
    resource = frictionless.Resource.from_descriptor(
        {
            "$schema": "https://datapackage.org/profiles/2.0/dataresource.json",
            "name": "table",
            "data": data,
            "schema": descriptor,
        }
    )
    found: dict[tuple[str, str], set[int]] = {}
    required = [f["name"] for f in descriptor["fields"] if f.get("constraints", {}).get("required")]
    for error in resource.validate().tasks[0].errors:
        if not hasattr(error, "row_number"):  # the schema itself was refused
            tally.add("disagree", f"{case}: frictionless {error.type}: {error.message}")
            continue
        row = rows[error.row_number - 2][-1]
        if error.type == "blank-row":  # a row null in every field: it fails as a whole,
            for name in required:  # which is where its required fields fail
                found.setdefault((name, "not_null"), set()).add(row)
            continue
        if error.type == "unique-error":
            found.setdefault((error.field_name, "unique"), set()).add(row)
            continue
        match = _CONSTRAINT.search(getattr(error, "note", "") or "")
        if error.type != "constraint-error" or match is None:
            tally.add("disagree", f"{case}: frictionless {error.type}: {error.message}")
            continue
        kind = KIND_OF_CONSTRAINT[match.group(1)]
        found.setdefault((error.field_name, kind), set()).add(row)
    notes = descriptor.get("description", "")
    for column in contract.plan.columns:
        seen: set[str] = set()
        for step in contract.column_steps(column):
            if f"{step.id}: " in notes or step.warn or step.kind in seen:
                continue
            seen.add(step.kind)
            compare(
                "frictionless",
                step.id,
                step.kind,
                found.get((column.name, step.kind), set()),
                judged,
                tally,
                case,
            )
