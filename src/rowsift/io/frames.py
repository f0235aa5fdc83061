"""Frames handed in through the API: give them row identity, and give results back in kind.

Each engine numbers and returns its own frames (`rowsift.engines.protocol.Frames`); this module
finds the engine and turns the joined reason text into a list column, the same way for all.
"""

from __future__ import annotations

from typing import Any, TypeAlias, overload

import narwhals.stable.v2 as nw

from rowsift._names import REASON_SEPARATOR, REASONS, REPAIRED, ROW
from rowsift.engines import FrameKind, check_names, engine_for, engine_named
from rowsift.exceptions import UsageError

__all__ = ["FrameKind", "from_evaluated", "reasons_as_list", "stays_lazy", "to_table"]

AnyFrame: TypeAlias = nw.DataFrame[Any] | nw.LazyFrame[Any]


def to_table(frame: Any) -> tuple[nw.LazyFrame[Any], FrameKind]:
    """A lazy narwhals table with ``_rowsift_row``, and the kind of frame it came from.

    A frame that has a ``_rowsift_row`` column already (one `rowsift.io.read_table` read, an
    earlier run's output) keeps its numbers, which must then be distinct integers without
    nulls, as rowsift writes them. A ``_rowsift_row`` of another type is the user's own data
    under rowsift's name and is refused: its values would silently become row numbers.
    """
    engine = engine_for(frame)
    native = _native(frame)
    dtype = _dtype_of(native, ROW)
    if dtype is not None and not dtype.is_integer():
        raise UsageError(
            f"the frame has a column named {ROW!r} of type {dtype}, but rowsift numbers rows "
            "in that column (integers)",
            hint="rename it (e.g. to 'source_row') to keep its values as data, or drop it to "
            "number the rows afresh",
        )
    check_names(engine, native)
    return engine.frames.table(native)


def _dtype_of(native: Any, name: str) -> Any:
    """The narwhals type of column `name` of a native frame, None where there is no such
    column; read from the schema, without computing the frame."""
    try:
        if hasattr(native, "collect_schema"):  # Polars: a lazy frame resolves its schema
            names = native.collect_schema().names()
        else:  # pandas names may be numbers
            names = [str(column) for column in native.columns]
    except AttributeError:  # not a frame: the engine's `table` says so
        return None
    if name not in names:
        return None
    return nw.from_native(native).collect_schema()[name]


def _native(frame: Any) -> Any:
    return frame.to_native() if isinstance(frame, nw.DataFrame | nw.LazyFrame) else frame


def stays_lazy(kind: FrameKind) -> bool:
    """Whether results of that kind of input come back lazy (the engine plans whole queries)."""
    return engine_named(kind.split("-")[0]).lazy_results


@overload
def reasons_as_list(frame: nw.DataFrame[Any]) -> nw.DataFrame[Any]: ...
@overload
def reasons_as_list(frame: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]: ...
@overload
def reasons_as_list(frame: AnyFrame) -> AnyFrame: ...
def reasons_as_list(frame: AnyFrame) -> AnyFrame:
    """Split the joined reason text of a quarantine into a list of rule ids, and the joined
    names of the repair audit's ``_rowsift_repaired`` into a list of columns (same kind of frame).
    """
    schema = frame.collect_schema()
    joined = [name for name in (REASONS, REPAIRED) if schema.get(name) == nw.String]
    if not joined:
        return frame
    native = frame.to_native()
    for name in joined:
        native = engine_for(frame).frames.split_text(native, name, REASON_SEPARATOR)
    if isinstance(frame, nw.DataFrame):
        eager: nw.DataFrame[Any] = nw.from_native(native, eager_only=True)
        return eager
    split = nw.from_native(native)
    lazy: nw.LazyFrame[Any] = split.lazy() if isinstance(split, nw.DataFrame) else split
    return lazy


def from_evaluated(frame: nw.DataFrame[Any] | nw.LazyFrame[Any], kind: FrameKind) -> Any:
    """A result frame of the same kind as the input, reasons as a list column."""
    return engine_named(kind.split("-")[0]).frames.result(reasons_as_list(frame), kind)
