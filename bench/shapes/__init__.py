"""Table shapes beside the orders file: multi-line text, wide, narrow, many row-set rules.

Issue 16 is judged on tables of several shapes, each run by rowsift and by a hand-written Polars
program writing the same outputs. Each shape here is a seeded generator (`generate.py`), a
recipe (`<shape>.recipe.yaml`) and its hand-written program (`handwritten.py`); `bench.run
--shape NAME` measures them like the orders file.

- **multiline**: clinic visits with a free-text `notes` column; 7% of records hold a quoted line
  break, so `_rowsift_line` is not the row number plus 2.
- **wide**: 40 columns (ten each of integers, decimals, codes and categories), one or two rules
  each.
- **narrow**: two columns, an integer id (unique) and a decimal.
- **rowsets**: eight columns judged by seven row-set rules: a unique column, three functional
  dependencies (`determined_by`), two `duplicate` rules and a compound `unique`.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
SHAPES = ("multiline", "wide", "narrow", "rowsets")


def recipe_path(shape: str) -> Path:
    """The recipe rowsift runs on a file of this shape."""
    return HERE / f"{shape}.recipe.yaml"
