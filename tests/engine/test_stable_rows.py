"""Lazy engines number rows once: every row lands exactly once, with one `_rowsift_row`.

`rowsift.run` on DuckDB, Spark and Dask evaluates the totals, the row counts and each output
separately. A frame that gives its rows in another order each time it is evaluated (a random
order, many partitions, many threads) must still be numbered once, or a row could be "first"
of its group in one output and a duplicate in the other.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest
from tests.conftest import records

import rowsift
from rowsift.exceptions import UsageError

RECIPE = """\
version: 1
columns:
  id: {rules: [not_null]}
  key: {}
  n: {type: int, rules: [{between: {min: 0}}]}
rows:
  - duplicate: {columns: [key], keep: first}
"""


def table(rows: int, seed: int) -> dict[str, list[str]]:
    """Unique ids; few keys, so most rows repeat the key of an earlier one; some bad numbers."""
    rng = random.Random(seed)
    return {
        "id": [f"r{number}" for number in range(rows)],
        "key": [f"k{rng.randrange(rows // 20)}" for _ in range(rows)],
        "n": [rng.choice([str(rng.randrange(100)), "-1", "x"]) for _ in range(rows)],
    }


def check_numbered_once(result: rowsift.RunResult, given: dict[str, list[str]]) -> None:
    """Each input row once, with one number; the kept row of a key is its lowest number."""
    clean, quarantine = records(result.clean), records(result.quarantine)
    rows = len(given["id"])
    ids = Counter(row["id"] for row in clean + quarantine)
    assert ids == Counter(given["id"]), "every row lands exactly once"
    numbers = [row["_rowsift_row"] for row in clean + quarantine]
    assert sorted(numbers) == list(range(rows)), "one number per row, each number once"
    assert result.summary.rows_in == rows
    assert (result.summary.rows_clean, result.summary.rows_quarantined) == (
        len(clean),
        len(quarantine),
    )
    first: dict[str, int] = {}
    for row in clean + quarantine:
        first[row["key"]] = min(first.get(row["key"], rows), row["_rowsift_row"])
    for row in clean:
        assert row["_rowsift_row"] == first[row["key"]], f"{row['id']} kept but not first"
    for row in quarantine:
        duplicate = "row.duplicate" in row["_rowsift_reasons"]
        assert duplicate == (row["_rowsift_row"] != first[row["key"]]), row["id"]


def test_duckdb_numbers_a_relation_in_random_order_once() -> None:
    import duckdb

    given = table(4000, seed=1)
    connection = duckdb.connect()
    connection.execute("SET threads = 4")
    arrow = pa.table({name: pa.array(values, type=pa.string()) for name, values in given.items()})
    connection.register("given", arrow)
    shuffled = connection.sql("SELECT * FROM given ORDER BY random()")
    assert records(shuffled.limit(5)) != records(shuffled.limit(5)), "each read a new order"
    result = rowsift.run(rowsift.load_recipe_text(RECIPE), shuffled)
    check_numbered_once(result, given)


@pytest.mark.spark
def test_spark_numbers_a_frame_of_many_partitions_in_random_order_once() -> None:
    from pyspark.sql import functions as F
    from tests.conftest import spark_session

    given = table(600, seed=2)
    spark = spark_session()
    frame = spark.createDataFrame(
        list(zip(*given.values(), strict=True)), "id string, key string, n string"
    )
    # rows go to partitions by a random number, drawn again whenever the frame is evaluated
    noise = F.udf(lambda: random.random(), "double").asNondeterministic()  # noqa: PLW0108
    shuffled = frame.withColumn("__noise", noise()).repartition(5, "__noise").drop("__noise")
    assert shuffled.rdd.getNumPartitions() == 5
    result = rowsift.run(rowsift.load_recipe_text(RECIPE), shuffled)
    check_numbered_once(result, given)


@pytest.mark.dask
def test_dask_numbers_a_frame_of_many_partitions_in_random_order_once() -> None:
    import dask.dataframe as dd

    given = table(2000, seed=3)
    frame = pd.DataFrame(
        {name: pd.Series(values, dtype="string[pyarrow]") for name, values in given.items()}
    )

    def shuffled_part(part: Any) -> Any:
        return part.sample(frac=1.0)

    parts = dd.from_pandas(frame, npartitions=6).map_partitions(shuffled_part)
    assert parts.npartitions == 6
    result = rowsift.run(rowsift.load_recipe_text(RECIPE), parts)
    check_numbered_once(result, given)


def test_a_frame_with_its_own_text_rowsift_row_is_refused_clearly(engine: Any) -> None:
    """A user's own column under rowsift's name: its values would silently become row numbers."""
    recipe = rowsift.load_recipe_text("version: 1\ncolumns: {id: {rules: [unique]}}\n")
    frame = engine.frame({"id": ["a", "a"], "_rowsift_row": ["5", "5"]})
    with pytest.raises(UsageError, match="column named '_rowsift_row' of type String") as raised:
        rowsift.run(recipe, frame)
    assert "rename it" in raised.value.hint
    renamed = engine.run(recipe, {"id": ["a", "a"], "source_row": ["5", "5"]})
    assert renamed.quarantine == {1: ["id.unique"]}
