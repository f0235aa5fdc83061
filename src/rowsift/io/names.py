"""Column names made unique and kept clear of the names rowsift adds to every table."""

from __future__ import annotations

from collections.abc import Sequence

RESERVED_PREFIX = "_rowsift_"
"""Names rowsift adds to every table start with this; a source's own such name is renamed."""


def make_unique(names: Sequence[str]) -> tuple[str, ...]:
    """Header names made unique, predictably: a blank is ``column_<n>`` (1-based), a repeat
    gets ``_2``, ``_3``..., and a name rowsift reserves (``_rowsift_...``, as in rowsift's own
    outputs read back) loses its leading underscore. Names that differ only in case repeat each
    other: SQL engines (DuckDB, Spark) hold one column per name whatever its case.

    >>> make_unique(["id", "", "id", "x", "id"])
    ('id', 'column_2', 'id_2', 'x', 'id_3')
    >>> make_unique(["_rowsift_row", "rowsift_row", "_rowsift_reasons"])
    ('rowsift_row', 'rowsift_row_2', 'rowsift_reasons')
    >>> make_unique(["LP4", "lp4", "Lp4_2"])
    ('LP4', 'lp4_2', 'Lp4_2_2')
    """
    seen: set[str] = set()
    result: list[str] = []
    for position, given in enumerate(names, start=1):
        text = given
        if not text.isascii():  # undecodable bytes (lone surrogates) become \xNN escapes
            text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        name = text.strip() or f"column_{position}"
        while name.startswith(RESERVED_PREFIX):
            name = name[1:]
        candidate, suffix = name, 2
        while candidate.casefold() in seen:
            candidate = f"{name}_{suffix}"
            suffix += 1
        seen.add(candidate.casefold())
        result.append(candidate)
    return tuple(result)
