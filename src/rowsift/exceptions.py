"""One error tree for rowsift: what went wrong, where, and a hint.

Failing rows are results, not exceptions; these errors are for problems that stop a run.
Only the command-line interface maps them to exit codes (`exit_code` says which).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "ContractError",
    "ExportError",
    "InputError",
    "InvariantViolation",
    "OutputError",
    "Problem",
    "RecipeError",
    "RowsiftError",
    "UsageError",
]


@dataclass(frozen=True)
class Problem:
    """One located problem: a message, the field path inside the recipe, the file line."""

    message: str
    path: str = ""
    line: int | None = None
    hint: str = ""

    def render(self, file: str = "") -> str:
        """Render as ``file:line: path: message`` followed by the hint, if any."""
        where = ":".join(part for part in (file, str(self.line) if self.line else "") if part)
        head = ": ".join(part for part in (where, self.path) if part)
        text = f"{head}: {self.message}" if head else self.message
        return f"{text}\n  Hint: {self.hint}" if self.hint else text


class RowsiftError(Exception):
    """Root of every error rowsift raises on purpose."""

    exit_code: int = 3

    def __init__(self, message: str, *, hint: str = "") -> None:
        self.message = message
        self.hint = hint
        super().__init__(self.render())

    def render(self) -> str:
        """The full, human-readable text of the error."""
        return f"{self.message}\n  Hint: {self.hint}" if self.hint else self.message


class UsageError(RowsiftError):
    """The command or API was called the wrong way (exit code 2)."""

    exit_code = 2


class RecipeError(RowsiftError):
    """A recipe is invalid; every problem found is listed at once (exit code 2).

    >>> err = RecipeError([Problem("unknown key 'rule'", path="columns.id", line=4)], file="r.yaml")
    >>> print(err.render())
    recipe r.yaml has 1 problem:
      r.yaml:4: columns.id: unknown key 'rule'
    """

    exit_code = 2

    def __init__(self, problems: Sequence[Problem], *, file: str = "") -> None:
        self.problems = tuple(problems)
        self.file = file
        super().__init__(self._summary())

    def _summary(self) -> str:
        count = len(self.problems)
        name = f"recipe {self.file}" if self.file else "the recipe"
        noun = "problem" if count == 1 else "problems"
        return f"{name} has {count} {noun}:"

    def render(self) -> str:
        """List every problem, each with its location and hint."""
        lines = [self._summary()]
        for problem in self.problems:
            lines.extend("  " + line for line in problem.render(self._located_in()).splitlines())
        return "\n".join(lines)

    def _located_in(self) -> str:
        """The file each problem's location starts with."""
        return self.file


class ContractError(RecipeError):
    """A file that cannot be imported into a recipe: none of the formats read, or one of them
    with the wrong shape (exit code 2, as a recipe's problems).

    >>> print(ContractError([Problem("it is no suite")], file="in.json").render())
    cannot import in.json:
      it is no suite
    """

    def _summary(self) -> str:
        return f"cannot import {self.file or 'the file'}:"

    def _located_in(self) -> str:
        return ""  # the file is named once, above its problems


class ExportError(RowsiftError):
    """A recipe cannot be exported to the format asked for: an unknown target, or a rule or
    source the target cannot express (exit code 2)."""

    exit_code = 2


class InputError(RowsiftError):
    """The input data cannot be used: missing file, unreadable bytes, missing column (exit 3)."""

    exit_code = 3

    def __init__(
        self, message: str, *, hint: str = "", file: str = "", line: int | None = None
    ) -> None:
        self.file = file
        self.line = line
        where = ":".join(part for part in (file, str(line) if line else "") if part)
        super().__init__(f"{where}: {message}" if where else message, hint=hint)


class OutputError(RowsiftError):
    """An output cannot be written: no space, no permission, locked by another run (exit 3).

    Nothing half-written is left under an output's name when this is raised.
    """

    exit_code = 3

    def __init__(self, message: str, *, hint: str = "", file: str = "") -> None:
        self.file = file
        super().__init__(f"{file}: {message}" if file else message, hint=hint)


class InvariantViolation(RowsiftError):
    """rowsift broke one of its own promises, e.g. a row was lost. Always a bug (exit 3)."""

    exit_code = 3
