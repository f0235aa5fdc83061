"""The orders recipe as a Great Expectations Expectation Suite on pandas: the GX contender.

Great Expectations validates; it does not clean. So the text is read and parsed with pandas
first, the way a pandas user would (`read_csv` with every column as text through the pyarrow
reader, the recipe's transforms with `.str`, `to_numeric` / `to_datetime(format, errors="coerce")`
for the casts), and the parsed frame is validated with GX 1.x's Fluent API: an ephemeral context,
a pandas data source with a dataframe asset and a whole-dataframe batch definition, and one
`ExpectationSuite` validated on the batch with the `COMPLETE` result format, which lists every
failing row of every expectation in `unexpected_index_list`. The batch keeps pandas' default
`RangeIndex`, so those entries are the row numbers themselves (`_rowsift_row`); naming columns in
`unexpected_index_column_names` would make GX build one dict per failing row in a Python loop.
`return_unexpected_index_query` is off: GX would otherwise write every failing index into a
query string. The suite is run with `Batch.validate(suite, result_format=...)` rather than a
`ValidationDefinition` or `Checkpoint`, which would also store the result in the context (as JSON,
every index list included). Each expectation carries its recipe rule id in `meta`, so the failing
rows are grouped into `_rowsift_reasons` (in the recipe's reason order) and the rows are split by
index; the outputs are written from the pandas frames with pyarrow.

The rules as expectations, each tagged in `meta` with its rule id:

- `<col>.not_null`: `ExpectColumnValuesToNotBeNull`, on the text before the cast for the typed
  columns (so a value that failed its cast does not also fail `not_null`, as in the recipe);
- `<col>.type`: `ExpectColumnValuesToNotBeNull` on the cast value with
  `row_condition=Column(text).is_not_null()`: where there was text, there is a value;
- `<col>.matches`: `ExpectColumnValuesToMatchRegex`;
- `customer_email.length`: `ExpectColumnValueLengthsToBeBetween(min_value=3, max_value=254)`;
- `status.in_set`: `ExpectColumnValuesToBeInSet`;
- `<col>.between`: `ExpectColumnValuesToBeBetween`;
- `shipped_at.compare`: `ExpectColumnPairValuesAToBeGreaterThanB(or_equal=True,
  ignore_row_if="either_value_is_missing")`;
- `order_id.unique`: `ExpectColumnValuesToBeUnique`, less the first row of each value;
- `row.duplicate`: `ExpectCompoundColumnsToBeUnique` over every column with
  `ignore_row_if="never"`, less the first row of each group.

Honest differences from the recipe and from rowsift:

- GX cannot cast dirty text, so the casts are pandas', not rowsift's: `pd.to_numeric` for
  `amount`, the same behind a `^[+-]?[0-9]+$` guard for `quantity` (so `3.5` is a type failure,
  as in Polars), `pd.to_datetime(format=..., errors="coerce")` for the two datetimes. A value
  that fails its cast becomes NaN/NaT, which GX counts as missing, so every rule of its column
  but `<col>.type` leaves it out, as the recipe wants.
- pandas (and so GX) reads the text `nan` as a missing float: this contender quarantines it as
  `amount.type`, rowsift as `amount.between` (NaN is a value there). The generated file has no
  such text.
- `quantity` is judged as `float64` (pandas' integer column with missing values): GX's
  `ExpectColumnValuesToBeBetween` is vectorised only for numpy `int`/`float` dtypes and calls a
  Python function per value on the nullable `Int64` dtype (an integer above 2**53 would be
  judged rounded; the file has none). It is written as `Int64`.
- GX's `unique` and compound `unique` flag every row of a repeated value; the recipe blames all
  but the first (`blame: all_but_first`, `keep: first`). The rows GX flags are therefore kept
  only where pandas' `duplicated(keep="first")` marks them too: GX finds the groups, pandas
  picks the first. GX leaves out null ids for `unique` (as the recipe does); with
  `ignore_row_if="never"` and pandas' `duplicated`, null equals null for `duplicate` (as in the
  recipe).
- GX runs regular expressions through pandas' `.str.contains`, which for these patterns uses
  Python's `re` (pandas' Arrow-backed strings fall back to it for `$`, `\\d` and `\\s`): `$`
  also matches before a final line break, and `\\d` and `\\s` are Unicode classes. rowsift's `$`
  is the end of the text and its classes are ASCII (docs/peers.md). The generated file has no
  line breaks in fields and no non-ASCII digits or spaces, so this changes nothing here.
- The dataset rules (`row_count`, `quarantine_rate`) are not checked, as in the other baselines:
  the three outputs are written whatever the rate.

    python -m bench.gx_pandas INPUT OUTDIR
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")  # no usage statistics from a benchmark

import great_expectations as gx
from great_expectations.data_context.types.base import ProgressBarsConfig
from great_expectations.expectations.core.expect_column_pair_values_a_to_be_greater_than_b import (
    ExpectColumnPairValuesAToBeGreaterThanB,
)
from great_expectations.expectations.core.expect_column_value_lengths_to_be_between import (
    ExpectColumnValueLengthsToBeBetween,
)
from great_expectations.expectations.core.expect_column_values_to_be_between import (
    ExpectColumnValuesToBeBetween,
)
from great_expectations.expectations.core.expect_column_values_to_be_in_set import (
    ExpectColumnValuesToBeInSet,
)
from great_expectations.expectations.core.expect_column_values_to_be_unique import (
    ExpectColumnValuesToBeUnique,
)
from great_expectations.expectations.core.expect_column_values_to_match_regex import (
    ExpectColumnValuesToMatchRegex,
)
from great_expectations.expectations.core.expect_column_values_to_not_be_null import (
    ExpectColumnValuesToNotBeNull,
)
from great_expectations.expectations.core.expect_compound_columns_to_be_unique import (
    ExpectCompoundColumnsToBeUnique,
)
from great_expectations.expectations.row_conditions import Column

from bench.orders_table import CAST_COLUMNS, COLUMNS, DATETIME_FORMAT, LINE, REASONS, ROW, STATUSES

RESULT_FORMAT = {"result_format": "COMPLETE", "return_unexpected_index_query": False}
KEEP_FIRST = ("order_id.unique", "row.duplicate")  # GX blames every row of a group


def _text(column: str) -> str:
    """Name of the column holding `column` after transforms, before the cast."""
    return f"__text__{column}"


def parse(source: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The CSV as read (all text, only an empty field is null) and the frame GX judges.

    The judged frame holds each column after its transforms and casts, and the text before the
    cast of the four typed columns (for `<col>.not_null` and `<col>.type`); its index is the
    row number.
    """
    raw = pd.read_csv(source, dtype=str, keep_default_na=False, na_values=[""], engine="pyarrow")
    text = {
        "order_id": raw["order_id"].str.strip().str.upper(),
        "customer_email": raw["customer_email"].str.strip().str.lower(),
        "status": raw["status"].str.strip().str.lower().replace({"canceled": "cancelled"}),
        "amount": raw["amount"].str.strip(),
        "quantity": raw["quantity"].str.strip(),
        "created_at": raw["created_at"],
        "shipped_at": raw["shipped_at"],
        "country": raw["country"].str.strip().str.upper(),
    }
    whole = text["quantity"].str.fullmatch(r"[+-]?[0-9]+").fillna(value=False).astype(bool)
    typed = {
        "amount": pd.to_numeric(text["amount"], errors="coerce").astype("float64"),
        "quantity": pd.to_numeric(text["quantity"].where(whole), errors="coerce").astype("float64"),
        "created_at": pd.to_datetime(text["created_at"], format=DATETIME_FORMAT, errors="coerce"),
        "shipped_at": pd.to_datetime(text["shipped_at"], format=DATETIME_FORMAT, errors="coerce"),
    }
    judged = pd.DataFrame(
        {
            **{column: typed.get(column, text[column]) for column in COLUMNS},
            **{_text(column): text[column] for column in CAST_COLUMNS},
        }
    )
    return raw, judged


def _rule(expectation: Any, rule: str) -> Any:
    """Tag an expectation with the recipe rule id its failures are reported under."""
    expectation.meta = {"rule": rule}
    return expectation


def _not_null(column: str) -> Any:
    """`<col>.not_null`, judged on the text: a value that failed its cast is not null here."""
    judged = _text(column) if column in CAST_COLUMNS else column
    return _rule(ExpectColumnValuesToNotBeNull(column=judged), f"{column}.not_null")


def _type(column: str) -> Any:
    """`<col>.type`: where the text is present, the cast value is present too."""
    expectation = ExpectColumnValuesToNotBeNull(
        column=column, row_condition=Column(_text(column)).is_not_null()
    )
    return _rule(expectation, f"{column}.type")


def expectations() -> list[Any]:
    """The recipe's rules as GX expectations, in the recipe's reason order."""
    return [
        _not_null("order_id"),
        _rule(
            ExpectColumnValuesToMatchRegex(column="order_id", regex=r"^ORD-\d{8}$"),
            "order_id.matches",
        ),
        _rule(
            ExpectColumnValuesToMatchRegex(
                column="customer_email", regex=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$"
            ),
            "customer_email.matches",
        ),
        _rule(
            ExpectColumnValueLengthsToBeBetween(
                column="customer_email", min_value=3, max_value=254
            ),
            "customer_email.length",
        ),
        _not_null("status"),
        _rule(
            ExpectColumnValuesToBeInSet(column="status", value_set=list(STATUSES)),
            "status.in_set",
        ),
        _type("amount"),
        _not_null("amount"),
        _rule(
            ExpectColumnValuesToBeBetween(column="amount", min_value=0, max_value=100_000),
            "amount.between",
        ),
        _type("quantity"),
        _not_null("quantity"),
        _rule(
            ExpectColumnValuesToBeBetween(column="quantity", min_value=1, max_value=1000),
            "quantity.between",
        ),
        _type("created_at"),
        _not_null("created_at"),
        _type("shipped_at"),
        _rule(
            ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="shipped_at",
                column_B="created_at",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
            ),
            "shipped_at.compare",
        ),
        _not_null("country"),
        _rule(
            ExpectColumnValuesToMatchRegex(column="country", regex=r"^[A-Z]{2}$"),
            "country.matches",
        ),
        # Row-set rules come after every row rule, as in the recipe's reason order.
        _rule(ExpectColumnValuesToBeUnique(column="order_id"), "order_id.unique"),
        _rule(
            ExpectCompoundColumnsToBeUnique(column_list=list(COLUMNS), ignore_row_if="never"),
            "row.duplicate",
        ),
    ]


def validate(judged: pd.DataFrame) -> dict[str, np.ndarray]:
    """Run the suite on the judged frame; the failing row numbers of each rule, by rule id."""
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    batches = (
        context.data_sources.add_pandas("orders")
        .add_dataframe_asset("orders")
        .add_batch_definition_whole_dataframe("whole file")
    )
    suite = context.suites.add(gx.ExpectationSuite(name="orders", expectations=expectations()))
    order = [(expectation.meta or {})["rule"] for expectation in suite.expectations]
    batch = batches.get_batch(batch_parameters={"dataframe": judged})
    results = batch.validate(suite, result_format=RESULT_FORMAT)
    failed: dict[str, np.ndarray] = {}
    for result in results.results:
        config, outcome = result.expectation_config, result.result
        if config is None or result.exception_info.get("raised_exception"):
            message = f"GX could not evaluate an expectation: {result.exception_info}"
            raise RuntimeError(message)
        rule = config.meta["rule"]
        rows = np.asarray(outcome.get("unexpected_index_list") or [], dtype=np.int64)
        if outcome.get("unexpected_count", 0) != len(rows):  # every failing row, or stop
            message = f"{rule}: GX listed {len(rows)} of {outcome['unexpected_count']} rows"
            raise RuntimeError(message)
        failed[rule] = rows
    # GX flags every row of a repeated value; the recipe keeps the first of each group.
    later = {
        "order_id.unique": judged["order_id"].notna() & judged["order_id"].duplicated(),
        "row.duplicate": judged[list(COLUMNS)].duplicated(keep="first"),
    }
    for rule in KEEP_FIRST:
        failed[rule] = failed[rule][later[rule].to_numpy()[failed[rule]]]
    # GX does not report the results in the suite's order.
    return {rule: failed[rule] for rule in order}


def reasons(failed: dict[str, np.ndarray], rows: int) -> tuple[np.ndarray, pa.ListArray]:
    """The quarantined row numbers, ascending, and the rule ids each failed, in suite order."""
    rules = list(failed)  # suite order
    row = np.concatenate([failed[rule] for rule in rules])
    code = np.concatenate([np.full(len(failed[r]), i, np.int32) for i, r in enumerate(rules)])
    order = np.lexsort((code, row))
    row, code = row[order], code[order]
    counts = np.bincount(row, minlength=rows)
    quarantined = np.flatnonzero(counts)
    offsets = np.concatenate([[0], np.cumsum(counts[quarantined])]).astype(np.int32)
    names = pa.array(np.array(rules, dtype=object)[code], type=pa.string())
    return quarantined, pa.ListArray.from_arrays(pa.array(offsets), names)


def _write(frame: pd.DataFrame, path: Path, extra: dict[str, pa.Array] | None = None) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    for name, column in (extra or {}).items():
        table = table.append_column(name, column)
    pq.write_table(table, path)


def main(source: Path | str, out_dir: Path | str) -> dict[str, int]:
    """Validate with GX; write clean.parquet, quarantine.parquet and summary.json."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    raw, judged = parse(Path(source))
    rows = len(judged)
    quarantined, lists = reasons(validate(judged), rows)
    is_quarantined = np.zeros(rows, dtype=bool)
    is_quarantined[quarantined] = True
    numbers = pd.DataFrame({ROW: np.arange(rows, dtype=np.int64)})
    numbers[LINE] = numbers[ROW] + 2  # header on line 1, no multi-line fields
    values = judged[list(COLUMNS)].assign(quantity=judged["quantity"].astype("Int64"))
    clean = pd.concat([numbers, values], axis=1)[~is_quarantined]
    quarantine = pd.concat([numbers, raw[list(COLUMNS)]], axis=1)[is_quarantined]
    _write(clean, out / "clean.parquet")
    _write(quarantine, out / "quarantine.parquet", {REASONS: lists})
    summary = {
        "rows_in": rows,
        "rows_clean": len(clean),
        "rows_quarantined": len(quarantine),
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m bench.gx_pandas INPUT OUTDIR")
    main(sys.argv[1], sys.argv[2])
