"""`--to pandas`: the program gives rowsift's answer on every conformance case and the demo."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from tests.conformance.test_cases import CASES, Case
from tests.export.code.exactness import (
    STANDARD_LIBRARY,
    assert_refused,
    compare,
    imported_modules,
    load_program,
    refused_kinds,
    same_frames,
)
from tests.export.code.test_polars import recipe_of

import rowsift
from rowsift.demo import orders_csv_path, orders_recipe_path
from rowsift.export import export_recipe
from rowsift.export.code.pandas import LIBRARIES


@pytest.fixture(scope="module")
def programs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pandas-programs")


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_program_gives_rowsifts_answer(case: Case, programs: Path) -> None:
    recipe = recipe_of(case)
    refused = refused_kinds(recipe, "pandas")
    if refused:  # documented in docs/export.md: refused by name, never written wrongly
        assert_refused(recipe, "pandas", refused)
        return
    source = export_recipe(recipe, to="pandas")
    assert imported_modules(source) <= set(LIBRARIES) | STANDARD_LIBRARY
    program = load_program(source, programs, case.name)
    compare(recipe, case.table, program, what=case.name, target="pandas")


def test_the_demo_program_writes_rowsifts_files(tmp_path: Path) -> None:
    """The whole program, run as a command on the bundled demo, writes the files
    `rowsift run` writes, equal column for column."""
    recipe = rowsift.load_recipe(orders_recipe_path())
    program = tmp_path / "orders_clean.py"
    program.write_text(export_recipe(recipe, to="pandas"), encoding="utf-8")
    ran = subprocess.run(
        [sys.executable, str(program), str(orders_csv_path()), str(tmp_path / "program")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    assert "3000 rows: 2748 clean, 252 quarantined" in ran.stdout
    rowsift.run_file(recipe, orders_csv_path(), tmp_path / "rowsift", monitor=False)
    for name in ("clean", "quarantine"):
        mine = pl.read_parquet(tmp_path / "program" / f"{name}.parquet")
        theirs = pl.read_parquet(tmp_path / "rowsift" / f"{name}.parquet")
        same_frames(mine, theirs, name)


def test_the_demo_program_has_no_likely_bug(tmp_path: Path) -> None:
    """ruff finds no unused name, undefined name, unsorted import or likely bug in it (its
    layout is not exactly ruff's: the repair functions are laid out by rowsift's writer)."""
    program = tmp_path / "orders_clean.py"
    program.write_text(
        export_recipe(rowsift.load_recipe(orders_recipe_path()), to="pandas"), encoding="utf-8"
    )
    command = ["check", "--isolated", "--select", "F,E9,B,I", "--target-version", "py311"]
    ran = subprocess.run(
        [sys.executable, "-m", "ruff", *command, str(program)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr


def test_bounds_beyond_64_bits_judge_as_rowsift(tmp_path: Path) -> None:
    """pandas cannot compare a 64-bit column with a whole number beyond 64 bits (suggest
    writes such bounds for columns of large counts): every 64-bit value has one outcome."""
    huge = 72000000000000003087007744
    recipe = rowsift.load_recipe_text(
        "version: 1\ncolumns:\n"
        f"  wide: {{type: int, rules: [{{between: {{min: {-huge}, max: {huge}}}}}]}}\n"
        f"  above: {{type: int, rules: [{{between: {{min: {huge}}}}}]}}\n"
        f"  below: {{type: int, rules: [{{between: {{max: {-huge}, severity: warn}}}}]}}\n"
    )
    program = load_program(export_recipe(recipe, to="pandas"), tmp_path, "bounds")
    values: list[str | None] = ["1", "-9223372036854775808", "9223372036854775807", None, "x"]
    table = {"wide": values, "above": values, "below": values}
    compare(recipe, table, program, what="bounds beyond 64 bits", target="pandas")


def test_an_unusable_input_is_exit_code_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As `rowsift run`: a file that is missing, empty or lacks a required column."""
    recipe = rowsift.load_recipe_text(
        "version: 1\nsource: {format: csv, delimiter: ','}\ncolumns: {a: {}}"
    )
    program = load_program(export_recipe(recipe, to="pandas"), tmp_path, "unusable")
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "other.csv").write_bytes(b"b\n1\n")
    for name in ("missing.csv", "empty.csv", "other.csv"):
        assert program["main"]([str(tmp_path / name), str(tmp_path / "out")]) == 3, name
        assert f"error: {tmp_path / name}" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
