"""What a rule's or transform's arguments may know of the rest of the recipe: its columns."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace

from rowsift.exceptions import Problem
from rowsift.recipe.values import ColumnType

DEFAULT_PRECISION = 38
DEFAULT_SCALE = 9


@dataclass(frozen=True, kw_only=True)
class ColumnInfo:
    """A declared column: its name and type (decimal precision and scale as they take effect)."""

    name: str
    type: ColumnType
    precision: int = DEFAULT_PRECISION
    scale: int = DEFAULT_SCALE


@dataclass(frozen=True, kw_only=True)
class Context:
    """The declared columns, in order, and the column an entry is written under (if any)."""

    columns: Mapping[str, ColumnInfo] = field(default_factory=dict)
    column: ColumnInfo | None = None

    @property
    def own(self) -> ColumnInfo:
        """The column the entry is written under; only column rules ask for it."""
        if self.column is None:
            raise ValueError("a column rule is compiled without its column")
        return self.column

    def under(self, name: str) -> Context:
        """The same columns, seen from the entries written under column `name`."""
        return replace(self, column=self.columns[name])

    def unknown(self, name: str, path: str) -> Iterator[Problem]:
        """A problem if `name` is not a declared column, with a "did you mean" hint."""
        if name in self.columns:
            return
        close = difflib.get_close_matches(name, list(self.columns), n=1)
        hint = f"did you mean {close[0]!r}?" if close else "declare it under columns:"
        yield Problem(f"unknown column {name!r}", path=path, hint=hint)
