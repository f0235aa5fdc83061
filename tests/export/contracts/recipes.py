"""Recipes of rules every contract format can say, for round trips (hypothesis strategies)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from rowsift.engine import compile_recipe
from rowsift.recipe import Recipe
from rowsift.recipe._regex import portable_pattern
from rowsift.rules import Matches

PATTERNS = [
    "^ORD-\\d{8}$",
    "[a-z]+@",
    "^\\s*x",
    "a.b",
    "^(ab|cd)$",
    "\\w{2,}",
    "^-?[0-9]+(\\.[0-9]+)?$",
]
NAMES = st.sampled_from(["id", "amount", "Name With Space", "ünï", 'a"b', "x.y", "<b>"])


@st.composite
def mappable_recipes(
    draw: st.DrawFn,
    *,
    blame: str = "all",
    kinds: tuple[str, ...] = ("not_null", "matches", "between", "in_set", "length", "unique"),
    rows: bool = True,
    dataset: bool = True,
) -> Recipe:
    """A recipe of int and string columns whose every rule maps to the format under test.

    `kinds` may also name ``compare`` (``>``, ``>=``, ``==``: kept on its column), ``warn``
    (a column's last rule warns) and ``null_rate`` (a dataset rule).
    """
    names = draw(st.lists(NAMES, min_size=1, max_size=4, unique=True))
    types = {name: draw(st.sampled_from(["string", "int"])) for name in names}
    columns: dict[str, Any] = {}
    for name in names:
        kind = types[name]
        rules: list[Any] = []
        for rule in draw(st.lists(st.sampled_from(kinds), max_size=4, unique=True)):
            if rule == "not_null":
                rules.append("not_null")
            elif rule == "matches" and kind == "string":
                rules.append({"matches": draw(st.sampled_from(PATTERNS))})
            elif rule == "between" and kind == "int":
                low = draw(st.integers(-1000, 1000))
                rules.append({"between": {"min": low, "max": low + draw(st.integers(0, 50))}})
            elif rule == "in_set":
                members = (
                    st.integers(-5, 5)
                    if kind == "int"
                    else st.text("abcé ", min_size=1, max_size=4)
                )
                rules.append(
                    {"in_set": draw(st.lists(members, min_size=1, max_size=4, unique=True))}
                )
            elif rule == "length" and kind == "string":
                low = draw(st.integers(0, 5))
                rules.append({"length": {"min": low, "max": low + draw(st.integers(0, 5))}})
            elif rule == "unique":
                rules.append({"unique": {"blame": blame}})
            elif rule == "compare" and [n for n in names if n != name and types[n] == kind]:
                other = draw(st.sampled_from([n for n in names if n != name and types[n] == kind]))
                rules.append(
                    {"compare": {"op": draw(st.sampled_from([">", ">=", "=="])), "column": other}}
                )
        if "warn" in kinds and rules and draw(st.booleans()):  # the last rule only warns
            last = rules[-1]
            key, body = (last, {}) if isinstance(last, str) else next(iter(last.items()))
            body = (
                body
                if isinstance(body, dict)
                else {"values": body}
                if key == "in_set"
                else {"pattern": body}
            )
            rules[-1] = {key: {**body, "severity": "warn"}}
        columns[name] = {"type": kind, "rules": rules}
    data: dict[str, Any] = {"version": 1, "columns": columns}
    if rows and len(names) >= 2 and draw(st.booleans()):
        data["rows"] = [{"duplicate": {"columns": names[:2], "keep": "none"}}]
    if dataset and draw(st.booleans()):
        data["dataset"] = [{"row_count": {"min": draw(st.integers(0, 100))}}]
    if dataset and "null_rate" in kinds and draw(st.booleans()):
        share = draw(st.sampled_from([0.0, 0.05, 0.5]))
        data.setdefault("dataset", []).append({"null_rate": {"column": names[0], "max": share}})
    return Recipe.model_validate(data)


def _normal(rule: Any) -> Any:
    if isinstance(rule, Matches):
        return Matches(pattern=portable_pattern(rule.pattern), severity=rule.severity)
    return rule


def same_rules(before: Recipe, after: Recipe) -> None:
    """Every rule of `before` is in `after`, with the same id, meaning and column type."""
    old, new = compile_recipe(before), compile_recipe(after)
    assert {c.name: c.cast.type for c in old.columns} == {c.name: c.cast.type for c in new.columns}
    for column in old.columns:
        (twin,) = [c for c in new.columns if c.name == column.name]
        # the order of a column's rules is kept where the format keeps it (GX); a property
        # such as pandera's `nullable` has no place in the list of checks
        assert sorted((s.id, repr(_normal(s.rule))) for s in column.rules) == sorted(
            (s.id, repr(_normal(s.rule))) for s in twin.rules
        )
    assert [(s.id, s.rule) for s in old.rowset] == [(s.id, s.rule) for s in new.rowset]
    assert [(s.id, s.rule) for s in old.dataset] == [(s.id, s.rule) for s in new.dataset]
