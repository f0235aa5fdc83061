"""Write a seeded CSV of one shape (see `bench.shapes`), with the mistakes its recipe judges.

Every draw is made up front with numpy (one generator, one seed) and the text is rendered column
by column with Polars, so a million rows take seconds and the same seed gives the same bytes.

    python -m bench.shapes.generate --shape multiline --rows 1000000 --out bench/data/x.csv
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import polars as pl

from bench.shapes import SHAPES

NOTES = ("called back", "no show", "follow-up in 2 weeks", 'said "fine"', "bp 120/80, ok")
STATUSES = ("scheduled", "done", "cancelled", "no_show")
COLOURS = ("red", "green", "blue", "black")
CITIES = ("Paris", "Lyon", "Oslo", "Bergen", "Turin", "Milan", "Porto", "Braga", "Cork")
WIDE_GROUPS = 10
"""The wide table: this many groups of four columns (`n`, `x`, `c`, `k`)."""


def _pick(rng: np.random.Generator, values: Sequence[str], rows: int) -> pl.Series:
    return pl.Series(values, dtype=pl.String).gather(rng.integers(0, len(values), rows))


def _digits(prefix: str, numbers: np.ndarray, width: int) -> pl.Series:
    """`prefix` followed by each number, zero-padded to `width` digits."""
    return prefix + pl.Series(numbers).cast(pl.String).str.zfill(width)


def _where(mask: np.ndarray, then: pl.Series | str | None, otherwise: pl.Series) -> pl.Series:
    """`otherwise`, with `then` where `mask` holds."""
    frame = pl.DataFrame({"otherwise": otherwise, "mask": mask})
    value = pl.lit(then, dtype=pl.String) if not isinstance(then, pl.Series) else pl.lit(then)
    return frame.select(
        pl.when(pl.col("mask")).then(value).otherwise(pl.col("otherwise")).alias(otherwise.name)
    ).to_series()


def _decimals(values: np.ndarray, places: int) -> pl.Series:
    return pl.Series(np.round(values, places)).cast(pl.String)


def multiline(rows: int, rng: np.random.Generator) -> pl.DataFrame:
    """Clinic visits; 7% of the notes span two lines."""
    share = lambda p: rng.random(rows) < p  # noqa: E731
    ids = np.arange(rows) + 10_000_000
    reused = share(0.003) & (np.arange(rows) > 10)
    ids[reused] -= rng.integers(1, 10, int(reused.sum()))
    visit_id = _where(share(0.002), _digits("v", ids, 8), _digits("V", ids, 8))
    visit_id = _where(share(0.002), None, _where(share(0.002), "V123", visit_id))
    patient = _where(share(0.005), "P12", _digits("P", rng.integers(0, 99_999, rows), 5))
    patient = _where(share(0.002), None, patient)
    month, day_of = rng.integers(1, 13, rows), rng.integers(1, 29, rows)
    day = pl.format(
        "2024-{}-{}",
        pl.Series(month).cast(pl.String).str.zfill(2),
        pl.Series(day_of).cast(pl.String).str.zfill(2),
    )
    day = pl.select(day.alias("day")).to_series()
    day = _where(share(0.005), "2024-13-01", _where(share(0.002), None, day))
    fee = _decimals(rng.uniform(10, 500, rows), 2)
    fee = _where(share(0.005), "-5.00", _where(share(0.003), "n/a", fee))
    fee = _where(share(0.002), None, fee)
    status = _pick(rng, STATUSES, rows)
    status = _where(share(0.01), status.str.to_uppercase(), status)
    status = _where(share(0.01), "finished", status)
    notes = _pick(rng, NOTES, rows)
    notes = _where(share(0.07), notes + "\nsee chart", notes)
    notes = _where(share(0.001), "x" * 300, notes)
    return pl.DataFrame(
        {
            "visit_id": visit_id,
            "patient": patient,
            "day": day,
            "fee": fee,
            "status": status,
            "notes": notes,
        }
    )


def wide(rows: int, rng: np.random.Generator) -> pl.DataFrame:
    """Ten groups of an integer, a decimal, a code and a category."""
    share = lambda p: rng.random(rows) < p  # noqa: E731
    columns: dict[str, pl.Series] = {}
    for group in range(WIDE_GROUPS):
        number = pl.Series(rng.integers(0, 1000, rows)).cast(pl.String)
        number = _where(share(0.003), "x", _where(share(0.003), "5000", number))
        decimal = _decimals(rng.uniform(0, 100, rows), 3)
        decimal = _where(share(0.003), None, _where(share(0.002), "-1", decimal))
        decimal = _where(share(0.002), "n/a", decimal)
        code = _digits("AB", rng.integers(0, 1000, rows), 3)
        code = _where(share(0.005), code.str.to_lowercase(), _where(share(0.003), "A1", code))
        colour = _where(share(0.003), "purple", _pick(rng, COLOURS, rows))
        columns |= {f"n{group}": number, f"x{group}": decimal, f"c{group}": code}
        columns[f"k{group}"] = colour
    return pl.DataFrame(columns)


def narrow(rows: int, rng: np.random.Generator) -> pl.DataFrame:
    """An id (0.2% repeat an earlier one) and a decimal (some not numbers, some too big)."""
    share = lambda p: rng.random(rows) < p  # noqa: E731
    ids = np.arange(rows)
    reused = share(0.002) & (ids > 10)
    ids[reused] -= rng.integers(1, 10, int(reused.sum()))
    value = _decimals(rng.uniform(0, 1000, rows), 2)
    value = _where(share(0.003), "-", _where(share(0.003), "1500.5", value))
    id_text = _where(share(0.002), None, _where(share(0.002), "x1", pl.Series(ids).cast(pl.String)))
    return pl.DataFrame({"id": id_text, "value": value})


def rowsets(rows: int, rng: np.random.Generator) -> pl.DataFrame:
    """Orders whose customers, places and copies are judged by row-set rules."""
    share = lambda p: rng.random(rows) < p  # noqa: E731
    customers = rng.integers(0, max(rows // 10, 1), rows)
    zips = rng.integers(0, 2000, rows)
    frame = pl.DataFrame(
        {
            "order_id": _digits("ORD-", np.arange(rows) + 10_000_000, 8),
            "customer_id": _digits("C", customers, 6),
            "email": _digits("c", customers, 6) + "@example.com",
            "sku": _digits("S", rng.integers(0, 5000, rows), 4),
            "zip": _digits("", zips, 5),
            "city": pl.Series(CITIES, dtype=pl.String).gather(zips % len(CITIES)),
            "warehouse": pl.Series(zips % len(CITIES) // 3 + 1).cast(pl.String),
            "amount": _decimals(rng.uniform(1, 300, rows), 2),
        }
    )
    # the dependencies broken in a few rows, and a few spellings the transforms undo
    frame = frame.with_columns(
        email=_where(share(0.005), "other@example.com", frame["email"]),
        city=_where(share(0.005), "Nowhere", frame["city"]),
        warehouse=_where(share(0.005), "9", frame["warehouse"]),
    )
    frame = frame.with_columns(
        email=_where(share(0.01), frame["email"].str.to_uppercase(), frame["email"]),
        order_id=_where(share(0.002), "ORD-10000000", frame["order_id"]),
        amount=_where(share(0.002), "abc", _where(share(0.002), "2000", frame["amount"])),
        warehouse=_where(share(0.002), "W", frame["warehouse"]),
    )
    frame = frame.with_columns(  # a null key: not judged by the rules it is a key of
        order_id=_where(share(0.002), None, frame["order_id"]),
        customer_id=_where(share(0.002), None, frame["customer_id"]),
    )
    # about 1% copies of an earlier row (the same order twice)
    source = np.arange(rows)
    copied = share(0.01) & (source > 20)
    source[copied] -= rng.integers(1, 20, int(copied.sum()))
    return frame[source]


GENERATORS: dict[str, Callable[[int, np.random.Generator], pl.DataFrame]] = {
    "multiline": multiline,
    "wide": wide,
    "narrow": narrow,
    "rowsets": rowsets,
}


def write(shape: str, rows: int, out: Path, seed: int = 42) -> Path:
    """Write `rows` records of `shape` to `out` as CSV (quoted only where needed)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    GENERATORS[shape](rows, np.random.default_rng(seed)).write_csv(out)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.shapes.generate")
    parser.add_argument("--shape", choices=SHAPES, required=True)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=42)
    options = parser.parse_args()
    write(options.shape, options.rows, options.out, options.seed)


if __name__ == "__main__":
    main()
