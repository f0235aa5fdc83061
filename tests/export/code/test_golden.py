"""The demo recipe's exported program and SQL, compared with golden files: what a reviewer
reads, kept in the repository, and any change to the generated text shows in a diff.

Set ROWSIFT_UPDATE_GOLDEN=1 to rewrite them after a deliberate change, and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import rowsift
from rowsift.demo import orders_recipe_path
from rowsift.export import export_recipe

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize(
    ("target", "name"),
    [("polars", "orders_clean.py.golden"), ("duckdb-sql", "orders_clean.sql")],
)
def test_the_demo_export_is_the_golden_file(target: str, name: str) -> None:
    text = export_recipe(rowsift.load_recipe(orders_recipe_path()), to=target)
    path = GOLDEN / name
    if os.environ.get("ROWSIFT_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"the export differs from {path}"
