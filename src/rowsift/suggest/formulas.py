"""Text formulas (``="00123"``): exports write a value so that a spreadsheet keeps it as text
(its leading zeros, a long number's digits). A column whose values are nearly all such
formulas is unwrapped by two ``replace`` steps before anything else about it is judged, so its
type, pattern and set are those of the values, not of their wrapping.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rowsift.profile import ColumnProfile
from rowsift.recipe.model import Evidence, TransformSpec
from rowsift.recipe.transform_args import ReplaceArgs

WRAPPED_SHARE = 0.98
"""Share of a column's values (by shape) that must be text formulas."""
UNWRAP = (
    TransformSpec.model_validate({"replace": {"pattern": '^="', "with": ""}}),
    TransformSpec.model_validate({"replace": {"pattern": '"$', "with": ""}}),
)
"""The two steps that take ``="`` off the front and ``"`` off the end."""


@dataclass(frozen=True, kw_only=True)
class Unwrapped:
    """The column's profile and sample as their unwrapped values, and why."""

    column: ColumnProfile
    sample: Any
    evidence: Evidence


def wrapped_share(column: ColumnProfile) -> float:
    """The share of a column's values, by shape, written as a text formula.

    >>> from rowsift.profile import profile_table
    >>> import polars as pl
    >>> frame = pl.DataFrame({"zip": ['="01234"', '="02134"', "2134"]})
    >>> round(wrapped_share(profile_table(frame).column("zip")), 2)
    0.67
    """
    if not column.shape_total:
        return 0.0
    wrapped = sum(
        s.count for s in column.shapes if s.shape.startswith('="') and s.shape.endswith('"')
    )
    return wrapped / column.shape_total


def unwrapped(column: ColumnProfile, sample: Any) -> Unwrapped | None:
    """The column as its values once unwrapped, if nearly all are text formulas (`sample`: the
    profile's sample of the column, a narwhals Series).

    >>> from rowsift.profile import profile_table
    >>> import polars as pl
    >>> prof = profile_table(pl.DataFrame({"zip": ['="01234"', '="02134"'] * 20}))
    >>> found = unwrapped(prof.column("zip"), prof.sample["zip"])
    >>> sorted(found.column.values), found.column.inferred_type
    (['01234', '02134'], 'int')
    """
    share = wrapped_share(column)
    if share < WRAPPED_SHARE:
        return None
    import polars as pl

    from rowsift.profile import profile_table

    bare = sample.to_native()
    for step in UNWRAP:  # the recipe's own steps, so the profile sees what a run yields
        assert isinstance(step.args, ReplaceArgs)
        bare = bare.str.replace_all(step.args.pattern, step.args.with_)
    reprofiled = profile_table(pl.DataFrame({column.name: bare}), dependencies=False)
    evidence = Evidence(
        statistic="share of values written as a text formula",
        observed=round(share, 6),
        threshold=WRAPPED_SHARE,
        note='values are written as ="…" (so that a spreadsheet keeps them as text); '
        "unwrapped before the rules",
    )
    return Unwrapped(column=reprofiled.column(column.name), sample=bare, evidence=evidence)
