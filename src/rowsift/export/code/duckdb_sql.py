"""A recipe as DuckDB SQL (`rowsift export --to duckdb-sql`): views of the clean rows and the
quarantine, usable as dbt models.

The views are written from the compiled plan: one column per transform chain, per typed value
and per rule (named after its rule id), in the order a run works. Identifiers, literals,
lenient casts and the "seen before" window are `rowsift.engines.sql`'s, the text rowsift's own
DuckDB engine runs; the rest spells in SQL what narwhals runs on DuckDB for each rule.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from rowsift._names import ROW
from rowsift.engine.parse import guard
from rowsift.engine.plan import ColumnPlan, Plan, RowSetStep
from rowsift.engines import sql
from rowsift.engines.protocol import ParseJob
from rowsift.exceptions import ExportError
from rowsift.export.code import program
from rowsift.export.code.duckdb_repairs import repair_sql
from rowsift.export.code.duckdb_text import FULL_LOWER, FULL_UPPER, name, text, value_literal
from rowsift.export.code.expression_tree import WRITTEN_FROM_EXPRESSIONS
from rowsift.export.code.outline import Outline, outline
from rowsift.export.code.python_text import comment
from rowsift.recipe.model import Recipe
from rowsift.rules import (
    Between,
    ColumnRule,
    Compare,
    DeterminedBy,
    Duplicate,
    InSet,
    Length,
    Matches,
    NotNull,
    Unique,
)
from rowsift.transforms import (
    CollapseSpaces,
    FillNull,
    Lower,
    Majority,
    Map,
    NullTokens,
    Replace,
    Strip,
    Transform,
    Upper,
)
from rowsift.transforms.text import _WHITESPACE_RUN, WHITESPACE

__all__ = ["EXPORTED", "LIBRARY", "DuckDBViews", "Parts", "duckdb_sql", "duckdb_views", "outline"]

LIBRARY = "duckdb"
INPUT_VIEW = "rowsift_input"
JUDGED_VIEW = "rowsift_judged"


def _text(column: str) -> str:
    return name(f"_rowsift_text:{column}")


def _value(column: str) -> str:
    return name(f"_rowsift_value:{column}")


def _flag(rule_id: str) -> str:
    return name(f"_rowsift_failed:{rule_id}")


def _transform(transform: Transform, value: str) -> str:
    if isinstance(transform, Strip):
        return f"trim({value}, {text(WHITESPACE)})"
    if isinstance(transform, Lower):
        return f"{FULL_LOWER}({value})"
    if isinstance(transform, Upper):
        return f"{FULL_UPPER}({value})"
    if isinstance(transform, CollapseSpaces):
        return f"regexp_replace({value}, {text(_WHITESPACE_RUN)}, ' ', 'g')"
    if isinstance(transform, NullTokens):
        tokens = ", ".join(text(token) for token in transform.tokens)
        return f"CASE WHEN NOT ({value} IN ({tokens})) THEN {value} END"
    if isinstance(transform, Map):
        cases = " ".join(f"WHEN {text(old)} THEN {text(new)}" for old, new in transform.mapping)
        return f"CASE {value} {cases} ELSE {value} END"
    if isinstance(transform, Replace):
        pattern = text(transform.pattern)
        return f"regexp_replace({value}, {pattern}, {text(transform.replacement)}, 'g')"
    if isinstance(transform, FillNull):
        return f"coalesce({value}, {text(transform.value)})"
    raise program.not_exported("duckdb-sql", "transform", transform)


def _typed(column: ColumnPlan) -> str:
    written, cast = _text(column.name), column.cast
    if cast.type == "string":
        return written
    shape = text(guard(cast) or "")
    candidate = f"CASE WHEN regexp_matches({written}, {shape}) THEN {written} END"
    job = ParseJob(
        source="__candidate__",
        target="",
        type=cast.type,
        format=cast.format,
        precision=cast.precision,
        scale=cast.scale,
    )
    return sql.parsed(job, "duckdb").replace(name("__candidate__"), f"({candidate})")


_SQL_OPS = {"==": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def _passes(rule: ColumnRule, value: str) -> str:
    if isinstance(rule, Matches):
        return f"regexp_matches({value}, {text(rule.pattern)})"
    if isinstance(rule, Between):
        parts = [f"NOT isnan({value})"] if rule.floating else []
        if rule.min is not None:
            parts.append(f"{value} {'>=' if rule.include_min else '>'} {value_literal(rule.min)}")
        if rule.max is not None:
            parts.append(f"{value} {'<=' if rule.include_max else '<'} {value_literal(rule.max)}")
        return " AND ".join(parts) or "true"
    if isinstance(rule, InSet):
        members = [m for m in rule.values if not (isinstance(m, float) and math.isnan(m))]
        found = (
            f"{value} IN ({', '.join(value_literal(m) for m in members)})" if members else "false"
        )
        return f"{found} OR isnan({value})" if len(members) < len(rule.values) else found
    if isinstance(rule, Length):
        parts = []
        if rule.min is not None:
            parts.append(f"length({value}) >= {rule.min}")
        if rule.max is not None:
            parts.append(f"length({value}) <= {rule.max}")
        return " AND ".join(parts) or "true"
    if isinstance(rule, Compare):
        other = _value(rule.column)
        outcome = f"{value} {_SQL_OPS[rule.op]} {other}"
        if rule.floating:
            either = f"isnan({value}) OR isnan({other})"
            outcome = f"CASE WHEN {either} THEN {str(rule.op == '!=').lower()} ELSE {outcome} END"
        return f"({outcome}) OR {other} IS NULL"
    raise program.not_exported("duckdb-sql", "rule", rule)


def _column_flag(column: ColumnPlan, rule: ColumnRule) -> str:
    if isinstance(rule, NotNull):
        return f"{_text(column.name)} IS NULL"
    value = _value(column.name)
    return f"{value} IS NOT NULL AND NOT coalesce({_passes(rule, value)}, true)"


def _partition(keys: list[str]) -> str:
    return "PARTITION BY " + ", ".join(keys)


def _present(keys: list[str], ignore_if_null: str) -> str:
    joiner = " AND " if ignore_if_null == "any" else " OR "
    return "(" + joiner.join(f"{key} IS NOT NULL" for key in keys) + ")"


def _rowset_flag(step: RowSetStep, number: int) -> str:
    keys = [_value(column) for column in step.columns]
    rule, row = step.rule, name(ROW)
    size = f"count({row}) OVER ({_partition(keys)})"
    if isinstance(rule, Unique):
        present = _present(keys, rule.ignore_if_null)
        if rule.blame == "all_but_first":
            value_names = [f"_rowsift_value:{column}" for column in step.columns]
            return f"{present} AND {sql.seen_before(value_names, 'duckdb')}"
        return f"{present} AND {size} > 1"
    if isinstance(rule, Duplicate):
        if rule.keep == "first":
            value_names = [f"_rowsift_value:{column}" for column in step.columns]
            return sql.seen_before(value_names, "duckdb")
        if rule.keep == "last":
            return f"{size} > 1 AND {row} <> max({row}) OVER ({_partition(keys)})"
        return f"{size} > 1"
    if isinstance(rule, DeterminedBy):
        determinants = _partition(keys[:-1])
        pair, support = _pair_names(number)
        return (
            f"{_present(keys, 'any')} AND {support} >= {rule.min_support} "
            f"AND {pair} < max({pair}) OVER ({determinants})"
        )
    raise program.not_exported("duckdb-sql", "rule", rule)


def _pair_names(number: int) -> tuple[str, str]:
    return name(f"_rowsift_pair:{number}"), name(f"_rowsift_support:{number}")


def _group_counts(steps: tuple[RowSetStep, ...]) -> tuple[list[str], list[str]]:
    """What a functional dependency counts before it can compare counts (windows don't nest),
    and the names of those counts."""
    counted, names = [], []
    for number, step in enumerate(steps):
        if isinstance(step.rule, DeterminedBy):
            keys = [_value(column) for column in step.columns]
            pair, support = _pair_names(number)
            counted.append(f"count({keys[-1]}) OVER ({_partition(keys)}) AS {pair}")
            counted.append(f"count({keys[-1]}) OVER ({_partition(keys[:-1])}) AS {support}")
            names += [pair, support]
    return counted, names


EXPORTED = (*program.EXPORTED, Majority)
"""Every rule and transform kind this target writes."""


@dataclass(frozen=True, kw_only=True)
class DuckDBViews:
    """The SQL, statement by statement: the input view, then the views that judge it."""

    opening: str
    macros: str
    input_view: str
    views: tuple[str, ...]

    def text(self) -> str:
        """The whole script; with a note above the first view when the recipe's names or values
        hold what Jinja (dbt's templates) would read as its own."""
        body = [self.macros, self.input_view, *self.views]
        marked = [JINJA_NOTE] if any(JINJA_MARKS.search(part) for part in body) else []
        if any(_unprintable(part) for part in body):
            marked.append(UNPRINTABLE_NOTE)
        return "\n\n".join([self.opening, *marked, *body]) + "\n"


def _unprintable(text: str) -> bool:
    """Whether the text holds a character that is not printable, other than a line break or a
    tab (values spell theirs as ``chr(N)``: only names can hold one)."""
    return not text.isprintable() and any(
        not char.isprintable() and char not in "\n\t" for char in text
    )


JINJA_MARKS = re.compile(r"\{[{%#]")
JINJA_NOTE = (
    "-- Names or values of this recipe hold Jinja marks (a brace followed by a brace, a percent\n"
    "-- sign or a hash): to use these views as dbt models, wrap each model's SQL in Jinja's raw\n"
    "-- block, or dbt would run them as its own template code."
)
"""Said in a script whose data holds what dbt's Jinja would run (the SQL itself is DuckDB's)."""

UNPRINTABLE_NOTE = (
    "-- Column names of this recipe hold characters that are not printable (a terminal escape,\n"
    "-- a bidi control): DuckDB has no escape for a name, so they are written as they are below.\n"
    "-- Read this file with `cat -v`, or an editor that shows them."
)
"""Said in a script whose names hold characters a terminal or an editor may act on."""


def duckdb_sql(recipe: Recipe) -> str:
    """The recipe as DuckDB SQL: views ``clean`` and ``quarantine`` over ``rowsift_input``.

    >>> from rowsift.recipe import load_recipe_text
    >>> text = duckdb_sql(load_recipe_text("version: 1\\ncolumns: {id: {rules: [not_null]}}"))
    >>> print(text[text.index("-- id.not_null"):].splitlines()[1].strip())
    "_rowsift_text:id" IS NULL AS "_rowsift_failed:id.not_null"
    """
    return duckdb_views(recipe).text()


def duckdb_views(recipe: Recipe) -> DuckDBViews:
    """The recipe's SQL in its statements."""
    from rowsift.export.code.duckdb_layout import layout

    _one_column_per_name(recipe)
    plan_outline = outline(recipe)
    return layout(plan_outline, _parts(plan_outline))


def _one_column_per_name(recipe: Recipe) -> None:
    """Refuse declared columns whose names differ only in case: DuckDB holds one column per
    name whatever its case (rowsift's readers name the second of a file's ``LP4,lp4``
    ``lp4_2``; a table handed over in memory keeps both names)."""
    seen: dict[str, str] = {}
    for column in recipe.columns:
        other = seen.setdefault(column.casefold(), column)
        if other != column:
            raise ExportError(
                f"DuckDB SQL cannot hold the columns {other!r} and {column!r}: their names "
                "differ only in case",
                hint="rename one of them in the recipe and in the table",
            )


@dataclass(frozen=True, kw_only=True)
class Parts:
    """Each step's SQL expressions, with the comments that go above them."""

    texts: list[list[tuple[list[str], str]]]
    """The transformed columns, stage by stage (a stage reads the columns of the one before)."""
    values: list[str]
    counts: list[str]
    flags: list[tuple[list[str], str]]
    errors: list[str]
    working: list[str]
    """Every column (quoted) the judged view adds to the input's."""
    grouped: list[list[tuple[list[str], str]]] = field(default_factory=list)
    """The counts of the `majority` repairs, stage by stage, after the transformed stages."""
    replaced: list[tuple[list[str], str]] = field(default_factory=list)
    """The texts the `majority` repairs replace (``expression AS name``), after their counts."""


class _Stages:
    """The transformed stage's columns, in successive stages: a column held in one stage (a
    repair's part read more than once) is read from the next."""

    def __init__(self) -> None:
        self.items: list[list[tuple[list[str], str]]] = [[]]
        self.held: list[str] = []
        """Every held column (quoted), to be left out of the outputs."""

    def add(self, depth: int, notes: list[str], item: str) -> None:
        while len(self.items) <= depth:
            self.items.append([])
        self.items[depth].append((notes, item))

    def hold(self, depth: int, notes: list[str], expression: str, column: str) -> str:
        """`expression` as a column of stage `depth`; returns the column's name (unquoted)."""
        held = f"_rowsift_step{len(self.held)}:{column}"
        self.add(depth, notes, f"{expression} AS {name(held)}")
        self.held.append(name(held))
        return held


class _Chain:
    """One column's transforms, written into the stages."""

    def __init__(self, stages: _Stages, column: str, notes: list[str]) -> None:
        self.stages, self.column, self.notes = stages, column, notes
        self.depth = 0

    def hold(self, expression: str) -> str:
        """`expression` in a column of the current stage, read from the next one (a column
        named earlier in the same SELECT would be DuckDB's shorthand for its whole expression,
        computed again, and bound again, wherever it is read)."""
        notes, self.notes = self.notes, []
        held = self.stages.hold(self.depth, notes, expression, self.column)
        self.depth += 1
        return held

    def repaired(self, transform: Transform, expression: str, computed: bool) -> str:
        """A repair written from its own expression (`duckdb_repairs`)."""
        source = self.hold(expression) if computed else self.column
        return repair_sql(transform, source, self.hold)

    def finish(self, expression: str) -> None:
        notes, self.notes = self.notes, []
        self.stages.add(self.depth, notes, f"{expression} AS {_text(self.column)}")


def _parts(plan_outline: Outline) -> Parts:
    plan = plan_outline.plan
    values, flags = [], []
    tokens = plan_outline.reading.null_tokens
    stages = _Stages()
    for column in plan.columns:
        about = ", ".join(t.name for t in column.transforms) or "no transforms"
        notes = comment(f"{column.name}: {about}", prefix="-- ")
        for note in plan_outline.column_notes.get(column.name, []):
            notes += comment(note, prefix="-- ")
        chain = _Chain(stages, column.name, notes)
        expression, computed = name(column.name), False
        first: list[Transform] = [NullTokens(tokens)] if tokens else []
        for transform in [*first, *column.transforms]:
            if isinstance(transform, Majority):
                continue  # after every column's transforms: `_majorities`
            if isinstance(transform, WRITTEN_FROM_EXPRESSIONS):
                expression, computed = chain.repaired(transform, expression, computed), True
                continue
            if computed and isinstance(transform, NullTokens | Map):
                # it reads its input more than once: the input gets a column of its own
                expression = name(chain.hold(expression))
            expression, computed = _transform(transform, expression), True
        chain.finish(expression)
        values.append(f"{_typed(column)} AS {_value(column.name)}")
    rule_ids: list[tuple[str, str]] = []
    for column in plan.columns:
        if column.cast.type != "string":
            says = f"a value that does not parse as {column.cast.type} fails"
            flag = f"{_text(column.name)} IS NOT NULL AND {_value(column.name)} IS NULL"
            flags.append((comment(f"{column.type_rule_id}: {says}", prefix="-- "), flag))
            rule_ids.append((column.type_rule_id, "error"))
        for step in column.rules:
            notes = comment(f"{step.id}: {program.rule_says(step.rule)}", prefix="-- ")
            for note in plan_outline.rule_notes.get(step.id, []):
                notes += comment(note, prefix="-- ")
            flags.append((notes, _column_flag(column, step.rule)))
            rule_ids.append((step.id, step.rule.severity))
    for number, rowset in enumerate(plan.rowset):
        notes = comment(f"{rowset.id}: {program.rule_says(rowset.rule)}", prefix="-- ")
        for note in plan_outline.rule_notes.get(rowset.id, []):
            notes += comment(note, prefix="-- ")
        flags.append((notes, f"coalesce({_rowset_flag(rowset, number)}, false)"))
        rule_ids.append((rowset.id, rowset.rule.severity))
    named_flags = [
        (notes, f"{flag} AS {_flag(rule_id)}")
        for (notes, flag), (rule_id, _) in zip(flags, rule_ids, strict=True)
    ]
    counts, counted = _group_counts(plan.rowset)
    grouped, replaced, majority_counts = _majorities(plan)
    working = [*stages.held, *majority_counts, *(_text(column.name) for column in plan.columns)]
    working += [_value(column.name) for column in plan.columns]
    working += counted + [_flag(rule_id) for rule_id, _ in rule_ids]
    return Parts(
        texts=stages.items,
        values=values,
        counts=counts,
        flags=named_flags,
        errors=[rule_id for rule_id, severity in rule_ids if severity == "error"],
        working=working,
        grouped=grouped,
        replaced=replaced,
    )


def _majorities(
    plan: Plan,
) -> tuple[list[list[tuple[list[str], str]]], list[tuple[list[str], str]], list[str]]:
    """The `majority` repairs: their counts in three stages (windows don't nest), the texts
    they replace, and the names of the counts. Each reads the texts before any majority."""
    stages: list[list[tuple[list[str], str]]] = [[], [], []]
    replaced: list[tuple[list[str], str]] = []
    names: list[str] = []
    for column, transform in program.majority_steps(plan, "duckdb-sql"):
        text = _text(column.name)
        keys = [_text(key) for key in transform.by]

        def count(part: str, column_name: str = column.name) -> str:
            return name(f"_rowsift_group:{part}:{column_name}")

        pair, top, votes, at_top, winner = (
            count(part) for part in ("pair", "top", "votes", "at_top", "winner")
        )
        names += [pair, top, votes, at_top, winner]
        by = _partition(keys)
        note = comment(
            f"{column.name}: majority by {', '.join(transform.by)}: the group's counts",
            prefix="-- ",
        )
        stages[0].append((note, f"count({text}) OVER ({_partition([*keys, text])}) AS {pair}"))
        stages[1] += [
            ([], f"max({pair}) OVER ({by}) AS {top}"),
            ([], f"count({text}) OVER ({by}) AS {votes}"),
        ]
        candidate = f"CASE WHEN {pair} = {top} THEN {text} END"
        stages[2] += [
            ([], f"count({candidate}) OVER ({by}) AS {at_top}"),
            ([], f"max({candidate}) OVER ({by}) AS {winner}"),
        ]
        numerator, denominator = transform.share_fraction()
        judged = keys if transform.fill_nulls else [text, *keys]
        present = " AND ".join(f"{part} IS NOT NULL" for part in judged)
        dominant = (
            f"{votes} >= {transform.min_rows} AND {at_top} = {top} "
            f"AND {top} * {denominator} >= {votes} * {numerator}"
        )
        says = comment(
            f"{column.name}: its group's most frequent text, where one alone has the top count, "
            f"holds {numerator}/{denominator} of the group's present texts and the group has "
            f"{transform.min_rows}"
            + ("; a null text takes it too" if transform.fill_nulls else ""),
            prefix="-- ",
        )
        replaced.append(
            (says, f"CASE WHEN {present} AND {dominant} THEN {winner} ELSE {text} END AS {text}")
        )
    return (stages if replaced else []), replaced, names
