"""The recipes of `bench.shapes` written by hand in plain Polars lazy: each shape's baseline.

Like bench/handwritten_polars.py for the orders file: `scan_csv` with every column as text
(an empty field kept as read, made null before the transforms), the transforms, the casts with
`strict=False`, one "this row fails" flag per rule in reason order (type, then the column's
rules in recipe order; row-set rules after every row rule), the reasons as a list column, and
both outputs written by `sink_parquet` in one `collect_all`. The semantics
are the recipe's (DESIGN.md section 3): a value that does not cast fails `<col>.type` and no other
rule of its column; every rule but not_null passes on null; `unique` and `duplicate` blame all
but the lowest row; `determined_by` blames a value less frequent than its group's most frequent
one, in groups of at least 3 present values. Outputs as `rowsift run`: clean.parquet (typed
values), quarantine.parquet (values as read, with `_rowsift_reasons`) and summary.json.

    python -m bench.shapes.handwritten SHAPE INPUT OUTDIR
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from bench.orders_table import LINE, REASONS, ROW


def read(column: str) -> pl.Expr:
    """`column` as read, the source's null token (the empty field) made null."""
    return pl.when(pl.col(column) != "").then(pl.col(column))


def text(column: str) -> pl.Expr:
    """`column` after its transforms, before the cast."""
    return pl.col(f"__text__{column}")


def value(column: str) -> pl.Expr:
    """`column` after its transforms and cast."""
    return pl.col(f"__value__{column}")


def fails(passes: pl.Expr) -> pl.Expr:
    """A rule fails where it is false; null (a null value) passes."""
    return passes.not_().fill_null(value=False)


def type_fails(column: str) -> pl.Expr:
    return text(column).is_not_null() & value(column).is_null()


def not_null_fails(column: str) -> pl.Expr:
    # judged on the text: a value that failed its type is judged by no other rule
    return text(column).is_null()


def unique_fails(column: str) -> pl.Expr:
    return value(column).is_not_null() & value(column).is_first_distinct().not_()


def rows_unique_fails(columns: list[str]) -> pl.Expr:
    present = pl.all_horizontal(value(column).is_not_null() for column in columns)
    return present & pl.struct(value(column) for column in columns).is_first_distinct().not_()


def duplicate_fails(columns: list[str]) -> pl.Expr:
    return pl.struct(value(column) for column in columns).is_first_distinct().not_()


def determined_by_stats(dependent: str, keys: list[str]) -> tuple[dict, dict]:
    """Two stages of group counts for `determined_by`: rows per (keys, value), then per keys
    the present values and the largest of those counts."""
    pair = f"__pair__{dependent}"
    first = {pair: value(dependent).count().over([value(key) for key in keys] + [value(dependent)])}
    second = {
        f"__support__{dependent}": value(dependent).count().over([value(key) for key in keys]),
        f"__top__{dependent}": pl.col(pair).max().over([value(key) for key in keys]),
    }
    return first, second


def determined_by_fails(dependent: str, keys: list[str], min_support: int = 3) -> pl.Expr:
    present = pl.all_horizontal(value(column).is_not_null() for column in [*keys, dependent])
    return (
        present
        & (pl.col(f"__support__{dependent}") >= min_support)
        & (pl.col(f"__pair__{dependent}") < pl.col(f"__top__{dependent}"))
    )


@dataclass
class Shape:
    """One table's columns, its transforms and casts, and its rules in reason order."""

    columns: list[str]
    transformed: dict[str, pl.Expr]
    typed: dict[str, pl.Expr]
    rules: dict[str, pl.Expr]
    stats: list[dict[str, pl.Expr]] = field(default_factory=list)
    multiline: bool = False


def multiline() -> Shape:
    columns = ["visit_id", "patient", "day", "fee", "status", "notes"]
    return Shape(
        columns=columns,
        transformed={
            "visit_id": read("visit_id").str.strip_chars().str.to_uppercase(),
            "status": read("status").str.strip_chars().str.to_lowercase(),
            **{column: read(column) for column in ("patient", "day", "fee", "notes")},
        },
        typed={
            **{column: text(column) for column in columns},
            "day": text("day").str.to_date("%Y-%m-%d", strict=False),
            "fee": text("fee").cast(pl.Float64, strict=False),
        },
        rules={
            "visit_id.not_null": not_null_fails("visit_id"),
            "visit_id.matches": fails(value("visit_id").str.contains(r"^V\d{8}$")),
            "patient.not_null": not_null_fails("patient"),
            "patient.matches": fails(value("patient").str.contains(r"^P\d{5}$")),
            "day.type": type_fails("day"),
            "day.not_null": not_null_fails("day"),
            "fee.type": type_fails("fee"),
            "fee.not_null": not_null_fails("fee"),
            "fee.between": fails(value("fee").is_between(0, 10_000)),
            "status.in_set": fails(
                value("status").is_in(["scheduled", "done", "cancelled", "no_show"])
            ),
            "notes.length": fails(value("notes").str.len_chars() <= 200),
            "visit_id.unique": unique_fails("visit_id"),
        },
        multiline=True,
    )


def wide() -> Shape:
    groups = range(10)
    columns = [f"{kind}{group}" for group in groups for kind in "nxck"]
    transformed = {column: read(column) for column in columns}
    typed = {column: text(column) for column in columns}
    rules: dict[str, pl.Expr] = {}
    for group in groups:
        n, x, c, k = (f"{kind}{group}" for kind in "nxck")
        transformed[c] = read(c).str.strip_chars().str.to_uppercase()
        typed[n] = text(n).cast(pl.Int64, strict=False)
        typed[x] = text(x).cast(pl.Float64, strict=False)
        rules[f"{n}.type"] = type_fails(n)
        rules[f"{n}.between"] = fails(value(n).is_between(0, 1000))
        rules[f"{x}.type"] = type_fails(x)
        rules[f"{x}.not_null"] = not_null_fails(x)
        rules[f"{x}.between"] = fails(value(x).is_between(0, 100))
        rules[f"{c}.matches"] = fails(value(c).str.contains(r"^[A-Z]{2}\d{3}$"))
        rules[f"{k}.in_set"] = fails(value(k).is_in(["red", "green", "blue", "black"]))
    return Shape(columns=columns, transformed=transformed, typed=typed, rules=rules)


def narrow() -> Shape:
    return Shape(
        columns=["id", "value"],
        transformed={"id": read("id"), "value": read("value")},
        typed={
            "id": text("id").cast(pl.Int64, strict=False),
            "value": text("value").cast(pl.Float64, strict=False),
        },
        rules={
            "id.type": type_fails("id"),
            "id.not_null": not_null_fails("id"),
            "value.type": type_fails("value"),
            "value.between": fails(value("value").is_between(0, 1000)),
            "id.unique": unique_fails("id"),
        },
    )


def rowsets() -> Shape:
    columns = ["order_id", "customer_id", "email", "sku", "zip", "city", "warehouse", "amount"]
    dependencies = {"email": ["customer_id"], "city": ["zip"], "warehouse": ["city"]}
    stages = [determined_by_stats(column, keys) for column, keys in dependencies.items()]
    return Shape(
        columns=columns,
        transformed={
            **{column: read(column) for column in columns},
            "email": read("email").str.strip_chars().str.to_lowercase(),
        },
        typed={
            **{column: text(column) for column in columns},
            "warehouse": text("warehouse").cast(pl.Int64, strict=False),
            "amount": text("amount").cast(pl.Float64, strict=False),
        },
        rules={
            "order_id.not_null": not_null_fails("order_id"),
            "customer_id.not_null": not_null_fails("customer_id"),
            "warehouse.type": type_fails("warehouse"),
            "amount.type": type_fails("amount"),
            "amount.between": fails(value("amount").is_between(0, 1000)),
            "order_id.unique": unique_fails("order_id"),
            **{
                f"{column}.determined_by": determined_by_fails(column, keys)
                for column, keys in dependencies.items()
            },
            "row.duplicate": duplicate_fails(columns),
            "row.unique": rows_unique_fails(["customer_id", "sku"]),
            "row.duplicate_2": duplicate_fails(["customer_id", "sku", "amount"]),
        },
        stats=[
            {name: expr for first, _ in stages for name, expr in first.items()},
            {name: expr for _, second in stages for name, expr in second.items()},
        ],
    )


SHAPES = {"multiline": multiline, "wide": wide, "narrow": narrow, "rowsets": rowsets}


def plan(source: Path, shape: Shape) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """The clean and quarantine outputs of `shape`'s recipe on `source`, as lazy frames."""
    scan = pl.scan_csv(source, infer_schema=False, empty_string_is_null=False, row_index_name=ROW)
    if shape.multiline:
        # the line a record starts on: the header is line 1, and a quoted line break inside a
        # field moves every later record one line down
        lines = 1 + pl.sum_horizontal(
            pl.col(column).str.count_matches("\n", literal=True).fill_null(0).cast(pl.Int64)
            for column in shape.columns
        )
        line = 2 + lines.cum_sum() - lines
    else:
        line = pl.col(ROW).cast(pl.Int64) + 2
    judged = scan.with_columns(
        pl.col(ROW).cast(pl.Int64),
        line.alias(LINE),
        **{f"__text__{column}": expr for column, expr in shape.transformed.items()},
    ).with_columns(**{f"__value__{column}": expr for column, expr in shape.typed.items()})
    for stage in shape.stats:
        judged = judged.with_columns(**stage)
    rules = shape.rules
    judged = judged.with_columns(**rules).with_columns(__quarantined=pl.any_horizontal(list(rules)))
    clean = judged.filter(pl.col("__quarantined").not_()).select(
        ROW, LINE, *(value(column).alias(column) for column in shape.columns)
    )
    reasons = pl.concat_list([pl.when(pl.col(rule)).then(pl.lit(rule)) for rule in rules])
    quarantine = judged.filter(pl.col("__quarantined")).select(
        ROW, LINE, *shape.columns, reasons.list.drop_nulls().alias(REASONS)
    )
    return clean, quarantine


def main(shape: str, source: Path | str, out_dir: Path | str) -> dict[str, int]:
    """Run the hand-written program of `shape`; write clean.parquet, quarantine.parquet and
    summary.json."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    clean, quarantine = plan(Path(source), SHAPES[shape]())
    clean_path, quarantine_path = out / "clean.parquet", out / "quarantine.parquet"
    *_, rows_in = pl.collect_all(
        [
            clean.sink_parquet(clean_path, lazy=True),
            quarantine.sink_parquet(quarantine_path, lazy=True),
            # read as the plan reads it: Polars shares one scan between equal reads
            pl.scan_csv(Path(source), infer_schema=False, empty_string_is_null=False).select(
                pl.len()
            ),
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
    if len(sys.argv) != 4 or sys.argv[1] not in SHAPES:
        sys.exit(f"usage: python -m bench.shapes.handwritten {{{','.join(SHAPES)}}} INPUT OUTDIR")
    main(sys.argv[1], sys.argv[2], sys.argv[3])
