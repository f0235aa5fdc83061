"""Loading a recipe: YAML text → plain data → the model → its meaning; every problem at once."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from rowsift.exceptions import Problem, RecipeError
from rowsift.recipe.meaning import check_meaning
from rowsift.recipe.model import CURRENT_VERSION, Recipe
from rowsift.recipe.yaml_text import Location, field_path, line_of, location_of, parse_yaml


def validate_recipe(
    data: Any, *, file: str = "", lines: dict[Location, int] | None = None
) -> Recipe:
    """Validate parsed YAML as a recipe; every problem is reported at once."""
    lines = lines or {}
    if not isinstance(data, dict):
        got = type(data).__name__ if data is not None else "an empty file"
        raise RecipeError([Problem(f"a recipe is a YAML mapping, got {got}", line=1)], file=file)
    version = data.get("version")
    if version is None:
        problem = Problem(
            "missing required key 'version'",
            line=1,
            hint=f"start the file with 'version: {CURRENT_VERSION}'",
        )
        raise RecipeError([problem], file=file)
    if version != CURRENT_VERSION:
        problem = Problem(
            f"unsupported recipe version {version!r}; this rowsift reads version {CURRENT_VERSION}",
            path="version",
            line=line_of(("version",), lines),
            hint="upgrade rowsift to read newer recipes",
        )
        raise RecipeError([problem], file=file)
    try:
        return Recipe.model_validate(data)
    except ValidationError as exc:
        problems = [_problem_from(error, lines) for error in exc.errors()]
        raise RecipeError(problems, file=file) from None


def _problem_from(error: Any, lines: dict[Location, int]) -> Problem:
    loc: Location = tuple(error["loc"])
    message = str(error["msg"])
    hint = ""
    if error["type"] == "extra_forbidden":
        *parent, key = loc
        message = f"unknown key {key!r}"
        hint = _did_you_mean(str(key), _known_keys(tuple(parent)))
        loc = (*tuple(parent), key)
    elif error["type"] == "literal_error":
        expected = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))
        message = f"{error['input']!r} is not one of: {', '.join(expected)}"
        hint = _did_you_mean(str(error["input"]), expected) if expected else ""
    elif error["type"] == "missing":
        message = f"missing required key {loc[-1]!r}"
    elif "input" in error and error["type"] not in ("value_error",):
        message = f"{message}, got {error['input']!r}"
    message = message.removeprefix("Value error, ")
    return Problem(message, path=field_path(loc), line=line_of(loc, lines), hint=hint)


def _known_keys(parent: Location) -> list[str]:
    """The keys allowed under a location, for "did you mean" hints."""
    model: type[BaseModel] | None = Recipe
    for part in parent:
        field = None if model is None or isinstance(part, int) else model.model_fields.get(part)
        if field is not None:  # a column name or a list index keeps the model it is under
            model = _model_in(field.annotation)
    return [] if model is None else [f.alias or n for n, f in model.model_fields.items()]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _did_you_mean(word: str, choices: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    return f"allowed here: {', '.join(choices)}" if choices else ""


def load_recipe_text(text: str, *, file: str = "") -> Recipe:
    """Parse and validate recipe YAML text (structure and meaning)."""
    data, lines = parse_yaml(text, file=file)
    recipe = validate_recipe(data, file=file, lines=lines)
    problems = [
        Problem(p.message, path=p.path, line=line_of(location_of(p.path), lines), hint=p.hint)
        for p in check_meaning(recipe)
    ]
    if problems:
        raise RecipeError(problems, file=file)
    return recipe


def load_recipe(path: str | os.PathLike[str]) -> Recipe:
    """Load a recipe from a YAML file; every problem is reported at once."""
    file = os.fspath(path)
    try:
        text = Path(file).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RecipeError(
            [Problem("file not found", hint="check the path of the recipe")], file=file
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RecipeError([Problem(f"cannot read the file: {exc}")], file=file) from None
    return load_recipe_text(text, file=file)
