"""Start-up stays quick: `import rowsift`, `--help` and `check` load no heavy library.

Time itself is measured in bench/README.md (start-up); these tests pin what is imported, which
is what decides it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from rowsift.demo import orders_recipe_path

HEAVY = ("polars", "duckdb", "pyspark", "dask", "pandas", "scipy", "numpy", "pyarrow")
#: what --help needs is Typer alone: no frame library, no model, no console
NOT_FOR_HELP = (*HEAVY, "narwhals", "pydantic", "yaml", "rich", "psycopg", "rapidfuzz")

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
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})), file=sys.stderr)
"""


def _loaded(*args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize("args", [(), ("--help",), ("--version",)])
def test_import_and_help_load_nothing_heavy(args: tuple[str, ...]) -> None:
    assert _loaded(*args) & set(NOT_FOR_HELP) == set()


def test_a_command_help_loads_only_what_typer_does() -> None:
    # Typer's own parameter adapters import pydantic when a command's options are shown
    assert _loaded("run", "--help") & (set(NOT_FOR_HELP) - {"pydantic"}) == set()


def test_check_loads_no_frame_library(tmp_path: Path) -> None:
    recipe = tmp_path / "r.yaml"
    # patterns of rules and of a replace transform (checked for matching the empty text too)
    recipe.write_text(
        "version: 1\ncolumns:\n  id:\n"
        "    transforms: [{replace: {pattern: '^ +', with: ''}}]\n"
        "    rules: [{matches: '^ORD-\\d{8}$'}]\n"
    )
    assert _loaded("check", str(recipe)) & set(HEAVY) == set()
    assert _loaded("check", str(orders_recipe_path())) & set(HEAVY) == set()


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
