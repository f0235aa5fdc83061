"""normalize_datetime: values drawn from formats, with and without padding, read back exactly;
any other text is rewritten as the Python reference says or left as it is."""

from __future__ import annotations

import re
from typing import Any

import narwhals.stable.v2 as nw
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import examples

from rowsift.transforms.dates import NormalizeDatetime, pieces, problems

FORMATS = (
    "%m/%d/%Y",
    "%d.%m.%y",
    "%Y%m%d",
    "%Y-%m-%d %H:%M:%S",
    "%I:%M %p",
    "%H%M",
    "%m/%d/%Y %I:%M:%S.%f %p",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%y/%m/%d %I%p",
)
LETTERS = {"year": "Y", "month": "m", "day": "d", "minute": "M", "second": "S", "fraction": "f"}
MERIDIEM_SPELLINGS = ("AM", "am", "a.m.", "a.m", "A.M.", "Am")


@st.composite
def written(draw: Any) -> tuple[str, str, str, str]:
    """(format, `to`, a value written in the format at random, the value `to` must give)."""
    fmt = draw(st.sampled_from(FORMATS))
    hour = draw(st.integers(0, 23))
    year = draw(st.integers(1000, 9999))
    if "%y" in fmt:
        short = draw(st.integers(0, 99))
        year = 2000 + short if short <= 68 else 1900 + short
    got = {
        "Y": str(year),
        "y": str(year % 100),
        "m": str(draw(st.integers(1, 12))),
        "d": str(draw(st.integers(1, 31))),
        "H": str(hour),
        "I": str((hour - 1) % 12 + 1 if hour else 12),
        "M": str(draw(st.integers(0, 59))),
        "S": str(draw(st.integers(0, 59))),
        "f": draw(st.text("0123456789", min_size=1, max_size=6)),
    }
    value = []
    for piece in pieces(fmt):
        if piece.letter == "p":
            spelling = draw(st.sampled_from(MERIDIEM_SPELLINGS))
            value.append(spelling.replace("a", "p").replace("A", "P") if hour >= 12 else spelling)
        elif piece.letter == "f":
            value.append(got["f"].ljust(6, "0") if piece.fixed else got["f"])
        elif piece.letter == "Y":
            value.append(got["Y"].zfill(4))
        elif piece.letter:
            padded = piece.fixed or draw(st.booleans())
            value.append(got[piece.letter].zfill(2) if padded else got[piece.letter])
        else:
            spaces = " " * draw(st.integers(0 if piece.before_meridiem else 1, 2))
            value.append(re.sub(" +", spaces, piece.text))
    twelve = draw(st.booleans())
    to, expected = [], []
    for quantity, letter in LETTERS.items():
        if f"%{letter}" in fmt or (quantity == "year" and "%y" in fmt):
            to.append(f"%{letter}")
            expected.append(str(year) if letter == "Y" else got[letter].zfill(2))
            if letter == "f":
                expected[-1] = got["f"].ljust(6, "0")
        if quantity == "day" and ("%H" in fmt or "%I" in fmt):
            to.append("%I" if twelve else "%H")
            expected.append(got["I" if twelve else "H"].zfill(2))
    if twelve and ("%H" in fmt or "%I" in fmt):
        to.append("%p")
        expected.append("PM" if hour >= 12 else "AM")
    space = draw(st.sampled_from(["", " ", "\u00a0"]))
    return fmt, "|".join(to), space + "".join(value) + space, "|".join(expected)


def rewritten(values: list[str | None], transform: NormalizeDatetime, kind: str) -> list[Any]:
    frame: Any = pd.DataFrame({"v": pd.Series(values, dtype=object)})
    if kind == "polars":
        frame = pl.DataFrame({"v": values}, schema={"v": pl.String})
    out = nw.from_native(frame).select(transform.apply(nw.col("v")))
    return [v if isinstance(v, str) else None for v in out["v"].to_list()]


@settings(max_examples=examples(40), deadline=None)
@given(st.lists(written(), min_size=1, max_size=12), st.sampled_from(["polars", "pandas"]))
def test_values_drawn_from_formats_are_rewritten_exactly(cases: list[Any], kind: str) -> None:
    for fmt, to in {(c[0], c[1]) for c in cases}:
        chosen = [c for c in cases if (c[0], c[1]) == (fmt, to)]
        transform = NormalizeDatetime((fmt,), to)
        values = [c[2] for c in chosen]
        assert rewritten(values, transform, kind) == [c[3] for c in chosen], values
        assert [transform.rewrite(v) for v in values] == [c[3] for c in chosen], values


JUNK = st.one_of(
    st.none(),
    st.text(max_size=14),
    st.text("0123456789/:.- apmAPM", max_size=14),
)


@settings(max_examples=examples(30), deadline=None)
@given(st.lists(JUNK, min_size=1, max_size=20))
def test_any_text_is_rewritten_as_the_reference_says_or_left(values: list[str | None]) -> None:
    transform = NormalizeDatetime(("%I:%M %p", "%H:%M", "%H%M"), "%H:%M")
    got = rewritten(values, transform, "polars")
    assert got == [transform.rewrite(v) for v in values]
    assert got == rewritten(values, transform, "pandas")
    for value, result in zip(values, got, strict=True):
        assert result == value or re.fullmatch("([01][0-9]|2[0-3]):[0-5][0-9]", result or "")


@pytest.mark.parametrize(
    ("formats", "to", "says"),
    [
        ((), "%Y", "no format is listed"),
        (("%b %d %Y",), "%Y-%m-%d", "%b is not accepted: normalize_datetime reads numbers"),
        (("%Y-%m-%d",), "%Y-%m-%d%z", "%z is not accepted"),
        (("%d/%m/%Y %H",), "%Y-%m-%d %H:%M", "has no minute, which `to` writes"),
        (("%H:%M",), "%I:%M", "has %I without %p"),
        (("%m/%d/%Y %m",), "%Y", "writes the month twice"),
        (("%Y %y",), "%Y", "writes the year twice"),
        (("today",), "%Y", "has no directive"),
        (("%Y\n%m",), "%Y", "holds a line break"),
    ],
)
def test_arguments_that_cannot_work_are_refused(
    formats: tuple[str, ...], to: str, says: str
) -> None:
    assert any(says in what for _, what, _ in problems(formats, to))
    with pytest.raises(ValueError, match=re.escape(says)):
        NormalizeDatetime(formats, to)
