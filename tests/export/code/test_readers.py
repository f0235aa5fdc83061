"""The programs read files as the recipe's `source:` says, as rowsift's reader does: each
target's outputs on small files of many dialects equal `rowsift run`'s files."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest
from tests.export.code.exactness import load_program, same_frames

import rowsift
from rowsift._names import ROW
from rowsift.export import export_recipe

FILES: dict[str, tuple[bytes, str]] = {
    "semicolons": (
        b'id;name;amount\n1;Ann;1,5\n2;NA;\n3;"B;ob";7\n',
        "source: {format: csv, delimiter: ';', null_tokens: ['', 'NA']}\n"
        "columns: {id: {type: int}, name: {rules: [not_null]}}",
    ),
    "preamble": (
        b"note line\nanother note\nid,name\n1,a\n2,b\n",
        "source: {format: csv, delimiter: ',', header_row: 2}\ncolumns: {id: {type: int}}",
    ),
    "tabs": (
        b"id\tname\n1\tx y\n2\t\n",
        "source: {format: tsv}\ncolumns: {name: {rules: [not_null]}}",
    ),
    "latin-1": (
        b"id,name\n1,caf\xe9\n2,na\xefve\n",
        "source: {format: csv, delimiter: ',', encoding: latin-1}\n"
        "columns: {name: {rules: [{length: {max: 4}}]}}",
    ),
    "no-header": (
        b"1,a\n2,b\n",
        "source: {format: csv, delimiter: ',', header: false}\ncolumns: {column_1: {type: int}}",
    ),
    "no-header-every-column-declared": (
        b"1,a\n2,b\n",
        "source: {format: csv, delimiter: ',', header: false}\n"
        "columns: {column_1: {type: int}, column_2: {rules: [{in_set: [a]}]}}",
    ),
    "r-row-names": (  # R's write.csv: the row names' column has a blank name
        b'"","x","y"\n"1",1,"a"\n"2",2,"b"\n',
        "source: {format: csv, delimiter: ','}\n"
        "columns: {column_1: {type: int}, x: {type: int, rules: [{between: {max: 1}}]}}",
    ),
    "no-quoting": (
        b'id,name\n1,say "hi"\n2,x\n',
        "source: {format: csv, delimiter: ',', quoting: false}\ncolumns: {name: {}}",
    ),
    "crlf-and-quotes": (
        b'id,name\r\n1,"a,b"\r\n2,"he said ""no"""\r\n',
        "source: {format: csv, delimiter: ','}\ncolumns: {name: {rules: [{matches: 'b'}]}}",
    ),
    "odd-header-names": (
        b"id,,id,_rowsift_row\n1,2,3,4\n",
        "source: {format: csv, delimiter: ','}\ncolumns: {id: {type: int}}",
    ),
    "header-only": (
        b"id,name\n",
        "source: {format: csv, delimiter: ','}\ncolumns: {id: {type: int}}",
    ),
    "header-line-break": (
        b'"first\nname",age\n1,2\n3,4\n',
        "source: {format: csv, delimiter: ','}\n"
        "columns: {age: {type: int, rules: [{between: {min: 0, max: 3}}]}}",
    ),
    "note-and-header-line-break": (
        b'a note\n"first\r\nname",age\n1,2\n3,4\n',
        "source: {format: csv, delimiter: ',', header_row: 1}\n"
        "columns: {age: {type: int, rules: [{between: {min: 0, max: 3}}]}}",
    ),
    "byte-order-mark": (
        b"\xef\xbb\xbfid,name\n1,a\n",
        "source: {format: csv, delimiter: ','}\ncolumns: {id: {type: int}}",
    ),
}

DUCKDB_NOT_EXACT = {
    # docs/export.md: DuckDB names the columns of a file without header after the last the
    # recipe declares (column1, ...), and makes repeated or blank names unique its own way
    "no-header",
    "odd-header-names",
}


SPARK_NOT_EXACT = {
    # docs/export.md, "Files that are not plain": Spark's reader splits lines before it reads
    # quotes, so a quoted line break (here in a header name) is one record per line there
    "header-line-break",
    "note-and-header-line-break",
}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Each file, and the outputs `rowsift run` writes for it."""
    folder = tmp_path_factory.mktemp("readers")
    for name, (content, recipe) in FILES.items():
        (folder / f"{name}.txt").write_bytes(content)
        recipe_file = folder / f"{name}.yaml"
        recipe_file.write_text("version: 1\n" + recipe, encoding="utf-8")
        rowsift.run_file(
            rowsift.load_recipe(recipe_file), folder / f"{name}.txt", folder / name, monitor=False
        )
    return folder


def rowsifts(folder: Path, name: str, output: str) -> pl.DataFrame:
    return pl.read_parquet(folder / name / f"{output}.parquet").sort(ROW)


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_polars_program_reads_as_rowsift(name: str, written: Path) -> None:
    recipe = rowsift.load_recipe(written / f"{name}.yaml")
    program = load_program(export_recipe(recipe, to="polars"), written, f"program_{name}")
    out = written / f"{name}-polars"
    assert program["main"]([str(written / f"{name}.txt"), str(out)]) == 0
    for output in ("clean", "quarantine"):
        mine = pl.read_parquet(out / f"{output}.parquet").sort(ROW)
        same_frames(mine, rowsifts(written, name, output), f"{name}: {output}")


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_pandas_program_reads_as_rowsift(name: str, written: Path) -> None:
    recipe = rowsift.load_recipe(written / f"{name}.yaml")
    program = load_program(export_recipe(recipe, to="pandas"), written, f"pandas_{name}")
    out = written / f"{name}-pandas"
    assert program["main"]([str(written / f"{name}.txt"), str(out)]) == 0
    for output in ("clean", "quarantine"):
        mine = pl.read_parquet(out / f"{output}.parquet").sort(ROW)
        same_frames(mine, rowsifts(written, name, output), f"{name}: {output}")


@pytest.mark.parametrize("name", sorted(set(FILES) - DUCKDB_NOT_EXACT))
def test_the_duckdb_sql_reads_as_rowsift(name: str, written: Path) -> None:
    recipe = rowsift.load_recipe(written / f"{name}.yaml")
    connection = duckdb.connect()
    connection.execute("SET VARIABLE rowsift_input = $path", {"path": str(written / f"{name}.txt")})
    connection.execute(export_recipe(recipe, to="duckdb-sql"))
    for output in ("clean", "quarantine"):
        mine = connection.sql(f"SELECT * FROM {output}").pl()
        same_frames(mine, rowsifts(written, name, output), f"{name}: {output}")


@pytest.mark.spark
def test_the_pyspark_program_reads_as_rowsift(written: Path) -> None:
    """Every file in one test: Spark is slow per job (the suite's session)."""
    from tests.conftest import spark_session

    spark = spark_session()
    for name in sorted(set(FILES) - SPARK_NOT_EXACT):
        recipe = rowsift.load_recipe(written / f"{name}.yaml")
        program = load_program(export_recipe(recipe, to="pyspark"), written, f"spark_{name}")
        out = written / f"{name}-pyspark"
        assert program["run"](spark, str(written / f"{name}.txt"), str(out)) == 0, name
        for output in ("clean", "quarantine"):
            mine = pl.read_parquet(out / f"{output}.parquet" / "*.parquet").sort(ROW)
            same_frames(mine, rowsifts(written, name, output), f"{name}: {output}")


@pytest.mark.parametrize("target", ["polars", "pandas", "duckdb-sql"])
def test_a_program_says_it_reads_comment_lines_as_records(target: str) -> None:
    """`source.comment` is rowsift's reader's alone: the exported program says so where it
    reads the file, rather than skipping lines on its own terms."""
    recipe = rowsift.load_recipe_text(
        "version: 1\nsource: {format: csv, delimiter: ',', comment: '#'}\ncolumns: {id: {}}\n"
    )
    text = export_recipe(recipe, to=target)
    assert "comment lines (source.comment: '#') are skipped by rowsift's reader only" in text
    # and what each library does with them: DuckDB's reader skips those it detects itself
    assert "DuckDB's reader skips those it detects on its own" in " ".join(
        line.lstrip("#- ").strip() for line in text.splitlines()
    )
