"""DuckDB: relations planned and run as SQL, on a connection of rowsift's own.

Its steps are SQL text from `rowsift.engines.sql` (TRY_CAST and try_strptime parse, a
row_number window marks rows seen before) and narwhals windows; a judged relation is held in a
temporary table while a run reads it several times. A user's relation is numbered with
row_number() and results come back as relations of the same connection. Files are read and
written by DuckDB itself, on rowsift's connection (`connection`), never DuckDB's default one.
"""

from __future__ import annotations

from rowsift.engines._duckdb import files, frames, steps
from rowsift.engines.protocol import Engine

ENGINE = Engine(
    name="duckdb",
    lazy_results=True,
    full_case_mapping=False,
    guarded_strip=True,
    steps=steps,
    frames=frames,
    files=files,
)
