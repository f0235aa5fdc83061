"""The orders recipe written by hand in DuckDB SQL: rowsift's DuckDB engine is measured against it.

What a DuckDB user would write for bench/orders.recipe.yaml, with the semantics of DESIGN.md
section 3, as `bench/handwritten_polars.py` does in Polars: `read_csv` with every column as text
(only an empty field is null), numbered by `row_number() OVER ()` in file order; the transforms
(`trim` of ASCII whitespace, `upper`, `lower`, a `CASE` for the map); the casts with `TRY_CAST`
behind the same lexical guards rowsift uses (DuckDB's cast would otherwise round `3.5` to an
integer) and `try_strptime`; one boolean per rule; `row_number()` windows for `unique` and
`duplicate`; the reasons as a list. The judged rows are computed once into a temporary table and
both outputs are written from it with `COPY ... (FORMAT parquet)`.

    python -m bench.handwritten_duckdb INPUT OUTDIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb

from bench.orders_table import COLUMNS, DATETIME_FORMAT, LINE, REASONS, ROW, STATUSES

INT_GUARD = "^[+-]?[0-9]+$"
FLOAT_GUARD = (
    r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
    r"|^[+-]?(?:[iI][nN][fF](?:[iI][nN][iI][tT][yY])?|[nN][aA][nN])$"
)
DATETIME_GUARD = r"^[0-9]{4}\-[0-9]{2}\-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$"
EMAIL = r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$"
SPACE = "' \t\n\r' || chr(11) || chr(12)"


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _strip(column: str) -> str:
    return f"trim({column}, {SPACE})"


TEXT = {
    "order_id": f"upper({_strip('order_id')})",
    "customer_email": f"lower({_strip('customer_email')})",
    "status": (
        f"CASE WHEN lower({_strip('status')}) = 'canceled' THEN 'cancelled' "
        f"ELSE lower({_strip('status')}) END"
    ),
    "amount": _strip("amount"),
    "quantity": _strip("quantity"),
    "created_at": "created_at",
    "shipped_at": "shipped_at",
    "country": f"upper({_strip('country')})",
}


def _value(column: str) -> str:
    text = f"t_{column}"
    if column == "amount":
        number = f"TRY_CAST({text} AS DOUBLE) + 0.0"
        return f"CASE WHEN regexp_matches({text}, {_q(FLOAT_GUARD)}) THEN {number} END"
    if column == "quantity":
        return (
            f"CASE WHEN regexp_matches({text}, {_q(INT_GUARD)}) THEN TRY_CAST({text} AS BIGINT) END"
        )
    if column in ("created_at", "shipped_at"):
        return (
            f"CASE WHEN regexp_matches({text}, {_q(DATETIME_GUARD)}) "
            f"THEN try_strptime({text}, {_q(DATETIME_FORMAT)}) END"
        )
    return text


def _fails(passes: str) -> str:
    """A rule fails where it is false; null (a null value) passes."""
    return f"coalesce(NOT ({passes}), false)"


def _rules() -> dict[str, str]:
    statuses = ", ".join(_q(status) for status in STATUSES)
    all_values = ", ".join(f"v_{column}" for column in COLUMNS)
    rules = {
        "order_id.not_null": "t_order_id IS NULL",
        "order_id.matches": _fails(f"regexp_matches(v_order_id, {_q('^ORD-[0-9]{8}$')})"),
        "customer_email.matches": _fails(f"regexp_matches(v_customer_email, {_q(EMAIL)})"),
        "customer_email.length": _fails("length(v_customer_email) BETWEEN 3 AND 254"),
        "status.not_null": "t_status IS NULL",
        "status.in_set": _fails(f"v_status IN ({statuses})"),
    }
    for column, low, high in (("amount", "0", "100000"), ("quantity", "1", "1000")):
        rules[f"{column}.type"] = f"t_{column} IS NOT NULL AND v_{column} IS NULL"
        rules[f"{column}.not_null"] = f"t_{column} IS NULL"
        rules[f"{column}.between"] = _fails(f"v_{column} BETWEEN {low} AND {high}")
    rules["created_at.type"] = "t_created_at IS NOT NULL AND v_created_at IS NULL"
    rules["created_at.not_null"] = "t_created_at IS NULL"
    rules["shipped_at.type"] = "t_shipped_at IS NOT NULL AND v_shipped_at IS NULL"
    rules["shipped_at.compare"] = _fails("v_shipped_at >= v_created_at")
    rules["country.not_null"] = "t_country IS NULL"
    rules["country.matches"] = _fails(f"regexp_matches(v_country, {_q('^[A-Z]{2}$')})")
    rules["order_id.unique"] = (
        f"v_order_id IS NOT NULL AND row_number() OVER (PARTITION BY v_order_id ORDER BY {ROW}) > 1"
    )
    rules["row.duplicate"] = f"row_number() OVER (PARTITION BY {all_values} ORDER BY {ROW}) > 1"
    return rules


def judged_sql(source: Path) -> str:
    """The query of every row with its values as read, typed values and one flag per rule."""
    rules = _rules()
    names = ", ".join(f"{_q(column)}: 'VARCHAR'" for column in COLUMNS)
    read = (
        f"read_csv({_q(str(source))}, header = true, columns = {{{names}}}, "
        "nullstr = '', all_varchar = true)"
    )
    flags = ", ".join(f'{expr} AS "{rule}"' for rule, expr in rules.items())
    reasons = ", ".join(f'CASE WHEN "{rule}" THEN {_q(rule)} END' for rule in rules)
    quarantined = " OR ".join(f'"{rule}"' for rule in rules)
    texts = ", ".join(f"{expr} AS t_{column}" for column, expr in TEXT.items())
    return f"""
    WITH numbered AS (
        SELECT CAST(row_number() OVER () - 1 AS BIGINT) AS {ROW}, * FROM {read}
    ), texts AS (
        SELECT *, {texts} FROM numbered
    ), typed AS (
        SELECT *, {", ".join(f"{_value(column)} AS v_{column}" for column in COLUMNS)} FROM texts
    ), flagged AS (
        SELECT *, {flags} FROM typed
    )
    SELECT {ROW}, {ROW} + 2 AS {LINE}, {", ".join(COLUMNS)},
        {", ".join(f"v_{column}" for column in COLUMNS)},
        list_filter([{reasons}], lambda x: x IS NOT NULL) AS {REASONS},
        ({quarantined}) AS quarantined
    FROM flagged
    """


def main(source: Path | str, out_dir: Path | str) -> dict[str, int]:
    """Run the hand-written SQL; write clean.parquet, quarantine.parquet and summary.json."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(":memory:")
    con.execute(f"CREATE TEMP TABLE judged AS {judged_sql(Path(source))}")
    clean_path, quarantine_path = out / "clean.parquet", out / "quarantine.parquet"
    typed = ", ".join(f"v_{column} AS {column}" for column in COLUMNS)
    con.execute(
        f"COPY (SELECT {ROW}, {LINE}, {typed} FROM judged WHERE NOT quarantined ORDER BY {ROW}) "
        f"TO {_q(str(clean_path))} (FORMAT parquet)"
    )
    con.execute(
        f"COPY (SELECT {ROW}, {LINE}, {', '.join(COLUMNS)}, {REASONS} FROM judged "
        f"WHERE quarantined ORDER BY {ROW}) TO {_q(str(quarantine_path))} (FORMAT parquet)"
    )
    rows = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE NOT quarantined), "
        "count(*) FILTER (WHERE quarantined) FROM judged"
    ).fetchone()
    assert rows is not None
    summary = {"rows_in": rows[0], "rows_clean": rows[1], "rows_quarantined": rows[2]}
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m bench.handwritten_duckdb INPUT OUTDIR")
    main(sys.argv[1], sys.argv[2])
