"""Claims by several sources about one entity: where a group's minority is an error, however large.

Data-fusion tables hold one row per (entity, source): 55 web sites each report a stock's last
price for the day, several agencies each report a flight's departure time, several registries
each give a charity's address. Every source makes at most one claim about an entity, and the
entity has one true value, so the values of a group that disagree with its clear majority are
errors, even when a third of the claims are wrong: such a table is dirty, not a sign that the
dependency is loose. A dependency over claims may therefore blame far more rows than an
ordinary one (`CLAIM_SHARE`), as long as what it blames looks like errors (`CLAIM_LIKENESS`:
scattered minorities, not a second value that a real part of a group shares).

A column is the source of a determinant's claims when it names who claims (text of a category,
code, identifier or free text; not a number, a year or a date: a panel of countries by year or
by survey wave is one row per country and year too, and its values drift with the year),
repeats across entities (at least `MIN_CLAIMS_PER_SOURCE` rows per source on average: a row
number would make any pair unique), has at least `MIN_SOURCES` values, and no source claims
twice about one entity (the pairs are unique on `CLAIM_UNIQUE` of the rows where both are
present).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import narwhals.stable.v2 as nw

from rowsift._names import literal_column
from rowsift.profile.columns import ColumnProfile

CLAIMED_ONLY = frozenset({"date", "datetime", "time"})
"""Classes that a dependency over claims may determine and an ordinary one may not: when a
flight left is the flight's, as each agency reports it, where a date beside an ordinary code
repeats by the chance of the calendar."""
SOURCE_CLASSES = frozenset({"categorical", "code", "identifier", "free_text"})
"""Classes whose values may name who made a claim."""
MIN_SOURCES = 3
"""Distinct sources a claim table needs: two sides disagreeing say nothing of who is right."""
MIN_CLAIMS_PER_SOURCE = 3.0
"""Rows per source, on average, at least."""
CLAIM_UNIQUE = 0.99
"""Share of rows whose (entity, source) pair is unique, at least."""
PAIR_SEPARATOR = "\x1f"
"""Between an entity's values and its source's in the text of a pair (a value holding it can
only make two pairs one, never two claims distinct)."""
CLAIM_MU = 0.35
"""Agreement beyond chance a dependency over claims needs (an ordinary one: the strictness's
`dependency_mu`)... Where a group's minority values are scattered, as the claims' must be, μ is
about the square of the majority's share (a majority of 60% gives about 0.36): this bound lets
`CLAIM_SHARE` decide..."""
CLAIM_SHARE = 0.6
"""...the share of its supported rows that hold their group's majority..."""
CLAIM_LIKENESS = 0.9
"""...the share of the values it blames that look like errors (`error_likeness`)..."""
CLAIM_SPLIT = 0.05
"""...and the share of its judged rows in groups whose vote is split, at most (an ordinary
dependency: `SPLIT_VOTES`, 1%). Sites copy one another, so a stale value now and then has a
few sites behind it; natural approximate dependencies split far more of their groups (10% to
60% of the rows on the soccer table of bench/suggest's real dirty pairs)..."""
CLAIM_VOTES = 4
"""...and the claims about one entity, on average over the groups judged, at least. Three claims
split two against one by the chance of a column of few values, so a majority of two says
little of the third: palmerpenguins' raw table holds one row per sample number and species
(three species, the sample numbers counted within each), and with the species taken for the
sources its `Sex` and `studyName` were "claims" about a sample number, 18% of the rows
blamed."""


def claim_source(
    sample: nw.DataFrame[Any], columns: Sequence[ColumnProfile], determinants: Sequence[str]
) -> str | None:
    """The column whose values say who claims, when the `determinants` name entities that
    several sources each claim about once; None when no column does.

    >>> import polars as pl
    >>> from rowsift.profile import profile_table
    >>> sites = ["a", "b", "c", "d"] * 30
    >>> stocks = [f"s{i // 4}" for i in range(120)]
    >>> frame = pl.DataFrame({"site": sites, "stock": stocks, "price": [1.5] * 120})
    >>> profile = profile_table(frame, dependencies=False)
    >>> claim_source(nw.from_native(frame), profile.columns, ["stock"])
    'site'
    >>> panel = frame.with_columns(year=pl.Series([2000, 2001, 2002, 2003] * 30))
    >>> profile = profile_table(panel.drop("site"), dependencies=False)
    >>> claim_source(nw.from_native(panel), profile.columns, ["stock"]) is None
    True
    """
    if not len(sample):
        return None
    keys = [literal_column(name) for name in determinants]
    entities = (
        sample.select(*keys)
        .drop_nulls()
        .group_by(*keys)
        .agg(nw.len().alias(PAIR_SEPARATOR))[PAIR_SEPARATOR]
        .to_list()
    )
    allowed = (1 - CLAIM_UNIQUE) * sum(entities)

    def forced(sources: int) -> int:
        """Claims that must repeat a source: an entity claimed more often than there are
        sources."""
        return sum(size - sources for size in entities if size > sources)

    candidates = [
        column.name
        for column in columns
        if column.name not in determinants
        and column.semantic in SOURCE_CLASSES
        and column.dtype == "String"
        and column.distinct >= MIN_SOURCES
        and forced(column.distinct) <= allowed
    ]
    if not candidates:
        return None
    texts = [key.cast(nw.String()) for key in keys]
    # every candidate at once: its claims (rows with the entity and the source present), the
    # distinct (entity, source) pairs among them and its sources, one query
    pairs = sample.select(
        *(
            nw.concat_str([*texts, literal_column(name)], separator=PAIR_SEPARATOR).alias(f"p{i}")
            for i, name in enumerate(candidates)
        ),
        *(literal_column(name).alias(f"s{i}") for i, name in enumerate(candidates)),
    )
    counted = pairs.select(
        *(nw.col(f"p{i}").count().alias(f"c{i}") for i in range(len(candidates))),
        *(nw.col(f"p{i}").n_unique().alias(f"u{i}") for i in range(len(candidates))),
        *(nw.col(f"p{i}").null_count().alias(f"z{i}") for i in range(len(candidates))),
        *(nw.col(f"s{i}").drop_nulls().n_unique().alias(f"n{i}") for i in range(len(candidates))),
    ).row(0)
    width = len(candidates)
    for i, name in enumerate(candidates):
        claims, distinct, nulls, sources = (counted[i + k * width] for k in range(4))
        unique = distinct - (1 if nulls else 0)  # a null pair is no claim
        if claims < 2 * MIN_SOURCES or sources < MIN_SOURCES:
            continue
        if claims / sources >= MIN_CLAIMS_PER_SOURCE and unique >= CLAIM_UNIQUE * claims:
            return name
    return None
