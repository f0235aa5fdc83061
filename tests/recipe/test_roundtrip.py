"""A valid recipe survives to_yaml → load and save → load unchanged, fingerprint included."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rowsift
from rowsift.demo import orders_recipe_path
from rowsift.recipe.values import coerce_literal

TYPES = ("string", "int", "float", "bool", "date", "datetime", "decimal")
ORDERED = frozenset({"string", "int", "float", "date", "datetime", "decimal"})
PATTERNS = (r"^ORD-\d{8}$", "a", r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", "(?i)^na$", "é|😀", r"\.", "")
ENCODINGS = ("utf-8", "latin-1", "cp1252", "utf-16")
ZONES = (UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-8)))

# characters and text UTF-8 can encode, as `st.text()` draws by default: a lone surrogate is
# in no file (a drawn one as a delimiter failed validation, not the round-trip)
characters = st.characters(codec="utf-8")
text = st.text(max_size=12)
# any name a recipe file may declare: all but U+001F, which joins rule ids (docs/recipe.md)
names = st.text(st.characters(codec="utf-8", exclude_characters="\x1f"), min_size=1, max_size=10)
severities = st.sampled_from([None, "error", "warn"])
finite = st.floats(allow_nan=False, allow_infinity=False)
datetimes = st.datetimes() | st.datetimes(timezones=st.sampled_from(ZONES))

LITERALS: dict[str, st.SearchStrategy[Any]] = {
    "string": text | st.integers() | st.booleans() | st.dates(),
    "int": st.integers(-(2**63), 2**63 - 1),
    "float": finite | st.integers(-(10**9), 10**9) | st.just(float("inf")),
    "bool": st.booleans(),
    "decimal": st.integers(-(10**9), 10**9)
    | st.decimals(allow_nan=False, allow_infinity=False, places=4).map(str),
    "date": st.dates() | st.dates().map(date.isoformat),
    "datetime": datetimes | st.datetimes().map(datetime.isoformat),
}


def entry(kind: str, args: dict[str, Any], severity: str | None) -> Any:
    """A rule entry; optional arguments left out, severity written last when given."""
    body = {key: value for key, value in args.items() if value is not None}
    if severity is not None:
        body["severity"] = severity
    return {kind: body} if body else kind


def ordered(low: Any, high: Any, column_type: str = "int") -> tuple[Any, Any]:
    """Bounds in the order of the column's type (a range no value can fall in is a recipe
    error: `false` is above `1` as text); of two datetimes of which one has a time zone, only
    the lower bound is kept."""
    if low is None or high is None:
        return low, high
    try:
        typed_low, typed_high = (coerce_literal(bound, column_type) for bound in (low, high))
        return (low, high) if typed_low <= typed_high else (high, low)
    except TypeError:
        return low, None


def equal(low: Any, high: Any, column_type: str) -> bool:
    """Whether two bounds are the same value of the column's type."""
    if low is None or high is None:
        return False
    return bool(coerce_literal(low, column_type) == coerce_literal(high, column_type))


@st.composite
def transforms(draw: st.DrawFn) -> Any:
    """One transform entry of any kind."""
    kind = draw(
        st.sampled_from(
            ["strip", "lower", "upper", "collapse_spaces", "null_tokens", "map", "replace", "fill"]
        )
    )
    if kind == "null_tokens":
        return {kind: draw(st.lists(text, max_size=3))}
    if kind == "map":
        return {kind: draw(st.dictionaries(text, text, max_size=3))}
    if kind == "replace":
        replacement = draw(text.filter(lambda value: "$" not in value and "\\" not in value))
        return {kind: {"pattern": draw(st.sampled_from(PATTERNS[:-1])), "with": replacement}}
    if kind == "fill":
        scalars = text | st.integers() | finite | st.booleans() | st.dates() | datetimes
        return {"fill_null": draw(scalars)}
    return kind


@st.composite
def column_rules(draw: st.DrawFn, column_type: str, peers: list[str], others: list[str]) -> Any:
    """One rule entry that makes sense for a column of `column_type`."""
    kinds = ["not_null", "in_set", "unique"]
    kinds += ["matches", "length"] if column_type == "string" else []
    kinds += ["between"] if column_type in ORDERED else []
    kinds += ["compare"] if peers else []
    kinds += ["determined_by"] if others else []
    kind = draw(st.sampled_from(kinds))
    severity = draw(severities)
    literal = LITERALS[column_type]
    if kind == "matches":
        pattern = draw(st.sampled_from(PATTERNS))
        return {kind: pattern} if severity is None else entry(kind, {"pattern": pattern}, severity)
    if kind == "in_set":
        values = draw(st.lists(literal, min_size=1, max_size=3))
        return {kind: values} if severity is None else entry(kind, {"values": values}, severity)
    args: dict[str, Any] = {}
    if kind == "between":
        low, high = ordered(draw(st.none() | literal), draw(st.none() | literal), column_type)
        args = {"min": low, "max": high}
        if not equal(low, high, column_type):  # equal bounds must be included (or it is empty)
            args |= {"include_min": draw(st.none() | st.booleans())}
            args |= {"include_max": draw(st.none() | st.booleans())}
    elif kind == "length":
        low, high = ordered(*(draw(st.none() | st.integers(0, 9)) for _ in range(2)))
        args = {"min": low, "max": high}
    elif kind == "compare":
        ops = st.sampled_from(["==", "!=", "<", "<=", ">", ">="])
        args = {"op": draw(ops), "column": draw(st.sampled_from(peers))}
    elif kind == "unique":
        args = {"blame": draw(st.none() | st.sampled_from(["all_but_first", "all"]))}
    elif kind == "determined_by":
        chosen = st.lists(st.sampled_from(others), min_size=1, max_size=2, unique=True)
        args = {"columns": draw(chosen), "min_support": draw(st.none() | st.integers(1, 9))}
    return entry(kind, args, severity)


@st.composite
def recipes(draw: st.DrawFn) -> dict[str, Any]:
    """A valid recipe as plain data, using every part of the v1 vocabulary."""
    column_names = draw(st.lists(names, min_size=1, max_size=4, unique=True))
    types = {name: draw(st.sampled_from(TYPES)) for name in column_names}
    columns: dict[str, Any] = {}
    for name in column_names:
        column_type = types[name]
        spec: dict[str, Any] = {}
        if column_type != "string" or draw(st.booleans()):
            spec["type"] = column_type
        if column_type in ("date", "datetime") and draw(st.booleans()):
            spec["format"] = draw(st.sampled_from(["%Y-%m-%d", "%d/%m/%Y %H:%M", "%Y%m%d"]))
        if column_type == "decimal" and draw(st.booleans()):
            spec["precision"] = draw(st.integers(1, 38))
            spec["scale"] = draw(st.integers(0, spec["precision"]))
        if draw(st.booleans()):
            spec["required"] = draw(st.booleans())
        if draw(st.booleans()):
            spec["description"] = draw(text)
        if steps := draw(st.lists(transforms(), max_size=3)):
            spec["transforms"] = steps
        # decimals compare only at equal precision and scale, which are drawn column by column
        peers = [
            other
            for other in column_names
            if other != name and types[other] == column_type and column_type != "decimal"
        ]
        others = [other for other in column_names if other != name]
        if rules := draw(st.lists(column_rules(column_type, peers, others), max_size=4)):
            spec["rules"] = rules
        columns[name] = spec or None
    recipe: dict[str, Any] = {"version": 1}
    for key in ("name", "description"):
        if draw(st.booleans()):
            recipe[key] = draw(text)
    if draw(st.booleans()):
        recipe["source"] = draw(sources())
    recipe["columns"] = columns
    subsets = st.lists(st.sampled_from(column_names), min_size=1, unique=True)
    rows = []
    for _ in range(draw(st.integers(0, 2))):
        if draw(st.booleans()):
            keep = draw(st.none() | st.sampled_from(["first", "last", "none"]))
            args = {"keep": keep, "columns": draw(st.none() | subsets)}
            rows.append(entry("duplicate", args, draw(severities)))
        else:
            args = {
                "columns": draw(subsets),
                "blame": draw(st.none() | st.sampled_from(["all_but_first", "all"])),
                "ignore_if_null": draw(st.none() | st.sampled_from(["any", "all"])),
            }
            rows.append(entry("unique", args, draw(severities)))
    if rows:
        recipe["rows"] = rows
    if dataset := draw(st.lists(dataset_rules(column_names), max_size=3)):
        recipe["dataset"] = dataset
    return recipe


@st.composite
def sources(draw: st.DrawFn) -> dict[str, Any]:
    """A source block with some of its keys set."""
    choices = {
        "format": st.sampled_from(["csv", "tsv", "parquet", "ndjson"]),
        "encoding": st.sampled_from(ENCODINGS),
        "delimiter": characters,
        "quote": characters,
        "header_row": st.integers(0, 5),
        "null_tokens": st.lists(text, max_size=4),
    }
    keys = draw(st.lists(st.sampled_from(sorted(choices)), unique=True))
    return {key: draw(choices[key]) for key in keys}


@st.composite
def dataset_rules(draw: st.DrawFn, column_names: list[str]) -> Any:
    """One dataset rule entry."""
    kind = draw(st.sampled_from(["row_count", "quarantine_rate", "null_rate"]))
    rate = st.floats(0, 1)
    if kind == "row_count":
        low = draw(st.none() | st.integers(0, 10**6))
        high = draw(st.none() | st.integers(low or 0, 10**7))
        of = draw(st.none() | st.sampled_from(["input", "clean"]))
        return entry(kind, {"min": low, "max": high, "of": of}, draw(severities))
    if kind == "quarantine_rate":
        return entry(kind, {"max": draw(rate)}, draw(severities))
    args = {"column": draw(st.sampled_from(column_names)), "max": draw(rate)}
    return entry(kind, args, draw(severities))


def assert_same(loaded: rowsift.Recipe, recipe: rowsift.Recipe) -> None:
    """Equal models, the same column order (dict equality ignores it) and the same fingerprint."""
    assert loaded == recipe
    assert list(loaded.columns) == list(recipe.columns)
    assert loaded.fingerprint() == recipe.fingerprint()
    assert rowsift.compile_recipe(loaded).rule_ids() == rowsift.compile_recipe(recipe).rule_ids()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=recipes())
def test_a_recipe_survives_yaml_text_unchanged(data: dict[str, Any]) -> None:
    recipe = rowsift.Recipe.model_validate(data)
    text_form = recipe.to_yaml()
    loaded = rowsift.load_recipe_text(text_form)
    assert_same(loaded, recipe)
    assert loaded.to_yaml() == text_form  # saving again changes nothing
    assert recipe.fingerprint() == rowsift.Recipe.model_validate(data).fingerprint()


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=recipes())
def test_a_recipe_survives_save_and_load_unchanged(tmp_path: Path, data: dict[str, Any]) -> None:
    recipe = rowsift.Recipe.model_validate(data)
    path = tmp_path / "recipe.yaml"
    recipe.save(path)
    assert_same(rowsift.load_recipe(path), recipe)


def test_the_bundled_recipe_survives_save_and_load(tmp_path: Path) -> None:
    recipe = rowsift.load_recipe(orders_recipe_path())
    path = tmp_path / "orders.recipe.yaml"
    recipe.save(path)
    assert_same(rowsift.load_recipe(path), recipe)
    assert [p.name for p in tmp_path.iterdir()] == ["orders.recipe.yaml"]


def test_a_column_of_defaults_is_written_as_an_empty_mapping() -> None:
    """A declared column with nothing but defaults is written `name: {}`, as people (and the
    docs) write it, never `name: null`; it loads back as declared."""
    recipe = rowsift.load_recipe_text("version: 1\ncolumns:\n  a: {type: int}\n  b: {}\n  c:\n")
    text = recipe.to_yaml()
    assert "  b: {}\n" in text
    assert "  c: {}\n" in text
    assert "null" not in text
    assert_same(rowsift.load_recipe_text(text), recipe)


@pytest.mark.parametrize("odd", ["\x85", "a\x85b", "\u2028", "a\u2029b", "\r\n", "a \n", "\x00"])
def test_line_break_characters_survive_yaml_text(odd: str) -> None:
    recipe = rowsift.Recipe.model_validate(
        {"version": 1, "description": odd, "columns": {odd: {"transforms": [{"map": {odd: odd}}]}}}
    )
    assert_same(rowsift.load_recipe_text(recipe.to_yaml()), recipe)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=recipes(), second=recipes())
def test_different_recipes_have_different_fingerprints(
    first: dict[str, Any], second: dict[str, Any]
) -> None:
    one, other = rowsift.Recipe.model_validate(first), rowsift.Recipe.model_validate(second)
    if one != other:
        assert one.fingerprint() != other.fingerprint()


def test_column_order_is_part_of_the_fingerprint() -> None:
    ab = rowsift.load_recipe_text("version: 1\ncolumns:\n  a: {type: int}\n  b: {type: int}\n")
    ba = rowsift.load_recipe_text("version: 1\ncolumns:\n  b: {type: int}\n  a: {type: int}\n")
    assert rowsift.compile_recipe(ab).rule_ids() != rowsift.compile_recipe(ba).rule_ids()
    assert ab.fingerprint() != ba.fingerprint()


def test_equal_recipes_have_equal_fingerprints() -> None:
    xy = rowsift.load_recipe_text(
        "version: 1\ncolumns:\n  s: {transforms: [{map: {x: '1', y: '2'}}]}\n"
    )
    yx = rowsift.load_recipe_text(
        "version: 1\ncolumns:\n  s: {transforms: [{map: {y: '2', x: '1'}}]}\n"
    )
    assert xy == yx
    assert xy.fingerprint() == yx.fingerprint()


def test_a_setting_written_as_its_default_hashes_as_if_left_out() -> None:
    bare = rowsift.load_recipe_text("version: 1\ncolumns:\n  a: {rules: [not_null]}\n")
    spelled = rowsift.load_recipe_text(
        "version: 1\nsource: {encoding: utf-8}\n"
        "columns:\n  a: {type: string, rules: [{not_null: {severity: error}}]}\n"
    )
    assert bare.fingerprint() == spelled.fingerprint()
    other = rowsift.load_recipe_text("version: 1\ncolumns:\n  a: {rules: [unique]}\n")
    assert other.fingerprint() != bare.fingerprint()
