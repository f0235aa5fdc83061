"""Python source text from recipe data: literals, comments and names that can never become code.

Everything a recipe or a table holds (column names, patterns, set members, descriptions) reaches
a generated program through these functions only: values as literals built by `repr` of plain
Python data, free text as comments with every line break and control character escaped, names
of functions as ASCII identifiers made from a fixed alphabet.
"""

from __future__ import annotations

import keyword
import math
import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from rowsift.exceptions import ExportError

_WIDTH = 96


def literal(value: object) -> str:
    """A Python expression for a recipe value (text, number, boolean, date, decimal, or a
    tuple or list of those).

    >>> print(literal("a'\\nb"), literal('say "hi"'), literal(float("nan")), literal((1, 2.5)))
    "a'\\nb" 'say "hi"' float("nan") (1, 2.5)
    """
    if isinstance(value, str):
        written = repr(value)
        # double quotes, as the rest of the program is written, where that needs no escape
        return f'"{written[1:-1]}"' if written[0] == "'" and '"' not in value else written
    if value is None or isinstance(value, bool | int):
        return repr(value)
    if isinstance(value, float):
        return f'float("{value}")' if math.isnan(value) or math.isinf(value) else repr(value)
    if isinstance(value, datetime | date):
        return "datetime." + repr(value).removeprefix("datetime.")
    if isinstance(value, Decimal):
        return f'Decimal("{value}")'
    if isinstance(value, tuple | list):
        items = ", ".join(literal(item) for item in value)
        if isinstance(value, list):
            return f"[{items}]"
        return f"({items},)" if len(value) == 1 else f"({items})"
    raise ExportError(
        f"cannot write the value {type(value).__name__} into a program",
        hint="this is a bug in rowsift's exporter; please report it with the recipe",
    )


def needs_imports(values: Iterable[object]) -> set[str]:
    """The standard-library imports the literals of `values` need."""
    wanted: set[str] = set()
    for value in values:
        if isinstance(value, tuple | list):
            wanted |= needs_imports(value)
        elif isinstance(value, datetime | date):
            wanted.add("import datetime")
        elif isinstance(value, Decimal):
            wanted.add("from decimal import Decimal")
    return wanted


def one_line(text: str) -> str:
    r"""Free text made safe for one comment line: control, format and line-break characters
    (``\n``, ``\u2028``, bidi overrides) are shown as escapes, whitespace runs as one space.

    >>> one_line("a\nb\u202ec  d")
    'a\\nb\\u202ec d'
    """
    shown = "".join(
        char if char.isprintable() or char == " " else char.encode("unicode_escape").decode()
        for char in text
    )
    return " ".join(shown.split())


def comment(text: str, *, indent: str = "", prefix: str = "# ", then: str = "") -> list[str]:
    """Free text as comment lines, wrapped, each line safe (`one_line`); lines after the first
    start with `then` (default: the prefix)."""
    import textwrap

    safe = " ".join(one_line(text).split())
    if not safe:
        return []
    width = max(_WIDTH - len(indent) - len(prefix), 40)
    lines = textwrap.wrap(safe, width, break_on_hyphens=False)
    rest = then or prefix
    return [indent + (prefix if n == 0 else rest) + line for n, line in enumerate(lines)]


class Names:
    """Python identifiers made from rule ids: ASCII letters, digits and ``_`` only, unique.

    >>> names = Names("rule")
    >>> names.make("amount.between"), names.make("amount.between"), names.make("é.x")
    ('rule_amount_between', 'rule_amount_between_2', 'rule_x')
    """

    def __init__(self, prefix: str) -> None:
        self._prefix = prefix
        self._taken: set[str] = set()

    def make(self, text: str) -> str:
        """A fresh identifier that reads like `text`."""
        words = re.sub(r"[^0-9A-Za-z]+", "_", text).strip("_").lower()
        base = f"{self._prefix}_{words}" if words else self._prefix
        if keyword.iskeyword(base):
            base += "_"
        name, number = base, 2
        while name in self._taken:
            name = f"{base}_{number}"
            number += 1
        self._taken.add(name)
        return name


def call(function: str, arguments: list[str], *, indent: str, width: int = 99) -> str:
    """A call on one line when it fits in `width` at `indent`, else one argument per line.

    >>> print(call("f", ["1", "2"], indent="    "))
    f(1, 2)
    >>> print(call("f", ["'" + "x" * 40 + "'", "'" + "y" * 40 + "'"], indent="", width=60))
    f(
        'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
        'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy',
    )
    """
    flat = f"{function}({', '.join(arguments)})"
    if len(indent) + len(flat) <= width - 12 or not arguments:
        return flat
    inner = indent + "    "
    return f"{function}(\n" + "".join(f"{inner}{a},\n" for a in arguments) + f"{indent})"


def listed(items: list[str], *, indent: str, width: int = 99) -> str:
    """A list literal of already written items, on one line or one item per line."""
    return call("", items, indent=indent, width=width).replace("(", "[", 1)[:-1] + "]"
