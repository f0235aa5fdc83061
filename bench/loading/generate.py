"""Polluted CSV files in the manner of the Pollock data-loading benchmark (VLDB 2023), with truth.

Clean tables are made from a seed; each is written as standard CSV and then polluted in one way
(or two), the way real exports are: another delimiter, quote or escape character, row
terminator, encoding; a preamble or footnotes; a group-title row above the header; no header;
rows with a missing or an extra field; empty rows; a second table below the first. The truth of
every file is the clean table (header and records) a perfect loader would return; records that
a pollution damaged stay in the truth as they were before (so a loader that quarantines them is
charged for it in record recall).

    python -m bench.loading.generate --out bench/loading/data --tables 40
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

FIRST = ["Anna", "José", "Li", "Øyvind", "Marie", "O'Brien", "Zoë", "Sam", "Ngozi", "Ana Maria"]
LAST = ["Smith", "García", "Müller", "Dubois", "Kowalski", "Nakamura", "Rossi", "Ivanova"]
CITIES = ["Paris", "New York", "Zürich", "São Paulo", "Köln", "Montréal", "Kraków", "Oslo"]
WORDS = ["good", "late", "paid", "returned", "gift", "urgent", "fragile", "ok", "see note"]
COLUMN_KINDS = ("id", "name", "city", "amount", "date", "flag", "note", "code", "qty", "email")


@dataclass(frozen=True)
class Table:
    """A clean table: a header and records of text."""

    header: list[str]
    records: list[list[str]]


@dataclass
class Case:
    """One polluted file: its bytes, the pollution kinds applied, and the truth."""

    name: str
    kinds: list[str]
    data: bytes
    header: list[str] | None
    records: list[list[str]]
    meta: dict[str, str] = field(default_factory=dict)


def _value(kind: str, rng: random.Random, row: int) -> str:
    if kind == "id":
        return str(1000 + row)
    if kind == "name":
        return f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    if kind == "city":
        return rng.choice(CITIES)
    if kind == "amount":
        return f"{rng.uniform(-50, 5000):.2f}"
    if kind == "date":
        return f"20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if kind == "flag":
        return rng.choice(["true", "false", ""])
    if kind == "note":
        roll = rng.random()
        if roll < 0.15:
            return f"{rng.choice(WORDS)}, {rng.choice(WORDS)}"
        if roll < 0.22:
            return f'said "{rng.choice(WORDS)}"'
        if roll < 0.26:
            return f"{rng.choice(WORDS)}\n{rng.choice(WORDS)}"
        return rng.choice([*WORDS, ""])
    if kind == "code":
        return f"{rng.choice('ABCDEFGH')}{rng.randint(0, 999):03d}"
    if kind == "qty":
        return str(rng.randint(0, 40))
    first = rng.choice(FIRST).lower().replace("'", "").replace(" ", "")
    return f"{first}{rng.randint(1, 99)}@example.org"


def make_table(rng: random.Random) -> Table:
    """A clean table of 3 to 10 columns and 20 to 150 rows."""
    kinds = ["id", *rng.sample(COLUMN_KINDS[1:], rng.randint(2, 9))]
    header = [kind if kind != "id" else "record_id" for kind in kinds]
    rows = rng.randint(20, 150)
    return Table(header, [[_value(k, rng, r) for k in kinds] for r in range(rows)])


def write(
    header: list[str] | None,
    records: list[list[str]],
    *,
    delimiter: str = ",",
    quote: str = '"',
    escape: str | None = None,
    terminator: str = "\r\n",
    quote_all: bool = False,
) -> str:
    """The table as delimited text."""
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=delimiter,
        quotechar=quote,
        escapechar=escape,
        doublequote=escape is None,
        lineterminator=terminator,
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    )
    if header is not None:
        writer.writerow(header)
    writer.writerows(records)
    return buffer.getvalue()


def _record_texts(table: Table) -> list[str]:
    """Each record (the header first) as its own CSV text, without a terminator."""
    rows = [table.header, *table.records]
    return [write(None, [row]).removesuffix("\r\n") for row in rows]


Pollution = Callable[[Table, random.Random], Iterator[tuple[str, str, dict[str, str]]]]


def _delimiter(table: Table, rng: random.Random) -> Iterator[tuple[str, str, dict[str, str]]]:
    for name, delimiter in (("semicolon", ";"), ("tab", "\t"), ("pipe", "|"), ("colon", ":")):
        yield name, write(table.header, table.records, delimiter=delimiter), {"delimiter": name}
    yield "space", write(table.header, table.records, delimiter=" "), {"delimiter": "space"}


def _quote(table: Table, rng: random.Random) -> Iterator[tuple[str, str, dict[str, str]]]:
    yield "single", write(table.header, table.records, quote="'"), {}
    yield "all", write(table.header, table.records, quote_all=True), {}


def _escape(table: Table, rng: random.Random) -> Iterator[tuple[str, str, dict[str, str]]]:
    yield "backslash", write(table.header, table.records, escape="\\"), {}


def _terminator(table: Table, rng: random.Random) -> Iterator[tuple[str, str, dict[str, str]]]:
    yield "lf", write(table.header, table.records, terminator="\n"), {}
    # written with CRLF first, so that every field holding a line break is quoted (RFC 4180)
    yield "cr", write(table.header, table.records).replace("\r\n", "\r"), {}
    lines = _record_texts(table)
    mixed = "".join(line + rng.choice(["\n", "\r\n"]) for line in lines)
    yield "mixed", mixed, {}
    yield "no_final", write(table.header, table.records).removesuffix("\r\n"), {}


def _preamble(table: Table, rng: random.Random) -> Iterator[tuple[str, str, dict[str, str]]]:
    body = write(table.header, table.records)
    yield "one", "Sales export\r\n" + body, {}
    yield "three", "Sales export\r\nGenerated on 2024-03-01 by ERP\r\n\r\n" + body, {}
    width = len(table.header)
    padded = "Report: monthly orders" + "," * (width - 1) + "\r\n" + "," * (width - 1) + "\r\n"
    yield "padded", padded + body, {}


def _footnote(table: Table, rng: random.Random) -> Iterator[tuple[str, str, dict[str, str]]]:
    body = write(table.header, table.records)
    yield "one", body + "Source: internal ERP export\r\n", {}
    yield "blank_two", body + "\r\nTotal rows: 123\r\nConfidential\r\n", {}


def _header(table: Table, rng: random.Random) -> Iterator[tuple[str, str, dict[str, str]]]:
    yield "none", write(None, table.records), {"no_header": "1"}
    width = len(table.header)
    group = ["Customer"] + [""] * (width // 2 - 1) + ["Order"] + [""] * (width - width // 2 - 1)
    yield "group_row", write(None, [group]) + write(table.header, table.records), {}


def _ragged(table: Table, rng: random.Random) -> Iterator[tuple[str, str, dict[str, str]]]:
    picks = sorted(rng.sample(range(len(table.records)), 2))
    fewer = [row[:-1] if i in picks else row for i, row in enumerate(table.records)]
    yield "missing_field", write(table.header, fewer), {}
    more = [[*row, "extra"] if i in picks else row for i, row in enumerate(table.records)]
    yield "extra_field", write(table.header, more), {}


def _empty_rows(table: Table, rng: random.Random) -> Iterator[tuple[str, str, dict[str, str]]]:
    lines = _record_texts(table)
    width = len(table.header)
    for name, blank in (("blank", ""), ("delimiters", "," * (width - 1))):
        out = []
        for line in lines:
            out.append(line)
            if rng.random() < 0.1:
                out.append(blank)
        yield name, "\n".join(out) + "\n", {}


def _encoding(table: Table, rng: random.Random) -> Iterator[tuple[str, str, dict[str, str]]]:
    text = write(table.header, table.records)
    for name in ("cp1252", "utf-16", "utf-8-sig", "latin-1"):
        yield name, text, {"encoding": name}


def _tables(table: Table, rng: random.Random) -> Iterator[tuple[str, str, dict[str, str]]]:
    other = write(["year", "total"], [["2023", "10"], ["2024", "12"]])
    yield "second_below", write(table.header, table.records) + "\r\n" + other, {}


def _combined(table: Table, rng: random.Random) -> Iterator[tuple[str, str, dict[str, str]]]:
    body = write(table.header, table.records, delimiter=";", terminator="\r\n")
    text = "Export;;\r\nDate: 2024-03-01\r\n" + body + "Total;\r\n"
    yield "semicolon_preamble_footnote_cp1252", text, {"encoding": "cp1252"}
    lines = _record_texts(table)
    tabbed = [line.replace(",", "\t") if '"' not in line else None for line in lines]
    kept = [line for line in tabbed if line is not None]
    yield "tab_blank_rows_lf", "\n\n".join(kept) + "\n", {"drop_quoted": "1"}
    yield (
        "pipe_single_quote_cr",
        write(table.header, table.records, delimiter="|", quote="'").replace("\r\n", "\r"),
        {},
    )


POLLUTIONS: dict[str, Pollution] = {
    "delimiter": _delimiter,
    "quote": _quote,
    "escape": _escape,
    "terminator": _terminator,
    "preamble": _preamble,
    "footnote": _footnote,
    "header": _header,
    "ragged": _ragged,
    "empty_rows": _empty_rows,
    "encoding": _encoding,
    "tables": _tables,
    "combined": _combined,
}


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


def cases(tables: int, seed: int = 2023) -> Iterator[Case]:
    """Every polluted file of `tables` clean tables, in a fixed order."""
    rng = random.Random(seed)
    for number in range(tables):
        table = make_table(rng)
        # latin-1 and cp1252 cannot hold every name: the truth is what the bytes can say
        for kind, pollute in POLLUTIONS.items():
            for variant, text, meta in pollute(table, rng):
                encoding = meta.get("encoding", "utf-8")
                truth = _round_trip(table, encoding)
                if meta.get("drop_quoted"):
                    truth = Table(truth.header, [r for r in truth.records if _unquoted(r)])
                yield Case(
                    name=f"t{number:03d}_{kind}_{variant}",
                    kinds=[f"{kind}.{variant}"],
                    data=_encode(text, encoding),
                    header=None if meta.get("no_header") else truth.header,
                    records=truth.records,
                    meta=meta,
                )


def _unquoted(record: list[str]) -> bool:
    return not any(c in value for value in record for c in ',"\n\r')


def _round_trip(table: Table, encoding: str) -> Table:
    def fix(value: str) -> str:
        return value.encode(encoding, errors="replace").decode(encoding)

    return Table([fix(v) for v in table.header], [[fix(v) for v in r] for r in table.records])


def write_cases(out: Path, tables: int, seed: int = 2023) -> int:
    """Write every case's file and its truth (``NAME.truth.json``) into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for case in cases(tables, seed):
        (out / f"{case.name}.csv").write_bytes(case.data)
        truth = {"kinds": case.kinds, "header": case.header, "records": case.records}
        (out / f"{case.name}.truth.json").write_text(json.dumps(truth, ensure_ascii=False))
        count += 1
    return count


def main() -> None:
    """Command line: write the polluted files and their truths."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("bench/loading/data"))
    parser.add_argument("--tables", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args()
    print(f"wrote {write_cases(args.out, args.tables, args.seed)} files to {args.out}")


if __name__ == "__main__":
    main()
