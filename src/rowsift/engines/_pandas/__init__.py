"""pandas, with Arrow-backed columns: what Dask runs on each of its partitions too.

Its steps parse with pyarrow kernels and pandas' date parser and mark first occurrences with
`duplicated` on rows in ``_rowsift_row`` order and count groups with `groupby`. A user's
frame is made Arrow-backed and numbered by position. Files are read with pandas' own readers;
outputs are written through Polars' writer. Its text steps run the null tokens and Unicode's
full case mapping with pyarrow kernels (pandas' `where` and pyarrow's own case mapping cost more
as expressions).
"""

from __future__ import annotations

from rowsift.engines._pandas import files, frames, steps, text
from rowsift.engines.protocol import Engine

ENGINE = Engine(
    name="pandas",
    lazy_results=False,
    full_case_mapping=False,
    guarded_strip=False,
    steps=steps,
    frames=frames,
    files=files,
    text_steps=text.text_steps,
)
