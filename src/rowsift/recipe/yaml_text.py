"""Recipe YAML as plain data: read with YAML 1.2's core schema, written so any reader agrees.

Reading walks libyaml's events once (no recursion, no alias is ever followed) and builds the
data and the line of every key and list item at the same time. A recipe is plain data, so
anchors and aliases, tags other than YAML's own plain ones, keys that are not scalars, repeated
keys and nesting deeper than `MAX_DEPTH` are recipe errors with their line, not surprises.

Plain scalars follow YAML 1.2's core schema, not YAML 1.1's: ``NO``, ``yes``, ``on`` and
``2024-01-31`` are text. Two rules keep a recipe's literals exact:

- mapping keys are names, always read as the text written (``01: a`` maps ``"01"``);
- a number written in a form Python would print differently (``01``, ``+1``, ``1.50``,
  ``1e3``, ``0x1F``) is kept as its text, and the model reads it as its field requires: a
  string column's ``in_set: [01]`` holds ``"01"``, an int column's holds 1.

Writing quotes every text that YAML 1.1 or 1.2 would read as something else, and writes floats
in the one form the reader reads back as the same number, so save → load is exact.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

from rowsift.exceptions import Problem, RecipeError

Location = tuple[str | int, ...]

MAX_DEPTH = 64
"""Nested mappings and lists a recipe may have; a real one needs about 8."""

_CORE = "tag:yaml.org,2002:"
_PLAIN_TAGS = frozenset(f"{_CORE}{name}" for name in ("str", "int", "float", "bool", "null"))
_COLLECTION_TAGS = frozenset({f"{_CORE}map", f"{_CORE}seq"})

_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+")
_OCTAL = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_SPECIAL_FLOAT = re.compile(r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")


_SPECIAL = {"inf": math.inf, "-inf": -math.inf, "nan": math.nan}
"""One object each: `[nan] == [nan]` holds by identity, so a recipe listing NaN equals itself
after a trip through YAML, as with YAML's own loader."""


def float_text(value: float) -> str:
    """The one way a float is written in a recipe, and read back as the same float.

    >>> float_text(0.1), float_text(1e16), float_text(-float("inf"))
    ('0.1', '1e+16', '-.inf')
    """
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    return repr(value)


def plain_value(text: str) -> Any:
    """A plain (unquoted, untagged) scalar as YAML 1.2's core schema reads it, numbers that
    would not be written back the same way kept as their text.

    >>> [plain_value(t) for t in ("NO", "true", "7", "07", "1.5", "1.50", "~")]
    ['NO', True, 7, '07', 1.5, '1.50', None]
    """
    if _NULL.fullmatch(text):
        return None
    if text in _BOOL:
        return _BOOL[text] if text in ("true", "false") else text
    if _INT.fullmatch(text):
        number = int(text)
        return number if str(number) == text else text
    if _SPECIAL_FLOAT.fullmatch(text):
        return _special(text)
    if _FLOAT.fullmatch(text):
        value = float(text)
        return value if float_text(value) == text else text
    return text


def _tagged_value(tag: str, text: str) -> Any:
    """A scalar with an explicit YAML tag (``!!int 5``); ValueError if it does not fit."""
    kind = tag.removeprefix(_CORE)
    if kind == "str":
        return text
    if kind == "null":
        if not _NULL.fullmatch(text):
            raise ValueError(f"{text!r} is not null")
        return None
    if kind == "bool":
        if text not in _BOOL:
            raise ValueError(f"{text!r} is not true or false")
        return _BOOL[text]
    if kind == "int":
        if _INT.fullmatch(text):
            return int(text)
        if _OCTAL.fullmatch(text) or _HEX.fullmatch(text):
            return int(text[2:], 8 if text[1] == "o" else 16)
        raise ValueError(f"{text!r} is not an integer")
    if _SPECIAL_FLOAT.fullmatch(text):
        return _special(text)
    if _FLOAT.fullmatch(text) or _INT.fullmatch(text):
        return float(text)
    raise ValueError(f"{text!r} is not a number")


def _too_deep(line: int | None) -> Problem:
    return Problem(
        f"the recipe is nested more than {MAX_DEPTH} levels deep",
        line=line,
        hint="a recipe needs only a few levels; check the brackets and indentation",
    )


def _special(text: str) -> float:
    return _SPECIAL[text.replace(".", "").replace("+", "").lower()]


def _shown_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag


class _Builder:
    """Data and line numbers from a stream of YAML events."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.lines: dict[Location, int] = {}
        # each open collection: [container, its location, the key waiting for its value]
        self.stack: list[list[Any]] = []
        self.root: Any = None
        self.documents = 0

    def fail(self, message: str, event: Any, hint: str) -> RecipeError:
        here = self._here() if self.stack else ()
        path = field_path(here)
        problem = Problem(message, path=path, line=event.start_mark.line + 1, hint=hint)
        return RecipeError([problem], file=self.file)

    def _here(self) -> Location:
        container, location, key = self.stack[-1]
        if isinstance(container, list):
            return (*location, len(container))
        return location if key is None else (*location, key)

    def handlers(self) -> dict[type[Any], Any]:
        """What to do with each kind of event (the others carry nothing for a recipe)."""
        return {
            yaml.ScalarEvent: self._scalar,
            yaml.MappingStartEvent: self._open,
            yaml.SequenceStartEvent: self._open,
            yaml.MappingEndEvent: self._close,
            yaml.SequenceEndEvent: self._close,
            yaml.AliasEvent: self._alias,
            yaml.DocumentStartEvent: self._document,
        }

    def _alias(self, event: Any) -> None:
        raise self.fail(
            f"an alias (*{event.anchor}) is not allowed in a recipe",
            event,
            "write the value out; a recipe is plain data without anchors or aliases",
        )

    def _no_anchor(self, event: Any) -> None:
        if event.anchor is not None:
            raise self.fail(
                f"an anchor (&{event.anchor}) is not allowed in a recipe",
                event,
                "remove it and write each value out",
            )

    def _document(self, event: Any) -> None:
        self.documents += 1
        if self.documents > 1:
            raise self.fail(
                "a recipe is one YAML document, this file has more",
                event,
                "remove the second '---' and what follows, or split the file",
            )

    def _close(self, event: Any) -> None:
        self.stack.pop()

    def _check_tag(self, event: Any, allowed: frozenset[str]) -> None:
        tag = event.tag
        if tag is not None and tag != "!" and tag not in allowed:
            raise self.fail(
                f"the tag {_shown_tag(tag)} is not allowed in a recipe",
                event,
                "a recipe holds plain data: text, numbers, true/false, null, lists and "
                "mappings; remove the tag",
            )

    def _scalar(self, event: Any) -> None:
        self._no_anchor(event)
        self._check_tag(event, _PLAIN_TAGS)
        text = event.value
        if self.stack and isinstance(self.stack[-1][0], dict) and self.stack[-1][2] is None:
            self._key(event, text)
            return
        if event.tag is not None and event.tag != "!":
            try:
                value = _tagged_value(event.tag, text)
            except ValueError as exc:
                raise self.fail(str(exc), event, "remove the tag or fix the value") from None
        elif event.implicit[0]:
            value = plain_value(text)
        else:
            value = text
        self._add(value, event)

    def _key(self, event: Any, key: str) -> None:
        container, location, _ = self.stack[-1]
        if key in container:
            raise self.fail(
                f"the key {key!r} appears twice in this mapping",
                event,
                "keep one of them; YAML readers differ on which one wins",
            )
        self.stack[-1][2] = key
        self.lines[(*location, key)] = event.start_mark.line + 1

    def _open(self, event: Any) -> None:
        self._no_anchor(event)
        self._check_tag(event, _COLLECTION_TAGS)
        if self.stack and isinstance(self.stack[-1][0], dict) and self.stack[-1][2] is None:
            raise self.fail(
                "a key must be a single value, not a mapping or a list",
                event,
                "write the key as text",
            )
        if len(self.stack) >= MAX_DEPTH:
            problem = _too_deep(event.start_mark.line + 1)
            raise RecipeError([problem], file=self.file)
        container: dict[str, Any] | list[Any] = (
            {} if isinstance(event, yaml.MappingStartEvent) else []
        )
        location = self._add(container, event)
        self.stack.append([container, location, None])

    def _add(self, value: Any, event: Any) -> Location:
        """Put a value where the stack says; its location."""
        line = event.start_mark.line + 1
        if not self.stack:
            self.root = value
            self.lines[()] = line
            return ()
        container, location, key = self.stack[-1]
        if isinstance(container, list):
            here: Location = (*location, len(container))
            self.lines[here] = line
            container.append(value)
            return here
        container[key] = value
        self.stack[-1][2] = None
        return (*location, key)


def parse_yaml(text: str, *, file: str = "") -> tuple[Any, dict[Location, int]]:
    """Parse recipe YAML into plain data, and map each key's path to its 1-based line.

    >>> parse_yaml("in_set: [NO, SE]\\nfill_null: 01\\n")[0]
    {'in_set': ['NO', 'SE'], 'fill_null': '01'}
    """
    builder = _Builder(file)
    handlers = builder.handlers()
    loader = _LOADER(text)
    try:
        while not isinstance(event := loader.get_event(), yaml.StreamEndEvent):
            handler = handlers.get(type(event))
            if handler is not None:
                handler(event)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        if "maximum nesting depth" in problem:  # libyaml's own limit, met while looking ahead
            raise RecipeError([_too_deep(line)], file=file) from None
        raise RecipeError(
            [
                Problem(
                    f"not valid YAML: {problem}", line=line, hint="check indentation and quoting"
                )
            ],
            file=file,
        ) from None
    finally:
        loader.dispose()
    return builder.root, builder.lines


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser where PyYAML was built with it (about 20 times faster); only its events
are used, so both parsers give the same data."""


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


def location_of(path: str) -> Location:
    """``columns.amount.rules[1]`` → ``('columns', 'amount', 'rules', 1)`` (the inverse of
    `field_path` for names without dots or brackets)."""
    parts: list[str | int] = []
    for piece in path.replace("[", ".[").split("."):
        if piece.startswith("[") and piece.endswith("]"):
            parts.append(int(piece[1:-1]))
        elif piece:
            parts.append(piece)
    return tuple(parts)


# -- writing --------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Quotes any text that YAML 1.1 or YAML 1.2 would read as something else."""


for _pattern, _tag in (
    (_FLOAT, "float"),
    (_SPECIAL_FLOAT, "float"),
    (_OCTAL, "int"),
    (_HEX, "int"),
):
    _Dumper.add_implicit_resolver(
        f"{_CORE}{_tag}", re.compile(f"^(?:{_pattern.pattern})$"), list("-+.0123456789TtFf")
    )

_YAML_BREAKS = frozenset("\r\x85\u2028\u2029")


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # a double-quoted scalar escapes what YAML would otherwise fold or refuse
    unsafe = any(ch in _YAML_BREAKS or not ch.isprintable() for ch in value if ch != "\n")
    style = '"' if unsafe else "|" if "\n" in value else None
    return dumper.represent_scalar(f"{_CORE}str", value, style=style)


def _float_presenter(dumper: yaml.SafeDumper, value: float) -> yaml.ScalarNode:
    return dumper.represent_scalar(f"{_CORE}float", float_text(value))


_Dumper.add_representer(str, _str_presenter)
_Dumper.add_representer(float, _float_presenter)


def dump_yaml(data: Any) -> str:
    """Plain data as recipe YAML text (`parse_yaml` reads back the same data).

    >>> print(dump_yaml({"in_set": ["NO", "07", 1.5, 1e16]}), end="")
    in_set: ['NO', '07', 1.5, 1e+16]
    """
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=None,
    )
