"""The `rowsift` script's first step: Ctrl-C at any moment ends with one line, never a traceback.

An interrupt can arrive while Python is still importing the command line (Typer, Rich) or
while a command unwinds; both end here with the message and exit code 130. This module
imports the standard library only, so the window before its guard is as short as it can be.

From the first interrupt on, the process's standard error (file descriptor 2) goes to the null
device: what a library prints while the command unwinds (a Polars worker thread that panics
because its Python source was stopped, with the source's traceback) is not shown, and the one
line `interrupted` writes goes to the original standard error.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from types import FrameType

INTERRUPTED = "interrupted; no partial output was left behind\n"

_SEEN: list[int] = []
"""The interrupts received so far (by `_on_interrupt`)."""
_STDERR: list[int] = []
"""A duplicate of the original standard error, once `_silence_stderr` has moved it aside."""


def _on_interrupt(signum: int, frame: FrameType | None) -> None:
    """Python's own Ctrl-C behaviour (raise KeyboardInterrupt), remembering that it came and
    silencing what libraries print from now on."""
    _SEEN.append(signum)
    _silence_stderr()
    raise KeyboardInterrupt


def _silence_stderr() -> None:
    """Point file descriptor 2 at the null device, keeping a duplicate of it for `interrupted`."""
    if _STDERR:
        return
    with contextlib.suppress(OSError, ValueError, RuntimeError):  # closed, or mid-write
        sys.stderr.flush()
    try:
        kept = os.dup(2)
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError:  # no standard error to move, or no descriptor left: leave it as it is
        return
    try:
        os.dup2(null, 2)
    except OSError:
        os.close(kept)
        return
    finally:
        os.close(null)
    _STDERR.append(kept)


def was_interrupted() -> bool:
    """Whether Ctrl-C (SIGINT) reached the command, whatever error a library made of it."""
    return bool(_SEEN)


def interrupted() -> None:
    """Say that the command was interrupted, with plain writes (no console to set up), and
    exit with 130, as a shell reports Ctrl-C."""
    done = SystemExit(130)
    done.rowsift_said = True  # type: ignore[attr-defined]  # read by app.main
    try:
        if _STDERR:
            os.write(_STDERR[0], INTERRUPTED.encode())
        else:
            sys.stderr.write(INTERRUPTED)
            sys.stderr.flush()
    except OSError:  # nowhere to say it (a closed pipe): the exit code still says it
        pass
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
