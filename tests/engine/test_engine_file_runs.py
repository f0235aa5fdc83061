"""File runs on the query engines (`run_file(engine=...)`), and group sizes on Dask."""

from __future__ import annotations

import csv
import random
import tempfile
import threading
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import dask.dataframe as dd
import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from tests.conftest import Engine, examples, records
from tests.engine.test_invariants import cases, load

import rowsift
from rowsift.demo import orders_recipe_path
from rowsift.demo.generate import generate_orders
from rowsift.engine import build, compile_recipe
from rowsift.io import OutputFormat, to_table
from rowsift.io.engine_files import EngineName

GROUP_RECIPE = """\
version: 1
columns:
  k: {rules: [{unique: {blame: all}}]}
  city: {rules: [{determined_by: {columns: [zip], min_support: 3}}]}
  zip: {}
  x: {type: float}
rows:
  - duplicate: {columns: [k, x], keep: last}
  - duplicate: {columns: [zip, x], keep: none}
"""


def group_table(rows: int, seed: int) -> dict[str, list[str | None]]:
    """Few distinct values, so groups are large; nulls and NaN in every key column."""
    rng = random.Random(seed)

    def pick(values: tuple[str | None, ...]) -> list[str | None]:
        return [rng.choice(values) for _ in range(rows)]

    return {
        "k": pick(("a", "b", "c", None, *(f"k{n}" for n in range(40)))),
        "city": pick(("Oslo", "Bergen", "Oslo", None)),
        "zip": pick(("0150", "5003", None)),
        "x": pick(("1", "1.0", "nan", "NaN", "-0", "0", None, "x")),
    }


def reasons_by_row(frame: Any) -> dict[int, list[str]]:
    return {row["_rowsift_row"]: list(row["_rowsift_reasons"]) for row in records(frame)}


@pytest.mark.dask
def test_group_sizes_on_dask_agree_with_polars() -> None:
    """Shuffled partitions, null and NaN keys: unique blame all, keep last and none, and
    determined_by give Polars' answer."""
    recipe = rowsift.load_recipe_text(GROUP_RECIPE)
    table = group_table(rows=600, seed=7)
    arrow = pa.table({name: pa.array(values, type=pa.string()) for name, values in table.items()})
    frame = dd.from_pandas(arrow.to_pandas(types_mapper=pd.ArrowDtype), npartitions=5)
    on_dask = rowsift.run(recipe, frame)
    on_polars = rowsift.run(recipe, Engine("polars-eager").frame(table))
    expected = reasons_by_row(on_polars.quarantine)
    assert {reason for reasons in expected.values() for reason in reasons} >= {
        "k.unique",
        "city.determined_by",
        "row.duplicate",
        "row.duplicate_2",
    }
    assert isinstance(on_dask.quarantine, dd.DataFrame)
    assert reasons_by_row(on_dask.quarantine) == expected
    assert on_dask.summary.failures == on_polars.summary.failures


def read_output(path: Path, fmt: str) -> pl.DataFrame:
    """An output file, or a folder of parts, as written (CSV as text)."""
    if fmt == "parquet":
        return pl.read_parquet(path)
    return pl.read_csv(path / "*.csv" if path.is_dir() else path, infer_schema=False)


VARIED_RECIPE = r"""
version: 1
source: {null_tokens: ["", "null"], delimiter: ";"}
columns:
  id: {transforms: [strip, upper], rules: [not_null, {matches: '^K\d{3}$'}, unique]}
  name:
    transforms: [strip, collapse_spaces, lower]
    rules: [{length: {min: 2, max: 10}}, {in_set: [zoë, ana maría, élodie, "o'brien", x]}]
  n: {type: int, rules: [{between: {min: 0, max: 100, include_max: false}}]}
  f: {type: float, rules: [{between: {min: -1, max: 30}}]}
  flag: {type: bool, transforms: [strip]}
  d: {type: date, rules: [not_null]}
  ts: {type: datetime}
  money: {type: decimal, scale: 2, rules: [{between: {min: 0}}]}
  grp: {transforms: [{map: {A: a}}], rules: [{in_set: [a, b]}]}
  city: {transforms: [lower], rules: [{determined_by: {columns: [zip], min_support: 3}}]}
  zip: {rules: [{matches: '^\d{4}$'}]}
rows:
  - duplicate: {columns: [grp, city, zip, flag], keep: last}
  - unique: {columns: [n, grp], ignore_if_null: all}
"""


def varied_table(rows: int, seed: int) -> str:
    """Every type, quoting, Unicode, spaces, empty fields and values that fail their casts,
    as a semicolon-delimited file."""
    rng = random.Random(seed)
    values = {
        "id": lambda i: rng.choice([f"K{i:03d}", f"k{i:03d} ", f"K{rng.randrange(rows):03d}", ""]),
        "name": lambda i: rng.choice(
            ["Zoë", "  ana  maría ", "ÉLODIE", "O'Brien", '"say ""hi"""', '"a;b"', "", "null"]
        ),
        "n": lambda i: rng.choice([str(rng.randint(-5, 200)), "007", "1.0", " 3", "x", ""]),
        "f": lambda i: rng.choice([f"{rng.gauss(10, 5):.3f}", "nan", "inf", "-0", "1e3", ""]),
        "flag": lambda i: rng.choice(["true", "F", "yes", "0", "maybe", "", " Y "]),
        "d": lambda i: rng.choice(["2024-02-29", "2023-02-29", "2024-1-05", "", "31/12/2024"]),
        "ts": lambda i: rng.choice(["2024-03-10T02:30:00", "2024-03-10 02:30:00", "", "x"]),
        "money": lambda i: rng.choice(["12.50", "0.001", "-3", "1e2", "99999999.99", ""]),
        "grp": lambda i: rng.choice(["a", "b", "c", "", "A"]),
        "city": lambda i: rng.choice(["Oslo", "Bergen", "oslo", ""]),
        "zip": lambda i: rng.choice(["0150", "5003", ""]),
    }
    lines = [";".join(values)]
    lines += [";".join(make(i) for make in values.values()) for i in range(rows)]
    return "\n".join(lines) + "\n"


def messy(text: str) -> str:
    """The file with a ragged record, a short one and a broken quote: not plain any more."""
    lines = text.splitlines()
    lines[10] += ",extra"
    lines[20] = lines[20].split(",")[0]
    lines[30] = '"broken,' + lines[30]
    return "\n".join(lines) + "\n"


SPACED = """\
faa name lat alt
04G Lansdowne 41.13 1044
06A Moton Field Municipal Airport 32.46 264
06C Schaumburg 41.98 801
06N Randall 41.43 523
09J Jekyll Island Airport 31.07 11
0A9 Elizabethton 36.37 1593
0G6 Williams County Airport 41.46 730
0G7 Finger Lakes Regional Airport 42.88 492
0P2 Shoestring 39.79 1000
0S9 Jefferson County Intl 48.05 108
0G9 Two  Spaces 40.01 7
"""
"""Space-delimited, names unquoted: records of too many fields joined back (``row.joined``),
one with an empty field (two spaces) a parse failure."""


def aligned_table(rows: int) -> str:
    """A table aligned with spaces and tabs (as R writes one), a row short of a value and a
    note under it."""
    lines = ["   YR   MON    NINO3    ANOM"]
    for i in range(rows):
        year, month = 1950 + i // 12, i % 12 + 1
        lines.append(f"{year:5d}{month:6d}   {23 + i % 5 * 0.37:6.2f}\t{-1.4 + i % 7 * 0.3:7.2f}")
    lines[7] = "1950     7   23.74"
    return "\n".join([*lines, "", "Note:  the data are preliminary after 1952."]) + "\n"


ALIGNED_RECIPE = """version: 1
source: {delimiter: whitespace}
columns:
  YR: {type: int}
  MON: {type: int, rules: [{between: {min: 1, max: 12}}]}
  NINO3: {type: float}
  ANOM: {type: float}
"""


def file_inputs(folder: Path) -> dict[str, tuple[Path, Path]]:
    """Input files of every kind the engines read differently, each with its recipe."""
    orders = generate_orders(rows=900, seed=5)
    recipe = folder / "varied.yaml"
    recipe.write_text(VARIED_RECIPE)
    files = {
        "plain": (folder / "orders.csv", orders),
        "messy": (folder / "messy.csv", messy(orders)),
        "varied": (folder / "varied.csv", varied_table(600, seed=11)),
    }
    inputs = {}
    for name, (path, text) in files.items():
        path.write_text(text)
        inputs[name] = (path, recipe if name == "varied" else orders_recipe_path())
    preamble = folder / "preamble.csv"  # plain below two lines of notes
    preamble.write_text("exported 2026-11-26\nby system X\n" + orders)
    after_notes = folder / "orders-after-notes.yaml"
    after_notes.write_text(
        orders_recipe_path().read_text().replace("  header_row: 0\n", "  header_row: 2\n")
    )
    inputs["preamble"] = (preamble, after_notes)
    parquet = folder / "orders.parquet"
    pl.read_csv(folder / "orders.csv", infer_schema=False).write_parquet(parquet)
    loose = folder / "orders-any-format.yaml"  # the demo recipe pins the CSV format
    loose.write_text(orders_recipe_path().read_text().replace("  format: csv\n", ""))
    inputs["parquet"] = (parquet, loose)
    arrow = folder / "orders.feather"
    pl.read_csv(folder / "orders.csv", infer_schema=False).write_ipc(arrow, compression="zstd")
    inputs["arrow"] = (arrow, loose)
    stata = folder / "orders.dta"  # Stata has no missing text: blanks are empty strings
    pl.read_csv(folder / "orders.csv", infer_schema=False).to_pandas().to_stata(
        stata, write_index=False
    )
    inputs["stata"] = (stata, loose)
    spaced = folder / "airports.txt"
    spaced.write_text(SPACED)
    spaced_recipe = folder / "airports.yaml"
    spaced_recipe.write_text(
        "version: 1\nsource: {detect: true}\ncolumns:\n  name: {}\n  alt: {type: int}\n"
    )
    inputs["spaced"] = (spaced, spaced_recipe)
    aligned = folder / "nino.dat"
    aligned.write_text(aligned_table(40))
    aligned_recipe = folder / "nino.yaml"
    aligned_recipe.write_text(ALIGNED_RECIPE)
    inputs["aligned"] = (aligned, aligned_recipe)
    formulas = folder / "excel-text.csv"  # ="00123": spreadsheets' text formulas, plain text
    formulas.write_text(
        "id,zip,amount\n"
        + "".join(f'="{i:0{4 + (i % 7 > 0)}d}",="0213{i % 10}",{i}.5\n' for i in range(300))
    )
    formulas_recipe = folder / "excel-text.yaml"
    formulas_recipe.write_text(
        "version: 1\ncolumns:\n  id: {rules: [{matches: {pattern: '^=\"[0-9]{5}\"$'}}]}\n"
        "  zip: {}\n  amount: {type: float}\n"
    )
    inputs["formulas"] = (formulas, formulas_recipe)
    pipes = folder / "pipes.csv"  # a quote inside a field that is not quoted is text, flagged
    pipes.write_text(
        "id,item,price\n"
        + "".join(
            f'{i},{i % 9 + 1}" pipe,{i}.25\n' if i % 3 == 0 else f'{i},"elbow, {i}",{i}.25\n'
            for i in range(60)
        )
    )
    pipes_recipe = folder / "pipes.yaml"
    pipes_recipe.write_text(
        "version: 1\ncolumns:\n  id: {type: int}\n  item: {}\n"
        "  price: {type: float, rules: [{between: {min: 0, max: 40}}]}\n"
    )
    inputs["pipes"] = (pipes, pipes_recipe)
    return inputs


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
@pytest.mark.parametrize("engine", ["pandas", "duckdb", "dask", "spark"])
def test_file_runs_write_what_polars_writes(
    engine: EngineName, fmt: OutputFormat, tmp_path: Path
) -> None:
    """Plain and messy CSV, a semicolon file of every type, notes above the header, Parquet,
    Arrow IPC (Feather), Stata, space-delimited text whose names hold the delimiter (joined back),
    a table aligned with spaces and tabs, spreadsheets' text formulas (``="00123"``) and quotes
    inside fields that are not quoted (``5" pipe``): the
    other engine's outputs, read back, have the same columns, types and values, row for row,
    as Polars'."""
    for kind, (data, recipe) in file_inputs(tmp_path).items():
        written = {}
        for name in ("polars", engine):
            out = tmp_path / kind / name
            summary = rowsift.run_file(recipe, data, out, engine=name, output_format=fmt)
            outputs = [read_output(out / f"{part}.{fmt}", fmt) for part in ("clean", "quarantine")]
            written[name] = (
                summary.to_dict(),
                *(f.sort(pl.col("_rowsift_row").cast(pl.Int64)) for f in outputs),
            )
        (base, *base_outputs), (other, *other_outputs) = written.values()
        assert other["engine"] == engine
        for key in ("rows_in", "rows_clean", "rows_quarantined", "failures", "status"):
            assert other[key] == base[key], (kind, key)
        for expected, got in zip(base_outputs, other_outputs, strict=True):
            assert got.columns == expected.columns, kind
            assert got.schema == expected.schema, kind
            assert got.equals(expected), kind
        assert base["rows_quarantined"] > 0, kind
        if kind == "messy":
            quarantine = base_outputs[1]
            assert quarantine["_rowsift_raw"].null_count() < quarantine.height
        if kind == "spaced":
            assert base["failures"] == {"row.parse": 1, "row.joined": 5}
            assert "Finger Lakes Regional Airport" in base_outputs[0]["name"].to_list()
        if kind == "aligned":
            assert (base["rows_clean"], base["failures"]) == (39, {"row.parse": 2})
        if kind == "pipes":
            assert base["failures"] == {"row.joined": 20, "price.between": 20}
            assert base_outputs[0]["item"][0] == '1" pipe'
        if kind == "formulas":
            assert base["failures"] == {"id.matches": 43}
            assert base_outputs[0]["id"][0] == '="00001"' or fmt == "csv"


def held_tables() -> int:
    query = "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '__rs_held_%'"
    return int(duckdb.sql(query).fetchall()[0][0])


def test_duckdb_holds_the_judged_rows_once_and_drops_them() -> None:
    recipe = rowsift.load_recipe_text(GROUP_RECIPE)
    arrow = pa.table({k: pa.array(v, type=pa.string()) for k, v in group_table(50, 1).items()})
    table, _kind = to_table(duckdb.from_arrow(arrow))
    before = held_tables()
    with ExitStack() as hold:
        outputs = build(compile_recipe(recipe), table, hold=hold)
        assert held_tables() == before + 1
        counted = outputs.totals.collect().rows(named=True)[0]
        assert counted["rows_in"] == 50
    assert held_tables() == before


@pytest.mark.parametrize("engine", ["duckdb", "dask"])
def test_a_run_killed_while_writing_parts_does_not_stop_the_next(
    engine: EngineName, tmp_path: Path
) -> None:
    """A killed run leaves a hidden staging file or folder; the next run clears it."""
    data = tmp_path / "orders.csv"
    data.write_text(generate_orders(rows=200, seed=3))
    out = tmp_path / "out"
    leftovers = [
        out / ".clean.parquet.x1.partial" / "parts",
        out / ".quarantine.parquet.x2.partial",
    ]
    leftovers[0].mkdir(parents=True)
    (leftovers[0] / "part.0.parquet").write_bytes(b"half")
    leftovers[1].write_bytes(b"half")
    summary = rowsift.run_file(orders_recipe_path(), data, out, engine=engine)
    assert summary.rows_in == 200
    assert sorted(path.name for path in out.iterdir()) == [
        "clean.parquet",
        "details.json",
        "quarantine.parquet",
        "summary.json",
    ]


@pytest.mark.spark
@pytest.mark.dask
def test_engines_take_turns_writing_into_one_folder(tmp_path: Path) -> None:
    """A folder of parts replaces a file of an earlier run, and a file replaces a folder."""
    data = tmp_path / "orders.csv"
    data.write_text(generate_orders(rows=300, seed=4))
    out = tmp_path / "out"
    counts = {}
    for engine in ("pandas", "dask", "polars", "spark", "duckdb"):
        summary = rowsift.run_file(orders_recipe_path(), data, out, engine=engine)
        clean = out / "clean.parquet"
        assert clean.is_dir() == (engine in ("dask", "spark"))
        counts[engine] = (pl.read_parquet(clean).height, summary.rows_clean)
        assert sorted(path.name for path in out.iterdir()) == [
            "clean.parquet",
            "details.json",
            "quarantine.parquet",
            "summary.json",
        ]
    assert len(set(counts.values())) == 1


@pytest.mark.dask
def test_dask_results_can_be_written_with_dasks_own_writers(tmp_path: Path) -> None:
    """`to_csv` and `to_parquet` optimise the frame first; on rowsift's plan dask's fusion pass
    once ran for ever, so the results are handed back detached from the plan."""
    text = generate_orders(rows=400, seed=2)
    frame = pl.read_csv(text.encode(), infer_schema=False).to_pandas(types_mapper=pd.ArrowDtype)
    result = rowsift.run(orders_recipe_path(), dd.from_pandas(frame, npartitions=3))
    written: list[str] = []

    def write() -> None:
        result.clean.to_csv(str(tmp_path / "clean-*.csv"), index=False)
        result.quarantine.to_parquet(str(tmp_path / "quarantine"), write_index=False)
        written.append("both")

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    writer.join(timeout=120)
    assert written == ["both"]
    clean = pl.read_csv(tmp_path / "clean-*.csv", infer_schema=False)
    quarantine = pl.read_parquet(tmp_path / "quarantine")
    assert clean.height == result.summary.rows_clean > 0
    assert quarantine.height == result.summary.rows_quarantined > 0
    assert clean.height + quarantine.height == 400


GENERATED_EXAMPLES = {"pandas": 20, "duckdb": 20, "dask": 6, "spark": 4}


@pytest.mark.parametrize("engine", list(GENERATED_EXAMPLES))
def test_generated_files_give_polars_outputs(engine: EngineName, tmp_path: Path) -> None:
    """Generated recipes and tables (the property tests' own), written as CSV files, header-only
    files and fields with line breaks included: every engine writes what Polars writes."""

    @settings(
        max_examples=examples(GENERATED_EXAMPLES[engine]),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(case=cases(agreeing=True))
    def agree(case: tuple[Any, dict[str, list[str | None]]]) -> None:
        recipe, table = case
        data = tmp_path / "generated.csv"
        with data.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(list(table))
            rows = zip(*table.values(), strict=True)
            writer.writerows(["" if value is None else value for value in row] for row in rows)
        outputs = []
        for name in ("polars", engine):
            out = tmp_path / name
            rowsift.run_file(load(recipe), data, out, engine=name)
            outputs.append(
                [
                    pl.read_parquet(out / f"{part}.parquet").sort("_rowsift_row")
                    for part in ("clean", "quarantine")
                ]
            )
        for expected, got in zip(*outputs, strict=True):
            assert got.schema == expected.schema
            assert got.equals(expected)

    agree()


@pytest.mark.parametrize("engine", ["pandas", "duckdb", "dask", "spark"])
def test_a_file_of_only_a_header_runs_on_every_engine(engine: EngineName, tmp_path: Path) -> None:
    """No record at all (DuckDB's own sniffing used to fail on it): two empty outputs with the
    columns Polars gives them."""
    data = tmp_path / "header.csv"
    data.write_text("id,amount\r\n")
    recipe = rowsift.load_recipe_text("version: 1\ncolumns:\n  id: {}\n  amount: {type: float}\n")
    schemas = []
    for name in ("polars", engine):
        summary = rowsift.run_file(recipe, data, tmp_path / name, engine=name)
        assert (summary.rows_in, summary.rows_clean, summary.rows_quarantined) == (0, 0, 0)
        schemas.append(pl.read_parquet(tmp_path / name / "clean.parquet").schema)
    assert schemas[0] == schemas[1]
    assert list(schemas[0]) == ["id", "amount", "_rowsift_row", "_rowsift_line"]


@pytest.mark.parametrize("engine", ["pandas", "duckdb", "dask", "spark"])
def test_comment_lines_are_skipped_and_counted_on_every_engine(
    engine: EngineName, tmp_path: Path
) -> None:
    """A file with comment lines is read by rowsift's reader for every engine: the same rows,
    lines and counts (one comment splits into the header's width, so only `source.comment`
    keeps it out)."""
    data = tmp_path / "noted.csv"
    data.write_text("id,amount\n1,2.5\n# sensor 2, restarted\n2,x\n# end\n3,4\n")
    recipe = rowsift.load_recipe_text(
        "version: 1\nsource: {comment: '#'}\ncolumns:\n  id: {type: int}\n  amount: {type: float}\n"
    )
    outputs = []
    for name in ("polars", engine):
        summary = rowsift.run_file(recipe, data, tmp_path / name, engine=name)
        assert (summary.rows_in, summary.rows_clean, summary.rows_quarantined) == (3, 2, 1)
        assert summary.input["loading"]["comment"] == 2
        outputs.append(
            [
                pl.read_parquet(tmp_path / name / f"{part}.parquet").sort("_rowsift_row")
                for part in ("clean", "quarantine")
            ]
        )
    for expected, got in zip(*outputs, strict=True):
        assert got.equals(expected)
    assert outputs[0][0]["_rowsift_line"].to_list() == [2, 6]


@pytest.mark.parametrize("engine", ["pandas", "duckdb", "dask", "spark"])
def test_names_differing_only_in_case_are_two_columns_on_every_engine(
    engine: EngineName, tmp_path: Path
) -> None:
    """SQL engines hold one column per name whatever its case (DuckDB failed on the header
    ``LP4,lp4``): the second is a repeat, named ``lp4_2`` on every engine."""
    data = tmp_path / "case.csv"
    data.write_text("LP4,lp4,x\n1,2,a\n3,x,b\n")
    recipe = rowsift.load_recipe_text(
        "version: 1\ncolumns:\n  LP4: {type: int}\n  lp4_2: {type: int}\n"
    )
    rows = _clean_rows_as_on_polars(recipe, data, tmp_path, engine)
    assert rows == [0]
    clean = pl.read_parquet(tmp_path / engine / "clean.parquet")
    assert clean.columns[:3] == ["LP4", "lp4_2", "x"]


def _clean_and_quarantine(
    recipe: rowsift.Recipe, data: Path, out: Path, engine: EngineName
) -> list[pl.DataFrame]:
    """The clean and quarantine outputs of a file run on `engine`, in row order."""
    rowsift.run_file(recipe, data, out, engine=engine)
    return [
        pl.read_parquet(out / f"{part}.parquet").sort("_rowsift_row")
        for part in ("clean", "quarantine")
    ]


def _clean_rows_as_on_polars(
    recipe: rowsift.Recipe, data: Path, folder: Path, engine: EngineName
) -> list[int]:
    """The clean rows of a file run on Polars, after checking that `engine` wrote the same
    clean and quarantine outputs."""
    expected = _clean_and_quarantine(recipe, data, folder / "polars", "polars")
    got = _clean_and_quarantine(recipe, data, folder / engine, engine)
    for expected_part, got_part in zip(expected, got, strict=True):
        assert got_part.equals(expected_part)
    rows: list[int] = expected[0]["_rowsift_row"].to_list()
    return rows


@pytest.mark.parametrize("engine", ["pandas", "duckdb", "dask", "spark"])
def test_a_parquet_nan_is_a_value_on_every_engine(engine: EngineName, tmp_path: Path) -> None:
    """NaN is a value, not a null (docs/engines.md): pandas and Dask read a Parquet file's float
    NaN as missing, so `not_null` quarantined rows Polars keeps."""
    data = tmp_path / "nan.parquet"
    pl.DataFrame({"x": [1.5, float("nan"), None]}).write_parquet(data)
    recipe = rowsift.load_recipe_text(
        "version: 1\ncolumns:\n  x: {type: float, rules: [not_null]}\n"
    )
    assert _clean_rows_as_on_polars(recipe, data, tmp_path, engine) == [0, 1]


@pytest.mark.parametrize("engine", ["pandas", "duckdb", "dask", "spark"])
def test_a_parquet_of_rowsifts_own_columns_reads_them_as_data(
    engine: EngineName, tmp_path: Path
) -> None:
    """A clean output read back: its `_rowsift_row` (here 7 and 3) is data, renamed as Polars
    renames it, never taken for the row numbers, on every engine."""
    data = tmp_path / "own.parquet"
    pl.DataFrame(
        {"a": [" x", "y "], "_rowsift_row": [7, 3], "_rowsift_repaired": [["a"], None]}
    ).write_parquet(data)
    recipe = rowsift.load_recipe_text("version: 1\ncolumns:\n  a: {transforms: [strip]}\n")
    outputs = []
    for name in ("polars", engine):
        rowsift.run_file(recipe, data, tmp_path / name, engine=name, audit_repairs=True)
        outputs.append(pl.read_parquet(tmp_path / name / "clean.parquet").sort("_rowsift_row"))
    assert outputs[0]["_rowsift_row"].to_list() == [0, 1]
    assert outputs[0]["rowsift_row"].to_list() == [7, 3]
    assert outputs[1].equals(outputs[0])


TYPED_TIMES = """\
version: 1
columns:
  g: {}
  at: {type: datetime, transforms: [strip, {majority: {by: [g]}}]}
  day: {type: date, format: '%d.%m.%Y', transforms: [{majority: {by: [g]}}]}
"""


@pytest.mark.parametrize("engine", ["polars", "pandas", "duckdb", "dask", "spark"])
def test_a_transform_keeps_a_typed_datetime_column(engine: EngineName, tmp_path: Path) -> None:
    """A Parquet datetime column that a transform rewrites is written as ISO text and read
    back from it, whatever `format` says: nothing fails `.type`, the fraction survives."""
    from datetime import date, datetime

    moment = datetime(2024, 1, 1, 5, 0, 0, 123456)
    data = tmp_path / "t.parquet"
    pl.DataFrame(
        {
            "g": ["a"] * 4,
            "at": [moment] * 3 + [datetime(2024, 1, 2)],
            "day": [date(2024, 1, 1)] * 3 + [date(2020, 5, 5)],
        }
    ).write_parquet(data)
    out = tmp_path / "out"
    summary = rowsift.run_file(rowsift.load_recipe_text(TYPED_TIMES), data, out, engine=engine)
    assert summary.rows_quarantined == 0
    clean = pl.read_parquet(out / "clean.parquet").sort("_rowsift_row")
    assert clean["at"].to_list() == [moment] * 4
    assert clean["day"].to_list() == [date(2024, 1, 1)] * 4


@pytest.mark.parametrize("engine", ["pandas", "duckdb", "dask", "spark"])
def test_a_parquet_integer_column_with_a_null_runs_on_every_engine(
    engine: EngineName, tmp_path: Path
) -> None:
    """Dask read an int64 column holding a null as floats under a declared int64, and cast
    the typed value to NumPy's int64, which holds no null: the run stopped (internal error)."""
    data = tmp_path / "ints.parquet"
    pq.write_table(pa.table({"n": pa.array([1, None, 3], type=pa.int64())}), data)
    recipe = rowsift.load_recipe_text(
        "version: 1\ncolumns:\n  n: {type: int, rules: [{between: {min: 2, max: 9}}]}\n"
    )
    assert _clean_rows_as_on_polars(recipe, data, tmp_path, engine) == [1, 2]


@pytest.mark.dask
def test_a_failed_dask_run_leaves_no_scratch_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Dask's shuffle keeps its partitions in `tmp*.partd` folders of the temporary folder and
    removes them in its last task, which a failed computation never runs; they are in a folder
    of the run's own now, removed either way."""
    from rowsift.engines._pandas import steps as pandas_steps

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))

    original = pandas_steps.seen_before

    def failing(part: pd.DataFrame, jobs: Any) -> pd.DataFrame:
        if len(part):
            raise RuntimeError("stopped after the shuffle")
        return original(part, jobs)

    data = tmp_path / "n.ndjson"
    data.write_text("".join(f'{{"n": {n % 7}}}\n' for n in range(40)))
    recipe = rowsift.load_recipe_text("version: 1\ncolumns:\n  n: {rules: [unique]}\n")
    rowsift.run_file(recipe, data, tmp_path / "ok", engine="dask")
    assert list(scratch.iterdir()) == []
    monkeypatch.setattr(pandas_steps, "seen_before", failing)
    with pytest.raises(RuntimeError, match="stopped after the shuffle"):
        rowsift.run_file(recipe, data, tmp_path / "failed", engine="dask")
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize("engine", ["polars", "pandas", "duckdb", "dask"])
def test_a_parquet_file_pandas_wrote_with_an_index_keeps_it_as_a_column(
    tmp_path: Path, engine: EngineName
) -> None:
    """pandas stores a frame's named index as a column plus metadata; every engine reads it as
    the column it is, in the file's order."""
    data = tmp_path / "indexed.parquet"
    pd.DataFrame({"a": range(6), "b": list("uvwxyz")}).set_index("b").to_parquet(data)
    recipe = rowsift.load_recipe_text(
        "version: 1\ncolumns:\n  a: {type: int}\n  b: {rules: [{in_set: [u, v, w, x, y, z]}]}\n"
    )
    summary = rowsift.run_file(recipe, data, tmp_path / engine, engine=engine, monitor=False)
    assert (summary.rows_in, summary.rows_clean) == (6, 6)
    parts = tmp_path / engine / "clean.parquet"
    clean = pl.read_parquet(parts / "*.parquet" if parts.is_dir() else parts).sort("_rowsift_row")
    assert clean["b"].to_list() == list("uvwxyz")
    assert clean["a"].to_list() == list(range(6))


def test_a_dask_shuffle_puts_equal_arrow_keys_in_one_partition() -> None:
    """Dask hashed an Arrow value as a number in a partition without a null and as an object
    in one with a null: two rows of `True` landed in two partitions, and a `unique` rule (found
    by the property test above) missed the repeat."""
    from rowsift.engines._dask.steps import _shuffled

    with_null = pd.DataFrame(
        {"k": pd.array([True, None, None], dtype="bool[pyarrow]"), "r": [0, 1, 2]}
    )
    without = pd.DataFrame({"k": pd.array([True, False], dtype="bool[pyarrow]"), "r": [3, 4]})
    frame = dd.concat(
        [dd.from_pandas(with_null, npartitions=1), dd.from_pandas(without, npartitions=1)]
    )
    parts = list(_shuffled(frame, ["k"]).to_delayed())
    holding_true = [
        sorted(part.compute().loc[lambda f: f["k"].fillna(False), "r"].tolist()) for part in parts
    ]
    assert sorted(rows for rows in holding_true if rows) == [[0, 3]]
