"""Fuzzing the sniffer and the record reader with Hypothesis, over raw bytes and over CSV
structure. Invariants: no exception but rowsift's own; every record read once (rows numbered
0..n-1, a parse failure keeps its raw text); the fast path and the record reader agree.

The suite runs a short pass; `make fuzz` runs the same properties with many more examples
(ROWSIFT_FUZZ_EXAMPLES).
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import shutil
import tempfile
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rowsift._names import LINE, PARSE, RAW, ROW
from rowsift.exceptions import RowsiftError
from rowsift.io.delimited import scan_delimited
from rowsift.io.plain import check_plain, scan_plain
from rowsift.io.read import read_table, sniff
from rowsift.recipe.model import SourceSpec

EXAMPLES = int(os.environ.get("ROWSIFT_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=EXAMPLES <= 100,  # the suite's short pass is the same on every run
)
DETECT = SourceSpec(detect=True)


_FOLDER = Path(tempfile.mkdtemp(prefix="rowsift-fuzz-"))
"""One folder for the whole run: each example overwrites the one file in it."""
atexit.register(shutil.rmtree, _FOLDER, ignore_errors=True)  # the run leaves no folder behind


def _file(data: bytes, suffix: str = ".csv") -> Path:
    path = _FOLDER / f"f{suffix}"
    path.write_bytes(data)
    return path


def _read(path: Path) -> pl.DataFrame | None:
    """The table rowsift reads (None when it refuses with its own error)."""
    try:
        return read_table(path, DETECT).to_native().collect()
    except RowsiftError:
        return None


def _accounted(frame: pl.DataFrame) -> None:
    assert frame[ROW].to_list() == list(range(frame.height))
    if PARSE in frame.columns:
        failed = frame.filter(pl.col(PARSE).is_not_null())
        assert failed[RAW].null_count() == 0, "a record that failed to parse keeps its raw text"
    if LINE in frame.columns and frame.height:
        lines = frame[LINE].to_list()
        assert all(b > a for a, b in itertools.pairwise(lines)), "lines go forward"


CELL_ALPHABET = st.sampled_from(list("ab 19,;|\t\"'\\\n\r\x00é€=-#\u202e\ufeff"))
cells = st.text(CELL_ALPHABET, max_size=8) | st.sampled_from(["", "NA", "  ", "null"])


@st.composite
def csv_documents(draw: st.DrawFn) -> bytes:
    """Tables that are mostly well formed: a header, rows of about its width, some quoting,
    and now and then a ragged row, a blank line, a stray quote, a comment line or another line
    end."""
    width = draw(st.integers(1, 5))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    quote_all = draw(st.booleans())

    def field(value: str) -> str:
        if quote_all or any(c in value for c in (delimiter, '"', "\n", "\r")):
            return '"' + value.replace('"', '""') + '"'
        return value

    names = draw(
        st.lists(st.text("abcxyz_", min_size=1, max_size=4), min_size=width, max_size=width)
    )
    lines = [delimiter.join(field(n) for n in names)]
    for _ in range(draw(st.integers(0, 12))):
        cut = draw(st.integers(-1, 1)) if draw(st.integers(0, 5)) == 0 else 0
        row = draw(st.lists(cells, min_size=max(width + cut, 1), max_size=max(width + cut, 1)))
        lines.append(delimiter.join(field(v) for v in row))
        if draw(st.integers(0, 7)) == 0:  # a comment line (`source.comment` may be detected)
            lines.append("#" + draw(st.text(f"ab {delimiter}", max_size=6)))
    text = ending.join(lines) + (ending if draw(st.booleans()) else "")
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]))
    return text.encode(encoding, errors="replace")


@FUZZ
@given(st.binary(max_size=600))
def test_any_bytes_are_read_or_refused_with_rowsift_errors(data: bytes) -> None:
    path = _file(data)
    with contextlib.suppress(RowsiftError):
        sniff(path, DETECT)
    frame = _read(path)
    if frame is not None:
        _accounted(frame)


@FUZZ
@given(csv_documents())
def test_csv_structure_is_read_with_every_record_once(data: bytes) -> None:
    frame = _read(_file(data))
    if frame is not None:
        _accounted(frame)


@FUZZ
@given(csv_documents())
# a lone CR in a line above the header: a line end to the sniffer, not to Polars' skipping
@example(data=b'_,_,_,_\n,,\n,,"\r"\n,,;,;\n,,,1')
def test_the_fast_path_and_the_record_reader_agree(data: bytes) -> None:
    path = _file(data)
    try:
        dialect = sniff(path, DETECT)
    except RowsiftError:
        return
    plain = check_plain(path, dialect)
    if plain is None:
        return
    fast = scan_plain(path, dialect, plain).collect()
    careful = scan_delimited(path, dialect).collect()
    assert fast.columns == careful.columns
    assert fast.to_dicts() == careful.to_dicts()
