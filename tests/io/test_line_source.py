"""Property: a file's lines are the same whether taken one by one, in blocks or as text runs,
whatever the reads' and splits' sizes and the line ends (``\\n``, ``\\r\\n``, a lone ``\\r``)."""

from __future__ import annotations

import io
from pathlib import Path

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
