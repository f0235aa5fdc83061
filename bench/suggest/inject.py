"""An error injector with known ground truth: typos, format changes, missing values,
dependency violations and outliers, each cell it touches recorded with the kind of error."""

from __future__ import annotations

import random
import re
import string
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import polars as pl

Kind = Literal["typo", "typo_x", "format", "missing", "dependency", "outlier"]
KINDS: tuple[Kind, ...] = ("typo", "typo_x", "format", "missing", "dependency", "outlier")
"""`typo` edits text columns; `typo_x` replaces one character of any column by ``x``, the way
the hospital table of the data-cleaning literature was dirtied."""
_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


@dataclass(frozen=True)
class Dirty:
    """A dirtied table and the cells that were changed: (row, column) → kind."""

    frame: pl.DataFrame
    truth: dict[tuple[int, str], Kind]


def _typo(value: str, rng: random.Random) -> str:
    position = rng.randrange(len(value))
    letter = rng.choice(string.ascii_lowercase)
    action = rng.choice(["substitute", "delete", "insert", "swap"])
    if action == "substitute":
        return value[:position] + letter + value[position + 1 :]
    if action == "delete" and len(value) > 3:
        return value[:position] + value[position + 1 :]
    if action == "swap" and position + 1 < len(value) and value[position] != value[position + 1]:
        return value[:position] + value[position + 1] + value[position] + value[position + 2 :]
    return value[:position] + letter + value[position:]


def _format(value: str, rng: random.Random) -> str | None:
    for fmt, other in (
        ("%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M"),
        ("%Y-%m-%d %H:%M:%S", "%m/%d/%Y %I:%M %p"),
        ("%Y-%m-%d", "%d.%m.%Y"),
    ):
        try:
            return datetime.strptime(value, fmt).strftime(other)
        except ValueError:
            continue
    if _NUMBER.match(value):
        return rng.choice(
            [
                value.replace(".", ",") if "." in value else f"{value}.0 units",
                f"{value} units",
                f"~{value}",
            ]
        )
    if value.endswith("%"):
        return f"{value[:-1]} percent"
    if any(c.isalpha() for c in value):
        changed = value.lower() if value != value.lower() else value.upper()
        return changed if changed != value else None
    if any(c.isdigit() for c in value):
        digits = value
        return "-".join(digits[i : i + 3] for i in range(0, len(digits), 3))
    return None


def _outlier(value: str, rng: random.Random) -> str | None:
    if not _NUMBER.match(value):
        return None
    number = float(value)
    factor = rng.choice([100, 1000, -1])
    if number == 0:
        return "-999"
    changed = number * factor
    return str(int(changed)) if "." not in value else f"{changed:.2f}"


def inject(
    frame: pl.DataFrame,
    *,
    kinds: tuple[Kind, ...],
    rate: float,
    dependencies: tuple[tuple[str, str], ...] = (),
    seed: int = 7,
) -> Dirty:
    """Change `rate` of the rows for each kind, one cell a row; rows may get several kinds."""
    rng = random.Random(seed)
    columns = {name: list(frame[name].to_list()) for name in frame.columns}
    rows = frame.height
    truth: dict[tuple[int, str], Kind] = {}
    numeric = {
        name
        for name, values in columns.items()
        if sum(1 for v in values if v is not None and _NUMBER.match(v)) > 0.9 * rows
    }
    textual = [
        name
        for name, values in columns.items()
        if name not in numeric
        and sum(1 for v in values if v is not None and any(c.isalpha() for c in v)) > 0.9 * rows
    ]
    for kind in kinds:
        wanted = round(rate * rows)
        done = tries = 0
        while done < wanted and tries < wanted * 50:
            tries += 1
            row = rng.randrange(rows)
            if kind == "dependency":
                if not dependencies:
                    break
                _, column = rng.choice(dependencies)
            elif kind == "typo":
                column = rng.choice(textual) if textual else rng.choice(frame.columns)
            elif kind == "outlier":
                if not numeric:
                    break
                column = rng.choice(sorted(numeric))
            else:
                column = rng.choice(frame.columns)
            if (row, column) in truth:
                continue
            value = columns[column][row]
            if value is None or value == "":
                continue
            new: str | None
            if kind == "typo":
                new = _typo(value, rng)
            elif kind == "typo_x":
                position = rng.randrange(len(value))
                new = value[:position] + "x" + value[position + 1 :]
            elif kind == "format":
                new = _format(value, rng)
            elif kind == "missing":
                new = ""
            elif kind == "outlier":
                new = _outlier(value, rng)
            else:
                others = sorted({v for v in columns[column] if v not in (None, "", value)})
                new = rng.choice(others) if others else None
            if new is None or new == value:
                continue
            columns[column][row] = new
            truth[(row, column)] = kind
            done += 1
    return Dirty(pl.DataFrame(columns, schema=dict.fromkeys(frame.columns, pl.String)), truth)
