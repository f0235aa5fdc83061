"""The plain fast path reads exactly what the record-by-record reader reads, and only then."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from loading_helpers import assert_polars_reads_alike, record_reader, table_rows

from rowsift.io import plain, shapes
from rowsift.io.delimited import scan_delimited
from rowsift.io.read import read_table, sniff
from rowsift.io.sniff import Dialect
from rowsift.recipe import SourceSpec

SOURCE = SourceSpec(delimiter=",", quote='"')


def both_ways(path: Path) -> tuple[bool, pl.DataFrame, pl.DataFrame]:
    dialect = sniff(path, SOURCE)
    fast = plain.is_plain(path, dialect)
    robust = scan_delimited(path, dialect).collect()
    quick = plain.scan_plain(path, dialect).collect() if fast else robust
    return fast, quick, robust


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a,b\n1,2\n3,4\n", True),
        ('a,b\r\n"1,5",2\r\n"say ""hi""",4\r\n', True),
        ("a,b\n1,2\r\n", False),  # mixed line ends
        ("a,b\n1,2\n\n3,4\n", False),  # a blank line
        ("a,b\n1,2\n3\n", False),  # too few fields
        ("a,b\n1,2\n3,4,5\n", False),  # too many
        ('a,b\n"1\n5",2\n', False),  # a line break inside quotes
        ('a,b\n1,"2\n3,4\n', False),  # a quote that never closes
        ('a,b\n1,x"y\n', False),  # a quote inside an unquoted field
        ("a,b\n,\n", False),  # a blank record
        ("a,b,\n1,2\n", False),  # the header is wider than the records
        ("a,b\n", True),  # no records
    ],
)
def test_plain_files_are_recognised(tmp_path: Path, text: str, expected: bool) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode())
    fast, quick, robust = both_ways(path)
    assert fast is expected
    assert quick.equals(robust)


def test_a_lone_carriage_return_above_the_header_is_not_plain(tmp_path: Path) -> None:
    # the sniffer counts the lines above the header with the lone CR ending one; Polars,
    # skipping them, would not, and would take the record below the header for it
    # (the sniffer now takes the first line for the header: the quoted lone CR below it makes
    # a record of the width of the one before it; the file is still not plain, and every
    # line after the header is a row, good or quarantined)
    path = tmp_path / "t.csv"
    path.write_bytes(b'_,_,_,_\n,,\n,,"\r"\n,,;,;\n,,,1')
    dialect = sniff(path, SourceSpec(detect=True))
    assert plain.check_plain(path, dialect) is None
    frame = read_table(path, SourceSpec(detect=True)).collect().to_native()
    assert frame["_rowsift_line"].to_list() == list(range(dialect.header_row + 2, 7))
    good = frame.filter(pl.col("_rowsift_parse").is_null()).select(pl.exclude("^_rowsift_.*$"))
    assert good.rows()[-1] == ("", "", "", "1")


def test_undecodable_bytes_are_not_plain(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"a,b\n1,\xff\n")
    assert not plain.is_plain(path, sniff(path, SOURCE))


fields = st.text(alphabet=st.sampled_from('ab ,"1é\t'), max_size=5)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.lists(fields, min_size=3, max_size=3), min_size=1, max_size=12))
def test_both_readers_agree_on_well_formed_files(tmp_path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["x", "y", "z"])
    writer.writerows(rows)
    path = tmp_path / "t.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    _, quick, robust = both_ways(path)
    assert quick.equals(robust)


def test_every_block_of_a_large_file_is_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Blocks are matched a group at a time: a bad record in any block, first or last of a
    group or of the file, makes the file not plain."""
    monkeypatch.setattr(plain, "_BLOCK_BYTES", 64)
    lines = [f"{i},{'x' * (i % 7)}" for i in range(400)]
    path = tmp_path / "t.csv"
    path.write_text("a,b\n" + "\n".join(lines) + "\n")
    assert plain.is_plain(path, sniff(path, SOURCE))
    for broken in (0, 1, 2, 57, 200, 398, 399):
        bad = [*lines]
        bad[broken] = f"{broken},1,2"
        path.write_text("a,b\n" + "\n".join(bad) + "\n")
        assert not plain.is_plain(path, sniff(path, SOURCE)), broken
    path.write_text("a,b\n" + "\n".join(lines))  # no line break after the last record
    assert plain.is_plain(path, sniff(path, SOURCE))


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from('ab,"é\n\r'), max_size=40))
def test_a_whole_run_is_one_with_no_bytes_after_it(text: str) -> None:
    """The check of a group of blocks agrees with the length of each one's run (block by
    block), and a line of delimiters alone is found in the text and in its bytes alike, and by
    the checks of blocks told to look for one."""
    dialect = Dialect(delimiter=",", quote='"', names=("x", "y"))
    pattern = shapes.well_formed_pattern(dialect, terminator="\n", line_breaks=False)
    whole = shapes.bytes_after_run(text.encode(), pattern) == 0
    assert shapes.all_runs([text.encode()], pattern) is whole
    assert shapes.block_runs([b"a,b\n", text.encode()], pattern) == [True, whole]
    assert shapes.all_runs([text.encode(), b"a,b\n"], pattern) is whole
    assert shapes.all_runs([b"a,b\n", text.encode()], pattern) is whole
    assert shapes.has_spacer(text.encode(), dialect) is shapes.has_spacer(text, dialect)
    spaced = shapes.has_spacer(text.encode(), dialect)
    assert shapes.all_runs([text.encode()], pattern, spacers=dialect) is (whole and not spaced)
    many = shapes.well_formed_pattern(dialect, terminator="any", line_breaks=True)
    spanning = shapes.all_runs([text.encode()], many, spanning=True)
    assert shapes.all_runs([text.encode()], many, spanning=True, spacers=dialect) is (
        spanning and not spaced
    )


@st.composite
def records_or_noise(draw: st.DrawFn, delimiter: str, width: int, terminator: str) -> str:
    """Text of records of `width` fields (a field now and then holding a delimiter, a line-end
    character or a quote), a line of delimiters alone or a blank line put in; or any text."""
    if draw(st.booleans()):
        return draw(st.text(alphabet=st.sampled_from('ab;,\t\n\r é"'), max_size=60))
    field = st.text(
        alphabet=st.sampled_from(["a", "b", " ", "1", "a", "b", *';,\t\r"é']), max_size=3
    )
    rows = draw(st.lists(st.lists(field, min_size=width, max_size=width), min_size=1, max_size=6))
    lines = [delimiter.join(row) for row in rows]
    extra = draw(st.sampled_from(["", "", "", delimiter * (width - 1), " "]))
    if extra:
        lines.insert(draw(st.integers(0, len(lines))), "" if extra == " " else extra)
    return terminator.join(lines) + draw(st.sampled_from([terminator, terminator, ""]))


@settings(max_examples=300, deadline=None)
@given(
    width=st.integers(2, 4),
    delimiter=st.sampled_from([",", ";", "\t"]),
    terminator=st.sampled_from(["\n", "\r\n"]),
    data=st.data(),
)
def test_blocks_judged_by_their_bytes_are_judged_as_the_pattern_judges_them(
    width: int, delimiter: str, terminator: str, data: st.DataObject
) -> None:
    """A block proven a run by its bytes alone is one by the pattern, with no line of
    delimiters alone; and every block without a quote is judged exactly as the pattern judges
    it, so none is sent to the pattern for nothing."""
    text = data.draw(records_or_noise(delimiter, width, terminator))
    dialect = Dialect(delimiter=delimiter, quote='"', names=tuple("xyzw"[:width]))
    pattern = shapes.well_formed_pattern(dialect, terminator=terminator, line_breaks=False)
    block = text.encode()
    whole = shapes.bytes_after_run(block, pattern, terminator) == 0
    by_pattern = whole and not shapes.has_spacer(block, dialect)
    shaped = shapes.shaped_runs([b"x,y\n", block], dialect, terminator)[1]
    assert not shaped or by_pattern
    if block and b'"' not in block:
        assert shaped is by_pattern
    assert shapes.block_runs([block], pattern, terminator, spacers=dialect) == [by_pattern]


def test_a_group_with_a_block_that_is_not_utf8_is_not_a_run() -> None:
    dialect = Dialect(delimiter=",", quote='"', names=("x", "y"))
    pattern = shapes.well_formed_pattern(dialect, terminator="\n", line_breaks=False)
    assert shapes.all_runs([b"a,b\n", b"1,\xff\n"], pattern) is False
    for block in (b"1,\xff\n", b"1,\xed\xa0\x80\n", b"1,\xc3\n"):  # a surrogate, a cut one
        assert shapes.all_runs([block], pattern, spacers=dialect) is False
    assert shapes.all_runs(["1,\u00e9\n".encode()], pattern, spacers=dialect) is True


def both_ways_with_line_breaks(path: Path) -> tuple[plain.Plain | None, pl.DataFrame, pl.DataFrame]:
    """The multi-line fast path (what `read_table` takes) beside the record reader."""
    dialect = sniff(path, SOURCE)
    found = plain.check_plain(path, dialect)
    robust = scan_delimited(path, dialect).collect()
    quick = plain.scan_plain(path, dialect, found).collect() if found else robust
    return found, quick, robust


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ('a,b\n"1\n5",2\n3,4\n', True),  # a line break inside quotes
        ('a,b\r\n"1\r\n5",2\r\n3,"x\ny"\r\n', True),  # both kinds of line break in values
        ("a,b\n1,2\r\n3,4\n", False),  # records ended by both: Polars reads them alike
        ('a,b\n1,"x\n,\ny"\n', True),  # a line of delimiters inside a value is not a record
        ('a,b\n"1\n\n5",2\n', True),  # nor is an empty line
        ('a,b\n1,"x\ny"\n,\n', None),  # a blank record after a multi-line one
        ('a,b\n1,"x\ry"\n', None),  # a lone carriage return: a line break to the record reader
        ('"a\nb",c\n1,2\n', None),  # a header over two lines
        ('a,b\n1,"2\n3,4\n', None),  # a quote that never closes
        ('a,b\n1,"x\ny"z\n', None),  # text after a closing quote
        ('a,b\n1,"x\ny"\n2\n', None),  # a record too short after a multi-line one
    ],
)
def test_quoted_line_breaks_are_read_by_polars(
    tmp_path: Path, text: str, spans: bool | None
) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode())
    found, quick, robust = both_ways_with_line_breaks(path)
    assert (None if found is None else found.line_breaks) is spans
    assert not plain.is_plain(path, sniff(path, SOURCE)) or spans is False
    assert quick.equals(robust)


@pytest.mark.parametrize("last", ["\n", ""])
def test_a_multi_line_file_counts_its_lines_as_the_record_reader_does(
    tmp_path: Path, last: str
) -> None:
    """With or without a line end after the last record (which is matched as if it had one)."""
    path = tmp_path / "t.csv"
    path.write_text('a,b\n1,"x\ny"\n2,"p\nq\nr"\n3,4' + last)
    dialect = sniff(path, SOURCE)
    found = plain.check_plain(path, dialect)
    assert found == plain.Plain(line_breaks=True, lines=7)
    assert_polars_reads_alike(path, dialect, found, *record_reader(path, dialect))


endings = st.sampled_from(["\n", "\r\n"])
block_sizes = st.sampled_from([16, 64, 1 << 22])
"""Blocks that end beside or inside a record, and the real size."""


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=table_rows('ab ,"é\n', max_size=6),
    ending=endings,
    block=block_sizes,
)
def test_both_readers_agree_on_files_with_quoted_line_breaks(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rows: list[list[str]],
    ending: str,
    block: int,
) -> None:
    """Any well-formed file, read in blocks small enough to end beside (or inside) a quoted
    line break: the fast path takes it whole and reads every value and line as the record
    reader does."""
    monkeypatch.setattr(plain, "_BLOCK_BYTES", block)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=ending)
    writer.writerow(["x", "y", "z"])
    writer.writerows(rows)
    path = tmp_path / "t.csv"
    path.write_bytes(buffer.getvalue().encode())
    found, quick, robust = both_ways_with_line_breaks(path)
    # a record of bare delimiters goes to the record reader, unless no other record follows
    # it (a blank line then, which Polars is told to stop before where every record is one line)
    inner, trailing = _blank_records(rows)
    if inner:
        assert found is None
    elif not trailing:
        assert found is not None
    assert quick.equals(robust)


def _blank_records(rows: list[list[str]]) -> tuple[bool, bool]:
    """(a record of empty fields that another record follows, one that none follows)."""
    empty = [all(value == "" for value in row) for row in rows]
    trailing = 0
    while trailing < len(empty) and empty[len(empty) - 1 - trailing]:
        trailing += 1
    return any(empty[: len(empty) - trailing]), trailing > 0


comment_texts = st.text(alphabet=st.sampled_from('#ab ,"'), max_size=5)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.one_of(
            # a record written with the mark first would be a comment line
            st.lists(
                st.text(alphabet=st.sampled_from('ab ,"#'), max_size=4), min_size=3, max_size=3
            ).filter(lambda row: not row[0].startswith("#")),
            comment_texts.map(lambda text: "#" + text),
        ),
        min_size=1,
        max_size=14,
    ),
    ending=endings,
    block=block_sizes,
    last=st.booleans(),
)
def test_comment_lines_among_one_line_records_are_read_by_polars(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rows: list[list[str] | str],
    ending: str,
    block: int,
    last: bool,
) -> None:
    """Records and comment lines (``source.comment``) in any order, in blocks that end
    anywhere: Polars takes every file whose comments hold no quote (unless the line also reads
    as a record), skipping the comments as the record reader does, with each record's line and
    the comments counted alike."""
    monkeypatch.setattr(plain, "_BLOCK_BYTES", block)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=ending)
    writer.writerow(["x", "y", "z"])
    for row in rows:
        if isinstance(row, str):
            buffer.write(row + ending)
        else:
            writer.writerow(row)
    text = buffer.getvalue()
    path = tmp_path / "t.csv"
    path.write_bytes((text if last else text.removesuffix(ending)).encode())
    dialect = sniff(path, SourceSpec(comment="#"))
    found = plain.check_plain(path, dialect)
    comments = [row for row in rows if isinstance(row, str)]
    quoted = any('"' in comment for comment in comments)
    # a record of bare delimiters that no record or comment follows is a blank line
    kept = list(rows)
    while kept and not isinstance(kept[-1], str) and all(value == "" for value in kept[-1]):
        kept.pop()
    blank = any(all(value == "" for value in row) for row in kept if not isinstance(row, str))
    # Polars fails on a last line without its line end that holds the mark: not plain
    open_end = comments and not last and "#" in text.removesuffix(ending).rsplit(ending)[-1]
    assert not (comments and plain.is_plain(path, dialect))  # other engines' readers: no
    if found is not None:  # whatever the sniffer made of the file
        assert_polars_reads_alike(path, dialect, found, *record_reader(path, dialect))
    if (dialect.delimiter, dialect.names) != (",", ("x", "y", "z")):
        return  # comment lines of other widths can sway the sniffer: the file read otherwise
    if blank or open_end:
        assert found is None
    elif not quoted:
        assert found is not None
    if found is not None:
        assert found.comments == tuple(
            sum(1 for earlier in rows[:at] if not isinstance(earlier, str))
            for at, row in enumerate(rows)
            if isinstance(row, str)
        )


@pytest.mark.parametrize(
    "text",
    [
        'a,b\n1,"x\ny"\n# after a record over two lines\n2,3\n',
        "# a,b\n1,2\n# note\n3,4\n",  # the header starts with the mark
        'a,b\n1,2\n# note "quoted\n3,4\n',  # a quote would put Polars' count out of step
    ],
)
def test_comment_lines_that_polars_would_not_read_alike_go_to_the_record_reader(
    tmp_path: Path, text: str
) -> None:
    path = tmp_path / "t.csv"
    path.write_text(text)
    dialect = sniff(path, SourceSpec(comment="#"))
    assert plain.check_plain(path, dialect) is None
    assert not plain.is_plain(path, dialect)


footer_lines = st.lists(
    st.text(alphabet=st.sampled_from('Tota l:,"é'), max_size=6), min_size=1, max_size=4
)


# files the sniffer reads with another header or delimiter than the one they were written with
@example(rows=[["a", "a", " a "]], footer=[": ", "  "], ending="\n", block=16, last=False)
@example(rows=[["a", "a", " "]], footer=["::", "::"], ending="\n", block=16, last=False)
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=table_rows("ab c", min_size=1),
    footer=footer_lines,
    ending=endings,
    block=block_sizes,
    last=st.booleans(),
)
def test_a_footer_after_one_line_records_is_left_out_by_polars(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rows: list[list[str]],
    footer: list[str],
    ending: str,
    block: int,
    last: bool,
) -> None:
    """Records, then a footer (``source.footer_rows``: its lines that are not blank) with
    blank lines anywhere in or above it: Polars reads the records and stops before the footer,
    with the lines left out counted as the record reader counts them, unless a footer line
    holds a quote or more fields than the header (Polars parses a little past its last row)."""
    monkeypatch.setattr(plain, "_BLOCK_BYTES", block)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=ending).writerows([["x", "y", "z"], *rows])
    text = buffer.getvalue() + ending.join(footer) + (ending if last else "")
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode())
    notes = sum(1 for line in footer if line.strip())
    dialect = sniff(path, SourceSpec(detect=True, footer_rows=notes))
    found = plain.check_plain(path, dialect)
    assert not (notes and plain.is_plain(path, dialect))  # other engines' readers: no
    if found is not None:  # whatever the sniffer made of the file
        assert_polars_reads_alike(path, dialect, found, *record_reader(path, dialect))
    if not notes or (dialect.delimiter, dialect.names) != (",", ("x", "y", "z")):
        return  # no footer; or the sniffer read the file otherwise (a footer line as header)
    first = next(at for at, line in enumerate(footer) if line.strip())
    quote = dialect.quote or "\n"
    harmful = any(line for line in footer[:first]) or any(  # spaces alone are a record
        quote in line or line.count(",") > 2 for line in footer
    )
    assert (found is None) is harmful
    assert found is None or found.records == len(rows)


def test_a_large_file_with_quoted_line_breaks_is_read_exactly(tmp_path: Path) -> None:
    """Big enough for Polars to split it into parts that it reads in parallel: values and
    lines agree with the record reader's on every row."""
    notes = ["plain", "two\nlines", 'said "ok",\nthen\n\nleft', "a,b", ""]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "note", "day"])
    writer.writerows([i, notes[i * 7 % 5], f"2024-01-{i % 28 + 1:02d}"] for i in range(150_000))
    path = tmp_path / "t.csv"
    path.write_text(buffer.getvalue())
    found, quick, robust = both_ways_with_line_breaks(path)
    assert found == plain.Plain(line_breaks=True, lines=1 + 150_000 + 30_000 * 4)
    assert quick.equals(robust)


def test_a_record_longer_than_a_block_can_grow_is_left_to_the_record_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plain, "_BLOCK_BYTES", 16)
    monkeypatch.setattr(plain, "_LONGEST_RECORD", 64)
    path = tmp_path / "t.csv"
    path.write_text('a,b\n1,"' + "x\n" * 100 + '"\n2,y\n')
    found, quick, robust = both_ways_with_line_breaks(path)
    assert found is None
    assert robust["b"].to_list() == ["x\n" * 100, "y"]
    monkeypatch.setattr(plain, "_LONGEST_RECORD", 1 << 26)
    found, quick, robust = both_ways_with_line_breaks(path)
    assert found is not None
    assert quick.equals(robust)


def test_a_file_wider_than_the_pattern_is_read_record_by_record(tmp_path: Path) -> None:
    """The check's pattern repeats the field once per column; past `MAX_PATTERN_WIDTH` it would
    not compile (6,832 columns stopped `rowsift suggest`), so such a file is not plain and its
    records are read one by one, and measured in chunks of columns."""
    import rowsift

    width = shapes.MAX_PATTERN_WIDTH + 1
    path = tmp_path / "wide.csv"
    header = ",".join(f"x{i}" for i in range(width))
    rows = [",".join(str(r * width + i) for i in range(width)) for r in range(3)]
    path.write_text("\n".join([header, *rows]) + "\n")
    dialect = sniff(path, SOURCE)
    assert len(dialect.names) == width
    assert plain.check_plain(path, dialect) is None
    recipe = rowsift.load_recipe_text("version: 1\ncolumns:\n  x0: {type: int}\n  x2000: {}\n")
    summary = rowsift.run_file(recipe, path, tmp_path / "out")
    assert (summary.rows_in, summary.rows_clean) == (3, 3)
    clean = pl.read_parquet(tmp_path / "out" / "clean.parquet")
    assert clean["x0"].to_list() == [0, width, 2 * width]
    assert clean["x2000"].to_list() == [str(r * width + 2000) for r in range(3)]
    assert (tmp_path / "out" / "details.json").stat().st_size > 0
