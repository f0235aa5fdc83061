"""Generated tables and recipes: every row lands once, reasons are error ids, engines agree."""

from __future__ import annotations

import math
import operator
import re
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import examples

import rowsift
from rowsift.recipe.values import coerce_literal

# `engines` (tests/conftest.py) runs a recipe on Polars eager, Polars lazy and pandas; each run
# gives an outcome: clean values, reasons and original values keyed by `_rowsift_row`.
Engine = Any
Outcome = Any

TYPES = ("string", "int", "float", "bool", "date", "datetime", "decimal")
ORDERED = frozenset({"string", "int", "float", "date", "datetime", "decimal"})
ROWSET_KINDS = frozenset({"unique", "determined_by"})

# Text that every engine reads the same way.
COMMON_TEXT: tuple[str | None, ...] = (
    *(None, "", " ", "  ", "\t", "\n", "\r\n", " a ", "a  b", "a \t b"),
    *("NA", "na", "-", "nan", "NaN", "inf", "-inf", "-0", "0", "1", "01", "007", "+5", "-7"),
    *("42", "1e3", "3.5", ".5", "1.", "1.25", "1,5", " 1", "9223372036854775807"),
    *("9223372036854775808", "-9223372036854775808", "é", "É", "Ω", "😀", "ǅ", "a", "b"),
    *("A", "abc", "true", "no", "Y", "t", "2024-02-30", "2024-02-28", "2024-02-29"),
    *("2023-02-29", "28/02/2024", "2024-02-28T10:11:12", "١٢", "１"),
    # text the engines' own functions transform differently, which rowsift evens out
    # (Unicode whitespace, full case mapping; see `test_engines_agree_on_former_divergence`)
    *("a\u00a0b", "\u3000", "a\x0bb", "ß", "ﬁ", "İ", "ΣΑΣ", "ΑΣ Σ"),
)
# Float text whose comparisons differ between engines (NaN ordering and equality, signed zero).
DIVERGENT_FLOAT = frozenset({"nan", "NaN", "-0"})

# `\d`, `\w` and `\s` are ASCII classes on every engine (docs/engines.md)
PATTERNS = ("^[0-9]+$", "a", "^$", r"^\s*$", r"\d", "^.{2,}$", "[é😀]", "(?i)^na$", r"^\w+$")
REPLACES = (("[0-9]", "0"), ("a", "x"), (" +", " "), ("^0+", ""), ("[.]", ","), ("-", ""))
FILLS: tuple[str | int | bool, ...] = ("0", "x", "2024-02-28", "true", "1.5", 0, True)
SOURCE_TOKENS: tuple[list[str] | None, ...] = (None, [""], ["", "NA"], ["NA", "-"], [])

BOUNDS: dict[str, tuple[Any, ...]] = {
    "string": ("a", "b", "0", "é"),
    "int": (-7, 0, 7, 42, 1000),
    "float": (-0.5, 0, 1.5, 42.0, 1000.0),
    "decimal": (0, "1.5", 7, "42.25"),
    "date": ("2024-02-28", "2024-01-01", "2024-03-01"),
    "datetime": ("2024-02-28T00:00:00", "2024-02-28T10:11:12"),
}
MEMBERS: dict[str, tuple[Any, ...]] = {
    "string": ("a", "NA", "é", "", "abc", "1"),
    "int": (0, 7, 42, 1),
    "float": (0.5, 1000.0, 3.5, 1),
    "bool": (True, False),
    "date": ("2024-02-28", "2024-02-29"),
    "datetime": ("2024-02-28T10:11:12",),
    "decimal": ("1.5", 7, "1.25"),
}
COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}

Table = dict[str, list[str | None]]


# -- generating recipes and tables ----------------------------------------------------------------


def text_pool(column_type: str, *, agreeing: bool) -> list[str | None]:
    """The text a column of this type may hold; only text all engines agree on when `agreeing`."""
    if column_type == "float" and agreeing:
        return [text for text in COMMON_TEXT if text not in DIVERGENT_FLOAT]
    return list(COMMON_TEXT)


def severe(draw: st.DrawFn, kind: str, args: dict[str, Any] | None = None) -> Any:
    """A rule entry, with a random severity written the ways people write it."""
    severity = draw(st.sampled_from(["error", "error", "warn", None]))
    body = dict(args or {})
    if severity is not None:
        body["severity"] = severity
    return {kind: body} if body else kind


@st.composite
def transforms(draw: st.DrawFn, pool: Sequence[str | None], *, signed_zero: bool) -> Any:
    """One transform entry; without `signed_zero`, none that can turn "-7" into "-0"."""
    words = [text for text in pool if text is not None] or ["a"]
    kind = draw(
        st.sampled_from(
            ["strip", "lower", "upper", "collapse_spaces", "null_tokens", "map", "replace", "fill"]
        )
    )
    if kind == "null_tokens":
        return {"null_tokens": draw(st.lists(st.sampled_from(["NA", "nan", "-", ""]), max_size=2))}
    if kind == "map":
        keys = draw(st.lists(st.sampled_from(words), min_size=1, max_size=3, unique=True))
        return {"map": {key: draw(st.sampled_from(words)) for key in keys}}
    if kind == "replace":
        replaces = REPLACES if signed_zero else REPLACES[1:]
        pattern, replacement = draw(st.sampled_from(replaces))
        return {"replace": {"pattern": pattern, "with": replacement}}
    if kind == "fill":
        return {"fill_null": draw(st.sampled_from(FILLS))}
    return kind


@st.composite
def column_rules(
    draw: st.DrawFn,
    column_type: str,
    peers: Sequence[str],
    others: Sequence[str],
    *,
    agreeing: bool,
    scale: int | None,
) -> Any:
    """One rule entry for a column of `column_type`; `peers` are other columns of that type."""
    kinds = ["not_null", "in_set", "unique"]
    if column_type == "string":
        kinds += ["matches", "length"]
    if column_type in ORDERED:
        kinds.append("between")
    if peers:
        kinds.append("compare")
    if agreeing and column_type == "bool":
        # pandas keeps a null bool as NaN, which fails in_set and compare (type_bool_null)
        kinds = [kind for kind in kinds if kind not in ("in_set", "compare")]
    if others:
        kinds.append("determined_by")
    kind = draw(st.sampled_from(kinds))
    if kind in ("not_null", "unique") and draw(st.booleans()):
        return severe(draw, kind)
    if kind == "unique":
        return severe(draw, kind, {"blame": draw(st.sampled_from(["all_but_first", "all"]))})
    if kind == "not_null":
        return "not_null"
    if kind == "matches":
        pattern = draw(st.sampled_from(PATTERNS))
        return severe(draw, kind, {"pattern": pattern})
    if kind == "length":
        low = draw(st.none() | st.integers(0, 3))
        high = draw(st.none() | st.integers(low or 0, 4))
        return severe(draw, kind, {"min": low, "max": high})
    if kind == "between":
        bounds = st.none() | st.sampled_from(BOUNDS[column_type])
        low, high = draw(bounds), draw(bounds)
        args = {"include_min": draw(st.booleans()), "include_max": draw(st.booleans())}
        if low is not None and high is not None:  # an empty interval is a recipe error
            low, high = sorted((low, high), key=lambda bound: coerce_literal(bound, column_type))
            if coerce_literal(low, column_type) == coerce_literal(high, column_type):
                args = {"include_min": True, "include_max": True}
        return severe(draw, kind, {"min": low, "max": high, **args})
    if kind == "in_set":
        members = MEMBERS[column_type]
        if scale == 0:
            # pandas crashes on a member finer than the scale (type_decimal_in_set_finer_than_scale)
            members = tuple(member for member in members if isinstance(member, int))
        values = draw(st.lists(st.sampled_from(members), min_size=1, max_size=3))
        return severe(draw, kind, {"values": values})
    if kind == "compare":
        op = draw(st.sampled_from(sorted(COMPARE)))
        return severe(draw, kind, {"op": op, "column": draw(st.sampled_from(peers))})
    chosen = draw(st.lists(st.sampled_from(others), min_size=1, max_size=2, unique=True))
    return severe(draw, kind, {"columns": chosen, "min_support": draw(st.integers(1, 4))})


@st.composite
def cases(draw: st.DrawFn, *, agreeing: bool) -> tuple[Any, Table]:
    """A recipe (as plain data) and a table of text it can run on."""
    names = [f"c{index}" for index in range(draw(st.integers(1, 4)))]
    types = {name: draw(st.sampled_from(TYPES)) for name in names}
    rows = draw(st.integers(0, 60))
    # one decimal shape per table: pandas crashes comparing decimals of different scales
    # (conformance case type_decimal_compare_scales)
    decimal = draw(
        st.sampled_from([{}, {"scale": 0, "precision": 38}, {"scale": 2, "precision": 10}])
    )
    columns: dict[str, Any] = {}
    table: Table = {}
    for name in names:
        column_type = types[name]
        # a few distinct values per column, so that duplicates and ties are common
        choices = draw(
            st.lists(
                st.sampled_from(text_pool(column_type, agreeing=agreeing)), min_size=1, max_size=8
            )
        )
        table[name] = draw(st.lists(st.sampled_from(choices), min_size=rows, max_size=rows))
        spec: dict[str, Any] = {"type": column_type}
        if column_type == "date" and draw(st.booleans()):
            spec["format"] = draw(st.sampled_from(["%Y-%m-%d", "%d/%m/%Y"]))
        if column_type == "decimal":
            spec |= decimal
        signed_zero = not (agreeing and column_type == "float")
        if steps := draw(st.lists(transforms(choices, signed_zero=signed_zero), max_size=3)):
            spec["transforms"] = steps
        peers = [other for other in names if other != name and types[other] == column_type]
        others = [other for other in names if other != name]
        entries = column_rules(
            column_type,
            peers,
            others,
            agreeing=agreeing,
            scale=spec.get("scale"),
        )
        if rules := draw(st.lists(entries, max_size=3)):
            spec["rules"] = rules
        columns[name] = spec
    recipe: dict[str, Any] = {"version": 1, "columns": columns}
    tokens = draw(st.sampled_from(SOURCE_TOKENS))
    if tokens is not None:
        recipe["source"] = {"null_tokens": tokens}
    row_rules: list[Any] = []
    if draw(st.booleans()):
        args: dict[str, Any] = {"keep": draw(st.sampled_from(["first", "last", "none"]))}
        if draw(st.booleans()):
            args["columns"] = draw(st.lists(st.sampled_from(names), min_size=1, unique=True))
        row_rules.append(severe(draw, "duplicate", args))
    if draw(st.booleans()):
        keys = draw(st.lists(st.sampled_from(names), min_size=1, unique=True))
        blame = draw(st.sampled_from(["all_but_first", "all"]))
        row_rules.append(severe(draw, "unique", {"columns": keys, "blame": blame}))
    if row_rules:
        recipe["rows"] = draw(st.permutations(row_rules))
    return recipe, table


def load(recipe: Any) -> rowsift.Recipe:
    """The recipe through YAML text, as a user would hand it over."""
    return rowsift.load_recipe_text(yaml.safe_dump(recipe, allow_unicode=True, sort_keys=False))


# -- what must hold -------------------------------------------------------------------------------


def entry_parts(entry: Any) -> tuple[str, dict[str, Any]]:
    """``not_null`` or ``{kind: args}`` as (kind, args mapping)."""
    if isinstance(entry, str):
        return entry, {}
    ((kind, args),) = entry.items()
    return kind, args if isinstance(args, dict) else {}


def expected_rule_ids(recipe: Any) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """Every rule id in recipe order (DESIGN.md section 2) → (kind, severity, args)."""
    row_level: dict[str, tuple[str, str, dict[str, Any]]] = {}
    row_set: dict[str, tuple[str, str, dict[str, Any]]] = {}
    for name, spec in recipe["columns"].items():
        if spec.get("type", "string") != "string":
            row_level[f"{name}.type"] = ("type", "error", {"owner": name})
        seen: Counter[str] = Counter()
        for entry in spec.get("rules", []):
            kind, args = entry_parts(entry)
            seen[kind] += 1
            rule_id = f"{name}.{kind}" + (f"_{seen[kind]}" if seen[kind] > 1 else "")
            target = row_set if kind in ROWSET_KINDS else row_level
            target[rule_id] = (kind, args.get("severity", "error"), {**args, "owner": name})
    seen_rows: Counter[str] = Counter()
    for entry in recipe.get("rows", []):
        kind, args = entry_parts(entry)
        seen_rows[kind] += 1
        rule_id = f"row.{kind}" + (f"_{seen_rows[kind]}" if seen_rows[kind] > 1 else "")
        row_set[rule_id] = (f"row.{kind}", args.get("severity", "error"), args)
    return row_level | row_set


def literal(value: Any, column_type: str) -> Any:
    """A recipe literal as a value of the column's type."""
    if column_type == "string":
        return str(value).lower() if isinstance(value, bool) else str(value)
    converters: dict[str, Callable[[Any], Any]] = {
        "int": int,
        "float": float,
        "bool": bool,
        "decimal": lambda v: Decimal(str(v)),
        "date": lambda v: date.fromisoformat(str(v)),
        "datetime": lambda v: datetime.fromisoformat(str(v)),
    }
    return converters[column_type](value)


def typed(value: Any, column_type: str) -> Any:
    """A clean cell ready for comparison.

    pandas returns a null bool as NaN (conformance case ``type_bool_null``); it is read as null
    here so the other checks still run on bool columns.
    """
    if column_type == "bool" and isinstance(value, float) and math.isnan(value):
        return None
    return value


def unjudgeable(value: Any) -> bool:
    """NaN: not judged here; the conformance cases type_float_nan_* pin down its rules."""
    return isinstance(value, float) and math.isnan(value)


def key(values: Sequence[Any]) -> tuple[Any, ...]:
    """Values as a grouping key: null equals null, NaN equals NaN, -0.0 differs from 0.0.

    Signed zero is kept apart because pandas does so (see the known divergence
    ``float-signed-zero``); the key is lenient there so that this check does not fail on it.
    """
    parts: list[Any] = []
    for value in values:
        if isinstance(value, float):
            parts.append(("nan",) if math.isnan(value) else (value, math.copysign(1, value)))
        else:
            parts.append(value)
    return tuple(parts)


def column_rule_holds(
    kind: str, args: dict[str, Any], value: Any, row: dict[str, Any], types: dict[str, str]
) -> bool:
    """Whether a clean value satisfies one column rule (null and NaN are not judged here)."""
    column_type = types[args["owner"]]
    if kind == "not_null":
        return value is not None
    if value is None or unjudgeable(value) or kind == "type":
        return True
    if kind == "matches":
        return re.search(args["pattern"], value, re.ASCII) is not None
    if kind == "length":
        size = len(value)
        return (args.get("min") is None or size >= args["min"]) and (
            args.get("max") is None or size <= args["max"]
        )
    if kind == "in_set":
        return value in {literal(member, column_type) for member in args["values"]}
    if kind == "between":
        low, high = args.get("min"), args.get("max")
        if low is not None:
            bound = literal(low, column_type)
            if not (value >= bound if args.get("include_min", True) else value > bound):
                return False
        if high is not None:
            bound = literal(high, column_type)
            if not (value <= bound if args.get("include_max", True) else value < bound):
                return False
        return True
    assert kind == "compare", kind
    other = typed(row[args["column"]], types[args["column"]])
    if other is None or unjudgeable(other):
        return True
    return COMPARE[args["op"]](value, other)


def check_row_set_rule(
    kind: str, args: dict[str, Any], clean: dict[int, dict[str, Any]], types: dict[str, str]
) -> None:
    """Clean rows never hold a group that an error-severity row-set rule forbids."""
    if kind == "unique":
        columns = [args["owner"]]
    elif kind == "row.duplicate":
        columns = args.get("columns") or list(types)
    elif kind == "row.unique":
        columns = args["columns"]
    else:
        return  # determined_by: judged by the conformance cases
    seen: dict[tuple[Any, ...], int] = {}
    for index, row in sorted(clean.items()):
        values = [typed(row[column], types[column]) for column in columns]
        if kind != "row.duplicate" and any(value is None for value in values):
            continue
        group = key(values)
        assert group not in seen, (
            f"{kind} {columns}: clean rows {seen[group]} and {index} share {values}"
        )
        seen[group] = index


def check_invariants(recipe: Any, table: Table, outcome: Outcome, engine: str) -> None:
    """Everything DESIGN.md section 2 promises about one run."""
    rows = len(next(iter(table.values())))
    ids = expected_rule_ids(recipe)
    order = list(ids)
    types = {name: spec.get("type", "string") for name, spec in recipe["columns"].items()}

    # every row lands exactly once
    assert sorted(outcome.order) == list(range(rows)), engine
    assert not set(outcome.clean) & set(outcome.quarantine)
    summary = outcome.summary
    assert summary.rows_in == rows == summary.rows_clean + summary.rows_quarantined
    assert (summary.rows_clean, summary.rows_quarantined) == (
        len(outcome.clean),
        len(outcome.quarantine),
    )

    # reasons: non-empty, error-severity ids of the plan, each once, in recipe order
    for index, reasons in outcome.quarantine.items():
        assert reasons, f"row {index} quarantined without a reason"
        assert all(reason in ids and ids[reason][1] == "error" for reason in reasons), reasons
        assert reasons == sorted(set(reasons), key=order.index), reasons

    # the summary counts exactly the quarantined failures of error rules
    failed = {rule.id: rule.failed for rule in summary.rules}
    assert set(failed) <= set(ids)
    for rule_id, (_, severity, _) in ids.items():
        blamed = sum(rule_id in reasons for reasons in outcome.quarantine.values())
        if severity == "error":
            assert failed.get(rule_id, 0) == blamed, (rule_id, failed.get(rule_id), blamed)
        else:
            assert blamed == 0, rule_id

    # quarantined rows keep their values as given
    for index, values in outcome.originals.items():
        for name, column in table.items():
            assert values[name] == column[index], (index, name, values[name], column[index])

    # no clean row fails an error-severity rule
    tokens = set(recipe.get("source", {}).get("null_tokens", [""]))
    for rule_id, (kind, severity, args) in ids.items():
        if severity != "error":
            continue
        if kind.startswith("row.") or kind in ROWSET_KINDS:
            check_row_set_rule(kind, args, outcome.clean, types)
            continue
        name = args["owner"]
        for index, row in outcome.clean.items():
            value = typed(row[name], types[name])
            assert column_rule_holds(kind, args, value, row, types), (
                f"clean row {index} fails {rule_id}: {value!r}"
            )
            if kind == "type" and not recipe["columns"][name].get("transforms"):
                # without transforms, a clean value is null exactly when the text was null
                given_text = table[name][index]
                was_null = given_text is None or given_text in tokens
                assert (value is None) == was_null, (rule_id, index, given_text, value)


def comparable(outcome: Outcome, types: dict[str, str]) -> dict[str, Any]:
    """What must be equal across engines."""
    return {
        "clean": {
            index: {
                name: key([typed(value, types.get(name, "string"))]) for name, value in row.items()
            }
            for index, row in outcome.clean.items()
        },
        "quarantine": outcome.quarantine,
        "originals": outcome.originals,
        "failures": {rule.id: rule.failed for rule in outcome.summary.rules},
    }


def run_everywhere(engines: Sequence[Engine], recipe: Any, table: Table) -> dict[str, Outcome]:
    """The same recipe and table on every engine, each checked against the invariants."""
    loaded = load(recipe)
    outcomes = {}
    for engine in engines:
        outcomes[engine.name] = engine.run(loaded, table)
        check_invariants(recipe, table, outcomes[engine.name], engine.name)
    return outcomes


SLOW_EXAMPLES = [HealthCheck.too_slow, HealthCheck.data_too_large]


@settings(max_examples=examples(100), deadline=None, suppress_health_check=SLOW_EXAMPLES)
@given(case=cases(agreeing=True))
def test_every_engine_gives_the_same_answer(
    engines: tuple[Engine, ...], case: tuple[Any, Table]
) -> None:
    recipe, table = case
    assert rowsift.compile_recipe(load(recipe)).rule_ids() == list(expected_rule_ids(recipe))
    outcomes = run_everywhere(engines, recipe, table)
    types = {name: spec["type"] for name, spec in recipe["columns"].items()}
    first, *others = outcomes
    reference = comparable(outcomes[first], types)
    for name in others:
        assert comparable(outcomes[name], types) == reference, f"{name} differs from {first}"


@settings(max_examples=examples(75), deadline=None, suppress_health_check=SLOW_EXAMPLES)
@given(case=cases(agreeing=False))
def test_every_row_lands_exactly_once_on_any_text(
    engines: tuple[Engine, ...], case: tuple[Any, Table]
) -> None:
    recipe, table = case
    run_everywhere(engines, recipe, table)


# -- differences engines once had ----------------------------------------------------------

FORMER_DIVERGENCES = [
    pytest.param(
        {"a": {"transforms": ["collapse_spaces"]}},
        {"a": ["a\u00a0\u00a0b", "a\x0bb", "x\u3000y"]},
        id="collapse-unicode-whitespace",
    ),
    pytest.param(
        {"a": {"transforms": ["upper"]}, "b": {"transforms": ["lower"]}},
        {"a": ["straße", "ﬁx", "ẞ", None], "b": ["ΣΑΣ", "İ", "Σ", "ΟΔΟΣ."]},
        id="case-mapping",  # pyarrow and DuckDB map one code point to one (ß→ẞ, ﬁ kept)
    ),
    pytest.param(
        {
            "a": {"type": "float", "rules": [{"unique": {"blame": "all"}}, {"in_set": [0]}]},
            "b": {"type": "float"},
        },
        {"a": ["-0", "0"], "b": ["1", "2"]},
        id="float-signed-zero",
    ),
    pytest.param(
        {"a": {"rules": [{"matches": r"^\d+$"}, {"matches": r"^\w+$"}, {"matches": r"\s"}]}},
        {"a": ["١٢", "１", "é", "ǅa", "a\u00a0b", "12"]},
        id="regex-perl-classes",
    ),
]


@pytest.mark.parametrize(("columns", "table"), FORMER_DIVERGENCES)
def test_engines_agree_on_former_divergence(
    engines: tuple[Engine, ...], columns: dict[str, Any], table: Table
) -> None:
    recipe = rowsift.Recipe.model_validate({"version": 1, "columns": columns})
    eager, *others = (engine.run(recipe, table) for engine in engines)
    for other in others:
        assert other.quarantine == eager.quarantine
        assert other.clean == eager.clean
