"""Steps that most libraries run the same way, through narwhals: group stats as windows, and
a text column split into a list column."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import narwhals.stable.v2 as nw

from rowsift.rules.rowset import GroupStat


def by_windows(native: Any, stats: Sequence[GroupStat]) -> Any:
    """The native frame with each stat as a column, computed by `GroupStat.window`."""
    frame: nw.LazyFrame[Any] | nw.DataFrame[Any] = nw.from_native(native)
    return frame.with_columns([stat.window() for stat in stats]).to_native()


def split_text(native: Any, column: str, separator: str) -> Any:
    """The native frame with the text `column` split at `separator` into a list column."""
    frame: nw.LazyFrame[Any] | nw.DataFrame[Any] = nw.from_native(native)
    return frame.with_columns(nw.col(column).str.split(separator)).to_native()
