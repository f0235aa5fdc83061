"""`--to duckdb-sql`: the views give rowsift's answer on every conformance case and the demo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest
from tests.conformance.test_cases import CASES, Case
from tests.export.code.exactness import (
    Table,
    assert_refused,
    polars_table,
    refused_kinds,
    same_frames,
)
from tests.export.code.test_polars import recipe_of
from tests.hostile.payloads import PAYLOADS

import rowsift
from rowsift._names import FIELDS, LINE, RAW, ROW
from rowsift.demo import orders_csv_path, orders_recipe_path
from rowsift.export import export_recipe
from rowsift.export.code.duckdb_sql import INPUT_VIEW, duckdb_views

NOT_EXACT = dict.fromkeys(
    # docs/export.md, "What a program cannot do exactly": a view cannot refer to a column that
    # may not exist, so an optional column must be present in the input
    (
        "optional_absent_compare_and_unique",
        "optional_absent_fill_null",
        "optional_absent_not_null_fails",
        "optional_column_absent",
    ),
    "an absent optional column (documented)",
)


def without_identifiers(text: str) -> str:
    """The SQL with its quoted identifiers left out (string literals and comments kept)."""
    kept, position, state = [], 0, "code"
    while position < len(text):
        char = text[position]
        ahead = text[position : position + 2]
        if state == "code":
            state = {"'": "literal", '"': "name"}.get(char, "comment" if ahead == "--" else state)
        elif state == "literal" and char == "'":
            state = "literal" if ahead == "''" else "code"
            position += 1 if ahead == "''" else 0
        elif state == "name" and char == '"':
            state = "name" if ahead == '""' else "code"
            position += 1 if ahead == '""' else 0
            char = ""
        elif state == "comment" and char == "\n":
            state = "code"
        if state != "name":
            kept.append(char)
        position += 1
    return "".join(kept)


def run_views(
    recipe: rowsift.Recipe, table: Table
) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, tuple[float, bool]]]:
    """The SQL's clean and quarantine views over the table (the input view replaced by it),
    and the dataset rules' verdicts."""
    views = duckdb_views(recipe)
    connection = duckdb.connect()
    numbered = polars_table(table).with_row_index(ROW).with_columns(pl.col(ROW).cast(pl.Int64))
    numbered = numbered.with_columns((pl.col(ROW) + 2).alias(LINE))
    connection.register("case_table", numbered.to_arrow())
    connection.execute(f"CREATE TABLE {INPUT_VIEW} AS SELECT * FROM case_table")
    connection.execute("\n\n".join([views.macros, *views.views]))
    clean = connection.sql("SELECT * FROM clean").pl().drop(LINE)
    quarantine = connection.sql("SELECT * FROM quarantine").pl().drop(LINE, RAW, FIELDS)
    verdicts = {}
    if recipe.dataset:
        for rule_id, _, observed, passed in connection.sql("FROM rowsift_dataset").fetchall():
            verdicts[rule_id] = (observed, passed)
    return clean, quarantine, verdicts


def compare_views(recipe: rowsift.Recipe, table: Table, what: str) -> None:
    expected = rowsift.run(recipe, polars_table(table))
    clean, quarantine, verdicts = run_views(recipe, table)
    same_frames(clean, expected.clean.sort(ROW), f"{what}: clean")
    same_frames(quarantine, expected.quarantine.sort(ROW), f"{what}: quarantine")
    assert verdicts == {
        outcome.id: (outcome.observed, outcome.passed) for outcome in expected.summary.dataset
    }, what


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_views_give_rowsifts_answer(case: Case) -> None:
    if case.name in NOT_EXACT:
        # the documented limit, held to: the views refuse the input, they never answer wrongly
        with pytest.raises(duckdb.BinderException, match="not found"):
            run_views(recipe_of(case), case.table)
        return
    refused = refused_kinds(recipe_of(case), "duckdb-sql")
    if refused:  # documented in docs/export.md: refused by name, never written wrongly
        assert_refused(recipe_of(case), "duckdb-sql", refused)
        return
    compare_views(recipe_of(case), case.table, case.name)


def test_the_demo_sql_reads_the_file_as_rowsift_does(tmp_path: Path) -> None:
    recipe = rowsift.load_recipe(orders_recipe_path())
    connection = duckdb.connect()
    connection.execute("SET VARIABLE rowsift_input = $path", {"path": str(orders_csv_path())})
    connection.execute(export_recipe(recipe, to="duckdb-sql"))
    rowsift.run_file(recipe, orders_csv_path(), tmp_path, monitor=False)
    for name in ("clean", "quarantine"):
        mine = connection.sql(f"SELECT * FROM {name}").pl()
        theirs = pl.read_parquet(tmp_path / f"{name}.parquet").sort(ROW)
        same_frames(mine, theirs, name)


def test_payloads_stay_data_in_the_sql() -> None:
    names = ["[/]", "=cmd|x", 'a"b', "'; DROP TABLE x; --", "\u202ename"]
    recipe_data: dict[str, Any] = {
        "version": 1,
        "description": "\n".join(PAYLOADS[:6]),
        "columns": {
            name: {
                "description": PAYLOADS[n],
                "transforms": [{"map": {PAYLOADS[n + 1]: PAYLOADS[n + 2]}}],
                "rules": [{"in_set": PAYLOADS[n : n + 6]}],
            }
            for n, name in enumerate(names)
        },
        "rows": [{"unique": {"columns": names[:2]}}],
    }
    from rowsift.recipe.yaml_text import dump_yaml

    recipe = rowsift.load_recipe_text(dump_yaml(recipe_data))
    text = export_recipe(recipe, to="duckdb-sql")
    # a name is a quoted identifier, as it is (SQL has no escapes there); anywhere else a
    # control or bidi character is spelled chr(N) or escaped in a comment
    outside_names = without_identifiers(text)
    assert "\u202e" not in outside_names
    assert "\x1b" not in outside_names
    table = {
        name: [PAYLOADS[(row + column) % len(PAYLOADS)] for row in range(12)] + [None]
        for column, name in enumerate(names)
    }
    compare_views(recipe, table, "payloads")


def test_columns_whose_names_differ_only_in_case_are_refused() -> None:
    from rowsift.exceptions import ExportError
    from rowsift.export.code.duckdb_sql import duckdb_sql
    from rowsift.recipe import load_recipe_text

    recipe = load_recipe_text("version: 1\ncolumns:\n  LP4: {type: int}\n  lp4: {type: int}\n")
    with pytest.raises(ExportError, match="differ only in case"):
        duckdb_sql(recipe)


def test_a_repair_nested_deep_is_laid_out_compactly_and_still_gives_rowsifts_answer() -> None:
    """Short calls stay whole however deep they stand, and short arguments share lines: a
    canonical list of a dozen spellings (one pattern of spaces, punctuation and accents per
    letter) once took a line for each `chr(`, its number and its parenthesis."""
    cities = ["São Paulo", "New York", "Zürich", "Buenos Aires", "Köln", "Málaga", "Oslo",
              "Québec", "Łódź", "Kraków", "Reykjavík", "Tromsø"]  # fmt: skip
    recipe = rowsift.load_recipe_text(
        f"version: 1\ncolumns:\n  city:\n    transforms: [{{canonical: {cities!r}}}]\n"
    )
    sql = export_recipe(recipe, to="duckdb-sql")
    lines = [line.strip() for line in sql.splitlines()]
    assert "chr(" not in lines
    assert not [line for line in lines if line.isdigit()]
    assert len(sql) < 200_000  # 449,315 characters before, 99,019 after
    spelled = [name.upper() for name in cities] + [f"  {name.lower()}." for name in cities]
    compare_views(recipe, {"city": [*cities, *spelled, "Paris", None]}, "canonical cities")


def test_names_or_values_holding_jinja_marks_are_flagged_for_dbt() -> None:
    """The views are DuckDB SQL; dbt would run a name's ``{{ … }}`` as its template code, so
    the script says so above the views when the recipe's data holds such marks."""
    from rowsift.export.code.duckdb_sql import JINJA_NOTE

    marked = rowsift.load_recipe_text(
        "version: 1\ncolumns: {'{{ env_var(\"X\") }}': {rules: [{in_set: ['{% if %}']}]}}"
    )
    assert JINJA_NOTE in export_recipe(marked, to="duckdb-sql")
    plain = rowsift.load_recipe_text("version: 1\ncolumns: {id: {rules: [not_null]}}")
    assert JINJA_NOTE not in export_recipe(plain, to="duckdb-sql")


def test_names_holding_terminal_controls_are_flagged_and_still_run() -> None:
    """DuckDB has no escape for a name: one holding an ESC or a bidi control is written as it
    is, the script says so above the views, and the views still judge the table."""
    from rowsift.export.code.duckdb_sql import UNPRINTABLE_NOTE

    name = "red\x1b[31m\u202e"
    recipe = rowsift.load_recipe_text(
        f'version: 1\ncolumns: {{"{name.encode("unicode_escape").decode()}": '
        "{rules: [{in_set: ['a\\x1b']}]}}"
    )
    sql = export_recipe(recipe, to="duckdb-sql")
    assert UNPRINTABLE_NOTE in sql
    assert "chr(27)" in sql  # the value is spelled, the name cannot be
    compare_views(recipe, {name: ["a\x1b", "b", None]}, "names holding controls")
    line_break = rowsift.load_recipe_text('version: 1\ncolumns: {"a\\nb": {rules: [not_null]}}')
    assert UNPRINTABLE_NOTE not in export_recipe(line_break, to="duckdb-sql")
    # a bool column's whitespace trim is spelled with chr(N) too: no note, no raw control
    booleans = export_recipe(
        rowsift.load_recipe_text("version: 1\ncolumns: {b: {type: bool}}"), to="duckdb-sql"
    )
    assert UNPRINTABLE_NOTE not in booleans
    assert all(char.isprintable() or char in "\n\t" for char in booleans)
