"""The shape of a well-formed record as a regular expression, and runs of such records.

A record is well formed when it has the header's width and every field is either unquoted
(no delimiter, no quote, no line break), quoted with its inner quotes doubled, or a spreadsheet's
text formula (``="00123"``: an equals sign, then a quoted text without a quote, delimiter or
line break; exports write it to keep leading zeros in Excel, and every CSV reader takes it as
the text it is written as). `record_pattern`
judges one record with Python's `re`; `bytes_after_run` measures, in one pass of Polars'
regular-expression engine (linear time, no backtracking), how long a run of such records a
whole block of text starts with, so that millions of lines are checked without a Python loop,
and `run_end` where a run from any line ends, a window of text at a time; `block_runs` tells
which of several blocks are wholly such runs, matching them in parallel (or, for a block
without a quote character, by its bytes alone: `shaped_runs`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, AnyStr

import polars as pl

from rowsift.io.encoding import is_utf8
from rowsift.io.sniff import Dialect

__all__ = [
    "MAX_PATTERN_WIDTH",
    "all_runs",
    "block_runs",
    "bytes_after_run",
    "has_spacer",
    "record_pattern",
    "run_end",
    "well_formed_pattern",
]


def record_pattern(dialect: Dialect) -> re.Pattern[str] | None:
    """A record whose every field is unquoted without a quote, quoted with inner quotes
    doubled (or escaped), or a text formula; any number of fields.

    >>> from rowsift.io.sniff import Dialect
    >>> pattern = record_pattern(Dialect(names=("a", "b")))
    >>> [bool(pattern.fullmatch(t)) for t in ('="007",1', '"x""y",2', '="0"7",3', 'a"b,4')]
    [True, True, False, False]
    """
    if dialect.quote is None:
        return None
    d, q = re.escape(dialect.delimiter), re.escape(dialect.quote)
    # a one-character delimiter is left out of a field by a character class, a longer one by a
    # look-ahead
    one, not_d = (d, "") if len(dialect.delimiter) == 1 else ("", f"(?!{d})")
    if dialect.escape is not None:
        e = re.escape(dialect.escape)
        quoted = f"{q}(?:[^{q}{e}]|{q}{q}|{e}.)*{q}"
        plain = f"(?:{not_d}[^{q}{e}\r\n{one}]|{e}.)*"
    else:
        quoted = f"{q}(?:[^{q}]|{q}{q})*{q}"
        plain = f"(?:{not_d}[^{q}\r\n{one}])*"
    formula = f"={q}(?:{not_d}[^{q}\r\n{one}])*{q}"
    field = f"(?:{quoted}|{formula}|{plain})"
    return re.compile(f"{field}(?:{d}{field})*", re.DOTALL)


@lru_cache(maxsize=64)
def _pattern(
    delimiter: str,
    quote: str | None,
    width: int,
    terminator: str,
    line_breaks: bool,
    comment: str | None = None,
) -> str:
    d = re.escape(delimiter)
    if quote is None:
        field = f"[^{d}\\r\\n]*"
    else:
        q = re.escape(quote)
        inside = f"[^{q}]" if line_breaks else f"[^{q}\\r\\n]"
        formula = f"={q}[^{d}{q}\\r\\n]*{q}"
        field = f"(?:[^{d}{q}\\r\\n]*|{q}(?:{inside}|{q}{q})*{q}|{formula})"
    record = f"{field}(?:{d}{field}){{{width - 1}}}"
    if comment is not None:
        # a comment line without a quote (which would put a reader's count of quotes out of step)
        text = "[^\\r\\n]*" if quote is None else f"[^{re.escape(quote)}\\r\\n]*"
        record = f"(?:{re.escape(comment)}{text}|{record})"
    ends = {"\n": "\\n", "\r\n": "\\r\\n", "any": "\\r?\\n"}[terminator]
    # every record ends with a terminator (`bytes_after_run` ends the text with one): an
    # alternative of the text's end would make the engine read far past a record that fails
    return f"^(?:{record}{ends})*"


MAX_PATTERN_WIDTH = 2000
"""The widest record `well_formed_pattern` is written for: its regular expression repeats the
field once per column, and the engine's compiled size limit (10 MiB) is reached near 4,500
columns. A wider file is read record by record (an R data set of 6,832 columns stopped
`rowsift suggest` with an internal error)."""


def well_formed_pattern(
    dialect: Dialect, *, terminator: str, line_breaks: bool, comments: bool = False
) -> str:
    """A pattern (Rust `regex` syntax) matching the longest run of well-formed records at the
    start of a text, each ended by `terminator` (``\\n``, ``\\r\\n``, or ``any`` of them);
    quoted fields may hold line breaks when `line_breaks`; with `comments`, lines that start
    with the dialect's comment mark (and hold no quote character) may be among them. Only for
    a one-character delimiter, no escape character and a width of at least 2 (a blank line is
    then never a record) and at most `MAX_PATTERN_WIDTH`."""
    width = len(dialect.names)
    assert len(dialect.delimiter) == 1
    assert dialect.escape is None
    assert 2 <= width <= MAX_PATTERN_WIDTH
    comment = dialect.comment if comments else None
    return _pattern(dialect.delimiter, dialect.quote, width, terminator, line_breaks, comment)


def bytes_after_run(data: bytes, pattern: str, terminator: str = "\n") -> int:
    """How many bytes of `data` (UTF-8 text) are left after the run of records `pattern`
    matches at its start (0: the whole text is well formed). A last line without its
    `terminator` is matched as if it had one."""
    open_end = not data.endswith(b"\n")
    ended = data + terminator.encode() if open_end else data
    rest = pl.Series([ended], dtype=pl.Binary).cast(pl.String)
    # one query (each Series method is one of its own)
    left = int(rest.to_frame().select(pl.first().str.replace(pattern, "").str.len_bytes()).item())
    return max(0, left - len(terminator)) if open_end else left


@lru_cache(maxsize=64)
def _open_record(delimiter: str, quote: str, width: int) -> str:
    """A record's start that ends inside a quoted field: fields, then a quote never closed."""
    d, q = re.escape(delimiter), re.escape(quote)
    field = f"(?:[^{d}{q}\\r\\n]*|{q}(?:[^{q}]|{q}{q})*{q}|={q}[^{d}{q}\\r\\n]*{q})"
    return f"^(?:{field}{d}){{0,{width - 1}}}{q}(?:[^{q}]|{q}{q})*\\z"


RUN_WINDOW = 1 << 18
"""How much text `run_end` matches at a time, unless told (more for a record longer than that)."""


def run_end(data: bytes, start: int, dialect: Dialect, window: int | None = None) -> int:
    """Where the run of well-formed records (`well_formed_pattern`, line breaks allowed in
    quoted fields) from `start` in `data` (UTF-8, whole lines) ends, the text matched a window
    at a time, so that a run stopped early by a damaged record costs what it holds, not what
    follows it. A window ends at a line end; where the run stops at a record that is still
    inside a quoted field at the window's end, the record may go on past it, and a larger
    window is matched from there. The first window is `window` bytes (`RUN_WINDOW` unless
    told)."""
    pattern = well_formed_pattern(dialect, terminator="any", line_breaks=True)
    quote = dialect.quote
    size = window or RUN_WINDOW
    while True:
        limit = start + size
        cut = len(data) if limit >= len(data) else data.rfind(b"\n", start, limit) + 1
        if cut <= start:  # a line longer than the window
            cut = data.find(b"\n", limit) + 1 or len(data)
        stop = cut - bytes_after_run(data[start:cut], pattern)
        if stop == cut and cut < len(data):
            # the whole window was one run: on to the next, larger up to `RUN_WINDOW`
            start, size = stop, max(size, min(2 * size, RUN_WINDOW))
            continue
        if cut == len(data) or quote is None or not _still_open(data[stop:cut], dialect):
            return stop
        start, size = stop, 2 * size


def _still_open(text: bytes, dialect: Dialect) -> bool:
    """Whether `text` is the start of a record that ends inside a quoted field."""
    assert dialect.quote is not None
    if text.count(dialect.quote.encode()) % 2 == 0:
        return False  # a field open at the end has an odd number of quotes before it
    pattern = _open_record(dialect.delimiter, dialect.quote, len(dialect.names))
    return bool(pl.Series([text], dtype=pl.Binary).cast(pl.String).str.contains(pattern)[0])


def _checked(
    blocks: Sequence[bytes], terminator: str, checks: Sequence[Callable[[pl.Expr], pl.Expr]]
) -> list[tuple[Any, ...]] | None:
    """Each check's result on each of `blocks` (a last line without its `terminator` given
    one), in one Polars query that decodes and checks the blocks in parallel, one column each:
    one tuple per check, a value per block. None when a block is not UTF-8."""
    ended = {
        str(i): pl.Series([b if not b or b.endswith(b"\n") else b + terminator.encode()])
        for i, b in enumerate(blocks)
    }
    text = [pl.col(name).cast(pl.String) for name in ended]
    try:
        row = (
            pl.DataFrame(ended)
            .select(
                check(block).alias(f"{n}_{i}")
                for n, check in enumerate(checks)
                for i, block in enumerate(text)
            )
            .row(0)
        )
    except pl.exceptions.ComputeError:  # not UTF-8
        return None
    width = len(ended)
    return [row[n * width : (n + 1) * width] for n in range(len(checks))]


def all_runs(
    blocks: Sequence[bytes],
    pattern: str,
    terminator: str = "\n",
    *,
    spanning: bool = False,
    spacers: Dialect | None = None,
) -> bool:
    """Whether each of `blocks` (UTF-8 text) is wholly a run of the records `pattern` matches
    (`block_runs`)."""
    return all(block_runs(blocks, pattern, terminator, spanning=spanning, spacers=spacers))


def block_runs(
    blocks: Sequence[bytes],
    pattern: str,
    terminator: str = "\n",
    *,
    spanning: bool = False,
    spacers: Dialect | None = None,
) -> list[bool]:
    """For each of `blocks` (UTF-8 text), whether it is wholly a run of the records `pattern`
    matches (a last line without its `terminator` is matched as if it had one); none is when
    one is not UTF-8, nor, told the file's `spacers` dialect, a block where a record is a line
    of delimiters alone (`has_spacer`). With `spanning` (a pattern whose quoted fields may hold
    line breaks), every carriage return must also end a line: a lone one is a line break to
    the record reader, and part of a value to Polars. Told the dialect, the blocks without a
    quote character are judged by their bytes (`shaped_runs`); the others are decoded and
    matched at once, one column each, which Polars does in parallel on its threads."""
    if not blocks:
        return []
    shaped = [False] * len(blocks) if spacers is None else shaped_runs(blocks, spacers, terminator)
    if all(shaped):
        return shaped
    matched = iter(
        _matched_runs(
            [block for block, known in zip(blocks, shaped, strict=True) if not known],
            pattern,
            terminator,
            spanning=spanning,
            spacers=spacers,
        )
    )
    return [known or next(matched) for known in shaped]


def _matched_runs(
    blocks: Sequence[bytes],
    pattern: str,
    terminator: str,
    *,
    spanning: bool,
    spacers: Dialect | None,
) -> list[bool]:
    """`block_runs` by the pattern, in one Polars query."""
    checks = [_whole_run(pattern)]
    if spanning and any(b"\r" in block for block in blocks):
        checks.append(lambda text: text.str.contains("\r(?:[^\n]|\\z)").not_())
    judged = len(checks)
    found = _checked(blocks, terminator, [*checks, *_spacer_checks(spacers)])
    if found is None:
        return [False] * len(blocks)
    passed = [all(results) for results in zip(*found[:judged], strict=True)]
    if spacers is None or not any(passed):
        return passed
    suspects = found[judged]
    return [
        whole and not (suspect and has_spacer(block, spacers))
        for block, whole, suspect in zip(blocks, passed, suspects, strict=True)
    ]


def shaped_runs(blocks: Sequence[bytes], dialect: Dialect, terminator: str = "\n") -> list[bool]:
    """For each of `blocks` (whole lines), whether its bytes alone prove it a run of one-line
    records of `dialect`, without the pattern: it is UTF-8 without a quote character, every
    line is the width's delimiters among other characters ended by `terminator` (a last line
    may lack it), and no line is the delimiters alone. The pattern (and `has_spacer`) says the
    same of such a block, at about half the cost: a translation that keeps only delimiters and
    line-end characters, a count, and one parallel search of the blocks for a line of
    delimiters alone. False says nothing: the pattern judges the block then.

    >>> from rowsift.io.sniff import Dialect
    >>> blocks = [b"a,b,c\\n1,2,3", b"1,2\\n", b'1,"2",3\\n', b"1,2,3\\n,,\\n", b"1,,\\r\\n", b",,"]
    >>> shaped_runs(blocks, Dialect(names=("a", "b", "c")))
    [True, False, False, False, False, False]
    """
    line = dialect.delimiter.encode() * (len(dialect.names) - 1) + terminator.encode()
    shaped = [_quote_free_shape(block, dialect, terminator, line) for block in blocks]
    if not any(shaped):
        return shaped
    spacer = line[: -len(terminator)]  # a record of the delimiters alone: first, inside or last
    found = [index for index, shape in enumerate(shaped) if shape]
    inside = (
        pl.DataFrame({str(index): pl.Series([blocks[index]], dtype=pl.Binary) for index in found})
        .select(pl.all().bin.contains(b"\n" + line))
        .row(0)
    )
    for index, spaced in zip(found, inside, strict=True):
        block = blocks[index]
        if spaced or block.startswith(line) or block == spacer or block.endswith(b"\n" + spacer):
            shaped[index] = False
    return shaped


def _quote_free_shape(block: bytes, dialect: Dialect, terminator: str, line: bytes) -> bool:
    """Whether `block` is UTF-8 without a quote character, and each of its lines is `line`
    (the width's delimiters and `terminator`) with other characters among the delimiters (a
    last line may lack its terminator)."""
    quote = (dialect.quote or "").encode()
    delimiter, ending = dialect.delimiter.encode(), terminator.encode()
    if (
        terminator not in ("\n", "\r\n")
        or len(delimiter) != 1
        or delimiter in b"\r\n"
        or (quote and quote in block)
        or not block
        or not is_utf8(block)
    ):
        return False
    kept = block.translate(None, _all_but(delimiter))
    if not block.endswith(b"\n"):
        kept += ending
    if len(kept) != kept.count(line) * len(line):  # occurrences that tile it
        return False
    # and each carriage return where it ends a line, not among the other characters
    return terminator == "\n" or block.count(b"\r") == block.count(b"\r\n")


@lru_cache(maxsize=8)
def _all_but(delimiter: bytes) -> bytes:
    """Every byte but `delimiter`, a carriage return and a line feed: what a translation
    deletes to leave a block's shape."""
    return bytes(byte for byte in range(256) if byte not in (*delimiter, 13, 10))


def _whole_run(pattern: str) -> Callable[[pl.Expr], pl.Expr]:
    """The check that a block is wholly a run of the records `pattern` matches."""
    return lambda text: text.str.contains(pattern + r"\z")


def _spacer_checks(dialect: Dialect | None) -> list[Callable[[pl.Expr], pl.Expr]]:
    """With a dialect, the check of each block for a line that may be a record of delimiters
    alone: the cheap pass of `has_spacer`, run in parallel with the blocks' other checks."""
    if dialect is None:
        return []
    spacer = re.escape(dialect.delimiter) * (len(dialect.names) - 1)
    return [lambda text: text.str.contains(f"(?m)^{spacer}(?:\r|$)")]


def has_spacer(text: AnyStr, dialect: Dialect) -> bool:
    """Whether a record of `text` (whole records from its start, as text or its UTF-8 bytes)
    is only the width's delimiters (``,,,``): such a record is blank, and quarantined, where the
    run pattern would take it for empty values. A line of delimiters inside a quoted field
    (after an odd number of quote characters) is part of a value, not a record."""
    spacer_text = dialect.delimiter * (len(dialect.names) - 1)
    spacer = spacer_text if isinstance(text, str) else spacer_text.encode()
    ends = ("\n", "\r", "") if isinstance(text, str) else (b"\n", b"\r", b"")
    quote_text = dialect.quote or ""
    quote = quote_text if isinstance(text, str) else quote_text.encode()
    quotes = 0  # the quote characters before `counted`
    counted = 0

    def outside_quotes(at: int) -> bool:
        nonlocal quotes, counted
        if quote:
            quotes += text.count(quote, counted, at)
            counted = at
        return quotes % 2 == 0

    if text.startswith(spacer) and text[len(spacer) : len(spacer) + 1] in ends:
        return True
    needle = ends[0] + spacer
    at = text.find(needle)
    while at >= 0:
        end = at + len(needle)
        if text[end : end + 1] in ends and outside_quotes(at):
            return True
        at = text.find(needle, end)
    return False
