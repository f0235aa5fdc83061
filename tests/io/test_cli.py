"""`rowsift sniff` and `rowsift convert`: detection on the command line, lossless conversion."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import yaml
from typer.testing import CliRunner

from rowsift._cli.app import app
from rowsift.recipe import SourceSpec

MESSY = (
    'Orders export\r\n\r\nid;name;amount\r\n1;José;1,50\r\n2;"Smith; J";2\r\n'
    '3;bad;row;extra\r\n4;"multi\r\nline";4\r\nTotal: 4\r\n'
).encode("cp1252")


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_sniff_yaml_is_a_source_section_that_reads_the_same(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(MESSY)
    code, stdout, _ = _run("sniff", str(path), "--yaml")
    assert code == 0
    source = yaml.safe_load(stdout)["source"]
    assert source == {
        "format": "csv",
        "encoding": "cp1252",
        "delimiter": ";",
        "quote": '"',
        "header_row": 2,
        "header": True,
        "footer_rows": 1,
    }
    assert SourceSpec.model_validate(source).delimiter == ";"
    code, stdout, _ = _run("sniff", str(path), "--json")
    assert json.loads(stdout)["columns"] == ["id", "name", "amount"]
    code, stdout, _ = _run("sniff", str(path))
    assert "confidence" in stdout


def test_sniff_shows_a_sheet_s_table_and_its_yaml_reads_the_same(tmp_path: Path) -> None:
    import xlsxwriter

    from rowsift.io import read_table

    path = tmp_path / "report.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Visits by clinic"])
    sheet.write_row(2, 0, ["clinic", "2023", "2024"])
    sheet.write_row(3, 0, [None, "visits", "visits"])
    for row, name in enumerate(["North", "South", "East"], start=4):
        sheet.write_row(row, 0, [name, row * 10, row * 11])
    sheet.write_row(8, 0, ["Source: the clinics' own counts"])
    book.close()
    code, stdout, _ = _run("sniff", str(path), "--yaml")
    assert code == 0
    source = yaml.safe_load(stdout)["source"]
    assert source == {"format": "excel", "header_row": 2, "header_rows": 2, "footer_rows": 1}
    code, stdout, _ = _run("sniff", str(path), "--json")
    assert json.loads(stdout)["columns"] == ["clinic", "2023 visits", "2024 visits"]
    pinned = read_table(path, SourceSpec.model_validate(source)).collect().to_native()
    found = read_table(path, SourceSpec(detect=True)).collect().to_native()
    assert pinned.equals(found)
    assert pinned["clinic"].to_list() == ["North", "South", "East"]


def test_convert_writes_rfc_4180_and_a_quarantine(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(MESSY)
    out = tmp_path / "tidy.csv"
    code, _, stderr = _run("convert", str(path), str(out))
    assert code == 0
    assert out.read_bytes() == (
        'id,name,amount\n1,José,"1,50"\n2,Smith; J,2\n4,"multi\r\nline",4\n'.encode()
    )
    quarantine = pl.read_csv(tmp_path / "tidy.csv.quarantine.csv", infer_schema=False)
    assert quarantine.to_dicts() == [
        {
            "_rowsift_row": "2",
            "_rowsift_line": "6",
            "_rowsift_reason": "expected 3 fields, got 4",
            "_rowsift_raw": "3;bad;row;extra",
        }
    ]
    assert "1 records could not be split" in stderr


def test_convert_reads_a_quote_inside_an_unquoted_field_as_text_and_says_so(
    tmp_path: Path,
) -> None:
    path = tmp_path / "coordinates.csv"
    path.write_text("phone,place,city\n0209,37°36'37.8\"N 121°2'17.9\"W,Modesto\n")
    out = tmp_path / "tidy.csv"
    code, _, stderr = _run("convert", str(path), str(out))
    assert code == 0
    assert pl.read_csv(out, infer_schema=False).row(0) == (
        "0209",
        "37°36'37.8\"N 121°2'17.9\"W",
        "Modesto",
    )
    assert not (tmp_path / "tidy.csv.quarantine.csv").exists()
    assert "1 records read back to the header's width" in stderr


def test_convert_keep_writes_every_record_as_split(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(MESSY)
    out = tmp_path / "all.csv"
    assert _run("convert", str(path), str(out), "--ragged", "keep")[0] == 0
    lines = out.read_text().split("\n")
    assert lines[3] == "3,bad,row,extra"
    assert not (tmp_path / "all.csv.quarantine.csv").exists()


def test_convert_overrides_and_parquet(tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    path.write_text("junk line\na|b\n1|2\n")
    out = tmp_path / "p.parquet"
    code, _, _ = _run("convert", str(path), str(out), "--delimiter", "|", "--header-row", "1")
    assert code == 0
    assert pl.read_parquet(out).to_dicts() == [{"a": "1", "b": "2"}]


def test_convert_errors_are_messages_not_tracebacks(tmp_path: Path) -> None:
    code, _, stderr = _run("convert", str(tmp_path / "missing.csv"), str(tmp_path / "o.csv"))
    assert code == 3
    assert "file not found" in stderr
    assert "Traceback" not in stderr
    path = tmp_path / "m.csv"
    path.write_bytes(MESSY)
    code, _, stderr = _run("convert", str(path), str(tmp_path / "o.csv"), "--delimiter", ";;;;;")
    assert code == 2
    assert "Hint:" in stderr
    code, _, stderr = _run("convert", str(path), str(tmp_path / "o.parquet"), "--ragged", "keep")
    assert code == 2
    broken = tmp_path / "b.csv.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00garbage")
    code, _, stderr = _run("convert", str(broken), str(tmp_path / "o.csv"))
    assert code == 3
    assert "Traceback" not in stderr


def test_convert_reports_progress_in_bytes_of_the_file(tmp_path: Path) -> None:
    import gzip

    from rowsift.io.convert import convert

    path = tmp_path / "big.csv.gz"
    path.write_bytes(gzip.compress(b"a,b\n" + b"1,2\n" * 300_000))
    seen: list[tuple[int, int]] = []
    done = convert(path, tmp_path / "o.csv", on_progress=lambda n, total: seen.append((n, total)))
    assert done.rows == 300_000
    size = path.stat().st_size
    assert seen[-1] == (size, size)
    assert [n for n, _ in seen] == sorted(n for n, _ in seen)
