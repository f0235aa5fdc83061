"""Reading and writing recipe YAML: safe loading, line numbers for errors, the compact form."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from rowsift._atomic import atomic_path
from rowsift.exceptions import Problem, RecipeError
from rowsift.recipe.entries import OneKey
from rowsift.recipe.model import CURRENT_VERSION, Recipe

Location = tuple[str | int, ...]


def parse_yaml(text: str, *, file: str = "") -> tuple[Any, dict[Location, int]]:
    """Safely parse YAML text; also map each key's path to its 1-based line."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise RecipeError(
            [
                Problem(
                    f"not valid YAML: {problem}", line=line, hint="check indentation and quoting"
                )
            ],
            file=file,
        ) from None
    lines: dict[Location, int] = {}
    if node is not None:
        lines.update(_node_lines(node, ()))
    return data, lines


def _node_lines(node: yaml.Node, here: Location) -> Iterator[tuple[Location, int]]:
    yield here, node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            path = (*here, str(key.value))
            yield path, key.start_mark.line + 1
            yield from ((p, n) for p, n in _node_lines(value, path) if p != path)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _node_lines(item, (*here, index))


def field_path(loc: Location) -> str:
    """``('columns', 'amount', 'rules', 1)`` → ``columns.amount.rules[1]``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def line_of(loc: Location, lines: dict[Location, int]) -> int | None:
    """The line of the deepest known prefix of a location."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


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
    from rowsift.recipe.meaning import check_meaning

    data, lines = parse_yaml(text, file=file)
    recipe = validate_recipe(data, file=file, lines=lines)
    problems = [
        Problem(p.message, path=p.path, line=line_of(_loc_of(p.path), lines), hint=p.hint)
        for p in check_meaning(recipe)
    ]
    if problems:
        raise RecipeError(problems, file=file)
    return recipe


def _loc_of(path: str) -> Location:
    parts: list[str | int] = []
    for piece in path.replace("[", ".[").split("."):
        if piece.startswith("[") and piece.endswith("]"):
            parts.append(int(piece[1:-1]))
        elif piece:
            parts.append(piece)
    return tuple(parts)


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


# -- saving ---------------------------------------------------------------------------------------


def compact(recipe: Recipe) -> dict[str, Any]:
    """The recipe as plain data in the shortest form that loads back to the same recipe."""
    data = recipe.model_dump(mode="python", by_alias=True, exclude_defaults=True)
    data["version"] = recipe.version
    columns: dict[str, Any] = {}
    for name, column in recipe.columns.items():
        body = column.model_dump(
            mode="python", by_alias=True, exclude_defaults=True, exclude={"transforms", "rules"}
        )
        if column.transforms:
            body["transforms"] = [_compact_entry(entry) for entry in column.transforms]
        if column.rules:
            body["rules"] = [_compact_entry(entry) for entry in column.rules]
        if "evidence" in body:  # why, after what
            body["evidence"] = body.pop("evidence")
        columns[name] = body or None
    data["columns"] = columns
    for key, entries in (("rows", recipe.rows), ("dataset", recipe.dataset)):
        if entries:
            data[key] = [_compact_entry(entry) for entry in entries]
    order = [
        "version",
        "name",
        "description",
        "source",
        "columns",
        "rows",
        "dataset",
        "monitor",
        "rejected",
    ]
    return {key: data[key] for key in order if key in data}


def _compact_entry(entry: OneKey[Any]) -> Any:
    return entry.compact()


class _Dumper(yaml.SafeDumper):
    pass


_YAML_BREAKS = frozenset("\r\x85\u2028\u2029")


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # a double-quoted scalar escapes what YAML would otherwise fold or refuse
    unsafe = any(ch in _YAML_BREAKS or not ch.isprintable() for ch in value if ch != "\n")
    style = '"' if unsafe else "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_presenter)


def dump_recipe(recipe: Recipe) -> str:
    """The recipe as YAML text; a rule's evidence is repeated as a comment above it."""
    from rowsift.recipe.comments import with_evidence_comments

    text = yaml.dump(
        compact(recipe),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=None,
    )
    return with_evidence_comments(recipe, text)


def save_recipe(recipe: Recipe, path: str | os.PathLike[str]) -> None:
    """Write the recipe YAML atomically: a temporary file in the same folder, then a rename."""
    text = dump_recipe(recipe)
    with atomic_path(Path(path)) as tmp:
        tmp.write_text(text, encoding="utf-8")
