"""The bundled orders table: reproducible, shaped as documented, its errors exactly as claimed."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import datetime
from typing import Any

import polars as pl
import pytest
import yaml

from rowsift.demo import orders_csv_path, orders_recipe_path
from rowsift.demo.generate import (
    ERROR_KINDS,
    HEADER,
    generate_orders,
    generate_orders_with_truth,
    main,
)

ROWS = 3000
SEEDS = [7, 1, 2024]

# The intended share of rows for each error kind, in percent of all data rows. Stated here on its
# own, not read from the generator, so a change to the table's make-up has to be made twice.
INTENDED_PERCENT = {
    "order_id_malformed": 1.0,
    "order_id_padded": 0.5,
    "order_id_lowercase": 0.4,
    "email_malformed": 1.0,
    "email_empty": 0.5,
    "status_variant": 0.6,
    "status_us_spelling": 0.3,
    "status_typo": 0.9,
    "amount_negative": 0.6,
    "amount_not_numeric": 0.7,
    "amount_missing": 0.4,
    "quantity_not_positive": 0.8,
    "quantity_not_numeric": 0.4,
    "created_at_unparseable": 0.7,
    "shipped_before_created": 0.9,
    "country_empty": 0.4,
    "duplicate_row": 1.0,
}
TOLERANCE_PERCENT = 0.05  # room for rounding a share to whole rows

ORDER_ID = re.compile(r"ORD-\d{8}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}")
MONEY = re.compile(r"-?\d+\.\d{2}")
INTEGER = re.compile(r"-?\d+")
COUNTRY = re.compile(r"[A-Z]{2}")
STATUSES = {"new", "paid", "shipped", "delivered", "cancelled"}
TIMESTAMP = "%Y-%m-%dT%H:%M:%S"


def _records(text: str) -> list[dict[str, str]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    return [dict(zip(header, row, strict=True)) for row in reader]


def _timestamp(value: str) -> datetime | None:
    try:
        return datetime.strptime(value, TIMESTAMP)
    except ValueError:
        return None


def _order_id_error(order_id: str) -> str | None:
    if not ORDER_ID.fullmatch(order_id.strip().upper()):
        return "order_id_malformed"
    if order_id != order_id.strip():
        return "order_id_padded"
    if order_id != order_id.upper():
        return "order_id_lowercase"
    return None


def _email_error(email: str) -> str | None:
    if email == "":
        return "email_empty"
    if not EMAIL.fullmatch(email.strip().lower()):
        return "email_malformed"
    return None


def _status_error(status: str) -> str | None:
    normal = status.strip().lower()
    if normal == "canceled":
        return "status_us_spelling"
    if normal not in STATUSES:
        return "status_typo"
    if status != normal:
        return "status_variant"
    return None


def _amount_error(amount: str) -> str | None:
    if amount == "n/a":
        return "amount_missing"
    if not MONEY.fullmatch(amount):
        return "amount_not_numeric"
    if amount.startswith("-"):
        return "amount_negative"
    return None


def _quantity_error(quantity: str) -> str | None:
    if not INTEGER.fullmatch(quantity):
        return "quantity_not_numeric"
    if int(quantity) < 1:
        return "quantity_not_positive"
    return None


def _timestamp_error(created_at: str, shipped_at: str) -> str | None:
    created = _timestamp(created_at)
    if created is None:
        return "created_at_unparseable"
    shipped = _timestamp(shipped_at) if shipped_at else None
    if shipped is not None and shipped < created:
        return "shipped_before_created"
    return None


def _cell_errors(record: dict[str, str]) -> list[str]:
    """Every error kind visible in one record, judged from its text alone."""
    found = [
        _order_id_error(record["order_id"]),
        _email_error(record["customer_email"]),
        _status_error(record["status"]),
        _amount_error(record["amount"]),
        _quantity_error(record["quantity"]),
        _timestamp_error(record["created_at"], record["shipped_at"]),
        "country_empty" if record["country"] == "" else None,
    ]
    return [kind for kind in found if kind is not None]


def _classify(text: str) -> list[tuple[int, str]]:
    """Independent ground truth: (row, kind) for every error found by reading the text."""
    found: list[tuple[int, str]] = []
    seen: set[tuple[str, ...]] = set()
    for index, record in enumerate(_records(text)):
        found.extend((index, kind) for kind in _cell_errors(record))
        key = tuple(record.values())
        if key in seen:
            found.append((index, "duplicate_row"))
        seen.add(key)
    return found


def _recipe() -> dict[str, Any]:
    loaded = yaml.safe_load(orders_recipe_path().read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _rule_parts(rule: str | dict[str, Any]) -> tuple[str, Any]:
    if isinstance(rule, str):
        return rule, None
    ((name, arguments),) = rule.items()
    return name, arguments


def _severity(arguments: Any) -> str:
    if isinstance(arguments, dict):
        return str(arguments.get("severity", "error"))
    return "error"


def test_generator_reproduces_the_bundled_file_byte_for_byte() -> None:
    assert generate_orders().encode("utf-8") == orders_csv_path().read_bytes()


def test_main_writes_the_bundled_file(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    main([])
    assert capsysbinary.readouterr().out == orders_csv_path().read_bytes()


def test_generator_is_deterministic_per_seed() -> None:
    assert generate_orders_with_truth(seed=11) == generate_orders_with_truth(seed=11)
    assert generate_orders(seed=11) != generate_orders(seed=12)


def test_header_row_count_and_line_ends() -> None:
    text = orders_csv_path().read_bytes().decode("utf-8")
    assert "\r" not in text
    assert text.endswith("\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == list(HEADER)
    assert rows[0] == [
        "order_id",
        "customer_email",
        "status",
        "amount",
        "quantity",
        "created_at",
        "shipped_at",
        "country",
    ]
    assert len(rows) - 1 == ROWS
    assert {len(row) for row in rows} == {len(HEADER)}


def test_comma_decimals_are_quoted() -> None:
    text = generate_orders()
    comma_amounts = [r["amount"] for r in _records(text) if re.fullmatch(r"\d+,\d{2}", r["amount"])]
    assert comma_amounts
    for amount in comma_amounts:
        assert f',"{amount}",' in text


@pytest.mark.parametrize("rows", [0, 1, 500])
def test_rows_argument_sets_the_data_row_count(rows: int) -> None:
    text, truth = generate_orders_with_truth(rows=rows)
    assert len(_records(text)) == rows
    assert all(0 <= index < rows for index, _ in truth)


def test_rows_outside_the_supported_range_are_refused() -> None:
    with pytest.raises(ValueError, match="rows must be between"):
        generate_orders(rows=-1)


@pytest.mark.parametrize("seed", SEEDS)
def test_truth_matches_what_the_text_shows(seed: int) -> None:
    text, truth = generate_orders_with_truth(seed=seed)
    assert truth == sorted(truth)
    assert sorted(_classify(text)) == truth


@pytest.mark.parametrize("seed", SEEDS)
def test_each_row_has_at_most_one_error(seed: int) -> None:
    _, truth = generate_orders_with_truth(seed=seed)
    assert len({index for index, _ in truth}) == len(truth)


@pytest.mark.parametrize("seed", SEEDS)
def test_each_error_kind_has_its_intended_share(seed: int) -> None:
    text, _ = generate_orders_with_truth(seed=seed)
    counts = Counter(kind for _, kind in _classify(text))
    assert set(counts) == set(INTENDED_PERCENT)
    for kind, intended in INTENDED_PERCENT.items():
        observed = 100 * counts[kind] / ROWS
        assert abs(observed - intended) <= TOLERANCE_PERCENT, (kind, observed, intended)


def test_errors_stay_within_eight_to_twelve_percent() -> None:
    text, _ = generate_orders_with_truth()
    kinds = [kind for _, kind in _classify(text)]
    outcome = {kind.name: kind.outcome for kind in ERROR_KINDS}
    quarantined = sum(1 for kind in kinds if outcome[kind] == "quarantine")
    assert 0.08 <= len(kinds) / ROWS <= 0.12
    assert 0.08 <= quarantined / ROWS <= 0.12


def test_error_kind_table_matches_the_intended_shares() -> None:
    assert {kind.name: kind.share_bp / 100 for kind in ERROR_KINDS} == INTENDED_PERCENT
    assert len({kind.name for kind in ERROR_KINDS}) == len(ERROR_KINDS)


def test_duplicates_copy_an_earlier_clean_row() -> None:
    text, truth = generate_orders_with_truth()
    records = [tuple(record.values()) for record in _records(text)]
    touched = {index for index, _ in truth}
    for index, kind in truth:
        if kind == "duplicate_row":
            original = records.index(records[index])
            assert original < index
            assert original not in touched


def test_order_ids_repeat_only_in_duplicate_rows() -> None:
    text, truth = generate_orders_with_truth()
    duplicates = {index for index, kind in truth if kind == "duplicate_row"}
    repaired = [
        record["order_id"].strip().upper()
        for index, record in enumerate(_records(text))
        if index not in duplicates
    ]
    assert len(repaired) == len(set(repaired))


def test_shipped_at_is_set_only_once_an_order_ships() -> None:
    text, truth = generate_orders_with_truth()
    touched = {index for index, kind in truth if kind == "status_typo"}
    for index, record in enumerate(_records(text)):
        status = record["status"].strip().lower()
        if index not in touched:
            assert (record["shipped_at"] != "") == (status in {"shipped", "delivered"})


def test_na_stays_a_country_code() -> None:
    text = orders_csv_path().read_bytes().decode("utf-8")
    records = _records(text)
    namibia = [i for i, record in enumerate(records) if record["country"] == "NA"]
    assert len(namibia) >= 50
    assert all(COUNTRY.fullmatch(r["country"]) for r in records if r["country"] != "")
    # The recipe reads only the empty field as null, so "NA" is never taken for a missing value.
    recipe = _recipe()
    assert recipe["source"]["null_tokens"] == [""]
    for column in recipe["columns"].values():
        for transform in column.get("transforms", []):
            if isinstance(transform, dict) and "null_tokens" in transform:
                assert "NA" not in transform["null_tokens"]
    # The default engine's reader keeps it as text too.
    frame = pl.read_csv(orders_csv_path(), infer_schema=False)
    assert frame.get_column("country").to_list().count("NA") == len(namibia)


def test_recipe_declares_every_reason_the_truth_names() -> None:
    recipe = _recipe()
    row_rules = dict(_rule_parts(rule) for rule in recipe["rows"])
    for kind in ERROR_KINDS:
        severities: list[str] = []
        for reason in kind.reasons:
            where, rule = reason.split(".", 1)
            if where == "row":
                assert rule in row_rules, reason
                severities.append(_severity(row_rules[rule]))
            elif rule == "type":
                assert recipe["columns"][where]["type"] != "string", reason
                severities.append("error")
            else:
                rules = dict(_rule_parts(r) for r in recipe["columns"][where].get("rules", []))
                assert rule in rules, reason
                severities.append(_severity(rules[rule]))
        if kind.outcome == "quarantine":
            assert "error" in severities, kind.name
        else:
            assert set(severities) <= {"warn"}, kind.name


def test_bundled_table_passes_the_recipes_error_dataset_rules() -> None:
    text, truth = generate_orders_with_truth()
    records = _records(text)
    outcome = {kind.name: kind.outcome for kind in ERROR_KINDS}
    quarantined = {index for index, kind in truth if outcome[kind] == "quarantine"}
    clean = [record for index, record in enumerate(records) if index not in quarantined]
    checked = 0
    for rule in _recipe()["dataset"]:
        name, arguments = _rule_parts(rule)
        if _severity(arguments) != "error":
            continue
        checked += 1
        if name == "row_count":
            assert len(records) >= arguments["min"]
        elif name == "quarantine_rate":
            assert len(quarantined) / len(records) <= arguments["max"]
        elif name == "null_rate":
            empty = sum(1 for record in clean if record[arguments["column"]] == "")
            assert empty / len(clean) <= arguments["max"]
        else:
            pytest.fail(f"no check written for dataset rule {name!r}")
    assert checked == 2
