"""Comment lines among the records (`source.comment`): skipped and counted, never read as a
record or a parse failure; detected when lines below the header start with ``#`` and none of
them is a record of the table's width."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from loading_helpers import detected, failed, good, read
from pydantic import ValidationError

from rowsift.io import read_table, sniff
from rowsift.io.records import LoadingCounts
from rowsift.recipe import SourceSpec

MakeFile = Callable[..., Path]
NOTED = "# exported 2026-01-05\nid,name\n1,a\n# sensor 2 restarted\n2,b\n\n# end of day\n3,c\n"


def _counts(path: Path, **source: object) -> LoadingCounts:
    told: list[LoadingCounts] = []
    read_table(path, SourceSpec.model_validate(source), on_loaded=told.append).collect()
    return told[-1]


def test_comment_lines_among_the_records_are_detected_skipped_and_counted(
    csv_file: MakeFile,
) -> None:
    path = csv_file(NOTED)
    assert sniff(path, SourceSpec(detect=True)).comment == "#"
    frame = detected(path)
    assert good(frame) == [("1", "a"), ("2", "b"), ("3", "c")]
    assert failed(frame) == []
    assert frame["_rowsift_line"].to_list() == [3, 5, 8]  # each record's own line
    counts = _counts(path, detect=True)
    assert (counts.preamble, counts.header, counts.comment, counts.blank) == (1, 1, 2, 1)


def test_a_line_starting_with_the_mark_that_splits_into_the_width_is_a_record(
    csv_file: MakeFile,
) -> None:
    """``#5,e`` may be data (an id written with a hash): no comment is detected, nothing is
    skipped, and the note line that does not split is quarantined with its text as before."""
    path = csv_file("id,name\n1,a\n# a note\n#5,e\n")
    assert sniff(path, SourceSpec(detect=True)).comment is None
    frame = detected(path)
    assert good(frame) == [("1", "a"), ("#5", "e")]
    assert [row["_rowsift_raw"] for row in failed(frame)] == ["# a note"]


def test_a_comment_that_splits_into_the_width_is_skipped_when_the_recipe_says_so(
    csv_file: MakeFile,
) -> None:
    """Every record of the file is well formed, so it would be plain (read by Polars at once):
    with `comment` written, its comment lines still never become rows."""
    path = csv_file("id,name\n1,a\n# note, two\n2,b\n")
    frame = read(path, comment="#")
    assert good(frame) == [("1", "a"), ("2", "b")]
    assert _counts(path, comment="#").comment == 1


def test_a_line_inside_a_quoted_field_and_the_header_are_never_comments(
    csv_file: MakeFile,
) -> None:
    path = csv_file('#,note\n1,"first line\n# not a comment"\n# a comment\n2,x\n')
    frame = read(path, comment="#")
    assert good(frame) == [("1", "first line\n# not a comment"), ("2", "x")]
    assert [name for name in frame.columns if not name.startswith("_rowsift_")] == ["#", "note"]


def test_the_recipe_writes_the_detected_comment_and_reads_with_it(csv_file: MakeFile) -> None:
    path = csv_file(NOTED)
    source = sniff(path, SourceSpec(detect=True)).to_source()
    assert source["comment"] == "#"
    frame = read(path, **source)
    assert good(frame) == [("1", "a"), ("2", "b"), ("3", "c")]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ({"comment": " #"}, "whitespace"),
        ({"comment": "#", "delimiter": "#"}, "delimiter"),
        ({"comment": "'", "quote": "'"}, "quote"),
        ({"comment": ""}, "at least 1 character"),
    ],
)
def test_a_comment_that_could_not_be_told_from_the_fields_is_refused(
    source: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        SourceSpec.model_validate(source)


def test_a_source_without_comment_saves_as_it_did(csv_file: MakeFile) -> None:
    """The key is left out while unset, so older recipes keep their fingerprint."""
    assert "comment" not in SourceSpec().model_dump()
    assert SourceSpec(comment="#").model_dump()["comment"] == "#"


def test_a_comment_mark_on_a_one_column_table_is_not_detected(csv_file: MakeFile) -> None:
    """There a ``#`` line is a value like any other."""
    path = csv_file("tag\n#a\nb\n")
    assert sniff(path, SourceSpec(detect=True)).comment is None
    assert good(detected(path)) == [("#a",), ("b",)]


def test_trailing_comment_lines_are_comments_not_a_footer(csv_file: MakeFile) -> None:
    """They would be the footer's notes; with the mark known they are comments, and a footer
    of notes that are not all comments stays a footer."""
    path = csv_file("id,name\n1,a\n2,b\n# end of export\n")
    assert sniff(path, SourceSpec(detect=True, comment="#")).footer_rows == 0
    counts = _counts(path, detect=True, comment="#")
    assert (counts.comment, counts.footer) == (1, 0)
    noted = csv_file("id,name\n1,a\n2,b\nTotal: 2 rows\n")
    assert sniff(noted, SourceSpec(detect=True, comment="#")).footer_rows == 1
