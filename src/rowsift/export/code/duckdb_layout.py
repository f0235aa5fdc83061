"""The layout of the DuckDB SQL: the input view, the judged view (one CTE per stage of a run),
and the ``clean`` and ``quarantine`` views over it."""

from __future__ import annotations

from rowsift._names import FIELDS, LINE, RAW, REASONS, ROW
from rowsift.engines import sql
from rowsift.export.code.duckdb_sql import INPUT_VIEW, JUDGED_VIEW, DuckDBViews, Parts
from rowsift.export.code.duckdb_text import case_macros, name, text
from rowsift.export.code.outline import Outline
from rowsift.export.code.program import library_version
from rowsift.export.code.python_text import comment

QUARANTINED = "_rowsift_quarantined"
_DUCKDB_ENCODINGS = ("utf-8", "utf8", "utf-16", "latin-1", "ascii")


def _opening(plan_outline: Outline) -> str:
    lines = [
        "-- Clean a table as a rowsift recipe does, with DuckDB alone.",
        "--",
        "-- Written by `rowsift export --to duckdb-sql` from the recipe named below. Run it with:",
        "--",
        "--     SET VARIABLE rowsift_input = 'input.csv';",
        "--     .read THIS_FILE.sql",
        "--     COPY clean TO 'clean.parquet';  COPY quarantine TO 'quarantine.parquet';",
        "--",
        f"-- `{INPUT_VIEW}` reads the file; `{JUDGED_VIEW}` adds each column's transformed text,",
        "-- its typed value and one failure flag per rule (named after the rule id); `clean` holds",
        "-- the rows that pass, transformed and typed, and `quarantine` the others, with their",
        f"-- values as read and `{REASONS}` (the ids of the error rules they fail, in recipe",
        f"-- order). Both keep `{ROW}` (0-based position of the record) and `{LINE}`.",
        "-- `rowsift_dataset` (with dataset rules) holds each dataset rule's observed value and",
        "-- whether it passed: the run fails when a rule of severity error did not.",
        f"-- As dbt models: `{INPUT_VIEW}` is your source of text columns numbered by `{ROW}`",
        f"-- (and `{LINE}`), and the body of each later view a model reading the one before",
        "-- (`FROM {{ ref('rowsift_judged') }}`); the two macros go in `on-run-start`.",
        "--",
    ]
    name_text = plan_outline.name or "(no name)"
    lines += comment(f"Recipe: {name_text}", prefix="-- ")
    lines += comment(f"sha256 of the recipe: {plan_outline.plan.recipe_fingerprint}", prefix="-- ")
    lines += comment(
        f"Written for DuckDB {library_version('DuckDB')}, as rowsift runs it (an older DuckDB "
        "may lack `lambda x:` or SET VARIABLE).",
        prefix="-- ",
    )
    if plan_outline.description:
        lines += comment(plan_outline.description, prefix="-- ")
    lines += ["--", "-- Where this SQL is not exact (rowsift run would answer otherwise):"]
    for note in _notes(plan_outline):
        lines += comment(note, prefix="-- - ", then="--   ")
    return "\n".join(lines)


def _notes(plan_outline: Outline) -> list[str]:
    reading = plan_outline.reading
    notes = [note.replace("this program", "this SQL") for note in reading.notes]
    notes.append(
        "header names are DuckDB's: a repeated name (or one differing only in case) gets _1, "
        "_2 (rowsift: _2, _3), a blank one column<n> counted from 0 (rowsift: column_<n+1>; "
        "renamed so for the columns the recipe declares), and a name starting with _rowsift_ "
        "is kept as it is (rowsift renames it)"
    )
    if not reading.header:
        notes.append(
            "the file has no header: its columns are named column_1, column_2, ... up to the "
            "last the recipe declares, as rowsift names them; DuckDB names any after it "
            "column<n> its own way"
        )
    if any(not column.required for column in plan_outline.plan.columns):
        notes.append(
            "an optional column (required: false) must be present in the input: a view cannot "
            "refer to a column that may not exist (rowsift reads an absent one as all null)"
        )
    if reading.encoding.lower().replace("_", "-") not in _DUCKDB_ENCODINGS:
        notes.append(
            f"DuckDB reads UTF-8, UTF-16 and Latin-1 only; convert the {reading.encoding} file "
            "to UTF-8 first"
        )
    if reading.quote is None:
        notes.append("DuckDB always reads quotes; rowsift reads this file without them")
    return notes


def _generated_number(name: str) -> int:
    """N of a name rowsift gives a column of a file without a header (``column_N``), else 0."""
    number = name.removeprefix("column_")
    return int(number) if number != name and number.isdecimal() else 0


def _input_view(plan_outline: Outline) -> str:
    reading = plan_outline.reading
    options = [
        f"header = {str(reading.header).lower()}",
        f"delim = {text(reading.delimiter)}",
        f"quote = {text(reading.quote or '')}",
        f"escape = {text(reading.quote or '')}",
        f"skip = {reading.header_row}",
        "all_varchar = true",
    ]
    if not reading.header:  # named as rowsift names them, up to the last the recipe declares
        count = max((_generated_number(c.name) for c in plan_outline.plan.columns), default=0)
        if count:
            names = ", ".join(text(f"column_{n}") for n in range(1, count + 1))
            options.append(f"names = [{names}]")
    if reading.encoding.lower().replace("_", "-") in _DUCKDB_ENCODINGS[2:]:
        options.append(f"encoding = {text(reading.encoding.lower())}")
    renamed = ""
    if reading.header:  # a blank name: DuckDB's column<n> counted from 0, rowsift's from 1
        numbers = sorted({_generated_number(c.name) for c in plan_outline.plan.columns} - {0})
        if numbers:
            pairs = ", ".join(f"{name(f'column{n - 1}')} AS {name(f'column_{n}')}" for n in numbers)
            renamed = f" RENAME ({pairs})"
    if reading.header:
        breaks = "length(column_name) - length(replace(column_name, chr(10), ''))"
        first_line = [
            f"SELECT *, {name(ROW)} + {reading.header_row + 1} + (",
            "    -- the header's lines (a quoted name may hold line breaks)",
            f"    SELECT CAST(1 + coalesce(sum({breaks}), 0) AS BIGINT)",
            "    FROM (DESCRIBE written)",
            f") AS {name(LINE)}",
        ]
    else:
        first_line = [f"SELECT *, {name(ROW)} + {reading.first_line} AS {name(LINE)}"]
    return "\n".join(
        [
            "-- The records as text (an empty field is '', never null; the source's null tokens",
            "-- are applied later, as a transform), numbered in file order.",
            f"CREATE OR REPLACE VIEW {INPUT_VIEW} AS",
            "WITH written AS (",
            f"    SELECT *{renamed} FROM read_csv(",
            f"        getvariable({text(INPUT_VIEW)}),",
            "        " + ",\n        ".join(options),
            "    )",
            ")",
            *first_line,
            f"FROM (SELECT {sql.row_number()}, coalesce(COLUMNS(*), '') FROM written);",
        ]
    )


def _select(items: list[tuple[list[str], str]], source: str, *, replace: bool = False) -> list[str]:
    """Every column of `source` and the items; with `replace`, the items replace columns of the
    same name instead (``SELECT * REPLACE (...)``)."""
    lines = ["    SELECT", "        * REPLACE (" if replace else "        *,"]
    indent = "            " if replace else "        "
    for number, (notes, expression) in enumerate(items):
        lines += [indent + note for note in notes]
        lines.append(f"{indent}{expression}" + ("," if number < len(items) - 1 else ""))
    if replace:
        lines.append("        )")
    lines.append(f"    FROM {source}")
    return lines


def _judged_view(parts: Parts) -> str:
    transformed = [
        (f"transformed_{number}" if number < len(parts.texts) else "transformed", items)
        for number, items in enumerate(parts.texts, start=1)
    ]
    grouped = [(f"grouped_{number}", items) for number, items in enumerate(parts.grouped, 1)]
    stages: list[tuple[str, list[tuple[list[str], str]]]] = [*transformed, *grouped]
    replacing = {"repaired"} if parts.replaced else set()
    if parts.replaced:
        stages.append(("repaired", parts.replaced))
    stages.append(("typed", [([], value) for value in parts.values]))
    if parts.counts:
        stages.append(("counted", [([], count) for count in parts.counts]))
    stages.append(("flagged", parts.flags))
    lines = [
        "-- Every declared column's text after its transforms, its typed value, and one flag per",
        "-- rule: true where the row fails it. A null value passes every rule but not_null.",
        f"CREATE OR REPLACE VIEW {JUDGED_VIEW} AS",
        "WITH",
    ]
    source = INPUT_VIEW
    for number, (stage, items) in enumerate(stages):
        body = _select(items, source, replace=stage in replacing)
        body = body if items else ["    SELECT *", f"    FROM {source}"]
        lines += [f"{stage} AS (", *body, ")" + ("," if number < len(stages) - 1 else "")]
        source = stage
    errors = " OR ".join(name(f"_rowsift_failed:{rule_id}") for rule_id in parts.errors)
    lines += [f"SELECT *, {errors or 'false'} AS {name(QUARANTINED)}", f"FROM {source};"]
    return "\n".join(lines)


def _working(parts: Parts) -> list[str]:
    """Every column the judged view adds to the input's."""
    return [*parts.working, name(QUARANTINED)]


def _clean_view(plan_outline: Outline, parts: Parts) -> str:
    declared = [column.name for column in plan_outline.plan.columns]
    values = [f"{name('_rowsift_value:' + column)} AS {name(column)}," for column in declared]
    left_out = [name(column) for column in declared] + [name(ROW), name(LINE)]
    left_out += _working(parts)
    return "\n".join(
        [
            "-- The rows that pass every error rule: declared columns transformed and typed, the",
            "-- input's other columns as read.",
            "CREATE OR REPLACE VIEW clean AS",
            "SELECT",
            *["    " + value for value in values],
            "    * EXCLUDE (" + ", ".join(left_out) + "),",
            f"    {name(ROW)},",
            f"    {name(LINE)}",
            f"FROM {JUDGED_VIEW}",
            f"WHERE NOT {name(QUARANTINED)}",
            f"ORDER BY {name(ROW)};",
        ]
    )


def _quarantine_view(plan_outline: Outline, parts: Parts) -> str:
    named = [
        f"CASE WHEN {name('_rowsift_failed:' + rule_id)} THEN {text(rule_id)} END"
        for rule_id in parts.errors
    ]
    if named:
        reasons = (
            "[reason FOR reason IN [\n        "
            + ",\n        ".join(named)
            + f"\n    ] IF reason IS NOT NULL] AS {name(REASONS)},"
        )
    else:
        reasons = f"CAST([] AS VARCHAR[]) AS {name(REASONS)},"
    left_out = [name(ROW), name(LINE), *_working(parts)]
    return "\n".join(
        [
            "-- The other rows, with their values as read and the error rules they fail.",
            "CREATE OR REPLACE VIEW quarantine AS",
            "SELECT",
            f"    {name(ROW)},",
            f"    {name(LINE)},",
            f"    {reasons}",
            "    * EXCLUDE (" + ", ".join(left_out) + "),",
            "    -- rowsift's reader keeps the raw text of records it could not split here",
            f"    CAST(NULL AS VARCHAR) AS {name(RAW)},",
            f"    CAST(NULL AS VARCHAR[]) AS {name(FIELDS)}",
            f"FROM {JUDGED_VIEW}",
            f"WHERE {name(QUARANTINED)}",
            f"ORDER BY {name(ROW)};",
        ]
    )


def layout(plan_outline: Outline, parts: Parts) -> DuckDBViews:
    """The statements, in order."""
    from rowsift.export.code.duckdb_dataset import dataset_view

    dataset = dataset_view(plan_outline)
    return DuckDBViews(
        opening=_opening(plan_outline),
        macros=case_macros(),
        input_view=_input_view(plan_outline),
        views=(
            _judged_view(parts),
            _clean_view(plan_outline, parts),
            _quarantine_view(plan_outline, parts),
            *([dataset] if dataset else []),
        ),
    )
