"""What rowsift asks of a dataframe library: three small protocols, and the jobs they do.

`Steps` is what the engine core cannot say in narwhals (`rowsift.engine.execute`), `Frames`
is the API's edge (a user's frame in, results of the same kind out, `rowsift.io.frames`), and
`Files` is `rowsift run --engine` (the library's own readers and writers,
`rowsift.io.engine_files`). An engine package implements each as a module of the same name
(`steps.py`, `frames.py`, `files.py`: mypy checks a module against its protocol) and joins
them in its `ENGINE`, an `Engine`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

import narwhals.stable.v2 as nw

from rowsift.recipe.values import FALSE_TOKENS, TRUE_TOKENS, ColumnType
from rowsift.rules.rowset import GroupStat

EngineName = Literal["polars", "pandas", "duckdb", "spark", "dask"]
KeyMemory = Literal["hashed", "held", "spilled"]
"""How an engine that marks repeats by key hashes (Polars) may use memory for them
(`SeenBeforeJob.memory`)."""
FrameKind = Literal["polars-eager", "polars-lazy", "pandas", "duckdb", "spark", "dask"]
OutputFormat = Literal["parquet", "csv"]
Totals = tuple[dict[str, Any], int, int]
"""The totals row of a run, then the rows written to clean and to quarantine."""
RowwiseChange = Callable[[Any], Any]
"""A change made row by row (columns added, replaced or dropped; rows kept or left out) to an
eager or lazy narwhals frame: its result on any part of a frame is that part of its result on
the whole."""

__all__ = ["BOOL_TRIM", "FALSE_TOKENS", "TRUE_TOKENS"]  # with the classes below

BOOL_TRIM = " \t\n\r\x0b\x0c"
"""Bool tokens may be surrounded by ASCII whitespace; every parser trims it."""


@dataclass(frozen=True, kw_only=True)
class ParseJob:
    """Parse column `source` (text, or null where the lexical guard failed) into `target`.

    The value is of `type` (`format` for dates and datetimes, `precision` and `scale` for
    decimals); text that the library's parser does not take becomes null. Every parser adds
    0.0 to a float, so -0.0 and 0.0 are one value on every engine.
    """

    source: str
    target: str
    type: ColumnType
    format: str | None = None
    precision: int = 38
    scale: int = 9


@dataclass(frozen=True, kw_only=True)
class SeenBeforeJob:
    """Mark `target` true where an earlier row (lower ``_rowsift_row``) has equal `keys`.

    Null equals null. `memory` says what the input allows while the engine looks for repeats
    (Polars; the other engines compare the keys themselves):

    - ``hashed`` (the input's size is unknown): one pass before the run's own counts 64-bit
      hashes of the keys in one hash table, and only the rows whose hash repeats are compared;
    - ``spilled`` (the input may be too large for one entry per row in memory): that pass
      writes the hashes to disk in parts and counts one part at a time, so that its memory
      does not grow with the rows;
    - ``held`` (a text file small enough for one entry per distinct key,
      `rowsift.api.SPILLED_KEYS_BYTES`): no pass first; the run's own pass marks repeats on the
      keys, as a hand-written program would.
    """

    keys: tuple[str, ...]
    target: str
    memory: KeyMemory = "hashed"
    #: some of `keys` that are cheaper to compute (text, not parsed): rows with equal `keys`
    #: have equal `narrow` keys, so an engine may look for candidate repeats on these alone
    #: and compare the candidates on `keys` (empty: no such subset)
    narrow: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class TextJob:
    """Add `target`: text column `source` transformed by `how`, for an engine's `text_steps`.

    ``lower`` and ``upper`` are Unicode's full case mapping (``ß`` → ``SS``): the values
    `Lower.apply_full` / `Upper.apply_full` give; ``null_tokens`` is null where the value is one
    of `tokens`, the value elsewhere (`NullTokens`).
    """

    source: str
    target: str
    how: Literal["lower", "upper", "null_tokens"]
    tokens: tuple[str, ...] = ()


class DelimitedLayout(Protocol):
    """What an engine's CSV reader must be told about a plain delimited file
    (`rowsift.io.sniff.Dialect` is one)."""

    @property
    def names(self) -> tuple[str, ...]: ...
    @property
    def delimiter(self) -> str: ...
    @property
    def quote(self) -> str | None: ...
    @property
    def encoding(self) -> str: ...
    @property
    def header_row(self) -> int: ...


class Steps(Protocol):
    """The steps of a run that narwhals does not express, on native frames."""

    def parse_columns(self, native: Any, jobs: Sequence[ParseJob]) -> Any:
        """The frame with each job's `target` column: its typed value."""
        ...

    def seen_before(self, native: Any, jobs: Sequence[SeenBeforeJob]) -> Any:
        """The frame with each job's `target` column (see `SeenBeforeJob`)."""
        ...

    def group_stats(self, native: Any, stats: Sequence[GroupStat]) -> Any:
        """The frame with each stat as a column (`GroupStat.window` where windows work)."""
        ...

    def held(self, native: Any) -> AbstractContextManager[Any]:
        """The frame computed once and held until the block ends, for several reads."""
        ...

    def kept(self, native: Any) -> Any:
        """The frame computed once where reading it again would run every step again, and
        kept for as long as anything reads it (the lazy results of `rowsift.run`)."""
        ...

    def collect_together(self, frames: Sequence[nw.LazyFrame[Any]]) -> list[nw.DataFrame[Any]]:
        """Lazy frames that share their input, collected in one pass where the library can."""
        ...


class Frames(Protocol):
    """A user's frame in, results of the same kind out."""

    def table(self, frame: Any, *, stable: bool = False) -> tuple[nw.LazyFrame[Any], FrameKind]:
        """The frame, lazy, with ``_rowsift_row`` numbered once, and the kind it came as.

        Unless `stable` (the frame gives the same rows in the same order whenever it is
        evaluated, as a file read does), a library that evaluates a frame again for every
        result materialises it first, so that every result sees the same numbers.
        """
        ...

    def result(self, frame: nw.DataFrame[Any] | nw.LazyFrame[Any], kind: FrameKind) -> Any:
        """A result as the kind of frame the input came as."""
        ...

    def split_text(self, native: Any, column: str, separator: str) -> Any:
        """The frame with the text `column` split at `separator` into a list column."""
        ...


class Files(Protocol):
    """Files read and written with the library's own readers and writers."""

    OWN_READERS: bool
    """False where rowsift's own reader reads every file for the library (`adopt` hands its
    table over; `read_plain` and `read_parquet` are not asked)."""

    def read_plain(self, path: Path, layout: DelimitedLayout) -> Any | None:
        """A plain delimited file (one well-formed record per line) with every field as text
        and the reader's parse columns all null; None to leave the file to rowsift's reader."""
        ...

    def read_parquet(self, path: Path) -> Any | None:
        """A Parquet file; None to leave it to rowsift's reader."""
        ...

    def adopt(self, table: Any) -> Any:
        """A Polars LazyFrame that rowsift's own reader gave, as this library's frame."""
        ...

    def write_outputs(
        self,
        outputs: Mapping[str, nw.LazyFrame[Any]],
        totals: nw.LazyFrame[Any],
        paths: Mapping[str, Path],
        fmt: OutputFormat,
    ) -> Totals:
        """Compute `totals` and write each output to its path (a file, or a folder of parts),
        atomically; reasons come as lists. Returns the totals row and the rows written."""
        ...


@dataclass(frozen=True, kw_only=True)
class Engine:
    """One dataframe library, as rowsift runs on it."""

    name: EngineName
    """What users choose it by (``rowsift run --engine NAME``)."""
    lazy_results: bool
    """Whether `rowsift.run` hands results back lazy (the library plans whole queries)."""
    full_case_mapping: bool
    """Whether the library's own upper and lower case apply Unicode's full case mapping
    (ß → SS); where not (pyarrow's, DuckDB's map one code point to one), rowsift builds it."""
    guarded_strip: bool
    """Whether `strip` is applied to the values that start or end with whitespace only
    (`Strip.apply_guarded`): the library's strip by a set of characters is slow per value."""
    exact_casts: frozenset[str] = frozenset()
    """The types whose lenient cast, by the library's own parser, yields a value for exactly
    the texts their lexical guard admits (`rowsift.engine.parse`): the guard is then not
    evaluated, since it would turn away nothing the cast takes (Polars' ``int`` and
    ``float``; tests/engine/test_exact_casts.py holds Polars to it, and lets no other engine
    claim a type unchecked)."""
    steps: Steps
    frames: Frames
    files: Files
    text_steps: Callable[[Any, Sequence[TextJob]], Any] | None = None
    """A step on the native frame that adds each job's column, for a library that runs the
    null tokens and (its own case mapping not being full) the full case mapping cheaper so
    than by their expressions; None to use those."""
    by_partition: Callable[[Any, RowwiseChange], Any] | None = None
    """For a library of partitions (Dask): a native frame with a row-wise change applied to
    each partition as one task, on the partition's own eager frame. The library would
    otherwise plan every expression of the change, and planning a recipe's hundreds of
    expressions cost more than running them; None to apply the change to the lazy frame."""
    datetime_text_zone: Callable[[Any], str] | None = None
    """For a library whose text of a datetime's fraction of a second takes zoned timestamps
    only (Spark's `unix_micros`): the time zone of a native frame's session, which a naive
    datetime is cast to before it is written as ISO text (the cast keeps its wall-clock time
    there); None elsewhere."""
