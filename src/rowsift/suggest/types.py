"""Types only where the values explain them, and never an integer type for zero-padded codes.

The profile infers a type only when what does not parse looks like errors (near misses such as
``11..77``, or a lone foreign value), not like a second kind of value (`infer_type`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import narwhals.stable.v2 as nw

from rowsift.profile import ColumnProfile
from rowsift.profile.types import native_type
from rowsift.recipe.model import ColumnType, Evidence, TransformSpec
from rowsift.suggest.strictness import Thresholds


@dataclass(frozen=True, kw_only=True)
class TypeChoice:
    """The suggested type, its format, and why."""

    type: ColumnType
    format: str | None
    evidence: Evidence | None


def choose_type(column: ColumnProfile, limits: Thresholds) -> TypeChoice:
    """The column's type: the one the profile inferred, except for codes.

    >>> from rowsift.profile import profile_table
    >>> from rowsift.suggest.strictness import thresholds
    >>> import polars as pl
    >>> prof = profile_table(pl.DataFrame({"zip": ["01234", "02134"], "n": ["1", "2"]}))
    >>> choose_type(prof.column("zip"), thresholds("balanced")).type
    'string'
    >>> choose_type(prof.column("n"), thresholds("balanced")).type
    'int'
    """
    native = native_type(column.dtype)
    if native is not None:  # read as it is typed: no text round trip, so no format
        return TypeChoice(type=native, format=None, evidence=None)  # type: ignore[arg-type]
    inferred = column.inferred_type
    if inferred == "string" or column.present == 0:
        return TypeChoice(type="string", format=None, evidence=None)
    if inferred == "int" and column.leading_zeros:
        return TypeChoice(type="string", format=None, evidence=None)
    if inferred == "bool" and column.present < 20:
        return TypeChoice(type="string", format=None, evidence=None)
    if inferred == "int" and column.semantic == "identifier" and (column.max_length or 0) > 15:
        return TypeChoice(type="string", format=None, evidence=None)  # long ids lose digits
    evidence = Evidence(
        statistic=f"share of present values that cast to {inferred}",
        observed=round(column.parse_share, 6),
        note=_type_note(inferred, column.format, column.parse_share),
    )
    chosen: ColumnType = inferred  # type: ignore[assignment]
    return TypeChoice(type=chosen, format=_format(chosen, column.format), evidence=evidence)


def _type_note(kind: str, fmt: str | None, share: float) -> str:
    """Why the column gets its type, in words.

    >>> _type_note("date", "%Y/%m/%d", 1.0)
    'every present value reads as date in format %Y/%m/%d'
    >>> _type_note("float", None, 0.98)
    'values look like float; the others look like errors, not another kind of value'
    """
    kind_text = kind + (f" in format {fmt}" if fmt else "")
    if share >= 1:
        return f"every present value reads as {kind_text}"
    return f"values look like {kind_text}; the others look like errors, not another kind of value"


def _format(kind: ColumnType, fmt: str | None) -> str | None:
    defaults = {"date": "%Y-%m-%d", "datetime": "%Y-%m-%dT%H:%M:%S"}
    if fmt is None or defaults.get(kind) == fmt:
        return None
    return fmt


WHOLE_FLOATS = TransformSpec.model_validate({"replace": {"pattern": r"\.0+$", "with": ""}})
"""An integer column also reads ``2500.0`` (and ``2500.00``) as 2500."""


def whole_floats(column: ColumnProfile) -> Evidence:
    """Why an integer column reads ``2500.0`` as 2500: pandas and spreadsheets write integers
    through a float column (a column with a missing value) that way."""
    shown = sum(n for v, n in column.values.items() if v.strip().endswith(".0"))
    return Evidence(
        statistic="integers written with a zero fraction",
        observed=shown,
        note="'2500.0' reads as 2500 (tables written through a float column carry these)",
    )


def as_read(sample: nw.DataFrame[Any], columns: tuple[ColumnProfile, ...]) -> nw.DataFrame[Any]:
    """The profile's sample (text) with each column the input holds as datetimes read back as
    datetimes, as a run reads the input: its text (``2024-01-01 05:00:00.123456``) is no
    value of the recipe's datetime format, but the run never sees it.

    >>> import polars as pl
    >>> from rowsift.profile import profile_table
    >>> from datetime import datetime
    >>> prof = profile_table(pl.DataFrame({"at": [datetime(2024, 1, 1, 5, 0, 0, 123456)]}))
    >>> as_read(prof.sample, prof.columns)["at"].dtype
    Datetime(time_unit='us', time_zone=None)
    """
    timed = [
        c.name for c in columns if native_type(c.dtype) == "datetime" and c.name in sample.columns
    ]
    if not timed:
        return sample
    import polars as pl

    native = sample.to_native()
    assert isinstance(native, pl.DataFrame)
    read = native.with_columns(
        pl.col(name).cast(pl.String).str.to_datetime(time_unit="us", strict=False) for name in timed
    )
    return nw.from_native(read, eager_only=True)
