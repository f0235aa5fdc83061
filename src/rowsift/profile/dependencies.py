"""Functional dependencies ``A → B`` that chance does not explain, found on the sample.

Only columns whose class can determine (codes, categories, identifiers that repeat) are
determinants; measures, counts, booleans, dates and free text never are. A dependency is scored
with μ (Piatetsky-Shapiro and Matheus' pdep, corrected for what a random pairing of the same
group sizes and value counts gives): 0 for chance, 1 for an exact dependency. Raw agreement is
not enough: two sparse 0/1 columns "agree" on 90% of rows by chance alone.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

import narwhals.stable.v2 as nw

from rowsift._names import literal_column
from rowsift.profile.columns import ColumnProfile

if TYPE_CHECKING:  # NumPy is imported when a search runs, not with the profile package
    import numpy as np
    from numpy.typing import NDArray

DETERMINING = frozenset({"code", "categorical", "identifier"})
"""Classes that may determine another column."""
DEPENDENT = frozenset(
    {"code", "categorical", "identifier", "boolean", "count", "measure", "year", "free_text"}
)
"""Classes that may be determined (not constant or empty, and not dates or times of day)."""
MIN_GROUPS = 10
"""A determinant needs this many groups of at least two rows to be judged at all."""
MAX_DETERMINANTS = 24
MAX_DEPENDENTS = 48
"""Candidates kept (most groups first), so the cost does not grow with the table's width."""
MIN_SUPPORT = 3
PAIR_SEED_MU = 0.5
"""A pair of determinants is tried for a dependent that each of them explains this well alone..."""
PAIR_SEEDS = 4
"""...among the best this many such columns."""
TALLY_SPAN = 16
"""Pairs of codes are counted into a table when it has at most this many cells per row
(faster than sorting them); a larger table is sorted instead."""


@dataclass(frozen=True, kw_only=True)
class Dependency:
    """``determinant → dependent``: `conforming` of the `support` rows (in groups of at least
    `min_support` rows) hold their group's majority value; `mu` is the agreement beyond chance
    (1 exact, 0 what a random pairing gives)."""

    determinant: str
    dependent: str
    support: int
    conforming: int
    groups: int
    min_support: int
    mu: float = 1.0
    rows: int = 0
    paired_with: str | None = None
    """A second column that determines together with `determinant` (``(team, stadium) →
    city``), or None."""

    @property
    def determinants(self) -> tuple[str, ...]:
        """The determining column, and the one paired with it if any."""
        second = () if self.paired_with is None else (self.paired_with,)
        return (self.determinant, *second)

    @property
    def share(self) -> float:
        """The share of supported rows whose dependent value is their group's majority."""
        return self.conforming / self.support if self.support else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        found: dict[str, Any] = {"determinant": self.determinant}
        if self.paired_with is not None:
            found["paired_with"] = self.paired_with
        return found | {
            "dependent": self.dependent,
            "share": round(self.share, 6),
            "mu": round(self.mu, 6),
            "support": self.support,
            "violations": self.support - self.conforming,
            "groups": self.groups,
        }


class CodedSample:
    """A sample's columns as dense integer codes (each worked out on first use), and the
    columns that may determine: shared by the search of single columns and of pairs."""

    def __init__(
        self,
        data: nw.DataFrame[Any],
        columns: tuple[ColumnProfile, ...],
        min_support: int = MIN_SUPPORT,
    ) -> None:
        self.data = data
        self._columns = columns
        self._min_support = min_support
        self._codes: dict[str, NDArray[np.int64]] = {}

    @cached_property
    def determinants(self) -> list[str]:
        """`_determinants` of the sample."""
        return _determinants(self.data, self._columns, self._min_support)

    def codes(self, name: str) -> NDArray[np.int64]:
        """`_codes` of one column."""
        if name not in self._codes:
            self._codes[name] = _codes(self.data, name)
        return self._codes[name]


def find_dependencies(
    data: nw.DataFrame[Any],
    columns: tuple[ColumnProfile, ...],
    *,
    min_support: int = MIN_SUPPORT,
    min_mu: float = 0.5,
    coded: CodedSample | None = None,
    classes: frozenset[str] = DEPENDENT,
) -> list[Dependency]:
    """Dependencies between single columns whose μ is at least `min_mu`, best first.

    Null determinants and null dependents are left out, as the `determined_by` rule does.
    `coded` is `data` coded already (with the same `min_support`); the dependents are the
    columns of the `classes` given.
    """
    if len(data) == 0:
        return []
    coded = coded or CodedSample(data, columns, min_support)
    determinants = coded.determinants
    if not determinants:
        return []
    dependents = [c.name for c in columns if c.semantic in classes][:MAX_DEPENDENTS]
    codes = {name: coded.codes(name) for name in {*determinants, *dependents}}
    found: list[Dependency] = []
    for left in determinants:
        for right in dependents:
            if right == left:
                continue
            dependency = _pair(codes[left], codes[right], left, right, min_support)
            if (
                dependency is not None
                and dependency.mu >= min_mu
                and dependency.support >= 0.5 * dependency.rows
            ):
                found.append(dependency)
    return sorted(found, key=lambda d: (-d.mu, -d.support, d.determinant, d.dependent))


def find_paired_dependencies(
    data: nw.DataFrame[Any],
    columns: tuple[ColumnProfile, ...],
    single: list[Dependency],
    dependents: set[str],
    *,
    min_mu: float,
    min_support: int = MIN_SUPPORT,
    coded: CodedSample | None = None,
) -> list[Dependency]:
    """Dependencies of `dependents` on two columns together (``(team, stadium) → city``), each
    clearly better than either column alone; the coarsest first (fewest groups: a pair with an
    entity's key holds by making groups small, not by what it says). `coded` is `data` coded
    already.

    A pair is tried only when each of its columns already explains the dependent in part (a
    `single` dependency with μ of at least `PAIR_SEED_MU`): the pair must then reach `min_mu`
    and halve the share of rows off their group's majority of the best single column; a
    column that says nothing of the dependent alone (a flight number beside a destination,
    for a distance) only splits groups, and hides their minorities in groups of their own.
    """
    if len(data) == 0 or not dependents:
        return []
    coded = coded or CodedSample(data, columns, min_support)
    determinants = coded.determinants
    best: dict[str, Dependency] = {}
    seeds: dict[str, list[str]] = {}
    for found in single:  # best μ first
        if found.dependent in dependents and found.paired_with is None:
            best.setdefault(found.dependent, found)
            if found.mu >= PAIR_SEED_MU and found.determinant in determinants:
                seeds.setdefault(found.dependent, []).append(found.determinant)
    codes = {name: coded.codes(name) for name in {*determinants, *seeds}}
    place = {column.name: index for index, column in enumerate(columns)}
    combined: dict[tuple[str, str], NDArray[np.int64] | None] = {}
    paired: list[Dependency] = []
    for right, lefts in seeds.items():
        for pair in itertools.combinations(lefts[:PAIR_SEEDS], 2):
            first, second = sorted(pair, key=place.__getitem__)
            if (first, second) not in combined:
                combined[(first, second)] = _combined(codes[first], codes[second])
            pair_codes = combined[(first, second)]
            if pair_codes is None:
                continue
            tried = _pair(pair_codes, codes[right], first, right, min_support)
            if tried is None or tried.mu < min_mu or tried.support < 0.5 * tried.rows:
                continue
            if 1 - tried.share > (1 - best[right].share) / 2:
                continue
            paired.append(replace(tried, paired_with=second))
    return sorted(paired, key=lambda d: (d.groups, -d.mu, d.determinants, d.dependent))


def _combined(x: NDArray[np.int64], y: NDArray[np.int64]) -> NDArray[np.int64] | None:
    """Codes of the pairs of values of two columns (null if either is), or None when the pair
    is too fine to be judged: fewer than `MIN_GROUPS` repeated pairs, or more pairs than half
    the rows."""
    import numpy as np

    present = (x >= 0) & (y >= 0)
    joined = np.where(present, x * (int(y.max()) + 1) + y, -1)
    values, codes, sizes = np.unique(joined, return_inverse=True, return_counts=True)
    if values[0] < 0:
        codes, sizes = codes - 1, sizes[1:]
    if len(sizes) > max(1, int(present.sum())) / 2 or int((sizes >= 2).sum()) < MIN_GROUPS:
        return None
    return codes.astype(np.int64)


def _determinants(
    data: nw.DataFrame[Any], columns: tuple[ColumnProfile, ...], min_support: int
) -> list[str]:
    """Columns that may determine, with at least `MIN_GROUPS` repeated values, at most half as
    many values as rows; those with most groups of `min_support` rows first."""
    scored: list[tuple[int, str]] = []
    for column in columns:
        if column.semantic not in DETERMINING:
            continue
        counts = data.select(literal_column(column.name).alias("v")).filter(~nw.col("v").is_null())
        sizes = counts.group_by("v").agg(nw.len().alias("n"))["n"]
        if len(sizes) > max(1, len(counts)) / 2:
            continue
        supported = int((sizes >= min_support).sum())
        if int((sizes >= 2).sum()) >= MIN_GROUPS:
            scored.append((supported, column.name))
    scored.sort(key=lambda item: -item[0])
    return [name for _, name in scored[:MAX_DETERMINANTS]]


def measure(data: nw.DataFrame[Any], left: str, right: str, min_support: int) -> Dependency | None:
    """μ, support and agreement of ``left → right`` on the rows where both are present.

    >>> import polars as pl
    >>> frame = nw.from_native(pl.DataFrame({"zip": ["1", "1", "1", "2", "2", "2"] * 5,
    ...                                      "city": ["A", "A", "A", "B", "B", "B"] * 5}))
    >>> found = measure(frame, "zip", "city", 3)
    >>> found.mu, found.share
    (1.0, 1.0)
    """
    return _pair(_codes(data, left), _codes(data, right), left, right, min_support)


def _codes(data: nw.DataFrame[Any], name: str) -> NDArray[np.int64]:
    """A column's values as dense integer codes from 0, null as -1: pairs of columns are then
    counted by sorting integers, not by grouping text (the search measures hundreds of pairs)."""
    import numpy as np

    ranked = data.select(literal_column(name).rank(method="dense").fill_null(0).alias("v"))
    return ranked["v"].to_numpy().astype(np.int64) - 1


def _pair(
    x: NDArray[np.int64], y: NDArray[np.int64], left: str, right: str, min_support: int
) -> Dependency | None:
    """`measure` on the codes of the two columns."""
    import numpy as np

    present = (x >= 0) & (y >= 0)
    xs, ys = x[present], y[present]
    n = len(xs)
    if n < 2:
        return None
    width = int(ys.max()) + 1
    pairs, counts = _tallied(xs * width + ys, (int(xs.max()) + 1) * width)
    group_of = pairs // width  # sorted, so each group's pairs are adjacent
    starts = np.concatenate(([0], np.flatnonzero(np.diff(group_of)) + 1))
    sizes = np.add.reduceat(counts, starts)
    tops = np.maximum.reduceat(counts, starts)
    squares = np.add.reduceat(counts * counts, starts)
    by_y = np.bincount(ys)
    by_y = by_y[by_y > 0]
    groups = len(sizes)
    if groups >= n or len(by_y) < 2:
        return None
    pdep_xy = float((squares / sizes).sum()) / n
    pdep_y = float(((by_y / n) ** 2).sum())
    mu = 1 - (1 - pdep_xy) / (1 - pdep_y) * (n - 1) / (n - groups) if pdep_y < 1 else 0.0
    judged = sizes >= min_support
    return Dependency(
        determinant=left,
        dependent=right,
        support=int(sizes[judged].sum()),
        conforming=int(tops[judged].sum()),
        groups=int(judged.sum()),
        min_support=min_support,
        mu=round(max(mu, 0.0), 6),
        rows=n,
    )


def _tallied(keys: NDArray[np.int64], span: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The distinct `keys` (all below `span`), ascending, and how often each occurs: counted
    into a table when the span is small against the number of keys (several times faster than
    sorting them), else sorted.

    >>> import numpy as np
    >>> _tallied(np.array([3, 1, 3, 0]), 4)
    (array([0, 1, 3]), array([1, 1, 2]))
    """
    import numpy as np

    if span > TALLY_SPAN * len(keys):
        return np.unique(keys, return_counts=True)
    tally = np.bincount(keys, minlength=span)
    present = np.flatnonzero(tally)
    return present, tally[present]
