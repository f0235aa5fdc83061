"""Records of another width than the header, read back when only one way fits.

A writer that quotes only the values holding a comma leaves a value like ``Heated Sofa``
unquoted when the delimiter is a space (or ``contributor #5: bot`` when it is a colon): a strict
reader splits such a record into too many fields. The extra fields are joined back into one
column, with the delimiter between them, when the evidence of the well-formed records of the
sample allows exactly one way to do it:

- the column is free text there: a fifth of its values hold the delimiter (quoted) or a space,
  or they are words (letters only) of varied lengths, mostly different (names, not a closed
  set of words such as a status);
- every other field, once the extra ones are joined, has the shape of a value its column holds
  in the well-formed records (digits, letters and signs, in order: ``$79.73`` is ``$9.9``; an
  empty field only where that column has empty values);
- no field joined is empty (two delimiters in a row are a delimiter too many, not a value).

When no column, or more than one, can take the extra fields, the record stays a parse failure.

The same evidence reads back a record one field short (a delimiter missing: two values run
together are split at the one place where both parts fit their columns) and one with an empty
field too many (dropped), again only when exactly one reading of the record fits (`refitted`).

A record whose quoting is broken only by quotes inside fields that are not quoted (``5" pipe``)
is read as every lenient reader reads it, those quotes as text (`read_inner_quotes`): that
needs no evidence.

A record read back keeps its raw text and its fields as split; a run flags it with the
warn-severity rule ``row.joined``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from rowsift._names import FIELDS, PARSE, RAW
from rowsift.io.dialect import NUMERIC

__all__ = [
    "ColumnEvidence",
    "absorbed_split",
    "column_evidence",
    "join_extra",
    "joined",
    "joins_back",
    "literal_fields",
    "quoted_fields",
    "read_inner_quotes",
    "refitted",
    "shape",
    "with_apostrophes",
]

EVIDENCE_ROWS = 1000
"""How many well-formed records of the sample are read for evidence."""
LEAST_EVIDENCE = 5
"""Fewer well-formed records than this in the sample are no evidence: nothing is joined."""
CLOSED = 24
"""A column of at most this many distinct values, each seen four times on average, not all of
them numbers, is a closed set: a field split off into it must be one of them."""
SPLIT_CHARACTERS = 256
"""A field longer than this is not split in two."""
TIMES = re.compile(
    r"^(?:\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}[T ])?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
    r"(?: ?[AaPp][Mm])?(?:Z|[+-]\d{2}:?\d{2})?$"
)
"""A time of day, alone or after a date (``00:15``, ``2013-07-08 02:44:34``, ``...T06:00:00Z``)."""
_APOSTROPHES = re.compile(r"^(?:[^']|(?<=[^\W\d_])'(?=[^\W\d_]|\s|$))*$")
_WIDTH = re.compile(r"^expected (\d+) fields, got (\d+)$")
_WORD = r"[^\W\d_](?:[^\W\d_]|['’.&()-])*"
_WORDS = re.compile(rf"^{_WORD}(?: {_WORD})*$")


def shape(value: str, *, case: bool = False) -> str:
    """A value's shape: each run of letters is ``a`` (with `case`, of capitals ``A`` and of
    small letters ``a``), of digits ``9``, of whitespace a space; other characters stay as
    they are.

    >>> shape("$79.73"), shape("O'Brien"), shape("2013-07-08 02:44"), shape("N10156"), shape("")
    ('$9.9', "a'a", '9-9-9 9:9', 'a9', '')
    >>> shape("Anna Smith", case=True), shape("SO-12", case=True)
    ('Aa Aa', 'A-9')
    """
    out: list[str] = []
    for char in value:
        if char.isalpha():
            kind = "A" if case and char.isupper() else "a"
        else:
            kind = "9" if char.isdigit() else " " if char.isspace() else char
        if not out or out[-1] != kind or kind not in "Aa9 ":
            out.append(kind)
    return "".join(out)


@dataclass(frozen=True)
class ColumnEvidence:
    """What the well-formed records of a sample say about each column."""

    shapes: tuple[frozenset[str], ...]
    """The shapes of each column's values (``""`` when it holds empty values)."""
    free_text: tuple[int, ...]
    """The columns that may take extra fields: free text (see the module docstring)."""
    closed: tuple[frozenset[str] | None, ...] = ()
    """Each column's values when they are a closed set (few, each seen often), else None."""
    timed: tuple[int, ...] = ()
    """The columns of times (or dates with a time) that hold the delimiter (``00:15`` in a
    file delimited by colons): they take extra fields that join back into a time."""

    def fits(self, fields: Sequence[str]) -> bool:
        """Whether each field has the shape of a value its column holds (and is one of its
        values, where the column is a closed set)."""
        if len(fields) != len(self.shapes):
            return False
        return all(self.fits_column(place, value) for place, value in enumerate(fields))

    def fits_column(self, place: int, value: str) -> bool:
        """Whether a value fits the column at `place` (see `fits`)."""
        known = self.closed[place] if place < len(self.closed) else None
        return shape(value) in self.shapes[place] and (known is None or value in known)


def _free_text(values: Sequence[str], delimiter: str) -> bool:
    filled = [value.strip() for value in values if value.strip()]
    if not filled:
        return False
    if all(NUMERIC.match(value) for value in filled):
        return False
    spaced = sum(1 for value in filled if delimiter in value or " " in value)
    if spaced * 5 >= len(filled):
        return True
    # names (not a closed set of words): words of varied lengths, mostly different
    words = sum(1 for value in filled if _WORDS.match(value))
    varied = len({len(value) for value in filled}) >= 3 and len(set(filled)) * 2 >= len(filled)
    return words * 5 >= len(filled) * 4 and varied


def column_evidence(
    rows: Sequence[Sequence[str]], width: int, delimiter: str
) -> ColumnEvidence | None:
    """The evidence of the records of the header's width among `rows` (the sample's data
    records); None when no column is free text.

    >>> rows = [["1", "Sofa", "9.5"], ["2", "Tent", "10"], ["3", "Lamp Shade", "2.25"]] * 2
    >>> found = column_evidence(rows, 3, ",")
    >>> found.free_text, sorted(found.shapes[2])
    ((1,), ['9', '9.9'])
    """
    fitting = [list(row) for row in rows if len(row) == width][:EVIDENCE_ROWS]
    if len(fitting) < LEAST_EVIDENCE:
        fitting = _joined_records(rows, width, delimiter) or fitting
    if width < 2 or len(fitting) < LEAST_EVIDENCE:
        return None
    columns = list(zip(*fitting, strict=True))
    free = tuple(i for i, values in enumerate(columns) if _free_text(values, delimiter))
    if not free and sum(1 for row in rows if len(row) > width) >= LEAST_EVIDENCE:
        # many records wider by the words of one column (a space the delimiter): free text
        absorbing = absorbed_split(rows, width, delimiter)
        free = () if absorbing is None else (absorbing,)
    shapes = tuple(frozenset(shape(value) for value in values) for values in columns)
    closed = tuple(_closed(values) for values in columns)
    timed = tuple(i for i, values in enumerate(columns) if _timed(values, delimiter))
    return ColumnEvidence(shapes=shapes, free_text=free, closed=closed, timed=timed)


def _timed(values: Sequence[str], delimiter: str) -> bool:
    """Whether a column holds times (or dates with a time) written with the delimiter."""
    filled = [value for value in values if value]
    held = sum(1 for value in filled if delimiter in value and TIMES.match(value))
    return bool(filled) and held * 10 >= len(filled) * 9


def timed_split(
    rows: Sequence[Sequence[str]], width: int, delimiter: str
) -> tuple[int, int] | None:
    """(column, extra fields) when the records are wider than `width` because one column's
    times hold the delimiter (``00:15`` in a file delimited by colons): nine in ten of the
    records of the commonest wider width give a time there once joined, at exactly one column.

    >>> rows = [["2018-01-02", "00", "15", "3"], ["2018-01-03", "10", "45", "4"]] * 3
    >>> timed_split(rows, 3, ":")
    (1, 1)
    """
    wider = Counter(len(row) for row in rows if len(row) > width)
    if not wider:
        return None
    size = wider.most_common(1)[0][0]
    extra = size - width
    candidates = [row for row in rows if len(row) == size]
    if len(candidates) < LEAST_EVIDENCE:
        return None
    found = [
        column
        for column in range(width)
        if sum(
            1 for row in candidates if TIMES.match(delimiter.join(row[column : column + extra + 1]))
        )
        * 10
        >= len(candidates) * 9
    ]
    return (found[0], extra) if len(found) == 1 else None


def absorbed_split(rows: Sequence[Sequence[str]], width: int, delimiter: str) -> int | None:
    """The one column whose words make the records wider than `width` when the delimiter is a
    space and free text holds spaces, written unquoted (as a writer that quotes only values
    holding a comma leaves them): nine in ten of the records are at least that wide, by a
    varying number of fields, and with each record's extra fields joined into that column, and
    into no other, nine in ten of its values hold a letter and every other column is uniform
    (nine in ten of its values of one shape or of one length, or holding a space: quoted).

    >>> rows = [["9E", "Endeavor", "Air", "Inc."], ["B6", "JetBlue", "Airways"],
    ...         ["DL", "Delta", "Air", "Lines", "Inc."], ["MQ", "Envoy", "Air"],
    ...         ["AA", "American", "Airlines", "Inc."]]
    >>> absorbed_split(rows, 2, " ")
    1
    >>> absorbed_split([["1", "2", "3"], ["4", "5"]] * 3, 2, " ") is None  # numbers: no words
    True
    """
    wide = [row for row in rows if len(row) >= width]
    if (
        delimiter != " "
        or width < 2
        or len(wide) < LEAST_EVIDENCE
        or len(wide) * 10 < len(rows) * 9
        or len({len(row) for row in wide}) < 2
    ):
        return None
    found = []
    for column in range(width):
        joined_rows = [_absorbed(row, width, column, delimiter) for row in wide]
        words = sum(1 for row in joined_rows if any(char.isalpha() for char in row[column]))
        if words * 10 < len(wide) * 9:
            continue
        others = [place for place in range(width) if place != column]
        if all(_uniform([row[place] for row in joined_rows]) for place in others):
            found.append(column)
    return found[0] if len(found) == 1 else None


def _joined_records(
    rows: Sequence[Sequence[str]], width: int, delimiter: str
) -> list[list[str]] | None:
    """The records as they are once one column takes their extra fields, when too few have
    the header's width to learn from: every record splits a column of times (`timed_split`),
    or, delimited by spaces, one free-text column holds words (`absorbed_split`); else None."""
    split = timed_split(rows, width, delimiter)
    if split is not None:
        column, extra = split
        kept = [row for row in rows if len(row) == width + extra]
    else:
        absorbing = absorbed_split(rows, width, delimiter)
        if absorbing is None:
            return None
        column, kept = absorbing, [row for row in rows if len(row) >= width]
    return [_absorbed(row, width, column, delimiter) for row in kept][:EVIDENCE_ROWS]


def _absorbed(row: Sequence[str], width: int, column: int, delimiter: str) -> list[str]:
    """`row` with its fields beyond `width` joined into `column`."""
    extra = len(row) - width
    return [
        *row[:column],
        delimiter.join(row[column : column + extra + 1]),
        *row[column + extra + 1 :],
    ]


def _uniform(values: Sequence[str]) -> bool:
    """Whether nine in ten of the values share one shape or one length, or hold a space (in
    a space-delimited record, a quoted value)."""
    most = max(
        Counter(shape(value) for value in values).most_common(1)[0][1],
        Counter(len(value) for value in values).most_common(1)[0][1],
        sum(1 for value in values if " " in value),
    )
    return most * 10 >= len(values) * 9


def _closed(values: Sequence[str]) -> frozenset[str] | None:
    distinct = frozenset(values)
    if len(distinct) > CLOSED or len(distinct) * 4 > len(values):
        return None
    # numbers are not a closed set, however few the sample holds
    return None if all(NUMERIC.match(v) for v in distinct if v.strip()) else distinct


def _joins(
    fields: Sequence[str],
    evidence: ColumnEvidence,
    delimiter: str,
    quoted: Sequence[bool] | None = None,
) -> list[list[str]]:
    """Every way to join a too-wide record's extra fields into one free-text column; a field
    `quoted` in the record is a whole value, never joined with another (see `quoted_fields`)."""
    width = len(evidence.shapes)
    extra = len(fields) - width
    flags = list(quoted) if quoted is not None else [False] * len(fields)
    found: list[list[str]] = []
    takers = sorted({*evidence.free_text, *evidence.timed}) if extra > 0 else []
    for column in takers:
        pieces = fields[column : column + extra + 1]
        if not all(piece.strip() for piece in pieces) or any(flags[column : column + extra + 1]):
            continue
        if column not in evidence.free_text and not TIMES.match(delimiter.join(pieces)):
            continue
        others = [*zip(fields[:column], flags[:column], strict=True)]
        others += zip(fields[column + extra + 1 :], flags[column + extra + 1 :], strict=True)
        places = [place for place in range(width) if place != column]
        if not all(
            shape(value) in evidence.shapes[place] or (whole and place in evidence.free_text)
            for (value, whole), place in zip(others, places, strict=True)
        ):
            continue
        found.append(_absorbed(fields, width, column, delimiter))
    return found


def joined(fields: Sequence[str], evidence: ColumnEvidence, delimiter: str) -> list[str] | None:
    """The record's fields with the extra ones joined into the one column that can take them,
    or None when no column can, or more than one.

    >>> rows = [["1", "Sofa", "9.5"], ["2", "Big Tent", "10"], ["3", "Mug", "1.5"]] * 2
    >>> evidence = column_evidence(rows, 3, ",")
    >>> joined(["3", "Lamp", "Shade", "2.25"], evidence, ",")
    ['3', 'Lamp,Shade', '2.25']
    >>> joined(["3", "Lamp", "", "2.25"], evidence, ",") is None  # an empty field is not text
    True
    """
    found = _joins(fields, evidence, delimiter)
    return found[0] if len(found) == 1 else None


def refitted(
    fields: Sequence[str],
    evidence: ColumnEvidence,
    delimiter: str,
    quoted: Sequence[bool] | None = None,
) -> list[str] | None:
    """A record of another width than the header's read back as the header's width, when
    exactly one reading makes every field fit its column (`ColumnEvidence.fits`), else None:

    - too many fields: extra fields joined into a free-text column (`joined`), or, with one
      field too many, an empty field dropped (a delimiter too many);
    - one field too few: a field split in two at the one place where both parts fit (two
      fields run together where a delimiter is missing).

    A field `quoted` in the record (`quoted_fields`) is one whole value, as its quotes say: it
    is never joined with another field nor split, and it fits a free-text column whatever its
    shape.

    >>> names = ["Sofa", "Big Tent", "Mug", "Lamp Shade"]
    >>> flags, prices = ["False", "True"], ["9.5", ""]
    >>> rows = [[str(i), flags[i % 2], names[i % 4], prices[i % 2]] for i in range(8)]
    >>> evidence = column_evidence(rows, 4, ",")  # False/True: a closed set
    >>> refitted(["3", "FalseLamp", "2.25"], evidence, ",")
    ['3', 'False', 'Lamp', '2.25']
    >>> refitted(["3", "", "True", "Mug", "2.25"], evidence, ",")
    ['3', 'True', 'Mug', '2.25']
    >>> numbers = column_evidence([[str(i), str(i * 7)] for i in range(10, 20)], 2, ",")
    >>> refitted(["1284"], numbers, ",") is None  # 1|284, 12|84 or 128|4: which cannot be told
    True
    """
    width = len(evidence.shapes)
    if quoted is not None and len(quoted) != len(fields):
        quoted = None
    readings = {tuple(found) for found in _joins(fields, evidence, delimiter, quoted)}
    if len(fields) == width + 1:
        for place, value in enumerate(fields):
            dropped = [*fields[:place], *fields[place + 1 :]]
            if not value and evidence.fits(dropped):
                readings.add(tuple(dropped))
    elif len(fields) == width - 1:
        # the fields left of a split keep their columns, those right of it move one on: only
        # places where all of them fit are tried, cut by cut
        fit = [evidence.fits_column(place, value) for place, value in enumerate(fields)]
        moved = [evidence.fits_column(place + 1, value) for place, value in enumerate(fields)]
        for place, value in enumerate(fields):
            if len(value) > SPLIT_CHARACTERS or (quoted is not None and quoted[place]):
                continue
            if not (all(fit[:place]) and all(moved[place + 1 :])):
                continue
            for cut in range(len(value) + 1):
                left, right = value[:cut], value[cut:]
                if evidence.fits_column(place, left) and evidence.fits_column(place + 1, right):
                    readings.add((*fields[:place], left, right, *fields[place + 1 :]))
                if len(readings) > 1:
                    return None
    return list(next(iter(readings))) if len(readings) == 1 else None


def quoted_fields(raw: str, delimiter: str, quote: str | None) -> list[bool] | None:
    """Which fields of a record's text are quoted (by the book: the quote opens the field, and
    the closing one, inner quotes doubled, ends it), or None when its quoting is not by the
    book or there is no quote character.

    >>> quoted_fields('1 Tropic Cap "Made with ""care"" here" "x" ', " ", '"')
    [False, False, False, True, True, False]
    >>> quoted_fields('1 a"b 2', " ", '"') is None
    True
    """
    found = _fields_of(raw, delimiter, quote, inner_quotes=False)
    return None if found is None else [quoted for quoted, _ in found]


def literal_fields(raw: str, delimiter: str, quote: str | None) -> list[str] | None:
    """The values of a one-line record whose quoting is broken only by quotes inside fields
    that are not quoted (``37°36'37.8"N``, ``5" pipe``), as every lenient reader reads it: each
    such quote is text, and a field quoted by the book is unquoted. None when no such quote is
    there, or the record has a line break, a quoted field that is not by the book (text after
    its closing quote, or a quote that never closes), or a field with an odd number of such
    quotes before a field holding a quote (``x"a,b"``, a quoted field whose delimiter before it
    went missing): where those fields end is a guess.

    >>> literal_fields('1,"a, b",5" pipe', ",", '"')
    ['1', 'a, b', '5" pipe']
    >>> literal_fields('1,"Hey, I missed " it",3', ",", '"') is None
    True
    """
    if any(end in raw.removesuffix("\n").removesuffix("\r") for end in "\r\n"):
        return None
    found = _fields_of(raw, delimiter, quote, inner_quotes=True)
    if not quote or found is None:
        return None
    if not any(not quoted and quote in value for quoted, value in found):
        return None
    odd = False  # an odd number of quotes inside the fields that are not quoted so far
    for quoted, value in found:
        if odd and (quoted or quote in value):
            return None  # that quote may pair with this field's across the delimiter
        odd = odd or (not quoted and value.count(quote) % 2 == 1)
    return [value for _, value in found]


def _fields_of(
    raw: str, delimiter: str, quote: str | None, *, inner_quotes: bool
) -> list[tuple[bool, str]] | None:
    """A record's fields, each whether it is quoted and its value, split where a field quoted by
    the book (see `quoted_fields`) or one that is not ends; None when a quoted field is not by
    the book, there is no quote character or delimiter, or (unless `inner_quotes`) a field that
    is not quoted holds a quote."""
    if not quote or not delimiter:
        return None
    text = raw.removesuffix("\n").removesuffix("\r")
    fields: list[tuple[bool, str]] = []
    at = 0
    while True:
        if text.startswith(quote, at):
            close = at + len(quote)
            while True:
                close = text.find(quote, close)
                if close < 0:
                    return None  # never closed
                if not text.startswith(quote, close + len(quote)):
                    break
                close += 2 * len(quote)
            end = close + len(quote)
            if end < len(text) and not text.startswith(delimiter, end):
                return None  # text after the closing quote
            fields.append((True, text[at + len(quote) : close].replace(2 * quote, quote)))
        else:
            found = text.find(delimiter, at)
            end = len(text) if found < 0 else found
            if quote in text[at:end] and not inner_quotes:
                return None  # a quote inside a field that is not quoted
            fields.append((False, text[at:end]))
        if end >= len(text):
            return fields
        at = end + len(delimiter)


def joins_back(rows: Sequence[Sequence[str]], width: int, delimiter: str) -> bool:
    """Whether `width` fits the sample's data records once values holding the delimiter are
    joined back: some records are of that width, and with the wider ones that `joined` joins,
    nine in ten of them."""
    evidence = column_evidence(rows, width, delimiter)
    if evidence is None:
        return False
    fitting = sum(1 for row in rows if len(row) == width)
    wider = [row for row in rows if len(row) > width]
    joinable = sum(1 for row in wider if joined(row, evidence, delimiter) is not None)
    return joinable > 0 and (fitting + joinable) * 10 >= len(rows) * 9


def with_apostrophes(
    raw: str, fields: Sequence[str], evidence: ColumnEvidence, quote: str | None
) -> bool:
    """Whether a one-line record whose quoting is broken only by apostrophes, the quote
    character being ``'`` (``'Men's Boots, Tall'``, ``O'Brien``), reads as its lenient split
    (`rowsift.io.csvtext.lenient_split`): of the header's width, every quote left in a field
    right after a letter and before a letter, a space or the field's end, in a free-text
    column, and every other field of the shape of its column's values.

    >>> rows = [[str(i), name, "9.5"] for i, name in enumerate(["Sofa", "Big Tent"] * 3)]
    >>> evidence = column_evidence(rows, 3, ",")
    >>> fields = ["7", "Men's Tent, Tall", "2.5"]
    >>> with_apostrophes("7,'Men's Tent, Tall',2.5", fields, evidence, "'")
    True
    >>> with_apostrophes("'7,Tent,2.5", ["'7", "Tent", "2.5"], evidence, "'")  # a stray quote
    False
    """
    if quote != "'" or "\n" in raw.rstrip("\r\n") or len(fields) != len(evidence.shapes):
        return False
    for place, value in enumerate(fields):
        if quote not in value:
            if place not in evidence.free_text and not evidence.fits_column(place, value):
                return False
            continue
        if place not in evidence.free_text or not _APOSTROPHES.match(value):
            return False
    return True


def read_inner_quotes(
    frame: pl.DataFrame, names: Sequence[str], delimiter: str, quote: str | None
) -> tuple[pl.DataFrame, int]:
    """The reader's frame with each record whose quoting is broken only by quotes inside fields
    that are not quoted (`literal_fields`), and that so reads to the header's width, made a
    good one (kept and flagged as `join_extra` does), and how many were. Needs no evidence:
    every lenient reader reads such a record alike."""
    broken = frame[PARSE].str.starts_with("broken quoting").fill_null(value=False)
    if not quote or not broken.any():
        return frame, 0
    places = broken.arg_true()
    done: list[tuple[int, list[str]]] = []
    for index, raw in zip(places, frame.get_column(RAW).gather(places), strict=True):
        values = literal_fields(raw, delimiter, quote)
        if values is not None and len(values) == len(names):
            done.append((index, values))
    return _read_back(frame, done, names), len(done)


def join_extra(
    frame: pl.DataFrame,
    names: Sequence[str],
    evidence: ColumnEvidence,
    delimiter: str,
    *,
    quote: str | None = None,
) -> tuple[pl.DataFrame, int]:
    """The reader's frame with each record of another width that `refitted` reads back, and
    each one broken only by apostrophes (`with_apostrophes`), made a good one (its named
    columns filled, ``_rowsift_parse`` null, its raw text and fields as split kept), and how
    many were."""
    width = len(names)
    wrong_width = pl.col(PARSE).str.starts_with("expected ") & (pl.col(FIELDS).list.len() != width)
    quoting = pl.col(PARSE).str.starts_with("broken quoting") & (pl.col(FIELDS).list.len() == width)
    if quote != "'":
        quoting = pl.lit(value=False)
    wide = frame.select((wrong_width | quoting).fill_null(value=False)).to_series()
    if not wide.any():
        return frame, 0
    places = wide.arg_true()
    candidates = frame.select(PARSE, FIELDS, RAW)[places].iter_rows()
    done: list[tuple[int, list[str]]] = []
    for index, (reason, fields, raw) in zip(places, candidates, strict=True):
        if reason.startswith("broken quoting"):
            if with_apostrophes(raw, fields, evidence, quote):
                done.append((index, list(fields)))
            continue
        if not _WIDTH.match(reason):
            continue
        values = refitted(fields, evidence, delimiter, quoted_fields(raw, delimiter, quote))
        if values is not None:
            done.append((index, values))
    return _read_back(frame, done, names), len(done)


def _read_back(
    frame: pl.DataFrame, done: list[tuple[int, list[str]]], names: Sequence[str]
) -> pl.DataFrame:
    """The frame with the records at the places (row indices) of `done` given its values:
    named columns filled, ``_rowsift_parse`` null, raw text and fields kept. Only those rows
    are written (`Series.scatter`), whatever the frame's length."""
    if not done:
        return frame
    places = [index for index, _ in done]
    columns = list(zip(*(values for _, values in done), strict=True))
    filled = [
        frame.get_column(name).clone().scatter(places, pl.Series(columns[i], dtype=pl.String))
        for i, name in enumerate(names)
    ]
    cleared = frame.get_column(PARSE).clone().scatter(places, None)
    return frame.with_columns(*filled, cleared)
