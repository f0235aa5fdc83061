"""Tables printed as data frames print them (pandas' ``to_string``, R's ``print``): columns lined
up with spaces, each value flush with its column's edge, spaces inside values kept as written."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from loading_helpers import detected, failed, good, names

from rowsift.io import sniff
from rowsift.io.aligned import gutter_starts

WORDS = ["Jan", "New", "York", "Bay", "Springs", "Air", "Inc.", "St.", "W.", "6th", "Ana", "Li"]
WORDS += ["Adult,", "Egg,"]  # a print's values may hold the comma and space of a CSV
NUMBER = st.one_of(
    st.integers(-99_999, 99_999).map(str),
    st.floats(-1e5, 1e5, allow_nan=False).map(lambda x: f"{x:.2f}"),
)
TEXT = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)
DATE = st.tuples(st.sampled_from(["Jan", "Feb", "Mar"]), st.integers(1, 28)).map(
    lambda day: f"{day[0]} {day[1]} 2000"
)


@st.composite
def frames(draw: st.DrawFn) -> pd.DataFrame:
    """A table of two to five columns of numbers, words (one to three, some ending in a comma)
    or dates with spaces, under one-word names; at least one column's values hold a space.
    (Names of several words over values of several words can be read more than one way when
    the records are few: which of ``a_ Length (mm)`` names ``York`` of ``New York``?)"""
    kinds = draw(st.lists(st.sampled_from([NUMBER, TEXT, DATE]), min_size=2, max_size=5))
    rows = draw(st.integers(3, 12))
    columns = {
        f"{'abcdefgh'[place]}_{'x' * draw(st.integers(0, 8))}": draw(
            st.lists(kind, min_size=rows, max_size=rows)
        )
        for place, kind in enumerate(kinds)
    }
    frame = pd.DataFrame(columns, dtype=str)
    if not frame.map(lambda value: " " in value).any().any():
        frame.iloc[0, 0] = "New York"  # a value with a space: what splitting misreads
    return frame


def _values(frame: pd.DataFrame) -> list[tuple[str, ...]]:
    return [tuple(row) for row in frame.itertuples(index=False)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames())
def test_a_printed_frame_reads_back_as_printed(tmp_path_factory, frame: pd.DataFrame) -> None:
    """Whatever its columns, a frame printed without its index reads back with its names and
    every value as printed, none split at its spaces, no record failed."""
    path = tmp_path_factory.mktemp("printed") / "frame.txt"
    path.write_text(frame.to_string(index=False) + "\n")
    read = detected(path)
    assert names(read) == list(frame.columns)
    assert good(read) == _values(frame)
    assert not failed(read)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames())
def test_a_printed_index_is_an_unnamed_first_column(tmp_path_factory, frame: pd.DataFrame) -> None:
    """Printed with its index, the row numbers are a first column without a name."""
    path = tmp_path_factory.mktemp("printed") / "frame.txt"
    path.write_text(f"Table 4. Visits\n\n{frame.to_string()}\n")
    read = detected(path)
    assert names(read)[1:] == list(frame.columns)
    assert good(read) == [(str(i), *row) for i, row in enumerate(_values(frame))]


def test_dates_holding_spaces_under_a_name_flush_right(tmp_path: Path) -> None:
    """``Jan 1 2000`` is one value: its runs of letters and digits line up under ``date``,
    whose name ends where the column does."""
    path = tmp_path / "stocks.txt"
    path.write_text(
        "symbol       date price\n  MSFT Jan 1 2000 39.81\n  MSFT Feb 1 2000 36.35\n"
        "  AAPL Mar 1 2000 33.95\n   IBM Apr 1 2000 100.5\n"
    )
    found = sniff(path)
    assert (found.aligned, found.names) == (True, ("symbol", "date", "price"))
    assert good(detected(path))[3] == ("IBM", "Apr 1 2000", "100.5")
    # the recipe's keys read the file the same way
    assert found.to_source()["column_starts"] == [0, 7, 18]


def test_values_of_one_width_one_space_apart_with_blank_cells(tmp_path: Path) -> None:
    """Every value as wide as its column, one space apart, and an empty cell printed blank:
    not a file delimited by single spaces, whose blank cells would be fields too many."""
    path = tmp_path / "co2.txt"
    path.write_text(
        "    date   co2\n19580329 316.1\n19580405 317.3\n19580510      \n19580517 317.5\n"
    )
    read = detected(path)
    assert names(read) == ["date", "co2"]
    assert [(d, c or "") for d, c in good(read)] == [
        ("19580329", "316.1"),
        ("19580405", "317.3"),
        ("19580510", ""),
        ("19580517", "317.5"),
    ]


def test_r_row_names_one_space_from_the_values_are_a_column() -> None:
    """R prints row names one space left of a column as wide as its values, as it prints one
    value's words: row numbers counting up are a column of their own."""
    lines = ["  abc b", "1 xyz 5", "2 uvw 6", "3 rst 7"]
    assert gutter_starts(lines) == (0, [0, 2, 6])


def test_prose_is_no_printed_table(tmp_path: Path) -> None:
    """Indented notes line up by chance only: a name off its column's edges is prose."""
    text = "To do\n\n* make groupstats a class\n  use bincount but loop over 2d\n* a class\n"
    assert gutter_starts(text.splitlines()) is None


def test_one_space_apart_with_a_first_column_of_one_width_is_no_print(tmp_path: Path) -> None:
    """Codes of one width, then names holding spaces, one space apart: the gutter after the
    codes lines up by chance; the header names every field, and the names are joined back."""
    path = tmp_path / "airports.txt"
    names = ["Lansdowne Airport", "Moton Field Airport", "Schaumburg Regional", "Randall"]
    names += ["Jekyll Island Airport", "Elizabethton", "Williams County", "Finger Lakes"]
    names += ["Shoestring", "Jefferson", "Harford", "Cleveland", "Mansfield"]
    rows = [(str(1000 + i * 7), name, str(100 + i * 37)) for i, name in enumerate(names)]
    path.write_text("faa name alt\n" + "".join(" ".join(row) + "\n" for row in rows))
    found = sniff(path)
    assert (found.delimiter, found.aligned, found.names) == (" ", False, ("faa", "name", "alt"))
    assert good(detected(path)) == rows


def test_a_rule_below_the_table_leaves_its_gutters(tmp_path: Path) -> None:
    """A line of dashes under the table fills every position: it is left out when the
    gutters are looked for, and the values holding a space stay whole."""
    path = tmp_path / "station.txt"
    path.write_text(
        "STATION DATA 1990-2000\n\ndate              temp\n2010/01/01 00:00  39.4\n"
        "2010/01/01 01:00  39.2\n2010/01/01 02:00  39.0\n" + "-" * 22 + "\n"
    )
    read = detected(path)
    assert names(read) == ["date", "temp"]
    assert good(read) == [
        ("2010/01/01 00:00", "39.4"),
        ("2010/01/01 01:00", "39.2"),
        ("2010/01/01 02:00", "39.0"),
    ]


def test_a_title_of_a_word_for_each_column_stands_apart(tmp_path: Path) -> None:
    """A title of as many words as the table has columns, a blank line below it, is no header:
    the line below the blank one names the columns the gutters find."""
    path = tmp_path / "cabbages.txt"
    path.write_text(
        "Table 1. Figures by record\n\nrownames Cult Date HeadWt VitC\n"
        "       1  c39  d16    2.5   51\n       2  c39  d16    2.2   55\n"
        "       3  c39  d16    3.1   45\n"
    )
    read = detected(path)
    assert names(read) == ["rownames", "Cult", "Date", "HeadWt", "VitC"]
    assert good(read)[2] == ("3", "c39", "d16", "3.1", "45")


def test_names_wider_than_their_values_and_commas_in_values(tmp_path: Path) -> None:
    """A name of several words wider than its column's values (``Sample Number`` over ``1``)
    names one column; values holding a comma and a space (``Adult, 1 Egg Stage``) do not make
    ``, `` the delimiter of a print whose header holds none."""
    frame = pd.DataFrame(
        {
            "studyName": ["PAL0708"] * 4,
            "Sample Number": ["1", "2", "3", "14"],
            "Stage": ["Adult, 1 Egg Stage"] * 3 + ["Adult, 2 Egg Stage"],
            "Body Mass (g)": ["3750", "3800", "3250", "4675"],
        },
        dtype=str,
    )
    path = tmp_path / "penguins.txt"
    path.write_text(frame.to_string(index=False) + "\n")
    read = detected(path)
    assert names(read) == list(frame.columns)
    assert good(read) == _values(frame)
