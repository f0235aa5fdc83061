"""rowsift's repairs as PySpark functions, from the same expression trees as the Polars target.

`expression_tree` reads a repair's narwhals expression into a tree named as Polars names it;
this module renames each operation into the PySpark call that narwhals' Spark backend makes for
it (rowsift's Spark engine runs the repair through that backend), so the program runs the very
Spark functions a run does: ``str.contains`` is ``rlike``, ``str.replace_all`` is
``F.regexp_replace``, ``str.strip_chars`` is ``F.btrim``. The three operations narwhals builds
from several Spark calls (``str.zfill``, ``str.slice``, ``concat_str``) are functions of the
program (`HELPERS`), written as narwhals writes them.
"""

from __future__ import annotations

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

_DTYPES = {
    "String": "string",
    "Int64": "bigint",
    "Int32": "int",
    "Float64": "double",
    "Boolean": "boolean",
}

_RENAMED = {
    "str.contains": "rlike",
    "str.starts_with": "startswith",
    "str.ends_with": "endswith",
    "is_null": "isNull",
    "is_not_null": "isNotNull",
    "cast": "cast",
}
"""Polars methods whose PySpark counterpart is a Column method with the same arguments."""

_FUNCTIONS = {
    "str.replace_all": "F.regexp_replace",
    "str.len_chars": "F.length",
    "str.to_lowercase": "F.lower",
    "str.to_uppercase": "F.upper",
    "str.zfill": "zfill",
    "str.slice": "slice_text",
}
"""Polars methods whose PySpark counterpart is a function of the receiver and the arguments."""


def spark_dtype(dtype: object) -> str:
    """A narwhals data type as the Spark SQL type name a cast takes (a string literal)."""
    name = type(dtype).__name__ if not isinstance(dtype, type) else dtype.__name__
    if name not in _DTYPES:
        raise ExportError(
            f"cannot write the data type {dtype!r} into a PySpark program",
            hint="this is a bug in rowsift's exporter; please report it with the recipe",
        )
    return f'"{_DTYPES[name]}"'


def spark_tree(tree: Tree) -> Tree:
    """A tree read in Polars' terms, in PySpark's."""
    if isinstance(tree, Atom):
        return tree
    if isinstance(tree, Listed):
        return Listed(tuple(spark_tree(item) for item in tree.items))
    if isinstance(tree, Joined):
        return Joined(tuple(spark_tree(part) for part in tree.parts))
    if isinstance(tree, Operator):
        left = None if tree.left is None else spark_tree(tree.left)
        return Operator(tree.op, left, spark_tree(tree.right))
    if isinstance(tree, When):
        (condition, value), *others = tree.branches
        chain: Tree = Call("F.when", (spark_tree(condition), spark_tree(value)))
        for condition, value in others:
            chain = Method(chain, "when", (spark_tree(condition), spark_tree(value)))
        if tree.otherwise is not None:
            chain = Method(chain, "otherwise", (spark_tree(tree.otherwise),))
        return chain
    if isinstance(tree, Call):
        return _call(tree)
    return _method(tree)


def _call(tree: Call) -> Tree:
    args = tuple(spark_tree(arg) for arg in tree.args)
    keywords = dict(tree.keywords)
    if tree.function == "pl.col":
        return Call("col", args)
    if tree.function == "pl.lit":
        lit = Call("F.lit", args)
        return Method(lit, "cast", (keywords["dtype"],)) if "dtype" in keywords else lit
    if tree.function in ("pl.all_horizontal", "pl.any_horizontal"):
        op = "&" if tree.function == "pl.all_horizontal" else "|"
        joined = args[0]
        for arg in args[1:]:
            joined = Operator(op, joined, arg)
        return joined
    if tree.function == "pl.concat_str":
        (parts,) = args
        assert isinstance(parts, Listed)
        separator = keywords.get("separator")
        if separator is None:  # Spark's concat is null where any part is null, as Polars'
            return Call("F.concat", parts.items)
        return Call("concat_text", (*parts.items,), (("separator", separator),))
    raise _unknown(tree.function)


def _method(tree: Method) -> Tree:
    receiver = spark_tree(tree.receiver)
    args = tuple(spark_tree(arg) for arg in tree.args)
    if tree.name == "join":  # a long literal: "".join([...])
        return Method(receiver, "join", args)
    if tree.name in _RENAMED:
        return Method(receiver, _RENAMED[tree.name], args)
    if tree.name == "str.strip_chars":
        return Call("F.btrim", (receiver, Call("F.lit", args)))
    if tree.name in _FUNCTIONS:
        return Call(_FUNCTIONS[tree.name], (receiver, *args))
    raise _unknown(tree.name)


def _unknown(name: str) -> ExportError:
    return ExportError(
        f"the expression operation {name!r} has no PySpark text",
        hint="rowsift's exporter reads only the operations rowsift's repairs use; please "
        "report it with the recipe (`rowsift run` runs it)",
    )


def spark_function_text(
    function: str, transform: Any, *, constants: dict[str, str]
) -> tuple[str, set[str]]:
    """The transform as ``def function(frame, value, held_as) -> (frame, value)``, and the
    names it uses of `constants` and of `HELPERS`."""
    # Spark computes an expression again wherever it is read, so the input and each part read
    # more than once are held in columns of their own, as rowsift's Spark engine holds them
    text, used = function_text(
        function,
        transform,
        constants=constants,
        dtype=spark_dtype,
        spelled=spark_tree,
        signature="(frame: DataFrame, value: Column, held_as: str) -> tuple[DataFrame, Column]",
        returns="frame, ",
        holds='    frame, {name} = hold(frame, {name}, f"{{held_as}}:{name}")',
    )
    used |= {name for name in HELPERS if f"{name}(" in text}
    return text, used


HELPERS: dict[str, str] = {
    "hold": '''
def hold(frame: DataFrame, part: Column, name: str) -> tuple[DataFrame, Column]:
    """`part` computed once, in a column of its own (HELD + name), for every step that
    reads it: Spark computes an expression again wherever it is read."""
    return frame.withColumn(HELD + name, part), col(HELD + name)''',
    "zfill": '''
def zfill(value: Column, width: int) -> Column:
    """Zeros before the text up to `width` characters, after a leading sign (Polars'
    str.zfill, as narwhals runs it on Spark)."""
    short = F.length(value) < F.lit(width)
    digits = F.lpad(F.substr(value, F.lit(2)), F.lit(width - 1), F.lit("0"))
    return (
        F.when(F.startswith(value, F.lit("-")) & short, F.concat(F.lit("-"), digits))
        .when(F.startswith(value, F.lit("+")) & short, F.concat(F.lit("+"), digits))
        .when(short, F.lpad(value, F.lit(width), F.lit("0")))
        .otherwise(value)
    )''',
    "slice_text": '''
def slice_text(value: Column, offset: int, length: int | None) -> Column:
    """`length` characters (all the rest when None) from `offset`, counted from the end when
    negative (Polars' str.slice, as narwhals runs it on Spark)."""
    size = F.length(value)
    count = F.lit(length) if length is not None else size
    if offset >= 0:
        return F.substr(value, F.lit(offset + 1), count)
    start_index = size + F.lit(offset)
    start = F.greatest(F.lit(1), start_index + F.lit(1))
    if length is not None:
        count = F.greatest(F.lit(0), count + F.least(F.lit(0), start_index))
    return F.substr(value, start, count)''',
    "concat_text": '''
def concat_text(*parts: Column, separator: str) -> Column:
    """The parts joined by `separator`; null where any part is null."""
    any_null = F.lit(False)
    for part in parts:
        any_null = any_null | part.isNull()
    return F.when(~any_null, F.concat_ws(separator, *parts))''',
}
"""The program functions that PySpark repairs call, by name."""
