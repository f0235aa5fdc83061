"""Recipe YAML is plain data read with YAML 1.2 semantics: nothing is rewritten, nothing runs,
nothing grows without bound, and what is saved loads back exactly."""

from __future__ import annotations

import subprocess
import sys
import tracemalloc
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rowsift
from rowsift.exceptions import RecipeError
from rowsift.recipe.yaml_text import MAX_DEPTH, parse_yaml

AMBIGUOUS = (
    *("NO", "no", "No", "yes", "Yes", "Y", "n", "on", "OFF", "y"),
    *("~", "null", "Null", "NULL", "", " ", "true", "True", "FALSE"),
    *("01", "007", "+1", "-0", "0x1F", "0o17", "0b101", "1_000", "12:30", "12:30:00"),
    *("1.50", "1.", ".5", "1e3", "1E3", "1e+16", "-1.0", ".inf", "-.Inf", ".nan", "NaN"),
    *("2024-01-31", "2024-01-31 10:00:00", "2024-01-31T10:00:00Z", "=1+2", "@x", "- a", "#"),
)
"""Texts some YAML reader reads as something else than the text."""


def load(text: str) -> rowsift.Recipe:
    return rowsift.load_recipe_text(text, file="r.yaml")


def problem_of(text: str) -> tuple[str, int | None, str, str]:
    with pytest.raises(RecipeError) as caught:
        load(text)
    [problem] = caught.value.problems
    return problem.path, problem.line, problem.message, problem.hint


def compiled_members(recipe: rowsift.Recipe, column: str) -> tuple[Any, ...]:
    [step] = next(c for c in rowsift.compile_recipe(recipe).columns if c.name == column).rules
    return tuple(getattr(step.rule, "values"))  # noqa: B009 - the step's rule is an InSet


# -- YAML 1.1 implicit typing does not rewrite a recipe --------------------------------------------


def test_country_codes_stay_text_and_norway_stays_clean() -> None:
    recipe = load("version: 1\ncolumns:\n  country:\n    rules: [{in_set: [NO, SE, DK]}]\n")
    assert recipe.columns["country"].rules[0].args.values == ["NO", "SE", "DK"]
    result = rowsift.run(recipe, pl.DataFrame({"country": ["NO", "SE", "FI"]}))
    assert result.clean["country"].to_list() == ["NO", "SE"]
    assert result.quarantine["_rowsift_reasons"].to_list() == [["country.in_set"]]


def test_a_fill_value_with_a_leading_zero_keeps_it() -> None:
    recipe = load("version: 1\ncolumns:\n  code:\n    transforms: [{fill_null: 01}]\n")
    result = rowsift.run(recipe, pl.DataFrame({"code": [None, "02"]}, schema={"code": pl.String}))
    assert result.clean["code"].to_list() == ["01", "02"]


def test_map_keys_and_values_are_the_text_written() -> None:
    recipe = load(
        "version: 1\ncolumns:\n  answer:\n    transforms: [{map: {yes: Y, no: N, 01: one}}]\n"
    )
    assert recipe.columns["answer"].transforms[0].args.root == {"yes": "Y", "no": "N", "01": "one"}
    frame = pl.DataFrame({"answer": ["yes", "no", "01", "1"]})
    assert rowsift.run(recipe, frame).clean["answer"].to_list() == ["Y", "N", "one", "1"]


def test_numbers_are_read_by_the_column_type_from_the_text_written() -> None:
    recipe = load(
        "version: 1\ncolumns:\n"
        "  s: {rules: [{in_set: [01, 1.50, 1e3, 7, 2.5]}]}\n"
        "  i: {type: int, rules: [{in_set: [01, +2, 3]}]}\n"
        "  d: {type: decimal, rules: [{in_set: [1.50, 2]}]}\n"
        "  f: {type: float, rules: [{between: {min: 1e-3, max: .5}}]}\n"
        "  b: {type: bool, rules: [{in_set: [yes, 'N', true]}]}\n"
    )
    assert compiled_members(recipe, "s") == ("01", "1.50", "1e3", "7", "2.5")
    assert compiled_members(recipe, "i") == (1, 2, 3)
    assert compiled_members(recipe, "d") == (Decimal("1.500000000"), Decimal("2.000000000"))
    assert compiled_members(recipe, "b") == (True, False, True)
    [between] = next(c for c in rowsift.compile_recipe(recipe).columns if c.name == "f").rules
    assert (getattr(between.rule, "min"), getattr(between.rule, "max")) == (0.001, 0.5)  # noqa: B009


def test_yes_and_no_still_mean_true_and_false_where_a_flag_is_expected() -> None:
    recipe = load("version: 1\ncolumns:\n  a: {required: no}\n")
    assert recipe.columns["a"].required is False


def test_numeric_column_names_are_names() -> None:
    recipe = load("version: 1\ncolumns:\n  2024: {type: int}\n  007: {}\n")
    assert list(recipe.columns) == ["2024", "007"]


@pytest.mark.parametrize("text", AMBIGUOUS)
def test_an_ambiguous_text_survives_save_and_load_everywhere_text_goes(text: str) -> None:
    recipe = rowsift.Recipe.model_validate(
        {
            "version": 1,
            "description": text,
            "source": {"null_tokens": [text]},
            "columns": {
                text or "x": {
                    "description": text,
                    "transforms": [{"map": {text: text}}, {"fill_null": text}],
                    "rules": [{"in_set": [text]}],
                }
            },
        }
    )
    again = load(recipe.to_yaml())
    assert again == recipe
    assert again.fingerprint() == recipe.fingerprint()


@settings(max_examples=200, deadline=None)
@given(
    members=st.lists(
        st.sampled_from(AMBIGUOUS)
        | st.text(max_size=8)
        | st.integers()
        | st.floats(allow_nan=False),
        min_size=1,
        max_size=6,
    )
)
def test_any_set_of_literals_survives_yaml_text_exactly(members: list[Any]) -> None:
    recipe = rowsift.Recipe.model_validate(
        {"version": 1, "columns": {"s": {"rules": [{"in_set": members}]}}}
    )
    again = load(recipe.to_yaml())
    assert again == recipe
    assert compiled_members(again, "s") == compiled_members(recipe, "s")


# -- nothing runs, nothing grows -------------------------------------------------------------------


BILLION_LAUGHS = "version: 1\n" + "".join(
    f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]\n" if n else 'l0: &l0 "lol"\n'
    for n in range(10)
)


def test_a_billion_laughs_is_refused_at_its_first_anchor_without_growing() -> None:
    tracemalloc.start()
    try:
        path, line, message, hint = problem_of(BILLION_LAUGHS + "columns: {a: {}}\n")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (path, line) == ("l0", 2)
    assert message == "an anchor (&l0) is not allowed in a recipe"
    assert "write each value out" in hint
    assert peak < 2_000_000


def test_an_alias_is_refused_with_its_place() -> None:
    path, line, message, _ = problem_of("version: 1\ncolumns:\n  a: *shared\n")
    assert (path, line, message) == (
        "columns.a",
        3,
        "an alias (*shared) is not allowed in a recipe",
    )


@pytest.mark.parametrize(
    "tagged",
    [
        "!!python/object/apply:os.system [ls]",
        "!!python/name:os.system",
        "!!binary aGk=",
        "!!set {a}",
        "!!timestamp 2024-01-31",
        "!!omap [a: 1]",
        "!custom x",
        "!<tag:example.com,2000:x> y",
    ],
)
def test_tags_other_than_plain_data_are_refused(tagged: str) -> None:
    path, line, message, hint = problem_of(
        f"version: 1\ndescription: {tagged}\ncolumns: {{a: {{}}}}\n"
    )
    assert (path, line) == ("description", 2)
    assert message.startswith("the tag ")
    assert message.endswith(" is not allowed in a recipe")
    assert "plain data" in hint


def test_plain_data_tags_are_read_as_they_say() -> None:
    recipe = load("version: !!int '1'\ndescription: !!str 5\ncolumns: !!map {a: !!null ''}\n")
    assert (recipe.version, recipe.description, list(recipe.columns)) == (1, "5", ["a"])


def test_a_tag_that_does_not_fit_its_value_is_a_recipe_error() -> None:
    _, line, message, _ = problem_of("version: !!int one\ncolumns: {a: {}}\n")
    assert (line, message) == (1, "'one' is not an integer")


@pytest.mark.parametrize(
    ("nested", "at"),
    [
        ("columns:\n  a: " + "[" * 100_000, 3),
        ("columns:\n  a: " + "{a: " * 100_000, 3),
        ("columns:\n" + "- " * 100_000 + "x\n", 3),
        ("columns:\n" + "".join(" " * n + "a:\n" for n in range(200)), MAX_DEPTH + 3),
    ],
)
def test_deep_nesting_is_a_recipe_error(nested: str, at: int) -> None:
    _, line, message, hint = problem_of("version: 1\n" + nested)
    assert line == at
    assert message == f"the recipe is nested more than {MAX_DEPTH} levels deep"
    assert "indentation" in hint


def test_deep_nesting_exits_2_from_the_command_line(tmp_path: Path) -> None:
    recipe = tmp_path / "deep.yaml"
    recipe.write_text("version: 1\ncolumns: " + "[" * 200_000 + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "rowsift._cli", "check", str(recipe)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "nested more than" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_key_written_twice_is_refused() -> None:
    path, line, message, _ = problem_of("version: 1\ncolumns:\n  a: {}\n  a: {type: int}\n")
    assert (path, line, message) == ("columns", 4, "the key 'a' appears twice in this mapping")


def test_a_key_that_is_a_collection_is_refused() -> None:
    _, line, message, _ = problem_of("version: 1\ncolumns:\n  ? [a, b]\n  : {}\n")
    assert (line, message) == (3, "a key must be a single value, not a mapping or a list")


def test_a_second_document_is_refused() -> None:
    _, line, message, _ = problem_of("version: 1\ncolumns: {a: {}}\n---\nversion: 1\n")
    assert (line, message) == (3, "a recipe is one YAML document, this file has more")


def test_lines_are_known_for_keys_and_list_items() -> None:
    _, lines = parse_yaml("a:\n  - x\n  - y: 1\nb: 2\n")
    assert lines == {(): 1, ("a",): 1, ("a", 0): 2, ("a", 1): 3, ("a", 1, "y"): 3, ("b",): 4}
