"""DuckDB SQL text from recipe data: quoted names, literals of every recipe value, and the
macros of Unicode's full case mapping. Built on `rowsift.engines.sql` (the text rowsift's own
DuckDB engine runs); a character that is not printable is spelled ``chr(N)``, never raw."""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal

from rowsift.engines import sql
from rowsift.exceptions import ExportError
from rowsift.transforms.text import upper_expansions


def name(text: str) -> str:
    """A quoted identifier."""
    return sql.identifier(text, "duckdb")


def text(value: str) -> str:
    """A string literal (`rowsift.engines.sql.text`); a character that is not printable (a line
    break, a bidi override) is written as ``chr(N)``, so the SQL shows what it holds."""
    return sql.text(value, "duckdb")


def value_literal(value: object) -> str:
    """A recipe value as a DuckDB literal of its type."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return f"CAST({text(str(value))} AS DOUBLE)"
        return f"CAST({value!r} AS DOUBLE)"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return f"TIMESTAMP {text(value.isoformat(sep=' '))}"
    if isinstance(value, date):
        return f"DATE {text(value.isoformat())}"
    if isinstance(value, str):
        return text(value)
    raise ExportError(
        f"cannot write the value {type(value).__name__} as DuckDB SQL",
        hint="this is a bug in rowsift's exporter; please report it with the recipe",
    )


FULL_LOWER = "rowsift_lower"
FULL_UPPER = "rowsift_upper"


def case_macros() -> str:
    """Unicode's full case mapping, as rowsift applies it on every engine: DuckDB's lower() and
    upper() map one letter to one, so the letters that become several are spelled out first."""
    written = [f"{text(k)}: {text(v)}" for k, v in upper_expansions().items()]
    letters = text("[" + "".join(upper_expansions()) + "]")
    pairs = ",\n            ".join(", ".join(written[n : n + 8]) for n in range(0, len(written), 8))
    dotted = f"replace(s, 'İ', {text('i̇')})"
    final_sigma = f"regexp_replace({dotted}, '(\\pL)Σ(\\PL|$)', '\\1ς\\2', 'g')"
    return "\n".join(
        [
            "-- Unicode's full case mapping, as rowsift applies it: DuckDB's lower() and upper()",
            "-- map one letter to one, so İ, a word-final Σ and the letters whose upper case is",
            "-- several letters (ß → SS, ﬁ → FI) are spelled out first.",
            f"CREATE OR REPLACE MACRO {FULL_LOWER}(s) AS",
            f"    CASE WHEN regexp_matches(s, '[İΣ]') THEN lower({final_sigma}) ELSE lower(s) END;",
            f"CREATE OR REPLACE MACRO {FULL_UPPER}(s) AS",
            f"    CASE WHEN NOT regexp_matches(s, {letters}) THEN upper(s)",
            "    ELSE upper(array_to_string(list_transform(",
            "        string_split(s, ''),",
            "        lambda letter: coalesce(MAP {",
            f"            {pairs}",
            "        }[letter], letter)",
            "    ), '')) END;",
        ]
    )
