"""How fast rowsift loads plain and messy CSV, against Polars reading the same bytes.

    python -m bench.loading.speed [--rows 3000000] [--repeat 3]

Seven files of the same table (a visits table with a free-text ``notes`` column): **plain**
(one record per line), **multiline** (7% of the notes hold a quoted line break, valid RFC
4180), **broken** (the multiline file with one record in 20,000 damaged: a field too many or
a stray quote), **few_broken** (the same with one in 500,000), **commented** (the plain file
with a comment line, ``# checkpoint N``, every 10,000 records), **footer** (the plain file,
a blank line and ``Total: N visits``) and **cp1252** (the plain file in Windows-1252, a fifth
of the notes ``rappelé``). Each is written to Parquet by two readers, each in a fresh
process:

- ``polars``: ``pl.scan_csv(...).sink_parquet`` with every column as text, the reader a
  hand-written pipeline would use (it checks nothing: a broken record fails it or is misread,
  the footer is read as a row, and the cp1252 file fails it, Polars reading UTF-8 only; it is
  told ``comment_prefix="#"`` for the commented file);
- ``rowsift``: ``read_table`` with detection, which checks every record, keeps row and line
  numbers, and quarantines the broken ones, written with ``sink_parquet`` (its modules
  compiled to bytecode first, `bench.bytecode`), held open as ``rowsift run`` holds it (what
  lets it read the cp1252 file from a UTF-8 copy); told ``comment: '#'`` for the commented
  file (its first comment is too far down for the sniffer's sample).

Prints wall and CPU seconds and the ratio to Polars on the same file, and saves them to
``bench/results/loading-speed-<time>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from bench.bytecode import compile_trees

NOTES = ["called back", "no show", "follow-up in 2 weeks", 'said "fine"', "bp 120/80, ok"]


def write_files(folder: Path, rows: int, seed: int = 16) -> dict[str, Path]:
    """The files of the module docstring, by name."""
    rng = random.Random(seed)
    multiline = [rng.random() < 0.07 for _ in range(rows)]
    broken = {i for i in range(rows) if rng.random() < 1 / 20_000}
    few_broken = {i for i in range(rows) if rng.random() < 1 / 500_000}
    frame = pl.DataFrame(
        {
            "visit_id": [str(100_000 + i) for i in range(rows)],
            "patient": [f"P{rng.randint(1, 99_999):05d}" for _ in range(rows)],
            "day": [f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" for _ in range(rows)],
            "fee": [f"{rng.uniform(10, 500):.2f}" for _ in range(rows)],
            "notes": [rng.choice(NOTES) for _ in range(rows)],
        }
    )
    names = ("plain", "multiline", "broken", "few_broken", "commented", "footer", "cp1252")
    paths = {name: folder / f"{name}.csv" for name in names}
    frame.write_csv(paths["plain"])
    plain_text = paths["plain"].read_text()
    paths["footer"].write_text(f"{plain_text}\nTotal: {rows} visits\n")
    paths["cp1252"].write_bytes(plain_text.replace("called back", "rappelé").encode("cp1252"))
    with open(paths["plain"]) as plain, open(paths["commented"], "w") as commented:
        for number, line in enumerate(plain):
            commented.write(line)
            if number and number % 10_000 == 0:
                commented.write(f"# checkpoint {number}\n")
    lined = frame.with_columns(
        pl.when(pl.Series(multiline))
        .then(pl.col("notes") + "\nsee chart")
        .otherwise(pl.col("notes"))
    )
    lined.write_csv(paths["multiline"])
    text = paths["multiline"].read_text().split("\n")
    for name, damaged_records in (("broken", broken), ("few_broken", few_broken)):
        with open(paths[name], "w") as handle:
            handle.write(text[0] + "\n")
            record = 0
            for line in text[1:]:
                damaged = line
                if line and line[0].isdigit():
                    if record in damaged_records:
                        damaged = ('"' + line) if record % 2 else (line + ",x")
                    record += 1
                handle.write(damaged + "\n" if damaged else "")
    return paths


_READERS = {
    "polars": (
        "import polars as pl, sys\n"
        "comment = sys.argv[1].endswith('commented.csv') and '#' or None\n"
        "pl.scan_csv(sys.argv[1], infer_schema=False, comment_prefix=comment)"
        ".sink_parquet(sys.argv[2])\n"
    ),
    "rowsift": (
        "import sys\n"
        "from bench.loading.held import read_as_run\n"
        "from rowsift.recipe import SourceSpec\n"
        "told = {'comment': '#'} if sys.argv[1].endswith('commented.csv') else {}\n"
        "with read_as_run(sys.argv[1], SourceSpec(detect=True, **told)) as table:\n"
        "    table.sink_parquet(sys.argv[2])\n"
    ),
}


def run(reader: str, path: Path, out: Path) -> tuple[float, float, bool]:
    """(wall seconds, CPU seconds, succeeded) of one reader on one file, in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _READERS[reader], str(path), str(out)],
        capture_output=True,
        check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.returncode == 0


def main() -> None:
    """Command line: write the files, time each reader on each, print and save."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--results", type=Path, default=Path("bench/results"))
    args = parser.parse_args()
    compile_trees()
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = write_files(folder, args.rows)
        for name, path in paths.items():
            for reader in _READERS:
                runs = [run(reader, path, folder / "out.parquet") for _ in range(args.repeat)]
                walls = sorted(w for w, _, _ in runs)
                cpus = sorted(c for _, c, _ in runs)
                results[f"{name}/{reader}"] = {
                    "wall": walls[len(walls) // 2],
                    "cpu": cpus[len(cpus) // 2],
                    "ok": all(ok for _, _, ok in runs),
                    "mib": os.path.getsize(path) / 2**20,
                }
    plain = results["plain/polars"]["wall"]
    print(f"{args.rows:,} rows, median of {args.repeat}; ratio to Polars on the plain file\n")
    print("| file | reader | wall (s) | CPU (s) | vs plain Polars | vs Polars, same file |")
    print("|---|---|---:|---:|---:|---:|")
    for key, found in results.items():
        name, reader = key.split("/")
        same = results[f"{name}/polars"]
        ratio = f"{found['wall'] / same['wall']:.2f}×" if same["ok"] else "Polars failed"
        status = "" if found["ok"] else " (failed)"
        print(
            f"| {name} | {reader}{status} | {found['wall']:.2f} | {found['cpu']:.2f} | "
            f"{found['wall'] / plain:.2f}× | {ratio} |"
        )
    args.results.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = args.results / f"loading-speed-{stamp}.json"
    target.write_text(json.dumps({"rows": args.rows, "results": results}, indent=2))
    print(f"\nsaved {target}")


if __name__ == "__main__":
    main()
