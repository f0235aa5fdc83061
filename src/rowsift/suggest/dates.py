"""Dates, datetimes and times of day written several ways (``1/1/2009`` beside ``12/31/2009``,
ISO dates beside US ones, ``7:10 a.m.`` beside ``7:10 p.m.``): found, so one
``normalize_datetime`` rewrites them all in one format before the cast.

A value counts as read by a format when the transform itself reads it
(`NormalizeDatetime.rewrite`, zero padding optional) and the result is a real date (no 30
February), so what is suggested here is what a run does. Formats are tried most explaining
first; a day-first and a month-first format that read the same values equally well say nothing
about which is meant, so the column is left alone then.

Dates are written in the format most of them already use (its padded form), so that a cast
alone reads them; times of day become ``HH:MM`` (``HH:MM:SS`` with seconds) and stay text, with
a pattern rule rather than a set: a new time is not an error. Times are rewritten only when
AM/PM shows in them: ``7:05`` alone may be a duration.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from rapidfuzz.distance import OSA

from rowsift.profile import ColumnProfile, SampledTexts, shape_of
from rowsift.profile.columns import DATE_SLIPS, NEAR_MISS_SHARE, in_use
from rowsift.profile.types import DATE_FORMATS, DATETIME_FORMATS
from rowsift.recipe.formats import reads_offset
from rowsift.recipe.model import ColumnRuleSpec, ColumnType, Evidence, TransformSpec
from rowsift.transforms.dates import NormalizeDatetime, check, quantities

EXPLAINED_SHARE = 0.98
"""Share of sampled present values the formats together must explain: read, or slips of the
usual shape (which then fail the type); at least 1 - `NEAR_MISS_SHARE` must be read."""
MIN_SPELLED = 2
"""Values that must be written differently from the target before a rewrite is suggested."""
MAX_FORMATS = 3
REWRITTEN_DATETIMES = tuple(fmt for fmt in DATETIME_FORMATS if not reads_offset(fmt))
"""The datetime formats `normalize_datetime` reads (it converts between no time zones)."""
TIME_FORMATS = ("%I:%M %p", "%I:%M:%S %p", "%H:%M", "%H:%M:%S")
"""Times of day as people write them (12-hour with AM/PM in any spelling, or 24-hour)."""
TIME_PATTERNS = {
    "%H:%M": "^([01][0-9]|2[0-3]):[0-5][0-9]$",
    "%H:%M:%S": "^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$",
}
"""The rule a rewritten time column gets: the exact shape of its `to` format."""
_DEFAULT = {"date": "%Y-%m-%d", "datetime": "%Y-%m-%dT%H:%M:%S"}


@dataclass(frozen=True, kw_only=True)
class DateSpellings:
    """The formats a column's values are written in, what they become, and the type then
    (``string`` for times of day, with `pattern` the rule that checks them)."""

    formats: list[str]
    to: str
    type: str
    explained: float
    respelled: int
    pattern: str | None = None

    def args(self) -> dict[str, object]:
        """The ``normalize_datetime`` arguments."""
        return {"formats": self.formats, "to": self.to}

    @property
    def format(self) -> str | None:
        """The column's ``format:`` for the cast (None: the type's default, or no cast)."""
        return None if self.pattern or _DEFAULT.get(self.type) == self.to else self.to


def _read_by(values: set[str], fmt: str, to: str) -> set[str]:
    """The values `normalize_datetime` reads in `fmt` into a real date or time of day."""
    pattern = re.compile(check(fmt))
    rewrite = NormalizeDatetime((fmt,), to).rewrite
    read = set()
    for value in values:
        if pattern.search(value.strip()) is None:
            continue
        try:
            datetime.strptime(rewrite(value) or "", to)
        except ValueError:
            continue
        read.add(value)
    return read


def date_spellings(sample: list[str]) -> DateSpellings | None:
    """The formats that together read nearly every value, if some values need rewriting.

    >>> found = date_spellings(["1/1/2009", "12/31/2009", "2/13/2010"] * 10)
    >>> found.formats, found.to, found.type, found.respelled
    (['%m/%d/%Y'], '%m/%d/%Y', 'date', 20)
    >>> date_spellings(["2009-01-01", "2010-02-13"] * 10) is None  # already one exact format
    True
    >>> date_spellings(["1/2/2009", "3/4/2010"] * 10) is None  # month or day first?
    True
    >>> found = date_spellings(["7:10 a.m.", "12:05 PM", "9:45 pm"] * 10)
    >>> found.formats, found.to, found.pattern
    (['%I:%M %p'], '%H:%M', '^([01][0-9]|2[0-3]):[0-5][0-9]$')
    """
    values = [v.strip() for v in sample if v and v.strip()]
    if not values:
        return None
    kinds = (("datetime", REWRITTEN_DATETIMES), ("date", DATE_FORMATS), ("time", TIME_FORMATS))
    for kind, formats in kinds:
        chosen, read, ambiguous = _chosen(values, kind, formats)
        if ambiguous:
            return None  # day first or month first: the values do not say
        share = sum(1 for v in values if v in read) / len(values)
        explained = share + _slips(values, read) / len(values)
        if chosen and share >= 1 - NEAR_MISS_SHARE and explained >= EXPLAINED_SHARE:
            return _spelled(values, kind, chosen, read, explained)
    return None


def _slips(values: list[str], read: set[str]) -> int:
    """Values not read whose shape is a slip of the usual one (a character slipped, doubled or
    dropped: ``2013-07-008``, ``01;12:34``): errors of the column, which then fail its type,
    not another kind of value.

    A slip's shape is rare: one written often (`in_use`: ``3/-9/1848`` on 9% of a column, a
    day not known) is a second way of writing the column's values, which a cast would
    quarantine on every batch.

    >>> _slips(["1/12/1850"] * 95 + ["1/122/1850", "3/-9/1848", "4/-9/1848", "5/-9/1848"],
    ...        {"1/12/1850"})
    1
    """
    if not read:
        return 0
    usual = Counter(shape_of(v) for v in values if v in read).most_common(1)[0][0]
    unread = Counter(shape_of(v) for v in values if v not in read)
    return sum(
        count
        for shape, count in unread.items()
        if not in_use(count, len(values))
        and OSA.distance(shape, usual, score_cutoff=DATE_SLIPS) <= DATE_SLIPS
    )


def _chosen(
    values: list[str], kind: str, formats: tuple[str, ...]
) -> tuple[list[str], set[str], bool]:
    """The formats that read most values, most first; the values they read; and whether two
    formats read the same values (month or day first?)."""
    distinct = set(values)
    readers = {fmt: _read_by(distinct, fmt, _padded(fmt, kind)) for fmt in formats}
    chosen: list[str] = []
    read: set[str] = set()
    for _ in range(MAX_FORMATS):
        best = max(formats, key=lambda f: (len(readers[f] - read), -formats.index(f)))
        gain = readers[best] - read
        if not gain:
            break
        if any(f != best and readers[f] - read == gain for f in formats):
            return chosen, read, True
        chosen.append(best)
        read |= gain
    return chosen, read, False


def _spelled(
    values: list[str], kind: str, chosen: list[str], read: set[str], explained: float
) -> DateSpellings | None:
    """The rewrite of the values the formats read, if it is needed and keeps every field."""
    to = _padded(chosen[0], kind)
    if kind == "time" and not any("%p" in fmt for fmt in chosen):
        return None  # 7:05 alone may be a duration
    if len({frozenset(quantities(fmt)) for fmt in [*chosen, to]}) > 1:
        return None  # some with seconds, some without: one format would lose or invent them
    respelled = sum(1 for v in values if v in read and not _exact(v, to))
    if respelled < MIN_SPELLED:
        return None
    return DateSpellings(
        formats=chosen,
        to=to,
        type="string" if kind == "time" else kind,
        explained=round(explained, 6),
        respelled=respelled,
        pattern=TIME_PATTERNS.get(to) if kind == "time" else None,
    )


def _padded(fmt: str, kind: str) -> str:
    """What values read in `fmt` are written as: the format itself (which writes padded
    fields), or for a time of day the 24-hour clock."""
    if kind != "time":
        return fmt
    return "%H:%M:%S" if "%S" in fmt else "%H:%M"


def _exact(value: str, fmt: str) -> bool:
    """Whether the value is written exactly as `fmt` writes it (with zero padding)."""
    try:
        return datetime.strptime(value, fmt).strftime(fmt) == value
    except ValueError:
        return False


PROBE = 200
"""Values looked at first: a column none of whose first values reads as a date is left."""
SAMPLE = 2_000
"""Values looked at, at most (spread over the sample)."""


@dataclass(frozen=True, kw_only=True)
class DateRepair:
    """What a column of dates written several ways gets: the transform, its evidence, the type
    and format after it, and for a time of day the rule that checks its shape."""

    transform: TransformSpec
    evidence: Evidence
    type: ColumnType
    format: str | None
    rule: ColumnRuleSpec | None


@cache
def _any_format() -> re.Pattern[str]:
    """One pattern matching what any date, datetime or time format reads."""
    formats = (*REWRITTEN_DATETIMES, *DATE_FORMATS, *TIME_FORMATS)
    return re.compile("|".join(f"(?:{check(fmt)})" for fmt in formats))


def date_repair(column: ColumnProfile, sampled: SampledTexts, typed: str) -> DateRepair | None:
    """The ``normalize_datetime`` repair of a text column typed `typed` so far, if its values
    are dates, datetimes or times of day written several ways or without zero padding.

    A column that already casts whole in one format is left as it is.
    """
    if column.dtype != "String" or typed not in ("string", "date", "datetime"):
        return None
    if typed != "string" and column.parse_share >= 1:
        return None
    values = sampled.present[:: max(1, len(sampled.present) // SAMPLE)]
    probe = values[:PROBE]
    dated = _any_format()
    if sum(1 for v in probe if dated.search(v.strip())) < len(probe) / 2:
        return None
    found = date_spellings(values)
    if found is None:
        return None
    shown = ", ".join(found.formats)
    evidence = Evidence(
        statistic="share of values read by the formats, or slips of their shape",
        observed=found.explained,
        threshold=EXPLAINED_SHARE,
        note=f"{found.respelled} of {len(values)} sampled value(s) are written otherwise than "
        f"{found.to} ({shown}, zero padding optional); rewritten before the "
        + ("pattern" if found.pattern else "cast"),
    )
    rule = None
    if found.pattern is not None:
        shape = Evidence(
            statistic="share of values read as times of day",
            observed=found.explained,
            threshold=EXPLAINED_SHARE,
            note=f"times of day, checked by their shape once written as {found.to}: a time "
            "not seen yet is no error",
        )
        rule = ColumnRuleSpec.model_validate(
            {"matches": {"pattern": found.pattern, "evidence": shape}}
        )
    return DateRepair(
        transform=TransformSpec.model_validate({"normalize_datetime": found.args()}),
        evidence=evidence,
        type=found.type,  # type: ignore[arg-type]
        format=found.format,
        rule=rule,
    )
