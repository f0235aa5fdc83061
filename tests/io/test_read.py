"""Reading keeps every field as the text it was, and gives each record its row and line."""

from __future__ import annotations

import datetime as dt
import sys
import warnings
from pathlib import Path
from typing import Literal

import polars as pl
import pytest
from loading_helpers import failed, good, read

from rowsift.exceptions import InputError

PARSE_COLUMNS = ["_rowsift_parse", "_rowsift_raw", "_rowsift_fields"]


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
    assert frame["_rowsift_parse"].to_list() == [None, None]


def test_line_numbers_count_line_breaks_inside_quoted_fields(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b'id,note\r\n1,"two\r\nlines"\r\n2,plain\r\n3,"a\nb\nc"\r\n4,end\r\n')
    frame = read(path)
    assert frame["id"].to_list() == ["1", "2", "3", "4"]
    assert frame["note"].to_list() == ["two\r\nlines", "plain", "a\nb\nc", "end"]
    assert frame["_rowsift_line"].to_list() == [2, 4, 5, 8]


def test_header_row_skips_lines_above_the_header(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("exported by a tool\n\nid,v\n1,a\n")
    frame = read(path, header_row=2)
    assert frame.columns == ["_rowsift_row", "id", "v", "_rowsift_line", *PARSE_COLUMNS]
    assert frame["_rowsift_line"].to_list() == [4]


def test_tsv_semicolon_and_other_encodings(tmp_path: Path) -> None:
    tsv = tmp_path / "t.tsv"
    tsv.write_text("a\tb\n1\t2\n")
    assert read(tsv)["b"].to_list() == ["2"]
    semi = tmp_path / "s.csv"
    semi.write_bytes("name;city\nJosé;Zürich\n".encode("cp1252"))
    frame = read(semi, delimiter=";", encoding="cp1252")
    assert (frame["name"][0], frame["city"][0]) == ("José", "Zürich")


def test_without_detection_a_recipe_reads_as_it_always_did(tmp_path: Path) -> None:
    # a semicolon file read with the defaults is one column; detection is asked for, not assumed
    path = tmp_path / "t.csv"
    path.write_text("a;b\n1;2\n")
    assert read(path).columns[1] == "a;b"
    assert read(path, detect=True).columns[1:3] == ["a", "b"]


def test_ragged_rows_are_parse_failures_with_raw_text_and_line(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("id,v\n1,a\n2,b,extra\n3\n4,d\n")
    frame = read(path)
    assert good(frame) == [("1", "a"), ("4", "d")]
    assert failed(frame) == [
        {
            "_rowsift_row": 1,
            "_rowsift_line": 3,
            "_rowsift_parse": "expected 2 fields, got 3",
            "_rowsift_raw": "2,b,extra",
            "_rowsift_fields": ["2", "b", "extra"],
        },
        {
            "_rowsift_row": 2,
            "_rowsift_line": 4,
            "_rowsift_parse": "expected 2 fields, got 1",
            "_rowsift_raw": "3",
            "_rowsift_fields": ["3"],
        },
    ]
    assert frame["_rowsift_row"].to_list() == [0, 1, 2, 3]


def test_parquet_keeps_its_types_and_ndjson_is_text(tmp_path: Path) -> None:
    parquet = tmp_path / "t.parquet"
    pl.DataFrame({"n": [1, 2], "s": ["a", None]}).write_parquet(parquet)
    frame = read(parquet)
    assert frame.schema["n"] == pl.Int64
    assert frame["_rowsift_row"].to_list() == [0, 1]
    assert "_rowsift_line" not in frame.columns
    ndjson = tmp_path / "t.ndjson"
    ndjson.write_text('{"n": 1, "s": "x"}\n{"n": 2, "s": null}\n')
    assert read(ndjson)["s"].to_list() == ["x", None]
    assert read(ndjson)["n"].to_list() == ["1", "2"]


@pytest.mark.parametrize("compression", ["uncompressed", "lz4", "zstd"])
def test_arrow_ipc_keeps_its_types_and_is_told_by_extension_or_bytes(
    tmp_path: Path, compression: Literal["uncompressed", "lz4", "zstd"]
) -> None:
    written = pl.DataFrame(
        {"n": [1, None, 3], "at": [dt.date(2024, 1, 1), None, dt.date(2024, 2, 29)]}
    )
    feather = tmp_path / "t.feather"
    written.write_ipc(feather, compression=compression)
    frame = read(feather)
    assert frame.drop("_rowsift_row").equals(written)
    assert frame["_rowsift_row"].to_list() == [0, 1, 2]
    nameless = tmp_path / "download"
    nameless.write_bytes(feather.read_bytes())
    assert read(nameless, detect=True).equals(frame)
    assert read(nameless, format="arrow").equals(frame)


def test_an_arrow_ipc_stream_is_read_as_the_file_form_is(tmp_path: Path) -> None:
    written = pl.DataFrame({"n": [1, None, 3], "s": ["a", "b", None]})
    stream = tmp_path / "t.arrow"
    written.write_ipc_stream(stream)
    frame = read(stream)
    assert frame.drop("_rowsift_row").equals(written)
    assert frame["_rowsift_row"].to_list() == [0, 1, 2]


def test_a_first_version_feather_file_is_refused_with_a_way_out(tmp_path: Path) -> None:
    import pyarrow as pa
    from pyarrow import feather

    path = tmp_path / "old.feather"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # pyarrow warns that v1 is old
        feather.write_feather(pa.table({"x": [1.5]}), path, version=1)
    with pytest.raises(InputError, match="first version") as caught:
        read(path)
    assert "version 2" in (caught.value.hint or "")


def test_a_stata_file_keeps_its_types_and_reads_value_labels_as_text(tmp_path: Path) -> None:
    import pandas as pd

    written = pd.DataFrame(
        {
            "id": [1, 2, 3],
            "income": [1500.5, float("nan"), 2200.0],
            "sex": pd.Categorical(["male", "female", "male"]),
            "seen": pd.to_datetime(["2024-01-01", "2024-02-29", "2024-03-01"]),
            "note": ["a", "", "c"],
        }
    )
    path = tmp_path / "survey.dta"
    written.to_stata(path, write_index=False)
    frame = read(path)
    assert frame["sex"].to_list() == ["male", "female", "male"]
    assert frame["income"].to_list()[0] == 1500.5
    assert frame["income"].is_null().to_list() == [False, True, False]
    assert frame["seen"].to_list()[1] == dt.datetime(2024, 2, 29)
    assert frame["note"].to_list() == ["a", "", "c"]
    assert frame["_rowsift_row"].to_list() == [0, 1, 2]
    nameless = tmp_path / "download"
    nameless.write_bytes(path.read_bytes())
    assert read(nameless, detect=True).equals(frame)


def test_a_stata_file_without_pandas_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pandas as pd

    path = tmp_path / "t.dta"
    pd.DataFrame({"x": [1.5]}).to_stata(path, write_index=False)
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if the extra were not installed
    with pytest.raises(InputError, match="needs pandas") as caught:
        read(path)
    assert "rowsift[pandas]" in (caught.value.hint or "")


def test_unknown_extension_and_missing_file_are_input_errors(tmp_path: Path) -> None:
    odd = tmp_path / "t.xyz"
    odd.write_text("a\n1\n")
    with pytest.raises(InputError, match="cannot tell the format") as caught:
        read(odd)
    assert "source.format" in caught.value.hint
    assert read(odd, format="csv")["a"].to_list() == ["1"]
    assert read(odd, detect=True)["a"].to_list() == ["1"]
    with pytest.raises(InputError, match="file not found"):
        read(tmp_path / "nope.csv")


def test_a_run_quarantines_parse_failures_with_row_parse(tmp_path: Path) -> None:
    import rowsift

    path = tmp_path / "m.csv"
    path.write_bytes("Export\n\nid;amount\n1;2\n2;3;4\n3;x\n".encode("cp1252"))
    recipe = rowsift.load_recipe_text(
        "version: 1\nsource: {detect: true}\ncolumns:\n  id: {}\n  amount: {type: int}\n"
    )
    summary = rowsift.run_file(recipe, path, tmp_path / "out")
    assert (summary.rows_in, summary.rows_clean, summary.rows_quarantined) == (3, 1, 2)
    assert summary.failures["row.parse"] == 1
    quarantine = pl.read_parquet(tmp_path / "out" / "quarantine.parquet")
    assert quarantine["_rowsift_reasons"].to_list() == [["row.parse"], ["amount.type"]]
    assert quarantine["_rowsift_raw"].to_list() == ["2;3;4", None]
    assert quarantine["_rowsift_line"].to_list() == [5, 6]
