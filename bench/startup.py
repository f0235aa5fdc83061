"""Start-up of the command line: `rowsift --help` and `rowsift check`, before and after a change.

    python -m bench.startup [--before SRC] [--runs 10]

Each command runs in a fresh process, exactly as a user starts it (`python -m rowsift._cli`,
interpreter start-up and imports included). With `--before SRC` (a source tree such as
``git archive COMMIT src | tar -x -C /tmp/before``, then ``--before /tmp/before/src``), each run
of the installed tree ("after") is paired with a run of that tree ("before", put first on
``PYTHONPATH``), in turn before, after, before, after …, so that both see the same drift of a
shared machine's load. Prints, per command and side, the median over `--runs` runs of the CPU
seconds (user + system, from ``os.wait4``: the honest figure on a shared machine) and of the
wall seconds, the median of the pairwise after / before ratios, and the load average at start.

Both trees' modules are compiled to bytecode first (`bench.bytecode`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.bytecode import compile_trees

ROOT = Path(__file__).resolve().parent.parent

COMMANDS = {
    "rowsift --help": ["--help"],
    "rowsift check bench/orders.recipe.yaml": ["check", str(ROOT / "bench/orders.recipe.yaml")],
}


def measure(args: list[str], before: Path | None) -> tuple[float, float]:
    """CPU seconds (user + system) and wall seconds of one fresh `rowsift ARGS` process."""
    env = dict(os.environ)
    if before is not None:
        env["PYTHONPATH"] = str(before)
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "rowsift._cli", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
    )
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"rowsift {' '.join(args)} failed ({'before' if before else 'after'})")
    return usage.ru_utime + usage.ru_stime, wall


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="a source tree to pair the runs with")
    parser.add_argument("--runs", type=int, default=10)
    options = parser.parse_args(argv)
    compile_trees(options.before)
    print(f"load average at start: {os.getloadavg()[0]:.2f} (1 min), {options.runs} runs each")
    sides: list[Path | None] = [options.before, None] if options.before else [None]
    for label, args in COMMANDS.items():
        for side in sides:  # one untimed warm-up each: the files in the page cache
            measure(args, side)
        runs: dict[str, list[tuple[float, float]]] = {"before": [], "after": []}
        for _ in range(options.runs):
            for side in sides:
                runs["before" if side else "after"].append(measure(args, side))
        for name, figures in runs.items():
            if figures:
                cpu = statistics.median(cpu for cpu, _ in figures)
                wall = statistics.median(wall for _, wall in figures)
                print(f"{label:42} {name:6}  CPU {cpu:.3f} s  wall {wall:.3f} s")
        if runs["before"]:
            pairs = zip(runs["after"], runs["before"], strict=True)
            ratio = statistics.median(after[0] / before[0] for after, before in pairs)
            print(f"{label:42} after / before, CPU (median of pairs): {ratio:.2f}")


if __name__ == "__main__":
    main()
