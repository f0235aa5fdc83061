"""The row rules (`unique`, `duplicate`, `determined_by`) as one function for every Python
program: the targets differ only in how they spell a count or a maximum over a group of
rows, and "an earlier row has the same keys"."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rowsift.engine.plan import RowSetStep
from rowsift.export.code import program
from rowsift.export.code.python_text import listed, literal
from rowsift.rules import DeterminedBy, Duplicate, Unique


@dataclass(frozen=True)
class GroupSpelling:
    """How one target spells the parts of a row rule."""

    target: str
    """The target's name, for the error on a rule it cannot write."""
    key: Callable[[str], str]
    """A key column's value, from the column's name as a literal."""
    row: str
    """The row number column."""
    count_over: Callable[[str, str], str]
    """`(what, keys)`: how many rows of the row's group (equal `keys`) have a `what`."""
    max_over: Callable[[str, str], str]
    """`(what, keys)`: the largest `what` in the row's group."""
    seen_before: Callable[[RowSetStep], str]
    """True where an earlier row has the same keys."""
    seen_before_reads_keys: bool
    """Whether `seen_before` reads the `keys` variable (or names the columns itself)."""
    helpers: tuple[str, ...]
    """The program's helper functions a row rule may call: a body that calls one needs it."""
    dependency_counts: Callable[[RowSetStep], list[str]] | None = None
    """Lines that name `pair`, `support` and `determinants` in a target that cannot count
    a count over a group in one expression (Spark does not nest windows); None writes them
    with `count_over`."""


def rowset_rule(step: RowSetStep, spelling: GroupSpelling, helpers: set[str]) -> list[str]:
    """The body of one row rule's function: a true value blames the row.

    A rule whose body does not read the keys (only "seen before", where the target spells it
    from the columns' names) gets no `keys` variable."""
    keys = listed([spelling.key(literal(name)) for name in step.columns], indent="    ")
    body = _body(step, spelling)
    text = "\n".join(body)
    helpers |= {name for name in spelling.helpers if re.search(rf"\b{name}\(", text)}
    rule = step.rule
    only_seen_before = isinstance(rule, Duplicate) and rule.keep == "first"
    reads_keys = spelling.seen_before_reads_keys or not only_seen_before
    return [f"keys = {keys}", *body] if reads_keys else body


def _body(step: RowSetStep, spelling: GroupSpelling) -> list[str]:
    rule = step.rule
    crowded = f"{spelling.count_over(spelling.row, 'keys')} > 1"
    if isinstance(rule, Unique):
        present = f"present(keys, {literal(rule.ignore_if_null)})"
        if rule.blame == "all_but_first":
            return [f"return {present} & {spelling.seen_before(step)}"]
        return [f"return {present} & ({crowded})"]
    if isinstance(rule, Duplicate):
        if rule.keep == "first":
            return [f"return {spelling.seen_before(step)}"]
        if rule.keep == "last":
            last = f"{spelling.row} != {spelling.max_over(spelling.row, 'keys')}"
            return [f"return ({crowded}) & ({last})"]
        return [f"return {crowded}"]
    if isinstance(rule, DeterminedBy):
        counts = spelling.dependency_counts or _dependency_counts(spelling)
        majority = spelling.max_over("pair", "determinants")
        return [
            *counts(step),
            f"majority = {majority}  # the most frequent value's count",
            f'return present(keys, "any") & (support >= {rule.min_support}) & (pair < majority)',
        ]
    raise program.not_exported(spelling.target, "rule", rule)


def _dependency_counts(spelling: GroupSpelling) -> Callable[[RowSetStep], list[str]]:
    def counts(step: RowSetStep) -> list[str]:
        pair = spelling.count_over("dependent", "keys")
        support = spelling.count_over("dependent", "determinants")
        return [
            "determinants, dependent = keys[:-1], keys[-1]",
            f"pair = {pair}  # rows with this determinant and value",
            f"support = {support}  # rows with a value at all",
        ]

    return counts
