"""One-column files of real text: does detection keep the header and every value?

    python -m bench.loading.one_column

A file of one text column (names, titles, places, notes) is common: an export of one field, a
list to look up. Its values hold spaces, and those with a comma or a quote are quoted, so a
sniffer may take the space for a delimiter, the first value for the header and the header
for a note. Every text column of the real files `bench.loading.real_files` reads whose values
hold a space (at least a fifth of them, and most of them not numbers split by spaces: lines of
a space-delimited table) is written on its own, as Python's `csv` module writes
it (the column's name, then its first 300 values, quoted where they must be), and read back by
rowsift with detection only. A file counts as right when its header and every value come back
as written, in order, and no record is quarantined.

With ``--one-width`` each column keeps only its values of its most usual number of words (two or
more): every line below the header then splits at its spaces to one width, the shape where a
one-word header above them looks most like a note above a table (a list of two-word names).
"""

from __future__ import annotations

import argparse
import csv
import io
import tempfile
from pathlib import Path

from bench.loading.held import read_as_run
from bench.loading.real_files import real_files

VALUES = 300
SPACED_SHARE = 0.2


def text_columns() -> list[tuple[str, str, list[str]]]:
    """(file, column, values) of every spaced text column of the real files."""
    import polars as pl

    found = []
    for path in real_files():
        try:
            frame = pl.read_csv(path, infer_schema=False, n_rows=VALUES, truncate_ragged_lines=True)
        except Exception:  # a file Polars cannot read plainly has no column to take here
            continue
        for name in frame.columns:
            values = [v for v in frame[name].to_list() if v is not None and v.strip()]
            if not values or not name.strip() or any(v.strip() != v for v in values):
                continue
            spaced = sum(" " in v for v in values) / len(values)
            # a line of a table split by spaces (numbers mostly) is no text to keep whole
            numeric = sum(_mostly_numbers(v) for v in values)
            if spaced >= SPACED_SHARE and numeric < len(values) / 2:
                found.append((path.name, name, values))
    return found


def one_width(values: list[str]) -> list[str]:
    """The values of the most usual number of words, when that is two or more (else none).

    >>> one_width(["New York", "Oslo", "San Jose", "Salt Lake City"])
    ['New York', 'San Jose']
    """
    widths = [len(v.split(" ")) for v in values]
    usual = max(set(widths), key=lambda w: (widths.count(w), -w))
    return [v for v, w in zip(values, widths, strict=True) if w == usual] if usual > 1 else []


def _mostly_numbers(value: str) -> bool:
    words = value.split()
    numbers = sum(w.replace(".", "", 1).lstrip("-").isdigit() for w in words)
    return numbers * 2 > len(words)


def loads_right(folder: Path, name: str, values: list[str]) -> bool:
    """Whether the one-column file of these values reads back as written."""
    from rowsift.recipe import SourceSpec

    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow([name])
    writer.writerows([value] for value in values)
    path = folder / "one.csv"
    path.write_text(text.getvalue(), encoding="utf-8")
    try:
        with read_as_run(path, SourceSpec(detect=True)) as table:
            frame = table.collect()
    except Exception:  # a file that fails to load is read wrong
        return False
    names = [n for n in frame.columns if not n.startswith("_rowsift_")]
    if names != [name]:
        return False
    if "_rowsift_parse" in frame.columns and frame["_rowsift_parse"].is_not_null().any():
        return False
    return frame[name].to_list() == values


def main() -> None:
    """Command line: every column, then the share read right and the ones read wrong."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--one-width", action="store_true", help="keep each column's values of one word count"
    )
    args = parser.parse_args()
    columns = text_columns()
    if args.one_width:
        kept = [(file, name, one_width(values)) for file, name, values in columns]
        columns = [(file, name, values) for file, name, values in kept if len(values) >= 2]
    wrong = []
    with tempfile.TemporaryDirectory() as folder:
        for file, name, values in columns:
            if not loads_right(Path(folder), name, values):
                wrong.append(f"{file}: {name}")
    print(f"{len(columns) - len(wrong)} of {len(columns)} one-column files read right")
    for item in wrong:
        print("  wrong:", item)


if __name__ == "__main__":
    main()
