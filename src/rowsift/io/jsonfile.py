"""Reading JSON arrays and NDJSON: nested objects flattened to dotted names, values as text.

Numbers keep the digits they were written with (``9007199254740993`` is not rounded through a
float); ``true``/``false`` stay as written; arrays become their JSON text. A line of NDJSON that
is not a JSON object is a parse failure with its raw text, never dropped.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

from rowsift.exceptions import InputError
from rowsift.io.compressed import detect_compression, open_binary
from rowsift.io.records import Record, record_batches, scan_batches, schema_of
from rowsift.io.sniff import make_unique
from rowsift.recipe.model import SourceSpec


class _Number(str):
    """A JSON number kept as the text it was written as."""

    __slots__ = ()


def _loads(text: str) -> Any:
    return json.loads(text, parse_int=_Number, parse_float=_Number, parse_constant=_Number)


def _dump(value: Any) -> str:
    if isinstance(value, _Number):
        return str(value)
    if isinstance(value, list):
        return "[" + ",".join(_dump(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k)}:{_dump(v)}" for k, v in value.items()) + "}"
    return json.dumps(value, ensure_ascii=False)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return str(value)
    return _dump(value)


def flatten(value: dict[str, Any], prefix: str = "") -> dict[tuple[str, int], str | None]:
    """A nested object as one level of dotted names, values as text. Each name is keyed with
    how many times it came before in the object (a literal ``"a.b"`` key beside ``a``'s ``b``
    is a second ``a.b``, not the same one).

    >>> flatten(_loads('{"a": {"b": 1, "c": [1, 2]}, "d": null, "e": true}'))
    {('a.b', 0): '1', ('a.c', 0): '[1,2]', ('d', 0): None, ('e', 0): 'true'}
    >>> flatten(_loads('{"a.b": "x", "a": {"b": "y"}}'))
    {('a.b', 0): 'x', ('a.b', 1): 'y'}
    """
    flat: dict[tuple[str, int], str | None] = {}
    seen: Counter[str] = Counter()
    for name, item in _dotted(value, prefix):
        flat[name, seen[name]] = item
        seen[name] += 1
    return flat


def _dotted(value: dict[str, Any], prefix: str) -> Iterator[tuple[str, str | None]]:
    for key, item in value.items():
        name = f"{prefix}{key}"
        if isinstance(item, dict) and item:
            yield from _dotted(item, f"{name}.")
        else:
            yield name, _text(item)


def _objects(
    path: Path, *, lines: bool, table: str | None = None
) -> Iterator[tuple[int, Any, str, str | None]]:
    """(line, parsed value or None, raw text, error) of each record."""
    compression = detect_compression(path)
    with open_binary(path, compression) as handle:
        if lines:
            for number, raw_line in enumerate(handle, start=1):
                # a byte order mark opens the file, not its first record
                codec = "utf-8-sig" if number == 1 else "utf-8"
                text = raw_line.decode(codec, errors="surrogateescape").rstrip("\r\n")
                if not text.strip():
                    continue
                try:
                    yield number, _loads(text), text, None
                except ValueError as exc:
                    yield number, None, text, f"not valid JSON: {exc}"
            return
        try:
            document = _loads(handle.read().decode("utf-8-sig"))
        except ValueError as exc:
            raise InputError(
                f"not valid JSON: {exc}",
                file=str(path),
                hint="a JSON source is an array of objects; for one object per line use .ndjson",
            ) from None
    if table is not None:
        document = _named_array(document, table, path)
    elif isinstance(document, dict):
        document = _keyed_records(document, path)
    if not isinstance(document, list):
        raise InputError("the JSON document is not an array", file=str(path), hint="")
    for item in document:
        yield 0, item, "", None


def _named_array(document: Any, table: str, path: Path) -> Any:
    """The array under the key `table` of an object (``source.table``)."""
    arrays = _array_keys(document)
    if table not in arrays:
        raise InputError(
            f"the JSON document holds no array named {table!r}",
            file=str(path),
            hint=f"set source.table (--table) to one of {arrays}"
            if arrays
            else "it holds no array under a key: leave source.table out",
        )
    return document[table]


def _array_keys(document: Any) -> list[str]:
    """The keys of an object whose values are arrays."""
    if not isinstance(document, dict):
        return []
    return [name for name, value in document.items() if isinstance(value, list)]


def _keyed_records(document: dict[str, Any], path: Path) -> Any:
    """The records of a JSON object: its one array; or, when every value is an array of plain
    values and all are as long (columns, as R's ``jsonlite`` writes ``dataframe = "columns"``),
    one record per position; or, when every value is an object (records
    keyed by name, as pandas' ``orient="index"`` writes them) or none is (a mapping of names
    to values), one record per key, the key first under ``key`` (``key_2``… when the records
    have a ``key`` of their own) and a value that is not an object under ``value``. Objects
    that all hold the same row labels, all of them whole numbers (pandas' default
    ``orient="columns"``: column → row label → value), are columns: one record per label."""
    arrays = [document[name] for name in _array_keys(document)]
    if len(arrays) == 1:
        return arrays[0]
    if _columns_of_values(document):
        length = len(arrays[0])
        return [{name: column[i] for name, column in document.items()} for i in range(length)]
    if _columns_by_index(document):  # pandas' default ``orient="columns"``: one record per label
        document = _transposed(document)
    objects = sum(isinstance(value, dict) for value in document.values())
    if document and not arrays and objects in (0, len(document)):
        taken = {name for value in document.values() if isinstance(value, dict) for name in value}
        key = next(
            name for name in ("key", *(f"key_{i}" for i in range(2, 10_000))) if name not in taken
        )
        return [
            {key: name, **value} if isinstance(value, dict) else {key: name, "value": value}
            for name, value in document.items()
        ]
    found = _array_keys(document)
    raise InputError(
        "the JSON document is an object, not an array of records",
        file=str(path),
        hint=f"it holds {len(found)} arrays: set source.table (--table) to the key of the one to "
        f"read ({', '.join(repr(name) for name in found[:10])}{', …' if len(found) > 10 else ''})"
        if len(found) > 1
        else "give an array of objects, an object with exactly one array in it, an object of "
        "arrays as long as each other (columns), or an object whose values are all objects "
        "(records by key) or all plain values",
    )


def _columns_of_values(document: dict[str, Any]) -> bool:
    """Whether every value of `document` is an array of plain values (no object or array in
    it), at least two of them, all as long."""
    columns = list(document.values())
    return (
        len(columns) >= 2
        and all(isinstance(column, list) for column in columns)
        and len({len(column) for column in columns}) == 1
        and not any(isinstance(item, dict | list) for column in columns for item in column)
    )


def _columns_by_index(document: dict[str, Any]) -> bool:
    """Whether every value of `document` is an object of the same keys, all of them whole
    numbers (row labels), while the document's own keys are not all whole numbers."""
    inner = [value for value in document.values() if isinstance(value, dict)]
    if not document or len(inner) != len(document):
        return False
    labels = list(inner[0])
    return (
        bool(labels)
        and all(label.isdigit() for label in labels)
        and all(list(value) == labels for value in inner[1:])
        and not all(name.isdigit() for name in document)
    )


def _transposed(document: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Column → label → value as label → column → value."""
    labels = list(next(iter(document.values())))
    return {label: {name: column[label] for name, column in document.items()} for label in labels}


def _kind(value: Any) -> str:
    if isinstance(value, _Number):
        return "a number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    return "null" if value is None else f"{value!r}".lower()


def _keys(path: Path, *, lines: bool, table: str | None) -> list[tuple[str, int]]:
    """Every keyed dotted name in the file (`flatten`), in order of first appearance (one pass,
    names only)."""
    seen: dict[tuple[str, int], None] = {}
    for _, value, _, _ in _objects(path, lines=lines, table=table):
        if isinstance(value, dict):
            for key in flatten(value):
                seen.setdefault(key)
    return list(seen)


def _records(
    path: Path, keys: list[tuple[str, int]], *, lines: bool, table: str | None
) -> Iterator[Record]:
    for line, value, raw, found in _objects(path, lines=lines, table=table):
        error = found
        if error is None and not isinstance(value, dict):
            error = f"expected a JSON object, got {_kind(value)}"
        if error is not None:
            yield Record(line, [], raw or _dump(value), error)
            continue
        flat = flatten(value)
        yield Record(line, [flat.get(key) for key in keys], "", None)


def scan_json(path: Path, source: SourceSpec, *, lines: bool) -> pl.LazyFrame:
    """A lazy table of a JSON array (`lines` false; in an object holding several, the one
    under `source.table`) or an NDJSON file."""
    table = None if lines else source.table
    keys = _keys(path, lines=lines, table=table)
    # names that differ only in case, or a dotted name written twice, are made unique
    names = make_unique([name for name, _ in keys])

    def make(size: int) -> Iterator[pl.DataFrame]:
        records = _records(path, keys, lines=lines, table=table)
        return record_batches(records, names, lines=lines, size=size)

    return scan_batches(make, schema_of(names, lines=lines), name="rowsift json")
