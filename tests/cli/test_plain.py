"""`print_line` writes a line of text exactly as the console does, without starting Rich."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import examples

from rowsift._cli import plain
from rowsift._cli.console import SafeConsole

TRICKY = [
    "",
    "ok: r.yaml is a valid recipe: 8 columns, 20 row rules, 2 dataset rules",
    "[bold red]not markup[/] :smile: http://example.com 1.5 True None",
    "controls \x1b[2J \x07 \r \x85 and bidi \u202e\u2066 made visible",
    "two\nlines  with trailing spaces  ",
    "a tab\there, wide 漢字 and 🙂 emoji, combining e\u0301",
    "x " * 300,
]


def _by_console(text: str, *, terminal: bool) -> str:
    console = SafeConsole(file=io.StringIO(), soft_wrap=True, force_terminal=terminal, width=40)
    console.print(text)
    return console.file.getvalue()  # type: ignore[attr-defined]


def _by_print_line(text: str, monkeypatch: pytest.MonkeyPatch) -> str:
    written = io.StringIO()
    monkeypatch.setattr(sys, "stdout", written)
    monkeypatch.setenv("COLUMNS", "40")
    plain.print_line(text)
    return written.getvalue()


@pytest.mark.parametrize("text", TRICKY)
@pytest.mark.parametrize("terminal", [False, True])
def test_print_line_writes_what_the_console_does(
    text: str, terminal: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _by_print_line(text, monkeypatch) == _by_console(text, terminal=terminal)


@settings(max_examples=examples(200), deadline=None)
@given(st.text())
def test_print_line_writes_what_the_console_does_for_any_text(text: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert _by_print_line(text, monkeypatch) == _by_console(text, terminal=False)


def test_a_closed_pipe_ends_quietly_as_with_the_console() -> None:
    # the reader is gone before the line is written: exit 1 and nothing on stderr, as Rich does
    code = (
        "import os, sys\n"
        "r, w = os.pipe(); os.close(r); os.dup2(w, 1)\n"
        "from rowsift._cli.plain import print_line\n"
        "print_line('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (1, "")
