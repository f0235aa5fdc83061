"""Null tokens per column, and `not_null` where nulls are rare."""

from __future__ import annotations

from rowsift.profile import ColumnProfile
from rowsift.recipe.model import ColumnRuleSpec, Evidence, TransformSpec
from rowsift.suggest.strictness import Thresholds


def null_tokens(
    column: ColumnProfile, *, stripped: bool = False
) -> tuple[TransformSpec, Evidence] | None:
    """A ``null_tokens`` transform for the null-like texts found in the column.

    With `stripped` (a ``strip`` transform comes first) the tokens are written stripped.

    >>> from rowsift.profile import profile_table
    >>> import polars as pl
    >>> col = profile_table(pl.DataFrame({"a": ["1", "NA", "2"]})).column("a")
    >>> null_tokens(col)[0].compact()
    {'null_tokens': ['NA']}
    """
    if not column.null_like:
        return None
    tokens = sorted({token.strip() if stripped else token for token in column.null_like})
    count = sum(column.null_like.values())
    evidence = Evidence(
        statistic="null-like values",
        observed=count,
        examples=tokens[:5],
        note="these texts stand for a missing value",
    )
    return TransformSpec.model_validate({"null_tokens": tokens}), evidence


def not_null(column: ColumnProfile, limits: Thresholds) -> ColumnRuleSpec | None:
    """``not_null`` when at most `limits.not_null_share` of rows are null (or null-like), in a
    column of at least `limits.not_null_rows` rows (fewer rows say little about the next batch);
    below `limits.not_null_error_rows` rows it only warns.

    >>> from rowsift.profile import profile_table
    >>> from rowsift.suggest.strictness import thresholds
    >>> import polars as pl
    >>> col = profile_table(pl.DataFrame({"a": [str(i) for i in range(60)]})).column("a")
    >>> not_null(col, thresholds("balanced")).kind
    'not_null'
    """
    if column.rows < limits.not_null_rows:
        return None
    missing = column.nulls + sum(column.null_like.values())
    share = missing / column.rows
    if share > limits.not_null_share:
        return None
    few = column.rows < limits.not_null_error_rows
    evidence = Evidence(
        statistic="null share",
        observed=round(share, 6),
        threshold=limits.not_null_share,
        note="nulls are rare in this column"
        + (
            f"; warn only: {column.rows} rows bound the next batch's null share only below "
            f"about {3 / column.rows:.1%}"
            if few
            else ""
        ),
    )
    args: dict[str, object] = {"evidence": evidence}
    if few:
        args["severity"] = "warn"
    return ColumnRuleSpec.model_validate({"not_null": args})
