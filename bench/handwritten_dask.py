"""The orders recipe written by hand in Dask: rowsift's Dask engine is measured against it.

What a Dask user would write for bench/orders.recipe.yaml, with the semantics of DESIGN.md
section 3: `dd.read_csv` in 64 MB blocks with every column as Arrow-backed text (only an empty
field is null), numbered in file order by a running count (`cumsum` over the partitions); each
partition judged by pandas code (`map_partitions`, the pandas program's transforms, guarded casts
and row rules: `bench/handwritten_pandas.py`); `unique` and `duplicate` by a `shuffle` that
brings equal keys into one partition, where pandas' `duplicated` marks all but the lowest row
number; the reasons as an Arrow list column; both outputs written as folders of Parquet parts,
with the counts, in one `dask.compute` (so the CSV is read once). Default (threaded) scheduler.

    python -m bench.handwritten_dask INPUT OUTDIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pyarrow as pa

from bench import handwritten_pandas
from bench.orders_table import COLUMNS, LINE, REASONS, ROW

AS_READ = "read_"  # prefix of the columns that keep each value as read, for the quarantine
QUARANTINED = "quarantined"
ROW_RULES = (
    "order_id.not_null",
    "order_id.matches",
    "customer_email.matches",
    "customer_email.length",
    "status.not_null",
    "status.in_set",
    "amount.type",
    "amount.not_null",
    "amount.between",
    "quantity.type",
    "quantity.not_null",
    "quantity.between",
    "created_at.type",
    "created_at.not_null",
    "shipped_at.type",
    "shipped_at.compare",
    "country.not_null",
    "country.matches",
)
RULES = (*ROW_RULES, "order_id.unique", "row.duplicate")
REASON_TYPE = pd.ArrowDtype(pa.list_(pa.string()))


def _read(source: Path) -> dd.DataFrame:
    raw = dd.read_csv(
        str(source),
        blocksize="64MB",
        dtype=dict.fromkeys(COLUMNS, "string[pyarrow]"),
        keep_default_na=False,
        na_values=[""],
    )
    ones = raw.assign(one=1)["one"]
    return raw.assign(**{ROW: (ones.cumsum() - 1).astype("int64")})


def _judge_rows(part: pd.DataFrame) -> pd.DataFrame:
    """One partition: values as read, typed values and one flag per row rule."""
    text = handwritten_pandas.transformed(part)
    value = handwritten_pandas.typed(text)
    flags = handwritten_pandas.row_rules(text, value)
    return pd.DataFrame(
        {
            ROW: part[ROW],
            **{AS_READ + column: part[column] for column in COLUMNS},
            **{column: value[column] for column in COLUMNS},
            **{rule: flags[rule] for rule in ROW_RULES},
        },
        index=part.index,
    )


def _not_first(part: pd.DataFrame, keys: list[str], rule: str, nulls: bool) -> pd.DataFrame:
    """Flag every row of the partition whose keys an earlier row (lower number) has."""
    ordered = part.sort_values(ROW)
    repeated = ordered.duplicated(subset=keys, keep="first").to_numpy()
    if not nulls:
        repeated = repeated & ordered[keys].notna().all(axis=1).to_numpy()
    return ordered.assign(**{rule: repeated})


def _split(part: pd.DataFrame) -> pd.DataFrame:
    """The quarantine flag and the reasons, in rule order, of one partition."""
    flags = part[list(RULES)].to_numpy(dtype=bool)
    quarantined = flags.any(axis=1)
    rows, rules = np.nonzero(flags)
    offsets = np.zeros(len(part) + 1, dtype=np.int32)
    np.cumsum(np.bincount(rows, minlength=len(part)), out=offsets[1:])
    reasons = pa.ListArray.from_arrays(pa.array(offsets), pa.array(RULES).take(rules))
    kept = part.drop(columns=list(RULES))
    return kept.assign(
        **{
            LINE: part[ROW] + 2,  # header on line 1, no multi-line fields
            QUARANTINED: quarantined,
            REASONS: pd.Series(reasons, index=part.index, dtype=REASON_TYPE),
        }
    )


def _judged(raw: dd.DataFrame) -> dd.DataFrame:
    judged = raw.map_partitions(_judge_rows)
    judged = judged.shuffle(on="order_id").map_partitions(
        _not_first, ["order_id"], "order_id.unique", False
    )
    judged = judged.shuffle(on=list(COLUMNS)).map_partitions(
        _not_first, list(COLUMNS), "row.duplicate", True
    )
    return judged.map_partitions(_split)


def main(source: Path | str, out_dir: Path | str) -> dict[str, int]:
    """Run the hand-written pipeline; write clean.parquet and quarantine.parquet (folders of
    parts) and summary.json."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    judged = _judged(_read(Path(source)))
    identity = [ROW, LINE]
    clean = judged[~judged[QUARANTINED]][[*identity, *COLUMNS]]
    quarantine = judged[judged[QUARANTINED]][
        [*identity, *(AS_READ + column for column in COLUMNS), REASONS]
    ].rename(columns={AS_READ + column: column for column in COLUMNS})
    writes: list[Any] = [
        clean.to_parquet(str(out / "clean.parquet"), write_index=False, compute=False),
        quarantine.to_parquet(str(out / "quarantine.parquet"), write_index=False, compute=False),
    ]
    rows_in, rows_quarantined, *_ = dask.compute(
        judged.shape[0], judged[QUARANTINED].sum(), *writes
    )
    summary = {
        "rows_in": int(rows_in),
        "rows_clean": int(rows_in - rows_quarantined),
        "rows_quarantined": int(rows_quarantined),
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m bench.handwritten_dask INPUT OUTDIR")
    main(sys.argv[1], sys.argv[2])
