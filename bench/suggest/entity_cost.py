"""What the entities' estimate of value sets costs `suggest`, paired in one process.

Runs `rowsift.suggest_recipe` on a CSV (read as text) alternately with the estimate on and off
(`rowsift.suggest.sets.entity_mass` replaced by one that finds no entity column), and prints
each run's CPU seconds, the estimate's own CPU seconds and calls, and the sets that warn.
Pairs in one process share the machine's load, so their difference means more than two
separate timings on a shared machine.

    .venv/bin/python -m bench.suggest.wide_table --rows 200000 --out /tmp/wide_200k.csv
    .venv/bin/python -m bench.suggest.entity_cost /tmp/wide_200k.csv --pairs 3
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import polars as pl

import rowsift
from rowsift.suggest import entities, sets


def main() -> None:
    """Print one line per run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path")
    parser.add_argument("--pairs", type=int, default=3)
    args = parser.parse_args()
    frame = pl.read_csv(args.path, infer_schema=False)
    spent = [0.0, 0]

    def timed(*given: Any, **named: Any) -> Any:
        started = time.process_time()
        found = entities.entity_mass(*given, **named)
        spent[0] += time.process_time() - started
        spent[1] += 1
        return found

    for label in ("on", "off") * args.pairs:
        vars(sets)["entity_mass"] = timed if label == "on" else (lambda *_, **__: None)
        spent[:] = [0.0, 0]
        started = time.process_time()
        recipe = rowsift.suggest_recipe(frame)
        total = time.process_time() - started
        warned = [
            name
            for name, spec in recipe.columns.items()
            for rule in spec.rules
            if rule.kind == "in_set" and rule.args.severity == "warn"
        ]
        print(
            f"{label:3}  suggest {total:.2f} CPU s, estimate {spent[0]:.3f} CPU s in "
            f"{spent[1]} calls; sets that warn: {warned}",
            flush=True,
        )
    vars(sets)["entity_mass"] = entities.entity_mass


if __name__ == "__main__":
    main()
