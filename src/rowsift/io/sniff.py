"""Sniffing delimited text from a bounded sample: encoding, dialect, header, preamble, footer.

The dialect is chosen as CleverCSV chooses it (van den Burg et al., 2019): every candidate
(delimiter, quote, escape) splits the sample; the one whose rows are the most consistent in
length (pattern score) and whose cells look the most like known kinds of values (type score)
wins. Measured against CleverCSV and `csv.Sniffer` in docs/loading.md.
"""

from __future__ import annotations

import codecs
import csv
import math
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from rowsift.exceptions import InputError
from rowsift.recipe.model import Compression, SourceSpec

HEAD_BYTES = 1 << 18
"""How much of the file's start is sniffed."""
TAIL_BYTES = 1 << 14
"""How much of the file's end is looked at for footer lines."""
SCORED_LINES = 200
"""How many lines of the sample each candidate dialect splits."""

DELIMITERS = (",", ";", "\t", "|", ":", "^", "~", "#", " ")
QUOTES: tuple[str | None, ...] = ('"', "'", None)

_UNDECODABLE = re.compile("[\udc80-\udcff]")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
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


@dataclass(frozen=True, kw_only=True)
class Dialect:
    """How a delimited text file is laid out, as detected (or as a recipe's source says)."""

    encoding: str = "utf-8"
    compression: Compression = "none"
    delimiter: str = ","
    quote: str | None = '"'
    escape: str | None = None
    header: bool = True
    header_row: int = 0
    footer_rows: int = 0
    width: int = 0
    names: tuple[str, ...] = ()
    line_terminator: str = "\n"
    confidence: float = 1.0

    def to_source(self, *, format: str = "csv") -> dict[str, object]:
        """The recipe ``source:`` keys that read the file exactly this way."""
        data: dict[str, object] = {
            "format": format,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "quote": self.quote or '"',
            "header_row": self.header_row,
            "header": self.header,
            "footer_rows": self.footer_rows,
        }
        if self.quote is None:
            data["quoting"] = False
        if self.escape is not None:
            data["escape"] = self.escape
        if self.compression != "none":
            data["compression"] = self.compression
        return data


def csv_dialect(delimiter: str, quote: str | None, escape: str | None, *, strict: bool) -> type:
    """A `csv` module dialect class for these characters."""
    attributes = {
        "delimiter": delimiter,
        "quotechar": quote or '"',
        "quoting": csv.QUOTE_MINIMAL if quote else csv.QUOTE_NONE,
        "escapechar": escape,
        "doublequote": True,
        "skipinitialspace": False,
        "strict": strict,
        "lineterminator": "\n",
    }
    return type("SniffedDialect", (csv.Dialect,), attributes)


class csv_reader:
    """`csv.reader` with no limit on a field's size (the csv module stops at 128 KiB).

    The limit is process-wide state: it is raised only while a record is read, then put back.
    """

    def __init__(self, lines: Iterable[str], dialect: type) -> None:
        self._reader = csv.reader(lines, dialect)

    @property
    def line_num(self) -> int:
        """How many lines the reader has read."""
        return self._reader.line_num

    def __iter__(self) -> csv_reader:
        return self

    def __next__(self) -> list[str]:
        limit = csv.field_size_limit(sys.maxsize)
        try:
            return next(self._reader)
        finally:
            csv.field_size_limit(limit)


# -- encoding -------------------------------------------------------------------------------------


def bom_encoding(head: bytes) -> str | None:
    """The encoding a byte order mark at the start names (a BOM is never wrong), or None."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def detect_encoding(head: bytes) -> tuple[str, float]:
    """The encoding of a sample: a BOM, else UTF-16 by its zero bytes, else UTF-8, else cp1252.

    A sample that mixes UTF-8 text with bytes that are not UTF-8 is read as whichever holds
    more of its non-ASCII characters; the records in the other one are quarantined when read.
    """
    bom = bom_encoding(head)
    if bom is not None:
        return bom, 1.0
    pairs = head[:4096]
    if len(pairs) >= 4:
        even = pairs[0::2].count(0) / max(1, len(pairs[0::2]))
        odd = pairs[1::2].count(0) / max(1, len(pairs[1::2]))
        if odd > 0.3 and even < 0.05:
            return "utf-16-le", 0.9
        if even > 0.3 and odd < 0.05:
            return "utf-16-be", 0.9
    if head.isascii():
        return "utf-8", 0.9
    # a character cut off at the sample's end is left out, not counted as undecodable
    text = codecs.getincrementaldecoder("utf-8")("surrogateescape").decode(head, final=False)
    undecodable = len(_UNDECODABLE.findall(text))
    if undecodable == 0:
        return "utf-8", 1.0
    decoded = sum(1 for char in text if ord(char) > 127) - undecodable
    if decoded > undecodable:
        return "utf-8", 0.7
    try:
        head.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1", 0.6
    return "cp1252", 0.8 if decoded == 0 else 0.6


def decode_sample(head: bytes, encoding: str, *, complete: bool) -> str:
    """The sample as text; undecodable bytes become lone surrogates; a cut-off char is dropped."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="surrogateescape")
    try:
        return decoder.decode(head, final=complete)
    except UnicodeDecodeError:
        return head.decode("latin-1")


def physical_lines(text: str) -> list[str]:
    """Lines with their terminators, split only at ``\\r\\n``, ``\\n`` and ``\\r``."""
    return _LINE.findall(text)


# -- dialect --------------------------------------------------------------------------------------


def _split(
    lines: Sequence[str], delimiter: str, quote: str | None, escape: str | None
) -> list[list[str]]:
    """Split the lines; a multi-line record of an unusual width is cut back to its first line."""
    dialect = csv_dialect(delimiter, quote, escape, strict=False)
    rows: list[list[str]] = []
    widths: Counter[int] = Counter()
    start = 0
    while start < len(lines):
        reader = csv_reader(lines[start:], dialect)
        done = 0
        try:
            for row in reader:
                span = reader.line_num - done
                usual = widths.most_common(1)[0][0] if widths else len(row)
                if span > 1 and len(row) != usual:
                    alone = next(csv_reader(lines[start + done : start + done + 1], dialect), [])
                    done += 1
                    if alone:
                        rows.append(alone)
                        widths[len(alone)] += 1
                    break
                done = reader.line_num
                if row:
                    rows.append(row)
                    widths[len(row)] += 1
            else:
                return rows
        except csv.Error:
            done += 1
        start += max(done, 1)
    return rows


def _score(rows: list[list[str]], delimiter: str) -> float:
    """Pattern score times type score (CleverCSV's data consistency)."""
    if not rows:
        return 0.0
    widths = Counter(len(row) for row in rows)
    # CleverCSV sums this over every row length; counting only the usual length keeps rows
    # broken by a wrong quote character (which often have more than one field) from adding
    width, count = max(widths.items(), key=lambda item: (item[1], item[0]))
    pattern = count * (width - 1) / width / len(widths)
    cells = [cell for row in rows for cell in row]
    # a delimiter or a quote inside a cell can only come from quoting (or escaping): it counts
    # for, not against, that quote
    typed = sum(1 for cell in cells if not cell or _TYPED.match(_plain(cell, delimiter)))
    return pattern * max(typed / len(cells), 1e-3)


def _plain(cell: str, delimiter: str) -> str:
    text = cell.replace(delimiter, " ").strip()
    if text[:1] != '"' and text.count('"') % 2 == 0:
        text = text.replace('"', "")
    return text


def _candidates(text: str) -> Iterable[tuple[str, str | None, str | None]]:
    present = [d for d in DELIMITERS if d in text]
    quotes = [q for q in QUOTES if q is None or q in text] or [None]
    escapes: list[str | None] = [None]
    if "\\" in text and any(f"\\{q}" in text for q in quotes if q):
        escapes.append("\\")
    for delimiter in present:
        for quote in quotes:
            for escape in escapes:
                if escape is None or quote is not None:
                    yield delimiter, quote, escape


def choose_dialect(lines: Sequence[str]) -> tuple[str, str | None, str | None, float]:
    """The best (delimiter, quote, escape) for these lines, and a confidence in 0..1."""
    sample = [line for line in lines[:SCORED_LINES] if line.strip("\r\n")]
    text = "".join(sample)
    scored: list[tuple[float, int, str, str | None, str | None]] = []
    for rank, (delimiter, quote, escape) in enumerate(_candidates(text)):
        score = _score(_split(sample, delimiter, quote, escape), delimiter)
        scored.append((score, -rank, delimiter, quote, escape))
    if not scored:
        return ",", '"', None, 0.5
    scored.sort(reverse=True)
    best, _, delimiter, quote, escape = scored[0]
    if best <= 0:
        return ",", '"' if '"' in text else None, None, 0.3
    runner_up = next((s[0] for s in scored[1:] if s[2] != delimiter), 0.0)
    confidence = 1.0 - runner_up / best if best else 0.0
    return delimiter, quote, escape, round(max(0.0, min(1.0, 0.5 + confidence / 2)), 3)


# -- layout: preamble, header, footer -------------------------------------------------------------


def _records(
    lines: Sequence[str], delimiter: str, quote: str | None, escape: str | None
) -> list[tuple[int, list[str]]]:
    """(0-based first line, fields) of each non-blank record of the lines."""
    dialect = csv_dialect(delimiter, quote, escape, strict=False)
    found: list[tuple[int, list[str]]] = []
    position = 0

    def feed() -> Iterable[str]:
        nonlocal position
        for line in lines:
            position += 1
            yield line

    reader = csv_reader(feed(), dialect)
    start = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error:
            reader = csv_reader(feed(), dialect)
            start = position
            continue
        if (row and any(row)) or len(row) > 1:
            found.append((start, row))
        start = position
    return found


def _header_like(row: Sequence[str]) -> bool:
    filled = [cell.strip() for cell in row if cell.strip()]
    return bool(filled) and not any(NUMERIC.match(cell) for cell in filled)


def _has_header(first: Sequence[str], body: Sequence[Sequence[str]]) -> bool:
    """Whether the first record names the columns rather than holding data."""
    if not _header_like(first):
        return False
    votes_for = votes_against = 0
    for index, cell in enumerate(first):
        column = [row[index].strip() for row in body if index < len(row) and row[index].strip()]
        if not column or not cell.strip():
            continue
        numeric = sum(1 for value in column if NUMERIC.match(value)) / len(column)
        if numeric >= 0.8:
            votes_for += 1
        elif cell.strip() in column:
            votes_against += 1
    return votes_for >= votes_against


def _table_start(records: Sequence[tuple[int, list[str]]], width: int) -> int:
    need = max(1, math.ceil(width / 2))
    for index, (_, row) in enumerate(records):
        filled = sum(1 for cell in row if cell.strip())
        if len(row) != width or filled < need:
            continue
        if filled < width and index + 1 < len(records):
            # a group-title row ("Customer,,,Order,,") above a header that names every column
            below = records[index + 1][1]
            if len(below) == width and all(c.strip() for c in below) and _header_like(below):
                continue
        following = [len(r) == width for _, r in records[index + 1 : index + 4]]
        if not following or any(following):
            return index
    return 0


def _without_blank_tail(row: list[str], width: int) -> list[str]:
    """A header ending in a delimiter (``a,b,c,``) over rows that do not: its blank tail goes."""
    while len(row) > width and not row[-1].strip():
        row = row[:-1]
    return row


def _header_above(records: Sequence[tuple[int, list[str]]], start: int, width: int) -> bool:
    """Whether the record right above the table's first row of data is its header, although
    of another width: one name short (an unnamed index column) or with a blank tail."""
    if start <= 0 or records[start - 1][0] + 1 != records[start][0]:
        return False
    above = records[start - 1][1]
    if not _header_like(above) or _header_like(records[start][1]):
        return False
    return len(above) == width - 1 >= 2 or len(_without_blank_tail(above, width)) == width


def _footer_rows(tail_lines: Sequence[str], delimiter: str, quote: str | None, width: int) -> int:
    """Trailing lines that are notes: one filled field or fewer in a table of several columns."""
    if width < 2:
        return 0
    count = 0
    seen_note = False
    dialect = csv_dialect(delimiter, quote, None, strict=False)
    for line in reversed(tail_lines):
        if not line.strip():
            continue
        row = next(csv_reader([line], dialect), [])
        filled = [cell for cell in row if cell.strip()]
        if len(row) == width or len(filled) > 1 or (quote and line.count(quote) % 2):
            break
        seen_note = seen_note or " " in line.strip() or any(c.isalpha() for c in line)
        count += 1
    return count if seen_note else 0


RESERVED_PREFIX = "_rowsift_"
"""Names rowsift adds to every table start with this; a source's own such name is renamed."""


def make_unique(names: Sequence[str]) -> tuple[str, ...]:
    """Header names made unique, predictably: a blank is ``column_<n>`` (1-based), a repeat
    gets ``_2``, ``_3``..., and a name rowsift reserves (``_rowsift_...``, as in rowsift's own
    outputs read back) loses its leading underscore.

    >>> make_unique(["id", "", "id", "x", "id"])
    ('id', 'column_2', 'id_2', 'x', 'id_3')
    >>> make_unique(["_rowsift_row", "rowsift_row", "_rowsift_reasons"])
    ('rowsift_row', 'rowsift_row_2', 'rowsift_reasons')
    """
    seen: set[str] = set()
    result: list[str] = []
    for position, given in enumerate(names, start=1):
        text = given
        if not text.isascii():  # undecodable bytes (lone surrogates) become \xNN escapes
            text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        name = text.strip() or f"column_{position}"
        while name.startswith(RESERVED_PREFIX):
            name = name[1:]
        candidate, suffix = name, 2
        while candidate in seen:
            candidate = f"{name}_{suffix}"
            suffix += 1
        seen.add(candidate)
        result.append(candidate)
    return tuple(result)


def _terminator(lines: Sequence[str]) -> str:
    kinds = Counter(
        "\r\n" if line.endswith("\r\n") else line[-1:] for line in lines if line[-1:] in "\r\n"
    )
    if len(kinds) > 1:
        return "mixed"
    return next(iter(kinds), "\n")


# -- the whole file -------------------------------------------------------------------------------


def sniff_text(
    text: str, *, tail: str = "", complete: bool, source: SourceSpec | None = None
) -> Dialect:
    """Detect the layout of a sample; keys the source writes (when it detects) are kept."""
    source = source or SourceSpec(detect=True)
    given = source.model_fields_set if source.detect else set(SourceSpec.model_fields)
    lines = physical_lines(text)
    if not complete and lines and not lines[-1].endswith(("\n", "\r")):
        lines = lines[:-1]
    delimiter, quote, escape, confidence = choose_dialect(lines)
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
    records = _records(lines, delimiter, quote, escape)
    widths = Counter(len(row) for _, row in records)
    multi = Counter({w: c for w, c in widths.items() if w > 1})
    width = (multi or widths or Counter({1: 1})).most_common(1)[0][0]
    start = _table_start(records, width)
    if _header_above(records, start, width):
        start -= 1
    first_line = records[start][0] if records else 0
    first = records[start][1] if records else []
    body = [row for _, row in records[start + 1 : start + 51]]
    header = _has_header(first, body)
    header_row = first_line
    if "header_row" in given:
        header_row = source.header_row
        at = [row for line, row in records if line >= header_row]
        first = at[0] if at else []
    if "header" in given:
        header = source.header
    if header and "header_row" not in given:
        first = _without_blank_tail(first, width)
    if header:
        width = max(width, len(first)) if "header_row" not in given else len(first)
        names = make_unique(list(first) + [""] * (width - len(first)))
    else:
        names = tuple(f"column_{i}" for i in range(1, width + 1))
    footer = 0
    if "footer_rows" in given:
        footer = source.footer_rows
    else:
        tail_lines = lines if complete else physical_lines(tail)[1:]
        footer = _footer_rows(tail_lines, delimiter, quote, width)
    return Dialect(
        delimiter=delimiter,
        quote=quote,
        escape=escape,
        header=header,
        header_row=header_row,
        footer_rows=footer,
        width=len(names),
        names=names,
        line_terminator=_terminator(lines),
        confidence=confidence,
    )


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
    if bom is not None:
        encoding, sure = bom, 1.0
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
    if not complete and not encoding.startswith("utf-16"):
        tail = decode_sample(tail_bytes, encoding.removesuffix("-sig"), complete=True)
    dialect = sniff_text(text, tail=tail, complete=complete, source=source)
    return replace(
        dialect,
        encoding=encoding,
        compression=compression,
        confidence=round(min(dialect.confidence, sure), 3),
    )
