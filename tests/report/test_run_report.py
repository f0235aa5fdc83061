"""The run report: rendered from summary.json and details.json alone, escaped, self-contained."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from hostile_runs import HostileRun
from report_payloads import PAYLOADS, assert_inert

import rowsift
from rowsift.demo import orders_csv_path, orders_recipe_path
from rowsift.exceptions import InputError
from rowsift.report import render_run_report, write_run_report
from rowsift.report.details import completed_details


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "out"
    rowsift.run_file(orders_recipe_path(), orders_csv_path(), out, monitor=False)
    return out


def test_the_run_records_what_its_report_needs(demo_run: Path) -> None:
    """The run keeps examples and rule columns; the clean output's profile is measured by the
    first report (a run without a store leaves it null) and kept in details.json."""
    recorded = json.loads((demo_run / "details.json").read_text())
    assert (recorded["types"]["amount"], recorded["output_format"]) == ("decimal", "parquet")
    details = completed_details(demo_run)
    assert details is not None
    assert json.loads((demo_run / "details.json").read_text()) == details
    summary = json.loads((demo_run / "summary.json").read_text())
    assert set(details["profile"]["columns"]) >= {"order_id", "amount", "status"}
    amount = details["profile"]["columns"]["amount"]
    assert amount["kind"] == "numeric"
    assert len(amount["quantiles"]) == 21
    assert sum(amount["histogram"]["counts"]) == summary["rows_clean"] - amount["nulls"]
    reasons = details["examples"]["reasons"]
    assert set(reasons) == {rule for rule, n in summary["failures"].items() if n} - {
        rule["id"] for rule in summary["rules"] if rule["severity"] == "warn"
    }
    assert all(entry["rows"] == summary["failures"][rule] for rule, entry in reasons.items())
    example = reasons["amount.type"]["examples"][0]
    assert reasons["amount.type"]["blamed"] == ["amount"]
    assert "amount.type" in example["reasons"]
    assert example["line"] == example["row"] + 2
    assert details["rule_columns"]["order_id.unique"] == ["order_id"]
    assert summary["durations_s"]["details"] >= 0


def test_estimated_distinct_counts_are_shown_as_estimates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch too large for exact distinct counts says in details.json that they are
    estimates, and the report shows them with "≈"."""
    from rowsift.monitor import _polars_measure

    monkeypatch.setattr(_polars_measure, "EXACT_DISTINCT_ROWS", 0)
    out = tmp_path / "out"
    rowsift.run_file(orders_recipe_path(), orders_csv_path(), out, monitor=False)
    html = render_run_report(out)
    profile = json.loads((out / "details.json").read_text())["profile"]["columns"]
    estimated = {name for name, column in profile.items() if column.get("distinct_estimated")}
    # a categorical column counts its values for its top values: its count is exact
    assert estimated == {
        name
        for name, column in profile.items()
        if column.get("distinct") is not None and column["kind"] != "categorical"
    }
    assert "order_id" in estimated
    assert html.count('">≈ ') == len(estimated)


def test_a_report_never_reads_the_data_again(demo_run: Path, tmp_path: Path) -> None:
    """Once a report has measured the clean output, only summary.json and details.json are
    read: the outputs can be gone."""
    first = render_run_report(demo_run)
    copy = tmp_path / "run"
    copy.mkdir()
    for name in ("summary.json", "details.json"):
        shutil.copy(demo_run / name, copy / name)
    html = render_run_report(copy)
    assert html.replace(str(copy), "X") == first.replace(str(demo_run), "X")
    assert 'id="profile"' in html


def test_a_report_whose_clean_output_is_gone_says_so(tmp_path: Path) -> None:
    """A run leaves the profile to its first report; if the clean output is gone by then, the
    report shows everything else and says why the profile is missing."""
    out = tmp_path / "out"
    rowsift.run_file(orders_recipe_path(), orders_csv_path(), out, monitor=False)
    assert json.loads((out / "details.json").read_text())["profile"] is None
    (out / "clean.parquet").unlink()
    html = render_run_report(out)
    assert "the clean output clean.parquet is gone" in html
    assert 'id="quarantine"' in html
    assert json.loads((out / "details.json").read_text())["profile"] is None


def test_the_first_report_measures_once_and_keeps_it(tmp_path: Path) -> None:
    """The profile a report measured is the one the next report shows, without measuring."""
    out = tmp_path / "out"
    rowsift.run_file(orders_recipe_path(), orders_csv_path(), out, monitor=False)
    first = render_run_report(out)
    kept = json.loads((out / "details.json").read_text())
    assert kept["profile"]["rows"] == json.loads((out / "summary.json").read_text())["rows_clean"]
    assert kept["durations_s"]["profile"] >= 0
    (out / "clean.parquet").unlink()
    assert render_run_report(out) == first


def test_the_report_shows_every_section(demo_run: Path) -> None:
    html = render_run_report(demo_run)
    summary = json.loads((demo_run / "summary.json").read_text())
    for section in ("rules", "quarantine", "repairs", "profile", "dataset", "provenance"):
        assert f'id="{section}"' in html
    assert f'<b id="rows-in">{summary["rows_in"]:,}</b>' in html
    assert 'id="verdict">WARN<' in html  # a status in words, not only colour
    repaired = summary["repairs"]["columns"]
    assert repaired, "the demo recipe has transforms"
    for column, counts in repaired.items():
        for key, changed in counts.items():
            assert f'<td>{column}</td><td>{key}</td><td class="num" data-sort="{changed}">' in html
    assert summary["recipe"]["sha256"] in html
    assert summary["input"]["sha256"] in html
    assert html.count('<td class="blamed') >= 13  # a marked cell per reason at least
    assert re.search(r"<svg role=\"img\" aria-labelledby=\"c\d+\"", html)
    assert "http://" not in html
    assert "https://" not in html
    assert_inert(html)


def test_hostile_names_and_values_come_out_as_text(hostile_run: HostileRun) -> None:
    html = write_run_report(hostile_run.out).read_text()
    assert_inert(html)
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "{{7*7}}" in html
    assert "\\u202e" in html
    details = json.loads((hostile_run.out / "details.json").read_text())
    assert details["drift"]["findings"], "the last batch was compared with its baseline"
    assert 'id="drift"' in html
    assert "baseline" in html
    assert set(PAYLOADS) <= set(details["columns"])
    data = re.search(r'<script type="application/json" id="rowsift-data">(.*?)</script>', html)
    assert data is not None
    assert "<" not in data.group(1)
    assert json.loads(data.group(1))["recipe"] == PAYLOADS[0]


def test_a_folder_that_is_not_a_run_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no summary\.json"):
        render_run_report(tmp_path)
    (tmp_path / "summary.json").write_text("[1]")
    with pytest.raises(InputError, match="not a rowsift run summary"):
        render_run_report(tmp_path)


def test_a_run_without_details_still_has_a_report(demo_run: Path, tmp_path: Path) -> None:
    shutil.copy(demo_run / "summary.json", tmp_path / "summary.json")
    html = render_run_report(tmp_path)
    assert "recorded no details.json" in html
    assert 'id="verdict">WARN<' in html


def test_the_explorer_shares_its_example_rows_among_many_reasons() -> None:
    """However many rules fail, the page shows about 2,000 example rows (at least 5 each)."""
    from rowsift.report.run_page import EXAMPLES_MIN, EXAMPLES_SHOWN, page_from

    def reasons(count: int) -> dict[str, object]:
        example = {"row": 1, "line": 2, "reasons": ["r"], "values": ["x"]}
        return {
            f"c{k}.rule": {
                "rows": 40,
                "columns": ["c"],
                "blamed": ["c"],
                "examples": [example] * 20,
            }
            for k in range(count)
        }

    summary = {"rows_in": 1000, "rows_clean": 0, "rows_quarantined": 1000, "status": "fail"}
    for count, each in ((10, 20), (250, 8), (1000, EXAMPLES_MIN)):
        page = page_from(summary, {"examples": {"reasons": reasons(count)}}, source="x")
        assert {len(reason["examples"]) for reason in page["reasons"]} == {each}
        assert count * each <= max(EXAMPLES_SHOWN, count * EXAMPLES_MIN)
