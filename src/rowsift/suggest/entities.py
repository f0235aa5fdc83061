"""Entity attributes: a value set whose values each belong to one entity is as open as the entities.

A player's surname is repeated on every row of that player, so a set of surnames each seen
twenty times looks closed to a count of rows, yet it holds one draw per player: the next
players (or players whose every row carries another's surname by mistake) bring surnames
never seen. The chance that the next value is new is then Good-Turing's estimate over
entities, not rows: the values carried by a single entity, among the (entity, value) pairs.
An entity is a column of codes, categories or identifiers that repeats (at most half as many
values as rows, at least `MIN_ENTITIES` of them seen twice), has at least as many values as
the set's column, and whose repeated values each carry about one value of it (`ENTITY_VALUES`
on average: a few errors, such as a surname swapped for another player's on some rows, are
allowed). Each is tried, and the largest estimate counts.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

import narwhals.stable.v2 as nw

from rowsift._names import literal_column
from rowsift.profile import TableProfile

if TYPE_CHECKING:  # NumPy is imported when an estimate runs, not with the suggest package
    import numpy as np
    from numpy.typing import NDArray

ENTITY_CLASSES = frozenset({"code", "categorical", "identifier"})
"""Classes whose values may name an entity."""
ENTITY_VALUES = 1.5
"""Distinct values of the set's column per repeated value of an entity column, on average, at
most: a column whose values each go with many values of the set's is a category beside it, and
its pairs are no draws of entities (values of it seen once say nothing either way)."""
MIN_ENTITIES = 20
"""Repeated values an entity column needs: fewer (six engine kinds beside three plane types)
are categories, too few draws for an estimate, and the count of rows stands."""
MAX_ENTITIES = 4
"""Candidate entity columns tried per set, those with the fewest values (at least as many as
the set's: an entity and its one attribute have about as many) first, so the cost stays
bounded."""
ENTITY_ROWS = 5_000
"""Rows of the sample looked at, at most (every k-th)."""


def entity_mass(
    profile: TableProfile, name: str, allowed: Collection[str]
) -> tuple[float, str] | None:
    """The largest chance, over the entity columns of column `name`, that the next entity's
    value is new: (f1 + 2·√f1 + 1) / n over entities, as `rowsift.suggest.sets.missing_mass`
    over rows, counting only the `allowed` values; and that entity column. None when no column
    may be an entity of `name`. No value carried by a single entity is no sign of an open set
    (0, where the margin alone would say ``1 / n``).

    >>> import polars as pl
    >>> from rowsift.profile import profile_table
    >>> players = [f"p{i}" for i in range(60)]
    >>> frame = pl.DataFrame({"player": players * 5, "surname": [f"S{i}" for i in range(60)] * 5,
    ...                       "foot": ["left", "right", "right"] * 100})
    >>> surnames = [f"S{i}" for i in range(60)]
    >>> found = entity_mass(profile_table(frame, dependencies=False), "surname", surnames)
    >>> round(found[0], 2), found[1]
    (1.27, 'player')
    >>> entity_mass(profile_table(frame, dependencies=False), "foot", ["left", "right"])
    (0.0, 'player')
    """
    sample = profile.sample
    target = next((c for c in profile.columns if c.name == name), None)
    if target is None or not len(sample):
        return None
    candidates = sorted(
        (
            c
            for c in profile.columns
            if c.name != name
            and c.semantic in ENTITY_CLASSES
            and target.distinct <= c.distinct <= len(sample) / 2
        ),
        key=lambda c: (c.distinct, c.name),
    )[:MAX_ENTITIES]
    if not candidates:
        return None
    codes = _codes(sample, name, set(allowed), [c.name for c in candidates])
    best: tuple[float, str] | None = None
    for index, column in enumerate(candidates):
        mass = _mass(codes[:, index + 1], codes[:, 0])
        if mass is not None and (best is None or mass > best[0]):
            best = (mass, column.name)
    return best


def _mass(entity: NDArray[np.int64], values: NDArray[np.int64]) -> float | None:
    """The per-entity missing mass of `values` (None when no row has both)."""
    import numpy as np

    present = (entity >= 0) & (values >= 0)
    if not present.any():
        return None
    width = int(values[present].max()) + 1
    pairs = np.unique(entity[present] * width + values[present])
    rows = np.bincount(entity[present])
    repeated = rows[pairs // width] >= 2  # an entity seen once carries one value trivially
    entities = int((rows >= 2).sum())
    if entities < MIN_ENTITIES or repeated.sum() > ENTITY_VALUES * entities:
        return None
    carried = np.bincount(pairs % width)
    carried = carried[carried > 0]
    once = int((carried == 1).sum())
    if not once:
        return 0.0
    return (once + 2 * math.sqrt(once) + 1) / int(carried.sum())


def _codes(
    sample: nw.DataFrame[Any], name: str, allowed: set[str], entities: list[str]
) -> NDArray[np.int64]:
    """Dense integer codes, null as -1, of every `ENTITY_ROWS`-th row: column 0 the `allowed`
    values of `name` (stripped; anything else -1), then one column per entity, in one pass."""
    import numpy as np

    step = math.ceil(len(sample) / ENTITY_ROWS)
    rows = sample.select(
        literal_column(name).alias("v"),
        *(literal_column(entity).alias(f"e{index}") for index, entity in enumerate(entities)),
    )
    rows = rows.gather_every(step) if step > 1 else rows
    stripped = nw.col("v").cast(nw.String).str.strip_chars()
    value = nw.when(stripped.is_in(sorted(allowed))).then(stripped)
    ranked = rows.select(
        value.rank(method="dense").fill_null(0).alias("v"),
        *(
            nw.col(f"e{index}").rank(method="dense").fill_null(0).alias(f"e{index}")
            for index in range(len(entities))
        ),
    )
    return ranked.to_numpy().astype(np.int64) - 1
