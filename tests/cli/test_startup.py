"""Start-up stays quick: `import rowsift`, `--help` and `check` load no heavy library, and a
command loads its own module only.

Time itself is measured in bench/README.md (start-up, `python -m bench.startup`); these tests
pin what is imported, which is what decides it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rowsift._cli.app import COMMANDS, app, load_command
from rowsift.demo import orders_recipe_path

HEAVY = ("polars", "duckdb", "pyspark", "dask", "pandas", "scipy", "numpy", "pyarrow")
#: what --help needs is Typer alone: no frame library, no model, no console
NOT_FOR_HELP = (*HEAVY, "narwhals", "pydantic", "yaml", "rich", "psycopg", "rapidfuzz")
#: what `check` needs is the recipe model: it builds rules and transforms but no expression,
#: and says that a recipe is valid in one plain line, with no console
NOT_FOR_CHECK = (*HEAVY, "narwhals", "rich")

PROBE = """
import json, sys
args = sys.argv[1:]
sys.argv = ["rowsift", *args]
if args:
    from rowsift._cli.app import app
    try:
        app()
    except SystemExit:
        pass
else:
    import rowsift
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def _modules(*args: str) -> set[str]:
    """Every module a fresh process has imported after `rowsift ARGS` (none: `import rowsift`)."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def _loaded(*args: str) -> set[str]:
    """The top-level packages of `_modules`."""
    return {name.split(".")[0] for name in _modules(*args)}


#: the modules of the commands, each imported only by its own commands
COMMAND_MODULES = {home for home, _, _ in COMMANDS.values()} - {"rowsift._cli.app"}


@pytest.mark.parametrize("args", [(), ("--help",), ("--version",)])
def test_import_and_help_load_nothing_heavy(args: tuple[str, ...]) -> None:
    assert _loaded(*args) & set(NOT_FOR_HELP) == set()


def test_a_command_help_loads_only_what_typer_does() -> None:
    # Typer's own parameter adapters import pydantic when a command's options are shown
    assert _loaded("run", "--help") & (set(NOT_FOR_HELP) - {"pydantic"}) == set()


def test_check_loads_no_frame_library_no_narwhals_and_no_console(tmp_path: Path) -> None:
    recipe = tmp_path / "r.yaml"
    # patterns of rules and of a replace transform (checked for matching the empty text too)
    recipe.write_text(
        "version: 1\ncolumns:\n  id:\n"
        "    transforms: [{replace: {pattern: '^ +', with: ''}}]\n"
        "    rules: [{matches: '^ORD-\\d{8}$'}]\n"
    )
    assert _loaded("check", str(recipe)) & set(NOT_FOR_CHECK) == set()
    assert _loaded("check", str(orders_recipe_path())) & set(NOT_FOR_CHECK) == set()


def test_public_names_still_load_on_use() -> None:
    code = (
        "import sys, rowsift\n"
        "assert 'polars' not in sys.modules\n"
        "assert rowsift.run_file.__module__ == 'rowsift.api'\n"
        "assert set(dir(rowsift)) >= set(rowsift.__all__)\n"
        "try:\n    rowsift.nothing\nexcept AttributeError as exc:\n    print(exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "module 'rowsift' has no attribute 'nothing'"


def test_check_loads_its_own_command_module_and_nothing_of_running_data() -> None:
    loaded = _modules("check", str(orders_recipe_path()))
    assert "rowsift._cli.recipe" in loaded
    assert loaded & (COMMAND_MODULES - {"rowsift._cli.recipe"}) == set()
    # no engine, no execution over frames, no monitoring, export, profile, suggest or report
    for package in (
        "rowsift.engines.",
        "rowsift.engine.execute",
        "rowsift.monitor",
        "rowsift.export",
        "rowsift.profile",
        "rowsift.suggest",
        "rowsift.report",
        "rowsift.io",
    ):
        assert not {name for name in loaded if name.startswith(package)}, package


def test_help_imports_no_command_module() -> None:
    assert _modules("--help") & COMMAND_MODULES == set()


def test_a_group_loads_its_own_module_only() -> None:
    loaded = _modules("monitor", "--help")
    assert loaded & COMMAND_MODULES == {"rowsift._cli.monitor"}


def test_help_lists_each_command_with_its_own_help() -> None:
    # `rowsift --help` reads COMMANDS; each entry must say what the command itself says
    for name, (_, _, summary) in COMMANDS.items():
        command = load_command(name)
        assert command.name == name
        assert (command.help or "").split("\n\n")[0] == summary, name


def test_help_lists_every_command_in_order_and_typos_are_still_answered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()
    listed = runner.invoke(app, ["--help"]).stdout.split("Commands:\n")[1].splitlines()
    assert [line.split()[0] for line in listed if line.strip()] == list(COMMANDS)
    for line, (_, _, summary) in zip(listed, COMMANDS.values(), strict=True):
        assert summary.startswith(line.split(maxsplit=1)[1].removesuffix("..."))
    typo = runner.invoke(app, ["chek", "x.yaml"])
    assert typo.exit_code == 2
    assert "No such command 'chek'. Did you mean 'check'?" in typo.stderr


def test_python_dash_m_rowsift_is_the_command_line() -> None:
    """`python -m rowsift` answers as the `rowsift` script: its usage, and a recipe checked."""
    usage = subprocess.run(
        [sys.executable, "-m", "rowsift", "--help"], capture_output=True, text=True, check=False
    )
    assert usage.returncode == 0, usage.stderr
    assert "Usage: python -m rowsift" in usage.stdout
    assert "suggest" in usage.stdout
    checked = subprocess.run(
        [sys.executable, "-m", "rowsift", "check", str(orders_recipe_path())],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("ok: ")


@pytest.mark.parametrize("flag", ["--quiet", "--json"])
def test_a_quiet_or_json_run_loads_no_console(tmp_path: Path, flag: str) -> None:
    """A run that shows nothing, or only JSON, needs no Rich: its outputs are the same as a
    shown run's (the run itself is the same code)."""
    data = tmp_path / "t.csv"
    data.write_text("id,amount\n1,2.5\n2,x\n")
    recipe = tmp_path / "r.yaml"
    recipe.write_text("version: 1\ncolumns:\n  id: {type: int}\n  amount: {type: float}\n")
    loaded = _loaded("run", str(recipe), str(data), "--out", str(tmp_path / "out"), flag)
    assert "rich" not in loaded
    assert "polars" in loaded  # the run did read and write the data
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert (summary["rows_in"], summary["rows_quarantined"]) == (2, 1)
