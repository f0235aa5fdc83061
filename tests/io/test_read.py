"""Reading keeps every field as the text it was, and gives each record its row and line."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from rowsift.exceptions import InputError
from rowsift.io import read_table
from rowsift.recipe import SourceSpec


def read(path: Path, **source: object) -> pl.DataFrame:
    frame = read_table(path, SourceSpec.model_validate(source)).collect().to_native()
    assert isinstance(frame, pl.DataFrame)
    return frame


def test_csv_fields_stay_text_exactly(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("code,country,big,blank\n001,NA,9007199254740993,\n002,FR,1.50,x\n")
    frame = read(path)
    assert frame.schema["code"] == pl.String
    assert frame["code"].to_list() == ["001", "002"]
    assert frame["country"].to_list() == ["NA", "FR"]
    assert frame["big"].to_list() == ["9007199254740993", "1.50"]
    assert frame["blank"].to_list() == ["", "x"]
    assert frame["_rowsift_row"].to_list() == [0, 1]
    assert frame["_rowsift_line"].to_list() == [2, 3]


def test_line_numbers_count_line_breaks_inside_quoted_fields(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b'id,note\r\n1,"two\r\nlines"\r\n2,plain\r\n3,"a\nb\nc"\r\n4,end\r\n')
    frame = read(path)
    assert frame["id"].to_list() == ["1", "2", "3", "4"]
    assert frame["_rowsift_line"].to_list() == [2, 4, 5, 8]


def test_header_row_skips_lines_above_the_header(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("exported by a tool\n\nid,v\n1,a\n")
    frame = read(path, header_row=2)
    assert frame.columns == ["_rowsift_row", "id", "v", "_rowsift_line"]
    assert frame["_rowsift_line"].to_list() == [4]


def test_tsv_semicolon_and_other_encodings(tmp_path: Path) -> None:
    tsv = tmp_path / "t.tsv"
    tsv.write_text("a\tb\n1\t2\n")
    assert read(tsv)["b"].to_list() == ["2"]
    semi = tmp_path / "s.csv"
    semi.write_bytes("name;city\nJosé;Zürich\n".encode("cp1252"))
    frame = read(semi, delimiter=";", encoding="cp1252")
    assert (frame["name"][0], frame["city"][0]) == ("José", "Zürich")


def test_parquet_and_ndjson_keep_their_types(tmp_path: Path) -> None:
    parquet = tmp_path / "t.parquet"
    pl.DataFrame({"n": [1, 2], "s": ["a", None]}).write_parquet(parquet)
    frame = read(parquet)
    assert frame.schema["n"] == pl.Int64
    assert frame["_rowsift_row"].to_list() == [0, 1]
    assert "_rowsift_line" not in frame.columns
    ndjson = tmp_path / "t.ndjson"
    ndjson.write_text('{"n": 1, "s": "x"}\n{"n": 2, "s": null}\n')
    assert read(ndjson)["s"].to_list() == ["x", None]


def test_unknown_extension_and_missing_file_are_input_errors(tmp_path: Path) -> None:
    odd = tmp_path / "t.xyz"
    odd.write_text("a\n1\n")
    with pytest.raises(InputError, match="cannot tell the format") as caught:
        read(odd)
    assert "source.format" in caught.value.hint
    assert read(odd, format="csv")["a"].to_list() == ["1"]
    with pytest.raises(InputError, match="file not found"):
        read(tmp_path / "nope.csv")
