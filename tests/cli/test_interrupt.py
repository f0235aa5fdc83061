"""Ctrl-C shows one line: what a library prints while the command unwinds stays off the screen."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from rowsift._cli.entry import INTERRUPTED

UNWINDING = textwrap.dedent(
    """
    import os, signal, sys, threading, time
    from rowsift._cli import entry

    signal.signal(signal.SIGINT, entry._on_interrupt)
    print("before", file=sys.stderr, flush=True)
    try:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(5)
    except KeyboardInterrupt:
        # a worker thread of a native library panics while the command unwinds
        worker = threading.Thread(target=os.write, args=(2, b"thread panicked: Traceback\\n"))
        worker.start()
        worker.join()
        print("Traceback (most recent call last):", file=sys.stderr, flush=True)
        entry.interrupted()
    """
)


def test_after_an_interrupt_only_the_one_line_reaches_standard_error() -> None:
    done = subprocess.run(
        [sys.executable, "-c", UNWINDING], capture_output=True, text=True, check=False
    )
    assert done.returncode == 130
    assert done.stderr == "before\n" + INTERRUPTED


CLOSED = textwrap.dedent(
    """
    import os, signal, time
    from rowsift._cli import entry

    os.close(2)
    signal.signal(signal.SIGINT, entry._on_interrupt)
    try:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(5)
    except KeyboardInterrupt:
        entry.interrupted()
    """
)


def test_an_interrupt_with_standard_error_closed_still_exits_130() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CLOSED], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stderr) == (130, "")
