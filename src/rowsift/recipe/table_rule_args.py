"""The arguments of the rules written under ``rows:`` and ``dataset:`` (DESIGN.md section 3)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar, Literal

from pydantic import Field

from rowsift.exceptions import Problem
from rowsift.recipe.arguments import DatasetRuleArgs, RowRuleArgs
from rowsift.recipe.context import Context
from rowsift.rules.dataset import NullRate, QuarantineRate, RowCount
from rowsift.rules.rowset import Duplicate, Unique

# -- rows: ----------------------------------------------------------------------------------------


def _columns_problems(columns: list[str] | None, context: Context) -> Iterator[Problem]:
    for index, name in enumerate(columns or []):
        yield from context.unknown(name, f".columns[{index}]")


class DuplicateArgs(RowRuleArgs):
    """``duplicate: {keep, columns}``: rows equal on `columns` (default: every declared column)."""

    rule: ClassVar = Duplicate

    keep: Literal["first", "last", "none"] = "first"
    columns: list[str] | None = None

    def problems(self, context: Context) -> Iterator[Problem]:
        """Unknown columns, or no column to compare at all."""
        if not self.columns and not context.columns:
            yield Problem(
                "duplicate compares the declared columns, and this recipe declares none",
                path="",
                hint="list the columns to compare: duplicate: {columns: [...]}, and declare them",
            )
        yield from _columns_problems(self.columns, context)

    def build(self, context: Context) -> Duplicate:
        """The rule, on the given columns or every declared one."""
        columns = tuple(self.columns) if self.columns else tuple(context.columns)
        return Duplicate(columns=columns, keep=self.keep, severity=self.severity)


def _is_any(value: str) -> bool:
    return value == "any"


class RowUniqueArgs(RowRuleArgs):
    """``unique: {columns, blame, ignore_if_null}``: no two rows share the combination of values.

    `ignore_if_null` says which rows are left out: those with a null in `any` key column (the
    default), or only those whose key is null in `all` of them (then null equals null).
    """

    rule: ClassVar = Unique

    columns: list[str] = Field(min_length=1)
    blame: Literal["all_but_first", "all"] = "all_but_first"
    ignore_if_null: Literal["any", "all"] = Field(default="any", exclude_if=_is_any)
    """Came after version 0.1: left out at its default (see `is_none`)."""

    def problems(self, context: Context) -> Iterator[Problem]:
        """Unknown columns."""
        return _columns_problems(self.columns, context)

    def build(self, context: Context) -> Unique:
        """The rule."""
        return Unique(
            columns=tuple(self.columns),
            blame=self.blame,
            ignore_if_null=self.ignore_if_null,
            severity=self.severity,
        )


ROW_RULE_ARGS: tuple[type[RowRuleArgs], ...] = (DuplicateArgs, RowUniqueArgs)
"""What may be written under ``rows:``."""

# -- dataset: -------------------------------------------------------------------------------------


class RowCountArgs(DatasetRuleArgs):
    """``row_count: {min, max, of}``: the number of input (or clean) rows."""

    rule: ClassVar = RowCount

    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)
    of: Literal["input", "clean"] = "input"

    def problems(self, context: Context) -> Iterator[Problem]:
        """Bounds no count can fall within."""
        if self.min is not None and self.max is not None and self.min > self.max:
            yield Problem("min is larger than max", path="")

    def build(self, context: Context) -> RowCount:
        """The rule."""
        return RowCount(min=self.min, max=self.max, of=self.of, severity=self.severity)


class QuarantineRateArgs(DatasetRuleArgs):
    """``quarantine_rate: {max}``: the share of rows quarantined."""

    rule: ClassVar = QuarantineRate

    max: float = Field(ge=0, le=1)

    def build(self, context: Context) -> QuarantineRate:
        """The rule."""
        return QuarantineRate(max=self.max, severity=self.severity)


class NullRateArgs(DatasetRuleArgs):
    """``null_rate: {column, max}``: the share of nulls in a column after transforms."""

    rule: ClassVar = NullRate

    column: str
    max: float = Field(ge=0, le=1)

    def problems(self, context: Context) -> Iterator[Problem]:
        """An unknown column."""
        return context.unknown(self.column, ".column")

    def id_detail(self) -> str | None:
        """The column: ``dataset.null_rate.<column>``."""
        return self.column

    def build(self, context: Context) -> NullRate:
        """The rule."""
        return NullRate(column=self.column, max=self.max, severity=self.severity)


DATASET_RULE_ARGS: tuple[type[DatasetRuleArgs], ...] = (
    RowCountArgs,
    QuarantineRateArgs,
    NullRateArgs,
)
"""What may be written under ``dataset:``."""
