"""`rowsift profile`, `rowsift suggest` and `rowsift review` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

import rowsift
from rowsift._cli.app import app


@pytest.fixture
def table(tmp_path: Path) -> Path:
    rows = 60
    frame = pl.DataFrame(
        {
            "id": [f"A-{i:04d}" for i in range(rows)],
            "status": (["new", "paid", "shipped"] * rows)[:rows],
            "amount": [f"{i}.25" for i in range(rows)],
        }
    )
    path = tmp_path / "orders.csv"
    frame.write_csv(path)
    return path


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("COLUMNS", "110")
    monkeypatch.setenv("NO_COLOR", "1")
    return CliRunner()


def test_profile_prints_a_summary_or_json(runner: CliRunner, table: Path) -> None:
    shown = runner.invoke(app, ["profile", str(table)])
    assert shown.exit_code == 0, shown.stderr
    assert "60 rows" in shown.stdout
    assert "candidate keys: id" in shown.stdout
    data = json.loads(runner.invoke(app, ["profile", str(table), "--json"]).stdout)
    assert data["rows"] == 60
    assert data["columns"][2]["inferred_type"] == "float"
    sampled = json.loads(
        runner.invoke(app, ["profile", str(table), "--json", "--sample", "20"]).stdout
    )
    assert sampled["rows"] == 20


def test_a_wide_table_shows_its_first_columns_and_counts_the_rest(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "wide.csv"
    frame = pl.DataFrame({f"gene_{i:03d}": [f"{i}.5", f"{i}.25"] for i in range(250)})
    frame.write_csv(path)
    shown = runner.invoke(app, ["profile", str(path)])
    assert shown.exit_code == 0, shown.stderr
    assert "… and 50 more columns, not shown here" in shown.stdout
    keys = next(line for line in shown.stdout.splitlines() if line.startswith("candidate keys"))
    assert keys.endswith("gene_019 and 230 more")  # every column is a key of two rows
    table = shown.stdout.split("candidate keys")[0]
    assert "gene_199" in table
    assert "gene_200" not in table
    data = json.loads(runner.invoke(app, ["profile", str(path), "--json"]).stdout)
    assert [column["name"] for column in data["columns"]][-1] == "gene_249"


def test_profile_of_a_missing_file_is_exit_3(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["profile", str(tmp_path / "nope.csv")])
    assert result.exit_code == 3
    assert "Traceback" not in result.stderr


def test_suggest_writes_a_recipe_that_runs(runner: CliRunner, table: Path, tmp_path: Path) -> None:
    recipe_path = tmp_path / "orders.recipe.yaml"
    result = runner.invoke(app, ["suggest", str(table), "-o", str(recipe_path)])
    assert result.exit_code == 0, result.stderr
    assert "wrote" in result.stdout
    recipe = rowsift.load_recipe(recipe_path)
    assert recipe.name == "orders"
    assert recipe.source.format == "csv"
    assert "# " in recipe_path.read_text()
    summary = rowsift.run_file(recipe_path, table, tmp_path / "out")
    assert summary.rows_quarantined == 0
    bad = runner.invoke(app, ["suggest", str(table), "-o", str(recipe_path), "--strictness", "x"])
    assert bad.exit_code == 2


def test_review_records_decisions_and_suggest_keeps_them(
    runner: CliRunner, table: Path, tmp_path: Path
) -> None:
    recipe_path = tmp_path / "orders.recipe.yaml"
    runner.invoke(app, ["suggest", str(table), "-o", str(recipe_path)])
    ids = rowsift.suggest.review_ids(rowsift.load_recipe(recipe_path))
    assert ids[:2] == ["id.not_null", "id.matches"]
    # reject the first rule, edit the second, accept the rest, with no notes
    answers = ["r", "", "e", "", "{matches: '^A-[0-9]+$'}"]
    answers += ["a", ""] * (len(ids) - 2)
    result = runner.invoke(
        app,
        ["review", str(recipe_path), str(table), "--by", "ana"],
        input="\n".join(answers) + "\n",
    )
    assert result.exit_code == 0, result.stderr
    assert "quarantines 0 of 60 rows" in result.stdout
    reviewed = rowsift.load_recipe(recipe_path)
    assert [r.id for r in reviewed.rejected] == ["id.not_null"]
    matches = reviewed.columns["id"].rules[0]
    assert matches.args.pattern == "^A-[0-9]+$"
    assert matches.args.review is not None
    assert (matches.args.review.decision, matches.args.review.by) == ("edited", "ana")
    again = runner.invoke(app, ["suggest", str(table), "-o", str(recipe_path)])
    assert "reviewed decisions kept" in again.stdout
    kept = rowsift.load_recipe(recipe_path)
    assert kept.rejected == reviewed.rejected
    assert [e for e in kept.columns["id"].rules if e.kind == "matches"] == [matches]
    nothing_left = runner.invoke(app, ["review", str(recipe_path), str(table)], input="")
    assert "0 decision(s) recorded" in nothing_left.stdout


def test_review_asks_again_on_an_answer_it_does_not_know(
    runner: CliRunner, table: Path, tmp_path: Path
) -> None:
    """``no`` is not ``accept``: the question is asked again, and the next answer decides."""
    recipe_path = tmp_path / "orders.recipe.yaml"
    runner.invoke(app, ["suggest", str(table), "-o", str(recipe_path)])
    first = rowsift.suggest.review_ids(rowsift.load_recipe(recipe_path))[0]
    result = runner.invoke(
        app, ["review", str(recipe_path), str(table)], input="no\nxyz\nrej\n\nq\n"
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("not an answer") == 2
    reviewed = rowsift.load_recipe(recipe_path)
    assert [r.id for r in reviewed.rejected] == [first]
    assert "1 decision(s) recorded" in result.stdout


def test_review_shows_a_name_holding_a_line_break_on_one_line(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = tmp_path / "n.csv"
    data.write_text('"a\nb",c\n1,x\n2,y\n')
    recipe = tmp_path / "r.yaml"
    recipe.write_text('version: 1\ncolumns:\n  "a\\nb": {rules: [not_null]}\n  c: {}\n')
    result = runner.invoke(app, ["review", str(recipe), str(data)], input="q\n")
    assert result.exit_code == 0, result.stderr
    assert "'a\\nb.not_null'" in result.stdout


def test_review_stops_as_with_quit_when_the_answers_end(
    runner: CliRunner, table: Path, tmp_path: Path
) -> None:
    """Piped answers that end before the rules do (here after the first rule and in the middle
    of the second's note) stop the review: the decisions made are saved, and it says why."""
    recipe_path = tmp_path / "orders.recipe.yaml"
    runner.invoke(app, ["suggest", str(table), "-o", str(recipe_path)])
    ids = rowsift.suggest.review_ids(rowsift.load_recipe(recipe_path))
    assert len(ids) > 2
    result = runner.invoke(
        app, ["review", str(recipe_path), str(table), "--by", "ana"], input="r\nnot ours\na\n"
    )
    assert result.exit_code == 0, result.stderr
    assert "no answer could be read" in result.stdout
    assert "1 decision(s) recorded" in result.stdout
    reviewed = rowsift.load_recipe(recipe_path)
    assert [(r.id, r.review.note) for r in reviewed.rejected] == [(ids[0], "not ours")]
    assert rowsift.suggest.review_ids(reviewed) == ids[1:]  # the rest still to review


def test_markup_in_values_and_names_prints_as_text(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "markup.csv"
    path.write_text("[b],size,note\n[/],1,[bold]x\n[/],2," + "y" * 5000 + "\n")
    result = runner.invoke(app, ["profile", str(path)])
    assert result.exit_code == 0, result.stderr
    assert "[b]" in result.stdout
    assert "[/]" in result.stdout
    assert "y" * 200 not in result.stdout  # a long value is cut for display
    whole = json.loads(runner.invoke(app, ["profile", str(path), "--json"]).stdout)
    assert [c["name"] for c in whole["columns"]] == ["[b]", "size", "note"]


@pytest.mark.parametrize("text", ["", "\n\n  \n"])
def test_an_empty_or_blank_file_is_a_clear_input_error(
    runner: CliRunner, tmp_path: Path, text: str
) -> None:
    path = tmp_path / "empty.csv"
    path.write_text(text)
    for command in (["profile", str(path)], ["suggest", str(path), "-o", str(tmp_path / "r.yaml")]):
        result = runner.invoke(app, command)
        assert result.exit_code == 3
        assert "no header and no records" in result.stderr
        assert "internal error" not in result.stderr
    assert not (tmp_path / "r.yaml").exists()


def test_profile_and_suggest_read_as_detection_finds(runner: CliRunner, tmp_path: Path) -> None:
    """A cp1252, semicolon-separated file with a note above the header."""
    path = tmp_path / "export.csv"
    rows = "".join(f"{i};Caf\xe9 {i % 3};{i}\n" for i in range(40))
    path.write_bytes(("exported by a tool\nid;name;n\n" + rows).encode("cp1252"))
    profiled = json.loads(runner.invoke(app, ["profile", str(path), "--json"]).stdout)
    assert (profiled["rows"], [c["name"] for c in profiled["columns"]]) == (40, ["id", "name", "n"])
    recipe_path = tmp_path / "r.yaml"
    result = runner.invoke(app, ["suggest", str(path), "-o", str(recipe_path)])
    assert result.exit_code == 0, result.stderr
    source = rowsift.load_recipe(recipe_path).source
    assert (source.delimiter, source.header_row) == (";", 1)
    assert source.encoding.lower().replace("-", "") in ("cp1252", "windows1252")
    run = rowsift.run_file(recipe_path, path, tmp_path / "out")
    assert (run.rows_in, run.rows_quarantined) == (40, 0)


def test_review_shows_a_long_set_summarised_and_whole_on_request(
    runner: CliRunner, tmp_path: Path
) -> None:
    values = ", ".join(f"k{i:03d}" for i in range(50))
    recipe_path = tmp_path / "r.yaml"
    recipe_path.write_text(f"version: 1\ncolumns:\n  code: {{rules: [{{in_set: [{values}]}}]}}\n")
    path = tmp_path / "t.csv"
    path.write_text("code\nk001\nk049\n")
    result = runner.invoke(app, ["review", str(recipe_path), str(path)], input="v\ns\n")
    assert result.exit_code == 0, result.stderr
    assert "... and 30 more" in result.stdout
    assert "k049" in result.stdout  # after [v]
    assert "0 decision(s) recorded" in result.stdout


def test_review_shows_the_values_a_dependency_quarantines(
    runner: CliRunner, tmp_path: Path
) -> None:
    recipe_path = tmp_path / "r.yaml"
    recipe_path.write_text(
        "version: 1\ncolumns:\n  zip: {}\n  city: {rules: [{determined_by: {columns: [zip]}}]}\n"
    )
    path = tmp_path / "t.csv"
    path.write_text("zip,city\n10001,NYC\n10001,NYC\n10001,Boston\n02101,Boston\n")
    result = runner.invoke(app, ["review", str(recipe_path), str(path)], input="s\n")
    assert result.exit_code == 0, result.stderr
    assert "quarantines 1 of 4 rows (25.00%), e.g. Boston" in result.stdout


def test_review_asks_about_the_repairs_that_guess_a_value_first(
    runner: CliRunner, tmp_path: Path
) -> None:
    """A typo map or a group's fill changes values: review asks about them before the rules,
    with the rows each changes; a rejected one leaves the recipe for `rejected:`."""
    recipe_path = tmp_path / "r.yaml"
    recipe_path.write_text(
        "version: 1\ncolumns:\n  k: {}\n"
        "  v:\n    transforms: [strip, {map: {Bostn: Boston}},"
        " {majority: {by: [k], min_share: 1, min_rows: 2, fill_nulls: true}}]\n"
        "    evidence:\n      map: {statistic: rare values close to a frequent one, observed: 1}\n"
        "    rules: [not_null]\n"
    )
    path = tmp_path / "t.csv"
    path.write_text("k,v\n1,Boston\n1,Bostn\n1,\n2,Boston\n")
    # map: edit into another kind (refused), then into a longer map; majority: reject; rule: skip
    answers = "e\n\n{strip: {}}\n{map: {Bostn: Boston, Bstn: Boston}}\nr\nfills guess\ns\n"
    result = runner.invoke(app, ["review", str(recipe_path), str(path)], input=answers)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.index("v.map") < out.index("v.majority") < out.index("v.not_null")
    assert "strip" not in out.split("v.map")[0]  # a rule of writing is not asked about
    assert "why: rare values close to a frequent one 1" in out
    assert out.count("on t.csv: changes 1 of 4 rows (25.00%)") == 2  # Bostn; the null filled
    assert "an edit keeps the repair a map" in out
    assert "2 decision(s) recorded" in out
    saved = rowsift.load_recipe(recipe_path)
    column = saved.columns["v"]
    assert [t.compact() for t in column.transforms] == [
        "strip",
        {"map": {"Bostn": "Boston", "Bstn": "Boston"}},
    ]
    assert column.reviews["map"].decision == "edited"
    assert [(r.id, r.review.note) for r in saved.rejected] == [("v.majority", "fills guess")]
    assert "map" in column.evidence


def test_profile_and_suggest_read_the_table_or_sheet_given(
    runner: CliRunner, tmp_path: Path
) -> None:
    """A file of several tables (or sheets) is read in the part `--table` (`--sheet`) names,
    and the recipe's `source:` says which."""
    import sqlite3

    data = tmp_path / "two.sqlite"
    with sqlite3.connect(data) as connection:
        connection.execute("CREATE TABLE a (x INTEGER)")
        connection.execute("CREATE TABLE b (y TEXT)")
        connection.executemany("INSERT INTO b VALUES (?)", [(f"v{i}",) for i in range(30)])
    asked = runner.invoke(app, ["suggest", str(data), "-o", str(tmp_path / "r.yaml")])
    assert asked.exit_code == 3
    assert "--table" in asked.stderr
    recipe_path = tmp_path / "r.yaml"
    made = runner.invoke(app, ["suggest", str(data), "-o", str(recipe_path), "--table", "b"])
    assert made.exit_code == 0, made.stderr
    recipe = rowsift.load_recipe(recipe_path)
    assert recipe.source.table == "b"
    assert set(recipe.columns) == {"y"}
    shown = runner.invoke(app, ["profile", str(data), "--query", "SELECT y FROM b", "--json"])
    assert shown.exit_code == 0, shown.stderr
    assert json.loads(shown.stdout)["rows"] == 30
    workbook = tmp_path / "two.xlsx"
    pl.DataFrame({"n": [1, 2, 3]}).write_excel(workbook, worksheet="first")
    sheets = runner.invoke(app, ["profile", str(workbook), "--sheet", "0", "--json"])
    assert sheets.exit_code == 0, sheets.stderr
    assert json.loads(sheets.stdout)["source"]["sheet"] in ("0", 0)


def test_a_sheet_with_a_title_above_its_header_is_suggested_as_convert_reads_it(
    runner: CliRunner, tmp_path: Path
) -> None:
    """One reading path: `suggest` finds the header row below a title block as `convert` and
    `run` do, and the recipe records detection."""
    import xlsxwriter

    data = tmp_path / "report.xlsx"
    book = xlsxwriter.Workbook(str(data))
    sheet = book.add_worksheet("report")
    sheet.write_row(0, 0, ["Quarterly report"])
    sheet.write_row(2, 0, ["id", "city", "amount"])
    for number in range(25):
        sheet.write_row(3 + number, 0, [number, "Paris" if number % 2 else "Oslo", number / 4])
    book.close()
    recipe_path = tmp_path / "r.yaml"
    made = runner.invoke(app, ["suggest", str(data), "-o", str(recipe_path)])
    assert made.exit_code == 0, made.stderr
    recipe = rowsift.load_recipe(recipe_path)
    assert set(recipe.columns) == {"id", "city", "amount"}
    summary = rowsift.run_file(recipe, data, tmp_path / "out", monitor=False)
    assert (summary.rows_in, summary.rows_clean) == (25, 25)
