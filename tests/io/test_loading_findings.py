"""Loading findings of the hostile-input probe: reserved names, one-column blanks, encodings."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from loading_helpers import detected, failed, good, read

from rowsift import _names
from rowsift.api import run_file
from rowsift.io import read_table, sniff
from rowsift.io.sniff import make_unique
from rowsift.recipe import SourceSpec, load_recipe

MakeFile = Callable[..., Path]

# every internal name rowsift uses, and a few more of the same shape
INTERNAL = sorted(
    {
        value
        for name, value in vars(_names).items()
        if name.isupper() and isinstance(value, str) and value.startswith("_")
    }
    | {"_rowsift_", "_rowsift_x", "_rowsift_row_2", "_rowsift_arrived", "_rowsift_window"}
)


def test_internal_names_are_the_reserved_ones() -> None:
    assert {"_rowsift_row", "_rowsift_line", "_rowsift_reasons", "_rowsift_parse"} <= set(INTERNAL)


def test_reserved_names_are_renamed_and_unique() -> None:
    names = [*INTERNAL, *INTERNAL, *(n[1:] for n in INTERNAL)]
    made = make_unique(names)
    assert len(set(made)) == len(names)
    assert not any(name.startswith("_rowsift_") for name in made)
    assert made[0] == INTERNAL[0][1:]


@pytest.mark.parametrize("detect", [True, False])
def test_a_header_of_internal_names_reads(csv_file: MakeFile, detect: bool) -> None:
    header = ",".join(INTERNAL)
    row = ",".join(str(i) for i in range(len(INTERNAL)))
    path = csv_file(f"{header}\n{row}\n{row}\n")
    frame = read(path, detect=detect)
    assert frame["_rowsift_row"].to_list() == [0, 1]
    assert good(frame) == [tuple(str(i) for i in range(len(INTERNAL)))] * 2
    data = [name for name in frame.columns if not name.startswith("_rowsift_")]
    assert data == [name[1:] for name in INTERNAL]


def test_rowsift_outputs_read_back_through_a_run(tmp_path: Path) -> None:
    data = tmp_path / "in.csv"
    data.write_text("id,amount\n1,5\n2,x\n3,7\n")
    recipe = tmp_path / "r.yaml"
    recipe.write_text("version: 1\nname: t\ncolumns:\n  id: {}\n  amount:\n    type: int\n")
    first = run_file(recipe, data, tmp_path / "one", output_format="csv")
    assert (first.rows_clean, first.rows_quarantined) == (2, 1)
    again = tmp_path / "again.yaml"
    again.write_text("version: 1\nname: t\ncolumns:\n  id: {}\n")
    for output in ("clean.csv", "quarantine.csv"):
        summary = run_file(
            load_recipe(again), tmp_path / "one" / output, tmp_path / output, output_format="csv"
        )
        written = list(csv.reader((tmp_path / "one" / output).open()))
        assert summary.rows_in == len(written) - 1
    parquet = run_file(recipe, data, tmp_path / "two")
    assert parquet.rows_in == 3
    frame = read_table(tmp_path / "two" / "quarantine.parquet", SourceSpec()).collect()
    assert "rowsift_reasons" in frame.columns
    assert frame.shape[0] == 1


def test_blank_lines_of_a_one_column_file_are_records(csv_file: MakeFile) -> None:
    path = csv_file("name\nx\n\ny\n\n\nz\n")
    for frame in (detected(path), read(path)):
        assert good(frame) == [("x",), ("",), ("y",), ("",), ("",), ("z",)]
        assert frame["_rowsift_line"].to_list() == [2, 3, 4, 5, 6, 7]


def test_blank_lines_after_the_last_record_of_a_one_column_file_are_not(
    csv_file: MakeFile,
) -> None:
    path = csv_file("name\n\nx\n\n\n")
    assert good(detected(path)) == [("",), ("x",)]


def test_a_one_column_run_counts_every_record(tmp_path: Path) -> None:
    data = tmp_path / "one.csv"
    data.write_text("v\n\n\n\n\n\n\n")  # six empty values, and the file's last line break
    data.write_text("v\na\n\n\n\n\nb\n")
    recipe = tmp_path / "r.yaml"
    recipe.write_text("version: 1\nname: t\ncolumns:\n  v: {}\n")
    summary = run_file(recipe, data, tmp_path / "out")
    assert summary.rows_in == 6


def test_utf8_mixed_into_a_cp1252_file_is_quarantined(csv_file: MakeFile) -> None:
    path = csv_file(
        "id,name\n1,caf\xe9\n2,na\xefve\n3,Zo\xeb\n".encode("cp1252")
        + "4,café\n".encode()
        + b"5,plain\n"
    )
    frame = detected(path)
    assert good(frame) == [("1", "café"), ("2", "naïve"), ("3", "Zoë"), ("5", "plain")]
    (bad,) = failed(frame)
    assert bad["_rowsift_line"] == 5
    assert bad["_rowsift_parse"].startswith("UTF-8 text in a cp1252 file")
    assert bad["_rowsift_raw"] == "4,café"
    # the same with the encoding written in a recipe
    assert good(read(path, encoding="cp1252")) == good(frame)


def test_cp1252_mixed_into_a_utf8_file_is_quarantined(csv_file: MakeFile) -> None:
    path = csv_file(
        "id,name\n1,café\n2,Zoë\n".encode() + "3,caf\xe9\n".encode("cp1252") + b"4,plain\n"
    )
    frame = detected(path)
    assert sniff(path).encoding == "utf-8"
    assert good(frame) == [("1", "café"), ("2", "Zoë"), ("4", "plain")]
    (bad,) = failed(frame)
    assert bad["_rowsift_raw"] == "3,caf\\xe9"


@pytest.mark.parametrize("bom", ["utf-16", "utf-16-le-bom", "utf-8-sig"])
def test_a_byte_order_mark_is_honoured_without_detection(csv_file: MakeFile, bom: str) -> None:
    text = "id,name\n1,café\n"
    data = {
        "utf-16": text.encode("utf-16"),
        "utf-16-le-bom": b"\xff\xfe" + text.encode("utf-16-le"),
        "utf-8-sig": text.encode("utf-8-sig"),
    }[bom]
    path = csv_file(data)
    frame = read(path)
    assert [n for n in frame.columns if not n.startswith("_rowsift_")] == ["id", "name"]
    assert good(frame) == [("1", "café")]


def test_the_csv_field_limit_is_left_as_it_was(csv_file: MakeFile) -> None:
    before = csv.field_size_limit()
    path = csv_file('a,b\n1,"' + "x," * 200_000 + '"\n2,y\n')  # a field of 400,000 chars
    frame = read(path)
    assert len(frame) == 2
    assert frame.filter(pl.col("a") == "1")["b"].str.len_chars()[0] == 400_000
    assert csv.field_size_limit() == before
