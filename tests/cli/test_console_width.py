"""The terminal width is read when a command prints, not when rowsift was imported: a command
run in a process that imported rowsift earlier (a notebook, a test run) lays out its tables at
the width it has then."""

from __future__ import annotations

import io

import pytest

from rowsift._cli.console import SafeConsole


@pytest.mark.parametrize(
    ("made_with", "printed_with"), [("120", "60"), (None, "60"), ("60", "120")]
)
def test_the_width_is_the_one_when_printing(
    monkeypatch: pytest.MonkeyPatch, made_with: str | None, printed_with: str
) -> None:
    if made_with is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", made_with)
    console = SafeConsole(file=io.StringIO())
    monkeypatch.setenv("COLUMNS", printed_with)
    console.print("x " * 200)
    lines = console.file.getvalue().splitlines()  # type: ignore[attr-defined]
    assert max(len(line) for line in lines) <= int(printed_with)
    assert max(len(line) for line in lines) >= int(printed_with) - 2


def test_a_width_given_stays() -> None:
    assert SafeConsole(file=io.StringIO(), width=33).width == 33
