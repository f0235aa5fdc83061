"""Importing rowsift stays light: pandas and pyarrow load only when a run needs them."""

from __future__ import annotations

import subprocess
import sys


def test_import_does_not_pull_in_pandas_or_pyarrow() -> None:
    code = (
        "import sys, rowsift, rowsift._cli.app\n"
        "print(sorted(m for m in ('pandas', 'pyarrow', 'numpy') if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"
