"""Execute a plan over a lazy frame: transforms, casts, every rule, then the split, in one pass.

Quarantine reasons travel as one text of rule ids joined by `REASON_SEPARATOR`; the I/O edge turns
them into a list column in the frame library's own way.

The working frame carries, for declared column i, its transformed text ``__rs_t{i}`` and its
typed value ``__rs_v{i}``, what row-set rule k needs (``__rs_s{k}``, seen before, and its group
stats ``__rs_g{k}_*``), and one boolean failure flag ``__rs_f{k}`` per rule. Clean output,
quarantine and totals are three lazy frames over it, evaluated together so the input is
scanned once (in memory by `execute`, or streamed into files by the I/O layer).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, Literal

import narwhals.stable.v2 as nw

from rowsift._names import (
    FIELDS,
    JOINED_RULE_ID,
    PARSE,
    PARSE_RULE_ID,
    RAW,
    REASON_SEPARATOR,
    REPAIRED,
    internal_aliases,
    read_name,
)
from rowsift.engine.majority import MajorityStep, with_majorities
from rowsift.engine.parse import guard
from rowsift.engine.plan import LINE, REASONS, ROW, CastSpec, ColumnPlan, Plan
from rowsift.engine.repairs import RepairFlag, changed, repair_counts, repair_keys
from rowsift.engines import Engine, engine_for
from rowsift.engines.protocol import KeyMemory, ParseJob, RowwiseChange, SeenBeforeJob, TextJob
from rowsift.exceptions import InputError, InvariantViolation, UsageError
from rowsift.rules import NotNull, RunStats, Severity
from rowsift.rules.rowset import GroupStat
from rowsift.transforms import (
    Lower,
    Majority,
    Map,
    NormalizeDatetime,
    NormalizeNumber,
    NullTokens,
    Strip,
    Transform,
    Upper,
)

QUARANTINED = "__rs_quarantined"


def _t(index: int) -> str:
    return f"__rs_t{index}"


def _v(index: int) -> str:
    return f"__rs_v{index}"


def _f(index: int) -> str:
    return f"__rs_f{index}"


def _s(index: int) -> str:
    return f"__rs_s{index}"


def _r(index: int, step: int) -> str:
    """The change flag of transform `step` of declared column `index`."""
    return f"__rs_r{index}_{step}"


def _g(index: int) -> str:
    """The prefix of the group stats of row-set rule `index`."""
    return f"__rs_g{index}_"


@dataclass(frozen=True, kw_only=True)
class Flag:
    """One rule's failure flag in the working frame."""

    id: str
    severity: Severity
    column: str


@dataclass(frozen=True, kw_only=True)
class Evaluation:
    """What a run produced: both outputs (eager, or lazy on query engines) and per-rule counts."""

    clean: nw.DataFrame[Any] | nw.LazyFrame[Any]
    quarantine: nw.DataFrame[Any] | nw.LazyFrame[Any]
    stats: RunStats
    failures: dict[str, int]
    flags: tuple[Flag, ...]
    repairs: dict[str, dict[str, int]]


def _typed_dtype(cast: CastSpec) -> Any:
    return {
        "string": nw.String(),
        "int": nw.Int64(),
        "float": nw.Float64(),
        "bool": nw.Boolean(),
        "date": nw.Date(),
        "datetime": nw.Datetime("us"),
        "decimal": nw.Decimal(cast.precision, cast.scale),
    }[cast.type]


def _already_typed(dtype: Any, cast: CastSpec) -> bool:
    """True when a typed source column already holds the column's type (no text round trip)."""
    checks = {
        "string": lambda: dtype == nw.String,
        "int": dtype.is_integer,
        "float": lambda: dtype.is_float() or dtype.is_integer(),
        "bool": lambda: dtype == nw.Boolean,
        "date": lambda: dtype == nw.Date,
        "datetime": lambda: dtype == nw.Datetime,
        "decimal": lambda: dtype == nw.Decimal or dtype.is_integer(),
    }
    return bool(checks[cast.type]())


def check_columns(plan: Plan, names: list[str]) -> None:
    """Every required declared column is present; else an input error naming all that are not."""
    present = set(names)
    missing = [c.name for c in plan.columns if c.required and c.name not in present]
    if not missing:
        return
    data_names = [name for name in names if not name.startswith("_rowsift_")]
    delimiter = _other_delimiter(missing, data_names)
    if delimiter is not None:
        raise InputError(
            f"the input has one column, {data_names[0]!r}, which looks like a header split by "
            f"{delimiter!r}",
            hint=f"set source.delimiter: {delimiter!r} in the recipe, or source.detect: true",
        )
    folded = {name.casefold(): name for name in names}
    hints = []
    for name in missing[:NAMES_SHOWN]:
        close = difflib.get_close_matches(name.casefold(), list(folded), n=1)
        found = f"did you mean {_named(folded[close[0]])}?" if close else "not found"
        hints.append(f"{_named(name)}: {found}")
    raise InputError(
        f"the input lacks required column(s) {_listed(missing)}; "
        + (f"it has {_listed(data_names)}" if data_names else "it has none"),
        hint="; ".join(hints) + " (or mark the column 'required: false' in the recipe)",
    )


NAMES_SHOWN = 20
"""The most column names an error lists (a table may have thousands)."""


def _named(name: str, limit: int = 60) -> str:
    """A column name as an error shows it: quoted, a long one cut (with its length said)."""
    return repr(name) if len(name) <= limit else f"{name[:limit]!r}… ({len(name):,} chars)"


def _listed(names: list[str]) -> str:
    """The names, at most `NAMES_SHOWN` of them (and how many more).

    >>> _listed(["a", "b" * 70])
    "'a', 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'… (70 chars)"
    """
    shown = ", ".join(_named(name) for name in names[:NAMES_SHOWN])
    more = len(names) - NAMES_SHOWN
    return shown + (f" and {more:,} more" if more > 0 else "")


def _other_delimiter(missing: list[str], names: list[str]) -> str | None:
    """The delimiter that splits the input's only column name into missing columns, if any."""
    if len(names) != 1:
        return None
    for delimiter in (";", "\t", "|", ",", ":"):
        if set(missing) & set(names[0].split(delimiter)) and delimiter in names[0]:
            return delimiter
    return None


@dataclass(frozen=True, kw_only=True)
class _TextStages:
    """What `_text_stages` builds."""

    stages: list[list[nw.Expr]]
    """The columns added in each stage: transformed values, held parts, change flags."""
    native: list[list[TextJob]]
    """The jobs of the engine's `text_steps` to run after each stage."""
    textual: list[bool]
    """For each declared column, whether its value is text to be parsed."""
    repairs: list[RepairFlag]
    """The change flag of every transform of a column's chain (the repair counts)."""
    majorities: list[MajorityStep]
    """The `majority` repairs, which come after every stage (`rowsift.engine.majority`)."""
    held: list[str]
    """The held parts' columns: read by the next stage only, dropped after the last."""


def _text_stages(
    plan: Plan, schema: Any, engine: Engine, aliases: dict[str, str], zone: str | None = None
) -> _TextStages:
    """Transformed values in stages, and what else a plan's transforms need (`_TextStages`).

    The values come in stages, to be added one after the other. A transform whose expression
    reads its input more than once (null tokens, `map`, and case mapping where the engine's own
    is not Unicode's full mapping) reads it from a column of the stage before, and each
    transform's input and output are held in stage columns, which its change flag compares:
    an engine would otherwise compute the input, with every transform before, each time it is
    read. Polars too: its common-subexpression pass does not find the parts the change flags
    repeat (the one pass of a 1M-row orders run: 4.2 CPU s, 1.8 once they are held). The repairs
    that read parts of their work many times (`normalize_number`, `normalize_datetime`) hold
    those parts in stage columns as well (a million values on Polars: 38 CPU s unheld, 2.9 held).
    `zone` is the engine's `Engine.datetime_text_zone` of the frame.
    """
    tokens = NullTokens(tuple(plan.source.null_tokens)) if plan.source.null_tokens else None
    full_case = engine.full_case_mapping
    stages: list[list[nw.Expr]] = [[]]
    native: list[list[TextJob]] = [[]]
    textual: list[bool] = []
    repairs: list[RepairFlag] = []
    majorities: list[MajorityStep] = []
    held: list[str] = []
    depth = 0  # the stage a column's next held part goes to

    def keep(part: nw.Expr, prefix: str, then: NullTokens | Lower | Upper | None = None) -> nw.Expr:
        """`part` held in a column of the current stage, read from the next one; with `then`,
        that transform of it, by the engine's `text_steps` after the stage, is read instead."""
        nonlocal depth
        name = f"{prefix}_{depth}"
        stages[depth].append(part.alias(name))
        held.append(name)
        if then is not None:
            native[depth].append(_text_job(then, name))
            name = native[depth][-1].target
        depth += 1
        if depth == len(stages):
            stages.append([])
            native.append([])
        return nw.col(name)

    for index, column in enumerate(plan.columns):
        value, is_text, computed = _source_value(column, schema, aliases, zone)
        steps = [tokens] if is_text and tokens is not None else []
        depth = 0
        flags: list[nw.Expr] = []
        keys = repair_keys([transform.name for transform in column.transforms])
        for number, transform in enumerate([*steps, *column.transforms]):
            counted = number >= len(steps)
            if isinstance(transform, Majority):
                # the last of its chain: it replaces the column's text once groups are counted
                step = number - len(steps)
                majorities.append(_majority_step(plan, index, step, transform))
                repairs.append(RepairFlag(column=column.name, key=keys[step], flag=_r(index, step)))
                continue
            if counted and computed:
                value, computed = keep(value, _t(index)), False
            before = value
            expanding = isinstance(transform, Lower | Upper) and not full_case
            rereads = expanding or isinstance(transform, NullTokens | Map)
            if rereads and computed:
                value = keep(value, _t(index))
            value = _applied(transform, value, engine, partial(keep, prefix=_t(index)))
            computed = True
            if counted:
                value, computed = keep(value, _t(index)), False
                step = number - len(steps)
                flags.append(changed(before, value).alias(_r(index, step)))
                repairs.append(RepairFlag(column=column.name, key=keys[step], flag=_r(index, step)))
        stages[depth].extend([value.alias(_t(index)), *flags])
        textual.append(is_text)
    return _TextStages(
        stages=stages,
        native=native,
        textual=textual,
        repairs=repairs,
        majorities=majorities,
        held=[*held, *(job.target for jobs in native for job in jobs)],
    )


def _applied(
    transform: Transform, value: nw.Expr, engine: Engine, keep: Callable[..., nw.Expr]
) -> nw.Expr:
    """`transform` applied to `value` as `engine` runs it; `keep` holds a part in a column
    (a `majority` repair is no such step: it comes after every stage)."""
    assert not isinstance(transform, Majority)
    if isinstance(transform, Lower | Upper) and not engine.full_case_mapping:
        # Unicode's full case mapping: the engine's text step, or built from its own mapping
        return keep(value, then=transform) if engine.text_steps else transform.apply_full(value)
    if isinstance(transform, NullTokens) and engine.text_steps:
        return keep(value, then=transform)
    if isinstance(transform, Strip) and engine.guarded_strip:
        return transform.apply_guarded(value)
    if isinstance(transform, NormalizeNumber | NormalizeDatetime):
        # a repair reads parts of its work many times: each is held in a column
        return transform.staged(value, keep=keep)
    return transform.apply(value)


def _text_job(transform: NullTokens | Lower | Upper, source: str) -> TextJob:
    if isinstance(transform, NullTokens):
        return TextJob(
            source=source, target=f"{source}n", how="null_tokens", tokens=transform.tokens
        )
    how: Literal["lower", "upper"] = "lower" if isinstance(transform, Lower) else "upper"
    return TextJob(source=source, target=f"{source}c", how=how)


def _majority_step(plan: Plan, index: int, step: int, transform: Majority) -> MajorityStep:
    position = {column.name: number for number, column in enumerate(plan.columns)}
    return MajorityStep(
        transform=transform,
        text=_t(index),
        keys=tuple(_t(position[name]) for name in transform.by),
        prefix=f"__rs_m{index}_",
        flag=_r(index, step),
    )


def _source_value(
    column: ColumnPlan, schema: Any, aliases: dict[str, str], zone: str | None = None
) -> tuple[nw.Expr, bool, bool]:
    """A declared column's value as read: the expression, whether it is text, and whether it is
    computed (not the input column itself). A naive datetime written as text is first cast to
    `zone` where the engine gives one (`Engine.datetime_text_zone`)."""
    source = aliases.get(column.name, column.name)
    if source in schema:
        dtype = schema[source]
        value = nw.col(source)
    else:
        # an absent optional column: nulls of the frame's own text type (a typed literal
        # None would be a plain object column on pandas)
        dtype = nw.String()
        value = nw.when(nw.col(ROW) < 0).then(nw.col(ROW).cast(nw.String()))
    is_text = dtype == nw.String
    computed = source not in schema
    iso = _iso_text(column, schema, aliases)
    if iso is not None:
        if zone is not None and isinstance(dtype, nw.Datetime) and dtype.time_zone is None:
            value = value.cast(nw.Datetime("us", zone))
        text = value.dt.to_string(iso)
        # Polars writes `%f` as nanoseconds: cut to the microseconds the others write
        value = text.str.slice(0, 26) if iso == ISO_DATETIME else text
        is_text, computed = True, True
    elif not is_text and (column.transforms or not _already_typed(dtype, column.cast)):
        value, is_text, computed = value.cast(nw.String()), True, True
    return value, is_text, computed


ISO_DATETIME = "%Y-%m-%dT%H:%M:%S.%f"
ISO_DATE = "%Y-%m-%d"


def _iso_text(column: ColumnPlan, schema: Any, aliases: dict[str, str]) -> str | None:
    """The text form of a date or datetime input column that a transform rewrites, when the
    column is declared as the type it holds: ISO (``2024-01-01T05:00:00.123456``) on every
    engine, read back in that form whatever the column's `format` (which is for text inputs)."""
    source = aliases.get(column.name, column.name)
    if not column.transforms or source not in schema:
        return None
    dtype = schema[source]
    if column.cast.type == "datetime" and dtype == nw.Datetime:
        return ISO_DATETIME
    if column.cast.type == "date" and dtype == nw.Date:
        return ISO_DATE
    return None


def _exact_type(column: ColumnPlan, schema: Any, aliases: dict[str, str]) -> bool:
    """True when the column is its source column untouched, already of the typed value's dtype.

    Its cast is then left out: a no-op, except on Dask, whose casts go to NumPy types, which
    cannot hold a null (an integer column with a null stopped the run) and take NaN for one.
    """
    source = aliases.get(column.name, column.name)
    if column.transforms or source not in schema:
        return False
    return bool(schema[source] == _typed_dtype(column.cast))


def _typed_stage(
    plan: Plan, textual: list[bool], schema: Any, aliases: dict[str, str], engine: Engine
) -> tuple[list[nw.Expr], list[ParseJob]]:
    exprs: list[nw.Expr] = []
    jobs: list[ParseJob] = []
    for index, column in enumerate(plan.columns):
        text = nw.col(_t(index))
        iso = _iso_text(column, schema, aliases)
        cast = column.cast if iso is None else replace(column.cast, format=iso)
        if _exact_type(column, schema, aliases):
            exprs.append(text.alias(_v(index)))
        elif not textual[index]:
            exprs.append(text.cast(_typed_dtype(cast)).alias(_v(index)))
        elif cast.type == "string":
            exprs.append(text.alias(_v(index)))
        else:
            pattern = None if cast.type in engine.exact_casts else guard(cast)
            candidate = nw.when(text.str.contains(pattern)).then(text) if pattern else text
            exprs.append(candidate.alias(_v(index)))
            jobs.append(
                ParseJob(
                    source=_v(index),
                    target=_v(index),
                    type=cast.type,
                    format=cast.format,
                    precision=cast.precision,
                    scale=cast.scale,
                )
            )
    return exprs, jobs


def _rule_stage(
    plan: Plan, textual: list[bool], *, parsed_by_reader: bool, joined_by_reader: bool = False
) -> tuple[list[nw.Expr], list[Flag]]:
    """One failure flag per rule; a record the reader could not parse fails `row.parse` only,
    one it read back to the header's width fails the warn-severity `row.joined` (and any other)."""
    position = {column.name: index for index, column in enumerate(plan.columns)}
    parsed_ok = nw.col(PARSE).is_null() if parsed_by_reader else None

    def resolve(name: str) -> nw.Expr:
        return nw.col(_v(position[name]))

    exprs: list[nw.Expr] = []
    flags: list[Flag] = []

    def add(expr: nw.Expr, rule_id: str, severity: Severity, column: str) -> None:
        judged = expr if parsed_ok is None else expr & parsed_ok
        exprs.append(judged.alias(_f(len(flags))))
        flags.append(Flag(id=rule_id, severity=severity, column=column))

    if parsed_by_reader:
        exprs.append((~nw.col(PARSE).is_null()).alias(_f(0)))
        flags.append(Flag(id=PARSE_RULE_ID, severity="error", column="row"))
    if joined_by_reader:
        # kept with its extra fields joined into one column: raw text, no parse failure
        add(~nw.col(RAW).is_null(), JOINED_RULE_ID, "warn", "row")

    for index, column in enumerate(plan.columns):
        text, value = nw.col(_t(index)), nw.col(_v(index))
        if textual[index] and column.cast.type != "string":
            add(~text.is_null() & value.is_null(), column.type_rule_id, "error", column.name)
        for step in column.rules:
            if isinstance(step.rule, NotNull):
                failed = text.is_null()
            else:
                # the null policy, applied here and nowhere else: a null value passes
                passed = step.rule.passes(value, resolve).fill_null(value=True)
                failed = ~value.is_null() & ~passed
            add(failed, step.id, step.rule.severity, column.name)
    for number, rowset in enumerate(plan.rowset):
        names = [_v(position[name]) for name in rowset.columns]
        blamed = rowset.rule.blamed(names, _s(number), _g(number)).fill_null(value=False)
        add(
            blamed,
            rowset.id,
            rowset.rule.severity,
            rowset.columns[-1] if len(rowset.columns) == 1 else "row",
        )
    return exprs, flags


def _lazy(frame: Any) -> nw.LazyFrame[Any]:
    return frame.lazy() if isinstance(frame, nw.DataFrame) else frame


@dataclass(frozen=True, kw_only=True)
class Outputs:
    """A plan applied to a frame, still lazy: evaluate the three frames together, in one pass.

    `totals` has one row: ``rows_in``, ``rows_quarantined``, one count per flag (named by
    position, see `conclude`) and the null counts that dataset rules need.
    """

    clean: nw.LazyFrame[Any]
    quarantine: nw.LazyFrame[Any]
    totals: nw.LazyFrame[Any]
    flags: tuple[Flag, ...]
    plan: Plan
    repairs: tuple[RepairFlag, ...] = ()


def build(
    plan: Plan,
    frame: nw.LazyFrame[Any],
    *,
    hold: ExitStack | None = None,
    keep: bool = False,
    key_memory: KeyMemory = "hashed",
    audit: bool = False,
) -> Outputs:
    """Apply every transform and rule lazily; no data is read but the schema.

    `frame` must carry ``_rowsift_row``; ``_rowsift_line`` is kept when present. With `hold`,
    the judged rows are computed once and held by the engine until `hold` closes (see
    `_held`): the outputs and totals then read them instead of each running every step
    again, which a query engine would otherwise do once per result read. With `keep`, an
    engine where that costs most (Spark) keeps them for as long as the outputs live.
    `key_memory` tells the row-set rules what the input's size allows (`SeenBeforeJob.memory`:
    its key hashes spilled to disk, or its keys held). With `audit`, the clean output also tells
    which columns a transform changed on each row and their values as read (`_audit`).
    """
    schema = frame.collect_schema()
    names = schema.names()
    check_columns(plan, names)
    if audit:
        _check_audit_names(plan, names)
    columns = _Columns.of(names)
    if columns.aliases:
        # the one place input names meet expressions: a name Polars reads as a pattern is
        # renamed to one of rowsift's own here, and `_split` names the outputs' columns back
        frame = frame.rename(columns.aliases)
        schema = frame.collect_schema()
    working, flags, repairs = _judged(plan, frame, schema, columns, key_memory=key_memory)
    if hold is not None:
        working = _held(working.select(*_read_by_outputs(plan, columns, flags, repairs)), hold)
    elif keep:
        read = working.select(*_read_by_outputs(plan, columns, flags, repairs))
        working = _lazy(nw.from_native(engine_for(read).steps.kept(read.to_native())))
    return _split(plan, working, columns, flags, repairs, audit=audit)


def _held(frame: nw.LazyFrame[Any], stack: ExitStack) -> nw.LazyFrame[Any]:
    """`frame`, computed once and held by its engine until `stack` closes.

    A query engine runs a lazy frame again for every result read from it; reading the held
    rows instead costs a scan of them. Each engine's `held` says how (and when) it holds
    them: DuckDB at once, Spark on the first read, Polars and Dask not at all (they compute
    every result in one pass).
    """
    native = stack.enter_context(engine_for(frame).steps.held(frame.to_native()))
    return _lazy(nw.from_native(native))


@dataclass(frozen=True, kw_only=True)
class _Columns:
    """The input's columns by role."""

    identity: list[str]
    reader: list[str]
    inputs: list[str]
    aliases: dict[str, str]
    """Input names that Polars reads as patterns, and the names the engine works on instead."""

    @classmethod
    def of(cls, names: list[str]) -> _Columns:
        reader = [name for name in (PARSE, RAW, FIELDS) if name in names]
        inputs = [name for name in names if name not in (ROW, LINE, *reader)]
        return cls(
            identity=[ROW, LINE] if LINE in names else [ROW],
            reader=reader,
            inputs=inputs,
            aliases=internal_aliases(inputs),
        )

    def working(self, name: str) -> str:
        """The name an input column has in the working frame."""
        return self.aliases.get(name, name)

    def named_back(self, names: list[str]) -> list[nw.Expr]:
        """Input columns of the working frame, under their own names (`_renamed`)."""
        return _renamed({self.working(name): name for name in names})


def _judged(
    plan: Plan,
    frame: nw.LazyFrame[Any],
    schema: Any,
    columns: _Columns,
    *,
    key_memory: KeyMemory,
) -> tuple[nw.LazyFrame[Any], list[Flag], list[RepairFlag]]:
    """The frame with every transformed text, repair flag, typed value, rule failure flag and
    whether the row is quarantined."""
    position = {column.name: index for index, column in enumerate(plan.columns)}
    engine = engine_for(frame)
    zone = engine.datetime_text_zone(frame.to_native()) if engine.datetime_text_zone else None
    text = _text_stages(plan, schema, engine, columns.aliases, zone)
    textual, repairs = text.textual, text.repairs
    typed_exprs, jobs = _typed_stage(plan, textual, schema, columns.aliases, engine)
    steps = engine.steps
    working = frame
    if engine.text_steps is None:
        working = _rowwise(working, _adding(*text.stages, dropped=text.held))
    else:
        for stage, text_jobs in zip(text.stages, text.native, strict=True):
            working = working.with_columns(stage)
            if text_jobs:
                working = _lazy(nw.from_native(engine.text_steps(working.to_native(), text_jobs)))
        working = working.drop(text.held)

    def group_stats(lazy: nw.LazyFrame[Any], stats: list[GroupStat]) -> nw.LazyFrame[Any]:
        return _lazy(nw.from_native(steps.group_stats(lazy.to_native(), stats)))

    working = with_majorities(working, text.majorities, group_stats)
    working = _rowwise(working, _adding(typed_exprs))
    if jobs:
        working = _lazy(nw.from_native(steps.parse_columns(working.to_native(), jobs)))
    seen = [
        SeenBeforeJob(
            keys=tuple(_v(position[name]) for name in step.columns),
            target=_s(number),
            memory=key_memory,
            narrow=tuple(
                _v(position[name])
                for name in step.columns
                if plan.columns[position[name]].cast.type == "string"
            ),
        )
        for number, step in enumerate(plan.rowset)
        if step.rule.needs_seen_before
    ]
    if seen:
        working = _lazy(nw.from_native(steps.seen_before(working.to_native(), seen)))
    for stats in _group_stages(plan, position):
        working = group_stats(working, stats)
    names = schema.names()
    rule_exprs, flags = _rule_stage(
        plan,
        textual,
        parsed_by_reader=PARSE in names,
        joined_by_reader=PARSE in names and RAW in names,
    )
    flagged = _adding(rule_exprs, [_quarantined(flags).alias(QUARANTINED)])
    return _rowwise(working, flagged), flags, repairs


def _rowwise(frame: nw.LazyFrame[Any], change: RowwiseChange) -> nw.LazyFrame[Any]:
    """`change` applied to `frame`, partition by partition where the engine has partitions
    (`Engine.by_partition`)."""
    by_partition = engine_for(frame).by_partition
    if by_partition is None:
        return _lazy(change(frame))
    return _lazy(nw.from_native(by_partition(frame.to_native(), change)))


def _adding(*stages: list[nw.Expr], dropped: Sequence[str] = ()) -> RowwiseChange:
    """The columns of each stage added in turn (a stage may read the one before), then the
    `dropped` ones left out."""

    def change(frame: Any) -> Any:
        for stage in stages:
            frame = frame.with_columns(stage)
        return frame.drop(dropped) if dropped else frame

    return change


def _group_stages(plan: Plan, position: dict[str, int]) -> list[list[GroupStat]]:
    """Every row-set rule's group stats, stage by stage (a stage may read the one before)."""
    stages: list[list[GroupStat]] = []
    for number, step in enumerate(plan.rowset):
        names = [_v(position[name]) for name in step.columns]
        for depth, stats in enumerate(step.rule.group_stats(names, _g(number))):
            if depth == len(stages):
                stages.append([])
            stages[depth].extend(stats)
    return stages


def _errors(flags: list[Flag]) -> list[int]:
    return [k for k, flag in enumerate(flags) if flag.severity == "error"]


def _quarantined(flags: list[Flag]) -> nw.Expr:
    errors = _errors(flags)
    if not errors:
        return nw.lit(value=False)
    return any_true([nw.col(_f(k)) for k in errors])


FAN_IN = 128
"""Flags one `any_horizontal` joins at most: a wider table's are joined as a tree. DuckDB rendered
a flat call of 700 flags alone, and failed on one of about 1,000 inside a run; a recipe of up to
128 error rules keeps the one flat call it always had."""


def any_true(flags: Sequence[nw.Expr]) -> nw.Expr:
    """Whether any of `flags` is true (a null counts as false), joined as a balanced tree of
    `any_horizontal` calls: some engines write a call as a chain of ``OR`` nested one level per
    flag, and a thousand rules nested a thousand deep exceed Python's recursion limit (DuckDB's
    relational API renders each level with a call of its own).

    >>> import polars as pl
    >>> frame = pl.DataFrame({f"f{i}": [i == 170, False, None] for i in range(300)})
    >>> nw.from_native(frame).select(any_true([nw.col(f"f{i}") for i in range(300)])).to_native()[
    ...     "f0"].to_list()
    [True, False, False]
    """
    if len(flags) <= FAN_IN:
        return nw.any_horizontal(*flags, ignore_nulls=True)
    size = -(-len(flags) // FAN_IN)
    return any_true([any_true(flags[at : at + size]) for at in range(0, len(flags), size)])


def _reasons(flags: list[Flag]) -> nw.Expr:
    errors = _errors(flags)
    if not errors:
        return nw.lit("")
    return nw.concat_str(
        [nw.when(nw.col(_f(k))).then(nw.lit(flags[k].id)) for k in errors],
        separator=REASON_SEPARATOR,
        ignore_nulls=True,
    )


def _null_counted(plan: Plan) -> list[int]:
    """The declared columns whose nulls a dataset rule counts."""
    null_columns = {getattr(step.rule, "column", None) for step in plan.dataset}
    return [i for i, c in enumerate(plan.columns) if c.name in null_columns]


def _read_by_outputs(
    plan: Plan, columns: _Columns, flags: list[Flag], repairs: list[RepairFlag]
) -> list[str]:
    """The working columns the outputs and totals read: a held frame keeps only these."""
    return [
        *columns.identity,
        *[columns.working(name) for name in columns.inputs],
        *[name for name in columns.reader if name != PARSE],
        *[_v(i) for i in range(len(plan.columns))],
        *[_t(i) for i in _null_counted(plan)],
        *[_f(k) for k in range(len(flags))],
        *[repair.flag for repair in repairs],
        QUARANTINED,
    ]


def _split(
    plan: Plan,
    working: nw.LazyFrame[Any],
    columns: _Columns,
    flags: list[Flag],
    repairs: list[RepairFlag],
    *,
    audit: bool = False,
) -> Outputs:
    declared = {column.name for column in plan.columns}
    clean = _rowwise(
        working,
        _kept(
            ~nw.col(QUARANTINED),
            [
                *_renamed({_v(i): c.name for i, c in enumerate(plan.columns)}),
                *columns.named_back([name for name in columns.inputs if name not in declared]),
                *columns.identity,
                *(_audit(plan, columns, repairs) if audit else []),
            ],
        ),
    )
    quarantine = _rowwise(
        working,
        _kept(
            nw.col(QUARANTINED),
            [
                *columns.identity,
                _reasons(flags).alias(REASONS),
                *columns.named_back(columns.inputs),
                *[nw.col(name) for name in columns.reader if name != PARSE],
            ],
        ),
    )
    nulls = {_t(i): f"nulls:{plan.columns[i].name}" for i in _null_counted(plan)}
    totals = working.select(
        nw.col(ROW).count().alias("rows_in"),
        _count_true(nw.col(QUARANTINED)).alias("rows_quarantined"),
        *_counted([_f(k) for k in range(len(flags))]),
        *_counted([repair.flag for repair in repairs]),
        *([_count_true(nw.col(*nulls).is_null()).name.map(nulls.__getitem__)] if nulls else []),
    )
    return Outputs(
        clean=clean,
        quarantine=quarantine,
        totals=totals,
        flags=tuple(flags),
        plan=plan,
        repairs=tuple(repairs),
    )


def _renamed(names: dict[str, str]) -> list[nw.Expr]:
    """Columns `names` (working name → output name), in order, as one expression: a wide
    table's thousands of columns cost the engine one expression to build, not one each."""
    if not names:
        return []
    columns = nw.col(*names)
    if all(working == output for working, output in names.items()):
        return [columns]
    return [columns.name.map(names.__getitem__)]


def _counted(flags: list[str]) -> list[nw.Expr]:
    """How many rows each flag holds on, under the flag's own name, as one expression."""
    return [_count_true(nw.col(*flags))] if flags else []


def _kept(rows: nw.Expr, columns: list[nw.Expr | str]) -> RowwiseChange:
    """The rows where `rows` holds, with `columns` only."""

    def change(frame: Any) -> Any:
        return frame.filter(rows).select(*columns)

    return change


def conclude(
    outputs: Outputs, totals: dict[str, Any], *, rows_clean: int, rows_quarantined: int
) -> tuple[RunStats, dict[str, int]]:
    """Statistics and failures per rule id, once the outputs exist; checks no row was lost.

    The repair counts are in the same totals: `repairs_of`.

    `rows_clean` and `rows_quarantined` are counted on the outputs themselves.
    """
    rows_in = int(totals["rows_in"])
    if rows_in != rows_clean + rows_quarantined or rows_quarantined != totals["rows_quarantined"]:
        raise InvariantViolation(
            f"rows were lost: {rows_in} in, {rows_clean} clean, {rows_quarantined} quarantined",
            hint="this is a bug in rowsift; please report it with the recipe and input",
        )
    failures = {flag.id: int(totals[_f(k)] or 0) for k, flag in enumerate(outputs.flags)}
    nulls = {
        key.removeprefix("nulls:"): int(value or 0)
        for key, value in totals.items()
        if key.startswith("nulls:")
    }
    stats = RunStats(
        rows_in=rows_in, rows_clean=rows_clean, rows_quarantined=rows_quarantined, nulls=nulls
    )
    return stats, failures


def execute(
    plan: Plan, frame: nw.LazyFrame[Any], *, collect: bool = True, audit: bool = False
) -> Evaluation:
    """Run every transform and rule and split the rows.

    With `collect`, both outputs are evaluated in memory in one pass. Without it they stay
    lazy (for engines that plan whole queries, such as DuckDB and Spark): only the totals and
    the two outputs' row counts are computed now. `audit`: see `build`.
    """
    outputs = build(plan, frame, keep=not collect, audit=audit)
    clean: nw.DataFrame[Any] | nw.LazyFrame[Any]
    quarantine: nw.DataFrame[Any] | nw.LazyFrame[Any]
    if collect:
        clean, quarantine, totals = collect_together(
            [outputs.clean, outputs.quarantine, outputs.totals]
        )
        rows_clean, rows_quarantined = len(clean), len(quarantine)
    else:
        clean, quarantine, totals = outputs.clean, outputs.quarantine, outputs.totals.collect()
        rows_clean, rows_quarantined = _count_both(clean, quarantine)
    counted = totals.rows(named=True)[0]
    stats, failures = conclude(
        outputs, counted, rows_clean=rows_clean, rows_quarantined=rows_quarantined
    )
    return Evaluation(
        clean=clean,
        quarantine=quarantine,
        stats=stats,
        failures=failures,
        flags=outputs.flags,
        repairs=repairs_of(outputs, counted),
    )


def repairs_of(outputs: Outputs, totals: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Rows each transform changed, per declared column and transform (every input row)."""
    return repair_counts(outputs.repairs, totals)


def collect_together(frames: list[nw.LazyFrame[Any]]) -> list[nw.DataFrame[Any]]:
    """Collect lazy frames that share their input, in one pass where their engine can."""
    if not frames:
        return []
    return engine_for(frames[0]).steps.collect_together(frames)


def _audit(plan: Plan, columns: _Columns, repairs: list[RepairFlag]) -> list[nw.Expr]:
    """The repair audit of a clean row: ``_rowsift_repaired``, the declared columns a transform
    changed, joined by `REASON_SEPARATOR` (null when none; the edge makes it a list), then for
    each declared column with transforms ``_rowsift_read_<column>``, its value as read where a
    transform changed it, else null. A column the input lacks was read as null."""
    changed_in: dict[str, nw.Expr] = {}
    for column in plan.columns:
        flags = [nw.col(repair.flag) for repair in repairs if repair.column == column.name]
        if flags:
            changed_in[column.name] = any_true(flags)
    no_text = nw.when(nw.col(ROW) < 0).then(nw.col(ROW).cast(nw.String()))  # typed nulls
    if not changed_in:
        return [no_text.alias(REPAIRED)]
    named = nw.concat_str(
        [nw.when(flag).then(nw.lit(name)) for name, flag in changed_in.items()],
        separator=REASON_SEPARATOR,
        ignore_nulls=True,
    )
    any_changed = any_true(list(changed_in.values()))
    read = [
        (
            nw.when(flag).then(nw.col(columns.working(name))) if name in columns.inputs else no_text
        ).alias(read_name(name))
        for name, flag in changed_in.items()
    ]
    return [nw.when(any_changed).then(named).alias(REPAIRED), *read]


def _check_audit_names(plan: Plan, names: list[str]) -> None:
    """The audit's column names must not be the input's own."""
    audit = {REPAIRED, *(read_name(column.name) for column in plan.columns if column.transforms)}
    taken = sorted(audit & set(names))
    if taken:
        raise UsageError(
            f"the input already has a column named {taken[0]!r}, which the repair audit adds",
            hint="drop or rename that column (an earlier run's audit?), or run without the audit",
        )


def _count_true(flag: nw.Expr) -> nw.Expr:
    # SQL engines do not sum booleans
    return flag.cast(nw.Int64()).sum()


def _count_both(first: nw.LazyFrame[Any], second: nw.LazyFrame[Any]) -> tuple[int, int]:
    """Rows of two lazy frames, counted in one query."""
    counts = nw.concat(
        [
            first.select(nw.lit(0).alias("part"), nw.len().alias("rows")),
            second.select(nw.lit(1).alias("part"), nw.len().alias("rows")),
        ],
        how="vertical",
    ).collect()
    by_part = dict(zip(counts["part"].to_list(), counts["rows"].to_list(), strict=True))
    return int(by_part[0]), int(by_part[1])


def describe_column(column: ColumnPlan) -> str:
    """A one-line description of a column's steps, for `rowsift explain`."""
    steps = [t.name for t in column.transforms]
    fmt = f" ({column.cast.format})" if column.cast.type in ("date", "datetime") else ""
    steps.append(f"cast {column.cast.type}{fmt}")
    return " → ".join(steps)
