"""Files read and written by each engine's own readers and writers (`rowsift run --engine`).

An engine with readers of its own (`Files.OWN_READERS`) reads a plain delimited file (one
well-formed record per line, see `rowsift.io.plain`) and Parquet with them, a delimited file
with the names, text values and line numbers rowsift's own reader gives it; any other file
(messy text, JSON and NDJSON, which are flattened, Excel, databases), and every file for Polars,
is read by rowsift's own lossless reader and handed over, so no engine can drop or mis-split a
record and every engine writes the same outputs. Each engine writes its own outputs
(`Files.write_outputs`): Polars streams both into files in one pass, pandas and DuckDB write
one file each, Spark and Dask a folder of parts.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import narwhals.stable.v2 as nw

from rowsift._names import LINE, ROW
from rowsift.engines import ENGINES, Engine, EngineName, check_names, engine_named
from rowsift.engines.protocol import OutputFormat, Totals
from rowsift.exceptions import InputError
from rowsift.io.formulas import FormulaPolicy, neutralised
from rowsift.io.frames import reasons_as_list
from rowsift.io.read import detect_format, read_table
from rowsift.io.records import LoadingCounts
from rowsift.io.sniff import RESERVED_PREFIX, Dialect
from rowsift.recipe.model import SourceSpec

__all__ = ["ENGINES", "EngineInput", "EngineName", "evaluate_and_write", "read_with"]


@dataclass(frozen=True)
class EngineInput:
    """A file as an engine's own frame, and what the engine's reader cannot know about it."""

    engine: Engine
    frame: Any
    first_line: int | None = None
    """For delimited text read by the engine's own reader: the line of the first record
    (``_rowsift_line`` is ``_rowsift_row`` plus this). None when the frame carries its lines."""

    def table(self) -> nw.LazyFrame[Any]:
        """The frame numbered as rowsift's own reader numbers it: rows, and lines of text."""
        check_names(self.engine, self.frame)
        table, _kind = self.engine.frames.table(self.frame, stable=True)
        if self.first_line is None:
            return table
        return table.with_columns((nw.col(ROW) + self.first_line).alias(LINE))


def read_with(
    engine_name: EngineName,
    source_path: str | os.PathLike[str],
    source: SourceSpec,
    *,
    on_loaded: Callable[[LoadingCounts], None] | None = None,
    hold: ExitStack | None = None,
) -> EngineInput:
    """The file (or database URL) as the engine's own frame, delimited fields as text.

    A plain delimited file (see `rowsift.io.plain`) comes with the columns and values rowsift's
    own reader gives it: the sniffed names, every field as text (an empty field is an empty
    text, never a null) and empty parse columns, so every engine writes the same outputs.
    `on_loaded` is told what loading did with a text file's lines, and `hold` keeps what
    reading needs until the run ends (see `read_table`).
    """
    engine = engine_named(engine_name)
    path = Path(source_path)
    if engine.files.OWN_READERS and path.is_file():
        try:
            own = _own_read(engine, path, detect_format(path, source), source, on_loaded)
        except (OSError, ValueError, RuntimeError) as exc:
            raise InputError(
                f"{engine.name} cannot read the file: {str(exc).strip().splitlines()[0]}",
                file=str(path),
                hint="check source.format, source.encoding and source.delimiter in the recipe",
            ) from None
        if own is not None:
            return own
    # rowsift's reader reads the rest (and says what is wrong with a file it cannot read)
    table = read_table(source_path, source, on_loaded=on_loaded, hold=hold)
    return EngineInput(engine, engine.files.adopt(table.to_native()))


def _own_read(
    engine: Engine,
    path: Path,
    kind: str,
    source: SourceSpec,
    on_loaded: Callable[[LoadingCounts], None] | None,
) -> EngineInput | None:
    """The file read by the engine's own reader, or None where it does not read it exactly."""
    if kind not in ("csv", "tsv", "parquet"):
        return None
    if kind == "parquet":
        if _holds_own_columns(path):
            return None  # rowsift's reader renames them: they are data, not row numbers
        frame = engine.files.read_parquet(path)
        return None if frame is None else EngineInput(engine, frame)
    dialect = _plain_dialect(path, kind, source)
    if dialect is None:
        return None
    check_names(engine, names=dialect.names)
    frame = engine.files.read_plain(path, dialect)
    if frame is None:
        return None
    if on_loaded is not None:
        from rowsift.io.plain import plain_counts

        on_loaded(plain_counts(dialect))
    return EngineInput(engine, frame, dialect.header_row + 2)


def _holds_own_columns(path: Path) -> bool:
    """Whether a Parquet file has columns named like rowsift's own (an output read back)."""
    import pyarrow.parquet as pq

    return any(name.startswith(RESERVED_PREFIX) for name in pq.read_schema(path).names)


def _plain_dialect(path: Path, kind: str, source: SourceSpec) -> Dialect | None:
    """The file's dialect when an engine's own CSV reader reads it exactly (see
    `rowsift.io.plain`), else None."""
    from rowsift.io.plain import is_plain
    from rowsift.io.read import sniff

    if kind == "tsv" and source.delimiter is None:
        source = source.model_copy(update={"delimiter": "\t"})
    dialect = sniff(path, source)
    return dialect if is_plain(path, dialect) else None


def evaluate_and_write(
    engine_name: EngineName,
    clean: nw.LazyFrame[Any],
    quarantine: nw.LazyFrame[Any],
    totals: nw.LazyFrame[Any],
    paths: Mapping[str, Path],
    fmt: OutputFormat,
    *,
    formulas: FormulaPolicy = "escape",
) -> Totals:
    """Compute the totals and write both outputs (`paths`) with the engine's own writer.

    Returns the totals row and the rows of each output. Reasons become lists first; in CSV,
    text a spreadsheet would run as a formula is then neutralised (`rowsift.io.formulas`).
    """
    outputs = {"clean": reasons_as_list(clean), "quarantine": reasons_as_list(quarantine)}
    if fmt == "csv":
        outputs = {name: neutralised(frame, formulas) for name, frame in outputs.items()}
    return engine_named(engine_name).files.write_outputs(outputs, totals, paths, fmt)
