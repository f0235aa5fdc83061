"""The demo recipe's exported program and SQL, compared with golden files: what a reviewer
reads, kept in the repository, and any change to the generated text shows in a diff.

The recipe's sha256 is written as a placeholder in the golden files (it changes with any change
of the recipe model, which is not a change of the generated code); the test checks that the real
one is in the export. Set ROWSIFT_UPDATE_GOLDEN=1 to rewrite them after a deliberate change,
and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import rowsift
from rowsift.demo import orders_recipe_path
from rowsift.engine import compile_recipe
from rowsift.export import export_recipe

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize(
    ("target", "name"),
    [
        ("polars", "orders_clean.py.golden"),
        ("pandas", "orders_clean_pandas.py.golden"),
        ("pyspark", "orders_clean_pyspark.py.golden"),
        ("duckdb-sql", "orders_clean.sql"),
    ],
)
def test_the_demo_export_is_the_golden_file(target: str, name: str) -> None:
    recipe = rowsift.load_recipe(orders_recipe_path())
    fingerprint = compile_recipe(recipe).recipe_fingerprint
    written = export_recipe(recipe, to=target)
    assert f"sha256 of the recipe: {fingerprint}" in written
    text = written.replace(fingerprint, "<sha256 of the recipe>")
    path = GOLDEN / name
    if os.environ.get("ROWSIFT_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"the export differs from {path}"
