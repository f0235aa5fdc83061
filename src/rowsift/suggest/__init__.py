"""Suggestions: heuristics that turn a profile into a recipe, every rule with its evidence.

`build.suggest_recipe` reads a `TableProfile` and asks one module per kind of rule what holds:
`types`, `nulls`, `patterns`, `ranges`, `sets`, `keys`, `dependencies`, `dataset`, each with
the statistic and threshold behind it; `strictness` sets those thresholds and `guard` keeps
only rules that hold on a held-out part of the table. `review` and `session` keep a person's
accept, reject and edit decisions (the loop behind `rowsift review`).
"""

from __future__ import annotations

from rowsift.suggest.build import measure, rule_ids, suggest_recipe
from rowsift.suggest.review import decide, keep_reviewed, review_ids, rule_entry
from rowsift.suggest.strictness import THRESHOLDS, Strictness, Thresholds, thresholds

__all__ = [
    "THRESHOLDS",
    "Strictness",
    "Thresholds",
    "decide",
    "keep_reviewed",
    "measure",
    "review_ids",
    "rule_entry",
    "rule_ids",
    "suggest_recipe",
    "thresholds",
]
