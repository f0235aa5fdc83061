"""What loading did with a text file's lines (`LoadingCounts`): every physical line is counted
once, as skipped (preamble, header, blank, footer), merged into a record, or a record's first;
summary.json carries the counts."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import examples

from rowsift._cli.render import loading_line
from rowsift.api import run_file
from rowsift.io import read_table
from rowsift.io.convert import convert
from rowsift.io.csvtext import physical_lines
from rowsift.io.records import LoadingCounts
from rowsift.recipe import SourceSpec
from rowsift.summary import RunSummary

MakeFile = Callable[..., Path]
MESSY = (
    "report of 2026\n"
    "\n"
    "id,note\n"
    '1,"a\nb\nc"\n'  # a record over three lines
    "2,x\n"
    "\n"  # a blank line
    '3,"bad\n'  # a quote that never closes: quarantined, alone
    "4,y,z\n"  # a field too many: quarantined
    "5,ok\n"
)


def _counts(path: Path, **source: object) -> tuple[LoadingCounts, int]:
    told: list[LoadingCounts] = []
    spec = SourceSpec.model_validate(source)
    rows = len(read_table(path, spec, on_loaded=told.append).collect())
    assert told, "the reader tells its counts once the file is read"
    return told[-1].settle(rows), rows


def _accounted(counts: LoadingCounts, rows: int, text: str) -> None:
    lines = len(physical_lines(text))
    skipped = counts.preamble + counts.header + counts.blank + counts.comment + counts.footer
    assert skipped + counts.merged + rows == lines, (counts, rows, lines)
    assert counts.quarantined <= rows


def test_a_messy_file_counts_each_thing_loading_did(csv_file: MakeFile) -> None:
    path = csv_file(MESSY)
    counts, rows = _counts(path, detect=True)
    assert rows == 5
    assert counts == LoadingCounts(preamble=2, header=1, blank=1, merged=2, quarantined=2)
    _accounted(counts, rows, MESSY)


def test_a_plain_file_skips_only_its_header(csv_file: MakeFile) -> None:
    counts, rows = _counts(csv_file("id,n\n1,2\n3,4\n"))
    assert (counts, rows) == (LoadingCounts(header=1), 2)


def test_a_plain_file_with_quoted_line_breaks_counts_them_as_merged(csv_file: MakeFile) -> None:
    """Polars reads it (`rowsift.io.plain`): the lines merged into records are settled from the
    rows read, as the record reader counts them."""
    text = 'id,note\n1,"a\nb\nc"\n2,x\n3,"y\r\nz"\n'
    told: list[LoadingCounts] = []
    rows = len(read_table(csv_file(text), SourceSpec(), on_loaded=told.append).collect())
    assert told[-1].record_lines == 6
    counts = told[-1].settle(rows)
    assert (counts, rows) == (LoadingCounts(header=1, merged=3), 3)
    assert "record_lines" not in counts.to_dict()
    _accounted(counts, rows, text)


def test_a_footer_and_a_header_over_two_rows_are_counted(csv_file: MakeFile) -> None:
    text = "id,n\ncode,count\n1,2\n3,4\n\ntotal,6\n"
    counts, rows = _counts(csv_file(text), header_rows=2, footer_rows=1)
    assert (counts.header, counts.blank, counts.footer, rows) == (2, 1, 1, 2)
    _accounted(counts, rows, text)


def test_a_line_break_in_a_header_name_is_counted_once_as_the_headers(
    csv_file: MakeFile,
) -> None:
    for text, told in (
        ('"a\nb",c\n1,2\n', {}),
        ('Report\n"a\nb",c\n1,2\n3,4\n', {"header_row": 1}),
    ):
        for source in (told, {**told, "detect": True}):
            counts, rows = _counts(csv_file(text), **source)
            assert (counts.header, counts.merged) == (2, 0), (text, source)
            _accounted(counts, rows, text)


def test_blank_lines_above_the_header_are_blank_whether_told_or_detected(
    csv_file: MakeFile,
) -> None:
    text = "\n\na,b\n\n1,2\n"
    for source in ({}, {"detect": True}):
        counts, rows = _counts(csv_file(text), **source)
        assert (counts.header, rows) == (1, 1), source
        assert counts.blank + counts.preamble == 3, source
        _accounted(counts, rows, text)


def _run(tmp_path: Path, text: str, name: str) -> tuple[Path, RunSummary]:
    """The recipe (detection on, an `id` column) and the summary of its run on `text`."""
    data = tmp_path / f"{name}.csv"
    data.write_text(text)
    recipe = tmp_path / "r.yaml"
    recipe.write_text("version: 1\nname: t\nsource: {detect: true}\ncolumns:\n  id: {}\n")
    return recipe, run_file(recipe, data, tmp_path / name)


def test_summary_json_says_what_loading_did(tmp_path: Path) -> None:
    recipe, summary = _run(tmp_path, MESSY, "messy")
    written = json.loads((tmp_path / "messy" / "summary.json").read_text())
    assert summary.rows_in == 5
    assert written["input"]["loading"] == {
        "lines_skipped": 4,
        "lines_merged": 2,
        "records_quarantined": 2,
        "records_joined": 0,
        "preamble": 2,
        "header": 1,
        "blank": 1,
        "merged": 2,
        "footer": 0,
        "comment": 0,
        "quarantined": 2,
        "joined": 0,
    }
    assert written["failures"]["row.parse"] == 2
    assert loading_line(summary) is not None
    assert str(loading_line(summary)) == (
        "loading: lines skipped: 2 before the header, 1 blank; 2 lines joined to records over "
        "several lines (summary.json: input.loading)"
    )
    plain = tmp_path / "plain.csv"
    plain.write_text("id,n\n1,2\n")
    assert loading_line(run_file(recipe, plain, tmp_path / "plain")) is None


def test_a_run_says_how_many_comment_lines_it_skipped(tmp_path: Path) -> None:
    noted = "# exported 2026-01-05\nid,name\n1,a\n# sensor 2 restarted\n2,b\n\n# end\n3,c\n"
    _, summary = _run(tmp_path, noted, "noted")
    assert summary.input["loading"]["comment"] == 2
    assert str(loading_line(summary)) == (
        "loading: lines skipped: 1 before the header, 1 blank, 2 comments "
        "(summary.json: input.loading)"
    )


LINE = st.sampled_from(
    [
        *("id,n", "1,2", "3,4", "", ",", '5,"a', 'b"', '6,"x,y"', "7,8,9", '"', "only"),
        *("total,9", "# a note", "#9,9", '# "x'),
    ]
)


@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    lines=st.lists(LINE, min_size=1, max_size=12),
    ending=st.sampled_from(["\n", "\r\n"]),
    last=st.booleans(),
    detect=st.booleans(),
    comment=st.sampled_from([None, "#"]),
)
def test_every_line_is_counted_once(
    csv_file: MakeFile,
    lines: list[str],
    ending: str,
    last: bool,
    detect: bool,
    comment: str | None,
) -> None:
    text = ending.join(["id,n", *lines]) + (ending if last else "")
    source = {"detect": detect} if comment is None else {"detect": detect, "comment": comment}
    counts, rows = _counts(csv_file(text), **source)
    _accounted(counts, rows, text)


def test_a_header_whose_quote_never_closes_counts_its_own_line_only(csv_file: MakeFile) -> None:
    """The reader reads such a header to the end of the file looking for the quote's close,
    then hands the lines after its first back: they are records, not the header's."""
    text = '# "x\n# "x\n'
    counts, rows = _counts(csv_file(text), delimiter=" ")
    assert (counts.header, counts.quarantined, rows) == (1, 1, 1)
    _accounted(counts, rows, text)


def test_convert_says_what_loading_did(csv_file: MakeFile) -> None:
    path = csv_file(MESSY)
    done = convert(path, path.with_name("tidy.csv"))
    assert (done.rows, done.failures) == (3, 2)
    assert done.loading == LoadingCounts(preamble=2, header=1, blank=1, merged=2, quarantined=2)
