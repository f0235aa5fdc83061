"""A frame library's error is a damaged input only when it says it could not read it."""

from __future__ import annotations

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from rowsift.api import _from_frame_library


@pytest.mark.parametrize(
    ("error", "reading"),
    [
        (pl.exceptions.ComputeError("could not parse `x` as dtype i64"), True),
        (pl.exceptions.NoDataError("empty CSV"), True),
        (pa.ArrowInvalid("CSV parse error"), True),
        (pd.errors.ParserError("Error tokenizing data"), True),
        (pl.exceptions.InvalidOperationError("cannot cast List to String"), False),
        (pl.exceptions.ColumnNotFoundError("__rs_t0"), False),
        (pl.exceptions.SchemaError("mismatch"), False),
        (pa.ArrowNotImplementedError("unsupported cast"), False),
        (ValueError("a plain bug"), False),
    ],
)
def test_only_errors_of_reading_are_told_as_an_unreadable_file(
    error: Exception, reading: bool
) -> None:
    """The others reach the user as an internal error, with the hint to report it, instead of
    a hint about the file's encoding and delimiter that cannot help."""
    assert _from_frame_library(error) is reading
