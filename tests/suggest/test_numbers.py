"""Clothed numbers: the repair strips currency, units, percent and thousands marks on every
value it explains, and the run then reads the number the text meant."""

from __future__ import annotations

import re
from collections import Counter

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rowsift
from rowsift.suggest.decimal_comma import decimal_comma_repair
from rowsift.suggest.numbers import number_repair

CLOTHES = st.sampled_from(["${}", "{} usd", "{}%", "{} oz", "{} USD", "€ {}"])


def _bare(value: str, found: object) -> str:
    for spec in found.transforms:  # type: ignore[attr-defined]
        value = re.sub(spec.args.pattern, spec.args.with_, value)
    return value.strip()


@settings(max_examples=60, deadline=None)
@given(
    numbers=st.lists(
        st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False), min_size=20
    ),
    clothes=CLOTHES,
    thousands=st.booleans(),
)
def test_the_repair_gives_back_every_number(
    numbers: list[object], clothes: str, thousands: bool
) -> None:
    texts = [f"{n:,}" if thousands else f"{n}" for n in numbers]
    clothed = [clothes.format(t) if i % 3 == 0 else t for i, t in enumerate(texts)]
    found = number_repair(Counter(clothed))
    if found is None:  # only when the clothing is seen fewer than twice
        assert sum(1 for c, t in zip(clothed, texts, strict=True) if c != t) < 2
        return
    for value, number in zip(clothed, numbers, strict=True):
        assert float(_bare(value, found)) == float(str(number))


VALUES = st.one_of(
    st.integers(0, 10**6).map(str),
    st.integers(0, 10**6).map(lambda n: f"{n:,}"),
    st.integers(0, 10**4).map(lambda n: f"${n}"),
    st.integers(0, 100).map(lambda n: f"{n}%"),
    st.integers(0, 10**4).map(lambda n: f"{n},{n % 100:02d}"),
    st.integers(0, 10**4).map(lambda n: f"{n // 1000}.{n % 1000:03d},5"),
    st.sampled_from(["north", "n/a", "$", "ab12", "12 oz", "1.5", "-", "7 kg"]),
)


@settings(max_examples=200, deadline=None)
@given(values=st.lists(VALUES, min_size=1, max_size=80), seed=st.randoms(use_true_random=False))
def test_the_order_of_the_values_never_changes_the_repair(values: list[str], seed: object) -> None:
    """Reading stops as soon as too few values can be numbers; whichever come first, the
    answer is the one a full reading gives."""
    counted = Counter(values)
    shuffled = list(counted.items())
    seed.shuffle(shuffled)  # type: ignore[attr-defined]
    reordered = Counter(dict(shuffled))
    for repair in (number_repair, decimal_comma_repair):
        assert repair(counted) == repair(reordered)
        words = sum(n for v, n in counted.items() if v != "$" and not any(map(str.isdigit, v)))
        if words > 0.1 * counted.total():
            assert repair(counted) is None


def test_decimal_commas_and_mixed_units_are_left_alone() -> None:
    assert number_repair(Counter({"1,5": 10, "2,25": 10, "3 kg": 5})) is None
    assert number_repair(Counter({"12 oz": 10, "3 kg": 10, "5": 10})) is None


@pytest.mark.parametrize("prefix", ["src", "INV", "sku", "Bus"])
def test_a_word_before_a_number_makes_a_code_not_a_number(prefix: str) -> None:
    """Only a currency code before a number is clothing (``USD 12``): ``src12`` and ``INV001``
    are codes, and no repair or number type may turn them into 12 and 1."""
    codes = [f"{prefix}{i:03d}" if i % 2 else f"{prefix}{i}" for i in range(40)]
    assert number_repair(Counter(dict.fromkeys(codes, 5))) is None
    recipe = rowsift.suggest_recipe(pl.DataFrame({"code": codes * 5}))
    assert recipe.columns["code"].type == "string"
    assert all(t.kind != "normalize_number" for t in recipe.columns["code"].transforms)
    assert number_repair(Counter({"USD 12": 5, "usd 7": 5, "3": 5})) is not None


def test_a_suggested_repair_runs_on_the_engine() -> None:
    values = [f"${i}.50" if i % 4 == 0 else f"{i}.50 usd" for i in range(300)]
    values[7] = "last trade: 7.50"
    frame = pl.DataFrame({"price": values})
    recipe = rowsift.suggest_recipe(frame)
    assert recipe.columns["price"].type == "float"
    result = rowsift.run(recipe, frame)
    assert result.clean["price"].to_list()[:3] == [0.5, 1.5, 2.5]
    assert result.quarantine["_rowsift_reasons"].to_list() == [["price.type"]]


def test_percentages_beside_ratios_are_read_as_ratios() -> None:
    """``4.2%`` among ``0.042``s means the same ratio; ``0.05%`` among ``0.05``s is the same
    number with a sign added."""
    ratios = [f"0.0{i % 9 + 1}{i % 7}" for i in range(300)]
    scaled = [f"{float(r) * 100:.1f}%" if i % 5 == 0 else r for i, r in enumerate(ratios)]
    recipe = rowsift.suggest_recipe(pl.DataFrame({"abv": scaled}))
    (repair,) = recipe.columns["abv"].transforms
    assert repair.args.percent == "ratio"
    clean = rowsift.run(recipe, pl.DataFrame({"abv": scaled})).clean["abv"].to_list()
    assert clean == [pytest.approx(float(r)) for r in ratios]
    signed = [f"{r}%" if i % 5 == 0 else r for i, r in enumerate(ratios)]
    recipe = rowsift.suggest_recipe(pl.DataFrame({"abv": signed}))
    assert recipe.columns["abv"].transforms[0].args.percent == "keep"


def test_an_integer_column_reads_whole_floats_of_the_next_batch() -> None:
    learned = pl.DataFrame({"frequency": [str(100 * (i % 37)) for i in range(400)]})
    recipe = rowsift.suggest_recipe(learned)
    assert recipe.columns["frequency"].type == "int"
    batch = pl.DataFrame({"frequency": ["2500.0", "800", "1000.00", "12.5", "1.0.0"]})
    result = rowsift.run(recipe, batch)
    assert result.clean["frequency"].to_list() == [2500, 800, 1000]
    assert result.quarantine["frequency"].to_list() == ["12.5", "1.0.0"]


def test_marks_left_of_a_number_are_an_error_not_a_second_kind_of_value() -> None:
    speeds = ["71.3", "55.5", "39.6", "31.7"] * 100 + [".."] * 8 + ["33..", "..6"]
    recipe = rowsift.suggest_recipe(pl.DataFrame({"velocity": speeds}))
    assert recipe.columns["velocity"].type == "float"
    result = rowsift.run(recipe, pl.DataFrame({"velocity": ["71.3", "..", "39.6"]}))
    assert result.clean["velocity"].to_list() == [71.3, 39.6]
    assert result.quarantine["_rowsift_reasons"].to_list() == [["velocity.type"]]


def test_decimal_commas_are_repaired_to_numbers() -> None:
    prices = [f"{i},{i % 100:02d}" for i in range(1, 200)] + ["12,5", "7", "?"]
    recipe = rowsift.suggest_recipe(pl.DataFrame({"price": prices}))
    assert recipe.columns["price"].type == "float"
    result = rowsift.run(recipe, pl.DataFrame({"price": ["134,56", "3,5", "8", "1,234.5"]}))
    assert result.clean["price"].to_list() == [134.56, 3.5, 8.0]
    assert result.quarantine["_rowsift_reasons"].to_list() == [["price.type"]]
    grouped = [f"{i}.{i % 1000:03d},{i % 100:02d}" for i in range(1, 200)]
    recipe = rowsift.suggest_recipe(pl.DataFrame({"price": grouped}))
    assert recipe.columns["price"].transforms[-1].compact() == {
        "normalize_number": {"decimal": ",", "thousands": "."}
    }
    result = rowsift.run(recipe, pl.DataFrame({"price": ["12.345,6", "7,5", "1,234.5"]}))
    assert result.clean["price"].to_list() == [12345.6, 7.5]
    assert result.quarantine["price"].to_list() == ["1,234.5"]


def test_a_datetime_with_a_slipped_digit_is_an_error_not_a_second_format() -> None:
    stamps = [f"2016-07-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}:05" for i in range(400)]
    stamps += ["2016-07-008 04:18:44", "2016-07-09 01;12:34", "2016-07-09 01;12:34"]
    recipe = rowsift.suggest_recipe(pl.DataFrame({"ts": stamps}))
    assert recipe.columns["ts"].type == "datetime"
    result = rowsift.run(recipe, pl.DataFrame({"ts": stamps[-4:]}))
    assert result.quarantine["ts"].to_list() == stamps[-3:]


def test_clothing_without_its_number_is_a_missing_number() -> None:
    values = Counter({"49.30": 60, "49.30 usd": 20, "$49.30": 12, "$": 10})
    values.update(["last: 49.30", "last: 49.31", "last: 49.35", "last: 49.4"])
    found = number_repair(values)
    assert found is not None
    assert found.type == "float"
    assert found.evidence.observed == round(102 / 106, 6)
    assert number_repair(Counter({"49.30": 80, "unch": 15, "$49.30": 5})) is None


def test_a_worded_value_in_use_keeps_a_column_of_clothed_numbers_text() -> None:
    """``4 or less hours`` on 5% of the rows is an answer of its own, not a slip: the column
    stays text with an allowed set, and the next batch's answers all pass; a worded value
    seen once among clothed numbers is still an error."""
    hours = {"7 hours": 140, "8 hours": 116, "6 hours": 90, "5 hours": 36, "9 hours": 32}
    hours |= {"4 or less hours": 24, "10 or more hours": 8}
    assert number_repair(Counter(hours)) is None
    rows = [value for value, count in hours.items() for _ in range(count)]
    recipe = rowsift.suggest_recipe(pl.DataFrame({"sleep": rows}))
    assert recipe.columns["sleep"].type == "string"
    batch = pl.DataFrame({"sleep": ["4 or less hours", "10 or more hours", "7 hours"]})
    assert rowsift.run(recipe, batch).summary.rows_quarantined == 0
    slipped = Counter(hours | {"4 or less hours": 1, "10 or more hours": 0})
    found = number_repair(+slipped)
    assert found is not None
    assert found.type == "int"


def test_parentheses_with_a_sign_inside_only_wrap_and_without_one_negate() -> None:
    """Changes written ``(-1.29%)`` beside ``(1.29%)`` carry their own sign: the parentheses
    only wrap, and a run reads 1.29 and -1.29. Amounts written ``(1,234.56)`` and never with a
    sign inside are accounting negatives, and the range learned reaches below zero."""
    changes = [f"{(i % 300) / 100:.2f}" for i in range(400)]
    changes += [f"({sign}{(i % 250) / 100:.2f}%)" for i, sign in enumerate(["-", ""] * 60)]
    recipe = rowsift.suggest_recipe(pl.DataFrame({"change": changes}))
    spec = recipe.columns["change"]
    assert spec.type == "float"
    clothing = spec.transforms[-1].args.compact()  # type: ignore[union-attr]
    assert clothing["parentheses"] == "wrap"
    result = rowsift.run(recipe, pl.DataFrame({"change": ["(1.29%)", "(-1.29%)", "0.5"]}))
    assert result.clean["change"].to_list() == [1.29, -1.29, 0.5]
    assert result.summary.rows_quarantined == 0

    amounts = [f"{1000 + 7 * i:,}.50" for i in range(400)]
    amounts += [f"({1000 + 11 * i:,}.25)" for i in range(100)]
    recipe = rowsift.suggest_recipe(pl.DataFrame({"amount": amounts}))
    spec = recipe.columns["amount"]
    assert spec.type == "float"
    clothing = spec.transforms[-1].args.compact()  # type: ignore[union-attr]
    assert "parentheses" not in clothing
    result = rowsift.run(recipe, pl.DataFrame({"amount": ["(1,500.25)", "2,000.50"]}))
    assert result.clean["amount"].to_list() == [-1500.25, 2000.5]
    assert result.summary.rows_quarantined == 0


def test_numbers_mostly_in_parentheses_without_a_sign_are_left_as_text() -> None:
    """Accounting writes negatives in parentheses beside positives written bare; a column
    whose numbers are mostly in parentheses, none with a sign inside (``(12)``, a count or a
    rank as printed), says neither that they are negative nor that they only wrap."""
    values = Counter({f"({n})": 3 for n in range(1, 60)} | {str(n): 1 for n in range(60, 90)})
    assert number_repair(values) is None
    amounts = Counter({f"({n})": 1 for n in range(1, 30)} | {str(n): 2 for n in range(30, 90)})
    found = number_repair(amounts)
    assert found is not None
    assert "parentheses" not in found.clothing


@settings(max_examples=6, deadline=None)
@given(
    cents=st.lists(st.integers(-(10**7), 10**7), min_size=30, max_size=60),
    percent=st.booleans(),
)
def test_changes_in_parentheses_with_their_sign_read_back_as_written(
    cents: list[int], percent: bool
) -> None:
    """A column where every third number is printed in parentheses with its sign inside
    (``(-1.29%)``, ``(+0.50%)``) runs on its own recipe with every value read as the number it
    says, sign included: none fails the type, and every clean value is its number (a rule
    may still call a value far from the others an outlier)."""
    cents = [-125, *cents[1:]]  # one at least with a minus inside
    suffix = "%" if percent else ""
    written = [f"{'-' if c < 0 else ''}{abs(c) // 100}.{abs(c) % 100:02d}" for c in cents]
    texts = [
        f"({'' if text.startswith('-') else '+'}{text}{suffix})" if i % 3 == 0 else text + suffix
        for i, text in enumerate(written)
    ]
    frame = pl.DataFrame({"day": range(len(texts)), "change": texts})  # rows apart
    recipe = rowsift.suggest_recipe(frame)
    assert recipe.columns["change"].type == "float"
    result = rowsift.run(recipe, frame)
    assert "change.type" not in result.summary.failures
    days = result.clean["day"].to_list()
    assert result.clean["change"].to_list() == [cents[day] / 100 for day in days]
