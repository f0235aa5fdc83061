"""Tables aligned with whitespace: a run of spaces and tabs is one delimiter.

Statistical and scientific text tables (R's ``write.table``, reports padded into columns) put
as many spaces or tabs between two fields as it takes to line the columns up, and often start
a line with some. Such a file is read as space-delimited text once each line is collapsed: its
leading and trailing spaces and tabs dropped, and every run of them between two fields written
as one space. A quoted field is kept as written. The recipe says so with ``delimiter:
whitespace``; a record's raw text (``_rowsift_raw``) is then its collapsed line.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from rowsift.io.csvtext import lines_of

WHITESPACE = "whitespace"
"""The recipe's ``source.delimiter`` for a table aligned with whitespace."""

_RUN = re.compile(r"[ \t]+")
_TERMINATOR = re.compile(r"(?:\r\n|\r|\n)\Z")
_OTHER_SPACE = re.compile(
    "[\x0b\x0c\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
)
"""What Python's `str.split` and `str.splitlines` take for whitespace or a line end besides a
space, a tab and a line break: text that holds none is collapsed by them (`collapse_block`)."""
_ALIGNED = re.compile(r"^[ \t]+\S|\S(?: {2,}| +\t|\t+ )[ \t]*\S")
"""A line that starts with whitespace before a value, or holds two values apart by two spaces
or more, or by tabs and spaces together: a line laid out in columns."""
ALIGNED_SHARE = 0.5
"""The share of a sample's lines that must be laid out in columns for the file to be read as
aligned at all: one value with two spaces in it does not make a table aligned."""


@lru_cache(maxsize=8)
def _quoted_or_run(quote: str) -> re.Pattern[str]:
    q = re.escape(quote)
    # a quoted field opens after whitespace or at the start, and closes before whitespace or at
    # the end; a quote anywhere else is text (``5'10"``)
    return re.compile(f"(?<![^ \\t])({q}(?:[^{q}]|{q}{q})*{q})(?![^ \\t])|[ \\t]+")


def collapse_line(line: str, quote: str | None) -> str:
    """`line` (with its terminator, if any) with its leading and trailing spaces and tabs
    dropped and every other run of them written as one space, outside quoted fields.

    >>> collapse_line('  1950   1  "New  York"\\t 23.11 \\n', '"')
    '1950 1 "New  York" 23.11\\n'
    """
    ending = _TERMINATOR.search(line)
    end = ending.group() if ending else ""
    body = line[: len(line) - len(end)].strip(" \t")
    if quote and quote in body:
        body = _quoted_or_run(quote).sub(lambda found: found.group(1) or " ", body)
    else:
        body = _RUN.sub(" ", body)
    return body + end


def collapse_lines(lines: Iterable[str], quote: str | None) -> list[str]:
    """`collapse_line` of each line."""
    return [collapse_line(line, quote) for line in lines]


def looks_aligned(lines: Sequence[str]) -> bool:
    """Whether at least `ALIGNED_SHARE` of the non-blank `lines` are laid out in columns."""
    filled = [line for line in lines if line.strip()]
    laid_out = sum(1 for line in filled if _ALIGNED.search(line))
    return bool(filled) and laid_out >= ALIGNED_SHARE * len(filled)


class CollapsedText(io.TextIOBase):
    """A text stream whose lines are `collapse_line`-d as they are read (`cut_line`, with the
    columns' `starts`): line numbers stay those of the file, since no line is added or
    removed."""

    def __init__(self, inner: io.TextIOBase, quote: str | None, starts: Sequence[int] = ()) -> None:
        super().__init__()
        self._inner = inner
        self._quote = quote
        self._starts = tuple(starts)
        self._rest = ""

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> str:
        """Whole collapsed lines, about `size` characters of the file's (all of it if
        negative); an empty string only at the end of the file."""
        while True:
            chunk = self._inner.read(-1 if size is None or size < 0 else max(size, 1))
            data = self._rest + chunk
            if not chunk:
                self._rest = ""
                return self._collapsed(data)
            cut = data.rfind("\n") + 1
            if not cut:
                # a lone carriage return ends a line only when something other than "\n" follows
                cut = data.rfind("\r", 0, len(data) - 1) + 1
            if cut:
                self._rest = data[cut:]
                return self._collapsed(data[:cut])
            self._rest = data

    def _collapsed(self, text: str) -> str:
        if self._starts:
            return "".join(cut_line(line, self._starts, self._quote) for line in lines_of(text))
        return collapse_block(text, self._quote)


def collapse_block(text: str, quote: str | None) -> str:
    """`collapse_line` of every line of `text`. A line without a quote character is split and
    joined by `str.split` when the text holds no other whitespace than spaces, tabs and line
    breaks (a 74 MB table of a million lines in about 2 s instead of 5).

    >>> collapse_block('  a   b \\n\\t\\n c\\td\\r\\n"x  y"  z  ', '"')
    'a b\\n\\nc d\\r\\n"x  y" z'
    """
    if _OTHER_SPACE.search(text):
        return "".join(collapse_line(line, quote) for line in lines_of(text))
    collapsed = []
    for line in text.splitlines(keepends=True):
        if quote and quote in line:
            collapsed.append(collapse_line(line, quote))
        else:
            collapsed.append(" ".join(line.split()) + line[len(line.rstrip("\r\n")) :])
    return "".join(collapsed)


_WORD = re.compile(r"\S+")
_RULE = re.compile(r"[\s\-=_*+~|.:#]*")
"""A blank line, or a rule drawn with dashes, equals signs and the like."""
HEADER_LINES = 3
"""The most lines a header by position spans."""
SPAN_LINES = 200
"""How many data lines tell where the columns lie."""


def column_spans(lines: Sequence[str], width: int) -> list[tuple[int, int]] | None:
    """Where each of `width` columns lies, as (first, last + 1) character positions, from the
    lines of `width` words; None when a line holds a tab (its width on screen is unknown), when
    no line has `width` words, or when two columns overlap."""
    spans: list[tuple[int, int]] = []
    for line in lines:
        if "\t" in line:
            return None
        words = [(found.start(), found.end()) for found in _WORD.finditer(line)]
        if len(words) != width:
            continue
        if not spans:
            spans = words
            continue
        spans = [
            (min(start, word[0]), max(end, word[1]))
            for (start, end), word in zip(spans, words, strict=True)
        ]
    if not spans or any(spans[i][1] > spans[i + 1][0] for i in range(width - 1)):
        return None
    return spans


NEAR = 2
"""How many characters a header word may lie beside the column it names (a name set left of
numbers aligned right); farther, it is no header word (prose runs past the columns)."""


def _placed(line: str, spans: Sequence[tuple[int, int]]) -> list[list[str]] | None:
    """The words of `line` by column: each goes to the one column it overlaps, or, when it
    overlaps none, to the one it lies within `NEAR` characters of; None when a word overlaps
    two, lies as near to two or near none, or comes before a word of an earlier column. A
    first word ending in a colon, left of every column, labels the line and is no name."""
    if "\t" in line:
        return None
    placed: list[list[str]] = [[] for _ in spans]
    last = 0
    for found in _WORD.finditer(line):
        start, end = found.span()
        if found.group().endswith(":") and end + NEAR < spans[0][0] and not any(placed):
            continue  # the line's label, left of every column (``Data:  Treatment  Response``)
        over = [i for i, (s, e) in enumerate(spans) if start < e and end > s]
        if len(over) > 1:
            return None
        if over:
            column = over[0]
        else:
            gaps = sorted((max(s - end, start - e), i) for i, (s, e) in enumerate(spans))
            if gaps[0][0] > NEAR or (len(gaps) > 1 and gaps[0][0] == gaps[1][0]):
                return None
            column = gaps[0][1]
        if column < last:
            return None
        last = column
        placed[column].append(found.group())
    return placed


def names_by_position(
    lines: Sequence[str], header: Sequence[int], data: Sequence[int], width: int
) -> list[str] | None:
    """The column names that the header lines (indices into `lines`) write above the data
    lines, read by position: the words over each column, line by line, joined with a space
    (``CO2 concentration`` over ``(ppmv)``); None unless every column gets a word."""
    spans = column_spans([lines[i] for i in data[:SPAN_LINES]], width)
    if spans is None or not header:
        return None
    names: list[list[str]] = [[] for _ in range(width)]
    for index in header:
        placed = _placed(lines[index].rstrip("\r\n"), spans)
        if placed is None:
            return None
        for column, words in enumerate(placed):
            names[column] += words
    return [" ".join(words) for words in names] if all(names) else None


def header_above(
    lines: Sequence[str], data: Sequence[int], width: int
) -> tuple[tuple[int, int], list[str]] | None:
    """(first line, count) of the header lines right above the first data line (`data`:
    indices of data lines into `lines`), at most two blanks or rules between, and the names
    they write by position (`names_by_position`): the most lines, up to `HEADER_LINES`, that
    name every column."""
    if not data:
        return None
    at = data[0] - 1
    skipped = 0
    while at >= 0 and _RULE.fullmatch(lines[at]) and skipped < 2:
        at, skipped = at - 1, skipped + 1
    above: list[int] = []
    while at >= 0 and len(above) < HEADER_LINES and not _RULE.fullmatch(lines[at]):
        above.insert(0, at)
        at -= 1
    for count in range(len(above), 0, -1):
        rows = above[len(above) - count :]
        names = names_by_position(lines, rows, data, width)
        if names is not None:
            return (rows[0], count), names
    return None


def column_starts(lines: Sequence[str], width: int) -> list[int] | None:
    """Where each of `width` columns starts, for cutting lines by position (`cut_line`): 0 for
    the first, and where the lines of `width` words start each other column
    (`column_spans`); None when those lines give no columns.

    >>> column_starts(["Alice   Boston     100", "Bob     LA          20"], 3)
    [0, 8, 19]
    """
    spans = column_spans(lines, width)
    if spans is None or width < 2:
        return None
    return [0, *(start for start, _ in spans[1:])]


def fields_at(line: str, starts: Sequence[int]) -> list[str] | None:
    """The fields of `line` (no terminator) cut at the columns' `starts`, each stripped; None
    when the line does not fit the columns: it holds a tab, writes before the first column,
    a word of it crosses from one column into the next, or a column holds two values (a run
    of two spaces or more between its words: a field too many).

    >>> fields_at("Eve       Phoenix                   1680992", [0, 10, 25, 36])
    ['Eve', 'Phoenix', '', '1680992']
    >>> fields_at("  3     4.50  extra", [0, 5]) is None
    True
    """
    if "\t" in line or line[: starts[0]].strip(" "):
        return None
    if any(0 < at < len(line) and line[at - 1] != " " and line[at] != " " for at in starts[1:]):
        return None
    bounds = [*starts, max(len(line), starts[-1])]
    fields = [line[a:b].strip(" ") for a, b in itertools.pairwise(bounds)]
    return None if any("  " in field for field in fields) else fields


def cut_line(line: str, starts: Sequence[int], quote: str | None) -> str:
    """`line` cut at the columns' `starts` into its fields (`fields_at`), written apart by one
    space and quoted when it is empty or holds a space (``"New York"``, ``""``), so that it
    reads as `collapse_line`'s lines do; a blank line stays blank, and a line that does not
    fit the columns, or a table without a quote character, is collapsed instead.

    >>> cut_line("Bob     LA          20\\n", [0, 8, 18], '"')
    'Bob LA 20\\n'
    >>> cut_line("Alice   New York      \\n", [0, 8, 18], '"')
    'Alice "New York" ""\\n'
    """
    ending = _TERMINATOR.search(line)
    end = ending.group() if ending else ""
    body = line[: len(line) - len(end)]
    fields = fields_at(body, starts) if body.strip(" \t") else None
    if fields is None or quote is None:
        return collapse_line(line, quote)
    return " ".join(_written(field, quote) for field in fields) + end


def _written(field: str, quote: str) -> str:
    """A field as a delimited line holds it: as it is when it is one word, or already
    quoted, else quoted, its quote characters doubled."""
    if field and " " not in field and quote not in field:
        return field
    if len(field) >= 2 and field[0] == quote and field[-1] == quote:
        return field
    return quote + field.replace(quote, quote * 2) + quote


HEADER_TRIES = 6
"""How many of a sample's first non-blank lines `gutter_starts` tries as the header."""
FITTING_SHARE = 0.9
"""The share of the lines below a header that must fit columns found by their gutters."""


def gutter_starts(
    lines: Sequence[str],
    names: Callable[[Sequence[str]], bool] = bool,
    titled: Callable[[Sequence[str]], bool] = bool,
) -> tuple[int, list[int]] | None:
    """(header line, column starts) of a table printed in columns whose values may hold
    spaces (``Jan 1 2000``, ``New York``), as data frames print: the columns are where the
    lines below the header leave a gutter, a character position blank in every one of them,
    and the header's names say which runs of filled positions are one column
    (`_named_columns`). A header is tried among the first `HEADER_TRIES` non-blank lines:
    the first, when its words `names` says could name columns, or one below a blank line (a
    title may stand above it) whose words `titled` says are a header's. One is taken when at
    least `FITTING_SHARE` of the lines below it, rules (lines of dashes) left out, fit the
    columns (`fields_at`), read the way that fits the most; the last one taken is the header
    (a title's words may line up with the columns below it by chance). None when no line is,
    or a line holds a tab.

    >>> lines = ["symbol        date  price", "  MSFT  Jan 1 2000  39.81"]
    >>> gutter_starts([*lines, "   IBM  Feb 1 2000  100.5"])
    (0, [0, 8, 20])
    >>> gutter_starts(["  abc b", "1 xyz 5", "2 uvw 6"])  # R's row names: an unnamed column
    (0, [0, 2, 6])
    """
    text = [line.rstrip("\r\n") for line in lines]
    if any("\t" in line for line in text):
        return None
    filled = [index for index, line in enumerate(text) if line.strip(" ")]
    found = None
    for tried, header in enumerate(filled[:HEADER_TRIES]):
        below = (text[index] for index in filled[tried + 1 :])
        body = list(
            itertools.islice((line for line in below if not _RULE.fullmatch(line)), SPAN_LINES)
        )
        if len(body) < 2:
            break
        words = text[header].split()
        if tried and (text[header - 1].strip(" ") or not titled(words)):
            continue  # a title stands apart, a blank line below it, above a header
        if not names(words):
            continue
        best, most = None, FITTING_SHARE * len(body)
        for starts in _named_columns(text[header], body):
            fields = [fields_at(line, starts) for line in body]
            fitting = sum(1 for row in fields if row is not None)
            numbered = best is not None and len(starts) > len(best) and _row_numbers(fields)
            if fitting >= most and (best is None or fitting > most or numbered):
                best, most = starts, fitting
        if best is not None:
            found = header, best  # a line below a blank one may be the header under a title
    return found


def _name_words(header: str, runs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Where the `header`'s words lie, a word over a gutter only (a name of several words
    wider than its values: ``Sample Number`` over ``1``) taken with the word one space to its
    right, or else to its left, as one name's; none when such a word has neither."""
    words = [(found.start(), found.end()) for found in _WORD.finditer(header)]
    kept: list[tuple[int, int]] = []
    pending: int | None = None  # where a word over a gutter starts, for the next to take
    for place, (first, end) in enumerate(words):
        start = first if pending is None else pending
        pending = None
        if any(start < b and end > a for a, b in runs):
            kept.append((start, end))
        elif place + 1 < len(words) and words[place + 1][0] == end + 1:
            pending = start
        elif kept and kept[-1][1] + 1 == start:
            kept[-1] = (kept[-1][0], end)
        else:
            return []
    return kept


def _row_numbers(rows: Sequence[list[str] | None]) -> bool:
    """Whether the first fields of the `rows` that fit are row numbers, one more each time:
    an unnamed first column that a print's row names make (R writes ``1 xyz``, one space
    apart, as it writes ``Jan 1`` in one value)."""
    firsts = [row[0] for row in rows if row is not None]
    if not all(first.isdigit() for first in firsts):
        return False
    numbers = [int(first) for first in firsts]
    return all(b == a + 1 for a, b in itertools.pairwise(numbers))


def _segments(body: Sequence[str]) -> list[tuple[int, int]]:
    """The runs of character positions that the lines of `body` fill, as (first, last + 1),
    apart by gutters: positions every line leaves blank."""
    filled = [False] * max((len(line) for line in body), default=0)
    for line in body:
        for word in _WORD.finditer(line):
            filled[word.start() : word.end()] = [True] * (word.end() - word.start())
    runs: list[tuple[int, int]] = []
    start = None
    for at, full in enumerate([*filled, False]):
        if full and start is None:
            start = at
        elif not full and start is not None:
            runs.append((start, at))
            start = None
    return runs


MOST_READINGS = 16
"""The most ways of placing runs that no name covers `_named_columns` gives."""


def _named_columns(header: str, body: Sequence[str]) -> list[list[int]]:
    """The ways to read the `body`'s columns that the `header`'s words name, as where each
    column starts, from the runs of filled positions (`_segments`): a word names the runs it
    overlaps (words over one run name one column together). A run no word overlaps belongs
    to a neighbouring column whose name lines up with it: a name flush with its column's
    right edge takes the runs to its left (values aligned right: ``Jan 1 2000`` under
    ``date``), one flush left the runs to its right; runs that either neighbour may take are
    shared between them in every way, and runs left of every name are an unnamed column (row
    names), or, below a name flush right, that name's in part or whole. A column starts where
    its first run or its name does, whichever comes first. No reading when a word overlaps no
    run (`_name_words`), a name is flush with neither edge of its column (as data frames
    print them, every name is), or two columns overlap."""
    runs = _segments(body)
    words = _name_words(header, runs)
    if len(runs) < 2 or len(words) < 2:
        return []
    named: list[list[int]] = []  # for each column named, the runs its words overlap
    spans: list[tuple[int, int]] = []  # and where its words lie
    for start, end in words:
        over = [k for k, (a, b) in enumerate(runs) if start < b and end > a]
        if not over:
            return []
        if named and named[-1][-1] >= over[0]:
            if named[-1][-1] != over[0]:
                return []
            named[-1] = sorted({*named[-1], *over})  # another word of the same name
            spans[-1] = (spans[-1][0], end)
        else:
            named.append(over)
            spans.append((start, end))
    if len(named) < 2:
        return []
    flush_right = [span[1] == runs[group[-1]][1] for group, span in zip(named, spans, strict=True)]
    flush_left = [span[0] == runs[group[0]][0] for group, span in zip(named, spans, strict=True)]
    # each column's first run, in every way the runs between the names may be placed: those
    # left of the first name (row names) go to it or to an unnamed column before it
    leading = named[0][0]
    choices = [list(range(leading + 1)) if flush_right[0] else [leading]]
    for place in range(1, len(named)):
        first, gap = named[place][0], named[place - 1][-1] + 1
        if flush_right[place] and flush_left[place - 1]:
            choices.append(list(range(gap, first + 1)))  # shared at any run between them
        elif flush_right[place] or gap == first:
            choices.append([gap])
        elif flush_left[place - 1]:
            choices.append([first])
        else:
            return []
    readings = []
    for firsts in itertools.islice(itertools.product(*choices), MOST_READINGS):
        lasts = [following - 1 for following in firsts[1:]] + [len(runs) - 1]
        if any(
            not (span[1] == runs[last][1] or span[0] == runs[first][0])
            for first, last, span in zip(firsts, lasts, spans, strict=True)
        ):
            continue  # a name off its column's edges: prose, not a printed table
        edges = [
            (min(runs[first][0], span[0]), max(runs[last][1], span[1]))
            for first, last, span in zip(firsts, lasts, spans, strict=True)
        ]
        if any(edges[i][1] > edges[i + 1][0] for i in range(len(edges) - 1)):
            continue
        starts = [start for start, _ in edges]
        # the runs before the first name, not taken by it: an unnamed column (row names)
        readings.append([0, *starts] if firsts[0] > 0 else [0, *starts[1:]])
    return readings
