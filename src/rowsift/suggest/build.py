"""Suggest a recipe: profile, run each heuristic, then measure every rule on the data.

Guarding runs the heuristics once more on half the sample and checks what they learned on the
other half (`rowsift.suggest.guard`). Measuring runs the suggested recipe once on the profile's
sample: each rule's evidence gets how many rows it would quarantine now and a few values it
rejects; a rule that does not hold on unseen rows, or would quarantine more than the strictness
level allows of the rows it was learned from, only warns.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection
from dataclasses import replace
from typing import Any, cast

import narwhals.stable.v2 as nw

from rowsift._names import REASON_SEPARATOR, REASONS, declarable, literal_column
from rowsift.engine import compile_recipe
from rowsift.engine.execute import execute
from rowsift.exceptions import UsageError
from rowsift.io import to_table
from rowsift.profile import (
    ColumnProfile,
    SampledTexts,
    TableProfile,
    is_null_like,
    profile_table,
)
from rowsift.profile.table import DEPENDENCY_ROWS
from rowsift.profile.types import opaque
from rowsift.recipe.model import (
    CURRENT_VERSION,
    ColumnRuleSpec,
    ColumnSpec,
    DatasetRuleSpec,
    Evidence,
    Recipe,
    RowRuleSpec,
    SourceSpec,
    TransformSpec,
)
from rowsift.suggest.arrivals import Arrivals, arrivals
from rowsift.suggest.canonical import canonical_repair
from rowsift.suggest.claims import CLAIM_SHARE, claim_source
from rowsift.suggest.dataset import quarantine_budget, row_count_band
from rowsift.suggest.dates import date_repair
from rowsift.suggest.dependencies import suggest_dependencies
from rowsift.suggest.fills import Fill
from rowsift.suggest.formulas import UNWRAP, unwrapped
from rowsift.suggest.guard import (
    MIN_FAILED,
    HeldOut,
    Measured,
    held_out,
    quarantined_together,
    untyped,
    warned,
)
from rowsift.suggest.keys import suggest_duplicate, suggest_unique
from rowsift.suggest.nulls import not_null, null_tokens
from rowsift.suggest.numbers import unclothed
from rowsift.suggest.patterns import suggest_pattern
from rowsift.suggest.ranges import ranged_columns, suggest_range
from rowsift.suggest.review import keep_reviewed, rule_locations
from rowsift.suggest.sets import suggest_set
from rowsift.suggest.strictness import Strictness, Thresholds, thresholds
from rowsift.suggest.types import (
    WHOLE_FLOATS,
    TypeChoice,
    as_read,
    choose_type,
    whole_floats,
)

EXAMPLES = 3
OPT_IN_REPAIRS = ("majority",)
"""Repairs suggested only when asked for (`suggest_recipe(repairs=...)`, ``--repairs``)."""
PATTERN_SAMPLE = 20_000
"""Sampled values per column that the heuristics look at one by one, at most (every k-th row
of the sample)."""
Entry = ColumnRuleSpec | RowRuleSpec


def suggest_recipe(
    frame: Any,
    *,
    strictness: Strictness = "balanced",
    repair: bool = True,
    name: str | None = None,
    source: SourceSpec | None = None,
    previous: Recipe | None = None,
    profile: TableProfile | None = None,
    repairs: Collection[str] = (),
) -> Recipe:
    """A cleaning recipe for a table, every rule with its evidence.

    `repair` (default) maps likely typos (``map``) and case, spacing, punctuation or accent
    variants (``canonical``) of a category to the frequent spelling, and fills the nulls an
    entity's other rows agree on (``majority`` with ``fill_nulls``), instead of quarantining
    them. `repairs` names opt-in repairs (`OPT_IN_REPAIRS`): ``majority`` also repairs the
    dependent column of a dependency whose disagreeing values look like noise with its group's
    majority value. `previous` is an earlier, reviewed recipe:
    its accepted and edited rules are kept as they are and its rejected rules are not
    suggested again.

    >>> import polars as pl
    >>> import rowsift
    >>> ids = [f"ORD-{i:05d}" for i in range(400)]
    >>> status = ["paid", "new"] * 199 + ["pqid", "Paid"]
    >>> recipe = rowsift.suggest_recipe(pl.DataFrame({"id": ids, "status": status}))
    >>> [rule.kind for rule in recipe.columns["status"].rules]
    ['not_null', 'in_set']
    >>> [t.compact() for t in recipe.columns["status"].transforms]
    [{'canonical': ['new', 'paid']}, {'map': {'pqid': 'paid'}}]
    """
    unknown = sorted(set(repairs) - set(OPT_IN_REPAIRS))
    if unknown:
        raise UsageError(
            f"unknown opt-in repair(s) {', '.join(map(repr, unknown))}",
            hint=f"choose among {', '.join(OPT_IN_REPAIRS)}",
        )
    limits = thresholds(strictness)
    prof = profile if profile is not None else profile_table(frame, dependencies=False)

    def suggested(of: TableProfile, *, entities: bool = True) -> Recipe:
        many = "majority" in repairs
        return _suggested(
            of, limits, repair=repair, name=name, source=source, majority=many, entities=entities
        )

    recipe = suggested(prof)
    read = replace(prof, sample=as_read(prof.sample, prof.columns))  # rules run on typed values
    # the guard counts a rule's failures whatever its severity: the entities' estimate is moot
    checked = held_out(
        lambda half: suggested(half, entities=False), recipe, read, measure, limits.heldout_excess
    )
    if previous is not None:
        recipe = keep_reviewed(recipe, previous)
    return _measured(recipe, read, limits, checked)


def _suggested(
    prof: TableProfile,
    limits: Thresholds,
    *,
    repair: bool,
    name: str | None,
    source: SourceSpec | None,
    majority: bool = False,
    entities: bool = True,
) -> Recipe:
    """Every heuristic's suggestion for a profile, before any guard.

    Columns a recipe may not declare (named like the ones rowsift adds, or holding the
    separator of rule ids), and columns of nested values, bytes or durations
    (`rowsift.profile.types.opaque`: no text form every engine writes alike), are left out:
    they pass through undeclared.
    """
    every_declared = all(declarable(c.name) and not opaque(c.dtype) for c in prof.columns)
    prof = replace(
        prof,
        columns=tuple(c for c in prof.columns if declarable(c.name) and not opaque(c.dtype)),
    )
    ranged = ranged_columns(prof)
    cut = arrivals(prof) if entities else None
    columns = {
        c.name: _column(c, prof, limits, repair=repair, entities=entities, ranged=ranged, cut=cut)
        for c in prof.columns
    }
    repaired = _repaired(prof, columns, limits.own_share)
    numbers = {name for name, spec in columns.items() if spec.type in ("float", "decimal")}
    judged = replace(
        prof,
        columns=tuple(
            replace(c, semantic="measure") if c.name in numbers else c for c in prof.columns
        ),
    )
    majorities: dict[str, tuple[TransformSpec, Evidence]] | None = {} if majority else None
    fills: list[Fill] | None = [] if repair else None
    found = suggest_dependencies(
        judged, limits, repaired=repaired, majority=majorities, fills=fills
    )
    for dependent, rules in found.items():
        spec = columns[dependent]
        columns[dependent] = spec.model_copy(update={"rules": [*spec.rules, *rules]})
    filled = {fill.column: (fill.transform(), fill.evidence()) for fill in fills or []}
    repairs = {**(majorities or {}), **filled}
    for dependent, (transform, why) in repairs.items():
        spec = columns[dependent]
        columns[dependent] = spec.model_copy(
            update={
                "transforms": [*spec.transforms, transform],
                "evidence": {**spec.evidence, "majority": why},
            }
        )
    rows: list[RowRuleSpec] = []
    # rows compared as repaired only when every column is declared (a row rule reads them all)
    duplicate = suggest_duplicate(prof, limits, repaired if every_declared else None)
    if duplicate is not None:
        rows.append(duplicate)
    # a run counts every record, those the reader could not split (not profiled) included
    band = row_count_band(prof.rows + prof.parse_failures)
    return Recipe(
        version=CURRENT_VERSION,
        name=name,
        source=source or SourceSpec(),
        columns=columns,
        rows=rows,
        dataset=[band] if band is not None else [],
    )


def _column(
    column: ColumnProfile,
    profile: TableProfile,
    limits: Thresholds,
    *,
    repair: bool,
    entities: bool,
    ranged: int,
    cut: Arrivals | None = None,
) -> ColumnSpec:
    transforms: list[TransformSpec] = []
    evidence: dict[str, Evidence] = {}
    rules: list[ColumnRuleSpec] = []
    column, sample = _text_repairs(column, profile.sample[column.name], transforms, evidence)
    choice = choose_type(column, limits)
    # a Series named like a pattern (``*``) trips Polars' own Series methods: name it plainly
    sample = sample.alias("value")
    step = max(1, math.ceil(len(sample) / PATTERN_SAMPLE))
    sampled = SampledTexts([v for v in sample.gather_every(step).to_list() if v])
    repaired = _value_repairs(column, sampled, choice, transforms, evidence)
    choice, column, numbers, time_rule = repaired or (choice, column, False, None)
    if choice.evidence is not None:
        evidence["type"] = choice.evidence
    if choice.type == "int" and column.dtype == "String" and not numbers:
        transforms.append(WHOLE_FLOATS)
        evidence.setdefault("replace", whole_floats(column))
    required = not_null(column, limits)
    if required is not None:
        rules.append(required)
    if time_rule is not None:  # a time of day: its shape, not a set
        rules.append(time_rule)
    elif choice.type == "string":
        values = _after(column.values, transforms)
        shaped = replace(column, values=values) if values else column
        in_set, mapping, map_evidence = suggest_set(
            shaped, limits, repair=repair, profile=profile if entities else None, cut=cut
        )
        pattern = None if in_set is not None else suggest_pattern(column, limits, sampled.values)
        if pattern is not None:
            if pattern.transform is not None:
                transforms.append(pattern.transform)
                evidence[pattern.transform.kind] = Evidence(
                    statistic="deviant shapes repaired by changing case",
                    observed=1,
                    note=f"{pattern.transform.kind} makes most deviants match",
                )
            rules.append(pattern.rule)
        transforms += _set_repairs(in_set, mapping, map_evidence, evidence)
        if in_set is not None:
            rules.append(in_set)
    else:
        between = suggest_range(column, choice.type, limits, ranged=ranged)
        if between is not None:
            rules.append(between)
    unique = suggest_unique(column, choice.type)
    if unique is not None:
        rules.append(unique)
    return ColumnSpec(
        type=choice.type,
        format=choice.format,
        transforms=transforms,
        rules=rules,
        evidence=evidence,
    )


def _text_repairs(
    column: ColumnProfile,
    sample: Any,
    transforms: list[TransformSpec],
    evidence: dict[str, Evidence],
) -> tuple[ColumnProfile, Any]:
    """Whitespace, text formulas (``="00123"``) and spellings of missing, repaired before the
    type is chosen: the column's profile and sample as the rest of the suggestion sees them.
    The transforms and their evidence are added."""
    stripped = bool(column.stray_whitespace)
    if stripped:
        transforms.append(TransformSpec.model_validate("strip"))
        evidence["strip"] = Evidence(
            statistic="values with surrounding whitespace",
            observed=column.stray_whitespace,
            note="repaired by strip",
        )
    formulas = unwrapped(column, sample) if column.dtype == "String" else None
    if formulas is not None:  # ="00123": judged as 00123
        transforms += UNWRAP
        evidence["replace"] = formulas.evidence
        column, sample = formulas.column, formulas.sample
    # a typed input column has no spellings of missing: a float's NaN is a value, which every
    # engine but Polars writes as `nan` (a token `NaN` would match on one engine only)
    tokens = null_tokens(column, stripped=stripped) if column.dtype == "String" else None
    if tokens is not None:
        transforms.append(tokens[0])
        evidence["null_tokens"] = tokens[1]
    return column, sample


def _value_repairs(
    column: ColumnProfile,
    sampled: SampledTexts,
    choice: TypeChoice,
    transforms: list[TransformSpec],
    evidence: dict[str, Evidence],
) -> tuple[TypeChoice, ColumnProfile, bool, ColumnRuleSpec | None] | None:
    """Numbers in clothing (currency, unit, percent, thousands marks), or dates and times
    written several ways or without zero padding, rewritten in one form before the cast: the
    type then, the column's profile as the repaired values, whether numbers were found, and the
    shape rule of a time of day. The transform and its evidence are added."""
    numbers = unclothed(column, sampled) if choice.type == "string" else None
    if numbers is not None:
        found, column = numbers
        transforms.append(TransformSpec.model_validate({"normalize_number": found.clothing}))
        evidence["normalize_number"] = found.evidence
        chosen = TypeChoice(type=found.type, format=None, evidence=None)  # type: ignore[arg-type]
        return chosen, column, True, None
    dates = date_repair(column, sampled, choice.type)
    if dates is None:
        return None
    transforms.append(dates.transform)
    evidence["normalize_datetime"] = dates.evidence
    chosen = TypeChoice(type=dates.type, format=dates.format, evidence=None)
    return chosen, column, False, dates.rule


def _set_repairs(
    in_set: ColumnRuleSpec | None,
    mapping: TransformSpec | None,
    map_evidence: Evidence | None,
    evidence: dict[str, Evidence],
) -> list[TransformSpec]:
    """The transforms that repair a category: ``canonical`` for spelling variants of a closed
    set (`rowsift.suggest.canonical`), then ``map`` for the other typos; their evidence is
    added to `evidence`."""
    if mapping is None or map_evidence is None:
        return []
    found = canonical_repair(in_set, mapping)
    if found is None:
        evidence["map"] = map_evidence
        return [mapping]
    canonical, why, left = found
    evidence["canonical"] = why
    if left is None:
        return [canonical]
    evidence["map"] = map_evidence
    return [canonical, left]


def _repaired(
    prof: TableProfile, columns: dict[str, ColumnSpec], own_share: float
) -> nw.DataFrame[Any] | None:
    """The sample as the rules see it: after each column's transforms and cast, as text
    (``66.0700`` and ``66.07 usd`` both read ``66.07``); rows that do not cast are left out.
    A column whose cast fails on more than `own_share` of the rows is read without it (the
    guard makes it text), so that it does not take most rows, and every dependency between
    the other columns, with it."""
    if not len(prof.sample):
        return None
    sample = as_read(prof.sample, prof.columns)
    step = max(1, math.ceil(len(sample) / DEPENDENCY_ROWS))  # as many rows as the profile's
    table, _ = to_table((sample.gather_every(step) if step > 1 else sample).to_native())
    rows = math.ceil(len(sample) / step)
    loose: set[str] = set()
    while True:
        bare = Recipe(
            version=CURRENT_VERSION,
            columns={
                name: ColumnSpec(
                    type="string" if name in loose else spec.type,
                    format=None if name in loose else spec.format,
                    transforms=spec.transforms,
                )
                for name, spec in columns.items()
            },
        )
        result = execute(compile_recipe(bare), table)
        failed = Counter(
            rule_id.removesuffix(".type")
            for reasons in result.quarantine[REASONS].to_list()
            for rule_id in str(reasons).split(REASON_SEPARATOR)
            if rule_id.endswith(".type")
        )
        more = {name for name, count in failed.items() if count > own_share * rows}
        if not more - loose:
            break
        loose |= more
    clean = result.clean
    assert isinstance(clean, nw.DataFrame)
    return clean.select(literal_column(name).cast(nw.String()) for name in columns)


def _after(values: dict[str, int], transforms: list[TransformSpec]) -> dict[str, int]:
    """Value counts as the rules will see them: after strip and null tokens."""
    kinds = {t.kind for t in transforms}
    counted: Counter[str] = Counter()
    for value, count in values.items():
        text = value.strip() if "strip" in kinds else value
        if text == "" or is_null_like(text):
            continue
        counted[text] += count
    return dict(counted)


def rule_ids(recipe: Recipe) -> list[tuple[tuple[str | int, ...], str]]:
    """Each column and row rule's location in the recipe and its rule id (as compiled)."""
    found: list[tuple[tuple[str | int, ...], str]] = []
    for rule_id, (where, column, index) in rule_locations(recipe).items():
        location = ("columns", column, index) if column is not None else (where, index)
        found.append((location, rule_id))
    return found


def measure(recipe: Recipe, frame: Any) -> Measured:
    """Run a recipe on a frame and count what it did. The examples of a rule over rows
    (``determined_by``, ``unique``) are its column's values, as a row rule's are."""
    plan = compile_recipe(recipe)
    table, _ = to_table(frame)
    evaluation = execute(plan, table)
    columns = {flag.id: flag.column for flag in evaluation.flags}
    columns |= {
        rule_id: column
        for rule_id, (_, column, _) in rule_locations(recipe).items()
        if column is not None
    }
    examples: dict[str, list[str]] = {}
    reasons: list[set[str]] = []
    quarantine = evaluation.quarantine
    assert isinstance(quarantine, nw.DataFrame)
    names = quarantine.columns
    for row in quarantine.iter_rows(named=True):
        ids = set(str(row[REASONS]).split(REASON_SEPARATOR))
        reasons.append(ids)
        for rule_id in ids:
            shown = examples.setdefault(rule_id, [])
            column = columns.get(rule_id, "row")
            if len(shown) < EXAMPLES and column in names:
                text = "null" if row[column] is None else str(row[column])
                if text not in shown:
                    shown.append(text)
    return Measured(
        failures=evaluation.failures,
        examples=examples,
        reasons=reasons,
        rows=evaluation.stats.rows_in,
        repairs=evaluation.repairs,
    )


def _measured(
    recipe: Recipe, profile: TableProfile, limits: Thresholds, checked: dict[str, HeldOut]
) -> Recipe:
    """Each rule's evidence with what it quarantines on the sample; rules that do not hold on
    unseen rows, or would quarantine more than `own_share` of the sample, warn instead, and a
    type that does either falls back to text."""
    found = measure(recipe, profile.sample.to_native())
    failures, rows = found.failures, found.rows

    def overfits(rule_id: str) -> bool:
        found = checked.get(rule_id)
        full = failures.get(rule_id, 0) / rows if rows else 0.0
        return found is not None and found.overfits(full, limits)

    loose = {
        rule_id.rsplit(".", 1)[0]
        for rule_id, failed in failures.items()
        if rule_id.endswith(".type") and rows and failed / rows > limits.own_share
    } | {
        rule_id.rsplit(".", 1)[0]
        for rule_id in checked
        if rule_id.endswith(".type") and overfits(rule_id)
    }
    loose &= {name for name, spec in recipe.columns.items() if not _typed_by_review(spec)}
    if loose:  # a type that fails on many of its own rows, or on unseen ones: the column is text
        recipe = untyped(recipe, loose)
        found = measure(recipe, profile.sample.to_native())
    failures, examples, reasons, rows = found.failures, found.examples, found.reasons, found.rows
    scale = profile.rows / rows if rows else 1.0
    warn: dict[str, str] = {}
    entries = _entries(recipe)
    reviewed, already = _reviewed(entries), _warn_severity(entries)
    for rule_id in entries:
        if rule_id in reviewed:
            continue
        share = failures.get(rule_id, 0) / rows if rows else 0.0
        if overfits(rule_id):
            warn[rule_id] = checked[rule_id].note()
        elif share > _own_allowance(entries[rule_id], profile, limits):
            warn[rule_id] = f"it would quarantine {share:.1%} of the rows it was learned from"
    warn |= _together(failures, reasons, rows, limits, set(warn) | reviewed, already)
    by_location = dict(rule_ids(recipe))
    columns = dict(recipe.columns)
    for column, spec in recipe.columns.items():
        kept = []
        for index, entry in enumerate(spec.rules):
            rule_id = by_location[("columns", column, index)]
            counted = _with_counts(entry, failures.get(rule_id, 0), examples, rule_id, scale)
            kept.append(warned(counted, warn[rule_id]) if rule_id in warn else counted)
        columns[column] = spec.model_copy(update={"rules": kept})
    row_rules = []
    for index, row_entry in enumerate(recipe.rows):
        rule_id = by_location[("rows", index)]
        counted = _with_counts(row_entry, failures.get(rule_id, 0), examples, rule_id, scale)
        row_rules.append(warned(counted, warn[rule_id]) if rule_id in warn else counted)
    warned_ids = set(warn) | already
    quarantined = sum(1 for ids in reasons if ids - warned_ids)
    # the records the reader could not split (not profiled) are quarantined by every run too
    split = profile.rows + profile.parse_failures
    rate = (
        ((quarantined / rows if rows else 0.0) * profile.rows + profile.parse_failures) / split
        if split
        else 0.0
    )
    dataset: list[DatasetRuleSpec] = [d for d in recipe.dataset if d.kind != "quarantine_rate"]
    budget = quarantine_budget(rate)
    if budget is not None:
        dataset.append(budget)
    return recipe.model_copy(update={"columns": columns, "rows": row_rules, "dataset": dataset})


def _own_allowance(entry: Entry, profile: TableProfile, limits: Thresholds) -> float:
    """The share of its own rows a rule may quarantine: `own_share`, but for a dependency over
    claims by several sources, whose disagreeing minorities are errors however many there
    are (`rowsift.suggest.claims`): what its agreement allowed."""
    if entry.kind != "determined_by" or entry.args.review is not None:
        return limits.own_share
    determinants = list(cast(Any, entry.args).columns)
    source = claim_source(profile.sample, profile.columns, determinants)
    return limits.own_share if source is None else max(limits.own_share, 1 - CLAIM_SHARE)


def _together(
    failures: dict[str, int],
    reasons: list[set[str]],
    rows: int,
    limits: Thresholds,
    kept: set[str],
    already: set[str],
) -> dict[str, str]:
    """Rules that each fail on a few rows of the sample (at most `MIN_FAILED`), too few for
    the self-consistency guard, but together quarantine more than `own_share` of it: on a
    small, wide table every range may hold all but a row or two, and the rows they miss are
    most of the table. Each of them warns instead, but for the rules `kept` as they are (already
    warned, or reviewed) and those that `already` warn by their severity."""
    kept = kept | already
    few = {
        rule_id
        for rule_id, failed in failures.items()
        if 0 < failed <= MIN_FAILED and not rule_id.endswith(".type") and rule_id not in kept
    }
    only = quarantined_together(few, reasons, rows, limits.own_share, ignored=already)
    if not only:
        return {}
    note = (
        f"it fails on a row or two of the sample, as do {len(few)} rules that together "
        f"would quarantine {only / rows:.1%} of it"
    )
    return dict.fromkeys(few, note)


def _typed_by_review(spec: ColumnSpec) -> bool:
    """Whether a column's rules were reviewed (its type then stays as the reviewer saw it)."""
    return any(rule.args.review is not None for rule in spec.rules)


def _entries(recipe: Recipe) -> dict[str, Entry]:
    """Each column and row rule by its id."""
    found: dict[str, Entry] = {}
    for location, rule_id in rule_ids(recipe):
        if location[0] == "columns":
            found[rule_id] = recipe.columns[str(location[1])].rules[int(location[2])]
        else:
            found[rule_id] = recipe.rows[int(location[1])]
    return found


def _warn_severity(entries: dict[str, Entry]) -> set[str]:
    """Ids of the rules (`_entries`) that already only warn."""
    return {
        rule_id
        for rule_id, entry in entries.items()
        if getattr(entry.args, "severity", "error") == "warn"
    }


def _reviewed(entries: dict[str, Entry]) -> set[str]:
    """Ids of the rules (`_entries`) a reviewer accepted or edited."""
    return {
        rule_id
        for rule_id, entry in entries.items()
        if getattr(entry.args, "review", None) is not None
    }


def _with_counts(
    entry: Any, failed: int, examples: dict[str, list[str]], rule_id: str, scale: float
) -> Any:
    args = entry.args
    if args.review is not None or args.evidence is None:
        return entry
    update: dict[str, Any] = {
        "quarantined": round(failed * scale),
        "examples": [*args.evidence.examples, *examples.get(rule_id, [])][:5],
    }
    if scale > 1:
        update["note"] = (args.evidence.note or "") + " (count estimated from a sample)"
    evidence = args.evidence.model_copy(update=update)
    field = entry.chosen_keys()[0]
    return entry.model_copy(update={field: args.model_copy(update={"evidence": evidence})})
