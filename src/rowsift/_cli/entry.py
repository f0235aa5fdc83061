"""The `rowsift` script's first step: Ctrl-C at any moment ends with one line, never a traceback.

An interrupt can arrive while Python is still importing the command line (Typer, Rich) or
while a command unwinds; both end here with the message and exit code 130. This module
imports the standard library only, so the window before its guard is as short as it can be.
"""

from __future__ import annotations

import sys

INTERRUPTED = "interrupted; no partial output was left behind\n"


def interrupted() -> None:
    """Say that the command was interrupted, with plain writes (no console to set up), and
    exit with 130, as a shell reports Ctrl-C."""
    done = SystemExit(130)
    done.rowsift_said = True  # type: ignore[attr-defined]  # read by app.main
    try:
        sys.stderr.write(INTERRUPTED)
        sys.stderr.flush()
    finally:
        raise done


def main() -> None:
    """Entry point of the `rowsift` script and of `python -m rowsift._cli`."""
    try:
        from rowsift._cli.app import main as run

        run()
    except KeyboardInterrupt:
        interrupted()
