"""A broken recipe is a RecipeError listing every problem with its path, line and a hint."""

from __future__ import annotations

import pytest

import rowsift
from rowsift.exceptions import RecipeError


def problems_of(text: str) -> list[tuple[str, int | None, str, str]]:
    with pytest.raises(RecipeError) as caught:
        rowsift.load_recipe_text(text, file="r.yaml")
    return [(p.path, p.line, p.message, p.hint) for p in caught.value.problems]


def test_unknown_key_names_its_path_line_and_a_close_spelling() -> None:
    text = (
        "version: 1\ncolumns:\n  amount:\n    type: float\n    rules:\n      - betwen: {min: 0}\n"
    )
    [(path, line, message, hint)] = problems_of(text)
    assert path == "columns.amount.rules[0].betwen"
    assert line == 6
    assert message == "unknown key 'betwen'"
    assert hint == "did you mean 'between'?"


def test_every_structural_problem_is_reported_at_once() -> None:
    text = (
        "version: 1\n"
        "colour: red\n"
        "columns:\n"
        "  id: {type: strng}\n"
        "  amount: {type: float, rules: [{between: {min: 0, mx: 3}}]}\n"
    )
    found = {(path, line) for path, line, _, _ in problems_of(text)}
    assert found == {
        ("colour", 2),
        ("columns.id.type", 4),
        ("columns.amount.rules[0].between.mx", 5),
    }


def test_wrong_value_type_says_what_was_expected_and_what_came() -> None:
    text = "version: 1\ncolumns:\n  q:\n    type: int\n    rules:\n      - length: {min: many}\n"
    problems = problems_of(text)
    assert problems[0][0] == "columns.q.rules[0].length.min"
    assert "many" in problems[0][2]


def test_meaning_problems_are_all_reported_with_hints() -> None:
    text = (
        "version: 1\n"
        "columns:\n"
        "  shipped: {type: date, rules: [{compare: {op: '>=', column: creatd}}]}\n"
        "  created: {type: date}\n"
        "  code:\n"
        "    rules:\n"
        "      - matches: '(?<=x)y'\n"
        "  amount: {type: float, format: '%Y', rules: [{between: {min: lots}}]}\n"
        "dataset:\n"
        "  - null_rate: {column: amout, max: 0.1}\n"
    )
    problems = {path: (line, message, hint) for path, line, message, hint in problems_of(text)}
    assert set(problems) == {
        "columns.shipped.rules[0].compare.column",
        "columns.code.rules[0].matches",
        "columns.amount.format",
        "columns.amount.rules[0].between.min",
        "dataset[0].null_rate.column",
    }
    assert problems["columns.shipped.rules[0].compare.column"][2] == "did you mean 'created'?"
    assert problems["dataset[0].null_rate.column"][2] == "did you mean 'amount'?"
    assert "look-around" in problems["columns.code.rules[0].matches"][1]
    assert problems["columns.code.rules[0].matches"][0] == 7


@pytest.mark.parametrize(
    "pattern",
    [r"(a)\1", r"(?=a)", r"(?!a)b", r"(?<!a)b", r"a++", r"(?>a)", "[", r"a{2,1}"],
)
def test_patterns_outside_the_linear_time_syntax_are_recipe_errors(pattern: str) -> None:
    text = f"version: 1\ncolumns:\n  c:\n    rules:\n      - matches: '{pattern}'\n"
    [(path, _, message, _)] = problems_of(text)
    assert path == "columns.c.rules[0].matches"
    assert repr(pattern) in message
    assert "expression" not in message  # the regex engine's words, not the frame library's


@pytest.mark.parametrize(
    "pattern", [r"^ORD-\d{8}$", r"\p{L}+", r"(?i)^abc", r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$"]
)
def test_linear_time_patterns_are_accepted(pattern: str) -> None:
    text = f"version: 1\ncolumns:\n  c:\n    rules:\n      - matches: '{pattern}'\n"
    recipe = rowsift.load_recipe_text(text)
    assert recipe.columns["c"].rules[0].args.pattern == pattern


def test_version_is_required_and_must_be_known() -> None:
    [(_, _, message, hint)] = problems_of("columns: {a: {}}\n")
    assert "version" in message
    assert hint == "start the file with 'version: 1'"
    [(path, _line, message, hint)] = problems_of("version: 7\ncolumns: {a: {}}\n")
    assert path == "version"
    assert "7" in message


def test_invalid_yaml_gives_the_line() -> None:
    [(_, line, message, _)] = problems_of("version: 1\ncolumns:\n  a: [unclosed\n")
    assert message.startswith("not valid YAML")
    assert line is not None


def test_a_recipe_that_is_not_a_mapping_is_refused() -> None:
    [(_, _, message, _)] = problems_of("- just\n- a list\n")
    assert "mapping" in message


def test_yaml_tags_that_build_objects_are_refused() -> None:
    [(path, line, message, hint)] = problems_of(
        "version: 1\ncolumns: !!python/object:os.system {}\n"
    )
    assert (path, line) == ("columns", 2)
    assert message == "the tag !!python/object:os.system is not allowed in a recipe"
    assert "remove the tag" in hint


def test_render_lists_file_line_path_and_hint() -> None:
    with pytest.raises(RecipeError) as caught:
        rowsift.load_recipe_text("version: 1\ncolumns:\n  a: {typ: int}\n", file="r.yaml")
    assert caught.value.render() == (
        "recipe r.yaml has 1 problem:\n"
        "  r.yaml:3: columns.a.typ: unknown key 'typ'\n"
        "    Hint: did you mean 'type'?"
    )


def test_decimals_of_different_scales_cannot_be_compared() -> None:
    text = (
        "version: 1\n"
        "columns:\n"
        "  a: {type: decimal, scale: 2, rules: [{compare: {op: '<', column: b}}]}\n"
        "  b: {type: decimal, scale: 9}\n"
    )
    [(path, line, message, hint)] = problems_of(text)
    assert path == "columns.a.rules[0].compare.column"
    assert line == 3
    assert "different precision or scale" in message
    assert hint == "give both columns the same precision and scale"


def test_a_replace_pattern_that_matches_empty_text_is_refused() -> None:
    text = (
        "version: 1\ncolumns:\n  v:\n    transforms:\n      - replace: {pattern: 'x*', with: '-'}\n"
    )
    [(path, line, message, hint)] = problems_of(text)
    assert path == "columns.v.transforms[0].replace.pattern"
    assert line == 5
    assert message == "the replace pattern 'x*' matches the empty text"
    assert "use + instead of *" in hint


def test_a_nan_bound_is_refused_as_engines_would_disagree_on_it() -> None:
    text = (
        "version: 1\n"
        "columns:\n"
        "  a: {type: float, rules: [{between: {min: .nan, max: .inf}}]}\n"
        "  b: {type: decimal, precision: 9, scale: 2, rules: [{between: {max: NaN}}]}\n"
        "  c: {type: float, rules: [{between: {min: -.inf, max: .inf}}]}\n"
    )
    found = problems_of(text)
    assert [(path, line) for path, line, _, _ in found] == [
        ("columns.a.rules[0].between.min", 3),
        ("columns.b.rules[0].between.max", 4),
    ]
    assert found[0][2] == "the min is NaN, which no value compares with"
    assert "leave min out" in found[0][3]


def test_a_range_no_value_can_fall_in_is_refused() -> None:
    text = (
        "version: 1\n"
        "columns:\n"
        "  a: {type: int, rules: [{between: {min: 5, max: 1}}]}\n"
        "  b: {type: float, rules: [{between: {min: 1, max: 1, include_min: false}}]}\n"
        "  c: {rules: [{length: {min: 4, max: 2}}]}\n"
        "  d: {type: date, rules: [{between: {min: '2024-02-01', max: '2024-01-01'}}]}\n"
        "  e: {type: float, rules: [{between: {min: 1, max: 1}}]}\n"
        "  f: {rules: [{length: {min: 2, max: 2}}]}\n"
    )
    found = problems_of(text)
    assert [(path, line) for path, line, _, _ in found] == [
        ("columns.a.rules[0].between", 3),
        ("columns.b.rules[0].between", 4),
        ("columns.c.rules[0].length", 5),
        ("columns.d.rules[0].between", 6),
    ]
    assert found[0][2] == "no value can pass: min 5 and max 1"
    assert found[1][2] == "no value can pass: min 1.0 and max 1.0, not both included"
    assert {hint for *_, hint in found} == {"swap min and max, or include both bounds"}
