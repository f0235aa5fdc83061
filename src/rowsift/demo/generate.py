"""Generate the bundled messy orders table and the ground truth of every error put into it.

Regenerate the committed file with
``python -m rowsift.demo.generate > src/rowsift/demo/orders.csv``.

Each error kind touches a fixed number of rows (a share of the row count, in basis points) and a
row carries at most one error kind, so the ground truth is exact: a row either is clean as written,
is repaired by the recipe's transforms, stays clean with a warning, or is quarantined with the
reasons listed in ``ERROR_KINDS``.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from random import Random
from typing import Final, Literal, TypeVar

__all__ = [
    "DEFAULT_ROWS",
    "DEFAULT_SEED",
    "ERROR_KINDS",
    "HEADER",
    "TIMESTAMP_FORMAT",
    "ErrorKind",
    "Outcome",
    "generate_orders",
    "generate_orders_with_truth",
    "main",
]

DEFAULT_ROWS: Final = 3000
DEFAULT_SEED: Final = 7
MAX_ROWS: Final = 1_000_000  # keeps every order number at 8 digits
HEADER: Final = (
    "order_id",
    "customer_email",
    "status",
    "amount",
    "quantity",
    "created_at",
    "shipped_at",
    "country",
)
TIMESTAMP_FORMAT: Final = "%Y-%m-%dT%H:%M:%S"

Outcome = Literal["quarantine", "repair", "keep"]
"""What the bundled recipe does with a row of that kind: quarantine it, repair it by transforms,
or keep it in the clean output as it is (any warn rule that fires is listed in ``reasons``)."""

_T = TypeVar("_T")
_Cells = dict[str, str]


@dataclass(frozen=True, slots=True)
class ErrorKind:
    """One kind of error in the orders table, the rows it touches and what the recipe makes of it.

    >>> ERROR_KINDS[0].name, ERROR_KINDS[0].reasons
    ('order_id_malformed', ('order_id.matches',))
    """

    name: str
    column: str  # the column whose cell is damaged; "row" for whole-row errors
    outcome: Outcome
    reasons: tuple[str, ...]  # rule ids that fail on such a row, in recipe order
    share_bp: int  # rows touched, in basis points (1/10000) of the row count
    example: str


ERROR_KINDS: Final[tuple[ErrorKind, ...]] = (
    ErrorKind(
        "order_id_malformed", "order_id", "quarantine", ("order_id.matches",), 100, "ORD-12AB"
    ),
    ErrorKind("order_id_padded", "order_id", "repair", (), 50, " ORD-10004521"),
    ErrorKind("order_id_lowercase", "order_id", "repair", (), 40, "ord-10004521"),
    ErrorKind(
        "email_malformed",
        "customer_email",
        "quarantine",
        ("customer_email.matches",),
        100,
        "ana.silva@example",
    ),
    ErrorKind("email_empty", "customer_email", "keep", (), 50, ""),
    ErrorKind("status_variant", "status", "repair", (), 60, " Paid"),
    ErrorKind("status_us_spelling", "status", "repair", (), 30, "canceled"),
    ErrorKind("status_typo", "status", "quarantine", ("status.in_set",), 90, "shiped"),
    ErrorKind("amount_negative", "amount", "quarantine", ("amount.between",), 60, "-23.50"),
    ErrorKind("amount_not_numeric", "amount", "quarantine", ("amount.type",), 70, "12,50"),
    ErrorKind("amount_missing", "amount", "quarantine", ("amount.not_null",), 40, "n/a"),
    ErrorKind("quantity_not_positive", "quantity", "quarantine", ("quantity.between",), 80, "-3"),
    ErrorKind("quantity_not_numeric", "quantity", "quarantine", ("quantity.type",), 40, "two"),
    ErrorKind(
        "created_at_unparseable",
        "created_at",
        "quarantine",
        ("created_at.type",),
        70,
        "31/02/2024",
    ),
    ErrorKind(
        "shipped_before_created",
        "shipped_at",
        "quarantine",
        ("shipped_at.compare",),
        90,
        "2024-03-01T08:00:00",
    ),
    ErrorKind("country_empty", "country", "keep", ("country.not_null",), 40, ""),
    ErrorKind("duplicate_row", "row", "quarantine", ("order_id.unique", "row.duplicate"), 100, ""),
)

_STATUS_WEIGHTS: Final = (
    ("new", 12),
    ("paid", 18),
    ("shipped", 25),
    ("delivered", 38),
    ("cancelled", 7),
)
_SHIPPED_STATUSES: Final = frozenset({"shipped", "delivered"})
# "NA" is Namibia: a reader that treats NA as null would lose these rows' country.
_COUNTRY_WEIGHTS: Final = (
    ("US", 25),
    ("GB", 10),
    ("DE", 10),
    ("FR", 8),
    ("NL", 5),
    ("ES", 5),
    ("IT", 5),
    ("CA", 5),
    ("AU", 4),
    ("NA", 4),
    ("ZA", 4),
    ("BR", 4),
    ("JP", 4),
    ("IN", 4),
    ("SE", 3),
)
_FIRST_NAMES: Final = (
    "ana", "ben", "chen", "dara", "eli", "fatima", "gus", "hana", "ivan", "jo",
    "kofi", "lena", "mateo", "nia", "omar", "priya", "quinn", "rosa", "sven", "tariq",
)  # fmt: skip
_LAST_NAMES: Final = (
    "silva", "okafor", "novak", "kim", "haddad", "meyer", "rossi", "tanaka", "dubois", "nguyen",
    "smith", "garcia", "ivanova", "kowalski", "larsen", "moreau",
)  # fmt: skip
_DOMAINS: Final = ("example.com", "example.org", "example.net", "mail.example.com")
_STATUS_TYPOS: Final = {
    "new": ("nwe", "neww"),
    "paid": ("payed", "piad"),
    "shipped": ("shiped", "shippd"),
    "delivered": ("dlvrd", "deliverd"),
    "cancelled": ("cancled", "cancel"),
}
_QUANTITY_WORDS: Final = ("one", "two", "three", "five", "ten")
_LETTERS: Final = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_START: Final = datetime(2024, 1, 1, 0, 0, 0)


class _Draw:
    """Random draws built on ``Random.random()`` alone.

    Python promises the same ``random()`` sequence for a seed on every version, but not the same
    ``randint``, ``choice`` or ``sample``; building on ``random()`` keeps the bundled file
    reproducible byte for byte on any interpreter.
    """

    def __init__(self, seed: int) -> None:
        self._random = Random(seed)

    def below(self, n: int) -> int:
        return int(self._random.random() * n)

    def between(self, low: int, high: int) -> int:
        return low + self.below(high - low + 1)

    def pick(self, items: Sequence[_T]) -> _T:
        return items[self.below(len(items))]

    def weighted(self, pairs: Sequence[tuple[_T, int]]) -> _T:
        point = self.below(sum(weight for _, weight in pairs))
        for item, weight in pairs:
            if point < weight:
                return item
            point -= weight
        raise AssertionError("unreachable: the point lies below the total weight")

    def sample(self, items: Sequence[_T], k: int) -> list[_T]:
        pool = list(items)
        for i in range(k):
            j = i + self.below(len(pool) - i)
            pool[i], pool[j] = pool[j], pool[i]
        return pool[:k]


@dataclass(slots=True)
class _Order:
    """One clean order before any error is put into its cells."""

    number: int
    first: str
    last: str
    status: str
    cents: int
    created: datetime
    shipped: datetime | None
    cells: _Cells

    @property
    def digits(self) -> str:
        return f"{self.number:08d}"


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _stamp(moment: datetime) -> str:
    return moment.strftime(TIMESTAMP_FORMAT)


def _clean_orders(draw: _Draw, count: int) -> list[_Order]:
    orders: list[_Order] = []
    number = 10_000_000 + draw.below(1000)
    moment = _START
    for _ in range(count):
        number += draw.between(1, 40)
        moment += timedelta(seconds=draw.between(30, 20_000))
        first, last = draw.pick(_FIRST_NAMES), draw.pick(_LAST_NAMES)
        status = draw.weighted(_STATUS_WEIGHTS)
        shipped = None
        if status in _SHIPPED_STATUSES:
            shipped = moment + timedelta(seconds=draw.between(7200, 10 * 86_400))
        cents = draw.between(100, 250_000)
        email = f"{first}.{last}{draw.between(1, 999)}@{draw.pick(_DOMAINS)}"
        cells = {
            "order_id": f"ORD-{number:08d}",
            "customer_email": email,
            "status": status,
            "amount": _money(cents),
            "quantity": str(draw.weighted([(q, 21 - q) for q in range(1, 21)])),
            "created_at": _stamp(moment),
            "shipped_at": "" if shipped is None else _stamp(shipped),
            "country": draw.weighted(_COUNTRY_WEIGHTS),
        }
        orders.append(_Order(number, first, last, status, cents, moment, shipped, cells))
    return orders


def _malformed_id(draw: _Draw, order: _Order, taken: set[str]) -> str:
    digits = order.digits
    letters = draw.pick(_LETTERS) + draw.pick(_LETTERS)
    for _ in range(8):
        candidate = draw.pick(
            (
                f"ORD-{digits[-2:]}{letters}",
                f"#{digits[-4:]}",
                f"ORD-{digits[:7]}",
                f"ORD-{digits[:6]}{letters}",
            )
        )
        if candidate not in taken:
            return candidate
    return f"ORD_{digits}"  # always free: no other id has an underscore and these digits


def _malformed_email(draw: _Draw, order: _Order, _taken: set[str]) -> str:
    name, domain = f"{order.first}.{order.last}", draw.pick(_DOMAINS)
    return draw.pick(
        (
            f"{name}.{domain}",
            f"{name}@example",
            f"{order.first} {order.last}@{domain}",
            f"{name}@@{domain}",
        )
    )


def _unparseable_date(draw: _Draw, order: _Order, _taken: set[str]) -> str:
    day = order.created
    return draw.pick((f"{day.day:02d}/{day.month:02d}/{day.year}", "31/02/2024", "yesterday"))


def _early_shipment(draw: _Draw, order: _Order, _taken: set[str]) -> str:
    return _stamp(order.created - timedelta(seconds=draw.between(3600, 3 * 86_400)))


# For each kind, the damaged value of its column; ``taken`` holds order ids as the recipe sees
# them (trimmed, upper case), so a malformed id never doubles as a repeated one.
_Injector = Callable[[_Draw, _Order, set[str]], str]
_INJECTORS: Final[dict[str, _Injector]] = {
    "order_id_malformed": _malformed_id,
    "order_id_padded": lambda draw, order, _: draw.pick(
        (f" ORD-{order.digits}", f"ORD-{order.digits} ", f"  ORD-{order.digits}")
    ),
    "order_id_lowercase": lambda _draw, order, _: f"ord-{order.digits}",
    "email_malformed": _malformed_email,
    "email_empty": lambda _draw, _order, _: "",
    "status_variant": lambda draw, order, _: draw.pick(
        (f" {order.status.title()}", order.status.upper(), f"{order.status.title()} ")
    ),
    "status_us_spelling": lambda draw, _order, _: draw.pick(("canceled", "Canceled")),
    "status_typo": lambda draw, order, _: draw.pick(_STATUS_TYPOS[order.status]),
    "amount_negative": lambda _draw, order, _: f"-{_money(order.cents)}",
    "amount_not_numeric": lambda draw, order, _: draw.pick(
        (f"{order.cents // 100},{order.cents % 100:02d}", f"{_money(order.cents)} EUR")
    ),
    "amount_missing": lambda _draw, _order, _: "n/a",
    "quantity_not_positive": lambda draw, _order, _: draw.pick(("0", "-1", "-3")),
    "quantity_not_numeric": lambda draw, _order, _: draw.pick(_QUANTITY_WORDS),
    "created_at_unparseable": _unparseable_date,
    "shipped_before_created": _early_shipment,
    "country_empty": lambda _draw, _order, _: "",
}

# Kinds that need a particular kind of row. Other kinds take any row still free.
_ELIGIBLE: Final[dict[str, Callable[[_Order], bool]]] = {
    "status_us_spelling": lambda order: order.status == "cancelled",
    "shipped_before_created": lambda order: order.shipped is not None,
    # No shipped_at, so the failed cast leaves nothing for shipped_at.compare to judge.
    "created_at_unparseable": lambda order: order.shipped is None,
}


def _any_order(_order: _Order) -> bool:
    return True


def _count(rows: int, share_bp: int) -> int:
    return (rows * share_bp + 5000) // 10_000


def generate_orders_with_truth(
    rows: int = DEFAULT_ROWS, seed: int = DEFAULT_SEED
) -> tuple[str, list[tuple[int, str]]]:
    """Return the orders CSV text and its ground truth: (0-based data row, error kind) pairs.

    >>> text, truth = generate_orders_with_truth(rows=200, seed=1)
    >>> len(text.splitlines()) - 1, len(truth) > 0
    (200, True)
    """
    if not 0 <= rows <= MAX_ROWS:
        raise ValueError(f"rows must be between 0 and {MAX_ROWS}, got {rows}")
    draw = _Draw(seed)
    (duplicate,) = (kind for kind in ERROR_KINDS if kind.name == "duplicate_row")
    duplicates = _count(rows, duplicate.share_bp)
    orders = _clean_orders(draw, rows - duplicates)
    taken = {order.cells["order_id"] for order in orders}
    kind_of: dict[int, str] = {}
    constrained_first = sorted(
        (kind for kind in ERROR_KINDS if kind is not duplicate),
        key=lambda kind: kind.name not in _ELIGIBLE,
    )
    for kind in constrained_first:
        eligible = _ELIGIBLE.get(kind.name, _any_order)
        free = [i for i, order in enumerate(orders) if i not in kind_of and eligible(order)]
        for i in sorted(draw.sample(free, min(_count(rows, kind.share_bp), len(free)))):
            value = _INJECTORS[kind.name](draw, orders[i], taken)
            orders[i].cells[kind.column] = value
            if kind.column == "order_id":
                taken.add(value.strip().upper())
            kind_of[i] = kind.name

    # Exact copies of untouched rows, each placed a little after its original.
    placed: list[tuple[int, int, int, _Cells, str | None]] = [
        (i, 0, 0, order.cells, kind_of.get(i)) for i, order in enumerate(orders)
    ]
    untouched = [i for i in range(len(orders)) if i not in kind_of]
    for n, i in enumerate(sorted(draw.sample(untouched, min(duplicates, len(untouched))))):
        after = min(i + draw.between(1, 200), len(orders) - 1)
        placed.append((after, 1, n, orders[i].cells, duplicate.name))
    placed.sort(key=lambda item: item[:3])

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    truth: list[tuple[int, str]] = []
    for index, (_, _, _, cells, kind_name) in enumerate(placed):
        writer.writerow([cells[column] for column in HEADER])
        if kind_name is not None:
            truth.append((index, kind_name))
    return buffer.getvalue(), truth


def generate_orders(rows: int = DEFAULT_ROWS, seed: int = DEFAULT_SEED) -> str:
    """Return the messy orders table as CSV text: header first, ``\\n`` line ends, RFC 4180 quoting.

    >>> generate_orders(rows=3, seed=1).splitlines()[0]
    'order_id,customer_email,status,amount,quantity,created_at,shipped_at,country'
    """
    return generate_orders_with_truth(rows, seed)[0]


def main(argv: Sequence[str] | None = None) -> None:
    """Write the orders table to standard output as UTF-8 bytes."""
    parser = argparse.ArgumentParser(
        prog="python -m rowsift.demo.generate",
        description="Write the bundled messy orders table (CSV) to standard output.",
    )
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help="data rows to write")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    args = parser.parse_args(argv)
    sys.stdout.flush()
    sys.stdout.buffer.write(generate_orders(args.rows, args.seed).encode("utf-8"))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
