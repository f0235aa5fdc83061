"""The fast split of delimited text: blocks of whole records checked and split by Polars.

`fast_split` looks at a block of lines at once: the quotes of each line are counted, a line
with an odd count opens or closes a record over several lines, and every check (quoted by the
book, the header's width, not bare delimiters, no blank line inside) is one vectorised pass.
The block's records that pass are split by Polars' CSV reader (the whole block in one call
when all pass), the others are parse failures with the record reader's reasons; a record the
checks cannot place ends the block, and the record reader in `delimited` takes it. `Pace`
sizes the next block after one that was cut short.
"""

from __future__ import annotations

import csv
import re
from typing import Protocol

import polars as pl

from rowsift._names import FIELDS, LINE, PARSE, RAW, ROW
from rowsift.io import well_formed
from rowsift.io.csvtext import csv_dialect, csv_reader, lenient_split
from rowsift.io.records import LoadingCounts, Record, named, record_batches
from rowsift.io.shapes import record_pattern
from rowsift.io.sniff import Dialect
from rowsift.io.well_formed import (
    Step,
    encoded_block,
    good_rows,
    parse_records,
    split_well_formed,
)

MAX_RECORD_LINES = 1_000_000
"""A quoted field longer than this many lines is taken for a quote that was never closed."""


class _AfterBlank(Protocol):
    """What the fast split tells the reader's table: the block ended in blank lines."""

    after_blank: bool


def strip_end(text: str) -> str:
    return text.removesuffix("\n").removesuffix("\r")


def split_alone(text: str, dialect: type) -> list[str]:
    """One line's fields as far as they can be told (`lenient_split`); with an escape
    character, as the csv module splits it leniently."""
    if dialect.escapechar is None:  # type: ignore[attr-defined]
        quote = None if dialect.quoting == csv.QUOTE_NONE else dialect.quotechar  # type: ignore[attr-defined]
        return lenient_split(text, dialect.text_delimiter, quote)  # type: ignore[attr-defined]
    lenient = type("Lenient", (dialect,), {"strict": False})
    try:
        return next(csv_reader([strip_end(text)], lenient), [])
    except csv.Error:
        return [strip_end(text)]


def records_frame(records: list[Record], dialect: Dialect) -> pl.DataFrame:
    (frame,) = record_batches(iter(records), dialect.names, lines=True, size=len(records) + 1)
    return frame


class Pace:
    """How many lines the next fast split looks at. A block cut short ends before a record the
    fast split cannot take: that record goes record by record at once (looking at the block
    again would find it first), and the next blocks are about twice the part taken, growing
    back to full size, so a few bad records do not make every block's lines be looked at over
    and over."""

    def __init__(self, size: int) -> None:
        self.full = self.size = size
        self._record_next = False
        self.short_run = False
        """Whether the last run of well-formed records taken was shorter than `least_run`
        lines: then the next run must not be (see `fast_split`)."""

    def ready(self) -> bool:
        """Whether the next record may take the fast split (once a record has gone alone)."""
        ready, self._record_next = not self._record_next, False
        return ready

    @property
    def least_run(self) -> int:
        """The fewest lines a run of well-formed records right after a short one must take
        from a block that goes on (`rowsift.io.well_formed`): a few hundred, and a 32nd of
        a full block, so that records damaged every few hundred lines are taken by the
        line-by-line checks."""
        return max(well_formed.MIN_RUN_LINES, self.full // well_formed.RUN_SHARE)

    def after(self, taken: int, looked: int) -> None:
        """Told how many of the lines looked at the fast split took."""
        if taken < looked:
            # where records are damaged every few hundred lines (`short_run`), a block looks
            # at more than the part taken last, so that it reaches past the next damaged one
            least = 4 * 1024 if self.short_run else 1024
            self.size, self._record_next = max(least, 2 * taken), True
        else:
            self.size = min(self.full, 2 * self.size)


def lines_in(text: str) -> int:
    """The lines of a text of whole lines (a last one may lack its terminator) that has no
    lone CR."""
    return text.count("\n") + (0 if not text or text.endswith("\n") else 1)


def fast_run(
    text: str, dialect: Dialect, counts: LoadingCounts, pace: Pace, *, step: Step | None = None
) -> tuple[int, int, int, pl.DataFrame, int | None] | None:
    """The run of well-formed records `text` (whole lines) starts with, if worth taking
    (`rowsift.io.well_formed`; `step` reads the damaged records it may step over): lines
    taken, lines looked at, characters taken, the records (``_rowsift_line`` counted from 0),
    and bytes taken in the file if known."""
    # after a short run, a second one in a row is not worth taking: the records are damaged
    # every few hundred lines, and the line-by-line checks take them at once
    least = pace.least_run if pace.short_run else well_formed.MIN_RUN_LINES
    run = split_well_formed(text, dialect, counts, least=least, step=step)
    if run is None:
        return None
    taken, frame, nbytes, chars = run
    looked = taken if chars == len(text) else lines_in(text)
    pace.short_run = taken < min(looked, pace.least_run)
    return taken, looked, chars, frame, nbytes


def fast_split(
    block: list[str],
    dialect: Dialect,
    table: _AfterBlank,
    counts: LoadingCounts,
    pace: Pace,
    *,
    run: bool = True,
) -> tuple[int, tuple[pl.DataFrame, int | None] | None]:
    """How many of the block's lines hold whole records, and those lines split by Polars, or
    None where they go record by record: a run of well-formed records worth taking
    (`fast_run`, unless `run` is False: it was looked for already), else the line-by-line
    checks (`_segment`, `_split_block`)."""
    found = fast_run("".join(block), dialect, counts, pace) if run else None
    if found is not None:
        taken, _, _, frame, nbytes = found
        return taken, (frame, nbytes)
    try:
        lines = pl.Series(block, dtype=pl.String)
    except UnicodeEncodeError:  # undecodable bytes: the block goes record by record
        return len(block), None
    taken, multi = _segment(lines, dialect)
    if not taken:
        return 0, None
    return taken, _split_block(block[:taken], lines.head(taken), dialect, table, multi, counts)


def _segment(lines: pl.Series, dialect: Dialect) -> tuple[int, pl.DataFrame | None]:
    """How many of the block's lines hold whole records that are quoted by the book, and the
    records among them that run over several lines: a frame of their first line in the block
    (`_rowsift_line`), their number of lines and their text (None when there are none).

    A line with an odd number of quotes opens or closes a record over several lines. The lines
    taken end at the last record's end, or before a record that is not quoted by the book or,
    over several lines, not of the header's width (the record reader then takes that record).
    Every check is one vectorised pass over the block: no record is looked at alone.
    """
    quote = dialect.quote
    if quote is None or dialect.escape is not None or len(dialect.delimiter) != 1:
        return len(lines), None
    import numpy as np  # only here and below: loading NumPy costs a run that never gets here

    well_formed = record_pattern(dialect)
    assert well_formed is not None
    counts = lines.str.count_matches(quote, literal=True).to_numpy()
    if not counts.any():
        return len(lines), None
    odd = (counts % 2).astype(np.int64)
    after = np.cumsum(odd) % 2
    before = after ^ odd
    shape = f"^(?s:{well_formed.pattern})$"
    # a one-line record with quotes must be quoted by the book (the pattern is costly: it
    # runs on those lines only)
    alone = np.flatnonzero((counts > 0) & (before == 0) & (after == 0))
    by_the_book = lines.gather(alone).str.strip_chars_end("\r\n").str.contains(shape)
    wrong = np.zeros(len(lines), dtype=bool)
    wrong[alone[~by_the_book.to_numpy()]] = True
    end = int(np.argmax(wrong)) if wrong.any() else len(lines)
    if after[-1]:  # the last record goes on past the block
        end = min(end, int(np.flatnonzero((before == 0) & (after == 1))[-1]))
    inside = ((before == 1) | (after == 1))[:end]  # the lines of records over several lines
    if not inside.any():
        return end, None
    record = np.cumsum(before[:end] == 0)  # each line's record: a record starts outside quotes
    multi = (
        pl.DataFrame(
            {
                "record": record[inside],
                LINE: np.flatnonzero(inside),
                "text": lines[:end].filter(pl.Series(inside)),
            }
        )
        .group_by("record", maintain_order=True)
        .agg(pl.col(LINE).first(), pl.len().alias("lines"), pl.col("text").str.join(""))
        .with_columns(pl.col("text").str.strip_chars_end("\r\n"))
    )
    q = re.escape(quote)
    fields = (
        pl.col("text")
        .str.replace_all(f"{q}(?:[^{q}]|{q}{q})*{q}", "")
        .str.count_matches(dialect.delimiter, literal=True)
        + 1
    )
    fits = (
        pl.col("text").str.contains(shape)
        & (fields == len(dialect.names))
        & (pl.col("lines") <= MAX_RECORD_LINES)
    )
    judged = multi.select(LINE, "lines", "text", fits.alias("fits"))
    if judged["fits"].all():
        return end, judged.drop("fits")
    first_bad = int(judged["fits"].arg_min() or 0)
    cut = int(judged[LINE][first_bad])
    kept = judged.head(first_bad).drop("fits")
    return cut, kept if len(kept) else None


def _without_multi_line(lines: pl.DataFrame, size: int, multi: pl.DataFrame | None) -> pl.DataFrame:
    """The block's lines less those of its records over several lines."""
    if multi is None:
        return lines
    import numpy as np

    starts = multi[LINE].to_numpy().astype(np.int64)
    sizes = multi["lines"].to_numpy().astype(np.int64)
    inside = np.zeros(size, dtype=bool)
    offsets = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    inside[np.repeat(starts, sizes) + offsets] = True
    return lines.filter(~pl.Series(inside))


def _multi_line_rows(multi: pl.DataFrame, dialect: Dialect) -> pl.DataFrame:
    """The records over several lines, parsed (`_segment` let only records of the header's
    width, quoted by the book, through: Polars reads their quoted line breaks exactly)."""
    parsed = parse_records(multi["text"], list(dialect.names), dialect.delimiter, dialect.quote)
    return good_rows(parsed, multi[LINE])


def _line_table(lines: pl.Series, dialect: Dialect, quoted: bool) -> pl.DataFrame:
    """Each line of the block: its number in the block, text without terminator, whether it is
    blank, its quotes, its fields as delimiters + 1, whether it is a spacer (``,,,``), and
    whether it is good as it is (the header's width, no quote, not a spacer)."""
    width = len(dialect.names)
    text = pl.col("text")
    count = text.str.count_matches(dialect.delimiter, literal=True) + 1
    # a spacer (",,,") is exactly width - 1 delimiters and nothing else
    spacer = (text.str.len_bytes() == width - 1) & (count == width) & pl.lit(width >= 2)
    quotes = text.str.count_matches(dialect.quote or "", literal=True) if quoted else pl.lit(0)
    return (
        lines.rename("text")
        .to_frame()
        .lazy()
        .with_row_index(LINE)
        .with_columns(text.str.strip_chars_end("\r\n"))
        .with_columns(
            (text == "").alias("blank"),
            quotes.alias("quotes"),
            count.alias("count"),
            spacer.alias("spacer"),
        )
        .with_columns(
            ((pl.col("count") == width) & ~pl.col("spacer") & (pl.col("quotes") == 0)).alias("good")
        )
        .collect()
    )


def _split_block(
    block: list[str],
    line_texts: pl.Series,
    dialect: Dialect,
    table: _AfterBlank,
    multi: pl.DataFrame | None,
    counts: LoadingCounts,
) -> tuple[pl.DataFrame, int | None] | None:
    """A block of whole records, split by Polars; None when the block needs the
    record-by-record reader. `_rowsift_line` counts from 0 in the block."""
    if len(dialect.delimiter.encode()) != 1:
        return None  # Polars splits at one byte
    joined = "".join(block)
    encoded = encoded_block(joined, dialect)
    if encoded is None:
        return None
    data, nbytes = encoded
    quoted = dialect.quote is not None and dialect.quote in joined
    delimiter = dialect.delimiter
    width = len(dialect.names)
    names = list(dialect.names)
    lines = _without_multi_line(_line_table(line_texts, dialect, quoted), len(block), multi)
    blank = lines["blank"]
    if width == 1 and blank.any():
        return None  # blank lines are records here, unless at the end: record by record
    if lines["spacer"].any():
        return None  # a record of bare delimiters is quarantined unless no record follows it
    if blank.any():
        # the last line that holds a record, records over several lines included (their
        # lines are not in `lines`)
        last = lines.filter(~blank)[LINE].cast(pl.Int64).max()
        if multi is not None:
            ends = (multi[LINE].cast(pl.Int64) + multi["lines"].cast(pl.Int64) - 1).max()
            last = max(-1 if last is None else last, ends)  # type: ignore[type-var]
        if last is not None and bool((lines.filter(blank)[LINE] < last).any()):
            return None  # a blank line inside the block: a second table may start after it
        table.after_blank = True
        lines = lines.filter(~blank)
    count_lines(counts, int(blank.sum()), multi)  # the block is split here: its lines are counted
    lone_cr = "\r" in joined and joined.count("\r") != joined.count("\r\n")
    special: pl.DataFrame | None = None
    if quoted:
        has_quote = lines["quotes"] > 0
        with_quotes = lines.filter(has_quote)
        by_polars = _quoted_fitting(with_quotes, dialect)
        if (
            not blank.any()
            and not lone_cr
            and by_polars.all()
            and lines.filter(~has_quote)["good"].all()
        ):
            # every record is good: Polars reads the whole block at once, quotes and all
            starts = lines[LINE].cast(pl.Int64)
            if multi is not None:
                starts = pl.concat([starts, multi[LINE].cast(pl.Int64)])
            parsed = parse_records(data, names, delimiter, dialect.quote)
            return good_rows(parsed, starts.sort()), nbytes
        special = _quoted_lines(with_quotes, dialect, by_polars)
        if multi is not None:
            special = pl.concat([special, _multi_line_rows(multi, dialect)])
        lines = lines.filter(~has_quote)
    judged = lines
    count = pl.col("count")
    fitting = judged.filter(pl.col("good"))
    whole = special is None and len(fitting) == len(block) and not lone_cr
    parsed = parse_records(data if whole else fitting["text"], names, delimiter)
    plain = parsed.select(
        pl.lit(0, dtype=pl.Int64).alias(ROW),
        pl.all(),
        fitting[LINE].cast(pl.Int64).alias(LINE),
        pl.lit(None, dtype=pl.String).alias(PARSE),
        pl.lit(None, dtype=pl.String).alias(RAW),
        pl.lit(None, dtype=pl.List(pl.String)).alias(FIELDS),
    )
    bad = judged.filter(~pl.col("good"))
    if not bad.is_empty():
        reason = pl.format(f"expected {width} fields, got {{}}", count)
        failed = bad.select(
            pl.lit(0, dtype=pl.Int64).alias(ROW),
            *[pl.lit(None, dtype=pl.String).alias(name) for name in names],
            pl.col(LINE).cast(pl.Int64),
            reason.alias(PARSE),
            pl.col("text").alias(RAW),
            pl.col("text").str.split(delimiter, literal=True).alias(FIELDS),
        )
        plain = pl.concat([plain, failed]).sort(LINE)
    if special is None or special.is_empty():
        return plain, nbytes
    return pl.concat([plain, special.select(named(plain.columns))]).sort(LINE), nbytes


def count_lines(
    counts: LoadingCounts,
    blank: int,
    multi: pl.DataFrame | None,
    *,
    merged: int = 0,
    footer: int = 0,
) -> None:
    """Add blank lines, lines merged (those of records over several lines but their first),
    and the footer's lines."""
    counts.blank += blank
    counts.merged += merged + (0 if multi is None else int(multi["lines"].sum()) - len(multi))
    counts.footer += footer


def _quoted_fitting(lines: pl.DataFrame, dialect: Dialect) -> pl.Series:
    """Which lines with quotes, each one record quoted by the book (`_segment` let no other
    through), have the header's width (their delimiters once the quoted fields are taken out)
    and are not a spacer."""
    q = re.escape(dialect.quote or "")
    fields = (
        pl.col("text")
        .str.replace_all(f"{q}(?:[^{q}]|{q}{q})*{q}", "")
        .str.count_matches(dialect.delimiter, literal=True)
        + 1
    )
    fitting = lines.select(fields.alias("fields"))["fields"] == len(dialect.names)
    return fitting & ~lines["spacer"]


def _quoted_lines(lines: pl.DataFrame, dialect: Dialect, by_polars: pl.Series) -> pl.DataFrame:
    """Lines with quotes, each one record quoted by the book: those of the header's width
    (`by_polars`, `_quoted_fitting`) go to Polars, the others (parse failures) to the `csv`
    module."""
    special = _split_quoted(lines.filter(~by_polars).select(LINE, "text"), dialect)
    if not by_polars.any():
        return special
    chosen = lines.filter(by_polars)
    parsed = parse_records(chosen["text"], list(dialect.names), dialect.delimiter, dialect.quote)
    return pl.concat([special, good_rows(parsed, chosen[LINE])])


def _split_quoted(lines: pl.DataFrame, dialect: Dialect) -> pl.DataFrame:
    """Lines whose quotes all close on the line, each one record, split by the `csv` module."""
    strict = csv_dialect(dialect.delimiter, dialect.quote, dialect.escape, strict=True)
    width = len(dialect.names)
    well_formed = record_pattern(dialect)
    records: list[Record] = []
    for index, text in lines.iter_rows():
        try:
            fields = next(csv_reader([text], strict))
        except csv.Error as exc:
            records.append(Record(index, split_alone(text, strict), text, f"broken quoting: {exc}"))
            continue
        if well_formed is not None and not well_formed.fullmatch(text):
            reason = "broken quoting: a quote inside a field that is not quoted"
            records.append(Record(index, split_alone(text, strict), text, reason))
        elif len(fields) == width:
            records.append(Record(index, fields, text, None))
        else:
            reason = f"expected {width} fields, got {len(fields)}"
            records.append(Record(index, fields, text, reason))
    return records_frame(records, dialect)
