"""Dask: each partition is a pandas frame, so parsing reuses the pandas steps partition by
partition; marking rows seen before and counting groups shuffle equal keys into one partition
first."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import narwhals.stable.v2 as nw

from rowsift.engines._dask.scratch import private_temp
from rowsift.engines._pandas import steps as pandas_steps
from rowsift.engines.protocol import ParseJob, RowwiseChange, SeenBeforeJob
from rowsift.rules.rowset import GroupStat


def parse_columns(native: Any, jobs: Sequence[ParseJob]) -> Any:
    """Replace each job's column by its typed value, partition by partition."""
    meta = pandas_steps.parse_columns(native._meta, jobs)
    return native.map_partitions(pandas_steps.parse_columns, list(jobs), meta=meta)


_KEY_HASH = "_rowsift_key_hash"
"""The column a shuffle is partitioned on (`_shuffled`), dropped after it."""


def _shuffled(native: Any, keys: Sequence[str]) -> Any:
    """The frame with rows of equal `keys` in one partition. Dask hashes an Arrow column by
    the values pandas factorizes, which are numbers in a partition without a null and Python
    objects in one with a null, so the same value could land in two partitions; the keys'
    text, one form in every partition, is hashed instead."""
    import pandas as pd

    def hashed(part: Any) -> Any:
        return pd.util.hash_pandas_object(part[list(keys)].astype("string"), index=False)

    marked = native.assign(**{_KEY_HASH: native.map_partitions(hashed, meta=(None, "uint64"))})
    return marked.shuffle(on=_KEY_HASH).drop(columns=[_KEY_HASH])


def seen_before(native: Any, jobs: Sequence[SeenBeforeJob]) -> Any:
    """Rows with equal keys meet in one partition (a shuffle), where pandas marks repeats."""
    for job in jobs:
        shuffled = _shuffled(native, job.keys)
        meta = pandas_steps.seen_before(shuffled._meta, [job])
        native = shuffled.map_partitions(pandas_steps.seen_before, [job], meta=meta)
    return native


def group_stats(native: Any, stats: Sequence[GroupStat]) -> Any:
    """Rows with equal keys meet in one partition (one shuffle per set of keys), where pandas
    aggregates each group.

    Narwhals' `over` on Dask aligns its results by index and failed on rowsift's frames
    ("cannot reindex on an axis with duplicate labels"), so Dask groups natively.
    """
    by_keys: dict[tuple[str, ...], list[GroupStat]] = {}
    for stat in stats:
        by_keys.setdefault(stat.keys, []).append(stat)
    for keys, same_keys in by_keys.items():
        shuffled = _shuffled(native, keys)
        meta = pandas_steps.group_stats(shuffled._meta, same_keys)
        native = shuffled.map_partitions(pandas_steps.group_stats, same_keys, meta=meta)
    return native


@contextmanager
def held(native: Any) -> Iterator[Any]:
    """Nothing is held: a file run computes its totals and both writes in one `dask.compute`
    (`rowsift.engines._dask.files.write_outputs`), which shares the steps they have in common.

    `persist` would hold the frame instead, but measured worse: dask's blockwise fusion pass
    over the whole judged frame (a few hundred expressions sharing their inputs) ran for
    minutes, and without fusion the graph took several times as long as one combined compute.
    """
    yield native


def kept(native: Any) -> Any:
    """Nothing is kept: the judged frame is too wide for dask to persist (see `held`);
    it is computed again from the input, numbered once."""
    return native


def collect_together(frames: Sequence[nw.LazyFrame[Any]]) -> list[nw.DataFrame[Any]]:
    """Each frame in turn, Dask's scratch files in a folder removed at the end."""
    with private_temp():
        return [frame.collect() for frame in frames]


def by_partition(native: Any, change: RowwiseChange) -> Any:
    """`change` run by pandas on each partition, one task each.

    Through narwhals, each expression of a change is a node of Dask's own plan, and Dask
    computes the metadata of every node as it builds and optimises the plan: for a recipe's few
    hundred expressions that took longer than the work (6.5 of a 1M-row run's 22.7 s). As one
    function of a partition, the plan holds one node; the metadata is the change applied to
    the frame's empty one.
    """

    def on_part(part: Any) -> Any:
        return change(nw.from_native(part, eager_only=True)).to_native()

    return native.map_partitions(on_part, meta=on_part(native._meta))
