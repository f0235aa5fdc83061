"""Input and output: the only place that knows native file formats and frame libraries."""

from __future__ import annotations

from rowsift.io.frames import LAZY_KINDS, FrameKind, from_evaluated, to_table
from rowsift.io.read import detect_format, read_table, sniff
from rowsift.io.sniff import Dialect
from rowsift.io.write import OutputFormat, stream_outputs, write_json, write_outputs

__all__ = [
    "LAZY_KINDS",
    "Dialect",
    "FrameKind",
    "OutputFormat",
    "detect_format",
    "from_evaluated",
    "read_table",
    "sniff",
    "stream_outputs",
    "to_table",
    "write_json",
    "write_outputs",
]
