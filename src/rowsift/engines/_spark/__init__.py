"""Spark, classic and Connect: frames planned whole and run on a cluster, or locally.

Its steps are SQL text from `rowsift.engines.sql` (try_cast and try_to_timestamp parse, with
strftime formats translated to Java patterns; a row_number window marks rows seen before) and
narwhals windows; a judged frame is cached while a run reads it several times. A user's frame
is numbered by partition. Files are read and written by Spark itself, in the user's active
session or a local one that rowsift starts and stops (`session`).
"""

from __future__ import annotations

from typing import Any

from rowsift.engines._spark import files, frames, steps
from rowsift.engines.protocol import Engine


def _session_zone(native: Any) -> str:
    """The time zone of the session a Spark frame belongs to."""
    return str(native.sparkSession.conf.get("spark.sql.session.timeZone"))


ENGINE = Engine(
    name="spark",
    lazy_results=True,
    full_case_mapping=True,
    guarded_strip=False,
    steps=steps,
    frames=frames,
    files=files,
    datetime_text_zone=_session_zone,
)
