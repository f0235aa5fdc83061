"""Outputs are safe to open and to share: formulas neutralised, modes as the umask says, no
input written over, one run per folder, clear errors when a folder cannot be written."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from hostile_checks import Outcome, assert_clean_exit, assert_conserved, assert_no_outputs

from rowsift.exceptions import OutputError
from rowsift.io.formulas import neutral_text
from rowsift.io.output_folder import claim_folder

RECIPE = "version: 1\ncolumns:\n  id: {type: int}\n  v: {rules: [{in_set: ['-5', ok]}]}\n"
FORMULAS = [
    '=HYPERLINK("http://example.invalid","x")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    " =1+1",  # signs after blanks, and full-width signs, which some spreadsheets read as formulas
    "\u00a0=1+1",
    "\uff1d1+1",
    "\u3000@SUM(1)",
]


@pytest.fixture
def table(tmp_path: Path) -> tuple[Path, Path]:
    data = pl.DataFrame(
        {"id": [str(i) for i in range(len(FORMULAS) + 2)], "v": [*FORMULAS, "-5", "ok"]}
    )
    path = tmp_path / "in.csv"
    data.write_csv(path)
    recipe = tmp_path / "r.yaml"
    recipe.write_text(RECIPE)
    return recipe, path


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1+1", "'+1+1"),
        ("-1+1", "'-1+1"),
        ("@A1", "'@A1"),
        ("\t=1", "'\t=1"),
        ("-12.5", "-12.5"),
        ("+3", "+3"),
        ("-1e-3", "-1e-3"),
        ("a=b", "a=b"),
        ("'=1", "'=1"),
        ("", ""),
        ("-", "'-"),
        (" =1", "' =1"),
        ("\x00=1", "'\x00=1"),
        ("\u00a0+1", "'\u00a0+1"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("\ufeff@A1", "'\ufeff@A1"),
        (" -12", " -12"),
        ("a =1", "a =1"),
    ],
)
def test_formula_values_are_prefixed_and_numbers_are_not(value: str, written: str) -> None:
    assert neutral_text(value) == written
    assert neutral_text(neutral_text(value)) == written  # applying it twice changes nothing


def test_csv_outputs_neutralise_formulas_by_default(
    cli: Callable[..., Outcome], table: tuple[Path, Path], tmp_path: Path
) -> None:
    recipe, data = table
    out = tmp_path / "out"
    outcome = cli("run", recipe, data, "--out", out, "--output-format", "csv", "-q")
    assert_clean_exit(outcome, allowed=(0,))
    written = assert_conserved(out, len(FORMULAS) + 2, fmt="csv")
    assert sorted(written.quarantine["v"].to_list()) == sorted("'" + v for v in FORMULAS)
    assert sorted(written.clean["v"].to_list()) == ["-5", "ok"]


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_every_engine_neutralises_formulas_alike(
    cli: Callable[..., Outcome], table: tuple[Path, Path], tmp_path: Path, engine: str
) -> None:
    recipe, data = table
    out = tmp_path / engine
    outcome = cli(
        "run", recipe, data, "--out", out, "--output-format", "csv", "--engine", engine, "-q"
    )
    assert_clean_exit(outcome, allowed=(0,))
    written = assert_conserved(out, len(FORMULAS) + 2, fmt="csv")
    assert sorted(written.quarantine["v"].to_list()) == sorted("'" + v for v in FORMULAS)
    assert sorted(written.clean["v"].to_list()) == ["-5", "ok"]


def test_keep_writes_values_exactly_and_parquet_is_never_changed(
    cli: Callable[..., Outcome], table: tuple[Path, Path], tmp_path: Path
) -> None:
    recipe, data = table
    for fmt, extra in (("csv", ["--csv-formulas", "keep"]), ("parquet", [])):
        out = tmp_path / fmt
        outcome = cli("run", recipe, data, "--out", out, "--output-format", fmt, "-q", *extra)
        assert_clean_exit(outcome, allowed=(0,))
        written = assert_conserved(out, len(FORMULAS) + 2, fmt=fmt)
        assert sorted(written.quarantine["v"].to_list()) == sorted(FORMULAS)


def test_convert_neutralises_values_and_names(cli: Callable[..., Outcome], tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text('id,=name\n1,"=cmd|x"\n2,-3\n3,"a,b"\n4,x,too,many\n')
    target = tmp_path / "tidy.csv"
    assert_clean_exit(cli("convert", source, target, "-q"), allowed=(0,))
    written = pl.read_csv(target, infer_schema=False)
    assert written.columns == ["id", "'=name"]
    assert written["'=name"].to_list() == ["'=cmd|x", "-3", "a,b"]
    assert_clean_exit(cli("convert", source, target, "-q", "--csv-formulas", "keep"))
    assert pl.read_csv(target, infer_schema=False)["=name"].to_list() == ["=cmd|x", "-3", "a,b"]
    outcome = cli("convert", source, target, "--csv-formulas", "maybe")
    assert_clean_exit(outcome, allowed=(2,))


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_outputs_follow_the_umask_and_keep_an_existing_mode(
    cli: Callable[..., Outcome], table: tuple[Path, Path], tmp_path: Path
) -> None:
    recipe, data = table
    out = tmp_path / "out"
    previous = os.umask(0o022)
    try:
        assert_clean_exit(cli("run", recipe, data, "--out", out, "-q"), allowed=(0,))
        modes = {p.name: _mode(p) for p in out.iterdir()}
        assert modes == dict.fromkeys(
            ["clean.parquet", "details.json", "quarantine.parquet", "summary.json"], 0o644
        )
        (out / "clean.parquet").chmod(0o640)
        os.umask(0o077)
        assert_clean_exit(cli("run", recipe, data, "--out", out, "-q"), allowed=(0,))
        assert _mode(out / "clean.parquet") == 0o640  # an existing file keeps its mode
        assert _mode(out / "summary.json") == 0o600  # a new file follows the umask
        os.umask(0o002)
        converted = tmp_path / "tidy.csv"
        assert_clean_exit(cli("convert", data, converted, "-q"), allowed=(0,))
        assert _mode(converted) == 0o664
        suggested = tmp_path / "s.yaml"
        assert_clean_exit(cli("suggest", data, "-o", suggested), allowed=(0,))
        assert _mode(suggested) == 0o664
        suggested.chmod(0o644)
        assert_clean_exit(cli("suggest", data, "-o", suggested), allowed=(0,))
        assert _mode(suggested) == 0o644
    finally:
        os.umask(previous)


@pytest.mark.parametrize("name", ["clean.csv", "quarantine.csv", "summary.json"])
def test_an_input_in_the_output_folder_is_never_written_over(
    cli: Callable[..., Outcome], tmp_path: Path, name: str
) -> None:
    data = tmp_path / name
    content = "id,v\n1,ok\n2,bad\n"
    data.write_text(content)
    recipe = tmp_path / "r.yaml"
    recipe.write_text(RECIPE)
    fmt = "parquet" if name == "summary.json" else "csv"
    if name == "summary.json":
        data = tmp_path / "data.csv"
        data.write_text(content)
        recipe = tmp_path / "summary.json"
        recipe.write_text(RECIPE)
    outcome = cli("run", recipe, data, "--out", tmp_path, "--output-format", fmt)
    assert_clean_exit(outcome, allowed=(2,))
    assert "would destroy the input" in outcome.stderr
    assert data.read_text() == content
    assert recipe.read_text() == RECIPE
    assert_clean_exit(cli("convert", data, data), allowed=(2,))
    assert data.read_text() == content


def test_an_out_that_is_a_file_or_under_a_file_is_a_clear_error(
    cli: Callable[..., Outcome], table: tuple[Path, Path], tmp_path: Path
) -> None:
    recipe, data = table
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for out in (blocker, blocker / "below"):
        outcome = cli("run", recipe, data, "--out", out)
        assert_clean_exit(outcome, allowed=(2,))
        assert "is a file" in outcome.stderr
    assert blocker.read_text() == "x"
    folder = tmp_path / "folder"
    folder.mkdir()
    assert_clean_exit(cli("convert", data, folder), allowed=(2,))


def test_a_recipe_error_leaves_no_output_folder(
    cli: Callable[..., Outcome], table: tuple[Path, Path], tmp_path: Path
) -> None:
    _, data = table
    recipe = tmp_path / "bad.yaml"
    recipe.write_text("version: 1\ncolumns: {id: {rulez: []}}\n")
    out = tmp_path / "never"
    assert_clean_exit(cli("run", recipe, data, "--out", out), allowed=(2,))
    assert not out.exists()


@pytest.mark.parametrize("existing", [False, True])
def test_a_run_stopped_before_its_summary_leaves_no_outputs(
    table: tuple[Path, Path], tmp_path: Path, existing: bool
) -> None:
    """Ctrl-C after the outputs are written but before summary.json marks them complete
    leaves none of them (nor an earlier run's, whose mark the run already removed), keeps
    whatever else the folder holds, and removes a folder the run created."""
    import rowsift

    recipe, data = table
    out = tmp_path / "out"
    if existing:
        rowsift.run_file(recipe, data, out)
        (out / "notes.txt").write_text("mine")

    def stop(stage: str) -> None:
        if stage.startswith("keeping examples"):  # clean and quarantine are written by now
            assert (out / "clean.parquet").is_file()
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        rowsift.run_file(recipe, data, out, on_stage=stop)
    if existing:
        assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    else:
        assert not out.exists()


def test_a_folder_claimed_by_one_run_is_refused_to_another(tmp_path: Path) -> None:
    with claim_folder(tmp_path / "out", outputs=["clean.parquet"]):
        with (
            pytest.raises(OutputError, match="another rowsift run"),
            claim_folder(tmp_path / "out", outputs=["clean.parquet"]),
        ):
            pass
        probe = [
            sys.executable,
            "-c",
            "import sys, pathlib\n"
            "from rowsift.io.output_folder import claim_folder\n"
            "from rowsift.exceptions import OutputError\n"
            "try:\n"
            "    with claim_folder(pathlib.Path(sys.argv[1]), outputs=['x']):\n"
            "        sys.exit(0)\n"
            "except OutputError:\n"
            "    sys.exit(7)\n",
            str(tmp_path / "out"),
        ]
        assert subprocess.run(probe, check=False).returncode == 7
    with claim_folder(tmp_path / "out", outputs=["clean.parquet"]):
        pass  # released when the first run ended


def _claim_and_write(folder: Path, start: threading.Barrier, written: list[bool]) -> None:
    start.wait()
    try:
        with claim_folder(folder, outputs=["clean.csv"]):
            time.sleep(0.05)  # a run reads and works before its first output
            (folder / "clean.csv").write_text("id\n1\n")
            written.append(True)
    except OutputError:
        written.append(False)


def test_claims_racing_for_a_new_folder_leave_it_to_the_one_that_won(tmp_path: Path) -> None:
    """Claims that all find the folder missing: the refused ones must not remove the folder
    that the winner is about to write into."""
    for attempt in range(8):
        folder = tmp_path / f"out{attempt}"
        start = threading.Barrier(6)
        written: list[bool] = []
        threads = [
            threading.Thread(target=_claim_and_write, args=(folder, start, written))
            for _ in range(6)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(written) == 6
        assert written.count(True) >= 1
        assert (folder / "clean.csv").read_text() == "id\n1\n"


def without_override() -> list[str]:
    """The prefix of a command that runs it with file permissions applied, even as root (root
    loses the capabilities that bypass them)."""
    if os.getuid() != 0:
        return []
    return ["setpriv", "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search", "--"]


def test_a_read_only_folder_is_a_clear_error_and_nothing_is_written(
    table: tuple[Path, Path], tmp_path: Path
) -> None:
    recipe, data = table
    out = tmp_path / "ro"
    out.mkdir()
    for path in (tmp_path, recipe, data):
        path.chmod(0o755 if path.is_dir() else 0o644)
    out.chmod(0o555)
    command = [*without_override(), sys.executable, "-m", "rowsift._cli"]
    for args in (
        ["run", str(recipe), str(data), "--out", str(out)],
        ["convert", str(data), str(out / "tidy.csv")],
        ["suggest", str(data), "-o", str(out / "s.yaml")],
    ):
        done = subprocess.run(command + args, capture_output=True, text=True, check=False)
        outcome = Outcome(done.returncode, done.stdout, done.stderr)
        assert_clean_exit(outcome, allowed=(3,))
        assert "permission denied" in outcome.stderr.lower()
    assert_no_outputs(out)
