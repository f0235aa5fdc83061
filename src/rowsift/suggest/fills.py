"""Missing values an entity's other rows give: a null takes the one value its group agrees on.

Records about one entity repeat its attributes: a charity's several filings all give its
borough, a track's plays all give its album. Where some of them leave the attribute empty and
every other record of the entity that has it gives the same value, that value is the best
repair there is, and quarantining the row (or keeping the null) loses what the table knows.
Such a fill is suggested as ``majority: {by: [entity], min_share: 1, min_rows: 2, fill_nulls:
true}``: it changes only nulls, and only in groups whose present values (at least two) are one
value, so a group that disagrees, or holds a single value, is left as it is.

The entity is a column of codes, categories or identifiers (`FILL_CLASSES`) that determines the
column beyond chance over the whole table (μ at least `FILL_MU`, its group majority held on
`FILL_SHARE` of the rows): an attribute of the entity, not a value that merely happened to be
equal in a few groups. A column is filled from the entity that fills most of its nulls, at least
`FILL_ROWS` of them; a column filled is never the entity of another fill (a program applying the
repairs one after the other would read the filled text where rowsift reads the one before).

Where the table has a time column (`rowsift.suggest.arrivals.time_column`), the nulls must not
gather at the edges of their entity's time (`WITHIN_TIME`): a baseball team has no division
before divisions began, a country no score before it was first rated, and filling those years
with the value of later ones writes what never was.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import narwhals.stable.v2 as nw
from rapidfuzz import fuzz

from rowsift.profile import ColumnProfile, Dependency
from rowsift.recipe.model import Evidence, TransformSpec
from rowsift.suggest.arrivals import moments

FILL_CLASSES = frozenset({"code", "categorical", "identifier"})
"""Classes whose values may name the entity a row is about."""
FILL_MU = 0.5
"""Agreement beyond chance of the entity with the column, at least: half-way from a random
pairing to a function. Records of one charity disagree on its coordinates on a sixth of the
rows (real multi-source records), yet every record that gives them agrees within most
charities."""
FILL_SHARE = 0.8
"""Share of the judged rows that hold their group's majority value, at least."""
FILL_ROWS = 3
"""Nulls the fill would repair in the sample, at least: fewer are no evidence of a habit of
leaving the attribute out."""
FILL_MISSES = 0.03
"""The fill tried on the present values, at most this share wrong: of the rows whose group's
other present values (at least two) are one value, those whose own value is another one, and a
real one (seen more than twice in the column and not a near spelling of the group's: a second
airport a plane flew from, a year a worker joined a union), not a slip (a charity's
coordinates as one source wrote them). Measured on real tables with cells hidden at random
(`bench/suggest/fills.py`), this share predicts the fills' own: 0.106 against 0.106 for an
airport by plane, where most fills of an entity's fixed attributes miss none."""


WITHIN_TIME = 0.5
"""Of the nulls a fill would repair, those lying within their entity's span of time (from the
first to the last moment a row of it holds a value), at least this share of the number chance
would put there (a null placed at random among an entity's p present values lies outside
their span with chance 2/(p+1)). On 1,840 real tables, every fill that changed clean values by
the dozen had its nulls at the edges: 0 of 1,346 within their span (teams before divisions),
41 of 1,245, 8 of 172, 0 of 81."""


SLIP_RATIO = 70
"""Edit ratio (0-100) from which a value is a near spelling of its group's majority."""


def looks_like_slip(value: Any, majority: Any, counts: Mapping[Any, int]) -> bool:
    """Whether a value that differs from its group's `majority` looks like a slip rather than
    a second real value: a null, rare in the column (`counts`: at most twice), or a near
    spelling of the majority.

    >>> counts = {"Boston": 40, "Bostn": 1, "Denver": 30}
    >>> looks_like_slip("Bostn", "Boston", counts), looks_like_slip("Denver", "Boston", counts)
    (True, False)
    """
    if value is None or counts.get(value, 0) <= 2:
        return True
    return (
        isinstance(value, str)
        and isinstance(majority, str)
        and fuzz.ratio(value, majority) >= SLIP_RATIO
    )


@dataclass(frozen=True)
class Fill:
    """A null fill of `column` from the groups of `entity`: `filled` nulls of `nulls` in the
    sample, with a few examples."""

    column: str
    entity: str
    filled: int
    nulls: int
    dependency: Dependency
    examples: list[str]

    def transform(self) -> TransformSpec:
        """The ``majority`` transform that fills only nulls, from unanimous groups."""
        return TransformSpec.model_validate(
            {
                "majority": {
                    "by": [self.entity],
                    "min_share": 1,
                    "min_rows": 2,
                    "fill_nulls": True,
                }
            }
        )

    def evidence(self) -> Evidence:
        """Why: how many nulls it fills, how well the entity determines the column."""
        return Evidence(
            statistic=f"nulls whose {self.entity} group agrees on one value",
            observed=float(self.filled),
            threshold=float(FILL_ROWS),
            examples=self.examples,
            note=f"{self.filled} of {self.nulls} nulls filled from at least two agreeing rows "
            f"of the same {self.entity}; {self.dependency.share:.1%} of "
            f"{self.dependency.support} rows hold their {self.entity} group's majority "
            f"(mu {self.dependency.mu:.2f})",
        )


def suggest_fills(
    sample: nw.DataFrame[Any],
    columns: Iterable[ColumnProfile],
    found: Iterable[Dependency],
    *,
    kept: Mapping[str, tuple[str, ...]],
    time: ColumnProfile | None = None,
) -> list[Fill]:
    """The null fills the sample (as the rules see it) supports, at most one per column.

    `found` are the dependencies between single columns, best μ first; `kept` the columns
    already repaired by a ``majority``, with its `by` columns: neither they nor their `by`
    columns are filled, nor do they group a fill (the opt-in repair stays as suggested).
    `time` is the table's time column, if any (`WITHIN_TIME`).

    >>> import polars as pl
    >>> from rowsift.profile import profile_table
    >>> from rowsift.profile.dependencies import find_dependencies
    >>> frame = pl.DataFrame({"ein": [str(i // 4) for i in range(40)],
    ...                       "borough": [None if i % 4 == 3 else f"b{i // 8}" for i in range(40)]})
    >>> profile = profile_table(frame, dependencies=False)
    >>> sample = nw.from_native(frame)
    >>> found = find_dependencies(sample, profile.columns, min_mu=0.35)
    >>> fills = suggest_fills(sample, profile.columns, found, kept={})
    >>> [(fill.column, fill.entity, fill.filled) for fill in fills]
    [('borough', 'ein', 10)]
    """
    classes = {column.name: column.semantic for column in columns}
    when = _moments(sample, time)
    blocked = {*kept, *(name for by in kept.values() for name in by)}
    candidates: list[Fill] = []
    for dependency in found:
        entity, column = dependency.determinant, dependency.dependent
        if (
            dependency.paired_with is not None
            or classes.get(entity) not in FILL_CLASSES
            or column in blocked
            or entity in kept
            or dependency.mu < FILL_MU
            or dependency.share < FILL_SHARE
        ):
            continue
        fill = _fill(sample, entity, column, dependency, when)
        if fill is not None and fill.filled >= FILL_ROWS:
            candidates.append(fill)
    chosen: list[Fill] = []
    filled: set[str] = set()
    entities: set[str] = set()
    for fill in sorted(candidates, key=lambda f: -f.filled):  # stable: best μ first on ties
        if fill.column in filled or fill.column in entities or fill.entity in filled:
            continue
        chosen.append(fill)
        filled.add(fill.column)
        entities.add(fill.entity)
    return chosen


def _moments(sample: nw.DataFrame[Any], time: ColumnProfile | None) -> list[Any] | None:
    """Each sampled row's moment by the `time` column (None where it does not read), or None."""
    import polars as pl

    native = sample.to_native()
    if time is None or not isinstance(native, pl.DataFrame) or time.name not in native.columns:
        return None
    read = moments(native[time.name], time)
    return None if read is None else read.to_list()


def _fill(
    sample: nw.DataFrame[Any],
    entity: str,
    column: str,
    dependency: Dependency,
    when: list[Any] | None = None,
) -> Fill | None:
    """The nulls of `column` whose `entity` group has at least two present values, all one;
    with `when`, each row's moment, only if they lie within their groups' time (`WITHIN_TIME`)."""
    nulls = int(sample[column].null_count())
    if not nulls:
        return None
    keys = sample[entity].to_list()
    values = sample[column].to_list()
    groups: dict[Any, Counter[Any]] = {}
    for key, value in zip(keys, values, strict=True):
        if key is not None and value is not None:
            groups.setdefault(key, Counter())[value] += 1
    filled = 0
    examples: list[str] = []
    for key, value in zip(keys, values, strict=True):
        group = groups.get(key) if value is None and key is not None else None
        if group is None or len(group) != 1 or sum(group.values()) < 2:
            continue
        filled += 1
        if len(examples) < 3:
            (only, count), *_ = group.items()
            examples.append(f"{entity} {key!r}: null -> {only!r} ({count} rows agree)")
    if not filled or _misses(keys, values, groups) > FILL_MISSES:
        return None
    if when is not None and _at_the_edges(keys, values, groups, when):
        return None
    return Fill(
        column=column,
        entity=entity,
        filled=filled,
        nulls=nulls,
        dependency=dependency,
        examples=examples,
    )


def _at_the_edges(
    keys: list[Any], values: list[Any], groups: dict[Any, Counter[Any]], when: list[Any]
) -> bool:
    """Whether the nulls a fill would repair lie within their group's span of time less than
    `WITHIN_TIME` as often as chance would put them there, and chance would put `FILL_ROWS` or
    more there (fewer decide nothing).

    >>> keys, when = ["a"] * 6, [1, 2, 3, 4, 5, 6]
    >>> _at_the_edges(keys, [None, None, "x", "x", "x", "x"], {"a": Counter(x=4)}, when)
    False
    >>> groups = {"a": Counter(x=12)}  # three such runs: the nulls before every value, then
    >>> _at_the_edges(keys * 3, [None, None, "x", "x", "x", "x"] * 3, groups, when * 3)
    True
    >>> _at_the_edges(keys * 3, ["x", None, "x", None, "x", "x"] * 3, groups, when * 3)  # within
    False
    """
    spans: dict[Any, tuple[Any, Any]] = {}
    for key, value, moment in zip(keys, values, when, strict=True):
        if value is not None and key is not None and moment is not None:
            first, last = spans.get(key, (moment, moment))
            spans[key] = (min(first, moment), max(last, moment))
    within = expected = 0.0
    for key, value, moment in zip(keys, values, when, strict=True):
        group = groups.get(key) if value is None and key is not None else None
        if group is None or len(group) != 1 or moment is None or key not in spans:
            continue
        present = sum(group.values())
        if present < 2:
            continue
        first, last = spans[key]
        within += first <= moment <= last
        expected += (present - 1) / (present + 1)
    return expected >= FILL_ROWS and within < WITHIN_TIME * expected


def _misses(keys: list[Any], values: list[Any], groups: dict[Any, Counter[Any]]) -> float:
    """The share of the present values a fill would have got wrong had they been null
    (`FILL_MISSES`): each row left out of its group in turn, where the rest (at least two
    present values) is one value."""
    counts = Counter(value for value in values if value is not None)
    tried = missed = 0
    for key, value in zip(keys, values, strict=True):
        group = groups.get(key) if value is not None and key is not None else None
        if group is None:
            continue
        others = sum(group.values()) - 1
        if others < 2 or len(group) > 2 or (len(group) == 2 and group[value] > 1):
            continue  # the rest of the group is not one value
        tried += 1
        if len(group) == 1:
            continue  # the rest agrees with it
        (other,) = (candidate for candidate in group if candidate != value)
        if not looks_like_slip(value, other, counts):
            missed += 1
    return missed / tried if tried else 0.0
