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
import re
from collections.abc import Iterable, Sequence
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
    """A text stream whose lines are `collapse_line`-d as they are read: line numbers stay
    those of the file, since no line is added or removed."""

    def __init__(self, inner: io.TextIOBase, quote: str | None) -> None:
        super().__init__()
        self._inner = inner
        self._quote = quote
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
