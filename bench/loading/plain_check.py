"""How long the plain-file check (`rowsift.io.plain.check_plain`) takes on each file.

The check decides whether a delimited file goes to Polars' own reader; a change to the shape
of a well-formed record (`rowsift.io.shapes`) changes its pattern. Five runs per file, sorted
seconds; run it before and after a change (the older `src` first on `PYTHONPATH`):

    .venv/bin/python -m bench.loading.plain_check bench/data/orders_1m.csv FILE ...
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from rowsift.io.plain import check_plain
from rowsift.io.read import sniff
from rowsift.recipe import SourceSpec

RUNS = 5


def main() -> None:
    """Print each file's verdict and its sorted check times."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args()
    for path in args.paths:
        dialect = sniff(path, SourceSpec(detect=True))
        seconds = []
        for _ in range(RUNS):
            started = time.perf_counter()
            plain = check_plain(path, dialect)
            seconds.append(time.perf_counter() - started)
        verdict = "plain" if plain is not None else "not plain"
        print(path.name, verdict, " ".join(f"{s:.3f}" for s in sorted(seconds)))


if __name__ == "__main__":
    main()
