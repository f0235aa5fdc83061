"""Input and output: the only place that knows native file formats, and the edge of frames.

`read.read_table` turns a file or a database table into a lazy frame of text columns with each
record's row and line (sniffing the dialect of delimited text, and quarantining records that
cannot be split); `frames` hands a caller's frame to its engine and its results back;
`engine_files` reads a file with an engine's own reader (or rowsift's) and has the engine write
the clean and quarantine outputs atomically; `write` names the outputs and writes
`summary.json`. `output_folder` locks a run's folder, `formulas` neutralises spreadsheet
formulas in CSV, `convert` backs `rowsift convert`.
"""

from __future__ import annotations

from rowsift.io.frames import FrameKind, from_evaluated, stays_lazy, to_table
from rowsift.io.read import detect_format, read_table, sniff
from rowsift.io.sniff import Dialect
from rowsift.io.write import OutputFormat, write_json

__all__ = [
    "Dialect",
    "FrameKind",
    "OutputFormat",
    "detect_format",
    "from_evaluated",
    "read_table",
    "sniff",
    "stays_lazy",
    "to_table",
    "write_json",
]
