"""Rules: frozen declarative data, each with one pure method that returns a narwhals expression.

Column rules judge one value (`passes`), row-set rules judge a row against the others (`blamed`),
dataset rules judge the run's statistics (`judge`). The engine alone applies the null policy.
"""

from __future__ import annotations

from rowsift.rules.column import (
    COLUMN_RULES,
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
    DATASET_RULES,
    DatasetRule,
    NullRate,
    QuarantineRate,
    RowCount,
    RunStats,
    Verdict,
)
from rowsift.rules.rowset import ROWSET_RULES, DeterminedBy, Duplicate, RowSetRule, Unique
from rowsift.rules.severity import Severity

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
