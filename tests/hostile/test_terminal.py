"""The terminal shows names and values as text: never markup, emoji codes or control codes."""

from __future__ import annotations

import io

import pytest
from rich.table import Table
from rich.text import Text

from rowsift._cli.console import SafeConsole, safe_text, visible

HOSTILE = [
    ("[/]", "[/]"),
    ("[b]", "[b]"),
    ("[bold red]x[/bold red]", "[bold red]x[/bold red]"),
    ("[link=file:///etc/passwd]click[/link]", "[link=file:///etc/passwd]click[/link]"),
    (":smile:", ":smile:"),
    ("\x1b[2J\x1b[31mred", "\\x1b[2J\\x1b[31mred"),
    ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),
    ("a\rb", "a\\x0db"),
    ("\u202eexe.txt", "\\u202eexe.txt"),
    ("\u2066x\u2069", "\\u2066x\\u2069"),
    ("\x9b31m", "\\x9b31m"),
    ("\x00", "\\x00"),
]


def _console() -> tuple[SafeConsole, io.StringIO]:
    buffer = io.StringIO()
    return SafeConsole(file=buffer, width=200, color_system=None, soft_wrap=True), buffer


@pytest.mark.parametrize(("value", "shown"), HOSTILE)
def test_every_way_of_printing_a_value_shows_it_as_text(value: str, shown: str) -> None:
    console, buffer = _console()
    table = Table(title=value)
    table.add_column(value)
    table.add_row(value)
    console.print(value)
    console.print(table)
    console.print(Text(value))
    console.print(safe_text(value))
    console.print(Text.assemble(("error: ", "bold red"), visible(value)))
    printed = buffer.getvalue()
    # title, header, cell and four prints (a `Text` built directly drops \r and \a itself)
    assert printed.count(shown) >= 6, printed
    assert "\x1b" not in printed
    assert "\u202e" not in printed
    assert "\u2066" not in printed


def test_a_huge_value_is_shortened_with_its_length() -> None:
    text = safe_text("x" * 1_000_000, limit=50)
    assert text.plain == "x" * 50 + "… (1,000,000 chars)"
