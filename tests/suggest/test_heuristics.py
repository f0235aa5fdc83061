"""Each heuristic alone: what it suggests, and what it refuses to suggest."""

from __future__ import annotations

import polars as pl
import pytest

import rowsift
from rowsift.profile import ColumnProfile, profile_table
from rowsift.profile.dependencies import find_paired_dependencies
from rowsift.suggest.dependencies import error_likeness, suggest_dependencies
from rowsift.suggest.keys import suggest_duplicate, suggest_unique
from rowsift.suggest.nulls import not_null, null_tokens
from rowsift.suggest.patterns import suggest_pattern, synthesise
from rowsift.suggest.ranges import readable, suggest_range
from rowsift.suggest.sets import find_typos, fold, suggest_set
from rowsift.suggest.strictness import thresholds
from rowsift.suggest.types import choose_type

BALANCED = thresholds("balanced")


def column(values: list[str | None], name: str = "c") -> ColumnProfile:
    return profile_table(pl.DataFrame({name: values}, schema={name: pl.String})).column(name)


# -- null tokens and not_null -------------------------------------------------------------------


def test_null_tokens_are_the_spellings_found() -> None:
    found = null_tokens(column(["1", "N/A", " NA ", "-", "2"]))
    assert found is not None
    assert found[0].compact() == {"null_tokens": [" NA ", "-", "N/A"]}
    assert found[1].observed == 3
    assert null_tokens(column(["1", "2"])) is None


def test_a_blank_value_is_a_spelling_of_missing() -> None:
    """Fixed-width exports pad a missing value with spaces: `   ` is missing, not a category
    (nor a value that fails `not_null` or `in_set` once stripped)."""
    values = ["Yes", "No ", "   ", "Yes", "No ", "   "] * 20
    found = null_tokens(column(values), stripped=True)
    assert found is not None
    assert found[0].compact() == {"null_tokens": [""]}
    assert not_null(column(values), BALANCED) is None
    assert null_tokens(column(values))[0].compact() == {"null_tokens": ["   "]}  # type: ignore[index]


@pytest.mark.parametrize(
    ("strictness", "nulls", "suggested"),
    [
        ("conservative", 0, True),
        ("conservative", 1, False),
        ("balanced", 0, True),
        ("balanced", 1, False),
        ("aggressive", 1, True),
    ],
)
def test_not_null_only_where_nulls_are_rare(strictness: str, nulls: int, suggested: bool) -> None:
    values: list[str | None] = ["a"] * (300 - nulls) + [None] * nulls
    rule = not_null(column(values), thresholds(strictness))  # type: ignore[arg-type]
    assert (rule is not None) == suggested


@pytest.mark.parametrize(("rows", "severity"), [(100, "warn"), (599, "warn"), (600, "error")])
def test_not_null_quarantines_only_when_enough_rows_bound_the_next_batch(
    rows: int, severity: str
) -> None:
    """No null in n rows bounds the next batch's null share below about 3 / n (the rule of
    three): a few dozen rows without a null say little, so the rule warns until that bound is
    small enough to quarantine on."""
    rule = not_null(column([str(i) for i in range(rows)]), BALANCED)
    assert rule is not None
    assert rule.args.severity == severity
    assert ("warn only" in (rule.args.evidence.note or "")) == (severity == "warn")


# -- types ---------------------------------------------------------------------------------------


def test_codes_with_leading_zeros_stay_text() -> None:
    assert choose_type(column(["007", "123", "042"] * 10), BALANCED).type == "string"
    assert choose_type(column(["7", "123", "42"] * 10), BALANCED).type == "int"


def test_a_type_must_explain_what_does_not_cast() -> None:
    """What does not cast must look like errors: near misses, or a lone foreign value."""
    assert choose_type(column(["1.5"] * 999 + ["abc"]), BALANCED).type == "float"
    assert choose_type(column(["1.5"] * 95 + ["11..5"] * 5), BALANCED).type == "float"
    # a repeated word is a second kind of value (letter codes in a status column): text
    assert choose_type(column(["1.5"] * 90 + ["abc"] * 10), BALANCED).type == "string"
    assert choose_type(column(["7"] * 89 + ["NMAA", "OUTPA"] * 5 + ["x"]), BALANCED).type == (
        "string"
    )
    # a column of integers with one decimal is float, not int with a failing value
    assert choose_type(column(["7"] * 99 + ["7.5"]), BALANCED).type == "float"


def test_dates_keep_their_format() -> None:
    choice = choose_type(column([f"{d:02d}.03.2024" for d in range(1, 29)]), BALANCED)
    assert (choice.type, choice.format) == ("date", "%d.%m.%Y")
    assert choice.evidence is not None


@pytest.mark.parametrize(
    ("written", "fmt"),
    [
        # a UTC offset: Python's isoformat with a space (pandas' to_csv), PostgreSQL's +hh
        ("2024-03-{d} 14:05:07+05:30", "%Y-%m-%d %H:%M:%S%z"),
        ("2024-03-{d} 14:05:07+0000", "%Y-%m-%d %H:%M:%S%z"),
        ("2024-03-{d} 14:05:07+00", "%Y-%m-%d %H:%M:%S%z"),
        ("2024-03-{d}T14:05:07.250000-08:00", "%Y-%m-%dT%H:%M:%S.%f%z"),
        # year first with slashes (vega_datasets' hourly temperatures)
        ("2024/03/{d} 14:05:07", "%Y/%m/%d %H:%M:%S"),
        ("2024/03/{d} 14:05", "%Y/%m/%d %H:%M"),
    ],
)
def test_common_datetime_spellings_are_datetimes(written: str, fmt: str) -> None:
    stamps = [written.format(d=f"{d:02d}") for d in range(1, 29)]
    choice = choose_type(column(stamps), BALANCED)
    assert (choice.type, choice.format) == ("datetime", fmt)


# -- patterns ------------------------------------------------------------------------------------


def test_synthesised_patterns_merge_lengths_and_keep_literal_prefixes() -> None:
    assert synthesise(["AAA-99999999"], "ORD") == r"^ORD-[0-9]{8}$"
    assert synthesise(["A9999", "A99999"]) == "^[A-Z][0-9]{4,5}$"
    assert synthesise(["Aa-9"], unicode=True) == r"^\p{Lu}\p{Ll}-[0-9]$"


def test_an_id_column_gets_its_pattern_and_deviants_fail() -> None:
    ids = [f"ORD-{i:08d}" for i in range(200)] + ["ORD-1234567x", "0RD-12345678"]
    choice = suggest_pattern(column(ids), BALANCED)
    assert choice is not None
    assert choice.rule.args.pattern == r"^ORD-[0-9]{8}$"
    assert choice.transform is None
    assert choice.rule.args.evidence.threshold == BALANCED.pattern_share


def test_case_deviants_are_repaired_rather_than_rejected() -> None:
    ids = [f"ORD-{i:05d}" for i in range(100)] + [f"ord-{i:05d}" for i in range(3)]
    choice = suggest_pattern(column(ids), BALANCED)
    assert choice is not None
    assert choice.transform is not None
    assert choice.transform.kind == "upper"


def test_free_text_gets_no_pattern() -> None:
    names = ["Ana Garcia", "Ben Smith", "Chloe Rossi", "Dmitri Kim"] * 10
    assert suggest_pattern(column(names), BALANCED) is None


def test_a_one_letter_category_is_no_constant_word() -> None:
    """25 men and 2 women in a 27-row sample: `F` is no slip of `M`, so the pattern is the
    letter's shape, not the letter (the next batch's women failed `^M$`)."""
    values = ["M"] * 25 + ["F"] * 2
    choice = suggest_pattern(column(values), BALANCED, values)
    assert choice is not None
    assert choice.rule.args.pattern == "^[A-Z]$"


def test_a_column_of_one_value_gets_no_pattern() -> None:
    """27 rows of a small table, all `M`: a pattern of one value is that value, and the next
    batch's `F` would fail it (a value set is never learned from one value either)."""
    import rowsift

    assert suggest_pattern(column(["M"] * 27), BALANCED) is None
    recipe = rowsift.suggest_recipe(
        pl.DataFrame({"sex": ["M"] * 27, "n": [str(i) for i in range(27)]})
    )
    batch = pl.DataFrame({"sex": ["F", "M"], "n": ["1", "2"]})
    assert rowsift.run(recipe, batch).summary.rows_quarantined == 0


def test_rare_shapes_of_a_frequent_skeleton_widen_it() -> None:
    tails = ["N123AA"] * 300 + ["N12345"] * 100 + ["N1234"] * 5 + ["N12x45"]
    choice = suggest_pattern(column(tails), BALANCED)
    assert choice is not None
    assert choice.rule.args.pattern == r"^N[0-9]{3}[A-Z]{2}$|^N[0-9]{4,5}$"


# -- sets and typos ------------------------------------------------------------------------------


def test_fold_removes_case_space_and_accents() -> None:
    assert fold(" São  Paulo ") == fold("sao paulo")


def test_a_spelling_in_use_is_no_typo() -> None:
    """A value on more than 1% of the column is a spelling in use, however close; a frequent
    slip of a few values' column (an injected ``andriod``, 0.8%) is still one."""
    employment = {"employed": 600, "not in labor force": 350, "unemployed": 50}
    assert find_typos(employment, BALANCED) == []
    platform = {"android": 4000, "iOS": 1000, "andriod": 40, "ios": 30}
    found = {t.value: t.correction for t in find_typos(platform, BALANCED)}
    assert found == {"andriod": "android", "ios": "iOS"}


def test_labels_of_a_series_are_no_typos() -> None:
    wards = {"inpatient ward a": 300, "inpatient ward r": 9, "Park II": 400, "Park III": 20}
    wards |= {"Very_Good": 200, "Very_Poor": 10}
    assert find_typos(wards, BALANCED) == []


def test_a_dense_vocabulary_of_names_gets_no_edit_typos() -> None:
    """Pet names lie one edit from each other (Molly, Polly, Holly): a rare name close to a
    frequent one is another name; its case or spacing variants are still folded."""
    names = ["Molly", "Polly", "Dolly", "Max", "Maxi", "Bella", "Belle", "Luna", "Lena", "Milo"]
    names += ["Mila", "Toby", "Moby", "Lucy", "Lucky", "Rocky", "Rocco", "Daisy", "Maisy"]
    pets = {name: 40 - i for i, name in enumerate(names)} | {"Holly": 1, "molly": 1}
    found = {t.value: t.correction for t in find_typos(pets, BALANCED)}
    assert found == {"molly": "Molly"}


def test_typos_are_close_to_a_much_more_frequent_value() -> None:
    values = {"delivered": 50, "delivred": 1, "Delivered": 1, "shipped": 40, "shiped": 1}
    found = {t.value: t.correction for t in find_typos(values, BALANCED)}
    assert found == {"delivred": "delivered", "Delivered": "delivered", "shiped": "shipped"}
    names = {"Justin Timberlake": 60, "Justin Timbrelake": 1, "The Kooks": 30, "Teh Kooks": 1}
    names |= {"Teh Strokes": 1, "The Strokes": 40}  # a misspelled word may repeat
    found = {t.value: t.correction for t in find_typos(names, BALANCED)}
    assert found == {
        "Justin Timbrelake": "Justin Timberlake",
        "Teh Kooks": "The Kooks",
        "Teh Strokes": "The Strokes",
    }


def test_a_close_value_repeated_alone_is_another_name() -> None:
    """Slips scatter over many spellings; one close value written the same way seven times,
    with no other slip of its neighbour, is a value of its own (``mother`` beside ``other``)."""
    transmission = {"hs": 2465, "blood": 94, "other": 70, "id": 48, "het": 41, "mother": 7}
    assert find_typos(transmission, BALANCED) == []
    rule, mapping, _ = suggest_set(
        column([v for v, n in transmission.items() for _ in range(n)]), BALANCED, repair=True
    )
    assert mapping is None
    assert rule is not None
    assert "mother" in rule.args.values
    noisy = {"TRUE": 2018, "FALSE": 6187, "TURE": 37, "TRU": 24, "FFALSE": 75, "FALS": 56}
    found = {t.value: t.correction for t in find_typos(noisy, BALANCED)}
    assert found == {"TURE": "TRUE", "TRU": "TRUE", "FFALSE": "FALSE", "FALS": "FALSE"}


@pytest.mark.parametrize(
    "values",
    [
        {"AMI-1": 50, "AMI-2": 2},  # codes that differ in a digit
        {"LAX": 50, "LAS": 2},  # short codes
        {"American Airlines Inc.": 500, "Mesa Airlines Inc.": 9},  # far apart
        {"88%": 40, "89%": 3},
        {"South Carolina": 40, "North Carolina": 2},  # a short word two edits away
        {"Taco King": 40, "Taco King V": 2},  # a whole word added
    ],
)
def test_distinct_values_are_not_typos(values: dict[str, int]) -> None:
    assert find_typos(values, BALANCED) == []


def test_an_allowed_set_leaves_typos_out_or_maps_them() -> None:
    values = ["paid"] * 300 + ["new"] * 200 + ["pqid"]
    rule, mapping, _ = suggest_set(column(values), BALANCED, repair=False)
    assert rule is not None
    assert rule.args.values == ["new", "paid"]
    assert mapping is None
    assert "pqid" in (rule.args.evidence.note or "")
    rule, mapping, evidence = suggest_set(column(values), BALANCED, repair=True)
    assert mapping is not None
    assert mapping.compact() == {"map": {"pqid": "paid"}}
    assert evidence is not None
    assert rule is not None
    assert rule.args.values == ["new", "paid"]


def test_a_lone_outsider_among_few_frequent_values_is_left_out() -> None:
    values = ["Adelie"] * 1500 + ["Gentoo"] * 1200 + ["Chinstrap"] * 600 + ["Gnt"]
    rule, _, _ = suggest_set(column(values), BALANCED, repair=False)
    assert rule is not None
    assert rule.args.values == ["Adelie", "Chinstrap", "Gentoo"]
    assert suggest_set(column(values), thresholds("conservative"), repair=False)[0] is not None


@pytest.mark.parametrize(("seen_once", "severity"), [(20, "error"), (45, "warn")])
def test_a_set_whose_next_values_may_be_new_only_warns(seen_once: int, severity: str) -> None:
    """Good-Turing says how often the next batch brings a value not seen yet: above
    `set_error_mass` of its rows, quarantining them would be false alarms, so the set warns."""
    regions = [f"R{code:02d}" for code in range(20)]
    values = [region for region in regions for _ in range(500)]
    values += [f"X{code:03d}" for code in range(seen_once)]
    rule, _, _ = suggest_set(column(values, "region"), BALANCED, repair=False)
    assert rule is not None
    mass = rule.args.evidence.observed
    assert (mass > BALANCED.set_error_mass) == (severity == "warn")
    assert mass <= BALANCED.set_missing_mass
    assert rule.args.severity == severity
    assert ("may be new" in (rule.args.evidence.note or "")) == (severity == "warn")


def test_many_distinct_values_get_no_set() -> None:
    assert suggest_set(column([f"v{i}" for i in range(100)]), BALANCED, repair=False)[0] is None


def test_a_set_needs_a_closed_vocabulary() -> None:
    """100 codes in 2,400 rows pass a distinct-count cap, but new codes keep coming: no set."""
    import random

    rng = random.Random(5)
    codes = [f"K{int(rng.paretovariate(1.1)):03d}" for _ in range(2400)]
    assert suggest_set(column(codes), BALANCED, repair=False)[0] is None
    closed = [rng.choice(["red", "green", "blue"]) for _ in range(2400)]
    assert suggest_set(column(closed), BALANCED, repair=False)[0] is not None
    # too few rows to tell a closed vocabulary from an open one
    assert suggest_set(column(closed[:60]), BALANCED, repair=False)[0] is None


def test_a_set_of_values_each_carried_by_one_entity_only_warns() -> None:
    """80 players, 20 rows each: every surname is seen 20 times, yet each is one draw of a
    player; the next players bring new surnames. A position, shared by many players, stays a
    closed set that quarantines."""
    players = [f"P{i:03d}" for i in range(80)]
    frame = pl.DataFrame(
        {
            "player": players * 20,
            "surname": [f"Name{i}" for i in range(80)] * 20,
            "position": ["keeper", "defender", "forward", "midfield"] * 400,
        }
    )
    profile = profile_table(frame, dependencies=False)
    surname = suggest_set(profile.column("surname"), BALANCED, repair=False)[0]
    assert surname is not None
    assert surname.args.severity == "error"
    entity = suggest_set(profile.column("surname"), BALANCED, repair=False, profile=profile)[0]
    assert entity is not None
    assert entity.args.severity == "warn"
    assert entity.args.evidence is not None
    assert "`player`" in (entity.args.evidence.note or "")
    assert entity.args.values == surname.args.values
    position = suggest_set(profile.column("position"), BALANCED, repair=False, profile=profile)[0]
    assert position is not None
    assert position.args.severity == "error"


def test_a_few_codes_beside_their_names_are_categories_not_entities() -> None:
    """12 carriers and their 12 names are one to one, but 12 are too few draws to call open."""
    codes = [f"C{i:02d}" for i in range(12)]
    frame = pl.DataFrame({"carrier": codes * 50, "name": [f"Airline {c}" for c in codes] * 50})
    profile = profile_table(frame, dependencies=False)
    rule = suggest_set(profile.column("name"), BALANCED, repair=False, profile=profile)[0]
    assert rule is not None
    assert rule.args.severity == "error"


def test_an_entity_set_warns_in_the_suggested_recipe_and_quarantines_no_new_value() -> None:
    import rowsift

    players = [f"P{i:03d}" for i in range(80)]
    surnames = [f"Name{i}" for i in range(80)]
    learned = pl.DataFrame({"player": players * 20, "surname": surnames * 20})
    recipe = rowsift.suggest_recipe(learned)
    rule = next(r for r in recipe.columns["surname"].rules if r.kind == "in_set")
    assert rule.args.severity == "warn"
    batch = pl.DataFrame({"player": ["P900", "P001"], "surname": ["Newname", "Name1"]})
    assert rowsift.run(recipe, batch).summary.rows_quarantined == 0


def test_times_of_day_get_no_set_and_no_typo_repair() -> None:
    times = ["7:10 a.m.", "8:20 a.m.", "9:30 p.m."] * 300 + ["7:10 p.m."]
    rule, mapping, _ = suggest_set(column(times), BALANCED, repair=True)
    assert (rule, mapping) == (None, None)


def test_times_of_day_written_several_ways_are_times() -> None:
    times = ["7:10 a.m.", "19:10", "7:10a", "7:10 PM"] * 30
    assert profile_table(pl.DataFrame({"t": times})).column("t").semantic == "time"


def test_times_written_several_ways_get_no_set_however_often_they_repeat() -> None:
    """Every source of a flight reports its departure, each in its own format: the values repeat
    (no value is seen once), yet the next batch brings other times."""
    import rowsift

    writings = (
        lambda h, m: f"{h % 12 or 12}:{m:02d} {'a.m.' if h < 12 else 'p.m.'}",
        lambda h, m: f"{h:02d}:{m:02d}",
        lambda h, m: f"Dec 1 - {h % 12 or 12}:{m:02d}{'a' if h < 12 else 'p'}",
        lambda h, m: f"12/01/2011 {h % 12 or 12}:{m:02d} {'AM' if h < 12 else 'PM'}",
    )
    flights = [(f"F{n}", (n * 7) % 24, (n * 13) % 60) for n in range(150)]
    rows = [(f, write(h, m)) for f, h, m in flights for write in writings for _ in range(2)]
    frame = pl.DataFrame(rows, schema=["flight", "departure"], orient="row")
    recipe = rowsift.suggest_recipe(frame)
    assert "in_set" not in [r.kind for r in recipe.columns["departure"].rules]
    assert "map" not in [t.kind for t in recipe.columns["departure"].transforms]
    later = [("F1", write(h, 59)) for write in writings for h in (0, 13)]
    batch = pl.DataFrame(later, schema=["flight", "departure"], orient="row")
    assert rowsift.run(recipe, batch).summary.rows_quarantined == 0


# -- ranges --------------------------------------------------------------------------------------


def test_bounds_are_rounded_outward() -> None:
    assert readable(0.0123, up=True) == 0.013
    assert readable(987, up=False) == 980


def test_a_range_contains_the_data_and_rejects_gross_outliers() -> None:
    values = [str(v) for v in range(1, 301)] + ["300000"]
    rule = suggest_range(column(values), "int", BALANCED)
    assert rule is not None
    assert rule.args.min == 0  # no negative value: 0 is a natural bound
    assert 300 < rule.args.max < 300000
    assert suggest_range(column(values), "string", BALANCED) is None
    with_negative = suggest_range(column([*values, "-5"]), "int", BALANCED)
    assert with_negative is not None
    assert with_negative.args.min < 0


def test_a_value_repeated_just_beyond_the_range_is_taken_in_but_not_far_beyond() -> None:
    """A measure whose two largest values 40 rows of 5,040 share: the range takes them in, so
    the next batch's rows with them pass; quantities of 1 multiplied by 1000 stay out, however
    often."""
    import random

    rng = random.Random(3)
    squares = [f"{abs(rng.gauss(4, 1)):.4f}" for _ in range(5000)] + ["16.0511"] * 21
    squares += ["16.1344"] * 19
    rule = suggest_range(column(squares), "float", BALANCED)
    assert rule is not None
    assert rule.args.max >= 16.1344
    quantities = ["1"] * 1500 + [str(rng.randint(2, 7)) for _ in range(500)] + ["1000"] * 12
    capped = suggest_range(column(quantities), "int", BALANCED)
    assert capped is not None
    assert 7 <= capped.args.max < 1000


def test_a_few_positive_values_beyond_a_top_quantile_of_zero_stay_in_range() -> None:
    """Days lost to illness: 99.4% of people lost none, the others 1 to 30; the range takes in
    what the rest of the population loses, and a gross outlier stays out."""
    import random

    rng = random.Random(5)
    days = ["0"] * 4970 + [str(rng.randint(1, 30)) for _ in range(30)]
    rule = suggest_range(column(days), "int", BALANCED)
    assert rule is not None
    assert rule.args.min == 0
    assert 30 <= rule.args.max < 100_000


def test_a_log_scale_range_learned_without_a_zero_takes_zero_in() -> None:
    """Deaths per 100,000 span four orders of magnitude; a sample that happens to hold no 0
    still allows 0 (a log scale cannot place it), and gross outliers stay out."""
    import random

    rng = random.Random(7)
    values = [f"{max(0.1, rng.lognormvariate(4, 2.2)):.1f}" for _ in range(100)]
    rule = suggest_range(column(values), "float", BALANCED)
    assert rule is not None
    assert rule.args.min == 0
    assert rule.args.max < 10**12
    narrow = [str(rng.randint(40, 60)) for _ in range(300)]
    kept = suggest_range(column(narrow), "int", BALANCED)
    assert kept is not None
    assert kept.args.min > 0


def test_a_zero_inflated_long_tail_stays_inside_its_range() -> None:
    """Most values 0, the others spread over two orders of magnitude (as incomes are)."""
    import random

    rng = random.Random(4)
    values = ["0"] * 600 + [f"{rng.lognormvariate(3, 1.2):.2f}" for _ in range(400)]
    rule = suggest_range(column(values), "float", BALANCED)
    assert rule is not None
    assert rule.args.min == 0
    top = max(float(v) for v in values)
    assert rule.args.max > 3 * top


@pytest.mark.parametrize("rainy_share", [0.04, 0.2])
def test_a_column_of_mostly_zeros_keeps_its_tail_and_rejects_gross_outliers(
    rainy_share: float,
) -> None:
    """Rain in inches: 0 on most days, a tail over an order of magnitude on the others."""
    import random

    rng = random.Random(5)
    rainy = int(2000 * rainy_share)
    values = ["0"] * (2000 - rainy) + [f"{rng.lognormvariate(-2.5, 1.0):.2f}" for _ in range(rainy)]
    rule = suggest_range(column(values), "float", BALANCED)
    assert rule is not None
    assert rule.args.max >= max(float(v) for v in values)  # no ordinary rainy day is an error
    assert rule.args.max < 1000  # a gross error still is


def test_a_code_column_of_one_common_value_keeps_its_long_tail() -> None:
    """A survey's category codes (as GSS codes Hispanic origin): 1 on most answers, then a long
    tail of codes up to 50, those beyond 20 seen under five times each on average. Half the
    values being one value leaves no body to call the top far."""
    counts = {1: 3629, 2: 286, 3: 58, 30: 27, 5: 22, 4: 17, 15: 11, 6: 11, 21: 7, 10: 6}
    counts |= {11: 6, 20: 5, 46: 4, 47: 3, 41: 3, 22: 3, 7: 3, 50: 2, 8: 2, 25: 2, 24: 2}
    counts |= {35: 1, 9: 1, 42: 1, 23: 1}
    values = [str(code) for code, count in counts.items() for _ in range(count)]
    rule = suggest_range(column(values), "int", BALANCED)
    assert rule is not None
    assert rule.args.max >= max(int(v) for v in values)
    assert "far beyond" not in (rule.args.evidence.note or "")


def test_rain_to_the_hundredth_keeps_its_wet_days() -> None:
    """Most days dry, most wet days a drizzle of 0.01 inch: the 95% quantile is 0.01 and the
    99% ten times more, which is the tail of the few wet days, not a far top."""
    import random

    rng = random.Random(6)
    wet = [f"{max(0.02, rng.lognormvariate(-2.0, 1.0)):.2f}" for _ in range(30)]
    values = ["0"] * 930 + ["0.01"] * 40 + wet
    rule = suggest_range(column(values), "float", BALANCED)
    assert rule is not None
    assert rule.args.max >= max(float(v) for v in values)
    assert "far beyond" not in (rule.args.evidence.note or "")


def test_a_spike_keeps_the_values_around_it() -> None:
    """An assay that reads 4.0 nine times in ten and scatters around it otherwise: the values
    around the spike are measurements (no spread between its 5% and 95% quantiles), and a
    gross error is still out."""
    values = ["4.0"] * 126 + ["4.5"] * 7 + ["5.4", "5.6", "4.7", "6.3", "6.1", "5.2", "2.9"]
    rule = suggest_range(column(values), "float", BALANCED)
    assert rule is not None
    assert rule.args.min <= 2.9
    assert rule.args.max > 6.3  # every value seen is inside, with a margin
    assert rule.args.max < 400  # a value 100 times too large is not
    assert "spike" in (rule.args.evidence.note or "")


def test_a_top_percent_far_beyond_the_rest_is_left_out_of_the_range() -> None:
    """Wind speeds of four settings, and 3% of them with digits repeated (`3311` for 31.7):
    the repeats are the 99% quantile, and a bound beyond it would hold them all."""
    import random

    rng = random.Random(8)
    speeds = [rng.choice(["31.7", "39.6", "55.5", "71.3"]) for _ in range(970)]
    digits = ["317", "396", "555", "713"]
    repeated = [
        "".join(digit * 2 for digit in rng.choice(digits)[: rng.randint(2, 3)])
        + str(rng.randrange(10)) * rng.randint(0, 2)
        for _ in range(30)
    ]
    values = speeds + repeated
    rule = suggest_range(column(values), "float", BALANCED)
    assert rule is not None
    assert 71.3 < rule.args.max < min(float(v) for v in repeated)
    assert "lies far beyond the rest" in (rule.args.evidence.note or "")


def test_a_far_top_of_a_few_codes_seen_often_stays_inside() -> None:
    """Survey answers coded 1-5, with 98 and 99 for "don't know" and "refused" on 3% of the
    rows: a few values seen often are the data's own, not garbled digits."""
    import random

    rng = random.Random(10)
    answers = [str(rng.choice([1, 1, 1, 1, 2, 2, 3, 4, 5])) for _ in range(970)]
    values = answers + ["98"] * 18 + ["99"] * 12
    rule = suggest_range(column(values), "int", BALANCED)
    assert rule is not None
    assert rule.args.max >= 99
    assert "far beyond" not in (rule.args.evidence.note or "")


@pytest.mark.parametrize("exponent", [0.3, 0.5, 1.0])
def test_a_natural_long_tail_keeps_its_top_percent_inside(exponent: float) -> None:
    """Populations, followers, downloads: a Pareto tail, however heavy, has no step from its
    95% to its 99% quantile that the far-top rule takes for repeated digits."""
    import random

    rng = random.Random(9)
    values = [f"{rng.paretovariate(exponent):.3f}" for _ in range(2000)]
    rule = suggest_range(column(values), "float", BALANCED)
    assert rule is not None
    assert "far beyond" not in (rule.args.evidence.note or "")
    ordered = sorted(float(v) for v in values)
    assert rule.args.max >= ordered[int(0.99 * len(ordered))]


def test_a_wide_tables_ranges_are_wider_so_that_its_rows_fail_no_more_often() -> None:
    import random

    rng = random.Random(7)
    values = [f"{rng.gauss(50, 10):.2f}" for _ in range(300)]
    narrow = suggest_range(column(values), "float", BALANCED, ranged=5)
    wide = suggest_range(column(values), "float", BALANCED, ranged=100)
    widest = suggest_range(column(values), "float", BALANCED, ranged=1000)
    assert narrow is not None
    assert wide is not None
    assert widest is not None
    assert narrow.compact() == suggest_range(column(values), "float", BALANCED).compact()
    top = narrow.args.evidence.observed  # the 99% quantile
    assert wide.args.max - top > 1.5 * (narrow.args.max - top)
    assert widest.args.max > wide.args.max
    assert "100 ranged columns" in (wide.args.evidence.note or "")


# -- dependencies, keys, duplicates ----------------------------------------------------------------


def test_a_dependency_with_a_typo_is_suggested() -> None:
    zips = [f"{3100 + i:05d}" for i in range(11)]
    frame = pl.DataFrame(
        {
            "zip": ["02108"] * 10 + [z for z in zips for _ in range(10)],
            "city": ["Boston"] * 9 + ["Bostn"] + [f"Town {z}" for z in zips for _ in range(10)],
        }
    )
    rules = suggest_dependencies(profile_table(frame), BALANCED)
    assert [r.args.columns for r in rules["city"]] == [["zip"]]
    assert rules["city"][0].args.evidence.examples == ["'Bostn' (majority 'Boston')"]


def test_a_natural_approximate_dependency_is_not() -> None:
    # distance determines destination except where two airports share a distance
    pairs = [("1000", "LAX")] * 30 + [("1000", "SFO")] * 3 + [("500", "BOS")] * 40
    assert error_likeness(pairs, 3).likeness == 0.0
    frame = pl.DataFrame({"distance": [p[0] for p in pairs], "dest": [p[1] for p in pairs]})
    assert "dest" not in suggest_dependencies(profile_table(frame), BALANCED)


def test_two_columns_determine_what_neither_does_alone() -> None:
    # each team plays in three stadiums of its own at home and in one it shares with another
    # team, in a city of its own: team alone holds on 3/4 of the rows, stadium on 7/8;
    # together they determine city, but for one typo
    rows = []
    for team in range(12):
        rows += [(f"T{team}", f"S{team}-{k}", f"Home {team}") for k in range(3) for _ in range(6)]
        rows += [(f"T{team}", f"Shared {team % 6}", f"Away {team}")] * 6
    rows[0] = ("T0", "S0-0", "Hme 0")
    prof = profile_table(pl.DataFrame(rows, schema=["team", "stadium", "city"], orient="row"))
    single = {(d.determinant, d.dependent): d for d in prof.dependencies}
    assert single[("team", "city")].share < BALANCED.dependency_share
    assert single[("stadium", "city")].share < BALANCED.dependency_share
    rules = suggest_dependencies(prof, BALANCED)
    assert [r.args.columns for r in rules["city"]] == [["team", "stadium"]]
    assert rules["city"][0].args.evidence.examples == ["'Hme 0' (majority 'Home 0')"]


def test_a_pair_that_only_makes_groups_smaller_is_no_dependency() -> None:
    # city is independent of team and of day: the pair's groups are small, not telling
    import random

    draw = random.Random(7)
    rows = [
        (f"T{draw.randrange(12)}", f"D{draw.randrange(30)}", f"C{draw.randrange(5)}")
        for _ in range(600)
    ]
    prof = profile_table(pl.DataFrame(rows, schema=["team", "day", "city"], orient="row"))
    found = find_paired_dependencies(
        prof.sample, prof.columns, prof.dependencies, {"city"}, min_mu=BALANCED.dependency_mu
    )
    assert found == []
    assert "city" not in suggest_dependencies(prof, BALANCED)


def test_a_dependency_with_split_votes_is_natural_however_its_typos_look() -> None:
    # albums by one artist each, a few typos; two compilations split between two artists
    rows = [(f"Album {a}", f"Artist {a}") for a in range(60) for _ in range(30)]
    for a in range(60):
        rows[a * 30] = (f"Album {a}", f"Artsit {a}")
    compilations = [("Greatest Hits", "Queen")] * 6 + [("Greatest Hits", "ABBA")] * 5
    compilations += [("Love Songs", "Adele")] * 5 + [("Love Songs", "Drake")] * 4
    schema = ["album", "artist"]
    plain = profile_table(pl.DataFrame(rows, schema=schema, orient="row"))
    assert [r.args.columns for r in suggest_dependencies(plain, BALANCED)["artist"]] == [["album"]]
    mixed = profile_table(pl.DataFrame(rows + compilations, schema=schema, orient="row"))
    assert "artist" not in suggest_dependencies(mixed, BALANCED)


def test_keys_are_unique_and_duplicates_rare() -> None:
    ids = [f"A{i}" for i in range(150)]
    assert suggest_unique(column(ids, "id"), "string") is not None
    assert suggest_unique(column(ids, "id"), "float") is None
    assert suggest_unique(column(["x", "y"] * 25, "kind"), "string") is None
    # distinct by chance in a small table, and not named like a key: no key
    assert suggest_unique(column([f"A{i}" for i in range(50)], "label"), "string") is None
    repeated = column([*ids[:-1], "A0"], "order_id")
    assert suggest_unique(repeated, "string") is not None
    many = [f"A{i}" for i in range(200)]
    amounts = [f"{i * 7.31:.2f}" for i in range(200)]
    prof = profile_table(pl.DataFrame({"a": [*many, "A0"], "amount": [*amounts, amounts[0]]}))
    duplicate = suggest_duplicate(prof, BALANCED)
    assert duplicate is not None
    assert duplicate.args.evidence.observed == pytest.approx(1 / 201, abs=1e-6)
    assert duplicate.args.severity == "error"  # an identifier: a repeated row is a copy
    assert suggest_duplicate(profile_table(pl.DataFrame({"a": ids * 2})), BALANCED) is None
    # a few short columns repeat rows by chance: duplicates there are no errors
    few = pl.DataFrame({"sex": ["f", "m"] * 300, "smoker": ["y", "n", "n"] * 200})
    assert suggest_duplicate(profile_table(few), BALANCED) is None


def test_rows_repeating_in_a_table_without_an_identifier_only_warn() -> None:
    """Measurements that chance alone would never repeat, yet one row repeats: without an
    identifier, the table's columns depend on each other more than the estimate assumes, and
    the next batch repeats rows as naturally."""
    measures = {
        name: [f"{i * step:.2f}" for i in range(300)]
        for name, step in (("amount", 7.31), ("score", 1.37), ("weight", 0.53), ("height", 2.9))
    }
    once = profile_table(pl.DataFrame(measures))
    assert all(c.semantic != "identifier" for c in once.columns)
    clean = suggest_duplicate(once, BALANCED)
    assert clean is not None
    assert clean.args.severity == "error"
    twice = profile_table(pl.DataFrame({k: [*v, v[3]] for k, v in measures.items()}))
    repeated = suggest_duplicate(twice, BALANCED)
    assert repeated is not None
    assert repeated.args.severity == "warn"
    assert "warn only" in repeated.args.evidence.note


def test_typed_columns_keep_their_type() -> None:
    import datetime as dt

    frame = pl.DataFrame(
        {
            "n": list(range(30)),
            "at": [dt.datetime(2024, 1, 1) + dt.timedelta(hours=i) for i in range(30)],
            "ok": [True, False] * 15,
        }
    )
    prof = profile_table(frame)
    assert [choose_type(c, BALANCED).type for c in prof.columns] == ["int", "datetime", "bool"]


def test_a_dropped_letter_of_a_short_word_is_a_typo_but_a_changed_one_is_not() -> None:
    from rowsift.suggest.sets import find_typos
    from rowsift.suggest.strictness import thresholds

    values = {"TRUE": 400, "FALSE": 380, "TRU": 6, "RUE": 5, "Jan": 300, "Jun": 20, "TRE": 2}
    found = {t.value: t.correction for t in find_typos(values, thresholds("balanced"))}
    assert found == {"TRU": "TRUE", "RUE": "TRUE", "TRE": "TRUE"}


def test_a_second_format_of_one_or_two_percent_is_part_of_the_pattern() -> None:
    import polars as pl

    import rowsift

    zips = [f"1{i % 900 + 100:03d}{i % 7}" for i in range(985)]
    zips += [f"11{i:03d}-{i * 37 % 10000:04d}" for i in range(15)]
    recipe = rowsift.suggest_recipe(pl.DataFrame({"postcode": zips}))
    assert rowsift.run(recipe, pl.DataFrame({"postcode": zips})).summary.rows_quarantined == 0
    rule = next(r for r in recipe.columns["postcode"].rules if r.kind == "matches")
    assert "-" in rule.args.pattern


def test_outsiders_seen_twice_among_a_few_frequent_codes_are_left_out_of_the_set() -> None:
    import polars as pl

    import rowsift

    airports = ["EWR"] * 900 + ["JFK"] * 800 + ["LGA"] * 700 + ["ExR", "ExR", "xGA", "JxK"]
    recipe = rowsift.suggest_recipe(pl.DataFrame({"origin": airports}))
    rule = next(r for r in recipe.columns["origin"].rules if r.kind == "in_set")
    assert rule.args.values == ["EWR", "JFK", "LGA"]


def test_spelling_variants_of_a_closed_set_are_canonical_in_the_next_batch_too() -> None:
    import polars as pl

    import rowsift

    status = ["paid", "new", "refunded"] * 200 + ["Paid", " new", "pqid"]
    recipe = rowsift.suggest_recipe(pl.DataFrame({"status": status}))
    kinds = [t.kind for t in recipe.columns["status"].transforms]
    assert "canonical" in kinds
    result = rowsift.run(recipe, pl.DataFrame({"status": ["PAID", "Re-funded", "New!", "pqid"]}))
    assert result.clean["status"].to_list() == ["paid", "refunded", "new", "paid"]


def test_rows_the_repairs_make_equal_count_as_repeats() -> None:
    """Every text differs as read, but the number repair makes ``(+0.01)`` and ``0.01`` one
    value: the rows repeat at run time, so the recipe learned on the table asks no rule that
    quarantines its own rows as copies."""
    cents = [-125, -3, 4, -4, 5, -5, 6, -6, 7, -7, 8, -8, 9, -9, 10, -10, 11, -11, 12, -12]
    cents += [13, -1, 2, -2, 1, 3, 0, 0, 1, -1]
    written = [f"{'-' if c < 0 else ''}{abs(c) // 100}.{abs(c) % 100:02d}" for c in cents]
    texts = [
        f"({'' if text.startswith('-') else '+'}{text})" if i % 3 == 0 else text
        for i, text in enumerate(written)
    ]
    frame = pl.DataFrame({"change": texts})
    assert frame["change"].n_unique() == len(texts)
    recipe = rowsift.suggest_recipe(frame)
    assert rowsift.run(recipe, frame).summary.rows_quarantined == 0
    prof = profile_table(frame)
    assert suggest_duplicate(prof, BALANCED) is not None  # judged as read only: it asks one


def test_keys_that_carry_a_date_get_no_set_however_often_they_repeat() -> None:
    """A stock on a day, quoted by every site (`2011-07-04-infy`): each key repeats, so the
    vocabulary looks closed, but the next day's batch holds only new keys."""
    import rowsift

    sites = [f"site{s}" for s in range(12)]
    days = [f"2011-07-{d:02d}" for d in range(1, 29)]
    rows = [(site, f"{day}-{stock}") for day in days[:14] for stock in ("infy", "amgn", "orcl")
            for site in sites]  # fmt: skip
    frame = pl.DataFrame(rows, schema=["source", "date_symbol"], orient="row")
    recipe = rowsift.suggest_recipe(frame)
    assert "in_set" not in [r.kind for r in recipe.columns["date_symbol"].rules]
    assert "in_set" in [r.kind for r in recipe.columns["source"].rules]  # the sites are closed
    later = [(site, f"{day}-infy") for day in days[14:] for site in sites]
    batch = pl.DataFrame(later, schema=["source", "date_symbol"], orient="row")
    assert rowsift.run(recipe, batch).summary.rows_quarantined == 0
