"""The fast path for plain delimited text: files Polars can split exactly, checked first.

A file is plain when it is uncompressed UTF-8, has a header and no escape character, and
everything after the header (up to a footer, which Polars is told to stop before when every
record is one line) is a run of records of the header's width:
fields that are either unquoted (no delimiter, no quote, no line break) or quoted with
doubled inner quotes (so no blank line, no ragged record, no broken quoting). Polars' own
streaming CSV reader reads such a file exactly; the check is one pass that matches blocks of
whole records against that shape (a linear-time pattern). Anything else goes through the
record-by-record reader in `delimited`, which never loses a record.

Quoted fields may hold line breaks (notes, addresses: valid RFC 4180). The blocks are then cut
where the quotes seen so far are balanced, so that no block ends inside a field, and a
record's line is its row's plus the line breaks held by the records before it. Among one-line
records, comment lines (``source.comment``, without a quote character) may stand: Polars skips
them as the record reader does, and a record's line counts the comments above it. When a run
asks (`check_plain`'s `damaged`), a few damaged records may stand among the others (without
comments or a footer): Polars reads a copy of the file without them, and the record reader
reads them (`rowsift.io.damaged`). Engines other than Polars read only files whose every
line is one record (`is_plain`): their readers split a file into parts at line breaks.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import polars as pl

from rowsift._names import LINE, ROW
from rowsift.io.records import LoadingCounts, named, schema_of
from rowsift.io.shapes import (
    MAX_PATTERN_WIDTH,
    all_runs,
    block_runs,
    well_formed_pattern,
)
from rowsift.io.sniff import Dialect

if TYPE_CHECKING:
    from rowsift.io.well_formed import Damage

_BLOCK_BYTES = 1 << 22
"""How much of the file is matched at a time."""
_LONGEST_RECORD = 1 << 26
"""The most text a block may grow to while looking for the end of a record with quoted line
breaks; a longer record (or an unbalanced quote) makes the file not plain."""


@dataclass(frozen=True, slots=True)
class Plain:
    """What the check learned of a plain file."""

    line_breaks: bool
    """Whether a quoted field holds a line break (a record then spans several lines)."""
    lines: int = 0
    """With `line_breaks`, the physical lines from the header's on, the header's included (0
    otherwise: each line after the header is one record)."""
    comments: tuple[int, ...] = ()
    """For each comment line below the header (``source.comment``; only in a file of one-line
    records), how many records come before it: Polars skips those lines, and a record's line
    counts the comments above it."""
    records: int | None = None
    """With a footer (only in a file of one-line records), the records before it: Polars
    reads that many rows."""
    footer: int = 0
    """The footer's physical lines (``source.footer_rows`` of them are not blank)."""
    blank: int = 0
    """Blank lines between the last record and the footer, or the file's end."""
    damaged: tuple[Damage, ...] = ()
    """With `line_breaks`, when told to look for them, the records Polars would not read as
    the record reader does (`rowsift.io.damaged`): read from a copy without them."""
    end: int | None = None
    """With `line_breaks`, when blank lines follow the last record (and damaged records are
    looked for), where the records end: Polars reads a copy that stops there."""


def is_plain(path: Path, dialect: Dialect) -> bool:
    """Whether every record of `path` is one line that Polars' own reader reads exactly (see
    the module docstring): what any engine's CSV reader, which splits a file at line breaks,
    reads exactly too."""
    if dialect.footer_rows:
        return False  # their readers would read the footer as records
    found = check_plain(path, dialect, line_breaks=False, comments=False)
    return found is not None and not found.blank  # nor blank lines at the end


def check_plain(
    path: Path,
    dialect: Dialect,
    *,
    line_breaks: bool = True,
    comments: bool = True,
    damaged: bool = False,
) -> Plain | None:
    """What makes `path` plain (see the module docstring), or None when it is not; quoted line
    breaks, and records ended by ``\\n`` and ``\\r\\n`` in one file, are allowed when
    `line_breaks`, and comment lines among one-line records when `comments` (Polars reads
    them all; other engines' readers are not asked to). With `damaged` (and `line_breaks`), a
    few records that are not well formed may stand among the others (`Plain.damaged`).

    The file is read in blocks of whole lines, as many at a time as Polars has threads (the
    next group read on another thread while one is matched), and each block is matched at once
    (`rowsift.io.shapes.block_runs`, the blocks in parallel): the first group of blocks that is
    not plain ends the check, so a messy file costs little more than its first odd record.
    Blocks are matched as one-line records first. The first group that is not is cut again
    where its quotes balance and matched with line breaks allowed in quoted fields, and so is
    every group after it (`_Balanced`: the reading thread counts their lines; the lines
    before it are counted then); with `damaged`, a block that does not match is looked
    through for its damaged records.
    """
    eligible = (
        dialect.encoding.lower().replace("_", "-") in ("utf-8", "utf-8-sig", "ascii")
        and dialect.compression == "none"
        and dialect.escape is None
        and dialect.header
        and dialect.header_rows == 1
        and dialect.line_terminator in ("\n", "\r\n", *(("mixed",) if line_breaks else ()))
        and 2 <= len(dialect.names) <= MAX_PATTERN_WIDTH
        and len(dialect.delimiter) == 1
        and not dialect.aligned
    )
    if not eligible:
        return None
    terminator = "any" if dialect.line_terminator == "mixed" else dialect.line_terminator
    ending = "\n" if terminator == "any" else terminator  # put after a last line without one
    comment = (dialect.comment or "").encode()
    quote = (dialect.quote or "").encode()
    # comment lines are read by Polars where every record is one line, and hold no quote
    commented = comments and bool(comment) and not comment.startswith(quote or b"\n")
    one_line = well_formed_pattern(
        dialect, terminator=terminator, line_breaks=False, comments=commented
    )
    lines = 0  # of one-line records, when counted (comments among them, or a footer)
    found_comments: list[int] = []  # records before each comment line
    size = pl.thread_pool_size()
    with open(path, "rb") as handle, ThreadPoolExecutor(1) as reader:
        region = _records_region(handle, path, dialect, comment if commented else b"")
        if region is None:
            return None
        start, footer = region
        footed = dialect.footer_rows > 0
        left_out = footed or footer.blank > 0  # lines after the records, for Polars to skip
        blocks = _RecordBlocks(handle, quote, end=footer.start, count_lines=commented or left_out)
        one_line_bytes = 0
        last = b""  # the last block read
        balanced: _Balanced | None = None
        upcoming = reader.submit(blocks.group, size)
        while (group := upcoming.result()).blocks:
            # the next group is read while this one is matched (Polars releases the GIL)
            upcoming = reader.submit(blocks.group, size)
            if comment and (blocks.balanced or not commented) and _has_comments(group, comment):
                return None  # the record reader skips comment lines (one may look like one)
            if balanced is None:
                if all_runs(group.blocks, one_line, ending, spacers=dialect):
                    if commented:
                        found_comments += _comment_records(group, comment, lines, found_comments)
                    lines += group.line_ends
                    one_line_bytes += sum(len(block) for block in group.blocks)
                    last = group.blocks[-1]
                    continue
                first = one_line_bytes == 0
                if not (line_breaks and quote and (not first or _header_is_one_line(group, quote))):
                    return None
                if found_comments or footed or (footer.blank and not damaged):
                    # Polars reads comments, and stops before a footer, among one-line records
                    # (and before blank lines only there, or from a copy without them)
                    return None
                upcoming.result()  # read in the blocks' old terms: read again, balanced
                balanced = _Balanced(
                    dialect,
                    well_formed_pattern(dialect, terminator=terminator, line_breaks=True),
                    ending,
                    header=start,
                    position=start + one_line_bytes,
                    lines=_lines_in(path, start, one_line_bytes),
                    damaged=damaged,
                )
                group = blocks.balance(balanced.position)
                upcoming = reader.submit(blocks.group, size)
                if comment and _has_comments(group, comment):
                    return None
            if not balanced.take(group):
                return None  # a record that is not plain, or bytes that are not UTF-8
            if balanced.misaligned:  # a block's end fell inside a record: read on from it
                upcoming.result()
                blocks.read_from(balanced.position)
                upcoming = reader.submit(blocks.group, size)
        if not one_line_bytes and not (balanced and balanced.lines):
            return None  # not even a header
    if balanced is not None:
        return balanced.plain(footer)
    if found_comments and comment in last[last.rfind(b"\n") + 1 :]:
        # Polars (2.1) fails on a last line without its line end that holds the mark
        return None
    return Plain(
        line_breaks=False,
        comments=tuple(found_comments),
        # Polars stops before what is left out: the header's line, and comments, are not rows
        records=lines - 1 - len(found_comments) if left_out else None,
        footer=footer.lines,
        blank=footer.blank,
    )


class _Balanced:
    """Blocks cut where their quotes balance, each matched as a run of records that may hold
    line breaks in quoted fields; told to, the damaged records among them
    (`rowsift.io.damaged`), found in each block that does not match.

    A block with damaged records is looked through from its start. A damaged
    record's quotes may leave the block's end inside a record (blocks are cut where quotes
    balance). Where damaged records are scarce, the file is then read again from the block's
    last whole record (`misaligned`), so that the next blocks are cut between records, and
    matched first, again; where every block holds some, the bytes after the last whole record
    are carried to the next block, which is looked through whole anyway."""

    def __init__(
        self,
        dialect: Dialect,
        pattern: str,
        ending: str,
        *,
        header: int,
        position: int,
        lines: int,
        damaged: bool,
    ) -> None:
        self.dialect = dialect
        self.pattern = pattern
        self.ending = ending
        self.header = header
        """Where the header's line starts."""
        self.position = position
        """Where the next record starts."""
        self.lines = lines
        """The lines before it from the header's on, the header's included."""
        self.damaged = damaged
        self.records: list[Damage] = []
        self.carry = b""
        """The bytes after the last record taken, read with the next block."""
        self.misaligned = False
        """Whether the blocks read ahead start inside a record: the file is to be read again
        from `position`, and the carried bytes set aside."""
        self.recent = False
        """Whether every block of the last group held a damaged record (the next group is then
        looked through at once, not matched first)."""

    def take(self, group: _Group) -> bool:
        """Take a group of blocks that follows the carried bytes; False when the file is not
        plain (with its damaged records, if told to look for them)."""
        if self.misaligned:
            self.carry, self.misaligned = b"", False
        if self.carry or self.recent:
            passed = [False] * len(group.blocks)
        else:
            passed = block_runs(
                group.blocks, self.pattern, self.ending, spanning=True, spacers=self.dialect
            )
        if all(passed):
            self.position += sum(len(block) for block in group.blocks)
            self.lines += group.line_ends
            return True
        if not (self.damaged and self._look_through(group, passed)):
            return False
        # bytes carried on only to a group looked through whole
        self.misaligned = self.misaligned or (bool(self.carry) and not self.recent)
        return True

    def plain(self, footer: _Footer) -> Plain | None:
        """What the check learned, once every block up to the `footer` (blank lines at the
        end) has been taken."""
        if self.carry:
            return None  # a damaged record at the end, which the record reader reads to it
        return Plain(
            line_breaks=True,
            lines=self.lines,
            blank=footer.blank,
            damaged=tuple(self.records),
            end=footer.start if footer.blank else None,
        )

    def _look_through(self, group: _Group, passed: list[bool]) -> bool:
        """Take `group` after the carried bytes, looking for damaged records in each block
        that has not `passed` the check, or that follows carried bytes."""
        from rowsift.io.damaged import block_damage, too_much

        damaged_blocks = looked = 0
        before, dense = self.position, self.recent
        for block, ends, whole in zip(group.blocks, group.ends, passed, strict=True):
            looked += 1
            if whole and not self.carry:
                self.position, self.lines = self.position + len(block), self.lines + ends
                continue
            data = self.carry + block
            at, first = self.position, self.dialect.header_row + 1 + self.lines
            found = block_damage(data, at, first, self.dialect, header=at == self.header)
            if found is None:
                return False
            self.records += found.records
            damaged_blocks += bool(found.records)
            self.position, self.lines = at + found.taken, self.lines + found.lines
            self.carry = data[found.taken :]
            if too_much(self.records, self.lines) or len(self.carry) > _LONGEST_RECORD:
                return False
            if self.carry and not dense:
                self.misaligned = True  # read again from the last whole record
                break
        self.recent = damaged_blocks == looked
        return self.position > before  # else a record that cannot be read whole from here


def _records_region(
    handle: BinaryIO, path: Path, dialect: Dialect, comment: bytes
) -> tuple[int, _Footer] | None:
    """Where the header starts (after the preamble) and where the records end (`_footer`),
    `handle` left at the header; None when Polars would not skip the same lines: a lone carriage
    return in the preamble, or a header that starts with the `comment` mark."""
    for _ in range(dialect.header_row):
        if b"\r" in handle.readline().replace(b"\r\n", b""):
            # a lone CR ends a line for the sniffer and the record reader, which count the
            # header's line so, and not for Polars, which would skip the wrong lines
            return None
    start = handle.tell()
    if comment and handle.read(len(comment)) == comment:
        return None  # a header that starts with the mark would be a comment to Polars
    # without a footer, the records end where the file does, or its blank lines start
    spacer = dialect.delimiter.encode() * (len(dialect.names) - 1)
    footer = _footer(path, dialect) if dialect.footer_rows else _blank_end(handle, spacer)
    handle.seek(start)
    return None if footer is None else (start, footer)


_BLANK_END_BYTES = 1 << 16
"""The most text at the end of a file looked at for blank lines after the last record."""


def _blank_end(handle: BinaryIO, spacer: bytes = b"") -> _Footer | None:
    """Where the records of a file without a footer end: before the blank lines at its end
    (empty lines, which the record reader counts as blank, and lines of the bare delimiters of
    a record, `spacer`, which it counts so when no record follows them), counted; None when
    the text looked at is all such lines."""
    size = handle.seek(0, 2)
    handle.seek(max(0, size - _BLANK_END_BYTES))
    tail = handle.read()
    *lines, last = tail.split(b"\n")  # `last`: after the last line end (empty when it ends one)
    if last and (not spacer or last.removesuffix(b"\r") != spacer):
        return _Footer(size)  # a last record without its line end
    blank = 1 if last else 0
    end = len(tail) - len(last)  # where the blank lines at the end start
    for line in reversed(lines):
        body = line.removesuffix(b"\r")
        if body and body != spacer:
            break
        blank += 1
        end -= len(line) + 1
    else:
        return None
    if not blank:
        return _Footer(size)
    return _Footer(size - len(tail) + end, blank=blank)


@dataclass(frozen=True, slots=True)
class _Footer:
    """Where the records end, and the lines after them: blank ones, then the footer's."""

    start: int
    """The offset of the first byte after the last record."""
    blank: int = 0
    lines: int = 0


_FOOTER_BYTES = 1 << 20
"""The most text at the end of a file looked at for its footer and the blank lines above it."""


def _footer(path: Path, dialect: Dialect) -> _Footer | None:
    """The footer of `path` as the record reader leaves it out (its last `footer_rows` lines
    that are not blank, and every line after the first of them), the blank lines above it, and
    where the records end; None when Polars would not read past it unharmed (it parses a few
    lines beyond the rows it is asked for): a line that is not UTF-8, holds the quote
    character, has more fields than the header, or ends in a lone carriage return."""
    with open(path, "rb") as handle:
        size = handle.seek(0, 2)
        handle.seek(max(0, size - _FOOTER_BYTES))
        tail = handle.read()
    lines = tail.splitlines(keepends=True)
    if size > len(tail):
        lines = lines[1:]  # a line cut by the window's start
    try:
        texts = [line.decode("utf-8") for line in lines]
    except UnicodeDecodeError:
        return None
    notes = [at for at, text in enumerate(texts) if text.strip()][-dialect.footer_rows :]
    if len(notes) < dialect.footer_rows:
        return None
    first = notes[0]
    above = first
    while above > 0 and texts[above - 1] in ("\n", "\r\n"):  # blank lines (no spaces either)
        above -= 1
    if above == 0:
        return None  # the records' end is not in the window
    quote = dialect.quote or "\n"
    for text in texts[above:]:
        body = text.removesuffix("\n").removesuffix("\r")
        if quote in body or "\r" in body or body.count(dialect.delimiter) >= len(dialect.names):
            return None
    start = size - sum(len(line) for line in lines[above:])
    return _Footer(start, blank=first - above, lines=len(lines) - first)


def _comment_records(
    group: _Group, comment: bytes, lines_before: int, earlier: list[int]
) -> list[int]:
    """For each comment line of `group` (blocks of one-line records and comments, with
    `lines_before` lines above it from the header's on, and the `earlier` comments among
    them), how many records come before it."""
    found: list[int] = []
    for block, ends in zip(group.blocks, group.ends, strict=True):
        line, counted = lines_before, 0
        for at in _comment_starts(block, comment):
            line += block.count(b"\n", counted, at)
            counted = at
            # above it: the header's line, then records and comments
            found.append(line - 1 - len(earlier) - len(found))
        lines_before += ends
    return found


def _comment_starts(block: bytes, comment: bytes) -> Iterator[int]:
    """Where the lines of `block` (whole lines) that start with `comment` begin (the mark is
    looked for alone: a one-byte search is many times faster than one for a line end and it)."""
    at = block.find(comment)
    while at >= 0:
        if at == 0 or block[at - 1] == ord("\n"):
            yield at
        at = block.find(comment, at + 1)


def _has_comments(group: _Group, comment: bytes) -> bool:
    """Whether a line of a block of `group` (whole lines) starts with `comment`."""
    return any(next(_comment_starts(block, comment), None) is not None for block in group.blocks)


def _lines_in(path: Path, start: int, size: int) -> int:
    """The line ends in `size` bytes of `path` from `start` (the blocks of one-line records
    checked before a record over several lines was met, counted again only then)."""
    count = 0
    with open(path, "rb") as handle:
        handle.seek(start)
        while size > 0 and (data := handle.read(min(size, _BLOCK_BYTES))):
            count += data.count(b"\n")
            size -= len(data)
    return count


def _header_is_one_line(group: _Group, quote: bytes) -> bool:
    """Whether the header, the first line of the file's first block, is a whole record: a
    name holding a line break would put every line out of step."""
    return group.blocks[0].split(b"\n", 1)[0].count(quote) % 2 == 0


@dataclass(frozen=True, slots=True)
class _Group:
    """Blocks read together, and the line ends each holds when they were counted (once blocks
    are balanced, or when told to: blocks of one-line records are otherwise counted only if a
    record over several lines is met)."""

    blocks: list[bytes]
    ends: tuple[int, ...] = ()

    @property
    def line_ends(self) -> int:
        """The line ends of the whole group (0 when not counted)."""
        return sum(self.ends)


class _RecordBlocks:
    """A file's bytes in blocks of whole lines, read a group at a time.

    Blocks end at the last line end they hold until `balance` is called; from then on they end
    where the quote characters before them are balanced: between records, in a well-formed
    file with quoted line breaks. A block that cannot end that way within `_LONGEST_RECORD`
    bytes is given as it is, at a line end, and fails the check. What follows a block's end is
    read again with the next block (the file is read from there), so no block is copied to be
    joined with the next.
    """

    def __init__(
        self, handle: BinaryIO, quote: bytes, *, end: int, count_lines: bool = False
    ) -> None:
        self.handle = handle
        self.quote = quote
        self.end = end
        """Where the records end (the file's end, or a footer's start): nothing after is read."""
        self.balanced = False
        self.count_lines = count_lines
        """Whether blocks of one-line records are counted too."""

    def group(self, size: int) -> _Group:
        """The next `size` blocks (fewer at the end of the file; none after it)."""
        blocks: list[bytes] = []
        while len(blocks) < max(size, 1) and (block := self._next()):
            blocks.append(block)
        return self._counted(blocks)

    def balance(self, start: int) -> _Group:
        """The file read again from `start` (where a group began), as one block that ends
        where its quotes are balanced (a record over the group's end is read whole); every
        later block ends so too."""
        self.balanced = True
        self.handle.seek(start)
        return self._counted([self._next()])

    def read_from(self, start: int) -> None:
        """Read the next blocks from `start` on (a group read ahead is set aside)."""
        self.handle.seek(start)

    def _counted(self, blocks: list[bytes]) -> _Group:
        if not (self.balanced or self.count_lines):
            return _Group(blocks)
        # the file's last line is matched as if it had its line end: so it is counted
        return _Group(
            blocks, tuple(block.count(b"\n") + (not block.endswith(b"\n")) for block in blocks)
        )

    def _next(self) -> bytes:
        start = self.handle.tell()
        size = _BLOCK_BYTES
        while data := self.handle.read(max(0, min(size, self.end - start))):
            if len(data) < size:
                return data  # the end of the file
            cut = self._cut(data)
            if not cut and len(data) > _LONGEST_RECORD:
                cut = data.rfind(b"\n") + 1
            if cut:
                self.handle.seek(start + cut)
                return data if cut == len(data) else data[:cut]
            self.handle.seek(start)  # no end in it yet: read more from the same start
            size += _BLOCK_BYTES
        return b""

    def _cut(self, data: bytes) -> int:
        """Where the last line of `data` ends (after which its quotes are balanced, once the
        blocks are `balanced`); 0: nowhere."""
        end = data.rfind(b"\n")
        if end < 0 or not self.balanced:
            return end + 1
        quotes = data.count(self.quote, 0, end)
        while quotes % 2:
            earlier = data.rfind(b"\n", 0, end)
            if earlier < 0:
                return 0
            quotes -= data.count(self.quote, earlier, end)
            end = earlier
        return end + 1


def plain_counts(dialect: Dialect, plain: Plain | None = None) -> LoadingCounts:
    """What loading a plain file does with its lines: skips those before the header and the
    header's; every other line is one record, or, with quoted line breaks, part of one (those
    merged are settled from the rows read: `LoadingCounts.settle`)."""
    counts = LoadingCounts(preamble=dialect.header_row, header=1)
    if plain is not None and plain.line_breaks:
        counts.record_lines = plain.lines - 1
    if plain is not None:
        counts.comment = len(plain.comments)
        counts.footer = plain.footer
        counts.blank = plain.blank
    return counts


def scan_plain(path: Path, dialect: Dialect, plain: Plain | None = None) -> pl.LazyFrame:
    """The file through Polars' streaming reader, in the record reader's schema (its parse
    columns are empty: in a plain file no record can fail to parse). With quoted line breaks,
    a record's line counts the line breaks in the values of the records before it; with
    comment lines, the comments above it. Before a footer, it stops at the last record."""
    schema = schema_of(dialect.names, lines=True)
    comments = () if plain is None else plain.comments
    frame = pl.scan_csv(
        path,
        glob=False,  # a name is a name: `x[1].csv` is not `x1.csv`
        has_header=True,
        separator=dialect.delimiter,
        quote_char=dialect.quote,
        comment_prefix=dialect.comment if comments else None,
        n_rows=None if plain is None else plain.records,
        skip_lines=dialect.header_row,
        infer_schema=False,
        empty_string_is_null=False,
        new_columns=list(dialect.names),
        row_index_name=ROW,
        encoding="utf8",
    )
    row = pl.col(ROW).cast(pl.Int64)
    line = row + (dialect.header_row + 2)
    if comments:
        above = pl.lit(pl.Series(comments, dtype=pl.Int64)).search_sorted(row, side="right")
        line = line + above.cast(pl.Int64)
    if plain is not None and plain.line_breaks:
        # the line breaks of each record, counted once (an expression used twice is computed
        # twice): kept in the line's column until the line is known
        values = named(dialect.names)
        breaks = pl.sum_horizontal(values.str.count_matches("\n", literal=True)).cast(pl.Int64)
        frame = frame.with_columns(breaks.alias(LINE))
        line = line + pl.col(LINE).cum_sum() - pl.col(LINE)
    return frame.with_columns(
        row,
        line.alias(LINE),
        *[pl.lit(None, dtype=dtype).alias(name) for name, dtype in list(schema.items())[-3:]],
    ).select(named(list(schema)))
