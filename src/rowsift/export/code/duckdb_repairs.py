"""rowsift's repair transforms as DuckDB SQL: the very SQL rowsift's DuckDB engine runs.

On DuckDB a run hands a transform's narwhals expression to narwhals' DuckDB backend, which
builds DuckDB expressions; their SQL text (DuckDB's own rendering) is what the export writes,
so the SQL a run executes and the SQL the export shows cannot drift apart, and there is no
hand-written copy of the repair's logic. String literals are then written as the rest of the
export writes them (`duckdb_text.text`: a character that is not printable as ``chr(N)``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import narwhals.stable.v2 as nw

from rowsift.export.code.duckdb_text import text


@cache
def _frame() -> Any:
    """A narwhals DuckDB frame to build expressions against (they name columns, not data)."""
    import duckdb

    connection = duckdb.connect(":memory:")
    return nw.from_native(connection.sql("SELECT 1 AS x"))._compliant_frame


def expression_sql(expr: nw.Expr, *, indent: int = 8) -> str:
    """The SQL of a narwhals expression on DuckDB, as rowsift's DuckDB engine runs it, laid
    out to start at column `indent` (`laid_out`).

    >>> print(expression_sql(nw.col("a").str.strip_chars(" ").str.contains("^x")))
    regexp_matches("trim"("a", ' '), '^x')
    """
    frame = _frame()
    built = expr._to_compliant_expr(frame.__narwhals_namespace__())(frame)
    (native,) = built
    return laid_out(_literals_shown(str(native)), indent)


def repair_sql(transform: Any, column: str, hold: Callable[[str], str]) -> str:
    """The SQL of a transform applied to `column`; each part it reads more than once (its
    ``staged(value, keep=...)``) is passed to `hold`, which puts it in a column of an earlier
    stage and returns that column's name."""

    def keep(part: nw.Expr) -> nw.Expr:
        return nw.col(hold(expression_sql(part)))

    staged = getattr(transform, "staged", None)
    value = nw.col(column)
    result = staged(value, keep=keep) if staged is not None else transform.apply(value)
    return expression_sql(result)


def _literals_shown(sql: str) -> str:
    """Each ``'...'`` literal of DuckDB's rendering rewritten by `duckdb_text.text`; quoted
    identifiers are kept as they are.

    >>> print(_literals_shown("f(\\"it's\\", 'a''b\\nc')"))
    f("it's", ('a''b' || chr(10) || 'c'))
    """
    pieces: list[str] = []
    at = 0
    while at < len(sql):
        quote = sql[at]
        if quote not in "'\"":
            end = min((i for i in (sql.find("'", at), sql.find('"', at)) if i >= 0), default=-1)
            end = len(sql) if end < 0 else end
            pieces.append(sql[at:end])
            at = end
            continue
        end = at + 1
        while True:
            end = sql.index(quote, end)
            if sql.startswith(quote * 2, end):
                end += 2
                continue
            break
        token = sql[at : end + 1]
        pieces.append(text(token[1:-1].replace("''", "'")) if quote == "'" else token)
        at = end + 1
    return "".join(pieces)


_KEYWORDS = ("WHEN ", "THEN ", "ELSE ", "END")
"""Where a long CASE breaks: before each of these, at the CASE's own depth."""
SHORT = 60
"""An expression this long stays on one line however deep it stands: broken up, a short call
deep in a nesting (``chr(9)`` at column 240) took three lines, and a recipe of 90 KB with a
few canonical spellings was exported as 4.7 MB of SQL, nine tenths of it indentation."""


def laid_out(sql: str, indent: int, width: int = 99) -> str:
    """DuckDB's one-line rendering broken into lines a reader can follow: a group in
    parentheses too long for its line has one argument per line (short ones filled), a long
    CASE one clause per line; an expression of at most `SHORT` characters stays whole. Only
    whitespace outside literals and quoted names changes.

    >>> print(laid_out("CASE WHEN f(a, 'x, y') THEN 'a long value' ELSE another_column END", 0,
    ...                 width=24))
    CASE
        WHEN f(a, 'x, y')
        THEN 'a long value'
        ELSE another_column
    END
    """
    flat = sql.strip()
    if indent + len(flat) <= width or len(flat) <= SHORT:
        return flat
    if flat.startswith("(") and _closing(flat, 0) == len(flat) - 1:
        inner = laid_out(flat[1:-1], indent + 4, width)
        return f"(\n{' ' * (indent + 4)}{inner}\n{' ' * indent})"
    if flat.startswith("CASE ") and flat.endswith(" END"):
        clauses = _split(flat[len("CASE ") : -len(" END")], keywords=True)
        inner = " " * (indent + 4)
        body = "".join(f"\n{inner}{laid_out(clause, indent + 4, width)}" for clause in clauses)
        return f"CASE{body}\n{' ' * indent}END"
    keyword = next((word for word in _KEYWORDS[:3] if flat.startswith(word)), None)
    if keyword is not None:  # a CASE clause: its expression laid out after the keyword
        return keyword + laid_out(flat[len(keyword) :], indent, width - len(keyword))
    opening = _first_group(flat)
    if opening is not None and _closing(flat, opening) == len(flat) - 1:
        head = flat[: opening + 1]
        items = _split(flat[opening + 1 : -1], keywords=False)
        inner = " " * (indent + 4)
        pieces = [
            laid_out(item, indent + 4, width) + ("," if n < len(items) - 1 else "")
            for n, item in enumerate(items)
        ]
        # a piece of several lines is already laid out at its depth after its first line
        body = "".join(
            f"\n{inner}{line}" for line in _filled(pieces, max(width - indent - 4, SHORT))
        )
        return f"{head}{body}\n{' ' * indent})"
    return flat


def _filled(pieces: list[str], width: int) -> list[str]:
    """One-line pieces of at most `SHORT` characters, as many to a line as fit in `width`;
    a longer piece, or one of several lines, stands on its own.

    >>> print("\\n".join(_filled(["chr(9),", "'a',", "f(\\n  x\\n),", "chr(10),", "'b'"], 16)))
    chr(9), 'a',
    f(
      x
    ),
    chr(10), 'b'
    """
    lines: list[str] = []
    line = ""
    for piece in pieces:
        alone = "\n" in piece or len(piece) > SHORT
        if line and (alone or len(line) + 1 + len(piece) > width):
            lines.append(line)
            line = ""
        if alone:
            lines.append(piece)
        else:
            line = f"{line} {piece}" if line else piece
    return [*lines, line] if line else lines


def _scan(sql: str) -> list[tuple[int, int]]:
    """(position, depth) of every character outside literals and quoted names."""
    found, depth, at = [], 0, 0
    while at < len(sql):
        char = sql[at]
        if char in "'\"":
            end = at + 1
            while True:
                end = sql.index(char, end)
                if sql.startswith(char * 2, end):
                    end += 2
                    continue
                break
            at = end + 1
            continue
        if char == ")":
            depth -= 1
        found.append((at, depth))
        if char == "(":
            depth += 1
        at += 1
    return found


def _closing(sql: str, opening: int) -> int:
    """The position of the parenthesis closing the one at `opening`."""
    scanned = _scan(sql)
    depth = next(d for at, d in scanned if at == opening)
    return next((at for at, d in scanned if at > opening and d == depth and sql[at] == ")"), -1)


def _first_group(sql: str) -> int | None:
    """The first top-level opening parenthesis that follows a name (a call)."""
    for at, depth in _scan(sql):
        called = at > 0 and (sql[at - 1].isalnum() or sql[at - 1] in '_"')
        if depth == 0 and sql[at] == "(" and called:
            return at
    return None


def _split(sql: str, *, keywords: bool) -> list[str]:
    """The top-level parts: at commas, or before CASE's clause keywords (not a nested CASE's)."""
    parts, start, cases = [], 0, 0
    for at, depth in _scan(sql):
        if depth != 0:
            continue
        if keywords:
            word_start = at == 0 or sql[at - 1] == " "
            if word_start and sql.startswith("CASE ", at):
                cases += 1
            elif word_start and sql.startswith("END", at) and cases:
                cases -= 1
            elif word_start and cases == 0 and at > start and sql.startswith(_KEYWORDS, at):
                parts.append(sql[start:at].strip())
                start = at
        elif sql[at] == ",":
            parts.append(sql[start:at].strip())
            start = at + 1
    parts.append(sql[start:].strip())
    return [part for part in parts if part]
