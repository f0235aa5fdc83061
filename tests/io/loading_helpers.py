"""Reading files made in tmp_path: the table, and the parse failures apart; the record
reader beside Polars' read of a plain file."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Any

import polars as pl
import polars.selectors as cs
from hypothesis import strategies as st

from rowsift.io import read_table
from rowsift.io.delimited import scan_delimited
from rowsift.io.plain import Plain, plain_counts, scan_plain
from rowsift.io.records import LoadingCounts
from rowsift.io.sniff import Dialect
from rowsift.recipe import SourceSpec

PARSE = "_rowsift_parse"


def read(path: Path, **source: Any) -> pl.DataFrame:
    """Every row the reader gives, good and failed."""
    frame = read_table(path, SourceSpec.model_validate(source)).collect().to_native()
    assert isinstance(frame, pl.DataFrame)
    return frame


def detected(path: Path, **source: Any) -> pl.DataFrame:
    """Every row the reader gives with detection on."""
    return read(path, detect=True, **source)


def names(frame: pl.DataFrame) -> list[str]:
    """The table's column names, rowsift's own columns left out."""
    return [n for n in frame.columns if not n.startswith("_rowsift_")]


def good(frame: pl.DataFrame) -> list[tuple[Any, ...]]:
    """The good records, as tuples of their named fields."""
    chosen = names(frame)
    if PARSE not in frame.columns:
        return list(frame.select(cs.by_name(chosen)).iter_rows())
    return list(frame.filter(pl.col(PARSE).is_null()).select(cs.by_name(chosen)).iter_rows())


def failed(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """The parse failures: line, reason, raw text and fields (none from the plain fast path,
    which only reads files in which no record can fail and so adds no parse columns)."""
    if PARSE not in frame.columns:
        return []
    columns = ["_rowsift_row", "_rowsift_line", PARSE, "_rowsift_raw", "_rowsift_fields"]
    columns = [name for name in columns if name in frame.columns]
    return frame.filter(pl.col(PARSE).is_not_null()).select(columns).to_dicts()


def table_rows(alphabet: str, *, min_size: int = 0, max_size: int = 4) -> Any:
    """Up to 12 records of three values drawn from `alphabet` (a hypothesis strategy)."""
    value = st.text(alphabet=st.sampled_from(alphabet), min_size=min_size, max_size=max_size)
    return st.lists(st.lists(value, min_size=3, max_size=3), min_size=1, max_size=12)


def record_reader(path: Path, dialect: Dialect) -> tuple[pl.DataFrame, LoadingCounts]:
    """What the record reader reads of `path`, and what it counted."""
    loaded: list[LoadingCounts] = []
    frame = scan_delimited(path, dialect, on_loaded=loaded.append).collect()
    return frame, loaded[-1]


def assert_polars_reads_alike(
    path: Path, dialect: Dialect, found: Plain, robust: pl.DataFrame, counts: LoadingCounts
) -> None:
    """Polars' read of a plain file (`found`) gives the record reader's rows and counts."""
    assert scan_plain(path, dialect, found).collect().equals(robust)
    assert plain_counts(dialect, found).settle(robust.height) == counts


def read_counted(
    path: Path, source: SourceSpec, hold: ExitStack | None = None
) -> tuple[pl.DataFrame, LoadingCounts]:
    """Every row `read_table` gives (held open by `hold`, as a run reads: a copy may be made),
    and what loading counted."""
    told: list[LoadingCounts] = []
    frame = read_table(path, source, on_loaded=told.append, hold=hold).to_native().collect()
    return frame, told[-1].settle(frame.height)


def temporary_copies(folder: Path) -> set[Path]:
    """The copies made in `folder`, the temporary folder (`rowsift.io.copies`)."""
    return set(folder.glob("rowsift-*"))
