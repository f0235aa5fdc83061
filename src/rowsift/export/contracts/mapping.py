"""How each rule and transform of a recipe maps to each contract format, or why it cannot.

The one table the exporters read their reasons from, and that docs/export.md shows
(`mapping_table`, kept identical by a test). Every registered rule and transform has a row
(another test), so a new rule cannot be skipped silently: it must be given a row here first.

Fidelity, per cell:

- ``exact``: the format fails the same rows as rowsift (on the values after transforms and casts);
- ``verdict``: it fails when rowsift's rule fails, but may blame other rows of the same group;
- ``approx``: close, with a difference the cell names;
- ``none``: no equivalent; the exported file says so in its notes or comments.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Format = Literal["gx", "odcs", "frictionless", "pandera", "dbt", "soda"]
Fidelity = Literal["exact", "verdict", "approx", "none"]

FORMAT_NAMES: dict[Format, str] = {
    "gx": "Great Expectations 1.x",
    "odcs": "ODCS v3.1",
    "frictionless": "Frictionless Table Schema",
    "pandera": "pandera",
    "dbt": "dbt schema.yml",
    "soda": "SodaCL",
}


@dataclass(frozen=True)
class Cell:
    """How one kind maps to one format."""

    fidelity: Fidelity
    how: str


def _none(why: str) -> Cell:
    return Cell("none", why)


_TRANSFORM = (
    "not applied: {fmt} judges values, it does not change them; the exported checks judge the "
    "values after transforms (rowsift's clean output), so apply the transforms before them"
)
_NAN_GX = "; GX counts NaN as missing (rowsift: a value)"


def _transform_row() -> dict[Format, Cell]:
    return {fmt: _none(_TRANSFORM.format(fmt=name)) for fmt, name in FORMAT_NAMES.items()}


MAPPING: dict[str, dict[Format, Cell]] = {
    "type": {
        "gx": _none(
            "not checked: the suite judges rowsift's typed values (cast failures are "
            "`<column>.type`)"
        ),
        "odcs": Cell("exact", "`logicalType` (decimal: `number` and `physicalType: decimal(p,s)`)"),
        "frictionless": Cell(
            "approx",
            "field `type` and `format`; bool true/false words listed "
            "in lower case only (rowsift: any case)",
        ),
        "pandera": Cell("exact", "the column's `dtype`"),
        "dbt": _none("not checked: a model's `data_type` is the warehouse's"),
        "soda": _none("not checked: a schema check names the warehouse's types"),
    },
    "strip": _transform_row(),
    "lower": _transform_row(),
    "upper": _transform_row(),
    "collapse_spaces": _transform_row(),
    "null_tokens": _transform_row(),
    "map": _transform_row(),
    "replace": _transform_row(),
    "fill_null": _transform_row(),
    "normalize_number": _transform_row(),
    "canonical": _transform_row(),
    "normalize_datetime": _transform_row(),
    "majority": _transform_row(),
    "not_null": {
        "gx": Cell("exact", "`expect_column_values_to_not_be_null`" + _NAN_GX),
        "odcs": Cell("exact", "`required: true`"),
        "frictionless": Cell("exact", "`constraints.required`; an empty text counts as missing"),
        "pandera": Cell("exact", "`nullable=False` (pandera also fails NaN)"),
        "dbt": Cell("exact", "`not_null`"),
        "soda": Cell("exact", "`missing_count(c) = 0`"),
    },
    "matches": {
        "gx": Cell(
            "exact",
            "`expect_column_values_to_match_regex`, spelled for Python's `re` "
            "(`$` → `\\Z`, ASCII classes); `\\p{..}` and inner flags cannot be spelled",
        ),
        "odcs": Cell(
            "exact",
            "`logicalTypeOptions.pattern` in ECMA-262 (searched); inline "
            "flags and `\\p{..}` cannot be spelled",
        ),
        "frictionless": Cell(
            "exact",
            "`constraints.pattern`, written for a full match (frictionless-py wraps it in `^…$`)",
        ),
        "pandera": Cell(
            "exact",
            "`Check.str_contains` (Rust `regex` on Polars, Python `re` in the YAML for pandas)",
        ),
        "dbt": Cell(
            "approx",
            "`dbt_expectations.expect_column_values_to_match_regex`: the warehouse's regex dialect",
        ),
        "soda": Cell(
            "approx", "`invalid_count(c) = 0` with `valid regex`: the data source's regex dialect"
        ),
    },
    "between": {
        "gx": Cell(
            "exact",
            "`expect_column_values_to_be_between` (`strict_min`/`strict_max`)"
            + _NAN_GX
            + "; decimal bounds become binary floats; none on text, date and "
            "datetime columns (JSON has no date literal)",
        ),
        "odcs": Cell(
            "exact",
            "`logicalTypeOptions` `minimum`/`maximum` or `exclusiveMinimum`/`exclusiveMaximum`; "
            "none on text columns",
        ),
        "frictionless": Cell(
            "exact",
            "`constraints` `minimum`/`maximum`, `exclusiveMinimum`/"
            "`exclusiveMaximum` (Table Schema v2); none on text columns",
        ),
        "pandera": Cell("exact", "`Check.in_range` (or `ge`/`gt`/`le`/`lt` on whole numbers)"),
        "dbt": Cell("approx", "`dbt_utils.accepted_range`: one `inclusive` for both bounds"),
        "soda": Cell("approx", "`valid min`/`valid max`: inclusive bounds only"),
    },
    "in_set": {
        "gx": Cell(
            "exact",
            "`expect_column_values_to_be_in_set`" + _NAN_GX + "; none on date and datetime columns",
        ),
        "odcs": Cell("exact", "quality `invalidValues` with `arguments.validValues`, `mustBe: 0`"),
        "frictionless": Cell("exact", "`constraints.enum`"),
        "pandera": Cell("exact", "`Check.isin`"),
        "dbt": Cell("exact", "`accepted_values`"),
        "soda": Cell("exact", "`invalid_count(c) = 0` with `valid values`"),
    },
    "length": {
        "gx": Cell("exact", "`expect_column_value_lengths_to_be_between`"),
        "odcs": Cell("exact", "`logicalTypeOptions` `minLength`/`maxLength`"),
        "frictionless": Cell("exact", "`constraints` `minLength`/`maxLength`"),
        "pandera": Cell("exact", "`Check.str_length`"),
        "dbt": Cell(
            "approx",
            "`dbt_expectations.expect_column_value_lengths_to_be_between`: "
            "the warehouse's length function",
        ),
        "soda": Cell("exact", "`valid min length`/`valid max length`"),
    },
    "compare": {
        "gx": Cell(
            "exact",
            "`expect_column_pair_values_a_to_be_greater_than_b` (`>`, `>=`, "
            "`<`, `<=`), `expect_column_pair_values_to_be_equal` (`==`); `!=` has none",
        ),
        "odcs": _none("no comparison between two columns"),
        "frictionless": _none("no comparison between two columns"),
        "pandera": _none("no built-in check compares two columns"),
        "dbt": _none("no built-in test compares two columns"),
        "soda": _none("no built-in check compares two columns"),
    },
    "unique": {
        "gx": Cell(
            "verdict",
            "`expect_column_values_to_be_unique`; over columns "
            "`expect_compound_columns_to_be_unique`: every repeated row is blamed",
        ),
        "odcs": Cell(
            "verdict",
            "`unique: true`; over columns quality `duplicateValues` with `arguments.properties`",
        ),
        "frictionless": Cell("verdict", "`constraints.unique`; over columns none"),
        "pandera": Cell("approx", "`unique=True`: pandera counts two nulls as a repeat"),
        "dbt": Cell("verdict", "`unique`; over columns `dbt_utils.unique_combination_of_columns`"),
        "soda": Cell("verdict", "`duplicate_count(c) = 0`"),
    },
    "duplicate": {
        "gx": Cell(
            "verdict",
            "`expect_compound_columns_to_be_unique`, `ignore_row_if: never`; on "
            "one column `expect_column_values_to_be_unique`, which leaves nulls out",
        ),
        "odcs": Cell("verdict", "quality `duplicateValues` with `arguments.properties`"),
        "frictionless": _none("no uniqueness over several columns"),
        "pandera": Cell("verdict", "`DataFrameSchema(unique=[...])` (null equals null)"),
        "dbt": Cell("verdict", "`dbt_utils.unique_combination_of_columns`"),
        "soda": Cell("verdict", "`duplicate_count(a, b) = 0`"),
    },
    "determined_by": {
        fmt: _none("a functional dependency has no equivalent") for fmt in FORMAT_NAMES
    },
    "row_count": {
        "gx": Cell(
            "exact",
            "`expect_table_row_count_to_be_between` (of the input; of the clean output: none)",
        ),
        "odcs": Cell("exact", "quality `rowCount`"),
        "frictionless": _none("no table-level checks"),
        "pandera": _none("no built-in row-count check"),
        "dbt": Cell("exact", "`dbt_expectations.expect_table_row_count_to_be_between`"),
        "soda": Cell("exact", "`row_count between a and b`"),
    },
    "quarantine_rate": {
        fmt: _none("the share of rows rowsift quarantined exists only in a rowsift run")
        for fmt in FORMAT_NAMES
    },
    "null_rate": {
        "gx": Cell("exact", "`expect_column_values_to_not_be_null` with `mostly: 1 - max`"),
        "odcs": Cell("exact", "quality `nullValues`, `unit: percent`"),
        "frictionless": _none("no table-level checks"),
        "pandera": _none("no built-in null-share check"),
        "dbt": Cell("exact", "`dbt_utils.not_null_proportion` with `at_least: 1 - max`"),
        "soda": Cell("exact", "`missing_percent(c) <= max`"),
    },
    "severity": {
        "gx": Cell("exact", "`severity: warning`"),
        "odcs": Cell("exact", "quality `severity: warning`"),
        "frictionless": _none("no severity: warn rules are left out"),
        "pandera": Cell("exact", "`raise_warning=True` (YAML: left out)"),
        "dbt": Cell("exact", "`config: {severity: warn}`"),
        "soda": Cell("exact", "`warn: when > 0`"),
    },
}
"""Kind (a rule's or transform's registry name, `type`, `severity`) → format → how it maps."""


def cell(kind: str, fmt: Format) -> Cell:
    """The mapping of one kind to one format."""
    return MAPPING[kind][fmt]


def why_not(kind: str, fmt: Format) -> str:
    """The reason written in an exported file where a kind is left out."""
    return MAPPING[kind][fmt].how.replace("`", "")


def mapping_table() -> str:
    """The table as Markdown, as docs/export.md shows it."""
    formats = list(FORMAT_NAMES)
    lines = [
        "| rowsift | " + " | ".join(FORMAT_NAMES[fmt] for fmt in formats) + " |",
        "|---" * (len(formats) + 1) + "|",
    ]
    for kind, row in MAPPING.items():
        cells = [f"**{row[fmt].fidelity}**: {row[fmt].how}" for fmt in formats]
        lines.append(f"| `{kind}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
