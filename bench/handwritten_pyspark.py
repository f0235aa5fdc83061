"""The orders recipe written by hand in PySpark: rowsift's Spark engine is measured against it.

What a Spark user would write for bench/orders.recipe.yaml, with the semantics of DESIGN.md
section 3, in the same steps as `bench/handwritten_duckdb.py`: `spark.read.csv` with every column
as text (an empty field is null), numbered in file order (`monotonically_increasing_id` plus
each partition's offset, one small aggregation); the transforms (`trim` of ASCII whitespace,
`upper`, `lower`, a `CASE` for the map); the casts with `try_cast` and `try_to_timestamp` behind
the same lexical guards rowsift uses; one boolean column per rule; `row_number()` windows for
`unique` and `duplicate`; the reasons as an array. The judged rows are cached and both outputs
written from them. It runs in a local session (`local[*]`, no web UI), as `rowsift run --engine
spark` starts one.

    python -m bench.handwritten_pyspark INPUT OUTDIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.handwritten_duckdb import DATETIME_GUARD, EMAIL, FLOAT_GUARD, INT_GUARD
from bench.orders_table import COLUMNS, LINE, REASONS, ROW, STATUSES

SPACE = "' \\t\\n\\r\\u000B\\u000C'"
DATETIME_PATTERN = "yyyy-MM-dd'T'HH:mm:ss"


def _q(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _strip(column: str) -> str:
    return f"trim(BOTH {SPACE} FROM {column})"


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
        return f"CASE WHEN {text} RLIKE {_q(FLOAT_GUARD)} THEN try_cast({text} AS DOUBLE) + 0.0 END"
    if column == "quantity":
        return f"CASE WHEN {text} RLIKE {_q(INT_GUARD)} THEN try_cast({text} AS BIGINT) END"
    if column in ("created_at", "shipped_at"):
        stamp = f"try_to_timestamp({text}, {_q(DATETIME_PATTERN)})"
        return (
            f"CASE WHEN {text} RLIKE {_q(DATETIME_GUARD)} THEN CAST({stamp} AS TIMESTAMP_NTZ) END"
        )
    return text


def _fails(passes: str) -> str:
    return f"coalesce(NOT ({passes}), false)"


def _rules() -> dict[str, str]:
    statuses = ", ".join(_q(status) for status in STATUSES)
    all_values = ", ".join(f"v_{column}" for column in COLUMNS)
    rules = {
        "order_id.not_null": "t_order_id IS NULL",
        "order_id.matches": _fails(f"v_order_id RLIKE {_q('^ORD-[0-9]{8}$')}"),
        "customer_email.matches": _fails(f"v_customer_email RLIKE {_q(EMAIL)}"),
        "customer_email.length": _fails("char_length(v_customer_email) BETWEEN 3 AND 254"),
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
    rules["country.matches"] = _fails(f"v_country RLIKE {_q('^[A-Z]{2}$')}")
    rules["order_id.unique"] = (
        f"v_order_id IS NOT NULL AND row_number() OVER (PARTITION BY v_order_id ORDER BY {ROW}) > 1"
    )
    rules["row.duplicate"] = f"row_number() OVER (PARTITION BY {all_values} ORDER BY {ROW}) > 1"
    return rules


def main(source: Path | str, out_dir: Path | str) -> dict[str, int]:
    """Run the hand-written pipeline; write clean.parquet, quarantine.parquet (folders of parts,
    as Spark writes) and summary.json."""
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    spark = (
        SparkSession.builder.appName("orders")
        .master("local[*]")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    schema = ", ".join(f"{column} STRING" for column in COLUMNS)
    raw = spark.read.csv(str(source), header=True, schema=schema)
    tagged = raw.withColumns(
        {"pid": F.spark_partition_id(), "mid": F.monotonically_increasing_id()}
    )
    offsets = sorted(tagged.groupBy("pid").count().collect())
    starts, total = [], 0
    for partition, count in offsets:
        starts.append((partition, total))
        total += count
    start = spark.createDataFrame(starts, "pid INT, start BIGINT")
    numbered = (
        tagged.join(F.broadcast(start), "pid")
        .withColumn(ROW, F.col("start") + F.col("mid") - F.shiftleft(F.col("pid").cast("long"), 33))
        .drop("pid", "mid", "start")
    )
    rules = _rules()
    judged = (
        numbered.withColumns({f"t_{column}": F.expr(expr) for column, expr in TEXT.items()})
        .withColumns({f"v_{column}": F.expr(_value(column)) for column in COLUMNS})
        .withColumns({rule: F.expr(expr) for rule, expr in rules.items()})
    )
    reasons = F.filter(
        F.array(*(F.when(F.col(f"`{rule}`"), F.lit(rule)) for rule in rules)),
        lambda reason: reason.isNotNull(),
    )
    quarantined = " OR ".join(f"`{rule}`" for rule in rules)
    judged = judged.withColumns(
        {REASONS: reasons, "quarantined": F.expr(quarantined), LINE: F.col(ROW) + 2}
    ).persist()
    clean = judged.filter("NOT quarantined").select(
        ROW, LINE, *(F.col(f"v_{column}").alias(column) for column in COLUMNS)
    )
    quarantine = judged.filter("quarantined").select(ROW, LINE, *COLUMNS, REASONS)
    clean.write.mode("overwrite").parquet(str(out / "clean.parquet"))
    quarantine.write.mode("overwrite").parquet(str(out / "quarantine.parquet"))
    counts = judged.groupBy("quarantined").count().collect()
    by_kind = {bool(row["quarantined"]): int(row["count"]) for row in counts}
    summary = {
        "rows_in": total,
        "rows_clean": by_kind.get(False, 0),
        "rows_quarantined": by_kind.get(True, 0),
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    spark.stop()
    return summary


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m bench.handwritten_pyspark INPUT OUTDIR")
    main(sys.argv[1], sys.argv[2])
