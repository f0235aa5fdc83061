"""The engine: compile a recipe into a plan, then execute the plan over any frame."""

from __future__ import annotations

from rowsift.engine.compile import compile_recipe
from rowsift.engine.execute import Evaluation, Flag, Outputs, build, conclude, execute
from rowsift.engine.plan import LINE, REASONS, ROW, Plan

__all__ = [
    "LINE",
    "REASONS",
    "ROW",
    "Evaluation",
    "Flag",
    "Outputs",
    "Plan",
    "build",
    "compile_recipe",
    "conclude",
    "execute",
]
