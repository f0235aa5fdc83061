"""The size budget: a report of a 500-column run stays within 2 MB."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

import rowsift
from rowsift.report import render_run_report

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.report.size_speed import wide_table  # noqa: E402

BUDGET = 2_000_000


def test_a_500_column_report_is_within_2_mb(tmp_path: Path) -> None:
    source = tmp_path / "wide.csv"
    recipe = tmp_path / "wide.recipe.yaml"
    recipe.write_text(yaml.safe_dump(wide_table(source, rows=600, columns=500)))
    summary = rowsift.run_file(recipe, source, tmp_path / "out", monitor=False)
    assert summary.rows_quarantined > 0
    html = render_run_report(tmp_path / "out")
    assert len(html.encode()) <= BUDGET
    assert html.count("<tr>") >= 500  # every column is profiled, every rule listed
