"""Polluted CSV files after the Pollock data-loading benchmark (VLDB 2023), with their truth.

Pollock (Vitagliano et al., "Pollock: A Data Loading Benchmark", VLDB 2023) pollutes one clean
file in 2,289 ways found in real files (a survey of 3,712 open-data CSV files), at three
levels:

- **file**: no trailing line break or two of them, no header, a header over 2 or 3 rows, a
  preamble, a second table below, header only, one data row, CR or LF line ends, another field
  delimiter (tab, semicolon, space, comma-space), single quotes, backslash escapes, an empty
  file;
- **row**: one record (the header included, row 0) with a field delimiter too few (two fields
  run together), one too many, or a stray quote at the start of a field, at every row and
  every column;

and weighs every file by how often its pollution was met in the survey (`score.WEIGHTS`).

Here the clean tables are made from a seed: product tables shaped like Pollock's own (a
`dd/mm/yyyy` date, a time, a quantity, an id, a `$` price, a product name that may hold a
comma or an apostrophe, a long quoted description, a quoted URL, an empty comments column) and
tables of other shapes (names, cities, amounts, dates, e-mails, notes with quotes and line
breaks). Each is written as CSV the way Pollock writes its source (descriptions and URLs always
quoted, other fields only when they must be) and polluted in each of the ways above; row-level
pollutions are applied at the header, the first three records, a middle one and the last, in a
few columns. The truth of a file is the clean table (header and records) a perfect loader would
return; a record a pollution damaged stays in the truth as written, so a loader that
quarantines it is charged for it in record recall.

    python -m bench.loading.generate --out bench/loading/data --tables 20
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
ITEMS = ["Boots", "Jacket", "Socks", "Tent", "Lamp", "Sofa", "Hat", "Vest", "Rods", "Mug"]
ADJECTIVES = ["Waterproof", "Light-Up", "Men's", "Women's", "Kids'", "Organic", "Heated", "Down"]
VERBS = ["keeps you warm", "dries quickly", "packs small", "lasts for years", "fits well"]


@dataclass(frozen=True)
class Table:
    """A clean table: a header and records of text, and the columns always written quoted."""

    header: list[str]
    records: list[list[str]]
    always_quoted: frozenset[int] = frozenset()


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


def make_products(rng: random.Random) -> Table:
    """A product table of Pollock's shape: 9 columns, 60 to 120 rows."""
    header = ["DATE", "TIME", "Qty", "PRODUCTID", "Price", "ProductType"]
    header += ["ProductDescription", "URL", "Comments"]
    records = []
    for row in range(rng.randint(60, 120)):
        code = f"{rng.choice(['MG', 'RI', 'CC', 'BH', 'YY', 'AN'])}-{rng.randint(1000, 9999)}"
        name = f"{rng.choice(ADJECTIVES)} {rng.choice(ITEMS)}"
        if rng.random() < 0.3:
            name += ", " + rng.choice(["Plaid", "Print", "Tall", 'Round 48"', "Two-Pack"])
        sentence = f"This {name.lower()} {rng.choice(VERBS)}, {rng.choice(VERBS)} and more."
        records.append(
            [
                f"{rng.randint(10, 28):02d}/{rng.randint(1, 12):02d}/2018",
                f"{row // 4 % 24:02d}:{row % 4 * 15:02d}",
                str(rng.randint(0, 30)),
                code,
                f"${rng.uniform(0.5, 95):.2f}",
                name,
                sentence,
                f"https://www.example.com/product/{code.replace('-', '_')}.html",
                "" if rng.random() < 0.9 else rng.choice(WORDS),
            ]
        )
    return Table(header, records, always_quoted=frozenset({6, 7}))


def write(
    table: Table | None,
    records: list[list[str]] | None = None,
    *,
    header: list[str] | None = None,
    delimiter: str = ",",
    quote: str = '"',
    escape: str | None = None,
    terminator: str = "\r\n",
    quote_all: bool = False,
    with_header: bool = True,
    as_comma_quoted: bool = False,
) -> str:
    """The table as delimited text; the always-quoted columns are quoted whatever they hold.

    `as_comma_quoted` keeps the quoting the table had as standard CSV, as Pollock does when it
    changes the delimiter or the quote of its source: fields are quoted where a comma or a
    double quote made them so, and the new quote inside them is not doubled.
    """
    names = header if header is not None else (table.header if table else [])
    rows = records if records is not None else (table.records if table else [])
    always = table.always_quoted if table is not None else frozenset()
    style = (delimiter, quote, escape, quote_all, as_comma_quoted)
    lines = [_line(names, always, *style)] if with_header else []
    lines += [_line(row, always, *style) for row in rows]
    return "".join(line + terminator for line in lines)


def _line(
    row: list[str],
    always: frozenset[int],
    delimiter: str = ",",
    quote: str = '"',
    escape: str | None = None,
    quote_all: bool = False,
    as_comma_quoted: bool = False,
) -> str:
    cells = []
    for index, given in enumerate(row):
        forcing = (",", '"') if as_comma_quoted else (delimiter, quote)
        special = any(c in given for c in (*forcing, "\n", "\r")) or (
            escape is not None and escape in given
        )
        if as_comma_quoted:
            value = given.replace('"', '""') if quote == '"' else given
        elif escape is not None:
            value = given.replace(escape, escape * 2).replace(quote, escape + quote)
        else:
            value = given.replace(quote, quote * 2)
        if quote_all or special or index in always:
            value = f"{quote}{value}{quote}"
        cells.append(value)
    return delimiter.join(cells)


def record_texts(table: Table) -> list[str]:
    """Each record (the header first) as its own CSV text, without a terminator."""
    return [_line(row, table.always_quoted) for row in [table.header, *table.records]]


Pollution = Callable[[Table, random.Random], Iterator[tuple[str, str, dict[str, object]]]]
"""A pollution yields (variant, text, meta); meta may hold `header` (the truth's header, None
for none), `records` (the truth's records) and `encoding`."""


def _file_level(table: Table, rng: random.Random) -> Iterator[tuple[str, str, dict[str, object]]]:
    body = write(table, terminator="\n")
    yield "source", body, {}
    yield "no_trailing_newline", body.removesuffix("\n"), {}
    yield "double_trailing_newline", body + "\n", {}
    yield "record_delimiter_lf", body, {}
    yield "record_delimiter_crlf", write(table), {}
    yield "record_delimiter_cr", write(table, terminator="\r"), {}
    yield "no_header", write(table, with_header=False, terminator="\n"), {"header": None}
    yield "header_only", write(table, records=[], terminator="\n"), {"records": []}
    yield "one_data_row", write(table, records=table.records[:1]), {"records": table.records[:1]}
    yield "no_payload", "", {"header": None, "records": []}


def _header_rows(table: Table, rng: random.Random) -> Iterator[tuple[str, str, dict[str, object]]]:
    for rows in (2, 3):
        # the header written over several rows: each name repeated (as Pollock does), or a
        # unit or a group above each name; the truth joins a column's rows with a space
        repeated = [list(table.header)] * rows
        above = [[f"part{r} {name}" for name in table.header] for r in range(1, rows)]
        for variant, header_rows in (("repeated", repeated), ("stacked", [*above, table.header])):
            truth = [" ".join(row[i] for row in header_rows) for i in range(len(table.header))]
            lines = [_line(row, table.always_quoted) for row in header_rows]
            text = "\n".join(lines) + "\n" + write(table, terminator="\n", with_header=False)
            yield f"multirow_{rows}_{variant}", text, {"header": truth}


def _preamble(table: Table, rng: random.Random) -> Iterator[tuple[str, str, dict[str, object]]]:
    body = write(table, terminator="\n")
    width = len(table.header)
    for delimited in (False, True):
        for empty in (False, True):
            line = "PREAMBLE" + ("," * (width - 1) if delimited else "")
            head = (
                "\n".join([line] * 3)
                + "\n"
                + ("," * (width - 1) + "\n" if delimited else "\n") * empty
            )
            name = f"{'' if delimited else 'not_'}delimited{'_empty_row' if empty else ''}"
            yield name, head + body, {}
    yield "title_date", "Sales export\nGenerated on 2024-03-01 by ERP\n\n" + body, {}


def _footnote(table: Table, rng: random.Random) -> Iterator[tuple[str, str, dict[str, object]]]:
    body = write(table, terminator="\n")
    width = len(table.header)
    for delimited in (False, True):
        for empty in (False, True):
            line = "FOOTNOTE" + ("," * (width - 1) if delimited else "")
            tail = "\n" * empty + "\n".join([line] * 3) + "\n"
            name = f"{'' if delimited else 'not_'}delimited{'_empty_row' if empty else ''}"
            yield name, body + tail, {}


def _delimiter(table: Table, rng: random.Random) -> Iterator[tuple[str, str, dict[str, object]]]:
    for name, delimiter in (
        ("semicolon", ";"),
        ("tab", "\t"),
        ("pipe", "|"),
        ("colon", ":"),
        ("space", " "),
        ("comma_space", ", "),
        ("semispace", "; "),
    ):
        text = write(table, delimiter=delimiter, terminator="\n", as_comma_quoted=True)
        yield name, text, {"delimiter": delimiter}


def _quote(table: Table, rng: random.Random) -> Iterator[tuple[str, str, dict[str, object]]]:
    yield "single", write(table, quote="'", terminator="\n", as_comma_quoted=True), {}
    yield "single_doubled", write(table, quote="'", terminator="\n"), {}
    yield "all", write(table, quote_all=True), {}


def _escape(table: Table, rng: random.Random) -> Iterator[tuple[str, str, dict[str, object]]]:
    yield "backslash", write(table, escape="\\", terminator="\n"), {}


def _encoding(table: Table, rng: random.Random) -> Iterator[tuple[str, str, dict[str, object]]]:
    text = write(table)
    for name in ("cp1252", "utf-16", "utf-8-sig", "latin-1"):
        yield name, text, {"encoding": name}


def _tables(table: Table, rng: random.Random) -> Iterator[tuple[str, str, dict[str, object]]]:
    width = len(table.header)
    for name, columns in (("same", width), ("less", max(2, width - 3)), ("more", width + 1)):
        header = [*table.header, *(f"col{i}" for i in range(1, columns - width + 1))][:columns]
        rows = [[*r, *([r[-1]] * (columns - width))][:columns] for r in table.records[:10]]
        other = write(None, rows, header=header, terminator="\n")
        body = write(table, terminator="\n")
        yield f"{name}_separated", body + "\n" + other, {}


def _row_positions(table: Table, rng: random.Random) -> list[tuple[int, int]]:
    """(row, column) places for a row-level pollution: row 0 is the header."""
    last = len(table.records)
    rows = sorted({0, 1, 2, 3, last // 2, last})
    width = len(table.header)
    return [(row, column) for row in rows for column in sorted({0, width // 2, width - 1})]


def _rows(table: Table, rng: random.Random) -> Iterator[tuple[str, str, dict[str, object]]]:
    lines = record_texts(table)
    for row, column in _row_positions(table, rng):
        cells = _split(lines[row])
        # one delimiter too many (an empty field), one too few (two fields run together),
        # a stray quote at the start of a field
        more = [*cells[:column], "", *cells[column:]]
        less = None
        if column + 1 < len(cells):
            less = [*cells[:column], cells[column] + cells[column + 1], *cells[column + 2 :]]
        stray = [*cells[:column], '"' + cells[column], *cells[column + 1 :]]
        for name, changed, truth_cell in (
            ("more_sep", more, None),
            ("less_sep", less, None),
            ("extra_quote", stray, '"'),
        ):
            if changed is None:
                continue
            polluted = [*lines[:row], ",".join(changed), *lines[row + 1 :]]
            meta: dict[str, object] = {}
            if truth_cell is not None:
                # the stray quote is part of the value, as Pollock's truth has it
                values = [table.header, *table.records][row]
                fixed = [*values[:column], truth_cell + values[column], *values[column + 1 :]]
                if row == 0:
                    meta["header"] = fixed
                else:
                    meta["records"] = [*table.records[: row - 1], fixed, *table.records[row:]]
            yield f"{name}_row{row}_col{column}", "\n".join(polluted) + "\n", meta


def _split(line: str) -> list[str]:
    """A written record's fields as written (quotes kept), split where the csv module would."""
    fields: list[str] = []
    current, quoted = "", False
    for char in line:
        if char == '"':
            quoted = not quoted
        if char == "," and not quoted:
            fields.append(current)
            current = ""
        else:
            current += char
    return [*fields, current]


POLLUTIONS: dict[str, Pollution] = {
    "file": _file_level,
    "header": _header_rows,
    "preamble": _preamble,
    "footnote": _footnote,
    "delimiter": _delimiter,
    "quote": _quote,
    "escape": _escape,
    "encoding": _encoding,
    "tables": _tables,
    "row": _rows,
}


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


def clean_tables(tables: int, seed: int = 2023) -> Iterator[Table]:
    """The clean tables: product tables of Pollock's shape and tables of other shapes, alike
    in number."""
    rng = random.Random(seed)
    for number in range(tables):
        yield make_products(rng) if number % 2 == 0 else make_table(rng)


def cases(tables: int, seed: int = 2023, *, base: list[Table] | None = None) -> Iterator[Case]:
    """Every polluted file of `tables` clean tables (or of the `base` tables), in a fixed order."""
    rng = random.Random(seed + 1)
    for number, table in enumerate(base if base is not None else clean_tables(tables, seed)):
        for kind, pollute in POLLUTIONS.items():
            for variant, text, meta in pollute(table, rng):
                encoding = str(meta.get("encoding", "utf-8"))
                truth = _round_trip(table, encoding)
                header = meta.get("header", truth.header)
                records = meta.get("records", truth.records)
                yield Case(
                    name=f"t{number:03d}_{kind}_{variant}",
                    kinds=[f"{kind}.{variant}"],
                    data=_encode(text, encoding),
                    header=list(header) if isinstance(header, list) else None,
                    records=[list(r) for r in records] if isinstance(records, list) else [],
                    meta={k: str(v) for k, v in meta.items() if k in ("encoding", "delimiter")},
                )


def _round_trip(table: Table, encoding: str) -> Table:
    """The table as the bytes in this encoding can say it (latin-1 cannot hold every name)."""

    def fix(value: str) -> str:
        return value.encode(encoding, errors="replace").decode(encoding)

    return Table([fix(v) for v in table.header], [[fix(v) for v in r] for r in table.records])


def read_csv_table(path: Path, *, limit: int = 300) -> Table:
    """A real table (UTF-8 CSV with a header) as a clean table, its first `limit` records."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(io.StringIO(handle.read())))
    width = len(rows[0])
    records = [row for row in rows[1 : limit + 1] if len(row) == width]
    return Table(rows[0], records)


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
    parser.add_argument("--tables", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args()
    print(f"wrote {write_cases(args.out, args.tables, args.seed)} files to {args.out}")


if __name__ == "__main__":
    main()
