"""The orders recipe written by hand in plain Polars lazy: the baseline rowsift is measured against.

It applies bench/orders.recipe.yaml with the semantics of DESIGN.md section 3 (transforms, then
casts; a value that does not cast fails `<col>.type` and no other rule of its column; every rule
but not_null passes on null; row-set rules blame all but the lowest row) and writes the same
outputs as `rowsift run`: clean.parquet (typed values), quarantine.parquet (values as read, with
`_rowsift_reasons`) and summary.json.

    python -m bench.handwritten_polars INPUT OUTDIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polars as pl

from bench.orders_table import COLUMNS, DATETIME_FORMAT, LINE, REASONS, ROW, STATUSES


def _value(column: str) -> str:
    """Name of the working column holding `column` after transforms and cast."""
    return f"__value__{column}"


def _text(column: str) -> str:
    """Name of the working column holding `column` after transforms, before the cast."""
    return f"__text__{column}"


def _strip(column: str) -> pl.Expr:
    return pl.col(column).str.strip_chars()


def _transformed() -> dict[str, pl.Expr]:
    """Each column after its transforms, still text."""
    return {
        "order_id": _strip("order_id").str.to_uppercase(),
        "customer_email": _strip("customer_email").str.to_lowercase(),
        "status": _strip("status").str.to_lowercase().replace({"canceled": "cancelled"}),
        "amount": _strip("amount"),
        "quantity": _strip("quantity"),
        "created_at": pl.col("created_at"),
        "shipped_at": pl.col("shipped_at"),
        "country": _strip("country").str.to_uppercase(),
    }


def _typed() -> dict[str, pl.Expr]:
    """Each column cast to its declared type; a value that does not cast becomes null."""
    text = {column: pl.col(_text(column)) for column in COLUMNS}
    return {
        "order_id": text["order_id"],
        "customer_email": text["customer_email"],
        "status": text["status"],
        "amount": text["amount"].cast(pl.Float64, strict=False),
        "quantity": text["quantity"].cast(pl.Int64, strict=False),
        "created_at": text["created_at"].str.to_datetime(DATETIME_FORMAT, strict=False),
        "shipped_at": text["shipped_at"].str.to_datetime(DATETIME_FORMAT, strict=False),
        "country": text["country"],
    }


def _fails(passes: pl.Expr) -> pl.Expr:
    """A rule fails where it is false; null (a null value) passes."""
    return passes.not_().fill_null(value=False)


def _rules() -> dict[str, pl.Expr]:
    """Every rule of the recipe as a 'this row fails' flag named by rule id, in reason order."""
    value = {column: pl.col(_value(column)) for column in COLUMNS}
    text = {column: pl.col(_text(column)) for column in COLUMNS}

    def type_fails(column: str) -> pl.Expr:
        return text[column].is_not_null() & value[column].is_null()

    def not_null_fails(column: str) -> pl.Expr:
        # Judged on the text: a value that failed its type is judged by no other rule.
        return text[column].is_null()

    email = value["customer_email"]
    created = value["created_at"]
    return {
        "order_id.not_null": not_null_fails("order_id"),
        "order_id.matches": _fails(value["order_id"].str.contains(r"^ORD-\d{8}$")),
        "customer_email.matches": _fails(email.str.contains(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")),
        "customer_email.length": _fails(email.str.len_chars().is_between(3, 254)),
        "status.not_null": not_null_fails("status"),
        "status.in_set": _fails(value["status"].is_in(STATUSES)),
        "amount.type": type_fails("amount"),
        "amount.not_null": not_null_fails("amount"),
        "amount.between": _fails(value["amount"].is_between(0, 100_000)),
        "quantity.type": type_fails("quantity"),
        "quantity.not_null": not_null_fails("quantity"),
        "quantity.between": _fails(value["quantity"].is_between(1, 1000)),
        "created_at.type": type_fails("created_at"),
        "created_at.not_null": not_null_fails("created_at"),
        "shipped_at.type": type_fails("shipped_at"),
        "shipped_at.compare": _fails(value["shipped_at"] >= created),
        "country.not_null": not_null_fails("country"),
        "country.matches": _fails(value["country"].str.contains(r"^[A-Z]{2}$")),
        # Row-set rules come after every row rule (docs/recipe.md, "Order of work").
        "order_id.unique": value["order_id"].is_not_null()
        & value["order_id"].is_first_distinct().not_(),
        "row.duplicate": pl.struct([_value(column) for column in COLUMNS])
        .is_first_distinct()
        .not_(),
    }


def plan(source: Path) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """The clean and quarantine outputs of the orders recipe on `source`, as lazy frames."""
    rules = _rules()
    judged = (
        pl.scan_csv(source, infer_schema=False, row_index_name=ROW)
        .with_columns(
            pl.col(ROW).cast(pl.Int64),
            (pl.col(ROW).cast(pl.Int64) + 2).alias(LINE),  # header on line 1, no multi-line fields
            **{_text(column): expr for column, expr in _transformed().items()},
        )
        .with_columns(**{_value(column): expr for column, expr in _typed().items()})
        .with_columns(**rules)
        .with_columns(__quarantined=pl.any_horizontal(list(rules)))
    )
    clean = judged.filter(pl.col("__quarantined").not_()).select(
        ROW, LINE, *(pl.col(_value(column)).alias(column) for column in COLUMNS)
    )
    reasons = pl.concat_list([pl.when(pl.col(rule)).then(pl.lit(rule)) for rule in rules])
    quarantine = judged.filter(pl.col("__quarantined")).select(
        ROW, LINE, *COLUMNS, reasons.list.drop_nulls().alias(REASONS)
    )
    return clean, quarantine


def main(source: Path | str, out_dir: Path | str) -> dict[str, int]:
    """Run the hand-written pipeline; write clean.parquet, quarantine.parquet and summary.json."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    clean, quarantine = plan(Path(source))
    clean_path, quarantine_path = out / "clean.parquet", out / "quarantine.parquet"
    # One streaming run: both sinks share the scan and the judging; the input's row count is
    # taken by an independent count so that the summary can show nothing was lost.
    *_, rows_in = pl.collect_all(
        [
            clean.sink_parquet(clean_path, lazy=True),
            quarantine.sink_parquet(quarantine_path, lazy=True),
            pl.scan_csv(Path(source), infer_schema=False).select(pl.len()),
        ],
        engine="streaming",
    )
    summary = {
        "rows_in": rows_in.item(),
        "rows_clean": pl.scan_parquet(clean_path).select(pl.len()).collect().item(),
        "rows_quarantined": pl.scan_parquet(quarantine_path).select(pl.len()).collect().item(),
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m bench.handwritten_polars INPUT OUTDIR")
    main(sys.argv[1], sys.argv[2])
