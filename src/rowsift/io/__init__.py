"""Input and output: the only place that knows native file formats and frame libraries.

`read.read_table` turns a file or a database table into a lazy frame of text columns with each
record's row and line (sniffing the dialect of delimited text, and quarantining records that
cannot be split); `frames` converts a caller's frame to and from narwhals; `write` writes the
clean and quarantine outputs and `summary.json` atomically, and `engine_files` does the same
through each other engine's own readers and writers. `output_folder` locks a run's folder,
`formulas` neutralises spreadsheet formulas in CSV, `convert` backs `rowsift convert`.
"""

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
