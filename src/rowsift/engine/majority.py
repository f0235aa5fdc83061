"""The `majority` repairs of a plan: group counts computed by the engine, then the new values.

Every `majority` is the last transform of its column (a recipe rule), so it reads the text each
column has once the other transforms ran: the dependent column's own, and its `by` columns'.
All of a plan's majority repairs read those texts, none reads another's result. In the working
frame, for the column at position i (``__rs_t{i}``), the counts are ``__rs_m{i}_*``:

1. ``pair``: rows of the group with this same present value;
2. ``votes``: present values in the group; ``top``: the largest ``pair`` in the group;
3. ``cand``: the value where its ``pair`` is ``top`` (a column, as windows cannot nest);
4. ``at_top``: present ``cand`` values in the group; ``winner``: the largest of them.

When one value alone has the top count, ``at_top`` equals ``top`` and ``winner`` is that value,
whatever order the engine compares texts in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import narwhals.stable.v2 as nw

from rowsift.engine.repairs import changed
from rowsift.rules.rowset import GroupStat
from rowsift.transforms import Majority


@dataclass(frozen=True, kw_only=True)
class MajorityStep:
    """One column's majority repair: where its text is, its `by` columns' texts, its flag."""

    transform: Majority
    text: str
    keys: tuple[str, ...]
    prefix: str
    flag: str

    def part(self, name: str) -> str:
        """The working column holding one of this step's counts."""
        return f"{self.prefix}{name}"


def with_majorities(
    working: nw.LazyFrame[Any],
    steps: Sequence[MajorityStep],
    group_stats: Callable[[nw.LazyFrame[Any], list[GroupStat]], nw.LazyFrame[Any]],
) -> nw.LazyFrame[Any]:
    """`working` with each step's column replaced where its group's majority rules, and each
    step's change flag; `group_stats` adds group stats the engine's way."""
    if not steps:
        return working
    working = group_stats(
        working,
        [
            GroupStat(keys=(*s.keys, s.text), column=s.text, how="count", target=s.part("pair"))
            for s in steps
        ],
    )
    working = group_stats(
        working,
        [
            stat
            for s in steps
            for stat in (
                GroupStat(keys=s.keys, column=s.text, how="count", target=s.part("votes")),
                GroupStat(keys=s.keys, column=s.part("pair"), how="max", target=s.part("top")),
            )
        ],
    )
    working = working.with_columns(
        [
            nw.when(nw.col(s.part("pair")) == nw.col(s.part("top")))
            .then(nw.col(s.text))
            .alias(s.part("cand"))
            for s in steps
        ]
    )
    working = group_stats(
        working,
        [
            stat
            for s in steps
            for stat in (
                GroupStat(keys=s.keys, column=s.part("cand"), how="count", target=s.part("at_top")),
                GroupStat(keys=s.keys, column=s.part("cand"), how="max", target=s.part("winner")),
            )
        ],
    )
    replaced = {s.text: _replaced(s) for s in steps}
    return working.with_columns(
        *[changed(nw.col(s.text), replaced[s.text]).alias(s.flag) for s in steps],
        *[value.alias(text) for text, value in replaced.items()],
    )


def _replaced(step: MajorityStep) -> nw.Expr:
    return step.transform.replaced(
        nw.col(step.text),
        [nw.col(key) for key in step.keys],
        votes=nw.col(step.part("votes")),
        top=nw.col(step.part("top")),
        at_top=nw.col(step.part("at_top")),
        winner=nw.col(step.part("winner")),
    )
