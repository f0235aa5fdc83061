"""Repair counts: for each declared column and each transform of its chain, the rows it changed.

A transform changed a row when its output differs from its input, nulls included (null → value
and value → null are changes; equal text is not). The flags are columns of the working frame,
summed with the rule failures in the one totals pass.

>>> repair_keys(["strip", "replace", "strip"])
['strip#1', 'replace', 'strip#2']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import narwhals.stable.v2 as nw


@dataclass(frozen=True, kw_only=True)
class RepairFlag:
    """One transform's change flag in the working frame: which column, which transform."""

    column: str
    key: str
    flag: str


def repair_keys(names: Sequence[str]) -> list[str]:
    """A key per transform of a chain, from their names: the name, or ``name#n`` (n-th of that
    name) when it occurs twice."""
    repeated = Counter(names)
    seen: Counter[str] = Counter()
    keys = []
    for name in names:
        seen[name] += 1
        keys.append(f"{name}#{seen[name]}" if repeated[name] > 1 else name)
    return keys


def changed(before: nw.Expr, after: nw.Expr) -> nw.Expr:
    """True where a transform changed the value; a null on one side only is a change."""
    before_null, after_null = before.is_null(), after.is_null()
    return (before_null != after_null) | (~before_null & ~after_null & (before != after))


def repair_counts(flags: Sequence[RepairFlag], totals: dict[str, Any]) -> dict[str, dict[str, int]]:
    """The summed flags as ``{column: {transform key: rows changed}}``, in recipe order."""
    counts: dict[str, dict[str, int]] = {}
    for repair in flags:
        counts.setdefault(repair.column, {})[repair.key] = int(totals[repair.flag] or 0)
    return counts
