"""Reading a Stata data file (``.dta``, versions 102 to 119) with pandas' reader.

Columns keep Stata's types (numbers, dates as datetimes); a column with value labels reads as
its labels' text (``1`` → ``"male"``), as Stata shows it, or as its numbers when the labels
do not map values one to one. pandas is rowsift's optional ``pandas`` extra: without it, a
Stata file is a clear input error saying what to install.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import polars as pl

from rowsift.exceptions import InputError


def scan_stata(path: Path) -> pl.LazyFrame:
    """The file's table, typed as written, value labels as their text."""
    try:
        import pandas as pd
    except ImportError:
        raise InputError(
            "reading a Stata file needs pandas",
            file=str(path),
            hint="install it with: pip install 'rowsift[pandas]'",
        ) from None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas warns of Stata features it converts anyway
        try:
            frame = pd.read_stata(path, convert_categoricals=True)
        except ValueError as exc:  # value labels that do not map one to one
            if "categor" not in str(exc).lower() and "label" not in str(exc).lower():
                raise
            frame = pd.read_stata(path, convert_categoricals=False)
    labelled = [
        name for name, dtype in frame.dtypes.items() if isinstance(dtype, pd.CategoricalDtype)
    ]
    for name in labelled:
        frame[name] = frame[name].astype("string")
    return pl.from_pandas(frame, include_index=False).lazy()
