"""Rules that judge a row against the other rows: uniqueness, duplicates, dependencies.

Each says which rows are blamed. "First" is always the lowest ``_rowsift_row``, so the answer
does not depend on the order an engine happens to produce rows in. Rules that keep the first row
of a group read `seen_before`: a boolean column, computed by the engine in the cheapest way its
backend allows, that is true where a row with a lower ``_rowsift_row`` has equal key values
(null equal to null). Rules that need group sizes declare them as `GroupStat`s (`group_stats`),
which the engine adds as columns named with the prefix it passes, in stages: a stat may
aggregate one of an earlier stage (engines cannot nest windows).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal, TypeAlias

from rowsift._names import ROW
from rowsift.rules.severity import Severity

# narwhals is imported where an expression is built: compiling a recipe (`rowsift check`)
# builds none
if TYPE_CHECKING:
    import narwhals.stable.v2 as nw

Blame = Literal["all_but_first", "all"]
IgnoreIfNull = Literal["any", "all"]
Keep = Literal["first", "last", "none"]


@dataclass(frozen=True, kw_only=True)
class GroupStat:
    """Per row, an aggregate over the rows that share its `keys` values (null equal to null).

    ``count`` is how many of those rows have a non-null `column`, ``max`` the largest `column`.
    The engine stores it in `target`: as a narwhals window (`window`) where the backend runs
    one, by a native group-by where it does not (Dask).
    """

    keys: tuple[str, ...]
    column: str
    how: Literal["count", "max"]
    target: str

    def window(self) -> nw.Expr:
        """The stat as a window expression."""
        import narwhals.stable.v2 as nw

        value = nw.col(self.column)
        aggregate = value.count() if self.how == "count" else value.max()
        return aggregate.over(*self.keys).alias(self.target)


Stages: TypeAlias = tuple[tuple[GroupStat, ...], ...]
"""Group stats in the order they are computed; a stage may aggregate an earlier one."""


def _present(names: list[str], ignore_if_null: IgnoreIfNull = "any") -> nw.Expr:
    """Rows a key rule judges: no key value null (`any`), or at least one present (`all`)."""
    import narwhals.stable.v2 as nw

    present = [~nw.col(name).is_null() for name in names]
    if ignore_if_null == "all":
        return nw.any_horizontal(*present, ignore_nulls=False)
    return nw.all_horizontal(*present, ignore_nulls=False)


def _group_sizes(names: list[str], keep: Keep, prefix: str) -> Stages:
    """The group's size, and for `last` its last row: all `_others_in_group` needs."""
    if keep == "first":
        return ()
    stats = [GroupStat(keys=tuple(names), column=ROW, how="count", target=f"{prefix}size")]
    if keep == "last":
        stats.append(GroupStat(keys=tuple(names), column=ROW, how="max", target=f"{prefix}last"))
    return (tuple(stats),)


def _others_in_group(keep: Keep, seen_before: str, prefix: str) -> nw.Expr:
    """Rows of a group with more than one member, less the one that is kept."""
    import narwhals.stable.v2 as nw

    if keep == "first":
        return nw.col(seen_before)
    crowded = nw.col(f"{prefix}size") > 1
    if keep == "last":
        return crowded & (nw.col(ROW) != nw.col(f"{prefix}last"))
    return crowded


@dataclass(frozen=True, kw_only=True)
class Unique:
    """No two rows share the same value(s).

    Rows with a null in `any` key column are ignored (the default); with ``ignore_if_null="all"``
    only rows whose key is null in every column are, and null equals null among the others.
    """

    name: ClassVar[str] = "unique"
    columns: tuple[str, ...]
    blame: Blame = "all_but_first"
    ignore_if_null: IgnoreIfNull = "any"
    severity: Severity = "error"

    @property
    def grouped(self) -> tuple[str, ...]:
        """The columns whose values `blamed` reads, in the order it reads them."""
        return self.columns

    @property
    def needs_seen_before(self) -> bool:
        """Whether `blamed` reads the engine's `seen_before` column."""
        return self.blame == "all_but_first"

    @property
    def _keep(self) -> Keep:
        return "first" if self.blame == "all_but_first" else "none"

    def group_stats(self, names: list[str], prefix: str) -> Stages:
        """The group sizes `blamed` reads, for `blame: all`."""
        return _group_sizes(names, self._keep, prefix)

    def blamed(self, names: list[str], seen_before: str, prefix: str) -> nw.Expr:
        """True on the rows this rule quarantines; `names` hold the values of `columns`."""
        others = _others_in_group(self._keep, seen_before, prefix)
        return _present(names, self.ignore_if_null) & others


@dataclass(frozen=True, kw_only=True)
class Duplicate:
    """Rows equal on every given column (null equals null); `keep` says which one stays."""

    name: ClassVar[str] = "duplicate"
    columns: tuple[str, ...]
    keep: Keep = "first"
    severity: Severity = "error"

    @property
    def grouped(self) -> tuple[str, ...]:
        """The columns whose values `blamed` reads, in the order it reads them."""
        return self.columns

    @property
    def needs_seen_before(self) -> bool:
        """Whether `blamed` reads the engine's `seen_before` column."""
        return self.keep == "first"

    def group_stats(self, names: list[str], prefix: str) -> Stages:
        """The group sizes `blamed` reads, unless the first row is kept."""
        return _group_sizes(names, self.keep, prefix)

    def blamed(self, names: list[str], seen_before: str, prefix: str) -> nw.Expr:
        """True on the rows this rule quarantines; `names` hold the values of `columns`."""
        return _others_in_group(self.keep, seen_before, prefix)


@dataclass(frozen=True, kw_only=True)
class DeterminedBy:
    """A functional dependency: within a group of `columns`, the minority values of the
    `dependent` column are blamed.

    Groups with fewer than `min_support` non-null values are not judged; values that tie for
    the most frequent are not blamed, every less frequent value is.
    """

    name: ClassVar[str] = "determined_by"
    columns: tuple[str, ...]
    dependent: str
    min_support: int = 3
    severity: Severity = "error"

    needs_seen_before: ClassVar[bool] = False

    @property
    def grouped(self) -> tuple[str, ...]:
        """The determinant columns, then the dependent one: what `blamed` reads."""
        return (*self.columns, self.dependent)

    def group_stats(self, names: list[str], prefix: str) -> Stages:
        """How many rows share this row's determinant and (non-null) dependent values; then,
        per determinant, how many have a dependent value and the largest of those counts.

        `names` hold the determinant columns' values, then the dependent column's last.
        """
        determinants, dependent = tuple(names[:-1]), names[-1]
        pair = f"{prefix}pair"
        return (
            (GroupStat(keys=tuple(names), column=dependent, how="count", target=pair),),
            (
                GroupStat(keys=determinants, column=dependent, how="count", target=f"{prefix}n"),
                GroupStat(keys=determinants, column=pair, how="max", target=f"{prefix}top"),
            ),
        )

    def blamed(self, names: list[str], seen_before: str, prefix: str) -> nw.Expr:
        """`names` as in `group_stats`.

        Rows whose dependent value is null neither count toward a group's support nor vote.
        """
        import narwhals.stable.v2 as nw

        pair_count, support = nw.col(f"{prefix}pair"), nw.col(f"{prefix}n")
        majority = nw.col(f"{prefix}top")
        return _present(names) & (support >= self.min_support) & (pair_count < majority)


RowSetRule = Unique | Duplicate | DeterminedBy
"""Every row-set rule (the registry is read from this union)."""
