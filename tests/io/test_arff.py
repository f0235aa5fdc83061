"""ARFF files (Weka, OpenML): columns named by the header's @attribute lines, records after
@data read as comma-separated text, comments around them left out and counted."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from loading_helpers import detected, failed, good, read
from typer.testing import CliRunner

from rowsift._cli.app import app
from rowsift.exceptions import InputError
from rowsift.io import read_table, sniff
from rowsift.io.records import LoadingCounts
from rowsift.recipe import SourceSpec

MakeFile = Callable[..., Path]

WEATHER = """% The weather data
% (a comment line, then the header)
@RELATION weather

@ATTRIBUTE outlook {sunny, overcast, rainy}
@attribute 'air temperature' real
@Attribute "humidity %" numeric
@ATTRIBUTE windy {TRUE, FALSE}
@ATTRIBUTE play {'yes', 'no'}

@DATA
% recorded by hand

sunny,85,85,FALSE,'no'
overcast,83,?,FALSE,'yes'
rainy,70,96,TRUE,'don''t know'
'partly, cloudy',68,80,FALSE,'yes'
%
% end of data
"""
ROWS = [
    ("sunny", "85", "85", "FALSE", "no"),
    ("overcast", "83", "?", "FALSE", "yes"),
    ("rainy", "70", "96", "TRUE", "don't know"),
    ("partly, cloudy", "68", "80", "FALSE", "yes"),
]
NAMES = ("outlook", "air temperature", "humidity %", "windy", "play")


def test_an_arff_file_is_read_by_its_header(csv_file: MakeFile) -> None:
    path = csv_file(WEATHER, ".arff")
    found = sniff(path)
    assert found.names == NAMES
    assert found.quote == "'"
    assert found.footer_rows == 2
    frame = detected(path)
    assert [name for name in frame.columns if not name.startswith("_rowsift_")] == list(NAMES)
    assert good(frame) == ROWS
    assert not failed(frame)
    # the recipe's source (what the header does not say) reads the same rows
    assert found.to_source(format="arff") == {"format": "arff", "encoding": "utf-8", "quote": "'"}
    assert good(read(path, **found.to_source(format="arff"))) == ROWS


def test_every_line_of_an_arff_file_is_accounted_for(csv_file: MakeFile) -> None:
    path = csv_file(WEATHER, ".arff")
    counted = []
    frame = read_table(path, SourceSpec(detect=True), on_loaded=counted.append).collect()
    (counts,) = counted
    lines = WEATHER.count("\n")
    # the header and the comment under @data, the blank line above the records, the last
    # comments
    assert (counts.preamble + counts.header, counts.blank, counts.footer) == (12, 1, 2)
    assert counts.preamble + counts.header + counts.blank + counts.footer + len(frame) == lines


def test_a_compressed_arff_file_reads_the_same(csv_file: MakeFile) -> None:
    path = csv_file(gzip.compress(WEATHER.encode()), ".arff.gz")
    assert good(detected(path)) == ROWS


def test_a_comment_among_the_records_is_skipped_and_counted(csv_file: MakeFile) -> None:
    """A `%` line is a comment wherever it is in an ARFF file (`source.comment`), one that
    splits into the header's width too."""
    text = WEATHER.replace("rainy,70", "% a note between records\n% a, b, c, d, e\nrainy,70")
    path = csv_file(text, ".arff")
    counted: list[LoadingCounts] = []
    frame = read_table(path, SourceSpec(detect=True), on_loaded=counted.append).collect()
    assert good(frame.to_native()) == ROWS
    assert not failed(frame.to_native())
    assert (counted[-1].comment, counted[-1].footer) == (2, 2)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("@relation r\n@attribute a real\n@data\n{0 1.5}\n", "sparse"),
        ("@relation r\n@attribute a real\n1.5\n", "no @data line"),
        ("@relation r\n@data\n1.5\n", "no @attribute lines"),
    ],
)
def test_an_arff_file_that_cannot_be_read_says_why(
    csv_file: MakeFile, text: str, message: str
) -> None:
    with pytest.raises(InputError, match=message) as raised:
        detected(csv_file(text, ".arff"))
    assert raised.value.file is not None


def test_suggest_records_the_arff_source_and_its_recipe_runs(
    csv_file: MakeFile, tmp_path: Path
) -> None:
    path = csv_file(WEATHER, ".arff")
    recipe = tmp_path / "weather.yaml"
    runner = CliRunner()
    suggested = runner.invoke(app, ["suggest", str(path), "-o", str(recipe)])
    assert suggested.exit_code == 0, suggested.output
    assert "source: {format: arff" in recipe.read_text()
    ran = runner.invoke(app, ["run", str(recipe), str(path), "-o", str(tmp_path / "out")])
    assert ran.exit_code == 0, ran.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["rows_in"] == len(ROWS)
    sniffed = runner.invoke(app, ["sniff", str(path)])
    assert "air temperature, humidity %" in sniffed.output
