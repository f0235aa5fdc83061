"""A recipe assembled from another format's checks, with a list of what could not be mapped.

Importers add columns and rule entries as they read; `RecipeData.recipe` keeps each entry that a
recipe accepts on its own (checked as rowsift checks a recipe it loads) and lists the others
with the reason, so one odd check never sinks the whole import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from rowsift.recipe import Recipe
from rowsift.recipe.formats import format_problem
from rowsift.recipe.meaning import check_meaning
from rowsift.recipe.values import ColumnType

_TYPES: tuple[ColumnType, ...] = ("string", "int", "float", "bool", "date", "datetime", "decimal")
_PYTHON_END = re.compile(r"(?<!\\)((?:\\\\)*)\\Z")


@dataclass
class _Entry:
    where: str
    section: str  # "column", "rows" or "dataset"
    column: str | None
    body: Any


@dataclass
class RecipeData:
    """Columns and entries read so far, and the notes on what was not mapped."""

    name: str | None = None
    types: dict[str, ColumnType | None] = field(default_factory=dict)
    required: dict[str, bool] = field(default_factory=dict)
    formats: dict[str, str] = field(default_factory=dict)
    entries: list[_Entry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def column(self, name: Any, kind: Any = None, *, required: bool = True) -> bool:
        """Declare a column (again: its type is kept); False (and a note) for a bad name."""
        if not isinstance(name, str) or not name:
            self.notes.append(f"a column without a name ({name!r}) is left out")
            return False
        known = self.types.get(name)
        self.types[name] = kind if kind in _TYPES else known
        self.required.setdefault(name, required)
        return True

    def date_format(self, where: str, name: str, fmt: Any) -> None:
        """A date or datetime column's strftime format; one rowsift refuses is noted instead."""
        problem = format_problem(fmt) if isinstance(fmt, str) else ("not text", "")
        if problem is not None:
            self.notes.append(f"{where}: format {fmt!r} left out: {problem[0]}")
        elif self.types.get(name) in ("date", "datetime"):
            self.formats[name] = fmt

    def unmapped(self, where: str, why: str) -> None:
        """Note a check that has no rowsift rule."""
        self.notes.append(f"{where}: {why}")

    def rule(
        self, where: str, column: Any, kind: str, args: dict[str, Any] | None, severity: Any
    ) -> None:
        """A column rule; `args` None for a bare name, None values dropped."""
        if not self.column(column):
            return
        body: Any = kind
        if args is not None or severity == "warn":
            clean = {key: value for key, value in (args or {}).items() if value is not None}
            if severity == "warn":
                clean["severity"] = "warn"
            body = {kind: clean}
        self.entries.append(_Entry(where, "column", column, body))

    def pattern(self, where: str, column: Any, regex: str, severity: Any) -> None:
        """A `matches` rule from a Python-`re` pattern (``\\Z`` is rowsift's ``$``)."""
        self.rule(where, column, "matches", {"pattern": _PYTHON_END.sub(r"\1$", regex)}, severity)

    def compare(self, where: str, column: Any, op: str, other: Any, severity: Any) -> None:
        """A `compare` rule of `column` with `other`."""
        if self.column(other):
            self.rule(where, column, "compare", {"op": op, "column": other}, severity)

    def row(self, where: str, entry: dict[str, Any], severity: Any) -> None:
        """A `rows:` entry (one key)."""
        ((kind, body),) = entry.items()
        for name in body.get("columns") or []:
            self.column(name)
        if severity == "warn":
            body = {**body, "severity": "warn"}
        self.entries.append(_Entry(where, "rows", None, {kind: body}))

    def dataset(self, where: str, entry: dict[str, Any]) -> None:
        """A `dataset:` entry (one key); None values dropped."""
        ((kind, body),) = entry.items()
        clean = {key: value for key, value in body.items() if value is not None}
        self.entries.append(_Entry(where, "dataset", None, {kind: clean}))

    def recipe(self) -> tuple[Recipe, list[str]]:
        """The recipe of every entry it accepts, and the notes (entries refused included)."""
        for name, kind in list(self.types.items()):
            self.types[name] = kind or self._guess_type(name)
        kept: list[_Entry] = []
        for entry in self.entries:
            problem = self._problem([*kept, entry])
            if problem is None:
                kept.append(entry)
            else:
                self.notes.append(f"{entry.where}: not valid in a recipe: {problem}")
        return Recipe.model_validate(self._data(kept)), self.notes

    def _guess_type(self, name: str) -> ColumnType:
        """int or float where the column's bounds or members are numbers, else string."""
        values: list[Any] = []
        for entry in self.entries:
            if entry.column == name and isinstance(entry.body, dict):
                ((kind, args),) = entry.body.items()
                if kind == "between":
                    values += [args.get("min"), args.get("max")]
                elif kind == "in_set":
                    values += list(args.get("values") or [])
        numbers = [v for v in values if v is not None]
        if numbers and all(isinstance(v, int) and not isinstance(v, bool) for v in numbers):
            return "int"
        if numbers and all(isinstance(v, int | float) and not isinstance(v, bool) for v in numbers):
            return "float"
        return "string"

    def _data(self, entries: list[_Entry]) -> dict[str, Any]:
        columns: dict[str, dict[str, Any]] = {}
        for name, kind in self.types.items():
            spec: dict[str, Any] = {"type": kind or "string"}
            if name in self.formats:
                spec["format"] = self.formats[name]
            if not self.required.get(name, True):
                spec["required"] = False
            columns[name] = spec
        data: dict[str, Any] = {"version": 1, "columns": columns}
        if self.name:
            data["name"] = str(self.name)
        for entry in entries:
            if entry.section == "column":
                columns[str(entry.column)].setdefault("rules", []).append(entry.body)
            else:
                data.setdefault(entry.section, []).append(entry.body)
        return data

    def _problem(self, entries: list[_Entry]) -> str | None:
        try:
            recipe = Recipe.model_validate(self._data(entries))
        except ValidationError as error:
            first = error.errors()[0]
            return f"{'.'.join(map(str, first['loc']))}: {first['msg']}"
        problems = check_meaning(recipe)
        return problems[0].message if problems else None
