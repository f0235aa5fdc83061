"""A delimited file's physical lines, read in bounded memory: one by one, in blocks of lines or
as one text of whole lines, with push-back, the footer's lines held back, and undecodable bytes
marked on their line."""

from __future__ import annotations

import io
import re
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rowsift.exceptions import InputError
from rowsift.io.sniff import Dialect
from rowsift.io.well_formed import SINGLE_BYTE, UTF8_SEQUENCE

READ_CHARS = 1 << 22
"""How much text is read at a time."""
SPLIT_CHARS = 1 << 16
"""How much of the text read is split into lines at a time, when lines are asked for: a run of
well-formed records is taken as text (`LineSource.peek_text`), never split."""
UNDECODABLE = re.compile("[\udc80-\udcff]")


@dataclass(frozen=True, slots=True)
class Line:
    """One physical line: its 1-based number, its text with terminator, its byte offset."""

    number: int
    text: str
    offset: int
    problem: str | None
    """Why the line's text cannot be trusted (bytes that do not decode, another encoding)."""


def _byte_length(encoding: str) -> Any:
    codec = encoding.lower().replace("_", "-")
    if codec.startswith(("utf-16", "utf-32")):  # the plain codec would count a BOM each time
        wide = codec[:6] + "-le"
        return lambda text: len(text.encode(wide, "surrogatepass"))
    return lambda text: len(text) if text.isascii() else len(text.encode(codec, "surrogateescape"))


def _line_end(text: str, start: int, limit: int, eof: bool) -> int:
    """Where the whole lines of `text` from `start` up to `limit` end (`start`: none). A line
    ends at ``\n``, ``\r\n`` or a lone ``\r``; a ``\r`` last in `text` ends one only at the end
    of the file (a ``\n`` may follow it)."""
    if eof and limit >= len(text):
        return len(text)
    cut = text.rfind("\n", start, limit) + 1
    if cut:
        return cut
    at = text.rfind("\r", start, limit)
    if at >= 0 and at + 1 < len(text) and text[at + 1] != "\n":
        return at + 1
    return start


class LineSource:
    """The file's physical lines, one by one or in blocks, with push-back.

    The last `footer_rows` non-blank lines are never handed out. Undecodable bytes are marked on
    the line (as lone surrogates in its text, and `Line.problem`), never fatal. The text read is
    split into lines only when lines are asked for (`line`, `peek`); `peek_text` hands whole
    lines out as one text.
    """

    def __init__(self, text: io.TextIOBase, dialect: Dialect, path: Path) -> None:
        self._text = text
        self._path = path
        self._length = _byte_length(dialect.encoding)
        self._footer = dialect.footer_rows
        self._buffer: list[str] = []
        self._start = 0
        self._raw = ""
        self._at = 0
        """The text read after the lines in `_buffer`, not yet split into lines, is
        ``_raw[_at:]``."""
        self._split_chars = 0
        """The characters of the lines in `_buffer` not yet handed out: their text is the
        ``_split_chars`` characters of `_raw` before `_at`."""
        self._chars = 0
        """Characters of the lines taken so far (for `typical_line`)."""
        self._back: deque[Line] = deque()
        self._eof = False
        self.number = 0
        """The number of the last line handed out (pushed-back lines do not count again)."""
        self.offset = 3 if dialect.encoding == "utf-8-sig" else 0
        codec = dialect.encoding.lower().replace("_", "-")
        self._single_byte = codec if codec in SINGLE_BYTE else None

    def _read(self) -> None:
        try:
            text = self._text.read(READ_CHARS)
        except (OSError, EOFError, ValueError, UnicodeError) as exc:
            raise InputError(
                f"cannot read past byte {self.offset} (line {self.number + 1}): {exc}",
                file=str(self._path),
                line=self.number + 1,
                hint="the file may be truncated or not what its name says; "
                "check source.compression",
            ) from None
        if not text:
            self._eof = True
        keep = self._at - self._split_chars
        self._raw, self._at = self._raw[keep:] + text, self._split_chars
        if self._footer:  # the footer's lines are told from the end: every line is split
            self._split(len(self._raw))

    def _split(self, chars: int) -> bool:
        """Split the whole lines among the next `chars` characters of text read into lines;
        whether there was one."""
        cut = _line_end(self._raw, self._at, self._at + chars, self._eof)
        if cut == self._at:
            return False
        piece, self._at = self._raw[self._at : cut], cut
        self._split_chars += len(piece)
        if self._start:
            del self._buffer[: self._start]
            self._start = 0
        self._buffer.extend(io.StringIO(piece, newline="").readlines())
        return True

    def _available(self) -> int:
        size = len(self._buffer) - self._start
        if self._footer == 0:
            return size
        need, index = self._footer, len(self._buffer)
        while index > self._start and need:
            index -= 1
            if self._buffer[index].strip():
                need -= 1
        return index - self._start if need == 0 else 0

    def _ensure(self, count: int) -> int:
        need = count + (1 if self._footer else 0)
        while self._available() < need:
            if self._split(SPLIT_CHARS) or self._split(len(self._raw) - self._at):
                continue
            if self._eof:
                break
            self._read()
        return min(count, self._available())

    @property
    def left_over(self) -> int:
        """Lines never handed out (the footer's), once the end is reached."""
        if not self._eof:
            return 0
        self._split(len(self._raw) - self._at)
        return len(self._buffer) - self._start

    @property
    def kept(self) -> int:
        """The lines handed out and not pushed back: where the next line read starts after."""
        return self.number - len(self._back)

    @property
    def pushed_back(self) -> bool:
        """Whether lines were pushed back and are to be read again first."""
        return bool(self._back)

    def peek(self, count: int) -> list[str]:
        """Up to `count` next lines' text, not yet taken (nothing may be pushed back)."""
        available = self._ensure(count)
        return self._buffer[self._start : self._start + available]

    def take(self, lines: list[str], nbytes: int | None = None) -> tuple[int, int]:
        """Take the lines `peek` gave (`nbytes` long in the file, if known); returns the first
        one's number and byte offset."""
        first = (self.number + 1, self.offset)
        self._start += len(lines)
        self.number += len(lines)
        self._split_chars -= sum(map(len, lines))
        if nbytes is None:
            nbytes = self._length("".join(lines))
        self.offset += nbytes
        self._chars += nbytes
        return first

    @property
    def text_ready(self) -> bool:
        """Whether `peek_text` may be asked: nothing pushed back, no footer to hold back."""
        return not self._back and not self._footer

    def typical_line(self) -> int:
        """About how many characters a line taken so far had (1 before any)."""
        return max(1, self._chars // max(1, self.number))

    def peek_text(self, chars: int) -> str:
        """The next whole lines, about `chars` characters of them (at least one line, unless
        at the end), as one text, not yet taken; only when `text_ready`. Lines split already
        are part of it (and stay split, for `peek` and `line`)."""
        assert self.text_ready
        while len(self._raw) - self._at + self._split_chars < chars and not self._eof:
            self._read()
        start = self._at - self._split_chars
        cut = _line_end(self._raw, start, start + chars, self._eof)
        if cut == start:
            cut = _line_end(self._raw, start, len(self._raw), self._eof)
        while cut == self._at - self._split_chars and not self._eof:  # a very long line
            self._read()
            start = self._at - self._split_chars
            cut = _line_end(self._raw, start, len(self._raw), self._eof)
        return self._raw[self._at - self._split_chars : cut]

    def take_text(self, chars: int, lines: int, nbytes: int | None = None) -> tuple[int, int]:
        """Take the first `chars` characters (`lines` whole lines, `nbytes` long in the file if
        known) of the text `peek_text` gave; returns the first line's number and byte offset."""
        first = (self.number + 1, self.offset)
        start = self._at - self._split_chars
        if nbytes is None:
            nbytes = self._length(self._raw[start : start + chars])
        if lines <= len(self._buffer) - self._start:  # lines split already
            self._start += lines
            self._split_chars -= chars
        else:
            self._at = start + chars
            self._buffer, self._start, self._split_chars = [], 0, 0
        self.number += lines
        self.offset += nbytes
        self._chars += chars
        return first

    def line(self) -> Line | None:
        """The next line, or None at the end (or at the footer)."""
        if self._back:
            return self._back.popleft()
        if not self._ensure(1):
            return None
        text = self._buffer[self._start]
        self._start += 1
        self.number += 1
        self._split_chars -= len(text)
        problem = None
        length = self._length(text)  # of the bytes as read, before any reading as UTF-8
        if not text.isascii():
            found = UNDECODABLE.search(text)
            if found is not None:
                at = self.offset + self._length(text[: found.start()])
                problem = f"bytes that do not decode at byte offset {at} (line {self.number})"
            elif self._single_byte is not None:
                text, problem = _mixed_in_utf8(text, self._single_byte, self.number)
        line = Line(self.number, text, self.offset, problem)
        self.offset += length
        self._chars += length
        return line

    def push_back(self, lines: list[Line]) -> None:
        """Hand these lines out again, first, in order."""
        self._back.extendleft(reversed(lines))


class BlockLines:
    """The lines of a block held in memory as UTF-8 bytes, from a byte offset on, for reading
    one record of it again (`rowsift.io.record_reader.RecordReader` takes them as it takes a
    `LineSource`'s): numbered from `first`, with push-back, and `exhausted` once a line past
    the block's end was asked for (the record may go on past the block: it cannot be told
    from the block alone). The block has no lone carriage return and nothing undecodable."""

    def __init__(self, data: bytes, start: int, first: int) -> None:
        self._data = data
        self._at = start
        self._next = first
        self._back: deque[Line] = deque()
        self.exhausted = False

    def line(self) -> Line | None:
        """The next line, or None past the block's end."""
        if self._back:
            return self._back.popleft()
        if self._at >= len(self._data):
            self.exhausted = True
            return None
        end = self._data.find(b"\n", self._at) + 1 or len(self._data)
        line = Line(self._next, self._data[self._at : end].decode(), self._at, None)
        self._at, self._next = end, self._next + 1
        return line

    def push_back(self, lines: list[Line]) -> None:
        """Hand these lines out again, first, in order."""
        self._back.extendleft(reversed(lines))

    @property
    def offset(self) -> int:
        """The byte offset of the next line to be handed out (a pushed-back one's first)."""
        return self._back[0].offset if self._back else self._at


def _mixed_in_utf8(text: str, encoding: str, number: int) -> tuple[str, str | None]:
    """A line of a single-byte-encoded file whose bytes are UTF-8 text: its UTF-8 reading and
    why it is not trusted (read as the file's encoding it would be mojibake, ``cafÃ©``)."""
    raw = text.encode(encoding, "surrogateescape")
    if UTF8_SEQUENCE.search(raw) is None:
        return text, None
    try:
        utf8 = raw.decode("utf-8")
    except UnicodeDecodeError:
        return text, None
    return utf8, f"UTF-8 text in a {encoding} file (line {number})"
