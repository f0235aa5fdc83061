"""A suggested recipe run on the very table it was learned from passes its own dataset rules,
whatever the reader could not split."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest


def _aligned_with_notes(rows: int) -> str:
    lines = ["     MONTHLY MEANS", "=" * 30, "Year   Jan    Feb    Mar", "-" * 30]
    lines += [
        f"{1749 + i}  {50 + i % 40:5.1f}  {60 + i % 30:5.1f}  {70 - i % 20:5.1f}"
        for i in range(rows)
    ]
    lines += ["-" * 30, "", "Note:  Data are preliminary after 1790."]
    return "\n".join(lines) + "\n"


def _ragged_csv(rows: int) -> str:
    lines = ["id,amount,kind"]
    lines += [f"{i},{10 + i % 7}.5,{'ab'[i % 2]}" for i in range(rows)]
    lines[10] = "10,11.5"  # a field short
    lines[20] = "20,12.5,a,extra,more"  # fields too many
    return "\n".join(lines) + "\n"


PROSE = """To do

* make groupstats into a class with additional functions for easy access
  use bincount but loop over 2d, or maybe two versions
  similar to groupbys
* a class GroupStats, with label data
  attributes on demand: mean, var, callback
  does var need a bias option? yes
"""


@pytest.mark.parametrize(
    ("name", "text", "delimiter"),
    [
        ("sunspots.dat", _aligned_with_notes(60), "whitespace"),
        ("ragged.csv", _ragged_csv(60), "','"),
        ("TODO.txt", PROSE, None),
        # a column Polars would read as a pattern, in a file read record by record
        ("star.csv", _ragged_csv(60).replace("id,amount", "*,amount", 1), "','"),
    ],
)
def test_a_recipe_passes_on_its_own_table(
    cli: Callable, tmp_path: Path, name: str, text: str, delimiter: str | None
) -> None:
    table = tmp_path / name
    table.write_text(text)
    recipe = tmp_path / "recipe.yaml"
    assert cli("suggest", str(table), "-o", str(recipe)).code == 0
    if delimiter is not None:
        assert f"delimiter: {delimiter}" in recipe.read_text()
    result = cli("run", str(recipe), str(table), "--out", str(tmp_path / "out"), "--quiet")
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["rows_quarantined"] > 0  # the lines the reader could not split
    assert all(rule["passed"] for rule in summary["dataset"]), summary["dataset"]
    # however much of its own table fails, the budget bounds a worse batch
    budget = next(d for d in summary["dataset"] if d["id"] == "dataset.quarantine_rate")
    assert summary["rows_quarantined"] / summary["rows_in"] <= budget["bounds"]["max"] < 1
    assert result.code == 0


@pytest.mark.parametrize(
    ("name", "text"),
    [("none.json", "[]"), ("empty-objects.json", "[{}, {}]")],
)
def test_a_table_without_columns_is_a_clear_error(
    cli: Callable, tmp_path: Path, name: str, text: str
) -> None:
    """A JSON document of no records, or of empty objects, has nothing to profile: profile and
    suggest say so, naming the file, with the input error's exit code."""
    table = tmp_path / name
    table.write_text(text)
    for args in (["profile", str(table)], ["suggest", str(table), "-o", str(tmp_path / "r.yaml")]):
        result = cli(*args)
        assert result.code == 3
        assert f"{name}: the table has no columns" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "r.yaml").exists()


def test_a_binary_file_is_no_table(cli: Callable, tmp_path: Path) -> None:
    """A pickle (here gzipped) holds no table: profile says so, naming the file. Text that
    uses control characters (a line of NULs, Hive's \\x01 between fields) is still text."""
    import gzip
    import pickle

    binary = tmp_path / "model.pkl.gz"
    binary.write_bytes(gzip.compress(pickle.dumps({"weights": list(range(200)), "name": "m"})))
    result = cli("profile", str(binary))
    assert result.code == 3
    assert "model.pkl.gz: the file is binary, not text" in result.stderr
    nul_line = tmp_path / "nul.csv"
    nul_line.write_bytes(b"a,b\n1,2\n\x00\x00\x00\n3,4\n")
    hive = tmp_path / "hive.txt"
    hive.write_bytes(b"".join(b"%d\x01x\x01y\n" % i for i in range(200)))
    for text in (nul_line, hive):
        assert cli("profile", str(text)).code == 0
