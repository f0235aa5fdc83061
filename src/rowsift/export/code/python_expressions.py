"""rowsift's repair transforms as functions of a Polars program, written from their own
narwhals expressions (`rowsift.export.code.expression_tree`), laid out for a reader.

A transform that reads parts of its work more than once (``staged(value, keep=...)``, as
`normalize_number` does) gets each such part in a variable of its own, in the order the
transform builds them; rowsift's Polars engine computes the same expression, and Polars
finds the repeated parts itself.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import fields
from typing import Any

import narwhals.stable.v2 as nw

from rowsift.exceptions import ExportError
from rowsift.export.code.expression_tree import (
    Atom,
    Call,
    Joined,
    Listed,
    Method,
    Operator,
    Reader,
    Tree,
    When,
)
from rowsift.export.code.python_text import comment, literal

WIDTH = 99
_VALUE = "\x00value"
"""The column that stands for the function's argument (no input column has this name)."""
_ASSOCIATIVE = {"&", "|", "+", "*"}
_DTYPES = {"String", "Int64", "Int32", "Float64", "Boolean"}


def python_literal(value: object) -> str:
    """`python_text.literal`, with combining marks written as escapes: a mark shown raw
    would sit on the quote or bracket before it."""
    written = literal(value)
    return "".join(
        f"\\u{ord(char):04x}" if unicodedata.category(char).startswith("M") else char
        for char in written
    )


def polars_dtype(dtype: object) -> str:
    """A narwhals data type as Polars' (only the plain ones a repair casts to)."""
    name = type(dtype).__name__ if not isinstance(dtype, type) else dtype.__name__
    if name not in _DTYPES:
        raise ExportError(
            f"cannot write the data type {dtype!r} into a program",
            hint="this is a bug in rowsift's exporter; please report it with the recipe",
        )
    return f"pl.{name}"


def function_text(
    function: str,
    transform: Any,
    *,
    constants: dict[str, str],
    dtype: Callable[[object], str] = polars_dtype,
    spelled: Callable[[Tree], Tree] = lambda tree: tree,
    kind: str = "pl.Expr",
    expression: Callable[[nw.Expr], nw.Expr] | None = None,
    signature: str | None = None,
    returns: str = "",
    holds: str | None = None,
) -> tuple[str, set[str]]:
    """The transform as ``def function(value: pl.Expr) -> pl.Expr``, and the names of the
    `constants` it uses (the caller defines them).

    Another library's program gives `dtype` (how it names a narwhals type), `spelled` (the
    tree, read with Polars' names, in its own spelling) and `kind` (the type of `value`);
    `expression` builds the transform's expression when it is not its `staged` or `apply`.
    A library that computes a repeated part again wherever it is read (Spark) gives `holds`,
    a line (format string of ``name``) that holds the input and then each part in a column of
    its own, the `signature` of such a function and what it `returns` beside the value.
    """
    reader = Reader(
        literal=python_literal, dtype=dtype, bound={_VALUE: "value"}, constants=constants
    )
    parts: list[tuple[str, Tree, set[str]]] = []  # (column standing for it, tree, reads)

    def keep(part: nw.Expr) -> nw.Expr:
        column = f"\x00{len(parts) + 1}\x00"  # a NUL never reaches the text of a literal
        reader.read = set()
        parts.append((column, spelled(reader.tree(part)), reader.read))
        reader.bound[column] = column
        return nw.col(column)

    staged = getattr(transform, "staged", None)
    value = nw.col(_VALUE)
    if expression is not None:
        result = expression(value)
    else:
        result = staged(value, keep=keep) if staged is not None else transform.apply(value)
    reader.read = set()
    tree = spelled(reader.tree(result))
    # a part no later step reads (a field the `to` format does not write) gets no variable
    needed = set(reader.read)
    for column, _, reads in reversed(parts):
        if column in needed:
            needed |= reads
    names = {
        column: f"step_{number}"
        for number, column in enumerate((c for c, _, _ in parts if c in needed), start=1)
    }

    def named(text: str) -> str:
        for column, name in names.items():
            text = text.replace(column, name)
        return text

    steps = [] if holds is None else [holds.format(name="value")]
    for column, part, _ in parts:
        if column in names:
            steps.append(named(assigned(f"    {names[column]} = ", part)))
            steps += [] if holds is None else [holds.format(name=names[column])]
    returned = named(assigned(f"    return {returns}", tree))
    about = " ".join((type(transform).__doc__ or "").split())
    arguments = ", ".join(
        f"{field.name}={literal(getattr(transform, field.name))}" for field in fields(transform)
    )
    lines = [
        _definition(function, signature or f"(value: {kind}) -> {kind}"),
        *comment(f"{transform.name}: {about}", indent="    "),
        *comment(f"{transform.name}({arguments})", indent="    "),
        *steps,
        returned,
    ]
    return "\n".join(lines), reader.used


def _definition(function: str, signature: str) -> str:
    """``def function(parameters) -> result:``, the parameters on a line of their own when
    it does not fit on one."""
    line = f"def {function}{signature}:"
    if len(line) <= WIDTH:
        return line
    parameters, result = signature[1:].split(") -> ", 1)
    return f"def {function}(\n    {parameters}\n) -> {result}:"


def assigned(start: str, tree: Tree) -> str:
    """``start`` followed by the expression, in parentheses when it takes several lines."""
    indent = len(start) - len(start.lstrip())
    flat = _flat(tree)
    if len(start) + len(flat) <= WIDTH:
        return start + flat
    inner = indent + 4
    return f"{start}(\n{' ' * inner}{written(tree, inner)}\n{' ' * indent})"


def written(tree: Tree, indent: int) -> str:
    """The expression starting at column `indent`; lines after the first carry their own
    indentation (the text sits inside parentheses, so it may break anywhere)."""
    flat = _flat(tree)
    if indent + len(flat) <= WIDTH or isinstance(tree, Atom):
        return flat
    if isinstance(tree, Call):
        items = [*tree.args, *(Operator("=", Atom(k), v) for k, v in tree.keywords)]
        return _broken(f"{tree.function}(", items, ")", indent)
    if isinstance(tree, Listed):
        return _broken("[", list(tree.items), "]", indent)
    if isinstance(tree, Method):
        return _chain(tree, indent)
    if isinstance(tree, When):
        pieces = []
        for number, (condition, value) in enumerate(tree.branches):
            start = "pl.when(" if number == 0 else ".when("
            pieces += [_piece(start, condition, indent), _piece(".then(", value, indent)]
        if tree.otherwise is not None:
            pieces.append(_piece(".otherwise(", tree.otherwise, indent))
        return f"\n{' ' * indent}".join(pieces)
    if isinstance(tree, Joined):
        return _joined(tree, indent)
    if tree.left is None:
        return tree.op + _wrapped(tree.right, indent + len(tree.op), broken=True)
    left = _operand(tree.left, tree.op, indent)
    right = _wrapped(tree.right, indent + len(tree.op) + 1, broken=True)
    return f"{left}\n{' ' * indent}{tree.op} {right}"


def _flat(tree: Tree) -> str:
    if isinstance(tree, Atom):
        return tree.text
    if isinstance(tree, Call):
        args = [_flat(a) for a in tree.args] + [f"{k}={_flat(v)}" for k, v in tree.keywords]
        return f"{tree.function}({', '.join(args)})"
    if isinstance(tree, Listed):
        return "[" + ", ".join(_flat(item) for item in tree.items) + "]"
    if isinstance(tree, Method):
        receiver = _wrapped(tree.receiver, 0, broken=False)
        return f"{receiver}.{tree.name}({', '.join(_flat(a) for a in tree.args)})"
    if isinstance(tree, When):
        text = "".join(
            f"{'pl.when' if n == 0 else '.when'}({_flat(c)}).then({_flat(v)})"
            for n, (c, v) in enumerate(tree.branches)
        )
        return text + (f".otherwise({_flat(tree.otherwise)})" if tree.otherwise else "")
    if isinstance(tree, Joined):
        return " + ".join(_flat(part) for part in tree.parts)
    if tree.op == "=":  # a keyword argument
        return f"{_flat(tree.left) if tree.left else ''}={_flat(tree.right)}"
    if tree.left is None:
        return tree.op + _wrapped(tree.right, 0, broken=False)
    left = _flat(tree.left) if _joins(tree.left, tree.op) else _wrapped(tree.left, 0, False)
    return f"{left} {tree.op} {_wrapped(tree.right, 0, broken=False)}"


def _joins(tree: Tree, op: str) -> bool:
    """Whether `tree` is the left side of a run of one associative operator (``a & b & c``)."""
    return isinstance(tree, Operator) and tree.op == op and op in _ASSOCIATIVE and bool(tree.left)


def _operand(tree: Tree, op: str, indent: int) -> str:
    if _joins(tree, op):
        return written(tree, indent)
    return _wrapped(tree, indent, broken=True)


def _wrapped(tree: Tree, indent: int, broken: bool) -> str:
    """In parentheses when it is an operation (or a keyword's value)."""
    needs = isinstance(tree, Operator | Joined)
    if not broken:
        return f"({_flat(tree)})" if needs else _flat(tree)
    if not needs:
        return written(tree, indent)
    flat = _flat(tree)
    if indent + len(flat) + 2 <= WIDTH:
        return f"({flat})"
    return f"(\n{' ' * (indent + 4)}{written(tree, indent + 4)}\n{' ' * indent})"


def _broken(opening: str, items: list[Tree], closing: str, indent: int) -> str:
    inner = " " * (indent + 4)
    body = "".join(f"{inner}{_item(item, indent + 4)},\n" for item in items)
    return f"{opening}\n{body}{' ' * indent}{closing}"


def _item(tree: Tree, indent: int) -> str:
    if isinstance(tree, Operator) and tree.op == "=" and tree.left is not None:
        key = _flat(tree.left)
        return f"{key}={written(tree.right, indent + len(key) + 1)}"
    return written(tree, indent)


def _piece(start: str, argument: Tree, indent: int) -> str:
    """``.then(x)``: on one line, or its argument on lines of its own."""
    flat = f"{start}{_flat(argument)})"
    if indent + len(flat) <= WIDTH:
        return flat
    return _broken(start, [argument], ")", indent)


def _chain(tree: Method, indent: int) -> str:
    """A method chain: on one line with the last call's arguments on lines of their own when
    that fits; else each method on a line of its own."""
    methods: list[Method] = []
    base: Tree = tree
    while isinstance(base, Method):
        methods.append(base)
        base = base.receiver
    methods.reverse()
    text = _wrapped(base, indent, broken=True)
    calls = [f".{m.name}({', '.join(_flat(a) for a in m.args)})" for m in methods]
    last = methods[-1]
    head = text + "".join(calls[:-1]) + f".{last.name}("
    if "\n" not in text and last.args and indent + len(head) <= WIDTH:
        return text + "".join(calls[:-1]) + _broken(f".{last.name}(", list(last.args), ")", indent)
    for method, call in zip(methods, calls, strict=True):
        text += f"\n{' ' * indent}"
        if indent + len(call) <= WIDTH:
            text += call
        else:
            text += _broken(f".{method.name}(", list(method.args), ")", indent)
    return text


def _joined(tree: Joined, indent: int) -> str:
    """Parts joined by ``+``, as many on a line as fit."""
    lines: list[str] = []
    line = ""
    for part in tree.parts:
        text = _flat(part)
        candidate = f"{line} + {text}" if line else text
        if line and indent + len(candidate) > WIDTH:
            lines.append(line)
            candidate = f"+ {text}"
        line = candidate
    lines.append(line)
    return f"\n{' ' * indent}".join(lines)
