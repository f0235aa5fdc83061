"""The orders recipe as a pandera DataFrameModel on Polars: the "validation library" contender.

pandera's Polars backend validates; it does not clean. So the text is read and parsed with
Polars first (the recipe's transforms, then casts with `strict=False`), materialised once as a
DataFrame (pandera's fast path: a LazyFrame is validated at schema level only by default, and
with data checks on it re-runs the plan, scan included, for every check), validated with
`lazy=True`, and the `failure_cases` table of the `SchemaErrors` is turned into clean and
quarantine outputs by row index.

Two honest differences from the recipe, neither of which changes which rows are quarantined:
pandera cannot coerce dirty text itself (`coerce=True` stops at the first column that fails and
then runs the checks on text), so `<col>.type` is a check comparing the text with the cast value;
and `nullable=False` also fires on a value that failed its cast, so such rows carry both
`<col>.type` and `<col>.not_null`.

    python -m bench.pandera_polars INPUT OUTDIR
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData

from bench.orders_table import COLUMNS, DATETIME_FORMAT, LINE, REASONS, ROW, STATUSES

# pandera's check names, as they appear in `failure_cases.check`, to recipe rule names.
RULE_NAMES = {
    "not_nullable": "not_null",
    "str_matches": "matches",
    "str_length": "length",
    "isin": "in_set",
    "in_range": "between",
}


def _raw(column: str) -> str:
    """Name of the column holding `column` as read, for the quarantine."""
    return f"__raw__{column}"


def _text(column: str) -> str:
    """Name of the column holding `column` after transforms, before the cast."""
    return f"__text__{column}"


class Orders(pa.DataFrameModel):
    """The orders recipe's columns and rules, after transforms and casts."""

    order_id: str = pa.Field(nullable=False, str_matches=r"^ORD-\d{8}$")
    customer_email: str = pa.Field(
        nullable=True,
        str_matches=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$",
        str_length={"min_value": 3, "max_value": 254},
    )
    status: str = pa.Field(nullable=False, isin=list(STATUSES))
    amount: float = pa.Field(nullable=False, in_range={"min_value": 0, "max_value": 100_000})
    quantity: int = pa.Field(nullable=False, in_range={"min_value": 1, "max_value": 1000})
    created_at: datetime = pa.Field(nullable=False)
    shipped_at: datetime = pa.Field(nullable=True)
    country: str = pa.Field(nullable=False, str_matches=r"^[A-Z]{2}$")

    @pa.check("amount", "quantity", "created_at", "shipped_at", name="type")
    @classmethod
    def casts(cls, data: PolarsData) -> pl.LazyFrame:
        """A value that was present before the cast is present after it."""
        return data.lazyframe.select(
            pl.col(_text(data.key)).is_null() | pl.col(data.key).is_not_null()
        )

    @pa.check("order_id", name="unique")
    @classmethod
    def unique_but_first(cls, data: PolarsData) -> pl.LazyFrame:
        """No earlier row has the same id (nulls are ignored)."""
        return data.lazyframe.select(
            pl.col(data.key).is_null() | pl.col(data.key).is_first_distinct()
        )

    @pa.check("shipped_at", name="compare")
    @classmethod
    def shipped_after_created(cls, data: PolarsData) -> pl.LazyFrame:
        """Shipped no earlier than created (null on either side passes)."""
        return data.lazyframe.select(pl.col(data.key) >= pl.col("created_at"))

    @pa.dataframe_check(name="duplicate")
    @classmethod
    def first_of_duplicates(cls, data: PolarsData) -> pl.LazyFrame:
        """No earlier row is equal on every declared column (null equals null)."""
        return data.lazyframe.select(pl.struct(list(COLUMNS)).is_first_distinct())


def parse(source: Path) -> pl.DataFrame:
    """Read the CSV as text and apply the recipe's transforms and casts, keeping the raw text."""
    strip = {column: pl.col(column).str.strip_chars() for column in COLUMNS}
    text = {
        "order_id": strip["order_id"].str.to_uppercase(),
        "customer_email": strip["customer_email"].str.to_lowercase(),
        "status": strip["status"].str.to_lowercase().replace({"canceled": "cancelled"}),
        "amount": strip["amount"],
        "quantity": strip["quantity"],
        "created_at": pl.col("created_at"),
        "shipped_at": pl.col("shipped_at"),
        "country": strip["country"].str.to_uppercase(),
    }
    typed = {
        "amount": pl.col(_text("amount")).cast(pl.Float64, strict=False),
        "quantity": pl.col(_text("quantity")).cast(pl.Int64, strict=False),
        "created_at": pl.col(_text("created_at")).str.to_datetime(DATETIME_FORMAT, strict=False),
        "shipped_at": pl.col(_text("shipped_at")).str.to_datetime(DATETIME_FORMAT, strict=False),
    }
    return (
        pl.scan_csv(source, infer_schema=False, row_index_name=ROW)
        .select(
            pl.col(ROW).cast(pl.Int64),
            *(pl.col(column).alias(_raw(column)) for column in COLUMNS),
            *(text[column].alias(_text(column)) for column in COLUMNS),
        )
        .with_columns(
            (pl.col(ROW) + 2).alias(LINE),
            *(pl.col(_text(column)).alias(column) for column in COLUMNS if column not in typed),
            **typed,
        )
        .collect(engine="streaming")
    )


def reasons(failure_cases: pl.DataFrame) -> pl.DataFrame:
    """One row per failing row index, with the rule ids it failed (`amount.between`, ...)."""
    unplaced = failure_cases.filter(pl.col("index").is_null())
    if unplaced.height:
        message = f"failures not tied to a row (schema-level errors):\n{unplaced}"
        raise RuntimeError(message)
    # `in_range(0, 100000)` on column `amount` -> `amount.between`; a frame-wide check is
    # reported under the model's name -> `row.duplicate`.
    check = pl.col("check").str.replace(r"(?s)\(.*", "").replace(RULE_NAMES)
    column = pl.when(pl.col("column").is_in(COLUMNS)).then("column").otherwise(pl.lit("row"))
    rule = pl.concat_str(column, pl.lit("."), check)
    return (
        failure_cases.lazy()
        .select(pl.col("index").cast(pl.Int64).alias(ROW), rule.alias("rule"))
        .group_by(ROW)
        .agg(pl.col("rule").unique(maintain_order=True).alias(REASONS))
        .collect()
    )


def main(source: Path | str, out_dir: Path | str) -> dict[str, int]:
    """Validate with pandera; write clean.parquet, quarantine.parquet and summary.json."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    frame = parse(Path(source))
    try:
        Orders.validate(frame, lazy=True)
        failed = pl.DataFrame(schema={ROW: pl.Int64, REASONS: pl.List(pl.String)})
    except pa.errors.SchemaErrors as errors:
        failed = reasons(errors.failure_cases)
    quarantined = pl.col(ROW).is_in(failed[ROW].implode())
    clean = frame.filter(quarantined.not_()).select(ROW, LINE, *COLUMNS)
    quarantine = (
        frame.filter(quarantined)
        .select(ROW, LINE, *(pl.col(_raw(column)).alias(column) for column in COLUMNS))
        .join(failed, on=ROW, how="left", maintain_order="left")
    )
    clean.write_parquet(out / "clean.parquet")
    quarantine.write_parquet(out / "quarantine.parquet")
    summary = {
        "rows_in": frame.height,
        "rows_clean": clean.height,
        "rows_quarantined": quarantine.height,
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m bench.pandera_polars INPUT OUTDIR")
    main(sys.argv[1], sys.argv[2])
