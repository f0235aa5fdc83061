"""A narwhals expression read as a small tree of calls, methods and operators.

rowsift's repairs (`normalize_number`, `canonical`) are written once, as narwhals expressions
that every engine runs. A program writes the same expressions out instead of a second copy of
their logic: narwhals records each expression as a chain of operations named as Polars names
them (``str.replace_all``, ``when_then``, ``__mul__``), which this module reads into a tree
that `rowsift.export.code.expression_text` lays out as Polars code.

Only the operations listed here are read; any other raises `ExportError` naming it, so a new
repair that needs one fails at export, never writes a program that answers otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rowsift.exceptions import ExportError
from rowsift.transforms import Canonical, NormalizeDatetime, NormalizeNumber

WRITTEN_FROM_EXPRESSIONS: tuple[type, ...] = (NormalizeNumber, Canonical, NormalizeDatetime)
"""The transforms each program target writes from their own narwhals expressions."""

Literal = Callable[[object], str]
"""Writes a recipe value (a text, a number) as source text."""


@dataclass(frozen=True)
class Atom:
    """Source text that is written as it is: a name or a literal."""

    text: str


@dataclass(frozen=True)
class Call:
    """``function(args..., key=value...)``; a list argument is `Listed`."""

    function: str
    args: tuple[Tree, ...] = ()
    keywords: tuple[tuple[str, Tree], ...] = ()


@dataclass(frozen=True)
class Listed:
    """``[items...]``."""

    items: tuple[Tree, ...]


@dataclass(frozen=True)
class Method:
    """``receiver.name(args...)``."""

    receiver: Tree
    name: str
    args: tuple[Tree, ...] = ()


@dataclass(frozen=True)
class Operator:
    """``left op right``, or ``op right`` when `left` is None."""

    op: str
    left: Tree | None
    right: Tree


@dataclass(frozen=True)
class When:
    """``pl.when(c).then(v)....otherwise(o)``."""

    branches: tuple[tuple[Tree, Tree], ...]
    otherwise: Tree | None


@dataclass(frozen=True)
class Joined:
    """Texts joined by ``+``: a long literal written around named constants."""

    parts: tuple[Tree, ...]


Tree = Atom | Call | Listed | Method | Operator | When | Joined

_OPERATORS = {
    "__eq__": "==",
    "__ne__": "!=",
    "__lt__": "<",
    "__le__": "<=",
    "__gt__": ">",
    "__ge__": ">=",
    "__and__": "&",
    "__or__": "|",
    "__add__": "+",
    "__sub__": "-",
    "__mul__": "*",
}

_METHODS = {
    "str.contains",
    "str.replace_all",
    "str.strip_chars",
    "str.len_chars",
    "str.zfill",
    "str.slice",
    "str.starts_with",
    "str.ends_with",
    "str.to_lowercase",
    "str.to_uppercase",
    "is_null",
    "is_not_null",
    "cast",
}
"""Methods whose narwhals arguments are Polars' positional arguments, in order."""

_JOINED_AT_MOST = 64
"""A literal around more named constants than this is written as ``"".join([...])``."""

_DEFAULTS = {("literal", False)}
"""Keyword arguments narwhals records that are Polars' defaults, left out of the text."""


@dataclass
class Reader:
    """Reads narwhals expressions into trees.

    `bound` names the columns that stand for program variables (``{"__value": "value"}``);
    `literal` writes values; `dtype` writes a narwhals data type (``Int64`` → ``pl.Int64``).
    """

    literal: Literal
    dtype: Callable[[object], str]
    bound: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    """Texts that have a name in the program (``{WHITESPACE: "WHITESPACE"}``): a literal that
    holds one is written around the name."""
    used: set[str] = field(default_factory=set)
    """The names of `constants` the trees read so far use."""
    read: set[str] = field(default_factory=set)
    """The `bound` columns the trees read so far read (the caller may empty it)."""

    def tree(self, expr: Any) -> Tree:
        """The expression as a tree."""
        nodes = _nodes(expr)
        tree = self._root(nodes[0])
        for node in nodes[1:]:
            tree = self._applied(tree, node)
        return tree

    def _argument(self, value: object, *, as_literal: bool) -> Tree:
        if hasattr(value, "_nodes"):
            return self.tree(value)
        if isinstance(value, str) and not as_literal:
            return self._column(value)
        return self._value(value)

    def _value(self, value: object) -> Tree:
        """A literal; a text holding named constants is written as their concatenation."""
        if not isinstance(value, str) or not value or not self.constants:
            return Atom(self.literal(value))
        named = sorted(self.constants, key=len, reverse=True)
        parts: list[Tree] = []
        plain, at = "", 0
        while at < len(value):
            found = next((text for text in named if text and value.startswith(text, at)), None)
            if found is None:
                plain, at = plain + value[at], at + 1
                continue
            if plain:
                parts.append(Atom(self.literal(plain)))
            parts.append(Atom(self.constants[found]))
            self.used.add(self.constants[found])
            plain, at = "", at + len(found)
        if plain:
            parts.append(Atom(self.literal(plain)))
        if len(parts) > _JOINED_AT_MOST:  # a long sum nests too deep for Python's parser
            return Method(Atom(self.literal("")), "join", (Listed(tuple(parts)),))
        return parts[0] if len(parts) == 1 else Joined(tuple(parts))

    def _column(self, name: str) -> Tree:
        if name in self.bound:
            self.read.add(name)
            return Atom(self.bound[name])
        return Call("pl.col", (Atom(self.literal(name)),))

    def _root(self, node: Any) -> Tree:
        name, kwargs = node.name, dict(node.kwargs)
        exprs = [self._argument(e, as_literal=node.str_as_lit) for e in node.exprs]
        if name == "col" and len(kwargs["names"]) == 1:
            return self._column(kwargs["names"][0])
        if name == "lit":
            value = self._value(kwargs["value"])
            if kwargs["dtype"] is None:
                return Call("pl.lit", (value,))
            return Call("pl.lit", (value,), (("dtype", Atom(self.dtype(kwargs["dtype"]))),))
        if name == "when_then":
            return _when(exprs)
        if name in ("all_horizontal", "any_horizontal") and not kwargs["ignore_nulls"]:
            # narwhals wraps each `when` condition in all_horizontal; of one it is the one
            return exprs[0] if len(exprs) == 1 else Call(f"pl.{name}", tuple(exprs))
        if name == "concat_str" and not kwargs["ignore_nulls"]:
            separator = kwargs["separator"]
            keywords = (("separator", Atom(self.literal(separator))),) if separator else ()
            return Call("pl.concat_str", (Listed(tuple(exprs)),), keywords)
        raise _unknown(name)

    def _applied(self, tree: Tree, node: Any) -> Tree:
        name, kwargs = node.name, dict(node.kwargs)
        exprs = [self._argument(e, as_literal=node.str_as_lit) for e in node.exprs]
        if name in _OPERATORS and len(exprs) == 1:
            return Operator(_OPERATORS[name], tree, exprs[0])
        if name == "__invert__":
            return Operator("~", None, tree)
        if name == "cast":
            return Method(tree, "cast", (Atom(self.dtype(kwargs["dtype"])),))
        if name not in _METHODS:
            raise _unknown(name)
        first = [self._value(kwargs.pop("pattern"))] if "pattern" in kwargs else []
        rest = [
            self._value(value) for key, value in kwargs.items() if (key, value) not in _DEFAULTS
        ]
        return Method(tree, name, (*first, *exprs, *rest))


def _when(exprs: list[Tree]) -> When:
    branches = ((exprs[0], exprs[1]),)
    otherwise = exprs[2] if len(exprs) == 3 else None
    if isinstance(otherwise, When):  # a chained `.when`: one expression, read as one
        return When(branches + otherwise.branches, otherwise.otherwise)
    return When(branches, otherwise)


def _nodes(expr: Any) -> tuple[Any, ...]:
    nodes = getattr(expr, "_nodes", None)
    if not nodes:
        raise ExportError(
            f"cannot read the expression {expr!r}",
            hint="this is a bug in rowsift's exporter; please report it with the recipe",
        )
    return tuple(nodes)


def _unknown(name: str) -> ExportError:
    return ExportError(
        f"the expression operation {name!r} has no program text",
        hint="rowsift's exporter reads only the operations rowsift's repairs use; please "
        "report it with the recipe (`rowsift run` runs it)",
    )
