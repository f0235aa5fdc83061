"""Fixtures of the I/O tests; `loading_helpers` and the repository's `bench` are importable."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
for folder in (HERE, HERE.parents[1]):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))


@pytest.fixture
def csv_file(tmp_path: Path) -> Callable[[bytes | str], Path]:
    """Write bytes (or UTF-8 text) to a fresh CSV file."""
    counter = iter(range(1_000_000))

    def make(content: bytes | str, suffix: str = ".csv") -> Path:
        path = tmp_path / f"f{next(counter)}{suffix}"
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        return path

    return make
