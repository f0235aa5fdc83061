"""Input and output: the only place that knows native file formats, and the edge of frames.

`read.read_table` turns a file or a database table into a lazy frame of text columns with each
record's row and line (sniffing the dialect of delimited text, and quarantining records that
cannot be split); `frames` hands a caller's frame to its engine and its results back;
`engine_files` reads a file with an engine's own reader (or rowsift's) and has the engine write
the clean and quarantine outputs atomically; `write` names the outputs and writes
`summary.json`. `output_folder` locks a run's folder, `formulas` neutralises spreadsheet
formulas in CSV, `convert` backs `rowsift convert`.

Those of `frames` and `write` are loaded on first use, so that reading a file does not load the
engines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rowsift._lazy import lazy_names

# `sniff` is the function: imported here, it hides the module of the same name
from rowsift.io.read import detect_format, read_table, sniff
from rowsift.io.sniff import Dialect

if TYPE_CHECKING:
    from rowsift.io.frames import FrameKind, from_evaluated, stays_lazy, to_table
    from rowsift.io.write import OutputFormat, write_json

#: each public name and the module it comes from
_HOMES = {
    "FrameKind": "rowsift.io.frames",
    "OutputFormat": "rowsift.io.write",
    "from_evaluated": "rowsift.io.frames",
    "stays_lazy": "rowsift.io.frames",
    "to_table": "rowsift.io.frames",
    "write_json": "rowsift.io.write",
}

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


__getattr__, __dir__ = lazy_names(globals(), _HOMES)
