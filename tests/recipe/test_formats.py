"""A date format is read by one tokenizer; a directive not every engine reads alike is refused
when the recipe loads, with what, where and a hint."""

from __future__ import annotations

import re

import pytest

import rowsift
from rowsift.exceptions import RecipeError
from rowsift.recipe.formats import (
    DIRECTIVES,
    chrono_format,
    format_regex,
    java_pattern,
    tokens,
)


def problem_of(fmt: str) -> tuple[str, int | None, str, str]:
    text = f"version: 1\ncolumns:\n  d:\n    type: date\n    format: '{fmt}'\n"
    with pytest.raises(RecipeError) as caught:
        rowsift.load_recipe_text(text, file="r.yaml")
    [problem] = caught.value.problems
    return problem.path, problem.line, problem.message, problem.hint


@pytest.mark.parametrize(
    ("fmt", "says", "hint"),
    [
        ("%e.%m.%Y", "%e is not accepted: not every engine reads a space-padded day", "%d"),
        ("%y%m%d", "%y is not accepted: engines disagree on the century", "use %Y"),
        ("%Y-%j", "%j is not accepted: pandas and Dask read day 366", "%Y-%m-%d"),
        ("%a %d %b %Y", "%a is not accepted: engines disagree on whether a wrong weekday", "%a"),
        ("%A, %d %B %Y", "%A is not accepted", "replace transform"),
        ("%Y-%m-%d %Q", "the format directive %Q is not accepted", "%Y %m %d"),
        ("%Y-%m-%d%", "the format ends with a lone % at the end", "%%"),
    ],
)
def test_a_directive_not_read_alike_everywhere_is_refused_at_load(
    fmt: str, says: str, hint: str
) -> None:
    path, line, message, given_hint = problem_of(fmt)
    assert (path, line) == ("columns.d.format", 5)
    assert says in message
    assert hint in given_hint


def test_every_directive_is_read_by_every_translation() -> None:
    for directive in DIRECTIVES.values():
        fmt = f"x{directive.strftime}y"
        assert tokens(fmt)[1] is directive
        assert re.fullmatch(directive.pattern, "") is None or directive.letter == "%"
        assert format_regex(fmt).startswith("^x")
        assert java_pattern(fmt) == f"'x'{directive.java}'y'"
        assert chrono_format(fmt) == f"x{directive.chrono or directive.strftime}y"


def test_literal_text_is_escaped_in_every_translation() -> None:
    fmt = "%Y.%m'%d T%H"
    assert re.fullmatch(format_regex(fmt), "2024.03'09 T14")
    assert not re.fullmatch(format_regex(fmt), "2024x03'09 T14")
    assert java_pattern(fmt) == "yyyy.MM''dd 'T'HH"
    assert chrono_format("%Y%%%m") == "%Y%%%m"


def test_the_recipe_docs_list_every_directive() -> None:
    from pathlib import Path

    docs = (Path(__file__).parents[2] / "docs" / "recipe.md").read_text(encoding="utf-8")
    table = docs[docs.index("### Date formats") :]
    for directive in DIRECTIVES.values():
        written = "%%" if directive.letter == "%" else directive.strftime
        assert f"`{written}" in table


@pytest.mark.parametrize(
    "fmt", ["%Y-%m-%d %H:%M:%S%z", "[%d.%m.%Y] #%H{%M}", "%Y-%m-%dT%H:%M:%S.%f%z", "%I:%M %p"]
)
def test_a_java_pattern_reads_back_as_its_format(fmt: str) -> None:
    from rowsift.export.contracts.odcs import strftime_format

    assert strftime_format(java_pattern(fmt)) == fmt


def test_an_offsets_other_java_spellings_read_as_z_and_optional_sections_are_refused() -> None:
    from rowsift.export.contracts.odcs import strftime_format

    for spelled in DIRECTIVES["z"].java_read:
        assert strftime_format(f"HH:mm{spelled}") == "%H:%M%z"
    assert strftime_format("yyyy[-MM]") is None
    assert strftime_format("HH:mm{x}") is None
