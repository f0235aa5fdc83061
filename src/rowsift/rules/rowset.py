"""Rules that judge a row against the other rows: uniqueness, duplicates, dependencies.

Each says which rows are blamed. "First" is always the lowest ``_rowsift_row``, so the answer
does not depend on the order an engine happens to produce rows in.
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


def _others_in_group(names: list[str], keep: Keep) -> nw.Expr:
    """Rows of a group with more than one member, less the one that is kept."""
    crowded = nw.col(ROW).count().over(*names) > 1
    if keep == "first":
        return crowded & (nw.col(ROW) != nw.col(ROW).min().over(*names))
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

    def blamed(self, names: list[str]) -> nw.Expr:
        """True on the rows this rule quarantines; `names` hold the values of `columns`."""
        keep: Keep = "first" if self.blame == "all_but_first" else "none"
        return _present(names) & _others_in_group(names, keep)


@dataclass(frozen=True, kw_only=True)
class Duplicate:
    """Rows equal on every given column (null equals null); `keep` says which one stays."""

    name: ClassVar[str] = "duplicate"
    columns: tuple[str, ...]
    keep: Keep = "first"
    severity: Severity = "error"

    def blamed(self, names: list[str]) -> nw.Expr:
        """True on the rows this rule quarantines; `names` hold the values of `columns`."""
        return _others_in_group(names, self.keep)


@dataclass(frozen=True, kw_only=True)
class DeterminedBy:
    """A functional dependency: within a group of `columns`, the minority values are blamed.

    Groups with fewer than `min_support` rows are not judged; a tie for the majority blames
    no one.
    """

    name: ClassVar[str] = "determined_by"
    columns: tuple[str, ...]
    min_support: int = 3
    severity: Severity = "error"

    def blamed(self, names: list[str]) -> nw.Expr:
        """`names` hold the determinant columns' values, then the dependent column's last."""
        *determinants, dependent = names
        pair_count = nw.col(ROW).count().over(*determinants, dependent)
        group_size = nw.col(ROW).count().over(*determinants)
        majority = pair_count.max().over(*determinants)
        return _present(names) & (group_size >= self.min_support) & (pair_count < majority)


RowSetRule = Unique | Duplicate | DeterminedBy
ROWSET_RULES: tuple[type[RowSetRule], ...] = (Unique, Duplicate, DeterminedBy)
