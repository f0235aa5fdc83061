"""A corpus of malformed input files, generated from compact specs (no binary file is kept).

Each `FileCase` is the bytes of one file, the name it is given (its extension decides how it is
read), and how many data records it holds when rowsift can read it (`records`; None where the
file's own layout leaves that open, e.g. where a sniffer may take a line for a preamble). The
`expect` field says what a correct reading is: "read" (exit 0 and every record accounted for),
"refuse" (a clear error, exit 3) or "either".
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import os
import random
import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

import zstandard

Expect = Literal["read", "refuse", "either"]


@dataclass(frozen=True)
class FileCase:
    id: str
    data: bytes
    suffix: str = ".csv"
    records: int | None = None
    expect: Expect = "read"


TEXT = "id,name,city\n1,café,Zürich\n2,naïve,Malmö\n3,Ærø,São Paulo\n4,plain,Oslo\n"
"""Four records with letters outside ASCII in most code pages' common range."""

WIDE = "id,name\n1,東京\n2,Ελλάδα\n3,Россия\n4,עברית\n"

# -- encodings and byte order marks ------------------------------------------------------------

_CODECS = [
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "utf-32",
    "latin-1",
    "cp1252",
    "cp850",
    "mac_roman",
    "iso-8859-15",
]
_WIDE_CODECS = ["utf-8", "utf-16", "utf-32", "gb18030", "utf-8-sig"]


def _encodings() -> Iterator[FileCase]:
    for codec in _CODECS:
        yield FileCase(f"enc-{codec}", TEXT.encode(codec), records=4)
        yield FileCase(f"enc-{codec}-crlf", TEXT.replace("\n", "\r\n").encode(codec), records=4)
    for codec in _WIDE_CODECS:
        yield FileCase(f"enc-wide-{codec}", WIDE.encode(codec), records=4)
    bom16 = b"\xff\xfe" + TEXT.encode("utf-16-le")
    yield FileCase("bom-utf16le-explicit", bom16, records=4)
    yield FileCase("bom-only-utf8", b"\xef\xbb\xbf", records=0, expect="either")
    yield FileCase("bom-only-utf16", b"\xff\xfe", records=0, expect="either")
    yield FileCase("bom-twice", b"\xef\xbb\xbf\xef\xbb\xbf" + TEXT.encode(), records=4)
    yield FileCase("bom-in-middle", TEXT.encode().replace(b"2,", b"\xef\xbb\xbf2,"), records=4)
    yield FileCase(
        "bom-every-line",
        b"".join(b"\xef\xbb\xbf" + line + b"\n" for line in TEXT.encode().splitlines()),
        records=4,
    )
    yield FileCase(
        "bom-utf8-then-utf16", b"\xef\xbb\xbf" + TEXT.encode("utf-16-le"), expect="either"
    )
    mixed = TEXT.encode() + "5,crème,Genève\n".encode("latin-1")
    yield FileCase("mixed-utf8-latin1", mixed, records=5)
    yield FileCase(
        "mixed-latin1-utf8",
        "5,crème,Genève\n".encode("latin-1").join([TEXT.encode(), b""]),
        records=5,
    )
    yield FileCase("invalid-utf8-ff", TEXT.encode().replace(b"plain", b"pl\xff\xfein"), records=4)
    yield FileCase("overlong-utf8", TEXT.encode().replace(b"plain", b"\xc0\xafplain"), records=4)
    yield FileCase(
        "surrogate-cesu", TEXT.encode().replace(b"plain", b"\xed\xa0\x80plain"), records=4
    )
    yield FileCase("truncated-multibyte-at-eof", TEXT.encode() + b"5,caf\xc3", records=5)
    yield FileCase("utf16-odd-length", TEXT.encode("utf-16") + b"\x00", expect="either")
    yield FileCase("utf16-no-bom-le", TEXT.encode("utf-16-le"), expect="either")
    yield FileCase("shift-jis", "id,name\n1,日本\n2,東京\n".encode("shift_jis"), records=2)
    yield FileCase("euc-kr", "id,name\n1,한국\n2,서울\n".encode("euc-kr"), records=2)
    yield FileCase("koi8-r", "id,name\n1,Россия\n2,Москва\n".encode("koi8-r"), records=2)
    yield FileCase("cp1251", "id,name\n1,Россия\n2,Москва\n".encode("cp1251"), records=2)


# -- NUL bytes and control characters ----------------------------------------------------------


def _controls() -> Iterator[FileCase]:
    yield FileCase("nul-in-field", b"a,b\n1,x\x00y\n2,z\n", records=2)
    yield FileCase("nul-in-header", b"a\x00,b\n1,2\n", records=1)
    yield FileCase("nul-line", b"a,b\n1,2\n\x00\x00\x00\n3,4\n", records=3)
    yield FileCase("nul-only", b"\x00" * 64, expect="either")
    yield FileCase("nul-after-last-row", b"a,b\n1,2\n\x00", records=2)
    yield FileCase("nul-as-delimiter", b"a\x00b\n1\x002\n3\x004\n", records=2, expect="either")
    yield FileCase("escape-codes", b"a,b\n1,\x1b[2J\x1b[31mred\n2,\x1b]0;t\x07\n", records=2)
    yield FileCase("form-feed-vt", b"a,b\n1,x\x0cy\n2,\x0bz\n", records=2)
    yield FileCase("del-and-c1", "a,b\n1,x\x7fy\n2,\x85\x9b\n".encode(), records=2)
    yield FileCase("bidi-controls", "a,b\n1,\u202egnp.exe\n2,\u2066x\u2069\n".encode(), records=2)
    yield FileCase("line-separator-u2028", "a,b\n1,x\u2028y\n2,z\u2029\n".encode(), records=2)
    yield FileCase("unit-separator", b"a,b\n1,x\x1fy\n2,z\n", records=2)


# -- quoting -----------------------------------------------------------------------------------


def _quoting() -> Iterator[FileCase]:
    yield FileCase("unclosed-quote-last", b'a,b\n1,2\n3,"oops\n', records=2)
    yield FileCase("unclosed-quote-middle", b'a,b\n1,"open\n2,3\n4,5\n', records=None)
    yield FileCase("quote-in-unquoted-field", b'a,b\n1,x"y\n2,z\n', records=2)
    yield FileCase("stray-after-closing", b'a,b\n1,"x"y\n2,z\n', records=2)
    yield FileCase("doubled-quotes", b'a,b\n1,"say ""hi"""\n2,""""\n', records=2)
    yield FileCase("backslash-escaped", b'a,b\n1,"x\\"y"\n2,z\n', records=None)
    yield FileCase("quote-only-field", b'a,b\n1,"\n2,3\n', records=None)
    yield FileCase("newline-in-quoted", b'a,b\n1,"line1\nline2"\n2,z\n', records=2)
    yield FileCase("crlf-in-quoted", b'a,b\r\n1,"x\r\ny"\r\n2,z\r\n', records=2)
    yield FileCase("cr-in-quoted", b'a,b\n1,"x\ry"\n2,z\n', records=2)
    yield FileCase("header-unclosed-quote", b'"a,b\n1,2\n3,4\n', records=None, expect="either")
    yield FileCase("single-quotes", b"a,b\n1,'x,y'\n2,'z'\n", records=None)
    yield FileCase("quoted-empty-vs-null", b'a,b\n1,""\n2,\n', records=2)
    yield FileCase("many-quotes", b"a,b\n1," + b'"' * 1001 + b"\n2,z\n", records=None)
    yield FileCase("quote-at-eof-no-newline", b'a,b\n1,"x', records=1)
    yield FileCase("quote-delimiter-mix", b'a;b\n1;"x;y"\n2;"z"\n', records=2)


# -- ragged rows, blank lines, line ends -------------------------------------------------------


def _shapes() -> Iterator[FileCase]:
    yield FileCase("more-fields", b"a,b\n1,2,3\n4,5\n", records=2)
    yield FileCase("fewer-fields", b"a,b,c\n1,2\n3,4,5\n", records=2)
    yield FileCase("blank-lines", b"a,b\n1,2\n\n3,4\n\n\n5,6\n", records=None)
    yield FileCase("delimiter-only-lines", b"a,b\n1,2\n,\n3,4\n", records=3)
    yield FileCase("trailing-delimiter", b"a,b,\n1,2,\n3,4,\n", records=2)
    yield FileCase("alternating-widths", b"a,b\n" + b"1,2\n3\n" * 50, records=100)
    yield FileCase("one-column-empty-values", b"a\n1\n\n\n2\n\n\n", records=None)
    yield FileCase("one-column", b"only\nx\ny\nz\n", records=3)
    yield FileCase("cr-only", b"a,b\r1,2\r3,4\r", records=2)
    yield FileCase("mixed-line-ends", b"a,b\r\n1,2\n3,4\r5,6\r\n", records=None)
    yield FileCase("no-final-newline", b"a,b\n1,2\n3,4", records=2)
    yield FileCase("cr-cr-lf", b"a,b\r\r\n1,2\r\r\n3,4\r\r\n", records=None)
    yield FileCase("whitespace-lines", b"a,b\n1,2\n   \n\t\n3,4\n", records=None)
    yield FileCase("tsv-named-csv", b"a\tb\n1\t2\n3\t4\n", records=2)
    yield FileCase("semicolon", b"a;b\n1;2\n3;4\n", records=2)
    yield FileCase("pipe", b"a|b\n1|2\n3|4\n", records=2)
    yield FileCase("mixed-delimiters", b"a,b;c\n1,2;3\n4;5,6\n", records=2)
    yield FileCase("space-aligned", b"a    b\n1    2\n3    4\n", records=None)
    yield FileCase("preamble", b"Report of 2024\nexported by X\n\na,b\n1,2\n3,4\n", records=None)
    yield FileCase("footer", b"a,b\n1,2\n3,4\nTotal,2\n", records=None)
    yield FileCase("comment-lines", b"# comment\na,b\n1,2\n# more\n3,4\n", records=None)
    yield FileCase("second-table-below", b"a,b\n1,2\n3,4\n\nx,y,z\n5,6,7\n", records=None)
    yield FileCase("header-only", b"a,b\n", records=0)
    yield FileCase("header-only-no-newline", b"a,b", records=0)
    yield FileCase("empty-file", b"", records=0, expect="either")
    yield FileCase("only-newlines", b"\n\n\n", records=0, expect="either")
    yield FileCase("only-spaces", b"   ", expect="either")
    yield FileCase("one-byte", b"a", records=0, expect="either")
    yield FileCase("one-delimiter", b",", expect="either")
    for rows in (1, 2, 3, 7):
        body = "".join(f"{i},{'x' * (i % 3)}\n" if i % 2 else f"{i}\n" for i in range(rows))
        yield FileCase(f"ragged-{rows}-rows", f"a,b\n{body}".encode(), records=rows)


# -- headers and names -------------------------------------------------------------------------

_HOSTILE_NAMES = [
    "_rowsift_row",
    "_rowsift_line",
    "_rowsift_reasons",
    "_rowsift_parse",
    "_rowsift_raw",
    "_rowsift_fields",
    "_rowsift_x",
    "row",
    "dataset",
    "[b]",
    "[/]",
    "=cmd|x",
    "<script>",
    "a.b",
    "a[0]",
    "*",
    "len",
    "size",
    "count",
    "__index_level_0__",
    "null",
    "1",
    " ",
    "\u202ertl",
    "é",
    "名前",
]


def _names() -> Iterator[FileCase]:
    for index, name in enumerate(_HOSTILE_NAMES):
        quoted = '"' + name.replace('"', '""') + '"'
        text = f"id,{quoted}\n1,x\n2,y\n"
        # a header of numbers may be data: the sniffer decides, and either reading is fair
        records = None if name.isdigit() else 2
        yield FileCase(f"name-{index:02d}", text.encode(), records=records)
    yield FileCase(
        "names-all-hostile",
        (
            ",".join(f'"{n}"' for n in _HOSTILE_NAMES[:9])
            + "\n"
            + ",".join("v" for _ in range(9))
            + "\n"
        ).encode(),
        records=1,
    )
    yield FileCase("names-duplicate", b"a,a,a\n1,2,3\n4,5,6\n", records=2)
    yield FileCase("names-duplicate-case", b"A,a,A_1,a_1\n1,2,3,4\n", records=1)
    yield FileCase("names-empty", b",,\n1,2,3\n4,5,6\n", records=2)
    yield FileCase("names-empty-and-dup", b",a,,a\n1,2,3,4\n", records=1)
    yield FileCase(
        "names-own-output",
        b'_rowsift_row,_rowsift_line,_rowsift_reasons,a\n0,2,"[]",x\n',
        records=1,
    )
    yield FileCase("names-with-newline", b'"a\nb",c\n1,2\n', records=1)
    yield FileCase("names-whitespace", b" a , b \n1,2\n", records=1)
    yield FileCase("names-numeric", b"1,2,3\n4,5,6\n", records=None)
    yield FileCase("name-100k", ("x" * 100_000 + ",b\n1,2\n").encode(), records=1)
    yield FileCase(
        "names-1000-columns",
        (
            ",".join(f"c{i}" for i in range(1000))
            + "\n"
            + ",".join("1" for _ in range(1000))
            + "\n"
        ).encode(),
        records=1,
    )
    yield FileCase("names-same-after-strip", b"a, a,a \n1,2,3\n", records=1)


# -- big fields --------------------------------------------------------------------------------


def _big() -> Iterator[FileCase]:
    yield FileCase("field-1mb", b"a,b\n1," + b"x" * 1_000_000 + b"\n2,y\n", records=2)
    yield FileCase(
        "field-1mb-quoted-newlines", b'a,b\n1,"' + b"x\n" * 200_000 + b'"\n2,y\n', records=2
    )
    yield FileCase("line-1mb-no-delimiter", b"a,b\n" + b"z" * 1_000_000 + b"\n1,2\n", records=2)
    yield FileCase("many-rows-narrow", b"a,b\n" + b"1,2\n" * 50_000, records=50_000)
    yield FileCase("many-ragged", b"a,b\n" + b"1,2,3\n" * 5_000 + b"4,5\n", records=5_001)


# -- compressed --------------------------------------------------------------------------------

_PLAIN = b"a,b\n1,2\n3,4\n5,6\n"


def _compressed() -> Iterator[FileCase]:
    packers: dict[str, Callable[[bytes], bytes]] = {
        ".gz": gzip.compress,
        ".bz2": bz2.compress,
        ".xz": lzma.compress,
        ".zst": lambda data: zstandard.ZstdCompressor().compress(data),
    }
    big = b"a,b\n" + b"".join(f"{i},{i * 7}\n".encode() for i in range(5_000))
    for suffix, pack in packers.items():
        whole = pack(_PLAIN)
        if suffix == ".xz":  # not a compression rowsift reads: refused, or read as bytes
            for name, data in (("ok", whole), ("truncated", whole[: len(whole) // 2])):
                yield FileCase(f"{name}{suffix}", data, f".csv{suffix}", expect="either")
            continue
        yield FileCase(f"ok{suffix}", whole, f".csv{suffix}", records=3)
        yield FileCase(
            f"truncated-half{suffix}",
            pack(big)[: len(pack(big)) // 2],
            f".csv{suffix}",
            expect="either",
        )
        yield FileCase(f"truncated-header{suffix}", whole[:5], f".csv{suffix}", expect="either")
        yield FileCase(
            f"garbage{suffix}", b"not compressed at all\n1,2\n", f".csv{suffix}", expect="either"
        )
        yield FileCase(f"empty{suffix}", b"", f".csv{suffix}", records=0, expect="either")
        yield FileCase(f"of-empty{suffix}", pack(b""), f".csv{suffix}", records=0, expect="either")
        yield FileCase(
            f"corrupt-middle{suffix}",
            whole[:10] + bytes(20) + whole[30:],
            f".csv{suffix}",
            expect="either",
        )
    yield FileCase("gzip-in-gzip", gzip.compress(gzip.compress(_PLAIN)), ".csv.gz", expect="either")
    yield FileCase(
        "gzip-two-members",
        gzip.compress(b"a,b\n1,2\n") + gzip.compress(b"3,4\n"),
        ".csv.gz",
        records=2,
    )
    yield FileCase(
        "gzip-trailing-garbage", gzip.compress(_PLAIN) + b"junk", ".csv.gz", expect="either"
    )
    yield FileCase("gzip-named-csv", gzip.compress(_PLAIN), ".csv", expect="either")
    yield FileCase("gzip-of-utf16", gzip.compress(TEXT.encode("utf-16")), ".csv.gz", records=4)
    for members in (0, 1, 2):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for index in range(members):
                archive.writestr(f"part{index}.csv", _PLAIN)
        data = buffer.getvalue()
        expect: Expect = "either"  # zip is not a compression rowsift reads
        yield FileCase(
            f"zip-{members}-members",
            data,
            ".csv.zip",
            records=None,
            expect=expect,
        )
        if members == 1:
            yield FileCase("zip-truncated", data[: len(data) // 2], ".csv.zip", expect="either")


# -- Excel, Parquet, databases that are not ----------------------------------------------------


def _xlsx(rows: list[list[object]]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


def _sqlite_bytes() -> bytes:
    import pathlib
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "t.sqlite"
        with sqlite3.connect(path) as connection:
            connection.execute("CREATE TABLE t (a, b)")
            connection.executemany(
                "INSERT INTO t VALUES (?, ?)", [(1, "x"), (2.5, None), (b"\x00\xff", "z")]
            )
        connection.close()
        return path.read_bytes()


def _containers() -> Iterator[FileCase]:
    real = _xlsx([["a", "b"], [1, "x"], [2, "=1+1"], [None, "y"]])
    yield FileCase("xlsx-real", real, ".xlsx", records=3)
    yield FileCase("xlsx-header-only", _xlsx([["a", "b"]]), ".xlsx", records=0)
    yield FileCase("xlsx-empty-sheet", _xlsx([]), ".xlsx", records=0, expect="either")
    yield FileCase("xlsx-dup-names", _xlsx([["a", "a", ""], [1, 2, 3]]), ".xlsx", records=1)
    yield FileCase(
        "xlsx-ragged", _xlsx([["a"], [1, 2, 3], [4]]), ".xlsx", records=None, expect="either"
    )
    yield FileCase("xlsx-truncated", real[: len(real) // 2], ".xlsx", expect="refuse")
    yield FileCase("xlsx-is-csv", _PLAIN, ".xlsx", expect="either")
    yield FileCase("xlsx-zero-bytes", b"", ".xlsx", expect="refuse")
    yield FileCase("xlsx-random", random.Random(1).randbytes(4096), ".xlsx", expect="refuse")
    yield FileCase(
        "xls-is-html",
        b"<html><table><tr><td>a</td></tr><tr><td>1</td></tr></table></html>",
        ".xls",
        expect="either",
    )
    yield FileCase(
        "xls-random",
        b"\xd0\xcf\x11\xe0" + random.Random(2).randbytes(2048),
        ".xls",
        expect="refuse",
    )
    yield FileCase("ods-is-text", _PLAIN, ".ods", expect="either")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    yield FileCase("xlsx-zip-not-workbook", buffer.getvalue(), ".xlsx", expect="refuse")
    yield FileCase("parquet-is-text", _PLAIN, ".parquet", expect="refuse")
    yield FileCase("parquet-zero-bytes", b"", ".parquet", expect="refuse")
    yield FileCase("parquet-magic-only", b"PAR1", ".parquet", expect="refuse")
    yield FileCase(
        "parquet-magic-garbage",
        b"PAR1" + random.Random(3).randbytes(512) + b"PAR1",
        ".parquet",
        expect="refuse",
    )
    yield FileCase("sqlite-real", _sqlite_bytes(), ".sqlite", records=3)
    yield FileCase("sqlite-truncated", _sqlite_bytes()[:1000], ".sqlite", expect="either")
    yield FileCase("sqlite-is-text", _PLAIN, ".sqlite", expect="refuse")
    yield FileCase("sqlite-zero-bytes", b"", ".db", expect="either")
    yield FileCase("duckdb-is-text", _PLAIN, ".duckdb", expect="refuse")
    yield FileCase("duckdb-random", random.Random(4).randbytes(8192), ".duckdb", expect="refuse")


# -- JSON of mixed shapes ----------------------------------------------------------------------


def _json() -> Iterator[FileCase]:
    def doc(value: object) -> bytes:
        return json.dumps(value).encode()

    yield FileCase(
        "json-records", doc([{"a": 1, "b": "x"}, {"a": 2, "b": "y"}]), ".json", records=2
    )
    yield FileCase(
        "json-keys-differ", doc([{"a": 1}, {"b": 2}, {"a": 3, "c": [1, 2]}]), ".json", records=3
    )
    yield FileCase(
        "json-array-of-arrays", doc([["a", "b"], [1, 2], [3, 4]]), ".json", expect="either"
    )
    yield FileCase("json-scalar", doc(42), ".json", expect="refuse")
    yield FileCase("json-string", doc("hello"), ".json", expect="refuse")
    yield FileCase("json-null", b"null", ".json", expect="refuse")
    yield FileCase(
        "json-object-of-arrays", doc({"a": [1, 2], "b": [3, 4]}), ".json", expect="either"
    )
    yield FileCase("json-one-object", doc({"a": 1, "b": 2}), ".json", expect="either")
    yield FileCase(
        "json-nested-objects", doc([{"a": {"b": {"c": 1}}}, {"a": {"b": None}}]), ".json", records=2
    )
    yield FileCase("json-mixed-items", doc([{"a": 1}, 5, "x", None, [1]]), ".json", expect="either")
    yield FileCase("json-empty-array", b"[]", ".json", records=0, expect="either")
    yield FileCase("json-empty-object", b"{}", ".json", expect="either")
    yield FileCase("json-invalid", b'[{"a": 1}, {"a": ]', ".json", expect="refuse")
    yield FileCase(
        "json-truncated", doc([{"a": i} for i in range(100)])[:-30], ".json", expect="refuse"
    )
    yield FileCase(
        "json-bom", b"\xef\xbb\xbf" + doc([{"a": 1}]), ".json", records=1, expect="either"
    )
    yield FileCase("json-nan", b'[{"a": NaN}, {"a": Infinity}]', ".json", expect="either")
    yield FileCase(
        "json-huge-int",
        b'[{"a": 123456789012345678901234567890}]',
        ".json",
        records=1,
        expect="either",
    )
    yield FileCase(
        "json-duplicate-keys", b'[{"a": 1, "a": 2}]', ".json", records=1, expect="either"
    )
    yield FileCase("json-deep", b"[" * 5000 + b"]" * 5000, ".json", expect="either")
    yield FileCase(
        "json-deep-object", b'[{"a":' * 3000 + b"1" + b"}]" * 3000, ".json", expect="either"
    )
    yield FileCase(
        "json-type-clash",
        doc([{"a": 1}, {"a": "x"}, {"a": [1]}, {"a": {"b": 1}}]),
        ".json",
        records=4,
        expect="either",
    )
    yield FileCase("json-empty-file", b"", ".json", expect="either")
    yield FileCase(
        "json-utf16", doc([{"a": "é"}]).decode().encode("utf-16"), ".json", expect="either"
    )
    yield FileCase(
        "json-hostile-keys", doc([{"_rowsift_row": 5, "[/]": "=1+1", "": 1}]), ".json", records=1
    )
    yield FileCase("ndjson-ok", b'{"a":1}\n{"a":2}\n', ".ndjson", records=2)
    yield FileCase("ndjson-bad-line", b'{"a":1}\n{"a":\n{"a":3}\n', ".ndjson", expect="either")
    yield FileCase(
        "ndjson-blank-lines", b'{"a":1}\n\n\n{"a":2}\n', ".ndjson", records=2, expect="either"
    )
    yield FileCase("ndjson-arrays", b"[1,2]\n[3,4]\n", ".ndjson", expect="either")
    yield FileCase("ndjson-scalars", b"1\n2\n", ".ndjson", expect="either")
    yield FileCase("ndjson-keys-differ", b'{"a":1}\n{"b":2}\n{"a":3,"b":4}\n', ".ndjson", records=3)
    yield FileCase("ndjson-crlf", b'{"a":1}\r\n{"a":2}\r\n', ".jsonl", records=2)
    yield FileCase("ndjson-no-final-newline", b'{"a":1}\n{"a":2}', ".ndjson", records=2)
    yield FileCase("ndjson-empty", b"", ".ndjson", records=0, expect="either")


# -- binary garbage named as text --------------------------------------------------------------


def _garbage() -> Iterator[FileCase]:
    rng = random.Random(18)
    for size in (1, 16, 512, 8192, 100_000):
        yield FileCase(f"random-{size}", rng.randbytes(size), expect="either")
    yield FileCase("png-named-csv", b"\x89PNG\r\n\x1a\n" + rng.randbytes(256), expect="either")
    yield FileCase("elf-named-csv", b"\x7fELF\x02\x01\x01" + rng.randbytes(256), expect="either")
    yield FileCase("pdf-named-csv", b"%PDF-1.4\n" + rng.randbytes(256), expect="either")
    yield FileCase("sqlite-named-csv", _sqlite_bytes(), expect="either")
    yield FileCase("parquet-named-csv", b"PAR1" + rng.randbytes(64), expect="either")
    yield FileCase("no-extension", _PLAIN, "", expect="either")
    yield FileCase("unknown-extension", _PLAIN, ".weird", expect="either")
    yield FileCase("html-table", b"<table><tr><td>a</td></tr></table>\n", expect="either")
    yield FileCase("xml", b"<?xml version='1.0'?><rows><r a='1'/></rows>\n", expect="either")
    # found by `make fuzz`
    yield FileCase("fuzz-cr-then-latin1-extended", b"\x81\r\xc4\x80", expect="either")
    yield FileCase("fuzz-bom-starts-a-record", b"_,_\n\xef\xbb\xbf,", records=1)


PENDING: dict[str, str] = {}
"""Cases that fail today, with the area whose fix they wait for; they join the suite (by
leaving this table) once that fix lands. They are not run, so the suite stays green."""


def malformed_files() -> list[FileCase]:
    """Every case of the corpus that passes today, in a stable order (see `PENDING`)."""
    cases = [
        *_encodings(),
        *_controls(),
        *_quoting(),
        *_shapes(),
        *_names(),
        *_big(),
        *_compressed(),
        *_containers(),
        *_json(),
        *_garbage(),
    ]
    ids = [case.id for case in cases]
    assert len(ids) == len(set(ids)), "corpus ids must be unique"
    assert set(PENDING) <= set(ids), "every pending case is in the corpus"
    if os.environ.get("ROWSIFT_CORPUS_PENDING"):  # to see whether a pending case passes yet
        return [case for case in cases if case.id in PENDING]
    return [case for case in cases if case.id not in PENDING]
