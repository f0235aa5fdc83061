"""Run a suggest benchmark with every suggested recipe written as YAML, to compare two trees.

Each call of `rowsift.suggest_recipe` that the benchmark makes writes ``NNNNN.yaml`` (in call
order) to the folder `RECIPES_OUT` names; the benchmarks run their tables in a fixed order, so
the folders of two runs compare file by file (``diff -r``):

    RECIPES_OUT=/tmp/before PYTHONPATH=/tmp/base/src:. .venv/bin/python -m \\
        bench.suggest.dump_recipes bench.suggest.heldout --no-pandera
    RECIPES_OUT=/tmp/after .venv/bin/python -m bench.suggest.dump_recipes bench.suggest.heldout \\
        --no-pandera
    diff -rq /tmp/before /tmp/after
"""

from __future__ import annotations

import itertools
import os
import runpy
import sys
from pathlib import Path
from typing import Any

import rowsift
from rowsift.recipe.model import dump_recipe


def main() -> None:
    """Run the module named first with the arguments after it, writing every recipe."""
    out = Path(os.environ["RECIPES_OUT"])
    out.mkdir(parents=True, exist_ok=True)
    counter = itertools.count()
    original = rowsift.suggest_recipe

    def suggest(*given: Any, **named: Any) -> rowsift.Recipe:
        recipe = original(*given, **named)
        (out / f"{next(counter):05d}.yaml").write_text(dump_recipe(recipe))
        return recipe

    rowsift.suggest_recipe = suggest  # type: ignore[assignment]
    module, *rest = sys.argv[1:]
    sys.argv = [module, *rest]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
