"""Time and peak memory of loading large recipes, each in a fresh process.

    python -m bench.recipe.load [--megabytes 5] [--members 100000] [--repeat 3]

Three recipes are written to a temporary folder:

- ``wide``: about `--megabytes` MB of columns, each with a type, transforms and four rules;
- ``big_set``: one column whose `in_set` lists `--members` values;
- ``big_map``: one column whose `map` transform has `--members` entries.

Each is loaded by ``rowsift.load_recipe`` and compiled, `--repeat` times, in a fresh Python
process; the script prints wall time (median, seconds, imports excluded) and peak resident
memory (median, MiB, from ``ru_maxrss`` of the child).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

_CHILD = """
import resource, sys, time
import rowsift
start = time.perf_counter()
recipe = rowsift.load_recipe(sys.argv[1])
rowsift.compile_recipe(recipe)
elapsed = time.perf_counter() - start
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""

_COLUMN = """  col_{index}:
    type: string
    transforms: [strip, lower, {{null_tokens: [n/a, '-']}}]
    rules:
      - not_null
      - matches: '^[a-z]{{3}}-[0-9]{{4}}$'
      - in_set: [abc-0001, abd-0002, abe-0003, {{x: y}}]
      - length: {{min: 8, max: 8, severity: warn}}
"""


def wide_recipe(megabytes: float) -> str:
    """Columns until the text reaches the size; the in_set's odd member is made a string."""
    parts = ["version: 1\ncolumns:\n"]
    size, index = 0, 0
    while size < megabytes * 1_000_000:
        part = _COLUMN.format(index=index).replace("{x: y}", "abf-0004")
        parts.append(part)
        size += len(part)
        index += 1
    return "".join(parts)


def big_set_recipe(members: int) -> str:
    """One string column with an in_set of `members` values."""
    values = ", ".join(f"v{number:07d}" for number in range(members))
    return f"version: 1\ncolumns:\n  code:\n    rules:\n      - in_set: [{values}]\n"


def big_map_recipe(members: int) -> str:
    """One column with a map transform of `members` entries."""
    entries = ", ".join(f"k{number:07d}: v{number}" for number in range(members))
    return f"version: 1\ncolumns:\n  code:\n    transforms:\n      - map: {{{entries}}}\n"


def measure(path: Path, repeat: int) -> tuple[float, float]:
    """Median seconds and MiB of loading and compiling the recipe at `path`."""
    times, peaks = [], []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        seconds, mebibytes = (float(word) for word in done.stdout.split())
        times.append(seconds)
        peaks.append(mebibytes)
    return statistics.median(times), statistics.median(peaks)


def main() -> None:
    """Write the recipes, load each `--repeat` times, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=5.0)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    recipes = {
        "wide": wide_recipe(options.megabytes),
        "big_set": big_set_recipe(options.members),
        "big_map": big_map_recipe(options.members),
    }
    print("| recipe | size (MB) | load + compile (s) | peak RSS (MiB) |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for name, text in recipes.items():
            path = Path(folder) / f"{name}.recipe.yaml"
            path.write_text(text, encoding="utf-8")
            seconds, mebibytes = measure(path, options.repeat)
            size = len(text.encode()) / 1_000_000
            print(f"| {name} | {size:.1f} | {seconds:.2f} | {mebibytes:.0f} |")


if __name__ == "__main__":
    main()
