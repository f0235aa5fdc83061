"""Claims by several sources about one entity: a dependency whose minorities are errors."""

from __future__ import annotations

import random

import narwhals.stable.v2 as nw
import polars as pl
import pytest

import rowsift
from rowsift.profile import profile_table
from rowsift.suggest.claims import CLAIM_SHARE, claim_source
from rowsift.suggest.dependencies import suggest_dependencies
from rowsift.suggest.strictness import thresholds

BALANCED = thresholds("balanced")
SITES = [f"site-{name}" for name in "abcdefgh"]


def blamed_by(recipe: rowsift.Recipe, table: pl.DataFrame, rule_id: str) -> list[int]:
    """The rows of `table` that the recipe's rule `rule_id` quarantines, in order."""
    quarantine = rowsift.run(recipe, table).quarantine
    return sorted(
        row
        for row, reasons in zip(
            quarantine["_rowsift_row"].to_list(),
            quarantine["_rowsift_reasons"].to_list(),
            strict=True,
        )
        if rule_id in reasons
    )


def claims(wrong: float, seed: int = 3, sites: list[str] = SITES) -> tuple[pl.DataFrame, list[int]]:
    """Eight sites (or `sites`) each quote the price of 60 stocks once; about `wrong` of the
    quotes are off the truth, each by its own amount (a stale or mistyped price), never by
    half the group. Returns the table and the rows whose price is wrong."""
    draw = random.Random(seed)
    rows, bad = [], []
    for stock in range(60):
        truth = round(10 + 3.7 * stock, 2)
        off = set(draw.sample(range(len(sites)), round(wrong * len(sites))))
        for place, site in enumerate(sites):
            price = truth
            if place in off:
                price = round(truth + draw.choice([-1, 1]) * draw.uniform(0.01, 5), 2)
                bad.append(len(rows))
            rows.append((site, f"S{stock:03d}", f"{price:.2f}"))
    return pl.DataFrame(rows, schema=["site", "stock", "price"], orient="row"), bad


def test_a_source_is_a_name_that_claims_once_per_entity() -> None:
    table, _ = claims(0.25)
    profile = profile_table(table, dependencies=False)
    assert claim_source(nw.from_native(table), profile.columns, ["stock"]) == "site"
    # a site quoting one stock twice is no longer one claim per (stock, site)
    twice = pl.concat([table, table.head(len(table) // 10)])
    profile = profile_table(twice, dependencies=False)
    assert claim_source(nw.from_native(twice), profile.columns, ["stock"]) is None


def test_a_year_is_no_source() -> None:
    """A panel is one row per entity and year too; its values drift with the year."""
    table, _ = claims(0.25)
    panel = table.with_columns(pl.Series("site", [2001 + i % 8 for i in range(len(table))]))
    profile = profile_table(panel, dependencies=False)
    assert claim_source(nw.from_native(panel), profile.columns, ["stock"]) is None


def test_a_quarter_of_wrong_claims_is_blamed_by_their_entity() -> None:
    """A quarter of the quotes are wrong: no ordinary dependency holds on 75% of its rows,
    but claims by several sites about one stock have one truth, their majority."""
    table, bad = claims(0.25)
    rules = suggest_dependencies(profile_table(table), BALANCED)
    assert [rule.args.columns for rule in rules["price"]] == [["stock"]]
    assert "claims by several `site` values" in (rules["price"][0].args.evidence.note or "")
    recipe = rowsift.suggest_recipe(table)
    (rule,) = [r for r in recipe.columns["price"].rules if r.kind == "determined_by"]
    assert rule.args.severity != "warn"  # not taken for a loose rule by the guard
    assert blamed_by(recipe, table, "price.determined_by") == bad


def test_without_a_source_the_same_disagreement_is_no_rule() -> None:
    table, _ = claims(0.25)
    rules = suggest_dependencies(profile_table(table.drop("site")), BALANCED)
    assert "price" not in rules


@pytest.mark.parametrize("wrong", [0.5, 0.625])
def test_claims_without_a_clear_majority_are_no_rule(wrong: float) -> None:
    table, _ = claims(wrong)
    assert 1 - wrong < CLAIM_SHARE
    rules = suggest_dependencies(profile_table(table), BALANCED)
    assert "price" not in rules


def test_three_claims_about_an_entity_are_too_few_for_a_vote() -> None:
    """Two against one is a majority that chance gives a column of few values. As in
    palmerpenguins' raw table: one row per sample number and species, each species numbering
    its own samples over three study seasons; with the species taken for the sources,
    `studyName` was a claim about a sample number and 40 clean rows were blamed. Claims need
    four per entity on average; five sites quoting stocks still hold."""
    rows = []
    for species, count in (("Adelie", 152), ("Gentoo", 124), ("Chinstrap", 68)):
        for number in range(1, count + 1):
            study = ("PAL0708", "PAL0809", "PAL0910")[min(2, 3 * (number - 1) // count)]
            rows.append((study, str(number), species))
    table = pl.DataFrame(rows, schema=["studyName", "Sample Number", "Species"], orient="row")
    recipe = rowsift.suggest_recipe(table)
    assert all(rule.kind != "determined_by" for rule in recipe.columns["studyName"].rules)
    assert rowsift.run(recipe, table).quarantine.height == 0
    quotes, _ = claims(0.2, sites=SITES[:5])
    rules = suggest_dependencies(profile_table(quotes), BALANCED)
    assert "claims by several `site` values" in (rules["price"][0].args.evidence.note or "")


def test_a_value_shared_by_a_real_part_of_the_group_is_no_error() -> None:
    """Where the sites split into two camps (a price before and after a correction), the
    minority is a second answer, not scattered errors."""
    table, _ = claims(0.0)
    camp = table.with_columns(
        pl.when(pl.col("site").is_in(SITES[:3]))
        .then((pl.col("price").cast(pl.Float64) + 1).round(2).cast(pl.String))
        .otherwise(pl.col("price"))
        .alias("price")
    )
    rules = suggest_dependencies(profile_table(camp), BALANCED)
    assert "price" not in rules


def flights(wrong: float, seed: int = 5) -> tuple[pl.DataFrame, list[int]]:
    """Six agencies each report when 50 flights left; about `wrong` of the reports are off
    by a few minutes or hours. Returns the table and the rows whose time is wrong."""
    draw = random.Random(seed)
    agencies = ["aa", "flightview", "orbitz", "travelocity", "mytripandmore", "gofly"]
    rows, bad = [], []

    def written(minutes: int) -> str:
        hour, minute = divmod(minutes % (24 * 60), 60)
        half = "a.m." if hour < 12 else "p.m."
        return f"{(hour - 1) % 12 + 1}:{minute:02d} {half}"

    for flight in range(50):
        truth = draw.randrange(5 * 60, 23 * 60)
        off = set(draw.sample(range(len(agencies)), round(wrong * len(agencies))))
        for place, agency in enumerate(agencies):
            left = truth
            if place in off:
                left = truth + draw.choice([-1, 1]) * draw.randrange(3, 240)
                bad.append(len(rows))
            rows.append((agency, f"AA-{1000 + 7 * flight}", written(left)))
    return pl.DataFrame(rows, schema=["src", "flight", "departed"], orient="row"), bad


@pytest.mark.parametrize("wrong", [1 / 6, 2 / 6])
def test_a_time_claimed_about_an_entity_is_determined_by_it(wrong: float) -> None:
    """A time of day is no dependent of an ordinary code, but each agency's report of when a
    flight left is a claim about the flight; with two reports of six wrong, μ is about 0.44,
    the square of the majority's share, and the share decides."""
    table, bad = flights(wrong)
    recipe = rowsift.suggest_recipe(table)
    (rule,) = [r for r in recipe.columns["departed"].rules if r.kind == "determined_by"]
    assert rule.args.columns == ["flight"]
    assert blamed_by(recipe, table, "departed.determined_by") == bad
    alone = rowsift.suggest_recipe(table.drop("src"))
    assert all(r.kind != "determined_by" for r in alone.columns["departed"].rules)


def test_a_type_that_fails_on_most_rows_does_not_hide_the_dependencies() -> None:
    """The sample the dependencies are measured on is read through the suggested types before
    the guard has judged them: a type that fails on most rows is left out there, not every row
    it fails on."""
    from rowsift.recipe.model import ColumnSpec
    from rowsift.suggest.build import _repaired

    table, _ = claims(0.25)
    columns = {
        "site": ColumnSpec(type="int"),  # as a broken repair might suggest
        "stock": ColumnSpec(),
        "price": ColumnSpec(type="float"),
    }
    repaired = _repaired(profile_table(table), columns, BALANCED.own_share)
    assert repaired is not None
    assert len(repaired) == len(table)
    assert repaired["site"].to_list() == table["site"].to_list()


def test_columns_named_like_patterns_are_found_by_name() -> None:
    table, _ = claims(0.25)
    odd = table.rename({"site": "^site$", "stock": "*"})
    profile = profile_table(odd, dependencies=False)
    assert claim_source(nw.from_native(odd), profile.columns, ["*"]) == "^site$"
    rules = suggest_dependencies(profile_table(odd), BALANCED)
    assert [rule.args.columns for rule in rules["price"]] == [["*"]]


def test_claims_split_too_often_for_an_ordinary_dependency_hold_on_their_own_terms() -> None:
    """Two stocks of 60 split their eight sites four to two (a stale price copied once, and two
    lone ones): 3.3% of the rows in split groups, beyond an ordinary dependency's 1%, within
    claims' 5%; everything else agrees."""
    rows = []
    for stock in range(60):
        truth = f"{10 + 3.7 * stock:.2f}"
        prices = [truth] * 8
        if stock < 2:
            prices[4:] = [f"{stock}01.00", f"{stock}01.00", f"{stock}02.00", f"{stock}03.00"]
        rows += [(site, f"S{stock:03d}", price) for site, price in zip(SITES, prices, strict=True)]
    table = pl.DataFrame(rows, schema=["site", "stock", "price"], orient="row")
    rules = suggest_dependencies(profile_table(table), BALANCED)
    assert [rule.args.columns for rule in rules["price"]] == [["stock"]]
    assert "claims by several `site` values" in (rules["price"][0].args.evidence.note or "")
    assert "price" not in suggest_dependencies(profile_table(table.drop("site")), BALANCED)
