"""Rules that judge a row against the other rows: uniqueness, duplicates, dependencies.

Each says which rows are blamed. "First" is always the lowest ``_rowsift_row``, so the answer
does not depend on the order an engine happens to produce rows in. Rules that keep the first row
of a group read `seen_before`: a boolean column, computed by the engine in the cheapest way its
backend allows, that is true where a row with a lower ``_rowsift_row`` has equal key values
(null equal to null). A rule that needs a window over another window computes the inner one in
`prepare`; the engine stores it in the column named `prepared` (engines cannot nest windows).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

import narwhals.stable.v2 as nw

from rowsift._names import ROW
from rowsift.rules.severity import Severity

Blame = Literal["all_but_first", "all"]
Keep = Literal["first", "last", "none"]


def _present(names: list[str]) -> nw.Expr:
    return nw.all_horizontal(*(~nw.col(name).is_null() for name in names), ignore_nulls=False)


def _others_in_group(names: list[str], keep: Keep, seen_before: str) -> nw.Expr:
    """Rows of a group with more than one member, less the one that is kept."""
    if keep == "first":
        return nw.col(seen_before)
    crowded = nw.col(ROW).count().over(*names) > 1
    if keep == "last":
        return crowded & (nw.col(ROW) != nw.col(ROW).max().over(*names))
    return crowded


@dataclass(frozen=True, kw_only=True)
class Unique:
    """No two rows share the same value(s); rows with a null key are ignored."""

    name: ClassVar[str] = "unique"
    columns: tuple[str, ...]
    blame: Blame = "all_but_first"
    severity: Severity = "error"

    @property
    def needs_seen_before(self) -> bool:
        """Whether `blamed` reads the engine's `seen_before` column."""
        return self.blame == "all_but_first"

    def prepare(self, names: list[str]) -> nw.Expr | None:
        """Nothing to compute beforehand."""
        return None

    def blamed(self, names: list[str], seen_before: str, prepared: str) -> nw.Expr:
        """True on the rows this rule quarantines; `names` hold the values of `columns`."""
        keep: Keep = "first" if self.blame == "all_but_first" else "none"
        return _present(names) & _others_in_group(names, keep, seen_before)


@dataclass(frozen=True, kw_only=True)
class Duplicate:
    """Rows equal on every given column (null equals null); `keep` says which one stays."""

    name: ClassVar[str] = "duplicate"
    columns: tuple[str, ...]
    keep: Keep = "first"
    severity: Severity = "error"

    @property
    def needs_seen_before(self) -> bool:
        """Whether `blamed` reads the engine's `seen_before` column."""
        return self.keep == "first"

    def prepare(self, names: list[str]) -> nw.Expr | None:
        """Nothing to compute beforehand."""
        return None

    def blamed(self, names: list[str], seen_before: str, prepared: str) -> nw.Expr:
        """True on the rows this rule quarantines; `names` hold the values of `columns`."""
        return _others_in_group(names, self.keep, seen_before)


@dataclass(frozen=True, kw_only=True)
class DeterminedBy:
    """A functional dependency: within a group of `columns`, the minority values are blamed.

    Groups with fewer than `min_support` non-null values are not judged; values that tie for
    the most frequent are not blamed, every less frequent value is.
    """

    name: ClassVar[str] = "determined_by"
    columns: tuple[str, ...]
    min_support: int = 3
    severity: Severity = "error"

    needs_seen_before: ClassVar[bool] = False

    def prepare(self, names: list[str]) -> nw.Expr | None:
        """How many rows share this row's determinant and (non-null) dependent values."""
        return nw.col(names[-1]).count().over(*names)

    def blamed(self, names: list[str], seen_before: str, prepared: str) -> nw.Expr:
        """`names` hold the determinant columns' values, then the dependent column's last.

        Rows whose dependent value is null neither count toward a group's support nor vote.
        """
        determinants = names[:-1]
        pair_count = nw.col(prepared)
        group_size = nw.col(names[-1]).count().over(*determinants)
        majority = pair_count.max().over(*determinants)
        return _present(names) & (group_size >= self.min_support) & (pair_count < majority)


RowSetRule = Unique | Duplicate | DeterminedBy
ROWSET_RULES: tuple[type[RowSetRule], ...] = (Unique, Duplicate, DeterminedBy)
