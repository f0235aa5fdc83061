"""The orders recipe written by hand in pandas: rowsift's pandas engine is measured against it.

What a pandas user would write for bench/orders.recipe.yaml, with the semantics of DESIGN.md
section 3, as `bench/handwritten_polars.py` does in Polars: `read_csv` through the pyarrow reader
with every column as Arrow-backed text (only an empty field is null); the transforms with `.str`
and `.replace`; the casts with `pd.to_numeric` / `pd.to_datetime(format, errors="coerce")` behind
the same lexical guards rowsift uses (so `3.5` is not an integer and `nan` is a float, as on every
rowsift engine); one boolean Series per rule; `duplicated(keep="first")` for `unique` and
`duplicate`; the reasons as an Arrow list column built from the flag matrix without a loop over
rows. Both outputs are written with pyarrow.

    python -m bench.handwritten_pandas INPUT OUTDIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from bench.handwritten_duckdb import DATETIME_GUARD, EMAIL, FLOAT_GUARD, INT_GUARD
from bench.orders_table import COLUMNS, DATETIME_FORMAT, LINE, REASONS, ROW, STATUSES

SPACE = " \t\n\r\x0b\x0c"


def _read(source: Path) -> pd.DataFrame:
    return pd.read_csv(
        source,
        engine="pyarrow",
        dtype=dict.fromkeys(COLUMNS, "string[pyarrow]"),
        keep_default_na=False,
        na_values=[""],
    )


def transformed(raw: pd.DataFrame) -> dict[str, pd.Series]:
    def strip(column: str) -> pd.Series:
        return raw[column].str.strip(SPACE)

    return {
        "order_id": strip("order_id").str.upper(),
        "customer_email": strip("customer_email").str.lower(),
        "status": strip("status").str.lower().replace({"canceled": "cancelled"}),
        "amount": strip("amount"),
        "quantity": strip("quantity"),
        "created_at": raw["created_at"],
        "shipped_at": raw["shipped_at"],
        "country": strip("country").str.upper(),
    }


def typed(text: dict[str, pd.Series]) -> dict[str, pd.Series]:
    def guarded(column: str, pattern: str) -> pd.Series:
        return text[column].where(text[column].str.contains(pattern).fillna(False))

    value = dict(text)
    value["amount"] = pd.to_numeric(guarded("amount", FLOAT_GUARD), errors="coerce") + 0.0
    value["quantity"] = pd.to_numeric(guarded("quantity", INT_GUARD), errors="coerce").astype(
        "Int64"
    )
    for column in ("created_at", "shipped_at"):
        value[column] = pd.to_datetime(
            guarded(column, DATETIME_GUARD), format=DATETIME_FORMAT, errors="coerce"
        )
    return value


def _fails(passes: pd.Series) -> np.ndarray:
    """A rule fails where it is false; a missing value passes."""
    return ~passes.fillna(True).to_numpy(dtype=bool)


def _missing(series: pd.Series) -> np.ndarray:
    return series.isna().to_numpy()


def row_rules(text: dict[str, pd.Series], value: dict[str, pd.Series]) -> dict[str, np.ndarray]:
    """The rules that judge each row alone, in the recipe's order."""

    def type_fails(column: str) -> np.ndarray:
        return ~_missing(text[column]) & _missing(value[column])

    missing = _missing
    order_id = value["order_id"]
    return {
        "order_id.not_null": missing(text["order_id"]),
        "order_id.matches": _fails(order_id.str.contains(r"^ORD-[0-9]{8}$")),
        "customer_email.matches": _fails(value["customer_email"].str.contains(EMAIL)),
        "customer_email.length": _fails(value["customer_email"].str.len().between(3, 254)),
        "status.not_null": missing(text["status"]),
        "status.in_set": _fails(value["status"].isin(STATUSES).mask(value["status"].isna())),
        "amount.type": type_fails("amount"),
        "amount.not_null": missing(text["amount"]),
        "amount.between": _fails(value["amount"].between(0, 100_000).mask(value["amount"].isna())),
        "quantity.type": type_fails("quantity"),
        "quantity.not_null": missing(text["quantity"]),
        "quantity.between": _fails(value["quantity"].between(1, 1000)),
        "created_at.type": type_fails("created_at"),
        "created_at.not_null": missing(text["created_at"]),
        "shipped_at.type": type_fails("shipped_at"),
        "shipped_at.compare": _fails(
            (value["shipped_at"] >= value["created_at"]).mask(
                value["shipped_at"].isna() | value["created_at"].isna()
            )
        ),
        "country.not_null": missing(text["country"]),
        "country.matches": _fails(value["country"].str.contains(r"^[A-Z]{2}$")),
    }


def _rules(text: dict[str, pd.Series], value: dict[str, pd.Series]) -> dict[str, np.ndarray]:
    typed = pd.DataFrame({column: value[column] for column in COLUMNS})
    order_id = value["order_id"]
    return {
        **row_rules(text, value),
        "order_id.unique": ~_missing(order_id) & order_id.duplicated(keep="first").to_numpy(),
        "row.duplicate": typed.duplicated(keep="first").to_numpy(),
    }


def reasons(flags: np.ndarray, ids: list[str]) -> pa.Array:
    """One list of rule ids per row of the flag matrix, in rule order."""
    rows, rules = np.nonzero(flags)
    offsets = np.zeros(len(flags) + 1, dtype=np.int32)
    np.cumsum(np.bincount(rows, minlength=len(flags)), out=offsets[1:])
    # taken from the ids as an Arrow array: `pa.array` of a large numpy text array may
    # come back chunked, which `from_arrays` refuses (10M rows did)
    return pa.ListArray.from_arrays(pa.array(offsets), pa.array(ids).take(rules))


def main(source: Path | str, out_dir: Path | str) -> dict[str, int]:
    """Run the hand-written pipeline; write clean.parquet, quarantine.parquet and summary.json."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    raw = _read(Path(source))
    text = transformed(raw)
    value = typed(text)
    rules = _rules(text, value)
    flags = np.column_stack(list(rules.values()))
    quarantined = flags.any(axis=1)
    row = np.arange(len(raw), dtype=np.int64)
    identity = {ROW: row, LINE: row + 2}  # header on line 1, no multi-line fields

    clean = pd.DataFrame(
        {
            **{name: numbers[~quarantined] for name, numbers in identity.items()},
            **{column: value[column][~quarantined].to_numpy() for column in COLUMNS},
        }
    )
    pq.write_table(pa.Table.from_pandas(clean, preserve_index=False), out / "clean.parquet")
    kept = raw[quarantined]
    quarantine = pa.table(
        {
            **{name: numbers[quarantined] for name, numbers in identity.items()},
            **{column: pa.array(kept[column], type=pa.string()) for column in COLUMNS},
            REASONS: reasons(flags[quarantined], list(rules)),
        }
    )
    pq.write_table(quarantine, out / "quarantine.parquet")
    summary = {
        "rows_in": len(raw),
        "rows_clean": int((~quarantined).sum()),
        "rows_quarantined": int(quarantined.sum()),
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m bench.handwritten_pandas INPUT OUTDIR")
    main(sys.argv[1], sys.argv[2])
