"""Output that needs no console: JSON, and lines of plain text written as the console would.

Rich takes longer to import than `rowsift check` takes to check a small recipe, and a line of
plain text needs none of it. `print_line` writes such a line exactly as `console.out.print`
does (tests/cli/test_plain.py compares the two); anything Rich would lay out (a table, a style,
a tab to expand) goes through `rowsift._cli.console`.
"""

from __future__ import annotations

import json
import os
import re
import sys
from typing import Any

UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)
"""Characters a terminal acts on, that reorder what is shown, or that show nothing at all (a
zero-width space makes ``z\\u200bw`` look like ``zw``); \\n and \\t stay as they are."""


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(value: object) -> str:
    """`value` as text in which every control, reordering or invisible character is an escape.

    >>> visible("a\\x1b[2Jb\\u202e")
    'a\\\\x1b[2Jb\\\\u202e'
    >>> visible("z\\u200bw")
    'z\\\\u200bw'
    """
    return UNSAFE.sub(_escaped, str(value))


def print_json(data: Any) -> None:
    """Machine-readable output on stdout, nothing else."""
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")


def print_line(text: str) -> None:
    """Print `text` and a newline on stdout as `console.out.print(text)` does: never markup,
    control characters visible, no wrapping; without importing Rich unless the text has a tab
    (which the console expands to its tab stops)."""
    line = visible(text)
    if "\t" in line:
        from rowsift._cli.console import out

        out.print(text)
        return
    try:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        # as the console does when the reader has gone (`rowsift check r.yaml | true`): no
        # second error when Python flushes stdout at exit, and exit code 1
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(1) from None
