"""Fixtures of the hostile-input tests: the real `rowsift` command, run in-process."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from hostile_checks import CASE_SECONDS, Outcome, deadline  # noqa: E402

from rowsift._cli.app import app  # noqa: E402


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Outcome]:
    """Run `rowsift ARGS...` in-process; the outcome's exit code and both streams."""
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    runner = CliRunner()

    def invoke(*args: str | Path, seconds: int = CASE_SECONDS) -> Outcome:
        with deadline(seconds):
            result = runner.invoke(app, [str(a) for a in args], catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Outcome(result.exit_code, result.stdout, result.stderr)

    return invoke
