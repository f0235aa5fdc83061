"""rowsift's repairs as functions of a pandas program: the tree of a transform's narwhals
expression (`rowsift.export.code.expression_tree`, read with Polars' names) in pandas' own
spelling, laid out by `rowsift.export.code.python_expressions`.

Each operation is spelled as narwhals runs it on rowsift's pandas engine (Arrow-backed
columns: pandas' string methods call pyarrow's kernels, whose regular expressions are RE2's),
so the program computes what `rowsift run --engine pandas` computes:

- ``str.replace_all`` is ``.str.replace(pattern, text, regex=...)``, ``str.strip_chars``
  ``.str.strip``, ``str.len_chars`` ``.str.len()``, ``str.slice(offset, length)``
  ``.str.slice(start, stop)``, ``is_null`` ``.isna()``, ``cast`` ``.astype``;
- ``pl.when(c).then(a).otherwise(b)`` is the program's helper ``when(c, a, b)`` (pandas has
  no conditional expression; `Series.where` under it) and ``pl.concat_str`` its
  ``concat_str``; a literal stands for every row where pandas broadcasts it, else it is
  ``lit(x, value)``, a column of it as long as the value.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from functools import reduce
from typing import Any

from rowsift.exceptions import ExportError
from rowsift.export.code.expression_tree import (
    Atom,
    Call,
    Joined,
    Listed,
    Method,
    Operator,
    Tree,
    When,
)
from rowsift.export.code.python_expressions import function_text

_RENAMED = {
    "str.contains": "str.contains",
    "str.strip_chars": "str.strip",
    "str.len_chars": "str.len",
    "str.zfill": "str.zfill",
    "str.starts_with": "str.startswith",
    "str.ends_with": "str.endswith",
    "str.to_lowercase": "str.lower",
    "str.to_uppercase": "str.upper",
    "is_null": "isna",
    "is_not_null": "notna",
    "cast": "astype",
}
"""Methods whose arguments pandas takes as Polars does, by their pandas names."""

DTYPES = {
    "String": "STRING",
    "Int64": "INT64",
    "Int32": "INT32",
    "Float64": "FLOAT64",
    "Boolean": "BOOLEAN",
}
"""A narwhals type as the program's name of its Arrow-backed pandas type."""


def pandas_dtype(dtype: object) -> str:
    """The program's constant for a narwhals data type (only the plain ones a repair casts to)."""
    name = type(dtype).__name__ if not isinstance(dtype, type) else dtype.__name__
    if name not in DTYPES:
        raise ExportError(
            f"cannot write the data type {dtype!r} into a pandas program",
            hint="this is a bug in rowsift's exporter; please report it with the recipe",
        )
    return DTYPES[name]


def _is_literal(tree: Tree) -> bool:
    return isinstance(tree, Call) and tree.function == "pl.lit"


def spelled(tree: Tree, *, scalar: bool = False) -> Tree:
    """The tree in pandas' spelling; `scalar`: a literal may stay a plain value here (pandas
    broadcasts it), else it becomes a column."""
    if isinstance(tree, Atom):
        return tree
    if isinstance(tree, Call):
        return _call(tree, scalar=scalar)
    if isinstance(tree, Listed):
        return Listed(tuple(spelled(item, scalar=True) for item in tree.items))
    if isinstance(tree, Joined):
        return Joined(tuple(spelled(part) for part in tree.parts))
    if isinstance(tree, When):
        return _when(tree)
    if isinstance(tree, Operator):
        if tree.left is None:
            return Operator(tree.op, None, spelled(tree.right))
        left_plain = not _is_literal(tree.left)
        return Operator(
            tree.op,
            spelled(tree.left, scalar=not _is_literal(tree.right)),
            spelled(tree.right, scalar=left_plain),
        )
    return _method(tree)


def _call(tree: Call, *, scalar: bool) -> Tree:
    if tree.function == "pl.lit":
        value = tree.args[0]
        return value if scalar else Call("lit", (value, Atom("value")))
    if tree.function == "pl.concat_str":
        items = tree.args[0]
        assert isinstance(items, Listed)
        parts = [spelled(item, scalar=True) for item in items.items]
        if all(_is_literal(item) for item in items.items):
            parts[0] = spelled(items.items[0])  # one column, so that the result is one
        return Call("concat_str", (Listed(tuple(parts)),), tree.keywords)
    if tree.function in ("pl.all_horizontal", "pl.any_horizontal"):
        op = "&" if tree.function == "pl.all_horizontal" else "|"
        return reduce(lambda left, right: Operator(op, left, right), map(spelled, tree.args))
    raise _unknown(tree.function)


def _when(tree: When) -> Tree:
    """``when(c1, v1, when(c2, v2, otherwise))``: the first true condition's value."""
    result: Tree | None = None if tree.otherwise is None else spelled(tree.otherwise, scalar=True)
    for condition, value in reversed(tree.branches):
        arguments = [spelled(condition), spelled(value, scalar=True)]
        result = Call("when", (*arguments, *([result] if result is not None else [])))
    assert result is not None
    return result


def _method(tree: Method) -> Tree:
    if tree.name == "join" and isinstance(tree.receiver, Atom):
        return tree  # a long literal, ``"".join([...])``: plain Python
    receiver = spelled(tree.receiver)
    args = tree.args
    if tree.name == "str.replace_all":
        literal = len(args) > 2 and args[2] == Atom("True")
        regex = Operator("=", Atom("regex"), Atom(str(not literal)))
        return Method(receiver, "str.replace", (args[0], spelled(args[1], scalar=True), regex))
    if tree.name == "str.slice":
        offset, length = (_number(argument) for argument in args)
        assert offset is not None
        # Polars' (offset, length) as Python's (start, stop), as narwhals translates it
        stop = None if length is None or offset < 0 <= offset + length else offset + length
        return Method(receiver, "str.slice", (Atom(repr(offset)), Atom(repr(stop))))
    if tree.name == "str.zfill" and _number(args[0]) == 0:
        return receiver  # narwhals leaves a width of 0 alone
    if tree.name not in _RENAMED:
        raise _unknown(tree.name)
    return Method(receiver, _RENAMED[tree.name], tuple(spelled(a, scalar=True) for a in args))


def _number(tree: Tree) -> int | None:
    if not isinstance(tree, Atom):
        raise _unknown("a computed argument")
    value = ast.literal_eval(tree.text)
    if value is not None and not isinstance(value, int):
        raise _unknown(f"the argument {tree.text}")
    return value


def _unknown(name: str) -> ExportError:
    return ExportError(
        f"the expression operation {name!r} has no pandas program text",
        hint="rowsift's exporter reads only the operations rowsift's repairs use; please "
        "report it with the recipe (`rowsift run` runs it)",
    )


def pandas_function(
    function: str,
    transform: Any,
    *,
    constants: dict[str, str],
    expression: Callable[[Any], Any] | None = None,
) -> tuple[str, set[str]]:
    """The transform as ``def function(value: pd.Series) -> pd.Series``, and the names of the
    `constants` and helpers (``when``, ``concat_str``, ``lit``) it uses."""
    text, used = function_text(
        function,
        transform,
        constants=constants,
        dtype=pandas_dtype,
        spelled=spelled,
        kind="pd.Series",
        expression=expression,
    )
    helpers = {name for name in ("when", "concat_str", "lit") if f"{name}(" in text}
    return text, used | helpers
