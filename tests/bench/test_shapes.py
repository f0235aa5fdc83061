"""The table shapes of the benchmark: each generator is seeded, each recipe's every rule fails
somewhere, and rowsift and the shape's hand-written Polars program write the same outputs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from bench.shapes import SHAPES, generate, handwritten, recipe_path
from polars.testing import assert_frame_equal

from bench import run

ROWS = 3_000
ROW = "_rowsift_row"
LINE = "_rowsift_line"
REASONS = "_rowsift_reasons"


def _rowsift() -> str:
    beside = Path(sys.executable).parent / "rowsift"
    found = str(beside) if beside.exists() else shutil.which("rowsift")
    assert found is not None, "the rowsift command is not installed in this environment"
    return found


def _outputs(out: Path, columns: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    clean = pl.read_parquet(out / "clean.parquet")
    quarantine = pl.read_parquet(out / "quarantine.parquet")
    return (
        clean.select(ROW, LINE, *columns).sort(ROW),
        quarantine.select(ROW, LINE, *columns, REASONS).sort(ROW),
    )


@pytest.mark.parametrize("shape", SHAPES)
def test_rowsift_and_the_handwritten_program_write_the_same_outputs(
    shape: str, tmp_path: Path
) -> None:
    source = generate.write(shape, ROWS, tmp_path / f"{shape}.csv", seed=3)
    argv = [_rowsift(), "run", str(recipe_path(shape)), str(source), "--out"]
    completed = subprocess.run(
        [*argv, str(tmp_path / "rowsift"), "--quiet"], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    summary = handwritten.main(shape, source, tmp_path / "handwritten")
    columns = handwritten.SHAPES[shape]().columns
    clean, quarantine = _outputs(tmp_path / "rowsift", columns)
    expected_clean, expected_quarantine = _outputs(tmp_path / "handwritten", columns)
    # typed values, row and line numbers; values as read and reasons, in order
    assert_frame_equal(clean, expected_clean)
    assert_frame_equal(quarantine, expected_quarantine)
    assert summary == {
        "rows_in": ROWS,
        "rows_clean": clean.height,
        "rows_quarantined": quarantine.height,
    }
    # every rule of the recipe fails somewhere, but most rows are clean
    assert set(quarantine[REASONS].explode()) == set(handwritten.SHAPES[shape]().rules)
    assert quarantine.height < ROWS * 0.2


def test_the_multiline_shape_has_records_over_several_lines(tmp_path: Path) -> None:
    source = generate.write("multiline", ROWS, tmp_path / "m.csv", seed=3)
    notes = pl.read_csv(source, infer_schema=False)["notes"]
    assert notes.str.contains("\n").mean() > 0.05  # type: ignore[operator]
    handwritten.main("multiline", source, tmp_path / "out")
    clean = pl.read_parquet(tmp_path / "out" / "clean.parquet")
    assert (clean[LINE] > clean[ROW] + 2).any()


def test_a_generator_is_seeded(tmp_path: Path) -> None:
    first = generate.write("rowsets", 500, tmp_path / "a.csv", seed=1).read_bytes()
    assert first == generate.write("rowsets", 500, tmp_path / "b.csv", seed=1).read_bytes()
    assert first != generate.write("rowsets", 500, tmp_path / "c.csv", seed=2).read_bytes()


def test_bench_run_measures_a_shape(tmp_path: Path) -> None:
    report = run.run(
        500,
        repeat=1,
        seed=5,
        warmup=False,
        contenders=["rowsift", run.BASELINE],
        scratch=tmp_path,
        shape="narrow",
    )
    results = report["results"]
    assert isinstance(results, list)
    assert [result["ok"] for result in results] == [True, True]
    assert results[0]["outputs_fingerprint"] == results[1]["outputs_fingerprint"]
    assert report["shape"] == "narrow"
