"""Engine entry points: the few steps a backend does natively (lenient parsing of text)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import narwhals.stable.v2 as nw

from rowsift.engine.parse import ParseJob
from rowsift.exceptions import UsageError

NativeParser = Callable[[Any, Sequence[ParseJob]], Any]


def native_parser(frame: nw.LazyFrame[Any]) -> NativeParser:
    """The parsing step of the backend behind a frame."""
    implementation = frame.implementation
    if implementation is nw.Implementation.POLARS:
        from rowsift.engine.backends import polars

        return polars.parse_columns
    if implementation is nw.Implementation.PANDAS:
        from rowsift.engine.backends import pandas

        return pandas.parse_columns
    raise UsageError(
        f"the {implementation} engine is not supported yet",
        hint="pass a Polars or pandas frame",
    )
