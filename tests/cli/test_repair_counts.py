"""`rowsift run --engine …` counts in summary.json the rows each transform changed."""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.cli.conftest import Outcome

RECIPE = """\
version: 1
columns:
  name: {transforms: [strip, upper, strip, {null_tokens: [NA]}], rules: [not_null]}
  code: {type: int, transforms: [{fill_null: '0'}]}
"""


def by_hand(names: list[str | None], codes: list[str | None]) -> dict[str, dict[str, int]]:
    """The same chains applied in Python, one value at a time, counting what each changed."""
    steps: list[tuple[str, Callable[[str | None], str | None]]] = [
        ("strip#1", lambda v: None if v is None else v.strip(" ")),
        ("upper", lambda v: None if v is None else v.upper()),
        ("strip#2", lambda v: None if v is None else v.strip(" ")),
        ("null_tokens", lambda v: None if v == "NA" else v),
    ]
    counts: dict[str, int] = {}
    values = names
    for key, step in steps:
        after = [step(value) for value in values]
        counts[key] = sum(a != b for a, b in zip(values, after, strict=True))
        values = after
    return {"name": counts, "code": {"fill_null": sum(code is None for code in codes)}}


@pytest.mark.parametrize("engine", ["polars", "pandas", "duckdb"])
def test_summary_counts_each_transform_s_repairs(
    engine: str, cli: Callable[..., Outcome], tmp_path: Path
) -> None:
    rng = random.Random(11)
    names = [
        rng.choice([None, "ab", " ab", "AB ", "na", "NA", " NA", "é x", "x"]) for _ in range(300)
    ]
    codes = [rng.choice([None, "1", "12", "x"]) for _ in range(300)]
    source = tmp_path / "in.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "code"])
        writer.writerows(
            zip(
                ["" if v is None else v for v in names],
                ["" if v is None else v for v in codes],
                strict=True,
            )
        )
    recipe = tmp_path / "recipe.yaml"
    recipe.write_text(RECIPE, encoding="utf-8")
    out = tmp_path / "out"
    outcome = cli("run", str(recipe), str(source), "--out", str(out), "--engine", engine, "-q")
    assert outcome.code == 0, outcome.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    expected = by_hand(names, codes)
    assert summary["repairs"]["columns"] == expected
    assert summary["repairs"]["total"] == sum(sum(c.values()) for c in expected.values())
    assert summary["rows_quarantined"] > 0, "quarantined rows are counted too"
