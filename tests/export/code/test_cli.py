"""`rowsift export`: text to standard output or a file, clear errors with their exit codes."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from rowsift._cli.app import app
from rowsift.demo import orders_recipe_path

runner = CliRunner()


def test_export_prints_the_program() -> None:
    result = runner.invoke(app, ["export", str(orders_recipe_path()), "--to", "polars"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith('"""Clean a table as a rowsift recipe does, with Polars')
    assert "def rule_order_id_matches() -> pl.Expr:" in result.stdout


def test_export_writes_the_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "clean_orders.py"
    result = runner.invoke(
        app, ["export", str(orders_recipe_path()), "--to", "polars", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert "def split(" in target.read_text(encoding="utf-8")
    assert sorted(p.name for p in target.parent.iterdir()) == ["clean_orders.py"]


def test_an_unknown_target_is_a_usage_error_with_a_guess() -> None:
    result = runner.invoke(app, ["export", str(orders_recipe_path()), "--to", "polar"])
    assert result.exit_code == 2
    assert "did you mean 'polars'?" in result.stderr


def test_a_source_a_program_cannot_read_is_refused(tmp_path: Path) -> None:
    recipe = tmp_path / "r.yaml"
    recipe.write_text("version: 1\nsource: {format: parquet}\ncolumns: {a: {}}\n")
    result = runner.invoke(app, ["export", str(recipe), "--to", "polars"])
    assert result.exit_code == 2
    assert "source.format 'parquet'" in result.stderr
    assert "Traceback" not in result.output


def test_the_recipe_is_never_overwritten(tmp_path: Path) -> None:
    recipe = tmp_path / "r.yaml"
    recipe.write_text("version: 1\ncolumns: {a: {}}\n")
    result = runner.invoke(app, ["export", str(recipe), "--to", "polars", "-o", str(recipe)])
    assert result.exit_code == 2
    assert recipe.read_text() == "version: 1\ncolumns: {a: {}}\n"


def test_a_bad_recipe_is_a_recipe_error(tmp_path: Path) -> None:
    recipe = tmp_path / "r.yaml"
    recipe.write_text("version: 1\ncolumns: {a: {rules: [nonsense]}}\n")
    result = runner.invoke(app, ["export", str(recipe), "--to", "polars"])
    assert result.exit_code == 2
    assert "nonsense" in result.stderr


def test_every_contract_format_is_an_export_target() -> None:
    from rowsift.export import TARGETS
    from rowsift.export.contracts import FORMATS

    assert set(FORMATS) <= set(TARGETS)
    result = runner.invoke(app, ["export", str(orders_recipe_path()), "--to", "gx"])
    assert result.exit_code == 0, result.output
    assert '"expectations"' in result.stdout


def test_the_program_exits_3_on_input_it_cannot_use(tmp_path: Path) -> None:
    """As `rowsift run`: a missing required column or an unreadable file is exit code 3, with
    one line of error and no traceback."""
    import subprocess
    import sys

    program = tmp_path / "clean.py"
    result = runner.invoke(app, ["export", str(orders_recipe_path()), "--to", "polars"])
    program.write_text(result.stdout, encoding="utf-8")
    (tmp_path / "other.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    for given in ("other.csv", "missing.csv"):
        ran = subprocess.run(
            [sys.executable, str(program), str(tmp_path / given), str(tmp_path / "out")],
            capture_output=True,
            text=True,
            check=False,
        )
        assert ran.returncode == 3, ran.stderr
        assert ran.stderr.startswith("error: ")
        assert "Traceback" not in ran.stderr
