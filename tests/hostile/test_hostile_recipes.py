"""Every hostile recipe: `check` and `run` answer with a documented exit code, no traceback, no
hang, bounded memory, nothing executed, and every record accounted for when the run goes
ahead (corpus: `corpus_recipes.py`)."""

from __future__ import annotations

import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from corpus_recipes import TABLE, RecipeCase, hostile_recipes
from hostile_checks import Outcome, assert_clean_exit, assert_conserved, assert_no_outputs

CASES = hostile_recipes()
MEMORY_LIMIT = 3 << 30
"""Address space a bomb may use before the system stops it: far above what a recipe needs."""
PWNED = Path("/tmp/rowsift-pwned")


def _files(case: RecipeCase, folder: Path) -> tuple[Path, Path]:
    recipe = folder / "recipe.yaml"
    if isinstance(case.text, bytes):
        recipe.write_bytes(case.text)
    else:
        recipe.write_text(case.text, encoding="utf-8")
    data = folder / "table.csv"
    data.write_text(TABLE)
    return recipe, data


def _check_codes(case: RecipeCase) -> tuple[int, ...]:
    return {"valid": (0,), "invalid": (2,), "either": (0, 2)}[case.expect]


def _judge_run(outcome: Outcome, out: Path) -> None:
    assert_clean_exit(outcome, allowed=(0, 1, 2, 3))
    if outcome.code in (0, 1):
        assert_conserved(out, 4, fmt="csv")
    else:
        assert_no_outputs(out)


IN_PROCESS = [case for case in CASES if not case.id.startswith("billion")]


@pytest.mark.parametrize("case", IN_PROCESS, ids=[case.id for case in IN_PROCESS])
def test_hostile_recipe(cli: Callable[..., Outcome], tmp_path: Path, case: RecipeCase) -> None:
    PWNED.unlink(missing_ok=True)
    recipe, data = _files(case, tmp_path)
    check = cli("check", recipe)
    assert_clean_exit(check, allowed=_check_codes(case))
    out = tmp_path / "out"
    run = cli("run", recipe, data, "--out", out, "--output-format", "csv", "-q")
    _judge_run(run, out)
    if check.code == 2:
        assert run.code == 2
    assert not PWNED.exists()


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


BOMBS = [case for case in CASES if case.id.startswith("billion")]


def _refused_in_bounded_memory(tmp_path: Path, case: RecipeCase) -> None:
    recipe, data = _files(case, tmp_path)
    out = tmp_path / "out"
    for args in (["check", str(recipe)], ["run", str(recipe), str(data), "--out", str(out)]):
        done = subprocess.run(
            [sys.executable, "-m", "rowsift._cli", *args],
            capture_output=True,
            text=True,
            preexec_fn=_limited,
            timeout=60,
            check=False,
        )
        assert_clean_exit(Outcome(done.returncode, done.stdout, done.stderr), allowed=(2,))
    assert_no_outputs(out)


if BOMBS:  # the bombs wait in corpus_recipes.PENDING until recipes refuse them

    @pytest.mark.parametrize("case", BOMBS, ids=[case.id for case in BOMBS])
    def test_yaml_bombs_are_refused_quickly_in_bounded_memory(
        tmp_path: Path, case: RecipeCase
    ) -> None:
        _refused_in_bounded_memory(tmp_path, case)
