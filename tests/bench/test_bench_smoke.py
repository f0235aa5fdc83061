"""Smoke tests of the benchmark harness: the generator, the baselines, and rowsift's agreement."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from bench import (
    generate,
    gx_pandas,
    handwritten_duckdb,
    handwritten_pandas,
    handwritten_polars,
    orders_table,
    pandera_polars,
    run,
)

ROWS = 5_000
ROW = "_rowsift_row"
LINE = "_rowsift_line"
REASONS = "_rowsift_reasons"

# Every row exercises one corner of the recipe's semantics (DESIGN.md section 3).
EDGE_CSV = """\
order_id,customer_email,status,amount,quantity,created_at,shipped_at,country
ORD-00000001,a.b@x.com,paid,10.00,1,2024-01-01T00:00:00,,NA
" ord-00000002 "," A.B@X.COM ", Paid ,5,2,2024-01-02T00:00:00,2024-01-03T00:00:00, de
ORD-00000002,a.b@x.com,paid,5,2,2024-01-02T00:00:00,2024-01-03T00:00:00,DE
ORD-00000003,,canceled,abc,,2024-01-03T00:00:00,2024-01-01T00:00:00,US
ORD-0000004,bad,shiped,-1,0,not a date,2024-01-01T00:00:00,USA
,x@y.io,new,1,1,2024-01-01T00:00:00,,GB
,x@y.io,new,1,1,2024-01-01T00:00:00,,GB
"""
EDGE_REASONS = {
    2: ["order_id.unique", "row.duplicate"],  # row 1 once transformed; the first one stays
    3: ["amount.type", "quantity.not_null", "shipped_at.compare"],  # no amount.between on "abc"
    4: [
        "order_id.matches",
        "customer_email.matches",
        "status.in_set",
        "amount.between",
        "quantity.between",
        "created_at.type",
        "country.matches",  # and no shipped_at.compare: created_at is null after its cast
    ],
    5: ["order_id.not_null"],  # unique ignores nulls
    6: ["order_id.not_null", "row.duplicate"],  # null equals null for duplicates
}


@pytest.fixture(scope="module")
def orders_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small generated orders file."""
    return generate.write(ROWS, tmp_path_factory.mktemp("data") / "orders.csv", seed=7)


@pytest.fixture(scope="module")
def edge_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-written edge-case file."""
    path = tmp_path_factory.mktemp("edge") / "edge.csv"
    path.write_text(EDGE_CSV, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def handwritten_out(orders_csv: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-written pipeline's output folder for the small generated file."""
    out = tmp_path_factory.mktemp("handwritten")
    handwritten_polars.main(orders_csv, out)
    return out


def _read(out: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    return pl.read_parquet(out / "clean.parquet"), pl.read_parquet(out / "quarantine.parquet")


def _reasons_by_row(quarantine: pl.DataFrame) -> dict[int, list[str]]:
    return dict(zip(quarantine[ROW].to_list(), quarantine[REASONS].to_list(), strict=True))


def test_generator_is_deterministic(tmp_path: Path) -> None:
    """The same seed gives the same bytes; another seed gives others."""
    first = generate.write(ROWS, tmp_path / "a.csv", seed=7)
    second = generate.write(ROWS, tmp_path / "b.csv", seed=7)
    other = generate.write(ROWS, tmp_path / "c.csv", seed=8)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != other.read_bytes()
    table = pl.read_csv(first, infer_schema=False)
    assert table.columns == list(orders_table.COLUMNS)
    assert table.height == ROWS


def test_generator_writes_a_large_file_chunk_by_chunk(tmp_path: Path) -> None:
    """One header, every row, order numbers that go on across chunks, and the first chunk as
    a file of its size alone would have it."""
    chunked = pl.read_csv(
        generate.write(2_500, tmp_path / "chunked.csv", seed=7, chunk_rows=1_000),
        infer_schema=False,
    )
    alone = pl.read_csv(generate.write(1_000, tmp_path / "alone.csv", seed=7), infer_schema=False)
    assert chunked.height == 2_500
    assert chunked.head(1_000).equals(alone)
    numbers = chunked["order_id"].str.extract(r"(\d{8})$").cast(pl.Int64).drop_nulls()
    assert numbers.max() >= generate.FIRST_ORDER + 2_000  # the third chunk's own numbers
    assert not chunked.slice(1_000, 1_000).equals(alone)


def test_generator_writes_every_kind_of_mistake(handwritten_out: Path) -> None:
    """Every rule of the recipe fails somewhere in a small file, at a plausible rate."""
    _, quarantine = _read(handwritten_out)
    seen = set(quarantine[REASONS].explode().to_list())
    rules = set(handwritten_polars._rules())
    assert seen == rules
    rate = quarantine.height / ROWS
    assert 0.05 < rate < 0.25  # the recipe's quarantine_rate bound is 0.25


def test_generator_keeps_na_as_a_country(orders_csv: Path) -> None:
    """Namibia's code `NA` is in the file, as text."""
    countries = pl.read_csv(orders_csv, infer_schema=False)["country"]
    assert (countries == "NA").sum() > 0


def test_handwritten_outputs_partition_the_input(handwritten_out: Path) -> None:
    """Every input row lands exactly once, with its line number and at least one reason."""
    clean, quarantine = _read(handwritten_out)
    summary = json.loads((handwritten_out / "summary.json").read_text())
    assert clean.height + quarantine.height == ROWS
    assert summary == {
        "rows_in": ROWS,
        "rows_clean": clean.height,
        "rows_quarantined": quarantine.height,
    }
    rows = pl.concat([clean[ROW], quarantine[ROW]])
    assert rows.sort().to_list() == list(range(ROWS))
    for frame in (clean, quarantine):
        assert (frame[LINE] == frame[ROW] + 2).all()
    assert quarantine[REASONS].list.len().min() > 0


def test_handwritten_follows_the_recipe_semantics(edge_csv: Path, tmp_path: Path) -> None:
    """Transforms, casts, null policy, blame and reason order on hand-picked rows."""
    handwritten_polars.main(edge_csv, tmp_path)
    clean, quarantine = _read(tmp_path)
    assert clean[ROW].to_list() == [0, 1]
    assert clean.row(1, named=True) == {
        ROW: 1,
        LINE: 3,
        "order_id": "ORD-00000002",
        "customer_email": "a.b@x.com",
        "status": "paid",
        "amount": 5.0,
        "quantity": 2,
        "created_at": datetime(2024, 1, 2),
        "shipped_at": datetime(2024, 1, 3),
        "country": "DE",
    }
    assert clean.row(0, named=True)["country"] == "NA"
    assert _reasons_by_row(quarantine) == EDGE_REASONS
    # The quarantine keeps values as read, before transforms.
    assert quarantine.filter(pl.col(ROW) == 3)["status"].item() == "canceled"
    assert quarantine.filter(pl.col(ROW) == 3)["amount"].item() == "abc"


def test_pandera_contender_quarantines_the_same_rows(
    orders_csv: Path, handwritten_out: Path, tmp_path: Path
) -> None:
    """pandera quarantines the same rows for the same reasons (less its extra not_null)."""
    pandera_polars.main(orders_csv, tmp_path)
    clean, quarantine = _read(tmp_path)
    expected_clean, expected_quarantine = _read(handwritten_out)
    assert clean.equals(expected_clean)
    assert quarantine.drop(REASONS).equals(expected_quarantine.drop(REASONS))
    # pandera's nullable=False also fires on a value that failed its cast: drop those extras.
    ours = {
        row: {r for r in reasons if not (r.endswith(".not_null") and _type_of(r) in reasons)}
        for row, reasons in _reasons_by_row(quarantine).items()
    }
    theirs = {row: set(reasons) for row, reasons in _reasons_by_row(expected_quarantine).items()}
    assert ours == theirs


def _type_of(rule: str) -> str:
    return rule.split(".", maxsplit=1)[0] + ".type"


@pytest.mark.parametrize("source", ["orders_csv", "edge_csv"])
def test_gx_contender_quarantines_the_same_rows(
    source: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """The GX suite quarantines the same rows for the same reasons, in the same order."""
    path: Path = request.getfixturevalue(source)
    summary = gx_pandas.main(path, tmp_path / "gx")
    handwritten_polars.main(path, tmp_path / "handwritten")
    clean, quarantine = _read(tmp_path / "gx")
    expected_clean, expected_quarantine = _read(tmp_path / "handwritten")
    assert clean.equals(expected_clean)
    assert quarantine.equals(expected_quarantine)
    assert summary == json.loads((tmp_path / "handwritten" / "summary.json").read_text())
    if source == "edge_csv":
        assert _reasons_by_row(quarantine) == EDGE_REASONS


@pytest.mark.parametrize(
    "baseline", [handwritten_duckdb, handwritten_pandas], ids=["duckdb", "pandas"]
)
@pytest.mark.parametrize("source", ["orders_csv", "edge_csv"])
def test_engine_baselines_write_what_the_polars_one_writes(
    baseline: Any, source: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """The DuckDB SQL and pandas programs written by hand split the rows alike, with the same
    reasons in the same order and the same values (PySpark's is checked by `bench.run`'s
    output fingerprints: a Spark session costs too much here)."""
    path: Path = request.getfixturevalue(source)
    summary = baseline.main(path, tmp_path / "engine")
    handwritten_polars.main(path, tmp_path / "polars")
    clean, quarantine = _read(tmp_path / "engine")
    expected_clean, expected_quarantine = _read(tmp_path / "polars")
    assert clean.cast(expected_clean.schema).equals(expected_clean)  # ns vs us timestamps
    assert quarantine.equals(expected_quarantine)
    assert summary == json.loads((tmp_path / "polars" / "summary.json").read_text())
    assert run.output_fingerprint(tmp_path / "engine") == run.output_fingerprint(
        tmp_path / "polars"
    )


@pytest.mark.dask
def test_dask_baseline_writes_what_the_polars_one_writes(edge_csv: Path, tmp_path: Path) -> None:
    """The Dask program written by hand splits the rows alike, with the same reasons and
    values, in folders of parts in another row order (its shuffles move rows)."""
    from bench import handwritten_dask  # imports Dask: only in the dask lane

    summary = handwritten_dask.main(edge_csv, tmp_path / "dask")
    handwritten_polars.main(edge_csv, tmp_path / "polars")
    expected_clean, expected_quarantine = _read(tmp_path / "polars")
    clean, quarantine = (
        pl.read_parquet(tmp_path / "dask" / name / "*.parquet").sort(ROW)
        for name in ("clean.parquet", "quarantine.parquet")
    )
    assert clean.cast(expected_clean.schema).equals(expected_clean)  # ms vs us timestamps
    assert quarantine.equals(expected_quarantine)
    assert _reasons_by_row(quarantine) == EDGE_REASONS
    assert summary == json.loads((tmp_path / "polars" / "summary.json").read_text())
    assert run.output_fingerprint(tmp_path / "dask") == run.output_fingerprint(tmp_path / "polars")
    assert run.BASELINE_OF["rowsift --engine dask"] == "hand-written Dask"


def test_gx_is_a_default_contender_and_reported() -> None:
    """A plain `python -m bench.run` runs GX; its ratio to rowsift and its counts are reported."""
    assert run.GX in run.DEFAULT
    assert run.SLUGS[run.GX] == "gx"
    assert run.CONTENDERS[run.GX](Path("in.csv"), Path("out"))[-3:] == [
        "bench.gx_pandas",
        "in.csv",
        "out",
    ]

    def result(name: str, wall: float, quarantined: int) -> run.Result:
        measurement = run.Measurement(wall, wall, 100.0, 0, 0.0)
        return run.Result(name, [], [measurement], 900, quarantined)

    results = [
        result("rowsift", 2.0, 100),
        result(run.BASELINE, 2.0, 100),
        result(run.GX, 10.0, 99),
    ]
    assert "INFO  rowsift vs Great Expectations: 5.00× faster" in "\n".join(run.verdicts(results))
    (warning,) = run.agreement(results)
    assert warning.startswith(f"WARNING: {run.GX} and {run.BASELINE} disagree")
    assert run.GX in run.markdown_table(results)


def _rowsift() -> str:
    beside = Path(sys.executable).parent / "rowsift"
    found = str(beside) if beside.exists() else shutil.which("rowsift")
    assert found is not None, "the rowsift command is not installed in this environment"
    return found


def _rowsift_run(
    source: Path, out: Path, *, exit_code: int
) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, Any]]:
    """`rowsift run RECIPE INPUT --out DIR --quiet`, exactly as the benchmark runs it."""
    completed = subprocess.run(
        [_rowsift(), "run", str(run.RECIPE), str(source), "--out", str(out), "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == exit_code, completed.stdout + completed.stderr
    clean, quarantine = _read(out)
    return clean, quarantine, json.loads((out / "summary.json").read_text())


@pytest.mark.parametrize(
    ("source", "exit_code"),
    [
        ("orders_csv", 0),
        ("edge_csv", 1),  # 5 of 7 rows quarantined: the quarantine_rate rule fails the run
    ],
)
def test_rowsift_agrees_with_handwritten(
    source: str, exit_code: int, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """`rowsift run` gives the same clean rows, quarantined rows and reasons."""
    path: Path = request.getfixturevalue(source)
    clean, quarantine, summary = _rowsift_run(path, tmp_path / "rowsift", exit_code=exit_code)
    handwritten_polars.main(path, tmp_path / "handwritten")
    expected_clean, expected_quarantine = _read(tmp_path / "handwritten")

    assert sorted(clean[ROW].to_list()) == expected_clean[ROW].to_list()
    assert sorted(quarantine[ROW].to_list()) == expected_quarantine[ROW].to_list()
    assert (summary["rows_clean"], summary["rows_quarantined"]) == (
        expected_clean.height,
        expected_quarantine.height,
    )
    assert clean.select(expected_clean.columns).sort(ROW).equals(expected_clean)
    assert _reasons_by_row(quarantine) == _reasons_by_row(expected_quarantine)


def test_heldout_halves_partition_the_table_at_random_or_in_its_order() -> None:
    from bench.suggest.heldout import halves

    frame = pl.DataFrame({"n": list(range(11))})
    first, second, positions = halves(frame, 3)
    assert sorted(first["n"].to_list() + second["n"].to_list()) == list(range(11))
    assert second["n"].to_list() == positions
    assert first["n"].to_list() != list(range(5))  # a seeded draw, not the table's head
    earlier, later, positions = halves(frame, 3, ordered=True)
    assert earlier["n"].to_list() == list(range(5))
    assert later["n"].to_list() == positions == list(range(5, 11))
