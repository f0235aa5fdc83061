"""Terminal output of the commands, compared with golden files.

Set ROWSIFT_UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate change, and review
the diff like code.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from rowsift.demo import orders_csv_path, orders_recipe_path

GOLDEN = Path(__file__).parent / "golden"


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("ROWSIFT_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"output differs from {path}"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copyfile(orders_csv_path(), tmp_path / "orders.csv")
    shutil.copyfile(orders_recipe_path(), tmp_path / "orders.recipe.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_run_output(cli: Callable, workdir: Path) -> None:
    result = cli("run", "orders.recipe.yaml", "orders.csv", "--out", "out")
    assert result.code == 0
    check_golden("run_orders.txt", result.stdout)


def test_explain_output(cli: Callable, workdir: Path) -> None:
    result = cli("explain", "orders.recipe.yaml")
    assert result.code == 0
    check_golden("explain_orders.txt", result.stdout)


def test_recipe_error_output(cli: Callable, workdir: Path) -> None:
    (workdir / "broken.yaml").write_text(
        "version: 1\n"
        "columns:\n"
        "  amount:\n"
        "    type: flaot\n"
        "    rules:\n"
        "      - between: {min: 0, maximum: 10}\n"
        "      - matches: '(?=x)'\n"
    )
    result = cli("check", "broken.yaml")
    assert result.code == 2
    check_golden("check_broken.txt", result.stderr)


def test_check_counts_what_a_valid_recipe_holds(cli: Callable, workdir: Path) -> None:
    assert cli("check", "orders.recipe.yaml").stdout == (
        "ok: orders.recipe.yaml is a valid recipe: 8 columns, 19 row rules, 4 dataset rules\n"
    )
    (workdir / "one.yaml").write_text(
        "version: 1\ncolumns:\n  a: {rules: [not_null]}\ndataset:\n  - row_count: {min: 1}\n"
    )
    assert cli("check", "one.yaml").stdout == (
        "ok: one.yaml is a valid recipe: 1 column, 1 row rule, 1 dataset rule\n"
    )
