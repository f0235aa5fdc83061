"""The checks every hostile case must pass, and how a case is run.

`Outcome` is what a command did; `deadline` makes a hang fail the case instead of the suite;
`outputs_of` reads what a run left in its folder; `assert_clean_exit` and `assert_conserved`
are the promises: the documented exit code, no traceback, every record in exactly one output,
no partial output.
"""

from __future__ import annotations

import csv
import json
import signal
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

DOCUMENTED_EXIT_CODES = (0, 1, 2, 3, 4)
CASE_SECONDS = 30
"""No single hostile case may take longer (a hang fails the case, not the suite)."""


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str

    @property
    def text(self) -> str:
        return self.stdout + self.stderr


class CaseTimeout(Exception):
    """A case ran past `CASE_SECONDS`."""


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Raise `CaseTimeout` in the main thread after `seconds`."""

    def expire(_signum: int, _frame: Any) -> None:
        raise CaseTimeout(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def assert_clean_exit(outcome: Outcome, allowed: Sequence[int] = DOCUMENTED_EXIT_CODES) -> None:
    """A documented exit code, no traceback, and no "please report it" internal error."""
    assert outcome.code in allowed, (outcome.code, outcome.text[-2000:])
    assert "Traceback" not in outcome.text, outcome.text[-2000:]
    assert "internal error" not in outcome.text, outcome.text[-2000:]
    if outcome.code in (2, 3):  # an error explains itself; 1 and 4 are verdicts on the data
        assert "error:" in outcome.stderr, outcome.text[-2000:]


def read_output(path: Path) -> pl.DataFrame:
    """A CSV or Parquet output as written (CSV values as text, read by Python's own RFC 4180
    reader: Polars' reader keeps the doubled quotes of a quoted header name)."""
    if path.suffix == ".parquet":
        return pl.read_parquet(path)
    limit = csv.field_size_limit(1 << 30)  # the corpus holds fields of a megabyte
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
    finally:
        csv.field_size_limit(limit)
    if not rows:
        return pl.DataFrame()
    header, body = rows[0], rows[1:]
    columns = {
        name: pl.Series(name, [row[i] if i < len(row) else None for row in body], pl.String)
        for i, name in enumerate(header)
    }
    return pl.DataFrame(list(columns.values()))


@dataclass(frozen=True)
class RunOutputs:
    clean: pl.DataFrame
    quarantine: pl.DataFrame
    summary: dict[str, Any]


def outputs_of(out: Path, fmt: str = "parquet") -> RunOutputs:
    """The three outputs of a finished run."""
    return RunOutputs(
        clean=read_output(out / f"clean.{fmt}"),
        quarantine=read_output(out / f"quarantine.{fmt}"),
        summary=json.loads((out / "summary.json").read_text()),
    )


def assert_conserved(out: Path, records: int | None, fmt: str = "parquet") -> RunOutputs:
    """Every record once: rows_in = records, clean + quarantine = rows_in, rows numbered
    0..rows_in-1 with none twice, and the summary agrees with the files."""
    written = outputs_of(out, fmt)
    summary = written.summary
    if records is not None:
        assert summary["rows_in"] == records, summary
    assert summary["rows_clean"] == written.clean.height
    assert summary["rows_quarantined"] == written.quarantine.height
    assert summary["rows_in"] == summary["rows_clean"] + summary["rows_quarantined"]
    rows = sorted(
        int(v)
        for frame in (written.clean, written.quarantine)
        for v in frame["_rowsift_row"].to_list()
    )
    assert rows == list(range(summary["rows_in"]))
    return written


def assert_no_outputs(out: Path) -> None:
    """A failed run leaves no output at all under the outputs' names (hidden leftovers of a
    killed writer aside, which the next run removes)."""
    if out.exists():
        visible = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
        assert visible == [], visible
