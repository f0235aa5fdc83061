"""`rowsift import`: a suite in, a recipe out, what could not be mapped listed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rowsift._cli.app import app
from rowsift.recipe import load_recipe


def test_import_writes_the_recipe_and_lists_what_it_left_out(tmp_path: Path) -> None:
    suite = tmp_path / "suite.json"
    suite.write_text(
        json.dumps(
            {
                "name": "s",
                "expectations": [
                    {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "id"}},
                    {
                        "type": "expect_column_kl_divergence_to_be_less_than",
                        "kwargs": {"column": "id"},
                    },
                ],
            }
        )
    )
    out = tmp_path / "r.yaml"
    result = CliRunner().invoke(app, ["import", str(suite), "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["rules"] == 1
    assert report["not_mapped"][0].startswith("expectations[1]")
    assert load_recipe(out).columns["id"].rules[0].kind == "not_null"


def test_import_of_something_else_is_a_clear_error(tmp_path: Path) -> None:
    other = tmp_path / "x.json"
    other.write_text("[1, 2]")
    result = CliRunner().invoke(app, ["import", str(other), "-o", str(tmp_path / "r.yaml")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert f"cannot import {other}:" in result.output  # the file, not "the recipe"
    assert "the recipe" not in result.output
    assert not (tmp_path / "r.yaml").exists()
    missing = CliRunner().invoke(app, ["import", str(tmp_path / "nope.json"), "-o", "r.yaml"])
    assert missing.exit_code == 3


@pytest.mark.parametrize(
    ("target", "named"), [("dbt", "a dbt schema.yml"), ("soda", "a file of SodaCL checks")]
)
def test_a_format_rowsift_only_writes_is_named_when_given_to_import(
    tmp_path: Path, target: str, named: str
) -> None:
    recipe = tmp_path / "r.yaml"
    recipe.write_text("version: 1\nname: orders\ncolumns:\n  id: {rules: [not_null]}\n")
    written = tmp_path / f"checks.{target}.yml"
    exported = CliRunner().invoke(app, ["export", str(recipe), "--to", target, "-o", str(written)])
    assert exported.exit_code == 0, exported.output
    result = CliRunner().invoke(app, ["import", str(written), "-o", str(tmp_path / "back.yaml")])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert f"it is {named}: rowsift writes it (`rowsift export`) but does not read it back" in said
    assert not (tmp_path / "back.yaml").exists()


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,  # deeper than Python's JSON reader goes
        "kind: DataContract\nschema: 3\n",  # the right kind, the wrong shape
        "a: &x [1]\nb: *x\n",  # YAML aliases are refused as in recipes
        "columns: !!python/object:os.system {}\n",
    ],
)
def test_hostile_files_are_refused_cleanly(tmp_path: Path, text: str) -> None:
    source = tmp_path / "in.json"
    source.write_text(text)
    result = CliRunner().invoke(app, ["import", str(source), "-o", str(tmp_path / "r.yaml")])
    assert result.exit_code == 2, result.output
    assert "cannot import" in result.output
    assert "internal error" not in result.output
    assert not (tmp_path / "r.yaml").exists()
