"""Sniffing delimited text from a bounded sample: encoding, dialect, header, preamble, footer.

The parts live beside this module: `encoding` (byte order marks, UTF-16, UTF-8 or cp1252),
`dialect` (delimiter, quote and escape by CleverCSV's data-consistency measure), `layout`
(preamble, a header over one row or several, footer), `csvtext` (splitting with the csv module).
"""

from __future__ import annotations

import codecs
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from itertools import islice
from pathlib import Path

from rowsift.exceptions import InputError
from rowsift.io.aligned import (
    SPAN_LINES,
    WHITESPACE,
    collapse_line,
    collapse_lines,
    column_starts,
    cut_line,
    fields_at,
    gutter_starts,
    header_above,
    looks_aligned,
    names_by_position,
)
from rowsift.io.csvtext import csv_dialect, csv_reader, physical_lines, split_records
from rowsift.io.dialect import NUMERIC, choose_dialect
from rowsift.io.encoding import bom_encoding, decode_sample, detect_encoding, wide_encoding
from rowsift.io.joining import (
    LEAST_EVIDENCE,
    ColumnEvidence,
    absorbed_split,
    column_evidence,
    joins_back,
)
from rowsift.io.layout import (
    BODY_ROWS,
    Layout,
    comment_prefix,
    find_layout,
    fitted,
    footer_rows,
    header_like,
    line_terminator,
    names_as_written,
)
from rowsift.io.names import RESERVED_PREFIX, make_unique
from rowsift.recipe.source import Compression, SourceSpec

__all__ = [
    "HEAD_BYTES",
    "NUMERIC",
    "RESERVED_PREFIX",
    "TAIL_BYTES",
    "Dialect",
    "csv_dialect",
    "csv_reader",
    "make_unique",
    "sniff_file",
    "sniff_text",
]

HEAD_BYTES = 1 << 18
"""How much of the file's start is sniffed."""
TAIL_BYTES = 1 << 14
"""How much of the file's end is looked at for footer lines."""
HEAD_LINES = 4096
"""The most lines of the file's start that are sniffed: a narrow table's 256 KiB are some
twenty thousand lines, whose splitting cost more than the rest of a small run."""


@dataclass(frozen=True, kw_only=True)
class Dialect:
    """How a delimited text file is laid out, as detected (or as a recipe's source says)."""

    encoding: str = "utf-8"
    compression: Compression = "none"
    delimiter: str = ","
    aligned: bool = False
    """Runs of spaces and tabs are one delimiter (`delimiter` is then a space), and a line's
    leading and trailing ones are no fields: each line is read collapsed
    (`rowsift.io.aligned`)."""
    column_starts: tuple[int, ...] = ()
    """An aligned table's lines are cut at these character positions, not at every run of
    whitespace (`rowsift.io.aligned.cut_line`): values that hold a space, empty cells."""
    quote: str | None = '"'
    escape: str | None = None
    header: bool = True
    header_row: int = 0
    header_rows: int = 1
    """How many records name the columns (their names are joined with a space)."""
    footer_rows: int = 0
    comment: str | None = None
    """Lines below the header that start with this text are comments, skipped and counted."""
    width: int = 0
    names: tuple[str, ...] = ()
    line_terminator: str = "\n"
    confidence: float = 1.0
    sample_records: tuple[tuple[str, ...], ...] = field(default=(), compare=False, repr=False)
    """The sample's data records (below the header), split: what `evidence` is read from."""

    @cached_property
    def evidence(self) -> ColumnEvidence | None:
        """What the sample's well-formed records say about each column: which one may take the
        extra fields of a record that has too many (`rowsift.io.joining`). Read on first use:
        a file whose records all have the header's width never needs it."""
        return column_evidence(self.sample_records, len(self.names), self.delimiter)

    def to_source(self, *, format: str = "csv") -> dict[str, object]:
        """The recipe ``source:`` keys that read the file exactly this way (of an ARFF file,
        what its header does not say: `rowsift.io.arff`)."""
        if format == "arff":
            return {"format": format, "encoding": self.encoding, "quote": self.quote or '"'}
        data: dict[str, object] = {
            "format": format,
            "encoding": self.encoding,
            "delimiter": WHITESPACE if self.aligned else self.delimiter,
            "quote": self.quote or '"',
            "header_row": self.header_row,
            "header": self.header,
            "footer_rows": self.footer_rows,
        }
        if self.column_starts:
            data["column_starts"] = list(self.column_starts)
        if self.header and self.header_rows > 1:
            data["header_rows"] = self.header_rows
        if self.quote is None:
            data["quoting"] = False
        if self.escape is not None:
            data["escape"] = self.escape
        if self.comment is not None:
            data["comment"] = self.comment
        if self.compression != "none":
            data["compression"] = self.compression
        return data


def sniff_text(
    text: str, *, tail: str = "", complete: bool, source: SourceSpec | None = None
) -> Dialect:
    """Detect the layout of a sample; keys the source writes (when it detects) are kept."""
    source = source or SourceSpec(detect=True)
    given = source.model_fields_set if source.detect else set(SourceSpec.model_fields)
    lines, tail, complete = _sampled(text, tail, complete=complete)
    delimiter, quote, escape, confidence = _characters(lines, source, given)
    aligned = delimiter == WHITESPACE
    uncollapsed, uncollapsed_tail = lines, tail
    if aligned:
        delimiter, lines, tail = " ", *_as_read(lines, tail, quote)
    records = split_records(lines, delimiter, quote, escape)
    width, absorbing = _table_width(records, delimiter, aligned=aligned)
    layout = (
        Layout(records[0][0], 1, tuple(records[0][1]))
        if absorbing
        else find_layout(records, width, delimiter)
    )
    rows_from = layout.header_row + layout.header_rows
    starts, width, printed = (
        _aligned_starts(source, given, uncollapsed, records, rows_from, width, quote)
        if aligned
        else (None, width, None)
    )
    if starts:  # the lines cut by position are what the reader reads: sniff those
        lines, tail = _as_read(uncollapsed, uncollapsed_tail, quote, starts)
        records = split_records(lines, delimiter, quote, escape)
        layout = find_layout(records, width, delimiter)
    layout = _printed_layout(records, width, printed) or layout
    header, header_row, header_rows = layout.header_rows > 0, layout.header_row, layout.header_rows
    first = list(layout.names)
    if aligned and printed is None and not {"header", "header_row", "header_rows"} & given:
        found = _aligned_header(uncollapsed, records, header_row, header, width)
        if found is not None:
            header, (header_row, header_rows), first = True, *found
    if "header_row" in given or "header_rows" in given:
        header_row = source.header_row if "header_row" in given else header_row
        header_rows = source.header_rows
        at = [(line, row) for line, row in records if line >= header_row][: max(1, header_rows)]
        first = _joined([row for _, row in at], width) if at else []
        if aligned and len(first) != width:
            below = _data_lines(records, at[-1][0] + 1 if at else header_row, width)
            first = names_by_position(uncollapsed, [line for line, _ in at], below, width) or first
        header = True
    if "header" in given:
        header = source.header
    if header:
        written_rows = header_rows if {"header_row", "header_rows"} & given else None
        rows_from = header_row + max(header_rows, 1)
        names = _header_names(first, width, records, layout, delimiter, rows_from, written_rows)
    else:
        header_rows = 0
        names = tuple(f"column_{i}" for i in range(1, width + 1))
    first_record = header_row + (header_rows if header else 0)
    comment = (
        source.comment
        if "comment" in given
        else comment_prefix(lines, records, first_record, width)
    )
    if "footer_rows" in given:
        footer = source.footer_rows
    else:
        tail_lines = lines if complete else physical_lines(tail)[1:]
        footer = _footer_rows(tail_lines, delimiter, quote, width, comment)
    return Dialect(
        delimiter=delimiter,
        aligned=aligned,
        column_starts=tuple(starts or ()),
        quote=quote,
        escape=escape,
        header=header,
        header_row=header_row,
        header_rows=max(header_rows, 1),
        footer_rows=footer,
        comment=comment,
        width=len(names),
        names=names,
        line_terminator=line_terminator(lines),
        confidence=confidence,
        sample_records=_data_records(records, header_row, max(header_rows, 1) * header),
    )


def _table_width(
    records: list[tuple[int, list[str]]], delimiter: str, *, aligned: bool
) -> tuple[int, bool]:
    """The table's width: the commonest of its records' of two fields or more (else of one),
    or, delimited by single spaces, the first record's when values holding spaces make the
    others wider; and whether the first record is then a header over such records
    (`_absorbs`), read there whatever the records below it start with.

    >>> rows = [["c0", "c1"]] + [[w, "1"] for w in ("Sofa", "Lamp", "Mug", "Ana", "Vest")]
    >>> rows += [["Big", w, "2"] for w in ("Sofa", "Lamp", "Mug", "Tent", "Vest", "Hat")]
    >>> _table_width(list(enumerate(rows)), " ", aligned=False)
    (2, True)
    """
    widths = Counter(len(row) for _, row in records)
    multi = Counter({w: c for w, c in widths.items() if w > 1})
    width = (multi or widths or Counter({1: 1})).most_common(1)[0][0]
    first = len(records[0][1]) if records else 0
    if delimiter == " " and not aligned and 2 <= first < width and _absorbs(records, first, " "):
        return first, True
    return width, first == width and _absorbs(records, width, delimiter)


def _aligned_starts(
    source: SourceSpec,
    given: set[str],
    lines: list[str],
    records: list[tuple[int, list[str]]],
    start: int,
    width: int,
    quote: str | None,
) -> tuple[list[int] | None, int, int | None]:
    """Where an aligned table's columns start, when its lines are cut by position, as the
    source writes it, else detected: by the lines of the usual width (`_counted_starts`), or
    by the gutters when they read as many lines (`_printed_starts`); never without a quote
    character, which quotes the cut fields. Then the table's width, and the header's line
    when the gutters found it. No starts: lines are split at every run of whitespace."""
    if "column_starts" in given:
        return (list(source.column_starts) if source.column_starts else None), width, None
    if quote is None:
        return None, width, None
    starts = _counted_starts(lines, records, start, width)
    printed = _printed_starts(lines, starts, quote)
    if printed is None:
        return starts, width, None
    header, found = printed
    return (starts, width, header) if found is None else (found, len(found), header)


def _printed_layout(
    records: list[tuple[int, list[str]]], width: int, printed: int | None
) -> Layout | None:
    """The layout under the header that an aligned table's gutters were found under (line
    `printed`: the first line, or one below a blank line, a title above it), when that
    line's record names every column; else None."""
    if printed is None:
        return None
    named = [row for line, row in records if line == printed and len(row) == width]
    return Layout(printed, 1, tuple(named[0])) if named else None


def _absorbs(records: list[tuple[int, list[str]]], width: int, delimiter: str) -> bool:
    """Whether the first record is a header of `width` names over records that one free-text
    column makes wider with the words of its values (a space the delimiter): at least
    `LEAST_EVIDENCE` records below it have its width too, and one column takes every wider
    record's extra words (`rowsift.io.joining.absorbed_split`)."""
    rows = [row for _, row in records]
    own = sum(1 for row in rows[1:] if len(row) == width)
    return (
        delimiter == " "
        and header_like(rows[0])
        and own >= LEAST_EVIDENCE
        and any(len(row) > width for row in rows)
        and absorbed_split(rows[1:], width, " ") is not None
    )


def _footer_rows(
    tail_lines: list[str], delimiter: str, quote: str | None, width: int, comment: str | None
) -> int:
    """The footer's lines (`footer_rows`), none when they are all comment lines: those are
    skipped as comments, and a file without a footer may be read in runs of records."""
    footer = footer_rows(tail_lines, delimiter, quote, width)
    if comment is None or not footer:
        return footer
    notes = [line for line in tail_lines if line.strip()][-footer:]
    return 0 if all(line.startswith(comment) for line in notes) else footer


def _header_names(
    first: list[str],
    width: int,
    records: list[tuple[int, list[str]]],
    layout: Layout,
    delimiter: str,
    rows_from: int,
    written_rows: int | None,
) -> tuple[str, ...]:
    """The columns' names from the header's: fitted to the records' width (R's row names: one
    name short), or the header as written when its names hold the delimiter; `written_rows`:
    how many header rows the source writes, when it does; `rows_from`: the first record's
    line."""
    rows = [row for line, row in records if line >= rows_from][:BODY_ROWS]
    if (written_rows or 1) == 1 and names_as_written(first, width, rows, delimiter):
        return make_unique(list(first))  # the wider records' extra fields are joined back
    below = (row for line, row in records if line > layout.header_row and len(row) == width)
    body = list(islice(below, BODY_ROWS))
    if written_rows is None:
        first = fitted(first, width, body) or first
        width = max(width, len(first))
        written = _header_joining(records, layout, width, delimiter)
        if written is not None:
            first, width = written, len(written)
    else:
        # as written by R (row names, and one name fewer than fields): one name short is
        # an unnamed first column, here as when the header is detected
        first = (fitted(first, width, body) if written_rows == 1 else None) or first
        width = len(first)
    return make_unique(list(first) + [""] * (width - len(first)))


def _aligned_header(
    lines: list[str],
    records: list[tuple[int, list[str]]],
    header_row: int,
    header: bool,
    width: int,
) -> tuple[tuple[int, int], list[str]] | None:
    """An aligned table's header where the layout's may be wrong: the lines right above its
    first row of data read by position when they name every column (names that hold spaces
    or span lines: `rowsift.io.aligned.header_above`), or the header right above its main run
    of rows (`_header_of_main_run`)."""
    found = header_above(lines, _data_lines(records, header_row + header, width), width)
    if found is not None:
        (header_row, _), _ = found
        header = True
    moved = _header_of_main_run(lines, records, header_row, header, width)
    return moved if moved is not None else found


MOVED_SHARE = 1 / 3
"""An aligned table's header is looked for right above its longest run of records of its
width when at most this share of the records between the header found and that run are of
its width: prose and notes (a data set's description), not rows of the table..."""
RUN_RATIO = 4
"""...or when that run is at least this many times as long as any run of such records between
them (a description's lines of two words, scattered)."""


def _header_of_main_run(
    lines: list[str],
    records: list[tuple[int, list[str]]],
    header_row: int,
    header: bool,
    width: int,
) -> tuple[tuple[int, int], list[str]] | None:
    """The header right above an aligned table's longest run of records of its width, when
    what lies between the header found and that run is mostly not rows of the table (a NIST
    data set's description, notes under a title): the layout of the records from the one right
    above the run on (`find_layout`), else the lines above the run read by position
    (`header_above`); None when the header found stands, or none is found above the run."""
    start, run = _longest_run([row for _, row in records], width)
    if start is None or start == 0 or records[start - 1][0] <= header_row:
        return None
    if not (header_like(records[start - 1][1]) or header_like(records[start][1])):
        return None  # a row of data right above the run (a damaged one): no header moves
    between = [row for line, row in records[:start] if line >= header_row + header]
    scattered = sum(len(row) == width for row in between) <= MOVED_SHARE * len(between)
    if not scattered and _longest_run(between, width)[1] * RUN_RATIO > run:
        return None
    layout = find_layout(records[start - 1 :], width, " ")
    if layout.header_rows and len(layout.names) == width:
        return (layout.header_row, layout.header_rows), list(layout.names)
    return header_above(lines, _data_lines(records, records[start][0], width), width)


def _longest_run(rows: list[list[str]], width: int) -> tuple[int | None, int]:
    """The index of the first of the longest run of consecutive `rows` of `width` fields
    (None when there is none), and its length."""
    best, best_length, length = None, 0, 0
    for index, row in enumerate(rows):
        length = length + 1 if len(row) == width else 0
        if length > best_length:
            best, best_length = index - length + 1, length
    return best, best_length


def _counted_starts(
    lines: list[str], records: list[tuple[int, list[str]]], start: int, width: int
) -> list[int] | None:
    """Where the lines of the table's usual `width` put its columns (`column_starts`), when
    some data lines read right only so: a value that holds a space, an empty cell (a record
    of another width, with a number or a date in it, whose words fit the columns)."""
    data = _data_lines(records, start, width)
    starts = column_starts([lines[i] for i in data[:SPAN_LINES]], width)
    if starts is None:
        return None
    other = [
        line
        for line, row in records
        if line >= start and row and len(row) != width and not header_like(row)
    ]
    fitting = (fields_at(lines[i].rstrip("\r\n"), starts) is not None for i in other)
    return starts if any(fitting) else None


def _printed_starts(
    lines: list[str], starts: list[int] | None, quote: str, *, spaces: str | None = None
) -> tuple[int, list[int] | None] | None:
    """(header line, column starts) of an aligned table found by its gutters
    (`gutter_starts`: a data frame printed with values that hold spaces); the starts only
    where they read as many of its lines, the header's included (when it names every column),
    as `starts` (the gutters follow the names' edges, `starts` the commonest count of words),
    or without them, more than splitting at every run of spaces (`spaces` None) or at every
    single space (`spaces` ``" "``), which read right only lines of as many words as
    columns. None without gutters, and in a file that holds the `quote` character (its fields
    are quoted to be read back: R's ``write.table``)."""
    if any(quote in line for line in lines):
        return None  # quoted fields: a file written to be read back, not printed
    found = _gutters(tuple(lines))
    if found is None:
        return None
    header, printed = found[0], list(found[1])
    if spaces == " " and len(printed) - len(lines[header].split()) not in (0, 1):
        return None  # one space apart: a name of several words is no sign of a print
    table = [line.rstrip("\r\n") for line in lines[header:] if line.strip(" \t\r\n")]
    fitting = sum(1 for line in table if fields_at(line, printed) is not None)
    if starts is None:
        before = sum(1 for line in table if len(line.split(spaces)) == len(printed))
        return header, (printed if fitting > before else None)
    before = sum(1 for line in table if fields_at(line, starts) is not None)
    named = fields_at(table[0], starts)
    before -= named is not None and not all(named)  # a header that leaves columns unnamed
    return header, (printed if fitting >= before else None)


@lru_cache(maxsize=2)
def _gutters(lines: tuple[str, ...]) -> tuple[int, tuple[int, ...]] | None:
    """`gutter_starts` of a sample's lines, found once: the delimiter's choice and the
    columns' starts both ask for them (`_printed_starts`)."""
    found = gutter_starts(lines, _some_name, _names_line)
    return None if found is None else (found[0], tuple(found[1]))


def _some_name(words: Sequence[str]) -> bool:
    """Whether a line's words could name columns: one at least is no number (sklearn's iris
    names its first two columns by counts)."""
    return any(not NUMERIC.match(word) for word in words)


def _names_line(words: Sequence[str]) -> bool:
    """Whether a line's words, below a blank line, are a header's: three in four at least are
    no number (``Delta 15 N (o/oo)`` is one name; ``MLO 580329 1 0 348.90`` a record)."""
    return 4 * sum(1 for word in words if NUMERIC.match(word)) <= len(words)


def _data_lines(records: list[tuple[int, list[str]]], start: int, width: int) -> list[int]:
    """The sample lines, from `start` on, of the records of the table's width."""
    return [line for line, row in records if line >= start and len(row) == width]


def _characters(
    lines: list[str], source: SourceSpec, given: set[str]
) -> tuple[str, str | None, str | None, float]:
    """The delimiter, quote and escape: as the source writes them, else as detected; and the
    confidence in them (1 when the source writes any). Single spaces between the values of
    a data frame's print, its columns found by their gutters (`_printed_starts`), are a
    table aligned with whitespace, and so is a print whose values hold the delimiter found
    (`_printed_instead`)."""
    delimiter, quote, escape, confidence = choose_dialect(lines)
    if quote and "delimiter" not in given and delimiter not in (" ", WHITESPACE):
        delimiter = _printed_instead(lines, delimiter, quote)
    printed = (
        _printed_starts(lines, None, quote, spaces=" ")
        if delimiter == " " and quote and "delimiter" not in given
        else None
    )
    if printed is not None and printed[1] is not None:
        delimiter = WHITESPACE
    if "delimiter" in given and source.delimiter:
        delimiter = source.delimiter
    elif "delimiter" in given:
        delimiter = "\t" if source.format == "tsv" else ","
    if "quote" in given or "quoting" in given:
        quote = source.quote if source.quoting else None
    if "escape" in given:
        escape = source.escape
    if {"delimiter", "quote", "quoting", "escape"} & given:
        confidence = 1.0
    return delimiter, quote, escape, confidence


def _printed_instead(lines: list[str], delimiter: str, quote: str) -> str:
    """`WHITESPACE` for a data frame's print whose values hold `delimiter` (``Adult, 1 Egg
    Stage`` holds ``, ``): the lines are aligned (`looks_aligned`), their gutters give the
    columns (`_printed_starts`), and the header's line holds no `delimiter`; else
    `delimiter`."""
    first = next((line for line in lines if line.strip()), "")
    if delimiter in first or any(quote in line for line in lines) or not looks_aligned(lines):
        return delimiter  # a delimited file's header holds its delimiter; a print, no quote
    printed = _printed_starts(lines, None, quote)
    if printed is None or printed[1] is None or delimiter in lines[printed[0]]:
        return delimiter
    return WHITESPACE


def _as_read(
    lines: list[str], tail: str, quote: str | None, starts: list[int] | None = None
) -> tuple[list[str], str]:
    """The sample's lines and tail as the reader reads a table aligned with whitespace:
    collapsed, or cut at the columns' `starts` (`rowsift.io.aligned`)."""
    if starts:
        return [cut_line(line, starts, quote) for line in lines], "".join(
            cut_line(line, starts, quote) for line in physical_lines(tail)
        )
    return collapse_lines(lines, quote), "".join(
        collapse_line(line, quote) for line in physical_lines(tail)
    )


def _sampled(text: str, tail: str, *, complete: bool) -> tuple[list[str], str, bool]:
    """The sample's lines (at most `HEAD_LINES`, the last one whole unless the text is the
    whole file), the tail and whether the lines are the whole file."""
    lines = physical_lines(text)
    if len(lines) > HEAD_LINES:
        if complete:  # the whole text was read: its last lines are the tail (for a footer)
            tail = "".join(lines[-HEAD_LINES:])
        lines, complete = lines[:HEAD_LINES], False
    if not complete and lines and not lines[-1].endswith(("\n", "\r")):
        lines = lines[:-1]
    return lines, tail, complete


def _data_records(
    records: list[tuple[int, list[str]]], header_row: int, header_rows: int
) -> tuple[tuple[str, ...], ...]:
    """The sample's data records: those below the header."""
    data = [row for line, row in records if line >= header_row][header_rows:]
    return tuple(tuple(row) for row in data)


def _header_joining(
    records: list[tuple[int, list[str]]], layout: Layout, width: int, delimiter: str
) -> list[str] | None:
    """The header as written when it names fewer columns than the usual width and the records
    wider than it are values holding the delimiter, joined back (`rowsift.io.joining`)."""
    if layout.header_rows != 1:
        return None
    written = next((row for line, row in records if line == layout.header_row), None)
    if written is None or len(written) >= width or not all(cell.strip() for cell in written):
        return None
    data = [row for line, row in records if line > layout.header_row]
    return written if joins_back(data, len(written), delimiter) else None


def _joined(rows: list[list[str]], width: int) -> list[str]:
    """The rows of a header over several, joined column by column with a space."""
    if len(rows) == 1:
        return rows[0]
    size = max(len(row) for row in rows)
    padded = [row + [""] * (size - len(row)) for row in rows]
    return [
        " ".join(p.strip() for p in column if p.strip()) for column in zip(*padded, strict=True)
    ]


def sniff_file(path: Path, source: SourceSpec, *, compression: Compression) -> Dialect:
    """Detect a delimited file's layout from its first and last bytes."""
    from rowsift.io.compressed import read_head, read_tail

    try:
        head = read_head(path, compression, HEAD_BYTES)
        tail_bytes, _ = read_tail(path, compression, TAIL_BYTES)
    except (OSError, EOFError, ValueError) as exc:
        raise InputError(
            f"cannot read the file: {exc}",
            file=str(path),
            hint=f"is it really {compression}-compressed? set source.compression",
        ) from None
    complete = len(head) < HEAD_BYTES
    given = source.model_fields_set if source.detect else set(SourceSpec.model_fields)
    bom = bom_encoding(head)
    # an encoding left at its default does not hold when the bytes are plainly UTF-16 or -32
    wide = None if "encoding" in source.model_fields_set else wide_encoding(head)
    if bom is not None:
        encoding, sure = bom, 1.0
    elif wide is not None:
        encoding, sure = wide, 0.9
    elif "encoding" in given:
        encoding, sure = source.encoding, 1.0
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(
                f"unknown encoding {encoding!r}", file=str(path), hint="use a Python codec name"
            ) from None
    else:
        encoding, sure = detect_encoding(head)
    text = decode_sample(head, encoding, complete=complete)
    tail = ""
    if not complete and not encoding.startswith(("utf-16", "utf-32")):
        tail = decode_sample(tail_bytes, encoding.removesuffix("-sig"), complete=True)
    dialect = sniff_text(text, tail=tail, complete=complete, source=source)
    lines = len(text.splitlines()) if complete and source.header_row > 0 else None
    if lines is not None and source.header_row >= lines:
        raise InputError(
            f"the header row {source.header_row} is past the end of the file, which has "
            f"{lines} line{'s' * (lines != 1)}",
            file=str(path),
            hint="source.header_row (--header-row) counts the lines from 0: 0 is the first",
        )
    return replace(
        dialect,
        encoding=encoding,
        compression=compression,
        confidence=round(min(dialect.confidence, sure), 3),
    )
