"""Dates and times written several ways: suggest rewrites them in one format before the cast,
the run then reads every one, and a time of day is checked by its shape, never "repaired" as a
typo of another time."""

from __future__ import annotations

import random

import polars as pl

import rowsift
from rowsift.suggest.dates import date_spellings


def _dates(count: int, seed: int) -> list[str]:
    chance = random.Random(seed)
    found = []
    for _ in range(count):
        year, month, day = chance.randint(1990, 2030), chance.randint(1, 12), chance.randint(1, 28)
        found.append(f"{month}/{day}/{year}")
    return found


def _times(count: int, seed: int) -> list[str]:
    chance = random.Random(seed)
    spellings = ["a.m.", "p.m.", "AM", "PM", "am", "pm"]
    return [
        f"{chance.randint(1, 12)}:{chance.randint(0, 59):02d} {chance.choice(spellings)}"
        for _ in range(count)
    ]


def test_unpadded_dates_and_times_of_day_are_rewritten_and_all_rows_stay_clean() -> None:
    table = pl.DataFrame(
        {
            "visited": _dates(400, 1),
            "departure": _times(400, 2),
            "mixed": [d if i % 3 else "2011-07-04" for i, d in enumerate(_dates(400, 3))],
        }
    )
    recipe = rowsift.suggest_recipe(table)
    visited, departure = recipe.columns["visited"], recipe.columns["departure"]
    assert visited.type == "date"
    assert [t.kind for t in visited.transforms] == ["normalize_datetime"]
    assert departure.type == "string"
    assert [t.kind for t in departure.transforms] == ["normalize_datetime"]
    assert {r.kind for r in departure.rules} <= {"not_null", "matches"}
    assert recipe.columns["mixed"].transforms[0].args.formats == ["%m/%d/%Y", "%Y-%m-%d"]
    result = rowsift.run(recipe, table)
    assert result.summary.rows_quarantined == 0
    clean = result.clean.sort("_rowsift_row")
    assert clean["departure"][0] == _reference_time(table["departure"][0])
    assert clean["visited"].dtype == pl.Date
    again = table.with_columns(pl.Series("departure", _times(400, 9)))
    assert rowsift.run(recipe, again).summary.rows_quarantined == 0  # new times: no error


def _reference_time(text: str) -> str:
    clock, meridiem = text.split(" ")
    hour, minute = (int(part) for part in clock.split(":"))
    hour = hour % 12 + (12 if meridiem.lower().startswith("p") else 0)
    return f"{hour:02d}:{minute:02d}"


def test_what_is_not_rewritten() -> None:
    assert date_spellings(["2009-01-01", "2010-02-13"] * 10) is None  # one exact format already
    assert date_spellings(["1/2/2009", "3/4/2010"] * 10) is None  # month or day first?
    assert date_spellings(["7:05", "12:30", "3:45"] * 10) is None  # a duration, perhaps
    assert date_spellings(["AB-12", "CD-7"] * 10) is None
    mixed_seconds = ["7:10 a.m.", "7:10:05 p.m."] * 10
    assert date_spellings(mixed_seconds) is None  # one format would lose or invent seconds


def test_a_slip_written_often_is_a_second_kind_of_value_not_an_error() -> None:
    # a day not known, written -9 on one date in ten: a cast would quarantine it on every batch
    unknown_day = [f"{d.split('/')[0]}/-9/{d.split('/')[2]}" for d in _dates(40, 5)]
    known = _dates(360, 4)
    started = pl.Series("started", [*known, *unknown_day]).shuffle(seed=1)
    table = pl.DataFrame({"id": [f"W{i:04d}" for i in range(400)], "started": started})
    recipe = rowsift.suggest_recipe(table)
    assert recipe.columns["started"].type == "string"
    assert rowsift.run(recipe, table).summary.rows_quarantined == 0
    # the same day slipped once or twice, scattered: errors of the column, which the cast catches
    slipped = [*known, "3/122/2001", "4/1/20011"]
    found = date_spellings(slipped)
    assert found is not None
    assert found.formats == ["%m/%d/%Y"]
