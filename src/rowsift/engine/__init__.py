"""The engine: compile a recipe into a plan, then execute the plan over any frame.

`compile.compile_recipe` turns a checked recipe into a `plan.Plan` without touching data: per
column its transforms, cast and rules, each rule with its id. `execute.build` applies a plan to
a narwhals lazy frame in one pass, one flag per rule, and splits it into clean and quarantine
with the totals; `execute.conclude` checks that no row was lost. `parse` and `backends` hold
the few steps a library does natively (lenient parsing, rows seen before). Nothing here reads
or writes files: that is `rowsift.io`.

The names below are loaded on first use: checking a recipe (`rowsift check`) needs
`compile_recipe` and the plan alone, not the execution over frames. `execute` is the module
`rowsift.engine.execute`; its function of that name is imported from there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rowsift._lazy import lazy_names

if TYPE_CHECKING:
    from rowsift.engine.compile import compile_recipe
    from rowsift.engine.execute import (
        Evaluation,
        Flag,
        Outputs,
        build,
        collect_together,
        conclude,
        repairs_of,
    )
    from rowsift.engine.plan import LINE, REASONS, ROW, Plan

#: each public name and the module it comes from
_HOMES = {
    "Evaluation": "rowsift.engine.execute",
    "Flag": "rowsift.engine.execute",
    "LINE": "rowsift.engine.plan",
    "Outputs": "rowsift.engine.execute",
    "Plan": "rowsift.engine.plan",
    "REASONS": "rowsift.engine.plan",
    "ROW": "rowsift.engine.plan",
    "build": "rowsift.engine.execute",
    "collect_together": "rowsift.engine.execute",
    "compile_recipe": "rowsift.engine.compile",
    "conclude": "rowsift.engine.execute",
    "repairs_of": "rowsift.engine.execute",
}

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
    "repairs_of",
]


__getattr__, __dir__ = lazy_names(globals(), _HOMES)
