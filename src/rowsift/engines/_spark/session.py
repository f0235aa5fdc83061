"""Spark sessions: the one a user has started, else a local one of rowsift's own.

rowsift never stops a session it did not start. The local session it starts (``local[*]``,
no web UI) is created when a run first needs Spark, reused by every later run in the process,
and stopped when the process exits, or earlier by `stop`.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Mapping
from typing import Any

LOCAL_CONFIG: Mapping[str, str] = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
}
"""Settings of the local session rowsift starts."""

_LOCK = threading.Lock()
_OWN: list[Any] = []


def session(*, master: str = "local[*]", config: Mapping[str, str] | None = None) -> Any:
    """The active Spark session, or rowsift's local one, started with `master` and `config`
    (added to `LOCAL_CONFIG`) if there is none yet."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    with _LOCK:
        builder = SparkSession.builder.appName("rowsift").master(master)
        for key, value in {**LOCAL_CONFIG, **(config or {})}.items():
            builder = builder.config(key, value)
        started = builder.getOrCreate()
        if not _OWN:
            atexit.register(stop)
        _OWN[:] = [started]
    return started


def owns(spark: Any) -> bool:
    """Whether `spark` is the local session rowsift started (and will stop)."""
    return bool(_OWN) and _OWN[0] is spark


def stop() -> None:
    """Stop the local session rowsift started, if it is running; a user's is left alone."""
    with _LOCK:
        while _OWN:
            _OWN.pop().stop()
