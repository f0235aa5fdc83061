"""Suggestions: heuristics that turn a profile into a recipe, every rule with its evidence."""

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
