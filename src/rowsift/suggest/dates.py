"""Dates and datetimes written several ways (``1/1/2009`` beside ``12/31/2009``, or ISO dates
beside US ones): found, so one ``normalize_datetime`` rewrites them all in one format.

A value is read with Python's `datetime.strptime`, which takes ``1/1/2009`` for ``%m/%d/%Y``
(zero padding optional, as ``normalize_datetime`` reads it too). Formats are tried most
explaining first; a day-first and a month-first format that read the same values equally well
say nothing about which is meant, so the column is left alone then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rowsift.profile.types import DATE_FORMATS, DATETIME_FORMATS

EXPLAINED_SHARE = 0.98
"""Share of sampled present values the formats together must read."""
MIN_SPELLED = 2
"""Values that must be written differently from the target before a rewrite is suggested."""
MAX_FORMATS = 3
TARGET = {"date": "%Y-%m-%d", "datetime": "%Y-%m-%dT%H:%M:%S"}
"""The type's default formats, so the recipe needs no `format:`."""


@dataclass(frozen=True, kw_only=True)
class DateSpellings:
    """The formats a column's dates are written in, what they become, and the type then."""

    formats: list[str]
    to: str
    type: str
    explained: float
    respelled: int

    def args(self) -> dict[str, object]:
        """The ``normalize_datetime`` arguments."""
        return {"formats": self.formats, "to": self.to}


def _reads(value: str, fmt: str) -> bool:
    try:
        datetime.strptime(value, fmt)
    except ValueError:
        return False
    return True


def date_spellings(sample: list[str]) -> DateSpellings | None:
    """The date formats that together read nearly every value, if some values need rewriting.

    >>> found = date_spellings(["1/1/2009", "12/31/2009", "2/13/2010"] * 10)
    >>> found.formats, found.to, found.type, found.respelled
    (['%m/%d/%Y'], '%Y-%m-%d', 'date', 30)
    >>> date_spellings(["2009-01-01", "2010-02-13"] * 10) is None  # already one exact format
    True
    >>> date_spellings(["1/2/2009", "3/4/2010"] * 10) is None  # month or day first?
    True
    """
    values = [v.strip() for v in sample if v and v.strip()]
    if not values:
        return None
    for kind, formats in (("datetime", DATETIME_FORMATS), ("date", DATE_FORMATS)):
        readers = {fmt: {v for v in set(values) if _reads(v, fmt)} for fmt in formats}
        chosen: list[str] = []
        read: set[str] = set()
        for _ in range(MAX_FORMATS):
            best = max(formats, key=lambda f: (len(readers[f] - read), -formats.index(f)))
            gain = readers[best] - read
            if not gain:
                break
            rivals = [f for f in formats if f != best and readers[f] - read == gain]
            if rivals:
                return None  # day first or month first: the values do not say
            chosen.append(best)
            read |= gain
        explained = sum(1 for v in values if v in read) / len(values)
        if not chosen or explained < EXPLAINED_SHARE:
            continue
        to = TARGET[kind]
        respelled = sum(1 for v in values if v in read and not _exact(v, to))
        if respelled < MIN_SPELLED:
            return None
        return DateSpellings(
            formats=chosen, to=to, type=kind, explained=round(explained, 6), respelled=respelled
        )
    return None


def _exact(value: str, fmt: str) -> bool:
    """Whether the value is written exactly as `fmt` writes it (with zero padding)."""
    try:
        return datetime.strptime(value, fmt).strftime(fmt) == value
    except ValueError:
        return False
