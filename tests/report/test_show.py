"""`rowsift show`, `rowsift report` and `run --report` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hostile_runs import HostileRun
from report_payloads import PAYLOADS
from typer.testing import CliRunner

import rowsift._cli.console  # noqa: F401 - made before COLUMNS is set, so it reads it per call
from rowsift._cli.app import app
from rowsift.demo import orders_csv_path, orders_recipe_path


def invoke(*args: str | Path, width: int = 200) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        app, [str(a) for a in args], env={"COLUMNS": str(width), "NO_COLOR": "1"}
    )
    return result.exit_code, result.stdout, result.stderr


def test_run_report_writes_the_report_with_the_outputs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stdout, _ = invoke(
        "run", orders_recipe_path(), orders_csv_path(), "--out", out, "--report"
    )
    assert code == 0
    assert (out / "report.html").is_file()
    assert "report.html" in stdout


def test_show_prints_the_rows_of_a_reason_with_the_cell_marked(tmp_path: Path) -> None:
    out = tmp_path / "out"
    invoke("run", orders_recipe_path(), orders_csv_path(), "--out", out)
    code, stdout, _ = invoke("show", out, "--reason", "amount.type", "--limit", "2")
    assert code == 0
    assert "amount.type: 21 rows (first 2)" in stdout
    assert "✗ 2481.13 EUR" in stdout  # the value as it was read, marked
    code, stdout, _ = invoke("show", out, "--json", "-n", "1")
    shown = json.loads(stdout)["reasons"]
    assert {g["reason"] for g in shown} >= {"amount.type", "row.duplicate"}
    assert all(len(g["examples"]) == 1 for g in shown)


def test_show_refuses_an_unknown_reason_with_the_known_ones(tmp_path: Path) -> None:
    out = tmp_path / "out"
    invoke("run", orders_recipe_path(), orders_csv_path(), "--out", out)
    code, _, stderr = invoke("show", out, "--reason", "amount.typo")
    assert code == 2
    assert "amount.type" in stderr
    assert "Traceback" not in stderr


@pytest.mark.parametrize(
    ("item", "reason", "rows", "hint"),
    [
        ("{}", "row.joined", 1, "read_table"),  # `5" pipe` read back, flagged
        ("{rules: [{length: {max: 3, severity: warn}}]}", "item.length", 2, "severity: error"),
    ],
)
def test_show_says_a_warn_rule_keeps_its_rows_in_the_clean_output(
    tmp_path: Path, item: str, reason: str, rows: int, hint: str
) -> None:
    """A warn-severity rule quarantines nothing: `show` says where its rows are and how to list
    them, rather than that nothing failed."""
    data = tmp_path / "pipes.csv"
    data.write_text('id,item\n1,5" pipe\n2,cap\n3,"elbow, 90"\n')
    recipe = tmp_path / "pipes.yaml"
    recipe.write_text(f"version: 1\ncolumns:\n  id: {{type: int}}\n  item: {item}\n")
    out = tmp_path / "out"
    assert invoke("run", recipe, data, "--out", out)[0] == 0
    code, _, stderr = invoke("show", out, "--reason", reason)
    assert code == 2
    assert f"a warn-severity rule, the {rows} rows it failed stay in the clean output" in stderr
    assert hint in stderr
    assert "Traceback" not in stderr


def test_show_prints_hostile_values_as_text(hostile_run: HostileRun) -> None:
    code, stdout, stderr = invoke("show", hostile_run.out, "-n", "3", width=2000)
    assert code == 0, stderr
    assert "<script>window.__pwned=1</script>" in stdout  # text, not markup: shown whole
    assert "\u202e" not in stdout
    assert "\\u202e" in stdout
    assert "{{7*7}}" in stdout
    assert PAYLOADS[5] in stdout


def test_report_of_a_folder_that_is_no_run_exits_3(tmp_path: Path) -> None:
    code, _, stderr = invoke("report", tmp_path)
    assert code == 3
    assert "no summary.json" in stderr


def test_report_writes_a_static_history_page(hostile_run: HostileRun, tmp_path: Path) -> None:
    target = tmp_path / "history.html"
    code, _, stderr = invoke(
        "report", "--store", hostile_run.store, "--dataset", hostile_run.dataset, "-o", target
    )
    assert code == 0, stderr
    html = target.read_text()
    assert "Drift heatmap" in html
    assert 'href="/run/' not in html
    code, _, stderr = invoke("report", "--store", hostile_run.store, "--dataset", "nope")
    assert code == 2
    assert "known datasets" in stderr


def test_show_fits_a_wide_table_to_the_terminal(tmp_path: Path) -> None:
    names = [f"measurement_{i}" for i in range(30)]
    rows = [[str(r * 100 + i) for i in range(30)] for r in range(5)]
    rows[2][7] = "seven"
    source = tmp_path / "wide.csv"
    source.write_text("\n".join(",".join(row) for row in [names, *rows]) + "\n")
    recipe = tmp_path / "wide.yaml"
    recipe.write_text("version: 1\ncolumns:\n  measurement_7: {type: int}\n")
    out = tmp_path / "out"
    assert invoke("run", recipe, source, "--out", out)[0] == 0
    code, stdout, stderr = invoke("show", out, width=100)
    assert code == 0, stderr
    lines = stdout.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert "measurement_7 ✗" in stdout
    assert "✗ seven" in stdout
    shown = sum(f"{name} " in lines[1] or lines[1].endswith(name) for name in names)
    assert 1 < shown < 30
    assert f"{30 - shown} more column(s) not shown" in stdout


def test_show_of_a_csv_run_lists_the_lowest_rows_first_as_numbers(tmp_path: Path) -> None:
    source = tmp_path / "numbers.csv"
    source.write_text("n\n" + "".join(f"bad{i}\n" for i in range(12)))
    recipe = tmp_path / "numbers.yaml"
    recipe.write_text("version: 1\ncolumns:\n  n: {type: int}\n")
    out = tmp_path / "out"
    assert invoke("run", recipe, source, "--out", out, "--output-format", "csv")[0] == 0
    code, stdout, stderr = invoke("show", out, "--json", "-n", "3")
    assert code == 0, stderr
    (group,) = json.loads(stdout)["reasons"]
    # read as text, "10" sorted before "2"
    assert [row["_rowsift_row"] for row in group["examples"]] == [0, 1, 2]
    assert [row["_rowsift_line"] for row in group["examples"]] == [2, 3, 4]


def test_a_csv_run_marks_a_failing_column_whose_name_was_neutralised(tmp_path: Path) -> None:
    """A CSV output writes `@timestamp` as `'@timestamp` (a spreadsheet would run it): the
    failing cell of that column is marked all the same, in `show` and in details.json."""
    source = tmp_path / "events.csv"
    source.write_text("@timestamp,n\n2024-01-01,1\n2024-01-05,2\n")
    recipe = tmp_path / "events.yaml"
    recipe.write_text(
        "version: 1\ncolumns:\n"
        "  '@timestamp': {type: date, rules: [{between: {min: '2024-01-02', max: '2024-12-31'}}]}\n"
    )
    out = tmp_path / "out"
    assert invoke("run", recipe, source, "--out", out, "--output-format", "csv")[0] == 0
    code, stdout, stderr = invoke("show", out)
    assert code == 0, stderr
    assert "'@timestamp ✗" in stdout
    assert "✗ 2024-01-01" in stdout
    details = json.loads((out / "details.json").read_text())
    assert details["examples"]["reasons"]["@timestamp.between"]["blamed"] == ["'@timestamp"]
