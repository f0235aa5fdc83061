"""The `rowsift` command: each subcommand parses, calls one public function, renders, exits.

Only here are errors mapped to exit codes: 0 ok, 1 a dataset rule failed, 2 bad usage or
recipe, 3 bad input or runtime failure, 4 valid data but a drift or anomaly alert.

Start-up is part of the interface: this module and the command modules it registers import
Typer and the standard library only, and everything else (the console, the engines, the
frame libraries) inside the command that needs it; tests/cli/test_startup.py keeps it so.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any

import typer

from rowsift._cli.options import (
    EXIT_INPUT,
    INPUT_HELP,
    CsvFormulasOption,
    DebugOption,
    ExternalAccessOption,
    JsonOption,
    QuietOption,
    formula_policy,
)
from rowsift.exceptions import RowsiftError

app = typer.Typer(
    name="rowsift",
    help="Turn any messy table into clean rows plus a quarantine with reasons.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _print_version(value: bool) -> None:
    if value:
        from rowsift._version import __version__

        sys.stdout.write(f"rowsift {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", is_eager=True, callback=_print_version
        ),
    ] = False,
) -> None:
    """Turn any messy table into clean rows plus a quarantine with reasons."""


def _guarded(command: Callable[..., int]) -> Callable[..., None]:
    """Run a command; turn a rowsift error into its message and exit code, never a traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        debug = bool(kwargs.get("debug"))
        from rich.markup import escape

        from rowsift._cli.console import err
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
            # the message is plain text: brackets in it (`[store]`) are not markup
            err.print(f"[bold red]error:[/] {escape(exc.render())}", markup=True, highlight=False)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            from rowsift._cli.entry import interrupted

            interrupted()
        except OSError as exc:
            # the system refused a file operation (permission, disk full, not a folder):
            # that is the user's environment, not a bug, and it says what and where
            if debug or exc.errno is None:
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            err.print(
                f"error: {where}{exc.strerror or exc}\n"
                "  Hint: check the path, its permissions and the free space; no half-written "
                "output was left under an output's name",
                highlight=False,
            )
            raise typer.Exit(EXIT_INPUT) from None
        except Exception as exc:
            if debug:
                raise
            err.print(
                f"[bold red]internal error:[/] {type(exc).__name__}: {escape(str(exc))}\n"
                "  Hint: run again with --debug for the traceback, and please report it",
                markup=True,
                highlight=False,
            )
            raise typer.Exit(EXIT_INPUT) from None
        raise typer.Exit(code)

    return wrapper


def demo_command(
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for the demo's inputs and outputs.")
    ] = Path("rowsift-demo"),
    json_output: JsonOption = False,
    quiet: QuietOption = False,
    debug: DebugOption = False,
) -> int:
    """Run the whole loop on a bundled messy orders table and show what was quarantined, and why."""
    from rowsift._cli.demo import run_demo

    return run_demo(out_dir, json_output=json_output, quiet=quiet)


def _register() -> None:
    """The commands, in the order `rowsift --help` lists them."""
    from rowsift._cli.baseline import accept_command, baseline_app, pin_command, unpin_command
    from rowsift._cli.baseline import show_command as baseline_show_command
    from rowsift._cli.dashboard import dashboard_command
    from rowsift._cli.diff import diff_command
    from rowsift._cli.export import export_command
    from rowsift._cli.importing import import_command
    from rowsift._cli.monitor import model_command, monitor_app
    from rowsift._cli.profile import profile_command
    from rowsift._cli.recipe import check_command, explain_command, run_command
    from rowsift._cli.report import report_command
    from rowsift._cli.review import review_command
    from rowsift._cli.show import show_command
    from rowsift._cli.store import alerts_command, drift_command, history_command
    from rowsift._cli.suggest import suggest_command

    app.command("run")(_guarded(run_command))
    app.command("check")(_guarded(check_command))
    app.command("explain")(_guarded(explain_command))
    app.command("export")(_guarded(export_command))
    app.command("demo")(_guarded(demo_command))
    app.command("profile")(_guarded(profile_command))
    app.command("suggest")(_guarded(suggest_command))
    app.command("review")(_guarded(review_command))
    app.command("import")(_guarded(import_command))
    app.command("diff")(_guarded(diff_command))
    monitor_app.command("model")(_guarded(model_command))
    app.add_typer(monitor_app)
    app.command("history")(_guarded(history_command))
    app.command("drift")(_guarded(drift_command))
    app.command("alerts")(_guarded(alerts_command))
    baseline_app.command("accept")(_guarded(accept_command))
    baseline_app.command("pin")(_guarded(pin_command))
    baseline_app.command("unpin")(_guarded(unpin_command))
    baseline_app.command("show")(_guarded(baseline_show_command))
    app.add_typer(baseline_app)
    app.command("report")(_guarded(report_command))
    app.command("show")(_guarded(show_command))
    app.command("dashboard")(_guarded(dashboard_command))


_register()


@app.command("sniff")
@_guarded
def sniff_command(
    file: Annotated[Path, typer.Argument(help="The file to look at.")],
    as_yaml: Annotated[
        bool, typer.Option("--yaml", help="Print the recipe `source:` section only.")
    ] = False,
    json_output: JsonOption = False,
    debug: DebugOption = False,
) -> int:
    """Detect a file's encoding, delimiter, quote, header, preamble and footer."""
    from rowsift._cli.sniff import sniff_report

    return sniff_report(file, as_yaml=as_yaml, as_json=json_output)


@app.command("convert")
@_guarded
def convert_command(
    input: Annotated[str, typer.Argument(help=INPUT_HELP, show_default=False)],
    output: Annotated[Path, typer.Argument(help="The CSV (RFC 4180) or .parquet to write.")],
    ragged: Annotated[
        str,
        typer.Option(
            "--ragged",
            help="quarantine (default): records that cannot be split go to "
            "OUTPUT.quarantine.csv; keep: write every record as split (CSV only).",
        ),
    ] = "quarantine",
    delimiter: Annotated[str | None, typer.Option("--delimiter", help="One character.")] = None,
    quote: Annotated[str | None, typer.Option("--quote", help="One character.")] = None,
    encoding: Annotated[str | None, typer.Option("--encoding", help="A codec name.")] = None,
    header_row: Annotated[
        int | None, typer.Option("--header-row", help="0-based line of the header.")
    ] = None,
    no_header: Annotated[
        bool, typer.Option("--no-header", help="The file has no header line.")
    ] = False,
    input_format: Annotated[
        str | None, typer.Option("--format", help="The input format, if not by extension.")
    ] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="Excel sheet name.")] = None,
    table: Annotated[str | None, typer.Option("--table", help="Database table.")] = None,
    query: Annotated[str | None, typer.Option("--query", help="Database query.")] = None,
    csv_formulas: CsvFormulasOption = "escape",
    allow_external_access: ExternalAccessOption = False,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
    debug: DebugOption = False,
) -> int:
    """Load a messy file with detection and write it as standard CSV or Parquet."""
    from rowsift._cli.convert import convert_report
    from rowsift.io.database import external_access

    overrides = {
        "delimiter": delimiter,
        "quote": quote,
        "encoding": encoding,
        "header_row": header_row,
        "header": False if no_header else None,
        "format": input_format,
        "sheet": sheet,
        "table": table,
        "query": query,
    }
    with external_access(enabled=allow_external_access):
        return convert_report(
            input,
            output,
            ragged=ragged,
            overrides=overrides,
            formulas=formula_policy(csv_formulas),
            json_output=json_output,
            quiet=quiet,
        )


@app.command("version")
def version_command() -> None:
    """Print the rowsift version."""
    from rowsift._version import __version__

    sys.stdout.write(f"{__version__}\n")


def main() -> None:
    """Entry point of the `rowsift` script."""
    # narwhals announces, on every Dask frame, that its Dask support moves to a separate
    # package that is not released yet: nothing a user of the command can act on
    warnings.filterwarnings(
        "ignore", message="Dask support is moving out of Narwhals", category=FutureWarning
    )
    try:
        app()
    except SystemExit as exc:
        from rowsift._cli.entry import interrupted

        if exc.code == 130 and not _said_interrupted(exc):
            # Typer turns an interrupt outside a command (while parsing) into a silent 130
            interrupted()
        # click reports bad usage with exit code 2 already; keep every code as it is
        sys.exit(exc.code)
    except KeyboardInterrupt:  # between commands' own handling: while parsing, say
        from rowsift._cli.entry import interrupted

        interrupted()


def _said_interrupted(exc: BaseException) -> bool:
    """Whether this exit comes from `interrupted`, which has said so already."""
    return exc.args == (130,) and getattr(exc, "rowsift_said", False)
