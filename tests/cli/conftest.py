"""Run the real `rowsift` command in-process, with a fixed terminal width."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from typer.testing import CliRunner

from rowsift._cli.app import app


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Outcome]:
    monkeypatch.setenv("COLUMNS", "110")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    runner = CliRunner()

    def invoke(*args: str) -> Outcome:
        result = runner.invoke(app, list(args), catch_exceptions=False)
        return Outcome(result.exit_code, result.stdout, result.stderr)

    return invoke
