"""`rowsift diff`: rules added, removed and changed; rows each change moves on a table."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from tests.conftest import examples
from tests.export.contracts.recipes import mappable_recipes
from typer.testing import CliRunner

from rowsift._cli.app import app
from rowsift.export.diff import diff_recipes, moved_rows
from rowsift.recipe import Recipe, load_recipe_text

OLD = """
version: 1
columns:
  id: {rules: [not_null, unique]}
  n: {type: int, rules: [{between: {min: 0, max: 10}}]}
  s: {transforms: [strip], rules: [{in_set: [a, b]}]}
"""
NEW = """
version: 1
columns:
  id: {rules: [not_null]}
  n: {type: float, rules: [{between: {min: 0, max: 5}}]}
  s: {transforms: [strip, lower], rules: [{in_set: [a, b]}, {length: {max: 1}}]}
"""
TABLE = "id,n,s\n1,3,a\n1,7,A\n2,x,b\n,1,bb\n"


def test_rules_and_settings_that_changed() -> None:
    diff = diff_recipes(load_recipe_text(OLD), load_recipe_text(NEW))
    assert [(c.kind, c.id) for c in diff.rules] == [
        ("changed", "n.type"),
        ("changed", "n.between"),
        ("added", "s.length"),
        ("removed", "id.unique"),
    ]
    assert [s.path for s in diff.settings] == ["columns.n.type", "columns.s.transforms"]
    assert diff.rules[1].after == {"between": {"min": 0, "max": 5}}


def test_evidence_and_review_notes_are_no_change() -> None:
    """A reviewed or suggested recipe beside the bare one it became: evidence and review notes
    change no rule, and a rule with nothing else left is its bare name (`not_null`)."""
    annotated = load_recipe_text(
        """
version: 1
columns:
  id:
    rules:
      - not_null: {evidence: {statistic: null share, observed: 0.0}}
      - unique: {review: {decision: accepted, by: ana}}
  n: {rules: [{between: {min: 0, max: 10, evidence: {statistic: 95% quantile, observed: 7.0}}}]}
"""
    )
    bare = load_recipe_text(
        "version: 1\ncolumns:\n  id: {rules: [not_null, unique]}\n"
        "  n: {rules: [{between: {min: 0, max: 10}}]}\n"
    )
    assert diff_recipes(bare, annotated).empty
    assert diff_recipes(annotated, bare).empty


@settings(max_examples=examples(40), deadline=None)
@given(mappable_recipes())
def test_a_recipe_has_no_difference_with_itself(recipe: Recipe) -> None:
    assert diff_recipes(recipe, recipe).empty
    assert diff_recipes(recipe, load_recipe_text(recipe.to_yaml())).empty


def test_rows_each_change_moves(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text(TABLE)
    moves = moved_rows(load_recipe_text(OLD), load_recipe_text(NEW), table)
    # row 0: clean both; row 1: id.unique + s.in_set before, n.between (7 > 5) after;
    # row 2: n.type before (x), n.type after; row 3: id.not_null both, s.length added
    assert (moves.rows, moves.to_quarantine, moves.to_clean) == (4, 0, 0)
    assert moves.newly_failing == {"n.between": 1, "s.length": 1}
    assert moves.no_longer_failing == {"id.unique": 1, "s.in_set": 1}


def test_the_command_prints_and_writes_json(tmp_path: Path) -> None:
    (tmp_path / "old.yaml").write_text(OLD)
    (tmp_path / "new.yaml").write_text(NEW.replace("max: 5", "max: 2"))
    (tmp_path / "t.csv").write_text("id,n,s\n1,3,a\n2,1,b\n")
    args = ["diff", str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml")]
    result = CliRunner().invoke(app, [*args, "--input", str(tmp_path / "t.csv")])
    assert result.exit_code == 0, result.output
    assert "  - id.unique: unique" in result.stdout
    assert "1 move to the quarantine, 0 to clean" in result.stdout
    data = json.loads(CliRunner().invoke(app, [*args, "--json"]).stdout)
    assert data["rows"] is None
    assert {
        "kind": "added",
        "id": "s.length",
        "before": None,
        "after": {"length": {"max": 1}},
    } in data["rules"]
    bad = CliRunner().invoke(app, ["diff", str(tmp_path / "t.csv"), str(tmp_path / "new.yaml")])
    assert bad.exit_code == 2
    assert "Traceback" not in bad.output


def test_hostile_names_and_values_are_shown_as_text(tmp_path: Path) -> None:
    name, value = "\x1b[2J[bold]x", "[red]=cmd|' /C calc'!A0\u202e"
    old = {"version": 1, "columns": {name: {"rules": [{"in_set": ["a"]}]}}}
    new = {"version": 1, "columns": {name: {"rules": [{"in_set": ["a", value]}]}}}
    for path, data in (("old.yaml", old), ("new.yaml", new)):
        Recipe.model_validate(data).save(tmp_path / path)
    result = CliRunner().invoke(
        app, ["diff", str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml")]
    )
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout
    assert "\u202e" not in result.stdout
    assert "\\x1b[2J[bold]x.in_set" in result.stdout
    assert "[red]=cmd|' /C calc'!A0\\u202e" in result.stdout
