"""Records a reader could not parse are quarantined with `row.parse` alone, raw text kept."""

from __future__ import annotations

import polars as pl

import rowsift


def test_reader_parse_failures_are_quarantined_with_row_parse_only() -> None:
    recipe = rowsift.load_recipe_text(
        "version: 1\ncolumns:\n  id: {rules: [not_null]}\n  n: {type: int}\n"
    )
    frame = pl.DataFrame(
        {
            "_rowsift_row": [0, 1, 2],
            "id": ["a", None, "c"],
            "n": ["1", None, "x"],
            "_rowsift_parse": [None, "expected 2 fields, got 3", None],
            "_rowsift_raw": [None, "b,2,extra", None],
            "_rowsift_fields": [None, ["b", "2", "extra"], None],
        }
    )
    result = rowsift.run(recipe, frame)
    assert result.clean["_rowsift_row"].to_list() == [0]
    assert "_rowsift_raw" not in result.clean.columns
    quarantine = result.quarantine
    assert quarantine["_rowsift_row"].to_list() == [1, 2]
    assert quarantine["_rowsift_reasons"].to_list() == [["row.parse"], ["n.type"]]
    assert quarantine["_rowsift_raw"].to_list() == ["b,2,extra", None]
    assert quarantine["_rowsift_fields"].to_list()[0] == ["b", "2", "extra"]
    assert result.summary.failures == {"row.parse": 1, "n.type": 1}
