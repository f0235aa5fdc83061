"""The engine: compile a recipe into a plan, then execute the plan over any frame.

`compile.compile_recipe` turns a checked recipe into a `plan.Plan` without touching data: per
column its transforms, cast and rules, each rule with its id. `execute.build` applies a plan to
a narwhals lazy frame in one pass, one flag per rule, and splits it into clean and quarantine
with the totals; `execute.conclude` checks that no row was lost. `parse` and `backends` hold
the few steps a library does natively (lenient parsing, rows seen before). Nothing here reads
or writes files: that is `rowsift.io`.
"""

from __future__ import annotations

from rowsift.engine.compile import compile_recipe
from rowsift.engine.execute import (
    Evaluation,
    Flag,
    Outputs,
    build,
    collect_together,
    conclude,
    execute,
    repairs_of,
)
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
    "collect_together",
    "compile_recipe",
    "conclude",
    "execute",
    "repairs_of",
]
