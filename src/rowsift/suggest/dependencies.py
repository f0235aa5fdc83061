"""Functional dependencies (``city`` determined by ``zip``): a group's minority value is blamed.

A dependency found by the profile is suggested when it holds on at least `dependency_share` of
the rows in groups large enough to judge, and when it does not hold exactly, most of the values
it would blame look like errors: rare in the column, or close to their group's majority.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, cast

import narwhals.stable.v2 as nw

from rowsift.profile import ColumnProfile, Dependency, TableProfile
from rowsift.profile.dependencies import (
    CodedSample,
    find_dependencies,
    find_paired_dependencies,
)
from rowsift.recipe.model import ColumnRuleSpec, Evidence, TransformSpec
from rowsift.recipe.transform_args import MajorityArgs
from rowsift.suggest.arrivals import time_column
from rowsift.suggest.claims import (
    CLAIM_LIKENESS,
    CLAIM_MU,
    CLAIM_SHARE,
    CLAIM_SPLIT,
    CLAIM_VOTES,
    CLAIMED_ONLY,
    claim_source,
)
from rowsift.suggest.fills import Fill, looks_like_slip, suggest_fills
from rowsift.suggest.strictness import Thresholds

SCATTERED = 0.02
LIKENESS = 0.75
"""Share of the values a dependency would blame that must look like errors."""
TYPO_LIKE = 0.5
MAJORITY_TYPO_LIKE = 0.8
"""The least share of a dependency's blamed values that must look like typos (rare in the
column, or close to their group's majority) for a ``majority`` repair to be suggested. Set on
stock's learned half (`bench.suggest.realdirty --split 11`: 0.82 there); 0.9 suggested it on
no real table (bench/suggest/README.md, "Majority of a group")."""
MAJORITY_SHARE = 0.6
"""The group share a suggested ``majority`` repair needs (its `min_share`)."""
SPLIT_VOTES = 0.01
"""A dependency is natural, not broken by errors, when more than this share of the rows it
judges are in groups with a split vote (compilations by several artists): the next batch's
groups of that kind fail, however error-like the rest of what it blames looks."""


@dataclass(frozen=True, kw_only=True)
class Blame:
    """What a dependency would blame: the share of it that looks like errors, the share that
    looks like typos (rare, or close to the majority), and a few examples."""

    likeness: float
    typo_like: float
    examples: list[str]
    split: float = 0.0
    """The share of judged rows in groups whose vote is split: the second value has at least
    two rows and half as many as the first (``Greatest Hits`` by two artists)."""
    source: str | None = None
    """The column naming who made each claim, when the dependency is held to the looser
    terms of claims by several sources about one entity (`rowsift.suggest.claims`)."""


Chosen = dict[tuple[tuple[str, ...], str], tuple[Dependency, Blame]]
"""Chosen dependencies by (determinant columns, dependent)."""


def error_likeness(rows: list[tuple[Any, Any]], min_support: int) -> Blame:
    """How much of what a dependency blames looks like errors.

    `rows` are (determinant, dependent) pairs. A blamed value looks like an error when it is
    scattered (alone in its group, or at most `SCATTERED` of a large group), occurs at most
    twice in the column, or is close to its group's majority value; a natural, approximate
    dependency instead has minorities that make up a real part of their group.

    >>> pairs = [("1", "Boston")] * 5 + [("1", "Bostn")] + [("2", "NY")] * 3
    >>> found = error_likeness(pairs, 3)
    >>> found.likeness, found.typo_like, found.examples, found.split
    (1.0, 1.0, ["'Bostn' (majority 'Boston')"], 0.0)
    """
    counts = Counter(value for _, value in rows)
    groups: dict[Any, Counter[Any]] = {}
    for key, value in rows:
        if key is not None:
            groups.setdefault(key, Counter())[value] += 1
    blamed = errors = typos = judged = split = 0
    examples: list[str] = []
    for group in groups.values():
        size = sum(group.values())
        if size < min_support:
            continue
        (top, top_count), *rest = group.most_common()
        judged += size
        if rest and rest[0][1] >= 2 and 2 * rest[0][1] >= top_count:
            split += size
        if rest and rest[0][1] == top_count:
            continue
        for value, count in rest:
            blamed += count
            typo = looks_like_slip(value, top, counts)
            typos += count if typo else 0
            if typo or count <= max(1, SCATTERED * size):
                errors += count
                if len(examples) < 5:
                    examples.append(f"{value!r} (majority {top!r})")
    divided = split / judged if judged else 0.0
    if not blamed:
        return Blame(likeness=1.0, typo_like=1.0, examples=examples, split=divided)
    return Blame(
        likeness=errors / blamed, typo_like=typos / blamed, examples=examples, split=divided
    )


def _one_way(chosen: Chosen, profile: TableProfile) -> Chosen:
    """Of ``A → B`` and ``B → A`` keep one, unless both blame typos.

    A row that breaks a one-to-one mapping with another valid value does not say which side
    is wrong, and blaming both is one false alarm for sure; a typo, though, is blamed only by
    the direction in which it is the dependent. The side with more distinct values (then the
    earlier column) determines the other.
    """
    order = {column.name: index for index, column in enumerate(profile.columns)}
    distinct = {column.name: column.distinct for column in profile.columns}

    def kept(determinants: tuple[str, ...], right: str) -> bool:
        reverse = chosen.get(((right,), determinants[0]))
        if reverse is None or len(determinants) > 1:
            return True
        left = determinants[0]
        if min(chosen[((left,), right)][1].typo_like, reverse[1].typo_like) >= TYPO_LIKE:
            return True
        return (distinct[left], -order[left]) > (distinct[right], -order[right])

    return {pair: found for pair, found in chosen.items() if kept(*pair)}


def suggest_dependencies(
    profile: TableProfile,
    limits: Thresholds,
    *,
    repaired: nw.DataFrame[Any] | None = None,
    majority: dict[str, tuple[TransformSpec, Evidence]] | None = None,
    fills: list[Fill] | None = None,
) -> dict[str, list[ColumnRuleSpec]]:
    """At most one ``determined_by`` rule per dependent column: the determinant with the best
    μ, when μ reaches `dependency_mu`, the group majority holds on `dependency_share` of the
    supported rows, and what it would blame looks like errors. A dependent no single column
    determines may be determined by two together (``(team, stadium) → city``), on the same
    terms.

    `repaired` is the sample after the recipe's transforms, as the rule will see it (a
    dependency between ``66.07`` and ``66.07 usd`` is one once both read ``66.07``); without it
    the profile's dependencies, found on the values as read, are used.

    With `majority` (opt-in: a dict this fills), a dependent whose rule blames what looks like
    noise also gets a ``majority`` repair over the same determinants (`majority_repair`); its
    rule stays, for the groups the repair leaves alone.

    With `fills` (a list this fills), the nulls an entity's other rows give are filled
    (`rowsift.suggest.fills`), in columns without a ``majority`` repair.
    """
    sample = profile.sample if repaired is None else repaired
    coded = CodedSample(sample, profile.columns)
    found = (
        profile.dependencies
        if repaired is None
        else find_dependencies(repaired, profile.columns, coded=coded, min_mu=CLAIM_MU)
    )
    claims = Claims(sample, profile.columns)
    chosen = _chosen(found, sample, limits, set(), claims=claims)
    if any(column.semantic in CLAIMED_ONLY for column in profile.columns):
        timed = find_dependencies(
            sample, profile.columns, coded=coded, min_mu=CLAIM_MU, classes=CLAIMED_ONLY
        )
        chosen |= _chosen(timed, sample, limits, set(chosen), claims=claims, only=True)
    left = {c.name for c in profile.columns if c.name not in {dependent for _, dependent in chosen}}
    paired = find_paired_dependencies(
        sample, profile.columns, found, left, min_mu=limits.dependency_mu, coded=coded
    )
    chosen |= _chosen(paired, sample, limits, set(chosen))
    rules: dict[str, list[ColumnRuleSpec]] = {}
    for dependency, blame in _one_way(chosen, profile).values():
        named = " and ".join(dependency.determinants)
        claimed = (
            ""
            if blame.source is None
            else f"; claims by several `{blame.source}` values about one {named}, held to "
            f"{CLAIM_SHARE:.0%} agreement and {CLAIM_LIKENESS:.0%} error-like disagreement"
        )
        evidence = Evidence(
            statistic=f"agreement beyond chance (mu) with the {named} group",
            observed=round(dependency.mu, 6),
            threshold=limits.dependency_mu if blame.source is None else CLAIM_MU,
            examples=blame.examples,
            note=f"{dependency.share:.1%} of {dependency.support} rows in {dependency.groups} "
            f"groups hold their group's majority; {blame.likeness:.0%} of disagreeing values "
            f"look like errors{claimed}",
        )
        repair = majority_repair(dependency, blame)
        if majority is not None and repair is not None:
            majority[dependency.dependent] = repair
        rules.setdefault(dependency.dependent, []).append(
            ColumnRuleSpec.model_validate(
                {
                    "determined_by": {
                        "columns": list(dependency.determinants),
                        "min_support": dependency.min_support,
                        "evidence": evidence,
                    }
                }
            )
        )
    if fills is not None:
        kept = {
            dependent: tuple(cast(MajorityArgs, transform.args).by)
            for dependent, (transform, _) in (majority or {}).items()
        }
        time = time_column(profile.columns)
        fills += suggest_fills(sample, profile.columns, found, kept=kept, time=time)
    return rules


def majority_repair(dependency: Dependency, blame: Blame) -> tuple[TransformSpec, Evidence] | None:
    """A ``majority`` repair of the dependent, when what its dependency blames looks like noise.

    Both of: some rows of the sample disagree with their group (an exact dependency gives no
    sign of noise, only of how this batch happened to be); at least `MAJORITY_TYPO_LIKE` of
    what it blames is rare in the column or close to its group's majority (the rule itself
    already passed the split-vote guard). The repair needs `MAJORITY_SHARE` of a group and the
    rule's own support.
    """
    if dependency.conforming >= dependency.support:
        return None
    if blame.typo_like < MAJORITY_TYPO_LIKE:
        return None
    transform = TransformSpec.model_validate(
        {
            "majority": {
                "by": list(dependency.determinants),
                "min_share": MAJORITY_SHARE,
                "min_rows": max(dependency.min_support, 3),
            }
        }
    )
    named = " and ".join(dependency.determinants)
    evidence = Evidence(
        statistic=f"share of the values off their {named} group's majority that look like typos",
        observed=round(blame.typo_like, 6),
        threshold=MAJORITY_TYPO_LIKE,
        examples=blame.examples,
        note=f"{dependency.support - dependency.conforming} of {dependency.support} rows differ "
        f"from their group's majority; repaired where it holds {MAJORITY_SHARE:.0%} of the group",
    )
    return transform, evidence


class Claims:
    """The source of each determinant's claims (`rowsift.suggest.claims.claim_source`), looked
    for once per determinant."""

    def __init__(self, sample: nw.DataFrame[Any], columns: Sequence[ColumnProfile]) -> None:
        self._sample = sample
        self._columns = columns
        self._sources: dict[tuple[str, ...], str | None] = {}

    def source(self, determinants: tuple[str, ...]) -> str | None:
        """The column naming who claims about the entities `determinants` name, or None."""
        if determinants not in self._sources:
            self._sources[determinants] = claim_source(self._sample, self._columns, determinants)
        return self._sources[determinants]


def _holds(blame: Blame, likeness: float, split: float) -> bool:
    """Whether what a dependency blames looks like errors enough, with few split votes."""
    return blame.likeness >= likeness and blame.split <= split


def _chosen(
    found: list[Dependency],
    sample: nw.DataFrame[Any],
    limits: Thresholds,
    taken: set[Any],
    *,
    claims: Claims | None = None,
    only: bool = False,
) -> Chosen:
    """The best dependency (first in `found`) of each dependent not yet `taken` that passes
    the thresholds and blames what looks like errors; or, with `claims` to look for a source
    in, that passes the looser terms of claims by several sources (`rowsift.suggest.claims`):
    where the ordinary terms do not hold, and `only` on those terms."""
    chosen: Chosen = {}
    done = {dependent for _, dependent in taken}
    for dependency in found:  # best μ first
        if dependency.dependent in done or dependency.groups < 2:
            continue
        ordinary = not only and (
            dependency.mu >= limits.dependency_mu and dependency.share >= limits.dependency_share
        )
        claimed = claims is not None and (
            dependency.mu >= CLAIM_MU
            and dependency.share >= CLAIM_SHARE
            # enough claims about an entity for its majority to outvote the rest
            and dependency.support >= CLAIM_VOTES * dependency.groups
        )
        if not (ordinary or claimed):
            continue
        source = None if ordinary or claims is None else claims.source(dependency.determinants)
        if not ordinary and source is None:
            continue
        blame = Blame(likeness=1.0, typo_like=1.0, examples=[])
        if dependency.conforming < dependency.support:
            keys = zip(*(sample[name].to_list() for name in dependency.determinants), strict=True)
            pairs = list(
                zip(
                    (None if None in key else key for key in keys),
                    sample[dependency.dependent].to_list(),
                    strict=True,
                )
            )
            blame = error_likeness(pairs, dependency.min_support)
            if source is None and not _holds(blame, LIKENESS, SPLIT_VOTES):
                # the ordinary terms fail on what it blames: claims' terms may hold
                if not claimed or claims is None:
                    continue
                source = claims.source(dependency.determinants)
                if source is None:
                    continue
            if source is not None and not _holds(blame, CLAIM_LIKENESS, CLAIM_SPLIT):
                continue
        blame = replace(blame, source=source)
        done.add(dependency.dependent)
        chosen[(dependency.determinants, dependency.dependent)] = (dependency, blame)
    return chosen
