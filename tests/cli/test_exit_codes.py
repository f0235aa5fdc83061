"""Every documented exit code, with a one-paragraph message and never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from rowsift.demo import orders_csv_path, orders_recipe_path

RECIPE = """\
version: 1
name: tiny
columns:
  id: {transforms: [strip], rules: [not_null, unique]}
  amount: {type: float, rules: [{between: {min: 0}}]}
dataset:
  - quarantine_rate: {max: 0.5}
"""


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    recipe = tmp_path / "tiny.recipe.yaml"
    recipe.write_text(RECIPE)
    good = tmp_path / "good.csv"
    good.write_text("id,amount\na,1\nb,2\nb,3\n,4\n")
    bad = tmp_path / "bad.csv"
    bad.write_text("id,amount\na,x\nb,-1\nc,-2\n")
    return {"recipe": recipe, "good": good, "bad": bad}


def test_run_ok_is_exit_0_and_writes_its_outputs(
    cli: Callable, files: dict, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = cli("run", str(files["recipe"]), str(files["good"]), "--out", str(out))
    assert result.code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "clean.parquet",
        "details.json",
        "quarantine.parquet",
        "summary.json",
    ]
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["rows_in"], summary["rows_clean"], summary["rows_quarantined"]) == (4, 2, 2)
    assert summary["failures"] == {"id.not_null": 1, "id.unique": 1}
    assert summary["status"] == "pass"
    assert len(summary["input"]["sha256"]) == 64
    assert len(summary["recipe"]["sha256"]) == 64
    assert set(summary["durations_s"]) == {"compile", "run", "total", "details"}
    quarantine = pl.read_parquet(out / "quarantine.parquet")
    assert quarantine["_rowsift_line"].to_list() == [4, 5]
    assert quarantine["_rowsift_reasons"].to_list() == [["id.unique"], ["id.not_null"]]


def test_failed_dataset_rule_is_exit_1_and_outputs_are_still_written(
    cli: Callable, files: dict, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = cli("run", str(files["recipe"]), str(files["bad"]), "--out", str(out), "--json")
    assert result.code == 1
    summary = json.loads(result.stdout)
    assert summary["status"] == "fail"
    assert summary["dataset"][0]["passed"] is False
    assert (out / "quarantine.parquet").exists()


@pytest.mark.parametrize(
    ("recipe_text", "needle"),
    [
        ("version: 1\ncolumns:\n  id: {rulez: []}\n", "unknown key 'rulez'"),
        ("version: 1\ncolumns:\n  id: {type: 5}\n", "columns.id.type"),
        (
            "version: 1\ncolumns:\n  a: {rules: [{compare: {op: '<', column: b}}]}\n",
            "unknown column 'b'",
        ),
        ("version: 1\ncolumns:\n  a: {rules: [{matches: '(a)\\1'}]}\n", "backreference"),
        ("version: 1\ncolumns: [\n", "not valid YAML"),
    ],
)
def test_broken_recipe_is_exit_2_with_a_located_message(
    cli: Callable, files: dict, tmp_path: Path, recipe_text: str, needle: str
) -> None:
    recipe = tmp_path / "broken.yaml"
    recipe.write_text(recipe_text)
    for command in (
        ["check", str(recipe)],
        ["run", str(recipe), str(files["good"]), "--out", str(tmp_path / "o")],
    ):
        result = cli(*command)
        assert result.code == 2
        assert needle in result.stderr
        assert f"{recipe}:" in result.stderr
        assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "o").exists()


def test_bad_usage_is_exit_2(cli: Callable, files: dict) -> None:
    assert cli("run", str(files["recipe"])).code == 2
    result = cli("run", str(files["recipe"]), str(files["good"]), "--output-format", "xlsx")
    assert result.code == 2
    assert "unknown output format 'xlsx'" in result.stderr


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--delimiter", ";;;;;", "bad option --delimiter: String should have at most 4"),
        ("--quote", "ab", "bad option --quote: String should have at most 1"),
        ("--header-row", "-1", "bad option --header-row: Input should be greater than"),
    ],
)
def test_a_bad_convert_option_is_named(
    cli: Callable, files: dict, tmp_path: Path, option: str, value: str, said: str
) -> None:
    result = cli("convert", str(files["good"]), str(tmp_path / "out.csv"), option, value)
    assert result.code == 2
    assert said in result.stderr
    assert "errors.pydantic.dev" not in result.stderr


def test_suggest_refuses_to_write_its_recipe_over_its_input(cli: Callable, files: dict) -> None:
    before = files["good"].read_bytes()
    result = cli("suggest", str(files["good"]), "-o", str(files["good"]))
    assert result.code == 2
    assert "would destroy the input" in result.stderr
    assert files["good"].read_bytes() == before


@pytest.mark.parametrize(
    "command",
    [
        ["suggest", "{good}", "-o", "{folder}"],
        ["export", "{recipe}", "--to", "polars", "-o", "{folder}"],
        ["export", "{recipe}", "--to", "polars", "-o", "."],
        ["report", "{folder}", "-o", "{folder}"],
        ["import", "{suite}", "-o", "{folder}"],
    ],
)
def test_a_folder_given_as_the_file_to_write_is_refused_and_left_as_it_was(
    cli: Callable, files: dict, tmp_path: Path, command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "keep"
    folder.mkdir()
    (folder / "precious.txt").write_text("mine")
    suite = tmp_path / "suite.json"
    suite.write_text(json.dumps({"expectation_suite_name": "s", "expectations": []}))
    monkeypatch.chdir(folder)
    names = {"good": files["good"], "recipe": files["recipe"], "folder": folder, "suite": suite}
    result = cli(*[part.format(**names) for part in command])
    assert result.code == 2, result.stdout + result.stderr
    assert "directory" in result.stderr.lower() or "folder" in result.stderr.lower()
    assert sorted(p.name for p in folder.iterdir()) == ["precious.txt"]


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (None, "file not found"),
        (b"ID,amount\na,1\n", "did you mean 'ID'?"),
        # undecodable bytes are a parse failure of their record (quarantined); bytes that are
        # not the gzip they announce cannot be read at all
        (b"\x1f\x8b\x08\x00garbage", "cannot read the file"),
    ],
)
def test_bad_input_is_exit_3(
    cli: Callable, files: dict, tmp_path: Path, content: bytes | None, needle: str
) -> None:
    data = tmp_path / "input.csv"
    if content is not None:
        data.write_bytes(content)
    result = cli("run", str(files["recipe"]), str(data), "--out", str(tmp_path / "o"))
    assert result.code == 3
    assert needle in result.stderr
    assert "Hint:" in result.stderr
    assert "Traceback" not in result.stderr


READING_COMMANDS = {
    "run": lambda recipe, data, out: ["run", str(recipe), str(data), "--out", str(out)],
    "convert": lambda recipe, data, out: ["convert", str(data), str(out / "t.parquet")],
    "profile": lambda recipe, data, out: ["profile", str(data)],
    "suggest": lambda recipe, data, out: ["suggest", str(data), "-o", str(out / "r.yaml")],
    "sniff": lambda recipe, data, out: ["sniff", str(data)],
}


@pytest.mark.parametrize("command", sorted(READING_COMMANDS))
def test_a_folder_or_a_binary_file_is_refused_alike_by_every_reading_command(
    cli: Callable, files: dict, tmp_path: Path, command: str
) -> None:
    """A folder given as the input, a binary file named as CSV (here a pickle's bytes
    behind an executable's header), a named pipe and ``-`` (the standard input, which
    detection cannot read twice) end in the same clear error, whichever command reads them,
    and nothing is written."""
    import pickle

    binary = tmp_path / "model.csv"
    binary.write_bytes(b"\x7fELF\x02\x01\x01\x00" + pickle.dumps(list(range(300))) * 4)
    folder = tmp_path / "exports"
    folder.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    fifo = tmp_path / "feed.csv"
    os.mkfifo(fifo)  # opening it would wait for a writer: refused before that
    refusals = (
        (folder, "it is a folder, not a file"),
        (binary, "the file is binary, not text"),
        (fifo, "it is not a regular file"),
    )
    for data, needle in refusals:
        result = cli(*READING_COMMANDS[command](files["recipe"], data, out))
        assert result.code == 3, result.stderr
        assert f"{data.name}: {needle}" in result.stderr
        assert "Hint:" in result.stderr
        assert "Traceback" not in result.stderr
        assert not any(out.iterdir())
    piped = cli(*READING_COMMANDS[command](files["recipe"], Path("-"), out))
    assert piped.code == 3
    assert "not from the standard input" in piped.stderr
    # UTF-8 text is text, whatever control characters its values hold (a fifth of its bytes
    # here: vertical tabs and bells, as a generated table had)
    text = tmp_path / "controls.csv"
    text.write_bytes(b"id,amount\n" + b"a\x0bb\x07,1\n" * 40)
    assert cli(*READING_COMMANDS[command](files["recipe"], text, out)).code in (0, 1)


def test_the_installed_script_shows_no_traceback_and_debug_does(tmp_path: Path) -> None:
    recipe = tmp_path / "r.yaml"
    recipe.write_text("version: 1\ncolumns:\n  a: {}\n")
    command = [sys.executable, "-m", "rowsift._cli", "run", str(recipe), str(tmp_path / "no.csv")]
    plain = subprocess.run(command, capture_output=True, text=True, check=False)
    assert plain.returncode == 3
    assert "file not found" in plain.stderr
    assert "Traceback" not in plain.stderr
    debug = subprocess.run([*command, "--debug"], capture_output=True, text=True, check=False)
    assert debug.returncode != 0
    assert "Traceback" in debug.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["history", "--store", "{store}", "--limit", "-1"],
        ["alerts", "--store", "{store}", "--limit", "99999999999999999999999"],
        ["show", "{folder}", "--limit", "99999999999999999999999"],
        ["dashboard", "--store", "{store}", "--port", "-1"],
        ["dashboard", "--store", "{store}", "--port", "70000"],
        ["dashboard", "--store", "{store}", "--days", "0"],
    ],
)
def test_a_count_or_port_out_of_range_is_a_usage_error(
    cli: Callable, tmp_path: Path, command: list[str]
) -> None:
    names = {"store": tmp_path / "s.duckdb", "folder": tmp_path}
    result = cli(*[part.format(**names) for part in command])
    assert result.code == 2, result.stdout + result.stderr
    assert "Invalid value for '--" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "s.duckdb").exists()


def test_a_line_longer_than_duckdbs_reader_takes_is_a_clear_input_error(
    cli: Callable, tmp_path: Path
) -> None:
    recipe = tmp_path / "r.yaml"
    recipe.write_text("version: 1\ncolumns: {a: {type: int}}\n")
    data = tmp_path / "long.csv"
    data.write_text("a,b\n1," + "x" * 2_100_000 + "\n2,y\n")
    result = cli("run", str(recipe), str(data), "--out", str(tmp_path / "o"), "--engine", "duckdb")
    assert result.code == 3, result.stderr
    assert "a line is longer than DuckDB's CSV reader takes" in result.stderr
    assert "--engine polars" in result.stderr
    assert len(result.stderr) < 400  # not the line itself
    assert not (tmp_path / "o").exists()
    assert cli("run", str(recipe), str(data), "--out", str(tmp_path / "p")).code == 0


def test_a_header_row_past_the_end_of_the_file_is_an_input_error(
    cli: Callable, tmp_path: Path
) -> None:
    data = tmp_path / "four.csv"
    data.write_text("a,b\n1,x\n2,y\n,z\n")
    converted = cli("convert", str(data), str(tmp_path / "t.csv"), "--header-row", "4")
    assert converted.code == 3, converted.stderr
    assert "the header row 4 is past the end of the file, which has 4 lines" in converted.stderr
    assert not (tmp_path / "t.csv").exists()
    recipe = tmp_path / "r.yaml"
    recipe.write_text("version: 1\nsource: {header_row: 99999999999999999999}\ncolumns: {a: {}}\n")
    ran = cli("run", str(recipe), str(data), "--out", str(tmp_path / "o"))
    assert ran.code == 3, ran.stderr
    assert "past the end of the file" in ran.stderr
    last = cli("convert", str(data), str(tmp_path / "h.csv"), "--header-row", "3")
    assert last.code == 0  # the last line as the header: a table of no rows


def test_an_empty_table_is_named_whether_compressed_or_run(cli: Callable, tmp_path: Path) -> None:
    import gzip

    packed = tmp_path / "nothing.csv.gz"
    packed.write_bytes(gzip.compress(b""))
    for command in (["profile", str(packed)], ["suggest", str(packed), "-o", str(tmp_path / "r")]):
        result = cli(*command)
        assert result.code == 3, result.stdout
        assert "nothing.csv.gz: the file is empty once gzip-decompressed" in result.stderr
    assert not (tmp_path / "r").exists()
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    recipe = tmp_path / "tiny.yaml"
    recipe.write_text("version: 1\ncolumns: {a: {}}\n")
    ran = cli("run", str(recipe), str(empty), "--out", str(tmp_path / "o"))
    assert ran.code == 3
    assert f"{empty}: the input lacks required column(s) 'a'; it has none" in ran.stderr


def test_a_truncated_columnar_file_says_so_whichever_command_reads_it(
    cli: Callable, tmp_path: Path
) -> None:
    whole = tmp_path / "whole.parquet"
    pl.DataFrame({"a": list(range(1000))}).write_parquet(whole)
    cut = tmp_path / "cut.parquet"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    for command in (["profile", str(cut)], ["convert", str(cut), str(tmp_path / "t.csv")]):
        result = cli(*command)
        assert result.code == 3
        assert "cut.parquet: cannot read the file as parquet" in result.stderr
        assert "is the file complete" in result.stderr


def test_a_sheet_table_or_query_for_a_csv_is_a_usage_error(
    cli: Callable, files: dict, tmp_path: Path
) -> None:
    for option in ("--sheet", "--table", "--query"):
        result = cli("convert", str(files["good"]), str(tmp_path / "t.csv"), option, "x")
        assert result.code == 2, result.stderr
        assert f"source.{option[2:]} ({option}) applies to" in result.stderr
        assert "this file reads as csv" in result.stderr
    assert not (tmp_path / "t.csv").exists()


@pytest.mark.parametrize(
    "address",
    [
        "postgresql://ana:s3cret@127.0.0.1:1/db",
        "POSTGRESQL://ana:s3cret@127.0.0.1:1/db",
        "postgresql+psycopg://ana:s3cret@h/db",
        "duckdb://ana:s3cret@h/x",
        "postgresql://ana:p@s3cret@127.0.0.1:1/db",
    ],
)
def test_a_password_in_an_address_never_reaches_an_error(cli: Callable, address: str) -> None:
    for command in (["sniff", address], ["profile", address], ["convert", address, "t.csv"]):
        result = cli(*command)
        assert result.code in (2, 3), result.stderr
        assert "s3cret" not in result.stderr + result.stdout, command
        assert (
            "ana:***@" in result.stderr or "ana@" in result.stderr or "127.0.0.1" in result.stderr
        )


def test_csv_output_format(cli: Callable, files: dict, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = cli(
        "run",
        str(files["recipe"]),
        str(files["good"]),
        "--out",
        str(out),
        "--output-format",
        "csv",
        "-q",
    )
    assert result.code == 0
    assert result.stdout == ""
    quarantine = (out / "quarantine.csv").read_text().splitlines()
    # a text source's quarantine always has the reader's columns: raw text and fields as split
    assert quarantine[0] == (
        "_rowsift_row,_rowsift_line,_rowsift_reasons,id,amount,_rowsift_raw,_rowsift_fields"
    )
    assert quarantine[1] == '2,4,"[""id.unique""]",b,3,,'
    assert (out / "clean.csv").read_text().splitlines() == [
        "id,amount,_rowsift_row,_rowsift_line",
        "a,1.0,0,2",
        "b,2.0,1,3",
    ]


def test_demo_exits_0_and_explains(cli: Callable, tmp_path: Path) -> None:
    result = cli("demo", "--out", str(tmp_path / "demo"))
    assert result.code == 0, result.stderr
    assert "252 quarantined" in result.stdout
    assert "Quarantined examples" in result.stdout


def test_check_and_explain_json(cli: Callable) -> None:
    check = cli("check", str(orders_recipe_path()), "--json")
    assert check.code == 0
    assert json.loads(check.stdout)["valid"] is True
    explain = json.loads(cli("explain", str(orders_recipe_path()), "--json").stdout)
    assert explain["rule_ids"][:2] == ["order_id.not_null", "order_id.matches"]
    assert explain["columns"][0]["transforms"] == ["strip", "upper"]


def test_run_json_matches_the_written_summary(cli: Callable, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = cli(
        "run", str(orders_recipe_path()), str(orders_csv_path()), "--out", str(out), "--json"
    )
    assert result.code == 0
    assert json.loads(result.stdout) == json.loads((out / "summary.json").read_text())


def test_version_flag_and_command_print_the_version(cli: Callable) -> None:
    from rowsift._version import __version__

    flag = cli("--version")
    assert (flag.code, flag.stdout) == (0, f"rowsift {__version__}\n")
    assert cli("version").stdout == f"{__version__}\n"


@pytest.mark.parametrize("engine", ["polars", "pandas"])
def test_csv_output_of_bytes_or_lists_is_a_usage_error_naming_parquet(
    cli: Callable, tmp_path: Path, engine: str
) -> None:
    """The file was read: CSV, the output chosen, cannot hold its bytes or lists."""
    data = tmp_path / "nested.parquet"
    pl.DataFrame({"id": [1, 2], "tags": [[1], [2, 3]], "blob": [b"\x00", b"\xff"]}).write_parquet(
        data
    )
    recipe = tmp_path / "r.yaml"
    recipe.write_text("version: 1\n")
    out = tmp_path / "out"
    options = ["--out", str(out), "--output-format", "csv", "--engine", engine]
    run = cli("run", str(recipe), str(data), *options)
    assert run.code == 2, run.stderr
    assert "CSV cannot hold" in run.stderr
    assert "Parquet" in run.stderr
    assert not (out / "clean.csv").exists()
    converted = cli("convert", str(data), str(tmp_path / "t.csv"))
    assert converted.code == 2, converted.stderr
    assert "CSV cannot hold" in converted.stderr
    assert not (tmp_path / "t.csv").exists()
