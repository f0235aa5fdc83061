"""Converting any readable source to standard RFC 4180 CSV or Parquet, losing no record."""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

import narwhals.stable.v2 as nw
import polars as pl

from rowsift._atomic import atomic_path
from rowsift._names import FIELDS, LINE, PARSE, RAW, ROW
from rowsift.exceptions import InputError, UsageError
from rowsift.io.formulas import FormulaPolicy, neutral_cell, neutralised
from rowsift.io.output_folder import csv_refusal, refuse_overwrite, write_failure
from rowsift.io.read import read_table
from rowsift.io.records import LoadingCounts, named
from rowsift.recipe.model import SourceSpec

Ragged = Literal["quarantine", "keep"]


@dataclass(frozen=True, kw_only=True)
class Conversion:
    """What a conversion wrote: rows in the output, parse failures, and where they went."""

    output: Path
    rows: int
    failures: int
    quarantine: Path | None
    loading: LoadingCounts | None = None
    """What reading did with a text file's lines (skipped, merged), when it is text."""


def quarantine_path(output: Path) -> Path:
    """Where parse failures go: ``OUTPUT.quarantine.csv`` beside the output."""
    return output.with_name(output.name + ".quarantine.csv")


def convert(
    input_path: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    source: SourceSpec | None = None,
    ragged: Ragged = "quarantine",
    formulas: FormulaPolicy = "escape",
    on_progress: Callable[[int, int], None] | None = None,
) -> Conversion:
    """Read `input_path` (detecting its layout) and write what was read to `output`.

    The output is RFC 4180 CSV (comma, double quote, ``\\n``, header first) or, for a ``.parquet``
    output, Parquet. With ``ragged="quarantine"`` records that could not be split go to
    ``OUTPUT.quarantine.csv`` with their line and raw text; with ``ragged="keep"`` (CSV only)
    every record is written as split, whatever its number of fields. In CSV, text that a
    spreadsheet would run as a formula is prefixed with ``'`` unless `formulas` is ``"keep"``
    (`rowsift.io.formulas`). An output that is the input is refused.
    """
    target = Path(output)
    spec = source if source is not None else SourceSpec(detect=True)
    parquet = target.suffix.lower() in (".parquet", ".pq")
    if ragged == "keep" and parquet:
        raise UsageError(
            "--ragged keep writes records of any length, which only CSV can hold",
            hint="write to a .csv output, or use --ragged quarantine",
        )
    refuse_overwrite([input_path], [target, quarantine_path(target)])
    if target.is_dir():
        raise UsageError(
            f"the output {target} is a folder", hint="give the file to write, e.g. tidy.csv"
        )
    loading: list[LoadingCounts] = []
    with ExitStack() as hold:  # what reading needs until the output is written
        frame: pl.LazyFrame = read_table(
            input_path, spec, on_progress=on_progress, on_loaded=loading.append, hold=hold
        ).to_native()
        names = [n for n in frame.collect_schema().names() if not n.startswith("_rowsift_")]
        has_parse = PARSE in frame.collect_schema().names()
        try:
            done = _write(
                frame,
                names,
                target,
                parquet=parquet,
                ragged=ragged,
                has_parse=has_parse,
                formulas="keep" if parquet else formulas,
            )
        except (pl.exceptions.PolarsError, OSError, EOFError) as exc:
            raise (
                write_failure(exc, target) or csv_refusal(exc) or _reading(input_path, exc)
            ) from None
    if not loading:
        return done
    return replace(done, loading=loading[-1].settle(done.rows + done.failures))


def _write(
    frame: pl.LazyFrame,
    names: list[str],
    target: Path,
    *,
    parquet: bool,
    ragged: Ragged,
    has_parse: bool,
    formulas: FormulaPolicy,
) -> Conversion:
    if ragged == "keep":
        return _keep(frame, names, target, has_parse=has_parse, formulas=formulas)
    good = frame.filter(pl.col(PARSE).is_null()) if has_parse else frame
    good = neutralised(nw.from_native(good.select(named(names))), formulas).to_native()
    failures = quarantine_path(target)
    if not has_parse:
        with atomic_path(target) as tmp:
            _sink(good, tmp, parquet=parquet).collect(engine="streaming")
        return Conversion(output=target, rows=_count(target, parquet), failures=0, quarantine=None)
    with atomic_path(target) as tmp:
        identity = [ROW, LINE] if LINE in frame.collect_schema().names() else [ROW]
        bad = frame.filter(pl.col(PARSE).is_not_null()).select(
            *identity, pl.col(PARSE).alias("_rowsift_reason"), RAW
        )
        bad = neutralised(nw.from_native(bad), formulas).to_native()
        with atomic_path(failures) as bad_tmp:
            pl.collect_all(
                [_sink(good, tmp, parquet=parquet), bad.sink_csv(bad_tmp, lazy=True)],
                engine="streaming",
            )
    rows = _count(target, parquet)
    failed = _count(failures, parquet=False)
    if failed == 0:
        failures.unlink(missing_ok=True)
    return Conversion(
        output=target, rows=rows, failures=failed, quarantine=failures if failed else None
    )


def _reading(path: str | os.PathLike[str], exc: BaseException) -> InputError:
    text = str(exc).strip().splitlines()
    return InputError(
        f"cannot read the file: {text[0] if text else type(exc).__name__}",
        file=str(path),
        hint="check --encoding, --delimiter and --format",
    )


def _sink(frame: pl.LazyFrame, target: Path, *, parquet: bool) -> Any:
    if parquet:
        return frame.sink_parquet(target, lazy=True)
    return frame.sink_csv(target, lazy=True)


def _count(path: Path, parquet: bool) -> int:
    if not parquet and path.stat().st_size <= 1:  # a table with no columns: an empty line
        return 0
    scan = (
        pl.scan_parquet(path, glob=False)
        if parquet
        else pl.scan_csv(path, infer_schema=False, glob=False)
    )
    return int(scan.select(pl.len()).collect().item())


def _keep(
    frame: pl.LazyFrame,
    names: list[str],
    target: Path,
    *,
    has_parse: bool,
    formulas: FormulaPolicy,
) -> Conversion:
    rows = failures = 0
    columns = names + ([PARSE, FIELDS] if has_parse else [])

    def cells(values: Any) -> list[Any]:
        listed = ["" if v is None else v for v in values]
        return listed if formulas == "keep" else [neutral_cell(v) for v in listed]

    with atomic_path(target) as tmp, open(tmp, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(cells(names))
        for batch in frame.select(named(columns)).collect_batches():
            for record in batch.iter_rows():
                if has_parse and record[len(names)] is not None:
                    writer.writerow(cells(record[len(names) + 1] or []))
                    failures += 1
                else:
                    writer.writerow(cells(record[: len(names)]))
                rows += 1
    return Conversion(output=target, rows=rows, failures=failures, quarantine=None)
