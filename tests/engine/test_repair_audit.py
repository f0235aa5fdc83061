"""The repair audit (`rowsift.run(..., audit_repairs=True)`): on every engine, each clean row
lists the columns a transform changed and keeps their values as read; nothing changes without it."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest
from tests.conftest import FAST_ENGINES, ROW, Engine, records

import rowsift

RECIPE = """\
version: 1
columns:
  id: {rules: [not_null]}
  name: {transforms: [strip, lower]}
  code: {type: int, transforms: [{fill_null: '0'}]}
  note: {required: false, transforms: [{fill_null: none}]}
"""

TABLE: dict[str, list[str | None]] = {
    "id": ["1", "2", "3", None, "5", "6", None],
    "name": ["ab", " Ab", "AB ", " x ", "x", None, "Q"],
    "code": ["7", None, "8", None, None, "9", "1"],
}
ROWS = range(len(TABLE["id"]))


def by_hand(row: int) -> tuple[list[str], dict[str, Any]]:
    """The columns the recipe's transforms change on input row `row` (in recipe order), and
    the audit's values as read: the input's where changed, else null."""
    name, code = TABLE["name"][row], TABLE["code"][row]
    repaired = []
    if name is not None and name.strip(" ").lower() != name:
        repaired.append("name")
    if code is None:
        repaired.append("code")
    repaired.append("note")  # absent from the input: read as null, then filled
    read = {"name": name, "code": code, "note": None}
    return repaired, {f"_rowsift_read_{c}": read[c] if c in repaired else None for c in read}


def test_the_audit_keeps_values_as_read_next_to_the_repaired_ones(engine: Engine) -> None:
    recipe = rowsift.load_recipe_text(RECIPE)
    result = rowsift.run(recipe, engine.frame(TABLE), audit_repairs=True)
    engine.check_kind(result)
    assert result.summary.audited
    assert result.summary.to_dict()["repairs"]["audited"] is True
    clean = {row.pop(ROW): row for row in records(result.clean)}
    quarantined = {row[ROW] for row in records(result.quarantine)}
    assert sorted(clean) == [0, 1, 2, 4, 5]
    assert quarantined == {3, 6}
    audited: dict[str, int] = {}
    for number, row in clean.items():
        repaired, read = by_hand(number)
        listed = list(row.pop("_rowsift_repaired"))
        assert listed == repaired, number
        assert {key: row.pop(key) for key in read} == read, number
        assert list(row) == ["id", "name", "code", "note"], "the audit adds only its columns"
        for column in listed:
            audited[column] = audited.get(column, 0) + 1
    # summary.json counts every row: the audited clean rows and the quarantined ones changed
    counts = result.summary.to_dict()["repairs"]["columns"]
    for column in ("code", "note"):
        changed_there = sum(column in by_hand(n)[0] for n in quarantined)
        assert counts[column]["fill_null"] == audited[column] + changed_there, column
    assert audited["name"] == sum("name" in by_hand(n)[0] for n in clean) == 2


@pytest.mark.parametrize("name", FAST_ENGINES)
def test_without_the_audit_the_clean_output_has_no_audit_columns(name: str) -> None:
    recipe = rowsift.load_recipe_text(RECIPE)
    clean = records(rowsift.run(recipe, Engine(name).frame(TABLE)).clean)
    assert list(clean[0]) == ["id", "name", "code", "note", ROW]


def test_a_frame_with_an_audit_column_is_refused() -> None:
    recipe = rowsift.load_recipe_text(RECIPE)
    audited = rowsift.run(recipe, pl.DataFrame(TABLE), audit_repairs=True).clean
    with pytest.raises(rowsift.UsageError, match="which the repair audit adds"):
        rowsift.run(recipe, audited, audit_repairs=True)
    assert len(rowsift.run(recipe, audited).clean) == len(audited)
