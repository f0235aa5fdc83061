"""The `rowsift` script's first step: Ctrl-C at any moment ends with one line, never a traceback.

An interrupt can arrive while Python is still importing the command line (Typer, Rich) or
while a command unwinds; both end here with the message and exit code 130. This module
imports the standard library only, so the window before its guard is as short as it can be.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType

INTERRUPTED = "interrupted; no partial output was left behind\n"

_SEEN: list[int] = []
"""The interrupts received so far (by `_on_interrupt`)."""


def _on_interrupt(signum: int, frame: FrameType | None) -> None:
    """Python's own Ctrl-C behaviour (raise KeyboardInterrupt), remembering that it came."""
    _SEEN.append(signum)
    raise KeyboardInterrupt


def was_interrupted() -> bool:
    """Whether Ctrl-C (SIGINT) reached the command, whatever error a library made of it."""
    return bool(_SEEN)


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
        signal.signal(signal.SIGINT, _on_interrupt)
        from rowsift._cli.app import main as run

        run()
    except KeyboardInterrupt:
        interrupted()
