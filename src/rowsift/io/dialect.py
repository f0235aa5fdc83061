"""Choosing the dialect (delimiter, quote, escape) of delimited text from a sample.

The dialect is chosen as CleverCSV chooses it (van den Burg et al., 2019): every candidate
(delimiter, quote, escape) splits the sample; the one whose rows are the most consistent in
length (pattern score) and whose cells look the most like known kinds of values (type score)
wins. One column of text (a header of one name, or double quotes around whole values holding
delimiters) whose other lines split to many widths (free text at its spaces) is read as one
column, which that vote cannot choose (a record of one field has no pattern score). Measured
against CleverCSV and `csv.Sniffer` in docs/loading.md.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from rowsift.io.aligned import WHITESPACE, collapse_lines, looks_aligned
from rowsift.io.csvtext import split_records

SCORED_LINES = 200
"""How many lines of the sample each candidate dialect splits."""

DELIMITERS = (", ", "; ", ",", ";", "\t", "|", ":", "^", "~", "#", " ")
"""Candidate delimiters, in the order that breaks ties: a delimiter of two characters before
the one it starts with (when every comma is followed by a space, ``, `` explains the space)."""
QUOTES: tuple[str | None, ...] = ('"', None, "'")
ONE_COLUMN_BELOW = 0.9
"""Lines that can read as one column (`_one_column_agreement`) do when fewer than this share of
the lines a one-column reading explains no better split to one width under the best delimiter:
free text split at its spaces has records of many widths, a table's rows one (and a note of
one word, or quoted notes, above a table leave its rows alike)."""
QUOTED_VALUES = 2

_TYPED = re.compile(
    r"""(?x)^(?:
      [-+]?(?:\d+(?:[.,'\ ]\d{3})*(?:[.,]\d+)?|[.,]\d+)(?:[eE][-+]?\d+)?\ ?%?
    | [$€£¥]\ ?[-+]?\d[\d.,]*|[-+]?\d[\d.,]*\ ?[$€£¥]
    | \d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[\ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?
      (?:Z|[+-]\d{2}:?\d{2})?)?
    | \d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\ ?[AaPp][Mm])?
    | [\w.+-]+@[\w-]+(?:\.[\w-]+)+
    | (?:https?|ftp)://[^\s,;|\t]+
    | [^\W\d_][\w'’.&()/+-]*(?:\ [\w'’.&()/+-]+)*
    | [\w-]*\d[\w.-]*
    )$""",
)
NUMERIC = re.compile(r"^[-+]?(?:\d[\d,.' ]*|[.,]\d+)(?:[eE][-+]?\d+)?%?$|^\d{1,4}[-/.]\d{1,2}[-/.]")


def mostly_typed(values: Sequence[str]) -> bool:
    """Whether four in five of the values (stripped, none empty) or more are numbers or dates:
    a column a name above it stands out from.

    >>> mostly_typed(["1", "2.5", "2024-01-02", "x", "3"]), mostly_typed(["1", "x"])
    (True, False)
    """
    return bool(values) and sum(1 for v in values if NUMERIC.match(v)) * 5 >= len(values) * 4


def _score(rows: list[list[str]], delimiter: str, *, empty_is_missing: bool = True) -> float:
    """Pattern score times type score (CleverCSV's data consistency); an empty cell counts as
    typed (a missing value) when `empty_is_missing`."""
    if not rows or not any(sum(1 for cell in row if cell) > 1 for row in rows):
        return 0.0  # it parts no line into two values: a mark at lines' starts (`#1`), no delimiter
    widths = Counter(len(row) for row in rows)
    # CleverCSV sums this over every row length; counting only the usual length keeps rows
    # broken by a wrong quote character (which often have more than one field) from adding
    width, count = max(widths.items(), key=lambda item: (item[1], item[0]))
    # and it divides by the number of lengths; a length that only one or two records have (a
    # damaged record, the header, a note above it and a total below) does not count, so they
    # cannot halve the score of the right dialect and hand the file to a wrong one; nor do
    # lines it leaves whole above or below the rows of a wider usual length: notes and titles
    # hold no delimiter (between those rows, such lines count: the halves of a value over
    # several lines that a wrong quote character split)
    if width > 1:
        usual = [place for place, row in enumerate(rows) if len(row) == width]
        inside = rows[usual[0] : usual[-1] + 1]
        widths = Counter(len(row) for row in rows if len(row) > 1)
        widths[1] = sum(1 for row in inside if len(row) == 1)
    lengths = sum(1 for seen in widths.values() if seen >= max(3, len(rows) / 100)) or 1
    pattern = count * (width - 1) / width / lengths
    cells = [cell for row in rows for cell in row]
    # a delimiter or a quote inside a cell can only come from quoting (or escaping): it counts
    # for, not against, that quote
    typed = sum(
        1 for cell in cells if (_TYPED.match(_plain(cell, delimiter)) if cell else empty_is_missing)
    )
    return pattern * max(typed / len(cells), 1e-3)


def _plain(cell: str, delimiter: str) -> str:
    # a delimiter inside a quoted cell reads as a space (``elmira, new york``: one space)
    text = " ".join(cell.replace(delimiter, " ").split())
    if text[:1] != '"' and text.count('"') % 2 == 0:
        text = text.replace('"', "")
    return text


def _candidates(text: str, *, aligned: bool) -> Iterable[tuple[str, str | None, str | None]]:
    present = [d for d in DELIMITERS if d in text]
    # the double quote is always a candidate, first: a quote character wins over it only where it
    # does quoting work (so an apostrophe in O'Brien does not make ' the quote of a file)
    quotes = [q for q in QUOTES if q is None or q == '"' or q in text]
    escapes: list[str | None] = [None]
    if "\\" in text and any(f"\\{q}" in text for q in quotes if q):
        escapes.append("\\")
    # a table aligned with whitespace comes last: it wins only where runs of spaces or tabs
    # split the lines more consistently than one space or one tab does
    if aligned:
        present.append(WHITESPACE)
    for delimiter in present:
        for quote in quotes:
            for escape in escapes:
                if escape is None or quote is not None:
                    yield delimiter, quote, escape


def _records(
    lines: Sequence[str], delimiter: str, quote: str | None, escape: str | None
) -> list[tuple[int, list[str]]]:
    """(first line, fields) of the records of the lines, split as `_split` splits them."""
    if delimiter == WHITESPACE:
        lines, delimiter = collapse_lines(lines, quote), " "
    return split_records(lines, delimiter, quote, escape)


def _split(
    lines: Sequence[str], delimiter: str, quote: str | None, escape: str | None
) -> list[list[str]]:
    """The records of the lines (`split_records`: a broken one cannot swallow the next);
    `WHITESPACE` splits the lines at runs of spaces and tabs (`rowsift.io.aligned`)."""
    return [row for _, row in _records(lines, delimiter, quote, escape)]


def _one_column_agreement(
    lines: Sequence[str], records: list[tuple[int, list[str]]], *, words: bool
) -> float | None:
    """How alike the best delimiter splits the lines that a one-column reading explains
    otherwise (`_unquoted_agreement`), when the lines can read as one column (no comma outside
    double quotes) and there is evidence for it; else None. `records` are the lines split by
    the best delimiter. The evidence: at least `QUOTED_VALUES` records that are each one whole
    double-quoted value holding a candidate delimiter (``"red, blue"``; the lines left are
    judged, the first one too, unless such values stand among them: notes stand above or below
    a table, not between its rows), or else, when the best delimiter is a space (`words`: text
    splits into words there, rarely at a semicolon or a bar), a first record it leaves whole (a
    header of one name above values of several words; the lines below it are judged, and the
    next record must be able to name them, or else the table would have no header)."""
    read = split_records(lines, ",", '"', None)
    if any(len(row) != 1 for _, row in read):
        return None
    ends = [line for line, _ in read[1:]] + [len(lines)]
    explained = set()
    for (line, (value,)), end in zip(read, ends, strict=True):
        written = "".join(lines[line:end]).rstrip("\r\n")
        held = any(delimiter in value for delimiter in DELIMITERS)
        if held and written == '"' + value.replace('"', '""') + '"':
            explained.add(line)
    quoted = len(explained) >= QUOTED_VALUES
    others = [(line, row) for line, row in records if not (quoted and line in explained)]
    if quoted and len(others) <= 1:
        return 0.0  # quoting explains every line but one (the header)
    if quoted and any(others[1][0] < line < others[-1][0] for line in explained):
        return 0.0  # quoted values among the rows: no table holds a line of one value
    if others and len(others[0][1]) == 1 and len(others) > 2:
        below = [row for _, row in others[2:]]
        # words above words under a one-word line, or values that each hold the delimiter
        # after the same words: one column, not a table below a note
        if words:
            one_column = not _names_typed(others[1][1], below)
        else:
            one_column = _split_text(others[1][1], below)
        if one_column:
            return 0.0
    if quoted:
        return _unquoted_agreement(records, explained)
    if words and records and len(records[0][1]) == 1:
        return _unquoted_agreement(records, {*explained, records[0][0]})
    return None


def _could_name(row: Sequence[str], body: Sequence[Sequence[str]]) -> bool:
    """Whether a record could be the header of the records below it: no cell a number or a
    date, and none a value its column holds below (``Fixed wing multi engine`` above the same
    words is a value).

    >>> _could_name(["id", "name"], [["1", "Ann"], ["2", "Bob"]])
    True
    >>> _could_name(["2010/01/01", "00:00"], [["2010/01/01", "01:00"]])
    False
    """
    for index, cell in enumerate(row):
        value = cell.strip()
        if value and (
            NUMERIC.match(value) or any(index < len(r) and r[index].strip() == value for r in body)
        ):
            return False
    return True


def _names_typed(row: Sequence[str], body: Sequence[Sequence[str]]) -> bool:
    """Whether a record could name the records below it (`_could_name`) and shows it: a name
    above a column of numbers or dates. Words above words are no evidence of a header: a
    line of one word above them is then the header of one column of several words, not a note
    above a table of text with no header (reading one column loses no value either way).

    >>> _names_typed(["id", "city"], [["1", "Rome"], ["2", "Oslo"]])
    True
    >>> _names_typed(["New", "York"], [["Los", "Angeles"], ["San", "Jose"]])
    False
    """
    if not _could_name(row, body):
        return False
    for index, cell in enumerate(row):
        column = [r[index].strip() for r in body if index < len(r) and r[index].strip()]
        if cell.strip() and mostly_typed(column):
            return True
    return False


def _split_text(row: Sequence[str], body: Sequence[Sequence[str]]) -> bool:
    """Whether a record and every one below it hold the same text in one column (not a number):
    one column of values that all hold the delimiter after the same words (``contributor
    #5512121: capitalbot``), not a table below a title (whose first record, numbers or names,
    may well repeat a value or two below).

    >>> _split_text(["contributor ", "5: bot"], [["contributor ", "0 (1.2.3.4)"]] * 3)
    True
    >>> _split_text(["2020-01-01", "3.4", "5"], [["2020-01-02", "3.5", "5"]] * 3)
    False
    """
    return any(
        cell.strip()
        and not NUMERIC.match(cell.strip())
        and all(index < len(r) and r[index] == cell for r in body)
        for index, cell in enumerate(row)
    )


def _unquoted_agreement(records: list[tuple[int, list[str]]], explained: set[int]) -> float:
    """The share of the records outside `explained` that have the most usual width of two
    fields or more: how alike the delimiter splits the lines one column does not explain."""
    widths = Counter(len(row) for line, row in records if line not in explained)
    wide = [count for width, count in widths.items() if width > 1]
    return max(wide) / sum(widths.values()) if wide else 0.0


def _kind(delimiter: str) -> str:
    return " " if delimiter == WHITESPACE else delimiter


def choose_dialect(lines: Sequence[str]) -> tuple[str, str | None, str | None, float]:
    """The best (delimiter, quote, escape) for these lines, and a confidence in 0..1."""
    sample = [line for line in lines[:SCORED_LINES] if line.strip("\r\n")]
    text = "".join(sample)
    scored: list[tuple[float, int, str, str | None, str | None]] = []
    # in a table laid out in columns, the empty cells that one space splits out of a run of
    # spaces are alignment, not missing values
    aligned = looks_aligned(sample)
    for rank, (delimiter, quote, escape) in enumerate(_candidates(text, aligned=aligned)):
        rows = _split(sample, delimiter, quote, escape)
        if delimiter == WHITESPACE:
            score = _score(rows, " ")
        else:
            score = _score(rows, delimiter, empty_is_missing=not (aligned and delimiter == " "))
        scored.append((score, -rank, delimiter, quote, escape))
    if not scored:
        return ",", '"', None, 0.5
    scored.sort(reverse=True)
    best, _, delimiter, quote, escape = scored[0]
    if best <= 0:
        return ",", '"' if '"' in text else None, None, 0.3
    records = _records(sample, delimiter, quote, escape)
    agreement = _one_column_agreement(sample, records, words=_kind(delimiter) == " ")
    if agreement is not None and agreement < ONE_COLUMN_BELOW:
        return ",", '"', None, round(1.0 - agreement / 2, 3)
    # ", " and "," are one choice here, and so are " " and whitespace: the runner-up is the
    # best delimiter of another kind
    kind = _kind(delimiter)
    runner_up = next(
        (s[0] for s in scored[1:] if kind not in _kind(s[2]) and _kind(s[2]) not in kind), 0.0
    )
    confidence = 1.0 - runner_up / best if best else 0.0
    return delimiter, quote, escape, round(max(0.0, min(1.0, 0.5 + confidence / 2)), 3)
