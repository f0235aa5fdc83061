"""Where the table is in delimited text: preamble, header (over one row or several), footer.

Every decision is a vote over many records, so that one bad record (a field too many, a stray
quote), even the first one, cannot decide it: the table's width is the most common width, its
first row the first record of that width followed by more of it, and a record is a header
when its cells are text where the columns below hold numbers or dates, or when its numbers
are years or dates in order naming the columns of a measure per period.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from rowsift.io.csvtext import csv_dialect, csv_reader
from rowsift.io.dialect import NUMERIC, mostly_typed
from rowsift.io.joining import LEAST_EVIDENCE, absorbed_split, joins_back, shape, timed_split

MAX_HEADER_ROWS = 3
"""A header may run over this many rows at most."""
BODY_ROWS = 50
"""How many records below a header candidate vote on it."""
WHOLE = re.compile(r"^\d{1,9}$")
CODES = 5
"""A column of at least this many values all of one length holds codes."""
FRACTION = re.compile(r"^[-+]?\d*\.\d+(?:[eE][-+]?\d+)?$")

Records = Sequence[tuple[int, list[str]]]
"""(0-based first line, fields) of each record of a sample."""


@dataclass(frozen=True)
class Layout:
    """Where the table starts in the sample and what names its columns."""

    header_row: int
    """0-based line of the first header row (or of the first record, without a header)."""
    header_rows: int
    """How many records name the columns (0: the file has no header)."""
    names: tuple[str, ...]
    """The names as written (a multi-row header's rows joined with a space), the table's width."""


def header_like(row: Sequence[str]) -> bool:
    """Whether a record could name columns: filled, and no cell a number or a date."""
    filled = [cell.strip() for cell in row if cell.strip()]
    return bool(filled) and not any(NUMERIC.match(cell) for cell in filled)


def _votes(row: Sequence[str], body: Sequence[Sequence[str]]) -> tuple[int, int, int]:
    """(text over a typed column, a value the column holds, typed columns) for a candidate."""
    votes_for = votes_against = typed = 0
    for index, cell in enumerate(row):
        column = [r[index].strip() for r in body if index < len(r) and r[index].strip()]
        if not column:
            continue
        numeric = mostly_typed(column)
        typed += numeric
        if not cell.strip():
            continue
        if numeric:
            votes_for += 1
        elif cell.strip() in column:
            votes_against += 1
    return votes_for, votes_against, typed


def unlike_every_column(row: Sequence[str], body: Sequence[Sequence[str]]) -> bool:
    """Whether each of a record's (two or more) filled cells is unlike every value of its column
    below: of another length than the codes the column holds (nine in ten of its values of one
    length), or shorter or longer than all of them and of a shape none of them has
    (`rowsift.io.joining.shape`); no cell holds a quote. Names over text columns, where no
    column holds numbers to tell them by.

    >>> body = [["9E", "Endeavor Air Inc."], ["AA", "American Airlines Inc."]] * 3
    >>> unlike_every_column(["carrier", "name"], body)
    True
    >>> unlike_every_column(['"9E', "Delta Air Lines Inc."], body)  # a name like the others
    False
    """
    filled = 0
    for index, cell in enumerate(row):
        value = cell.strip()
        if not value:
            continue
        column = [r[index].strip() for r in body if index < len(r) and r[index].strip()]
        if len(column) < CODES:
            return False
        lengths = Counter(len(v) for v in column)
        length, count = lengths.most_common(1)[0]
        if any(quote in value for quote in "\"'"):
            return False  # a stray quote: a damaged record, not a name
        if count * 10 >= len(column) * 9:
            unlike = len(value) != length
        else:
            outside = not min(lengths) <= len(value) <= max(lengths)
            unlike = outside and shape(value) not in {shape(v) for v in column}
        if not unlike:
            return False
        filled += 1
    return filled >= 2


def has_header(first: Sequence[str], body: Sequence[Sequence[str]]) -> bool:
    """Whether the first record names the columns rather than holding data."""
    # the header repeated below (a second table's, a page's) votes neither way
    body = [
        row
        for row in body
        if sum(a == b for a, b in zip(row, first, strict=False)) * 2 < len(first)
    ]
    if not header_like(first):
        return (
            _named_by_numbers(first, body)
            or _named_with_numbers(first, body)
            or _named_by_dates(first, body)
        )
    votes_for, votes_against, _ = _votes(first, body)
    return votes_for >= votes_against


YEARS = range(1800, 2101)


def _filled_cells(
    row: Sequence[str], body: Sequence[Sequence[str]]
) -> Iterator[tuple[str, list[str]]]:
    """Each filled cell of a record, with the filled values of its column below."""
    for index, cell in enumerate(row):
        value = cell.strip()
        column = [r[index].strip() for r in body if index < len(r) and r[index].strip()]
        if value and column:
            yield value, column


def _named_with_numbers(row: Sequence[str], body: Sequence[Sequence[str]]) -> bool:
    """Whether a record of names, some of them whole numbers, names columns: its text names a
    column of numbers or dates (``value`` over ``1.5``) and none of it is a value of its column
    or a null token, or its numbers are years in ascending order (``country,2019,2020``); and
    no number of it is a value of its column.

    >>> body = [["N0", "0.5", "100"], ["N1", "1.5", "200"]]
    >>> _named_with_numbers(["name", "value", "2019"], body)
    True
    >>> _named_with_numbers(["N9", "2.5", "300"], body)  # a record like the others: data
    False
    >>> _named_with_numbers(["country", "2019", "2020"], [["Peru", "10", "12"]] * 3)
    True
    """
    numbers: list[int] = []
    for value, column in _filled_cells(row, body):
        if value in column or value.lower() in _NULL_LIKE:
            return False
        if NUMERIC.match(value):
            if not WHOLE.match(value):
                return False
            numbers.append(int(value))
    named = ["" if NUMERIC.match(cell.strip()) else cell for cell in row]
    votes_for, _, _ = _votes(named, body)
    years = len(numbers) >= 2 and all(number in YEARS for number in numbers)
    ordered = years and _in_order(numbers)
    return bool(numbers) and (votes_for > 0 or ordered)


def _named_by_numbers(row: Sequence[str], body: Sequence[Sequence[str]]) -> bool:
    """Whether a record holding numbers names columns: years or other whole numbers in
    ascending order over at least two columns of decimal fractions (a wide table of a measure
    per year), and no cell of it a value of its column.

    >>> body = [["Aruba", "4.82", "4.655"], ["Chad", "6.3", ""], ["Peru", "", "6.9"]]
    >>> _named_by_numbers(["Country", "1960", "1961"], body)
    True
    >>> _named_by_numbers(["Fiji", "5.1", "4.2"], body)  # fractions where fractions are: data
    False
    >>> _named_by_numbers(["Fiji", "5", "4"], body)  # whole, but not in order: values
    False
    """
    numbers: list[str] = []
    for value, column in _filled_cells(row, body):
        if value in column:
            return False
        if not NUMERIC.match(value):
            continue
        fractions = sum(1 for v in column if FRACTION.match(v)) / len(column)
        if not WHOLE.match(value) or fractions < 0.8:
            return False
        numbers.append(value)
    ordered = all(int(a) < int(b) for a, b in itertools.pairwise(numbers))
    return len(numbers) >= 2 and ordered


_NULL_LIKE = frozenset({"na", "n/a", "nan", "null", "none", "-", "--", "?", "."})


def _named_by_dates(row: Sequence[str], body: Sequence[Sequence[str]]) -> bool:
    """Whether a record whose numbers are all dates names columns: two or more dates in order,
    oldest or newest first (a wide table of a measure per day or month: ``item,2024-01-01,
    2024-02-01``, ``Province/State,Lat,Long,1/22/20,1/23/20``), its other cells text, and no
    cell a value of its column below or a null token. Over columns that hold dates themselves,
    three or more dates evenly spaced: a record of such columns is in order by chance far more
    often than it steps by one day, week or month.

    >>> body = [["Peru", "12.5", "11.2"], ["Chad", "8.1", "7.7"]] * 3
    >>> _named_by_dates(["item", "2024-03-01", "2024-02-01"], body)
    True
    >>> _named_by_dates(["item", "2024-03-01", "2024-03-01"], body)  # one date twice
    False
    >>> visits = [["Ann", "2011-05-02", "2011-06-01"], ["Bob", "2012-01-09", "2012-03-01"]] * 3
    >>> _named_by_dates(["Cid", "2013-04-02", "2013-04-20"], visits)  # dates over dates
    False
    """
    dates: list[dict[str, tuple[int, ...]]] = []
    over_dates = False
    for value, column in _filled_cells(row, body):
        if value in column or value.lower() in _NULL_LIKE:
            return False
        if not NUMERIC.match(value):
            continue  # a name
        readings = date_readings(value)
        if not readings:
            return False  # a number that is no date: data, or a year (`_named_with_numbers`)
        over_dates |= sum(bool(date_readings(v)) for v in column) * 5 >= len(column) * 4
        dates.append(readings)
    if len(dates) < (3 if over_dates else 2):
        return False
    for reading in dates[0]:
        keys = [found[reading] for found in dates if reading in found]
        if len(keys) < len(dates) or not _in_order(keys):
            continue
        if not over_dates or _evenly_spaced(keys):
            return True
    return False


def _in_order(keys: Sequence[Any]) -> bool:
    """Whether the keys rise or fall all along, none repeated."""
    pairs = list(itertools.pairwise(keys))
    return all(a < b for a, b in pairs) or all(a > b for a, b in pairs)


def _evenly_spaced(keys: Sequence[tuple[int, ...]]) -> bool:
    """Whether dates (`date_readings` keys of one reading) step by one interval: so many days,
    or so many months on one day of the month.

    >>> _evenly_spaced([(2024, 1, 31, 0, 0, 0), (2024, 3, 31, 0, 0, 0), (2024, 5, 31, 0, 0, 0)])
    True
    >>> _evenly_spaced([(2024, 1, 1, 0, 0, 0), (2024, 1, 8, 0, 0, 0), (2024, 1, 9, 0, 0, 0)])
    False
    """
    try:
        days = [date(*key[:3]).toordinal() for key in keys]
    except ValueError:
        return False
    months = [key[0] * 12 + key[1] for key in keys]
    return len({b - a for a, b in itertools.pairwise(days)}) == 1 or (
        len({b - a for a, b in itertools.pairwise(months)}) == 1 and len({k[2] for k in keys}) == 1
    )


_DATE = re.compile(
    r"^(\d{1,4})([-/.])(\d{1,2})\2(\d{1,4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?$"
)


def date_readings(value: str) -> dict[str, tuple[int, ...]]:
    """A date (a time of day may follow) as sortable keys by each way of reading it: ``ymd``,
    ``mdy`` or ``dmy``; a two-digit year both as `strptime`'s ``%y`` reads it (1969 to 2068)
    and in this century (``mdy2000``, ``dmy2000``), so that dates in order across 1999 and
    2000, or across 1968 and 1969, read in order one way or the other. Empty for anything else.

    >>> date_readings("2024-01-31 08:30"), date_readings("12.5"), date_readings("2019")
    ({'ymd': (2024, 1, 31, 8, 30, 0)}, {}, {})
    >>> date_readings("1/22/99")
    {'mdy': (1999, 1, 22, 0, 0, 0), 'mdy2000': (2099, 1, 22, 0, 0, 0)}
    >>> sorted(date_readings("03.04.2021"))
    ['dmy', 'mdy']
    """
    match = _DATE.match(value)
    if match is None:
        return {}
    first, _, middle, last, *clock = match.groups()
    time = tuple(int(part or 0) for part in clock)
    year = int(last)
    if len(first) == 4:
        candidates = {"ymd": (int(first), int(middle), year)}
    elif len(last) == 4:
        candidates = {
            "mdy": (year, int(first), int(middle)),
            "dmy": (year, int(middle), int(first)),
        }
    elif len(last) == 2:
        read = year + (1900 if year >= 69 else 2000)
        candidates = {
            "mdy": (read, int(first), int(middle)),
            "dmy": (read, int(middle), int(first)),
            "mdy2000": (year + 2000, int(first), int(middle)),
            "dmy2000": (year + 2000, int(middle), int(first)),
        }
    else:
        return {}
    return {
        reading: (*day, *time)
        for reading, day in candidates.items()
        if 1 <= day[1] <= 12 and 1 <= day[2] <= 31
    }


def _more_header(row: Sequence[str], above: Sequence[str], body: Sequence[Sequence[str]]) -> bool:
    """Whether a record below a header is one more row of it: the header repeated, or text (a
    unit, a second line of names) over at least one column that holds numbers or dates below,
    none of it a value found in its column or a null token; where no column holds numbers or
    dates, text unlike every column's values (`unlike_every_column`)."""
    if list(row) == list(above):
        return True
    if not header_like(row) or any(cell.strip().lower() in _NULL_LIKE for cell in row):
        return False
    if all(cell.strip() for cell in above) and _written_like_values(row, body):
        return False  # below a header naming every column, a row of values is a record
    votes_for, votes_against, typed = _votes(row, body)
    if typed == 0:
        return unlike_every_column(row, body)
    return votes_for > 0 and votes_against == 0


def _written_like_values(row: Sequence[str], body: Sequence[Sequence[str]]) -> bool:
    """Whether a cell of the row, over a column of text (at least `CODES` values, fewer than
    four in five numbers or dates), is written as values of its column are: of the shape of
    some (`rowsift.io.joining.shape` with case), and more than one word (a word alone names a
    column as often as it is a value): ``SO-1`` above ``SO-2``, ``Anna Smith`` above ``Bob
    Jones``; not ``FOOTNOTE`` above ``AA``, nor ``name`` above ``red``.

    >>> body = [["SO-2", "Bob Jones", "21.5"], ["SO-3", "Ann Lee", "31"]] * 3
    >>> _written_like_values(["SO-1", "Anna Smith", "pending"], body)
    True
    >>> _written_like_values(["id", "full name", "(USD)"], body)
    False
    """
    for index, cell in enumerate(row):
        value = cell.strip()
        column = [r[index].strip() for r in body if index < len(r) and r[index].strip()]
        if not value or len(column) < CODES or mostly_typed(column):
            continue
        written = shape(value, case=True)
        if written.strip("Aa_") == "":
            continue  # one word: a name as often as a value
        if written in {shape(v, case=True) for v in column}:
            return True
    return False


def table_start(records: Records, width: int) -> int:
    """The index of the table's first record: the first of the usual width, mostly filled, and
    followed by records of that width (a group-title row above a full header is skipped)."""
    need = max(1, math.ceil(width / 2))
    for index, (_, row) in enumerate(records):
        filled = sum(1 for cell in row if cell.strip())
        if len(row) != width or (filled < need and not _sparse_record(records, index, need)):
            continue
        if filled == 1 < width and _always_filled(
            row, [r for _, r in records[index + 1 : index + 1 + BODY_ROWS * 4]]
        ):
            # a title (``PREAMBLE,``) whose empty cells are filled in every record below
            continue
        if filled < width and index + 1 < len(records):
            # a group-title row ("Customer,,,Order,,") above a header that names every column
            below = records[index + 1][1]
            if len(below) == width and all(c.strip() for c in below) and header_like(below):
                continue
        following = [len(r) == width for _, r in records[index + 1 : index + 4]]
        if not following or any(following):
            return index
    return 0


def _sparse_record(records: Records, index: int, need: int) -> bool:
    """Whether a record of the table's width with fewer than `need` filled cells is the first
    of the table, not a title above it: the record right below it, if mostly filled, does not
    name the columns (a header below a title), and either a fifth of the records of its width
    below it (two at least) are as sparse, or its two or more filled cells are numbers or
    dates over columns of them (a record with values missing).

    >>> rows = [["ROYAL", "1", "", ""], ["GALA", "", "", ""], ["FUJI", "3", "4", "5"]]
    >>> rows += [["PINK", "", "", "6"], ["EVE", "", "", ""]]
    >>> _sparse_record(list(enumerate(rows)), 0, 3)
    True
    >>> titled = [["Apples sold", "", "", ""], ["name", "2019", "2020", "2021"], *rows]
    >>> _sparse_record(list(enumerate(titled)), 0, 3)
    False
    >>> prices = [["1", "49.75", "", ""], *([str(n), "51.4", "3.39", "0.2"] for n in range(9))]
    >>> _sparse_record(list(enumerate(prices)), 0, 3)
    True
    """
    first = records[index][1]
    width = len(first)
    below = [row for _, row in records[index + 1 : index + 1 + BODY_ROWS] if len(row) == width]
    if not below:
        return False
    if sum(1 for cell in below[0] if cell.strip()) >= need and has_header(below[0], below[1:]):
        return False
    sparse = sum(1 for row in below if sum(1 for cell in row if cell.strip()) < need)
    if sparse >= 2 and sparse * 5 >= len(below):
        return True
    filled = list(_filled_cells(first, below))
    return len(filled) >= 2 and all(
        NUMERIC.match(value) and mostly_typed(column) for value, column in filled
    )


def _always_filled(row: Sequence[str], below: Sequence[Sequence[str]]) -> bool:
    """Whether the cells `row` leaves empty are filled in every record of its width in `below`
    (at least `CODES` of them; those before the first and after the last record of two filled
    cells or more, notes like it, are passed over), two in three of them where it leaves three
    or more empty (a comments column may be empty everywhere): a note in a table's first
    column, not a record.

    >>> _always_filled(["Note", ""], [["9E", "Endeavor Air"], ["AA", "American"]] * 3)
    True
    >>> _always_filled(["9E", ""], [["AA", ""], ["AS", "Alaska"]] * 3)
    False
    >>> _always_filled(["Note", "", "", ""], [["a", "b", "c", ""], ["d", "e", "f", "g"]] * 3)
    True
    """
    full = [i for i, r in enumerate(below) if sum(1 for c in r if c.strip()) > 1]
    body = [r for r in below[full[0] : full[-1] + 1] if len(r) == len(row)] if full else []
    empty = [i for i, cell in enumerate(row) if not cell.strip()]
    if len(body) < CODES or not empty:
        return False
    filled = sum(1 for i in empty if all(r[i].strip() for r in body))
    return filled == len(empty) or (len(empty) >= 3 and filled * 3 >= len(empty) * 2)


def fitted(row: list[str], width: int, body: Sequence[Sequence[str]] = ()) -> list[str] | None:
    """A header of another width fitted to the table's: a blank tail (``a,b,c,``) or one blank
    name too many dropped, one name short taken for an unnamed index column, or, when the
    records of the table's width below (`body`) all end in a blank field (``1,2,3,``: every
    record closed by a delimiter), for that blank last column; else None.

    >>> fitted(["id", "name"], 3), fitted(["id", "name"], 3, [["1", "a", ""], ["2", "b", ""]])
    (['', 'id', 'name'], ['id', 'name', ''])
    """
    while len(row) > width and not row[-1].strip():
        row = row[:-1]
    if len(row) == width:
        return row
    blanks = [i for i, cell in enumerate(row) if not cell.strip()]
    if len(row) == width + 1 and len(blanks) == 1:
        return row[: blanks[0]] + row[blanks[0] + 1 :]
    if len(row) == width - 1 >= 2:
        return [*row, ""] if _blank_last(body, width) else ["", *row]
    return None


def _blank_last(body: Sequence[Sequence[str]], width: int) -> bool:
    """Whether at least two records of `width` fields lie in `body`, and all end in a blank."""
    full = [record for record in body if len(record) == width]
    return len(full) >= 2 and all(not record[-1].strip() for record in full)


def names_as_written(
    written: Sequence[str], width: int, below: Sequence[Sequence[str]], delimiter: str
) -> bool:
    """Whether a header one name short of the records' commonest `width` names the table's
    columns as written, not R's unnamed row-name column: R writes every record one field wider
    than its header, while here at least `LEAST_EVIDENCE` of the records `below` have the
    header's own width, and the wider ones are wider because one column's values hold the
    delimiter (`_narrower`, `rowsift.io.joining.joins_back`).

    >>> rows = [["Sofa", "1"], ["Lamp", "2"], ["Mug", "3"], ["Ana", "4"], ["Vest", "5"]]
    >>> rows += [["Sofa", "Tent", "6"], ["Heated", "Mug", "7"], ["Tent", "Lamp", "8"]] * 2
    >>> names_as_written(["item", "count"], 3, rows, " ")
    True
    >>> names_as_written(["item", "count"], 3, [["1", "Sofa", "6"], ["2", "Mug", "7"]] * 4, " ")
    False
    """
    if len(written) != width - 1:
        return False
    own = sum(1 for row in below if len(row) == len(written))
    return own >= LEAST_EVIDENCE and (
        _narrower(below, written, delimiter) or joins_back(below, len(written), delimiter)
    )


def _narrower(below: Sequence[Sequence[str]], written: Sequence[str], delimiter: str) -> bool:
    """Whether a record narrower than the records below it names their columns: a column of
    times holds the delimiter, or (the delimiter a space) the words of one free-text column do
    (`rowsift.io.joining.timed_split`, `rowsift.io.joining.absorbed_split`)."""
    width = len(written)
    if timed_split(below, width, delimiter) is not None:
        return True
    return all(cell.strip() for cell in written) and (
        absorbed_split(below, width, delimiter) is not None
    )


def find_layout(records: Records, width: int, delimiter: str = ",") -> Layout:
    """Where the table starts, and its header (see the module docstring)."""
    if not records:
        return Layout(0, 0, ())
    start = table_start(records, width)
    first = records[start][1]
    if start > 0 and records[start - 1][0] + 1 == records[start][0]:
        # the record right above the first row of data, of another width, may be its header
        written = records[start - 1][1]
        below = [row for _, row in records[start : start + BODY_ROWS]]
        above = fitted(list(written), width, below)
        if above is None and header_like(written) and _narrower(below, written, delimiter):
            start, first = start - 1, list(written)
        elif (
            above is not None
            and header_like(written)
            and (not header_like(first) or unlike_every_column(above, below))
        ):
            start, first = start - 1, above
    body = [row for _, row in records[start + 1 : start + 1 + BODY_ROWS]]
    if not has_header(first, body):
        return Layout(records[start][0], 0, ())
    rows = [first]
    while len(rows) < MAX_HEADER_ROWS and start + len(rows) < len(records):
        line, row = records[start + len(rows)]
        below = [r for _, r in records[start + len(rows) + 1 : start + len(rows) + 1 + BODY_ROWS]]
        if line != records[start + len(rows) - 1][0] + 1 or len(row) != width:
            break
        if not below or not _more_header(row, rows[0], below):
            break
        rows.append(row)
    names = tuple(
        " ".join(part.strip() for part in column if part.strip())
        for column in zip(*(r + [""] * (width - len(r)) for r in rows), strict=False)
    )
    if len(rows) == 1:
        names = tuple(first)
    return Layout(records[start][0], len(rows), names)


def footer_rows(tail_lines: Sequence[str], delimiter: str, quote: str | None, width: int) -> int:
    """Trailing lines that are notes: one filled field or fewer in a table of several columns
    (`note_rows`); a line with an odd count of quote characters ends the search (a record's
    last line, not a note)."""
    dialect = csv_dialect(delimiter, quote, None, strict=False)
    lines = [line for line in tail_lines if line.strip()]
    rows = [next(csv_reader([line], dialect), []) for line in lines]
    unclosed = [line.count(quote) % 2 == 1 if quote else False for line in lines]
    return note_rows(rows, width, unclosed)


def note_rows(
    rows: Sequence[Sequence[str]],
    width: int,
    unclosed: Sequence[bool] | None = None,
    *,
    sentences: bool = False,
) -> int:
    """How many of the last rows (blank ones left out beforehand) are notes below a table of
    `width` columns: one filled field or fewer, and, when as wide as the table, a field whose
    column is filled in every record above (``FOOTNOTE,,``: not a record with missing values)
    or, with `sentences` (a sheet, where every row is as wide as the table) and three columns or
    more, when every record above the last rows of one filled cell fills two or more
    (``Source: a survey`` below a table with gaps); never a text written as its column's values
    are (`shape` with case: ``Zoe Adams`` below names, ``SKU-999`` below codes, a record missing
    its other values); 0 unless one of them holds a space or a letter (a lone number or dash
    may be data). The search stops at a row with `unclosed` set.

    >>> table = [["id", "name"]] + [[str(i), f"n{i}"] for i in range(8)]
    >>> note_rows(table + [["Source: a survey", ""], ["2024", ""]], 2)
    2
    >>> note_rows(table + [["9", ""]], 2)
    0
    """
    if width < 2:
        return 0
    count = 0
    seen_note = False
    # two columns: a last record may well miss its one other value
    lone = _lone_rows(rows) if sentences and width >= 3 else 0
    for place in range(len(rows) - 1, -1, -1):
        row = rows[place]
        filled = [cell for cell in row if cell.strip()]
        # a note of the table's width (``FOOTNOTE,,``) leaves empty cells filled everywhere above
        noted = len(row) == width and len(filled) == 1
        if noted:
            above = rows[max(0, place - BODY_ROWS * 4) : place][::-1]
            # a value written as its column's are is a record that misses the others
            records = [r for r in above if len(r) == width and sum(1 for c in r if c.strip()) > 1]
            noted = (place >= len(rows) - lone or _always_filled(row, above)) and not (
                _written_like_values(row, records)
            )
        if (len(row) == width and not noted) or len(filled) > 1:
            break
        if unclosed is not None and unclosed[place]:
            break
        text = "".join(row).strip()
        seen_note = seen_note or " " in text or any(c.isalpha() for c in text)
        count += 1
    return count if seen_note else 0


def _lone_rows(rows: Sequence[Sequence[str]]) -> int:
    """How many of the last rows fill one cell or none, when every row above them (two or
    more) fills two cells or more; else 0.

    >>> _lone_rows([["a", "1", ""], ["b", "", "x"], ["Source: x", "", ""], ["", "", ""]])
    2
    >>> _lone_rows([["a", "1"], ["b", ""], ["Source: x", ""]])
    0
    """
    counts = [sum(1 for cell in row if cell.strip()) for row in rows]
    lone = len(counts) - next((i + 1 for i in range(len(counts) - 1, -1, -1) if counts[i] > 1), 0)
    above = counts[: len(counts) - lone]
    return lone if len(above) >= 2 and min(above) > 1 else 0


COMMENT_PREFIX = "#"
"""The comment mark `comment_prefix` looks for (``%`` is ARFF's, read by `rowsift.io.arff`)."""


def comment_prefix(
    lines: Sequence[str], records: Sequence[tuple[int, list[str]]], rows_from: int, width: int
) -> str | None:
    r"""``#`` when lines below the header start with it and none of them is a record of the
    table's width (``# sensor 2 restarted`` between two records); None otherwise, and in a
    one-column table, where such a line is a value.

    >>> lines = ["id,n\n", "1,2\n", "# restarted\n", "3,4\n"]
    >>> records = [(0, ["id", "n"]), (1, ["1", "2"]), (2, ["# restarted"]), (3, ["3", "4"])]
    >>> comment_prefix(lines, records, 1, 2)
    '#'
    >>> with_record = [*records, (4, ["#5", "6"])]  # a record of id ``#5``
    >>> comment_prefix([*lines, "#5,6\n"], with_record, 1, 2) is None
    True
    """
    if width < 2:
        return None
    marked = [
        row
        for index, row in records
        if index >= rows_from and index < len(lines) and lines[index].startswith(COMMENT_PREFIX)
    ]
    if not marked or any(len(row) == width for row in marked):
        return None
    return COMMENT_PREFIX


def line_terminator(lines: Sequence[str]) -> str:
    """The lines' terminator: ``\\n``, ``\\r\\n``, ``\\r`` or ``mixed``."""
    kinds = Counter(
        "\r\n" if line.endswith("\r\n") else line[-1:] for line in lines if line[-1:] in "\r\n"
    )
    if len(kinds) > 1:
        return "mixed"
    return next(iter(kinds), "\n")
