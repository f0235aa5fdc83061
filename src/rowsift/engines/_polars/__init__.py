"""Polars, the default engine: lazy and streaming, and the library rowsift's own readers use.

Its steps are Polars expressions (lenient casts; ``is_first_distinct``, which streams; windows
for group sizes), a run's outputs and totals are computed in one streaming `collect_all` that
shares their steps, and files need no reader of their own: rowsift's readers already give
Polars frames (`io_source` holds the one use of Polars' unstable IO-plugin API).
"""

from __future__ import annotations

from rowsift.engines._polars import files, frames, steps
from rowsift.engines.protocol import Engine

ENGINE = Engine(
    name="polars",
    lazy_results=False,
    full_case_mapping=True,
    guarded_strip=False,
    exact_casts=frozenset({"int", "float"}),
    steps=steps,
    frames=frames,
    files=files,
)
