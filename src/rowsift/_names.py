"""The names of the columns rowsift adds to every table, shared by the engine and the I/O edge."""

from __future__ import annotations

ROW = "_rowsift_row"
"""0-based position of a record among the source's data records."""

LINE = "_rowsift_line"
"""1-based line on which a record of a text source starts."""

REASONS = "_rowsift_reasons"
"""The failed rule ids of a quarantined row, in recipe order."""

REASON_SEPARATOR = "\x1f"
"""Joins rule ids inside the engine, before the edge turns them into a list column."""
