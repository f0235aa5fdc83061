"""`guarded`: the one place where a command's error becomes its message and exit code.

Exit codes: 0 ok, 1 a dataset rule failed, 2 bad usage or recipe, 3 bad input or runtime
failure, 4 valid data but a drift or anomaly alert. A rowsift error prints its message and
hint, a refused file operation says what and where, anything else is an internal error with a
hint to re-run with `--debug`; never a traceback unless `--debug` asks for it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import typer

from rowsift._cli.options import EXIT_INPUT
from rowsift.exceptions import RowsiftError


def guarded(command: Callable[..., int]) -> Callable[..., None]:
    """Run a command; turn a rowsift error into its message and exit code, never a traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        debug = bool(kwargs.get("debug"))
        # the console is imported when there is an error to print: a command that succeeds
        # without it (`rowsift check`) never starts Rich
        from rowsift._cli.entry import was_interrupted

        try:
            try:
                code = command(*args, **kwargs)
            except BaseException as exc:
                # a library that runs Python inside its own code (pydantic's schema builder,
                # a Polars callback) can turn Ctrl-C into its own error, or a panic that is no
                # Exception: the interrupt wins
                if was_interrupted() and not isinstance(exc, KeyboardInterrupt | SystemExit):
                    raise KeyboardInterrupt from None
                raise
        except RowsiftError as exc:
            if debug:
                raise
            from rich.markup import escape

            from rowsift._cli.console import err
            from rowsift.monitor.urls import masked_text

            # the message is plain text: brackets in it (`[store]`) are not markup; a
            # password in an address it quotes is masked, whatever the address was taken for
            shown = escape(masked_text(exc.render()))
            err.print(f"[bold red]error:[/] {shown}", markup=True, highlight=False)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            from rowsift._cli.entry import interrupted

            interrupted()
        except OSError as exc:
            # the system refused a file operation (permission, disk full, not a folder):
            # that is the user's environment, not a bug, and it says what and where
            if debug or exc.errno is None:
                raise
            from rowsift._cli.console import err
            from rowsift.monitor.urls import masked_text

            where = masked_text(f"{exc.filename}: ") if exc.filename else ""
            err.print(
                f"error: {where}{masked_text(str(exc.strerror or exc))}\n"
                "  Hint: check the path, its permissions and the free space; no half-written "
                "output was left under an output's name",
                highlight=False,
            )
            raise typer.Exit(EXIT_INPUT) from None
        except Exception as exc:
            if debug:
                raise
            from rich.markup import escape

            from rowsift._cli.console import err
            from rowsift.monitor.urls import masked_text

            err.print(
                f"[bold red]internal error:[/] {type(exc).__name__}: "
                f"{escape(masked_text(str(exc)))}\n"
                "  Hint: run again with --debug for the traceback, and please report it",
                markup=True,
                highlight=False,
            )
            raise typer.Exit(EXIT_INPUT) from None
        raise typer.Exit(code)

    return wrapper
