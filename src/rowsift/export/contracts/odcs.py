"""ODCS v3.1 (Open Data Contract Standard): a recipe as a data contract (YAML), and back.

One schema object holds the recipe's columns as properties: `required`, `unique`,
`logicalTypeOptions` (pattern in ECMA-262, bounds, lengths, a date format in Java's pattern
letters) and `quality` entries of the standard's library metrics (`invalidValues`,
`nullValues`, `duplicateValues`, `rowCount`), each with its rule id as `id`-safe `name` and its
severity. What the standard cannot say is a `text` quality entry, so a reader sees it, and is
listed in `description.limitations`.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from rowsift.engine.plan import ColumnPlan
from rowsift.export.contracts.common import Contract, RuleStep, plain
from rowsift.export.contracts.patterns import ecma_search
from rowsift.export.contracts.recipe_data import RecipeData
from rowsift.recipe import Recipe
from rowsift.recipe.formats import DIRECTIVES, java_pattern
from rowsift.recipe.yaml_text import parse_yaml
from rowsift.rules import (
    Between,
    Duplicate,
    InSet,
    Length,
    Matches,
    NotNull,
    NullRate,
    RowCount,
    Unique,
)

API_VERSION = "v3.1.0"
LOGICAL = {
    "string": "string",
    "int": "integer",
    "float": "number",
    "bool": "boolean",
    "date": "date",
    "datetime": "timestamp",
    "decimal": "number",
}
_FROM_LOGICAL = {
    "string": "string",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "date": "date",
    "timestamp": "datetime",
}
_NOT_AN_ID = re.compile(r"[^A-Za-z0-9_-]+")


def to_odcs(recipe: Recipe) -> str:
    """The recipe as an ODCS v3.1 data contract, YAML text."""
    contract = Contract.of(recipe, "odcs")
    properties = [_property(contract, column) for column in contract.plan.columns]
    table_quality: list[dict[str, Any]] = []
    for step in contract.table_steps():
        entry = _table_quality(contract, step)
        if entry is not None:
            table_quality.append(entry)
    contract.note_transforms()
    schema: dict[str, Any] = {
        "name": contract.name,
        "logicalType": "object",
        "properties": properties,
    }
    if table_quality:
        schema["quality"] = table_quality
    document: dict[str, Any] = {
        "apiVersion": API_VERSION,
        "kind": "DataContract",
        "id": _id(contract.name),
        "name": contract.name,
        "version": "1.0.0",
        "status": "draft",
        "description": {"purpose": recipe.description or f"rowsift recipe {contract.name}"},
        "schema": [schema],
    }
    if contract.notes:
        document["description"]["limitations"] = (
            "Not expressed as checks (no ODCS equivalent): " + "; ".join(contract.notes)
        )
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def _id(text: str) -> str:
    return _NOT_AN_ID.sub("_", text).strip("_") or "table"


def _quality(step: RuleStep, metric: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": _id(step.id),
        "name": step.id,
        "type": "library",
        "metric": metric,
        **fields,
        "severity": "warning" if step.warn else "error",
    }


def _property(contract: Contract, column: ColumnPlan) -> dict[str, Any]:
    prop: dict[str, Any] = {"name": column.name, "logicalType": LOGICAL[column.cast.type]}
    options: dict[str, Any] = {}
    if column.cast.type == "decimal":
        prop["physicalType"] = f"decimal({column.cast.precision},{column.cast.scale})"
    if column.cast.type in ("date", "datetime") and column.cast.format:
        options["format"] = java_pattern(column.cast.format)
    quality: list[dict[str, Any]] = []
    for step in contract.column_steps(column):
        rule = step.rule
        match rule:
            case NotNull() if not step.warn:
                prop["required"] = True
            case NotNull():
                quality.append(_quality(step, "nullValues", mustBe=0))
            case Matches() if "pattern" not in options and not step.warn:
                pattern = ecma_search(rule.pattern)
                if pattern is None:
                    contract.leave_out(step, "matches", "the pattern has no ECMA-262 spelling")
                else:
                    options["pattern"] = pattern
            case Between() if column.cast.type in ("string", "bool"):
                contract.leave_out(step, "between", "ODCS bounds numbers and dates only")
            case Between() if not {"minimum", "maximum"} & set(options) and not step.warn:
                if rule.min is not None:
                    options["minimum" if rule.include_min else "exclusiveMinimum"] = plain(rule.min)
                if rule.max is not None:
                    options["maximum" if rule.include_max else "exclusiveMaximum"] = plain(rule.max)
            case Length() if "minLength" not in options and not step.warn:
                options.update(
                    {
                        k: v
                        for k, v in (("minLength", rule.min), ("maxLength", rule.max))
                        if v is not None
                    }
                )
            case InSet():
                values = [plain(value) for value in rule.values]
                quality.append(
                    _quality(step, "invalidValues", arguments={"validValues": values}, mustBe=0)
                )
            case Unique() if not step.warn:
                prop["unique"] = True
            case Unique():
                quality.append(_quality(step, "duplicateValues", mustBe=0))
            case _:
                contract.leave_out(
                    step,
                    step.kind if not step.warn else "severity",
                    None
                    if not step.warn
                    else "a warn rule here would be a property option, which cannot warn",
                )
    if options:
        prop["logicalTypeOptions"] = options
    if quality:
        prop["quality"] = quality
    return prop


def _table_quality(contract: Contract, step: RuleStep) -> dict[str, Any] | None:
    rule = step.rule
    match rule:
        case Duplicate() | Unique():
            return _quality(
                step, "duplicateValues", arguments={"properties": list(rule.columns)}, mustBe=0
            )
        case RowCount() if rule.of == "input" and rule.min is not None and rule.min == rule.max:
            return _quality(step, "rowCount", mustBe=rule.min)
        case RowCount() if rule.of == "input" and rule.min is not None and rule.max is not None:
            return _quality(step, "rowCount", mustBeBetween=[rule.min, rule.max])
        case RowCount() if rule.of == "input" and rule.min is not None:
            return _quality(step, "rowCount", mustBeGreaterOrEqualTo=rule.min)
        case RowCount() if rule.of == "input" and rule.max is not None:
            return _quality(step, "rowCount", mustBeLessOrEqualTo=rule.max)
        case NullRate():
            entry = _quality(
                step, "nullValues", unit="percent", mustBeLessOrEqualTo=round(rule.max * 100, 10)
            )
            return {**entry, "arguments": {"property": rule.column}}
    contract.leave_out(step, step.kind)
    return {
        "id": _id(step.id),
        "name": step.id,
        "type": "text",
        "description": f"rowsift rule {step.id} ({step.kind}): no ODCS equivalent",
    }


# -- in ------------------------------------------------------------------------------------------

_JAVA_SPELLINGS: dict[str, str] = {
    spelling: f"%{d.letter}"
    for d in DIRECTIVES.values()
    for spelling in (d.java, *d.java_read)
    if spelling
}
"""Every Java spelling of a directive, as the strftime directive it reads as."""

_JAVA_RUN = re.compile(
    "'([^']*)'|("
    + "|".join(re.escape(s) for s in sorted(_JAVA_SPELLINGS, key=len, reverse=True) if s[0] == "[")
    + r"|([A-Za-z])\3*)|.",
    re.S,
)


def strftime_format(java: str) -> str | None:
    """A Java datetime pattern (ODCS's) as the strftime format rowsift reads, if it has one.

    >>> strftime_format("yyyy-MM-dd'T'HH:mm:ss")
    '%Y-%m-%dT%H:%M:%S'
    >>> strftime_format("yyyy-MM-dd HH:mm:ss[xxx][xx][x]"), strftime_format("HH:mmxx")
    ('%Y-%m-%d %H:%M:%S%z', '%H:%M%z')
    >>> strftime_format("yyyy[-MM]") is None
    True
    """
    out: list[str] = []
    for match in _JAVA_RUN.finditer(java):
        quoted, spelled = match.group(1), match.group(2)
        if quoted is not None:
            out.append(quoted.replace("%", "%%") if quoted else "'")
        elif spelled is not None:
            if spelled not in _JAVA_SPELLINGS:
                return None
            out.append(_JAVA_SPELLINGS[spelled])
        elif match.group(0) in "[]{}#":
            return None  # an optional section, or a character Java keeps for later use
        else:
            out.append(match.group(0).replace("%", "%%"))
    return "".join(out)


def from_odcs(text: str) -> tuple[Recipe, list[str]]:
    """A recipe from an ODCS v3 contract (YAML or JSON), and what could not be mapped.

    Only the first schema object is read; the others are listed.
    """
    document, _ = parse_yaml(text)
    if not isinstance(document, dict) or not isinstance(document.get("schema"), list):
        raise ValueError("an ODCS contract is a mapping with a `schema` list")
    objects = [item for item in document["schema"] if isinstance(item, dict)]
    data = RecipeData(name=objects[0].get("name") if objects else document.get("name"))
    for index in range(1, len(objects)):
        data.unmapped(f"schema[{index}]", "a recipe describes one table: only schema[0] is read")
    if not objects:
        return data.recipe()
    table = objects[0]
    for index, item in enumerate(table.get("properties") or []):
        prop = item if isinstance(item, dict) else {}
        _read_property(data, f"schema[0].properties[{index}]", prop)
    for index, entry in enumerate(table.get("quality") or []):
        _read_quality(data, f"schema[0].quality[{index}]", None, entry)
    return data.recipe()


def _read_property(data: RecipeData, where: str, prop: dict[str, Any]) -> None:
    name, logical = prop.get("name"), prop.get("logicalType", "string")
    kind = _FROM_LOGICAL.get(str(logical), "string")
    if str(prop.get("physicalType", "")).lower().startswith(("decimal", "numeric")):
        kind = "decimal"
    if not data.column(name, kind) or not isinstance(name, str):
        return
    if logical not in _FROM_LOGICAL:
        data.unmapped(f"{where}.logicalType", f"{logical} read as text")
    if prop.get("required") is True:
        data.rule(where, name, "not_null", None, None)
    if prop.get("unique") is True:
        data.rule(where, name, "unique", {"blame": "all"}, None)
    found = prop.get("logicalTypeOptions")
    options: dict[str, Any] = found if isinstance(found, dict) else {}
    bounds: dict[str, Any] = {}
    lengths: dict[str, Any] = {}
    for key, value in options.items():
        here = f"{where}.logicalTypeOptions.{key}"
        if key == "format" and kind in ("date", "datetime"):
            fmt = strftime_format(str(value))
            if fmt is None:
                why = "has letters or optional sections rowsift does not read"
                data.unmapped(here, f"the pattern {value!r} {why}")
            else:
                data.date_format(here, name, fmt)
        elif key == "pattern":
            data.rule(here, name, "matches", {"pattern": str(value)}, None)
        elif key in ("minLength", "maxLength"):
            lengths[key[:3]] = value
        elif key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            side = "min" if "inimum" in key else "max"
            bounds[side] = value
            if key.startswith("exclusive"):
                bounds[f"include_{side}"] = False
        else:
            data.unmapped(here, "no rowsift rule says this")
    if lengths:
        data.rule(f"{where}.logicalTypeOptions", name, "length", lengths, None)
    if bounds:
        data.rule(f"{where}.logicalTypeOptions", name, "between", bounds, None)
    for index, entry in enumerate(prop.get("quality") or []):
        _read_quality(data, f"{where}.quality[{index}]", name, entry)


def _read_quality(data: RecipeData, where: str, column: str | None, entry: Any) -> None:
    entry = entry if isinstance(entry, dict) else {}
    metric = entry.get("metric") or entry.get("rule")
    severity = (
        "warn" if str(entry.get("severity", "")).lower() in ("warning", "warn", "info") else None
    )
    arguments = entry.get("arguments") if isinstance(entry.get("arguments"), dict) else {}
    zero = entry.get("mustBe") == 0 and entry.get("unit", "rows") == "rows"
    if entry.get("type", "library") != "library" or metric is None:
        data.unmapped(where, f"a {entry.get('type')} check has no rowsift rule")
    elif metric == "invalidValues" and zero and "validValues" in arguments and column:
        data.rule(where, column, "in_set", {"values": arguments["validValues"]}, severity)
    elif metric == "invalidValues" and zero and "pattern" in arguments and column:
        data.rule(where, column, "matches", {"pattern": str(arguments["pattern"])}, severity)
    elif metric == "nullValues" and zero and column:
        data.rule(where, column, "not_null", None, severity)
    elif (
        metric == "nullValues"
        and entry.get("unit") == "percent"
        and ("mustBeLessOrEqualTo" in entry)
    ):
        target = column or arguments.get("property")
        share = round(float(entry["mustBeLessOrEqualTo"]) / 100, 12)
        data.dataset(where, {"null_rate": {"column": target, "max": share, "severity": severity}})
    elif metric == "duplicateValues" and zero:
        columns = arguments.get("properties") or ([column] if column else None)
        if column and not arguments.get("properties"):
            data.rule(where, column, "unique", {"blame": "all"}, severity)
        else:
            data.row(where, {"duplicate": {"columns": columns, "keep": "none"}}, severity)
    elif metric == "rowCount":
        low, high = entry.get("mustBeGreaterOrEqualTo"), entry.get("mustBeLessOrEqualTo")
        if isinstance(entry.get("mustBe"), int):
            low = high = entry["mustBe"]
        if isinstance(entry.get("mustBeBetween"), list) and len(entry["mustBeBetween"]) == 2:
            low, high = entry["mustBeBetween"]
        if low is None and high is None:
            data.unmapped(where, "a row count bound other than between, >= or <=")
        else:
            data.dataset(where, {"row_count": {"min": low, "max": high, "severity": severity}})
    else:
        data.unmapped(where, f"metric {metric} with these thresholds has no rowsift rule")
