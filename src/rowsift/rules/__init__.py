"""Rules: frozen declarative data, each with one pure method that returns a narwhals expression.

Column rules judge one value (`passes`), row-set rules judge a row against the others (`blamed`),
dataset rules judge the run's statistics (`judge`). The engine alone applies the null policy.

Each kind has one registry, keyed by the rules' names and read from the union that mypy checks
(`ColumnRule`, `RowSetRule`, `DatasetRule`): adding a rule is adding its class to its module's
union. What a recipe may write, and where, is decided in `rowsift.recipe.arguments` (see
docs/architecture.md, "Adding a rule or a transform").

>>> sorted(DATASET_RULES)
['null_rate', 'quarantine_rate', 'row_count']
"""

from __future__ import annotations

from collections.abc import Mapping

from rowsift._registry import by_name
from rowsift.rules.column import (
    Between,
    ColumnRule,
    Compare,
    CompareOp,
    InSet,
    Length,
    Matches,
    NotNull,
)
from rowsift.rules.dataset import (
    DatasetRule,
    NullRate,
    QuarantineRate,
    RowCount,
    RunStats,
    Verdict,
)
from rowsift.rules.rowset import DeterminedBy, Duplicate, RowSetRule, Unique
from rowsift.rules.severity import Severity

COLUMN_RULES: Mapping[str, type[ColumnRule]] = by_name(ColumnRule)
"""Rules that judge one value, by name."""
ROWSET_RULES: Mapping[str, type[RowSetRule]] = by_name(RowSetRule)
"""Rules that judge a row against the other rows, by name."""
DATASET_RULES: Mapping[str, type[DatasetRule]] = by_name(DatasetRule)
"""Rules that judge a run's statistics, by name."""

__all__ = [
    "COLUMN_RULES",
    "DATASET_RULES",
    "ROWSET_RULES",
    "Between",
    "ColumnRule",
    "Compare",
    "CompareOp",
    "DatasetRule",
    "DeterminedBy",
    "Duplicate",
    "InSet",
    "Length",
    "Matches",
    "NotNull",
    "NullRate",
    "QuarantineRate",
    "RowCount",
    "RowSetRule",
    "RunStats",
    "Severity",
    "Unique",
    "Verdict",
]
