"""The repairs `normalize_number`, `normalize_datetime` and `canonical`, exported: on values
Hypothesis builds (numbers dressed in signs, currencies, separators, units and spaces; dates
written several ways, padded or not, in range or not; spellings of listed values changed in
case, accents, spacing and punctuation; and plain noise), each program target gives rowsift's
answer."""

from __future__ import annotations

import ast
import re
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import examples
from tests.export.code.exactness import Table, compare, load_program
from tests.export.code.test_duckdb_sql import compare_views, without_identifiers
from tests.hostile.payloads import PAYLOADS

import rowsift
from rowsift.export import export_recipe
from rowsift.export.code.duckdb_sql import duckdb_views
from rowsift.recipe.yaml_text import dump_yaml
from rowsift.transforms.canonical import fingerprint

LISTED = ["São Paulo", "New York", "Straße", "Zürich", "O'Hare", "Ǆemal"]

RECIPE = f"""
version: 1
source: {{null_tokens: ['', 'NA']}}
columns:
  price:
    transforms:
      - normalize_number:
          thousands: ','
          currency: ['$', USD, '€']
          percent: ratio
          units: {{oz: 28.3495, lb: 453.59237, g: 1}}
    rules: [{{matches: {{pattern: '^-?[0-9]+(\\.[0-9]+)?$', severity: warn}}}}]
  euro:
    transforms:
      - normalize_number: {{decimal: ',', thousands: '.', currency: ['€'], percent: keep}}
  spaced:
    transforms:
      - strip
      - normalize_number: {{thousands: ' ', currency: [USD], parentheses: wrap}}
  day:
    transforms: [{{normalize_datetime: {{formats: ['%m/%d/%Y', '%d.%m.%y'], to: '%Y-%m-%d'}}}}]
  at:
    transforms: [{{normalize_datetime: {{formats: ['%I:%M %p', '%H.%M'], to: '%H:%M'}}}}]
  city:
    transforms: [{{canonical: {LISTED!r}}}]
    rules: [{{in_set: {{values: {LISTED!r}, severity: warn}}}}]
"""
"""Every row stays clean (the rules only warn), so every repaired value is compared."""

SIGNS = ["", "", "-", "+", "\u2212", "(", "- "]
PRICE = (",", ".", ["$", "USD ", "usd", "-$", "$-", "($ "], ["%", " oz", "OZ.", "lb", " g", " usd"])
EURO = (".", ",", ["€ ", "-€"], ["%", " €", "€"])
SPACED = (" ", ".", ["USD ", "usd-", "(-", "(+ ", "(USD -"], [" USD", " usd"])
NOISE = "0123456789.,-+$%() \u00a0abcOUSDzé\u2212"


@st.composite
def numbers(
    draw: st.DrawFn, thousands: str, decimal: str, before: list[str], after: list[str]
) -> str:
    """A number as people write it, mostly in the column's own way, now and then not."""
    digits = draw(st.text("0123456789", min_size=1, max_size=14))
    separator = draw(st.sampled_from([thousands, thousands, "\u00a0", "'", ",", "."]))
    if draw(st.booleans()) and len(digits) > 3:
        groups = [digits[max(0, end - 3) : end] for end in range(len(digits), 0, -3)][::-1]
        digits = separator.join(groups)
    if draw(st.booleans()):
        mark = draw(st.sampled_from([decimal, decimal, ".", ","]))
        digits += mark + draw(st.text("0123456789", max_size=11))
    pad = draw(st.sampled_from(["", " ", "\t", "\u202f"]))
    prefix = draw(st.sampled_from(["", "", *SIGNS, *before]))
    suffix = draw(st.sampled_from(["", "", ")" if "(" in prefix else "", *after]))
    return pad + prefix + digits + suffix + pad


@st.composite
def dates(draw: st.DrawFn) -> str:
    """A date written one of the listed ways, padded or not, at times out of range."""
    year = draw(st.integers(min_value=0, max_value=2099))
    month, day = draw(st.integers(0, 13)), draw(st.integers(0, 32))
    padded = draw(st.booleans())
    month_text, day_text = (f"{month:02d}", f"{day:02d}") if padded else (str(month), str(day))
    written = draw(
        st.sampled_from(
            [f"{month_text}/{day_text}/{year:04d}", f"{day_text}.{month_text}.{year % 100:02d}"]
        )
    )
    return draw(st.sampled_from(["", " "])) + written


@st.composite
def times(draw: st.DrawFn) -> str:
    """A time of 12 or 24 hours, padded or not, at times out of range."""
    hour, minute = draw(st.integers(0, 25)), draw(st.integers(0, 60))
    hour_text = draw(st.sampled_from([f"{hour:02d}", str(hour)]))
    meridiem = draw(st.sampled_from(["AM", "pm", "a.m.", "P.M.", "PM ", "p"]))
    twelve = f"{hour_text}:{minute:02d} {meridiem}"
    return draw(st.sampled_from([twelve, f"{hour_text}.{minute:02d}"]))


@st.composite
def spellings(draw: st.DrawFn) -> str:
    """A listed value (or a near miss) in another case, with accents, spaces or marks."""
    base = draw(st.sampled_from([*LISTED, "Sao Paolo", "Strasse", "Zurich", "Ohare"]))
    written = []
    for letter in base:
        change = draw(st.sampled_from(["keep", "keep", "upper", "lower", "decompose", "mark"]))
        if change == "upper":
            written.append(letter.upper())
        elif change == "lower":
            written.append(letter.lower())
        elif change == "decompose":
            written.append(unicodedata.normalize("NFD", letter))
        elif change == "mark":
            marks = [" ", "-", ".", "\u2019", "\u0301", "\u00a0", "!", "_"]
            written.append(letter + draw(st.sampled_from(marks)))
        else:
            written.append(letter)
    return "".join(written)


EDGES = [
    # a factor applies while the value's fraction has at most 9 digits and its integer digits
    # and the factor's (2834950 for oz over the units' common scale) make at most 18
    "1.123456789 oz",
    "1.1234567891 oz",
    "99999999999 oz",
    "999999999999 oz",
    "99999999999.999999999 lb",
    "12.5%",
    "(0.000000001%)",
    "-0",
    "000.000",
]


def column(values: st.SearchStrategy[str]) -> st.SearchStrategy[str | None]:
    noise = st.text(NOISE, max_size=8)
    odd = st.sampled_from([None, "", "NA", "1e5", "nan", "ǅ", "ß", *EDGES])
    return st.one_of(values, noise, odd)


@st.composite
def tables(draw: st.DrawFn) -> Table:
    # many rows, few tables: a run's cost is mostly its fixed cost (a unit's factor makes
    # Polars plan a large expression), not its rows
    rows = draw(st.integers(min_value=0, max_value=60))
    pools = {
        "price": column(numbers(*PRICE)),
        "euro": column(numbers(*EURO)),
        "spaced": column(numbers(*SPACED)),
        "day": column(dates()),
        "at": column(times()),
        "city": column(spellings()),
    }
    return {name: [draw(pool) for _ in range(rows)] for name, pool in pools.items()}


@pytest.fixture(scope="module")
def recipe() -> rowsift.Recipe:
    return rowsift.load_recipe_text(RECIPE)


@pytest.fixture(scope="module")
def polars_program(recipe: rowsift.Recipe) -> dict[str, object]:
    folder = Path(tempfile.mkdtemp())
    return load_program(export_recipe(recipe, to="polars"), folder, "repairs")


@settings(
    max_examples=examples(10),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(table=tables())
def test_the_polars_program_repairs_as_rowsift(
    table: Table, recipe: rowsift.Recipe, polars_program: dict[str, object]
) -> None:
    compare(recipe, table, polars_program, what="drawn repairs")


@pytest.fixture(scope="module")
def pandas_program(recipe: rowsift.Recipe) -> dict[str, object]:
    folder = Path(tempfile.mkdtemp())
    return load_program(export_recipe(recipe, to="pandas"), folder, "repairs_pandas")


@settings(
    max_examples=examples(10),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(table=tables())
def test_the_pandas_program_repairs_as_rowsift(
    table: Table, recipe: rowsift.Recipe, pandas_program: dict[str, object]
) -> None:
    compare(recipe, table, pandas_program, what="drawn repairs", target="pandas")


@settings(
    max_examples=examples(10),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(table=tables())
def test_the_duckdb_views_repair_as_rowsift(table: Table, recipe: rowsift.Recipe) -> None:
    compare_views(recipe, table, "drawn repairs")


def listable(payloads: list[str]) -> list[str]:
    """Payloads `canonical` may list: not only punctuation, no two variants of each other."""
    seen: set[str] = set()
    kept = []
    for payload in payloads:
        mark = fingerprint(payload)
        # the 5,000-character payload would make a pattern of 1.3 MB: minutes of regex work
        if mark and mark not in seen and len(payload) <= 100:
            seen.add(mark)
            kept.append(payload)
    return kept


@pytest.mark.parametrize("target", ["polars", "pandas", "duckdb-sql"])
def test_listed_payloads_stay_data(target: str, tmp_path: Path) -> None:
    listed = listable(PAYLOADS)
    recipe = rowsift.load_recipe_text(
        dump_yaml({"version": 1, "columns": {"v": {"transforms": [{"canonical": listed}]}}})
    )
    text = export_recipe(recipe, to=target)
    if target != "duckdb-sql":
        constants = {n.value for n in ast.walk(ast.parse(text)) if isinstance(n, ast.Constant)}
        assert set(listed) <= constants, "a listed value is not a string literal"
    assert "\u202e" not in without_identifiers(text), "a bidi override reaches the text raw"
    assert "\x1b" not in text, "an escape character reaches the text raw"
    table: Table = {"v": [p.upper() for p in PAYLOADS] + PAYLOADS + [None]}
    if target != "duckdb-sql":
        program = load_program(text, tmp_path, "payloads")
        compare(recipe, table, program, what="payloads", target=target)
    else:
        compare_views(recipe, table, "payloads")


def test_a_held_step_is_read_from_a_later_stage() -> None:
    """A step a transform reads more than once is a column of one stage, read from the next:
    under its name in the same SELECT, DuckDB would bind and compute it again at every read
    (a map after canonical then took minutes to bind)."""
    recipe = rowsift.load_recipe_text(
        dump_yaml(
            {
                "version": 1,
                "source": {"null_tokens": [""]},
                "columns": {
                    "v": {"transforms": [{"canonical": LISTED}, {"map": {"a": "b", "c": "d"}}]},
                    "n": {"transforms": ["strip", {"normalize_number": {"units": {"oz": 2}}}]},
                },
            }
        )
    )
    judged = next(v for v in duckdb_views(recipe).views if "rowsift_judged AS" in v)
    stages = judged.split("\n),\n")
    assert len(stages) > 3
    for stage in stages:
        defined = set(re.findall(r' AS "(_rowsift_step\d+:[^"]+)"', stage))
        for step in defined:
            assert stage.count(f'"{step}"') == 1, f"{step} is read in the stage defining it"
