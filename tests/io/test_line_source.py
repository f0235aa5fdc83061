"""Property: a file's lines are the same whether taken one by one, in blocks or as text runs,
whatever the reads' and splits' sizes and the line ends (``\\n``, ``\\r\\n``, a lone ``\\r``)."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rowsift.io import lines
from rowsift.io.sniff import Dialect

STEPS = st.lists(
    st.tuples(st.sampled_from(["line", "peek", "text"]), st.integers(1, 9)), max_size=40
)


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(alphabet='ab,"é\r\n', max_size=60),
    steps=STEPS,
    read=st.integers(1, 9),
    split=st.integers(1, 9),
)
def test_lines_are_the_same_however_they_are_taken(
    text: str, steps: list[tuple[str, int]], read: int, split: int
) -> None:
    expected = io.StringIO(text, newline="").readlines()
    offsets = [len("".join(expected[:i]).encode()) for i in range(len(expected) + 1)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lines, "READ_CHARS", read)
        patch.setattr(lines, "SPLIT_CHARS", split)
        stream = io.TextIOWrapper(io.BytesIO(text.encode()), encoding="utf-8", newline="")
        source = lines.LineSource(stream, Dialect(), Path("t.csv"))
        taken = 0
        for kind, count in [*steps, ("line", 0)]:
            if kind == "line":
                for _ in range(count or len(expected) + 1):
                    line = source.line()
                    if taken == len(expected):
                        assert line is None
                        break
                    assert line is not None
                    assert (line.number, line.text, line.offset) == (
                        taken + 1,
                        expected[taken],
                        offsets[taken],
                    )
                    taken += 1
            elif kind == "peek":
                block = source.peek(count)
                assert block == expected[taken : taken + count]
                first = source.take(block[: count // 2])
                assert first == (taken + 1, offsets[taken])
                taken += len(block[: count // 2])
            else:
                peeked = source.peek_text(count)
                rest = expected[taken:]
                # whole lines, at least one unless none is left
                whole = next(i for i in range(len(rest) + 1) if "".join(rest[:i]) == peeked)
                assert whole >= min(1, len(rest))
                keep = min(whole, count // 2)
                chars = len("".join(rest[:keep]))
                assert source.take_text(chars, keep) == (taken + 1, offsets[taken])
                taken += keep
        assert source.number == len(expected)
        assert source.left_over == 0


def test_a_long_first_line_does_not_make_the_text_looked_at_unbounded(tmp_path: Path) -> None:
    from rowsift.io import delimited

    path = tmp_path / "long.csv"
    rows = "".join(f"{i},v{i}\n" for i in range(3000))
    path.write_text("x" * 3_000_000 + "\nid,v\n" + rows)
    dialect = Dialect(header_row=1, width=2, names=("id", "v"))
    asked: list[int] = []
    original = lines.LineSource.peek_text

    def peek_text(self: lines.LineSource, chars: int) -> str:
        asked.append(chars)
        return original(self, chars)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lines.LineSource, "peek_text", peek_text)
        frame = pl.concat(delimited._frames(path, dialect, 50_000))
    assert frame["id"].to_list() == [str(i) for i in range(3000)]
    assert frame["_rowsift_line"].to_list() == list(range(3, 3003))
    assert asked
    assert max(asked) <= delimited.MAX_TEXT_CHARS


@pytest.mark.parametrize(
    ("encoding", "nbytes"), [("utf-8", 8), ("cp1252", 8), ("utf-16-le", None), ("utf-32-le", None)]
)
def test_a_run_of_ascii_text_is_as_long_as_its_encoding_says(
    encoding: str, nbytes: int | None
) -> None:
    """The byte length a run hands to `LineSource.take_text` (None: counted there in the
    file's encoding): ASCII text is as long as in UTF-8 except in UTF-16 and UTF-32, where
    taking it as such put byte offsets in messages at half or a quarter of the truth."""
    from rowsift.io.well_formed import encoded_block

    found = encoded_block("1,a\n2,b\n", Dialect(encoding=encoding, width=2))
    assert found is not None
    assert found[1] == nbytes
    source = lines.LineSource(io.StringIO("1,a\n2,b\n"), Dialect(encoding=encoding), Path("x"))
    assert source.peek_text(100) == "1,a\n2,b\n"
    source.take_text(8, 2, found[1])
    assert source.offset == len("1,a\n2,b\n".encode(encoding))
