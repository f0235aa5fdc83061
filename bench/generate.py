"""Write a seeded, messy orders CSV: realistic values with the mistakes real exports contain.

Every random draw is made up front with numpy (one generator, one seed), duplicates are made by
copying earlier rows' draws, and the text is rendered column by column with Polars expressions,
so ten million rows take seconds and the same seed always gives the same bytes.

    python -m bench.generate --rows 10000000 --out bench/data/orders_10m.csv
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import polars as pl

from bench.orders_table import DATETIME_FORMAT, STATUSES

DUPLICATE_RATE = 0.01
FIRST_ORDER = 10_000_000
EPOCH_2023 = 1_672_531_200  # 2023-01-01T00:00:00 UTC
TWO_YEARS = 2 * 365 * 24 * 3600

# Each column: the kinds of value it can hold and their probabilities; kind 0 is a clean value.
ORDER_ID_KINDS = {
    "clean": 0.962,
    "lower": 0.010,  # ord-00001234: fixed by the upper transform
    "padded": 0.010,  # stray spaces: fixed by strip
    "short": 0.004,  # seven digits
    "underscore": 0.003,  # ORD_00001234
    "bare": 0.002,  # digits only
    "suffix": 0.002,  # ORD-00001234X
    "null": 0.002,
    "reused": 0.005,  # another (earlier) order's id: a uniqueness violation, not a duplicate
}
EMAIL_KINDS = {
    "clean": 0.930,
    "upper": 0.010,
    "padded": 0.010,
    "no_at": 0.008,
    "inner_space": 0.004,
    "no_tld": 0.004,
    "double_at": 0.002,
    "too_long": 0.002,  # matches the pattern but is longer than 254 characters
    "null": 0.030,  # guest checkout: allowed
}
STATUS_KINDS = {
    "clean": 0.934,
    "title_padded": 0.020,  # " Paid"
    "upper": 0.020,  # "SHIPPED"
    "us_spelling": 0.014,  # "canceled" (only rendered so when the status is cancelled)
    "typo": 0.008,
    "null": 0.004,
}
AMOUNT_KINDS = {
    "clean": 0.950,
    "whole": 0.010,  # "12": still a valid float
    "padded": 0.010,
    "negative": 0.006,
    "huge": 0.002,
    "text": 0.018,
    "null": 0.004,
}
QUANTITY_KINDS = {
    "clean": 0.972,
    "padded": 0.005,
    "zero": 0.004,
    "negative": 0.002,
    "huge": 0.002,
    "text": 0.010,
    "null": 0.005,
}
CREATED_KINDS = {
    "clean": 0.975,
    "slashes": 0.005,
    "date_only": 0.004,
    "garbage": 0.013,
    "null": 0.003,
}
SHIPPED_KINDS = {  # used only where the order has shipped
    "clean": 0.980,
    "before_created": 0.012,
    "garbage": 0.008,
}
COUNTRY_KINDS = {
    "clean": 0.965,
    "lower": 0.010,
    "padded": 0.005,
    "bad": 0.017,
    "null": 0.003,
}

FIRST_NAMES = (
    "anna", "ben", "chloe", "david", "emma", "felix", "grace", "hugo", "ines", "jonas",
    "karen", "liam", "mia", "noah", "olga", "pablo", "quinn", "rosa", "sven", "zoë",
    "josé", "yuki", "amir", "fatima",
)  # fmt: skip
LAST_NAMES = (
    "smith", "müller", "garcia", "rossi", "dubois", "kowalski", "tanaka", "silva", "novak",
    "jensen", "oconnor", "nguyen", "ivanova", "khan", "larsen", "moreau",
)  # fmt: skip
DOMAINS = ("gmail.com", "yahoo.com", "outlook.com", "proton.me", "example.org", "web.de")
STATUS_WEIGHTS = (0.10, 0.20, 0.25, 0.40, 0.05)
STATUS_TYPOS = ("shiped", "delivred", "payed", "pending", "refunded", "cancled")
AMOUNT_TEXT = ("N/A", "abc", "12,50", "$19.99", "1,234.50", "twelve", "--")
QUANTITY_TEXT = ("two", "3.5", "1O", "x", "a few")
DATETIME_GARBAGE = (
    "not a date", "yesterday", "0000-00-00T00:00:00", "2024-02-30T08:15:00",
    "2023-13-01T10:00:00", "TBD", "2024-06-31T12:00:00",
)  # fmt: skip
COUNTRIES = ("US", "DE", "GB", "FR", "IN", "BR", "JP", "NA", "CA", "ES", "NL", "MX")
COUNTRY_WEIGHTS = (0.30, 0.15, 0.10, 0.08, 0.08, 0.06, 0.05, 0.03, 0.05, 0.04, 0.03, 0.03)
COUNTRY_BAD = ("USA", "U.S.", "X", "Germany", "D3", "United Kingdom")


def _kinds(rng: np.random.Generator, n: int, table: dict[str, float]) -> np.ndarray:
    """Draw one kind code per row from a {name: probability} table (code = position)."""
    cumulative = np.cumsum(np.array(list(table.values())))
    cumulative /= cumulative[-1]
    return np.searchsorted(cumulative, rng.random(n), side="right").astype(np.int8)


def _code(table: dict[str, float], name: str) -> int:
    """The kind code of `name` in `table`."""
    return list(table).index(name)


def _draw(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Every random number the file needs, one array per decision, one element per row."""
    created = EPOCH_2023 + rng.integers(0, TWO_YEARS, n)
    status = rng.choice(len(STATUSES), n, p=STATUS_WEIGHTS).astype(np.int8)
    return {
        "order_num": FIRST_ORDER + np.arange(n, dtype=np.int64),
        "reuse_back": rng.integers(1, 10_000, n),
        "order_kind": _kinds(rng, n, ORDER_ID_KINDS),
        "first": rng.integers(0, len(FIRST_NAMES), n).astype(np.int8),
        "last": rng.integers(0, len(LAST_NAMES), n).astype(np.int8),
        "email_num": rng.integers(0, 1000, n).astype(np.int16),
        "domain": rng.integers(0, len(DOMAINS), n).astype(np.int8),
        "email_kind": _kinds(rng, n, EMAIL_KINDS),
        "status": status,
        "status_kind": _kinds(rng, n, STATUS_KINDS),
        "status_typo": rng.integers(0, len(STATUS_TYPOS), n).astype(np.int8),
        "cents": np.minimum(np.exp(rng.normal(8.2, 1.1, n)), 5_000_000).astype(np.int64),
        "amount_kind": _kinds(rng, n, AMOUNT_KINDS),
        "amount_text": rng.integers(0, len(AMOUNT_TEXT), n).astype(np.int8),
        "quantity": rng.geometric(0.45, n).clip(1, 40).astype(np.int16),
        "quantity_kind": _kinds(rng, n, QUANTITY_KINDS),
        "quantity_text": rng.integers(0, len(QUANTITY_TEXT), n).astype(np.int8),
        "created": created,
        "created_kind": _kinds(rng, n, CREATED_KINDS),
        "garbage": rng.integers(0, len(DATETIME_GARBAGE), n).astype(np.int8),
        "ship_delay": rng.integers(3_600, 10 * 86_400, n),
        "shipped_kind": _kinds(rng, n, SHIPPED_KINDS),
        "country": rng.choice(len(COUNTRIES), n, p=COUNTRY_WEIGHTS).astype(np.int8),
        "country_kind": _kinds(rng, n, COUNTRY_KINDS),
        "country_bad": rng.integers(0, len(COUNTRY_BAD), n).astype(np.int8),
    }


def _duplicate(rng: np.random.Generator, draws: dict[str, np.ndarray]) -> None:
    """Turn ~1% of rows into copies of a nearby earlier row, some differing only cosmetically."""
    n = len(draws["order_num"])
    if n < 2:
        return
    rows = np.arange(n)
    copies = np.flatnonzero(rng.random(n) < DUPLICATE_RATE)
    copies = copies[copies > 0]
    source = rows.copy()
    source[copies] = copies - rng.integers(1, np.minimum(copies, 5_000) + 1)
    while True:  # a copy of a copy copies the original
        resolved = source[source]
        if np.array_equal(resolved, source):
            break
        source = resolved
    for name, values in draws.items():
        draws[name] = values[source]
    # A third of the copies change only what the transforms undo, so they are still duplicates.
    cosmetic = copies[rng.random(len(copies)) < 1 / 3]
    cosmetic = cosmetic[draws["order_kind"][cosmetic] == _code(ORDER_ID_KINDS, "clean")]
    draws["order_kind"][cosmetic] = _code(ORDER_ID_KINDS, "lower")


def _pick(values: tuple[str, ...], column: str) -> pl.Expr:
    """The string at position `column` of `values`."""
    return pl.col(column).replace_strict(list(range(len(values))), list(values))


def _when(kind: str, table: dict[str, float], branches: dict[str, pl.Expr]) -> pl.Expr:
    """Choose the rendering of each row by its kind; kinds without a branch become null."""
    code = pl.col(kind)
    items = list(branches.items())
    name, expr = items[0]
    chain = pl.when(code == _code(table, name)).then(expr)
    for name, expr in items[1:]:
        chain = chain.when(code == _code(table, name)).then(expr)
    return chain.otherwise(None)


def _timestamp(seconds: pl.Expr) -> pl.Expr:
    """Seconds since the epoch as `%Y-%m-%dT%H:%M:%S` text."""
    return pl.from_epoch(seconds, time_unit="s").dt.strftime(DATETIME_FORMAT)


def _render(draws: dict[str, np.ndarray]) -> pl.DataFrame:
    """The text of every column, from the draws."""
    frame = pl.DataFrame(draws)
    digits = pl.col("order_num").cast(pl.String).str.zfill(8)
    reused = (pl.col("order_num") - pl.col("reuse_back")).clip(FIRST_ORDER)
    user = pl.concat_str(
        _pick(FIRST_NAMES, "first"),
        pl.lit("."),
        _pick(LAST_NAMES, "last"),
        pl.col("email_num").cast(pl.String),
    )
    domain = _pick(DOMAINS, "domain")
    email = pl.concat_str(user, pl.lit("@"), domain)
    status = _pick(STATUSES, "status")
    dollars = pl.col("cents") // 100
    amount = pl.concat_str(
        dollars.cast(pl.String), pl.lit("."), (pl.col("cents") % 100).cast(pl.String).str.zfill(2)
    )
    quantity = pl.col("quantity").cast(pl.String)
    created = _timestamp(pl.col("created"))
    garbage = _pick(DATETIME_GARBAGE, "garbage")
    has_shipped = pl.col("status").is_in([STATUSES.index("shipped"), STATUSES.index("delivered")])
    country = _pick(COUNTRIES, "country")
    cancelled = pl.col("status") == STATUSES.index("cancelled")

    return frame.select(
        order_id=_when(
            "order_kind",
            ORDER_ID_KINDS,
            {
                "clean": pl.concat_str(pl.lit("ORD-"), digits),
                "lower": pl.concat_str(pl.lit("ord-"), digits),
                "padded": pl.concat_str(pl.lit("  ORD-"), digits, pl.lit(" ")),
                "short": pl.concat_str(pl.lit("ORD-"), digits.str.slice(1)),
                "underscore": pl.concat_str(pl.lit("ORD_"), digits),
                "bare": digits,
                "suffix": pl.concat_str(pl.lit("ORD-"), digits, pl.lit("X")),
                "reused": pl.concat_str(pl.lit("ORD-"), reused.cast(pl.String).str.zfill(8)),
            },
        ),
        customer_email=_when(
            "email_kind",
            EMAIL_KINDS,
            {
                "clean": email,
                "upper": email.str.to_uppercase(),
                "padded": pl.concat_str(pl.lit(" "), email, pl.lit("  ")),
                "no_at": pl.concat_str(user, pl.lit("."), domain),
                "inner_space": pl.concat_str(user, pl.lit(" x@"), domain),
                "no_tld": pl.concat_str(user, pl.lit("@"), domain.str.split(".").list.first()),
                "double_at": pl.concat_str(user, pl.lit("@@"), domain),
                "too_long": pl.concat_str(pl.lit("x" * 250), user, pl.lit("@"), domain),
            },
        ),
        status=_when(
            "status_kind",
            STATUS_KINDS,
            {
                "clean": status,
                "title_padded": pl.concat_str(pl.lit(" "), status.str.to_titlecase()),
                "upper": status.str.to_uppercase(),
                "us_spelling": pl.when(cancelled).then(pl.lit("canceled")).otherwise(status),
                "typo": _pick(STATUS_TYPOS, "status_typo"),
            },
        ),
        amount=_when(
            "amount_kind",
            AMOUNT_KINDS,
            {
                "clean": amount,
                "whole": dollars.cast(pl.String),
                "padded": pl.concat_str(pl.lit(" "), amount, pl.lit(" ")),
                "negative": pl.concat_str(pl.lit("-"), amount),
                "huge": pl.concat_str((dollars + 100_001).cast(pl.String), pl.lit(".00")),
                "text": _pick(AMOUNT_TEXT, "amount_text"),
            },
        ),
        quantity=_when(
            "quantity_kind",
            QUANTITY_KINDS,
            {
                "clean": quantity,
                "padded": pl.concat_str(pl.lit(" "), quantity),
                "zero": pl.lit("0"),
                "negative": pl.concat_str(pl.lit("-"), quantity),
                "huge": pl.concat_str(quantity, pl.lit("000")),
                "text": _pick(QUANTITY_TEXT, "quantity_text"),
            },
        ),
        created_at=_when(
            "created_kind",
            CREATED_KINDS,
            {
                "clean": created,
                "slashes": pl.from_epoch("created", time_unit="s").dt.strftime("%Y/%m/%d %H:%M:%S"),
                "date_only": pl.from_epoch("created", time_unit="s").dt.strftime("%Y-%m-%d"),
                "garbage": garbage,
            },
        ),
        shipped_at=pl.when(has_shipped).then(
            _when(
                "shipped_kind",
                SHIPPED_KINDS,
                {
                    "clean": _timestamp(pl.col("created") + pl.col("ship_delay")),
                    "before_created": _timestamp(pl.col("created") - pl.col("ship_delay")),
                    "garbage": garbage,
                },
            )
        ),
        country=_when(
            "country_kind",
            COUNTRY_KINDS,
            {
                "clean": country,
                "lower": country.str.to_lowercase(),
                "padded": pl.concat_str(pl.lit(" "), country),
                "bad": _pick(COUNTRY_BAD, "country_bad"),
            },
        ),
    )


def generate(rows: int, *, seed: int = 42, first: int = 0) -> pl.DataFrame:
    """Build the messy orders table in memory: all text, null where a field is empty.

    `first` is the number of the table's first row in a file written in chunks (`write`):
    its order numbers continue from there, and its draws come from a generator of its own.
    """
    rng = np.random.default_rng(seed if first == 0 else [seed, first])
    draws = _draw(rng, rows)
    draws["order_num"] += first
    _duplicate(rng, draws)
    return _render(draws)


CHUNK_ROWS = 10_000_000
"""`write` builds at most this many rows in memory at once (about 5 GB for 10M rows)."""


def write(rows: int, out: Path, *, seed: int = 42, chunk_rows: int = CHUNK_ROWS) -> Path:
    """Write the messy orders CSV to `out` (through a temporary file, then a rename).

    A file of more than `chunk_rows` rows is written chunk by chunk, so a 100M-row file needs
    the memory of one chunk; up to `chunk_rows` rows the bytes are those of one `generate`.
    Copies are made within a chunk; beyond 90M rows the order numbers have nine digits (and
    fail the recipe's `^ORD-\\d{8}$`).
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with partial.open("wb") as sink:
        for first in range(0, max(rows, 1), chunk_rows):
            chunk = generate(min(chunk_rows, rows - first), seed=seed, first=first)
            chunk.write_csv(sink, include_header=first == 0)
    partial.replace(out)
    return out


def main(argv: list[str] | None = None) -> None:
    """Command line: `python -m bench.generate --rows N --out PATH [--seed S]`."""
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000, help="data rows to write")
    parser.add_argument("--out", type=Path, required=True, help="CSV file to write")
    parser.add_argument("--seed", type=int, default=42, help="random seed (same seed, same bytes)")
    args = parser.parse_args(argv)
    write(args.rows, args.out, seed=args.seed)


if __name__ == "__main__":
    main()
