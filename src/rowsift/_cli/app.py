"""The `rowsift` command: each subcommand parses, calls one public function, renders, exits.

Errors become exit codes in one place, `guard.guarded`: 0 ok, 1 a dataset rule failed, 2 bad
usage or recipe, 3 bad input or runtime failure, 4 valid data but a drift or anomaly alert.

Start-up is part of the interface. A command's module is imported, and its options built, only
when that command runs or shows its own help (`COMMANDS`, `_LazyGroup`): `rowsift check` loads
the module of `check` and no other. `rowsift --help` lists every command from `COMMANDS`
without importing any. Each command module imports Typer and the standard library only, and
everything else (the console, the engines, the frame libraries) inside the command that needs
it; tests/cli/test_startup.py keeps both so.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterator, MutableMapping
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

from rowsift._cli.guard import guarded
from rowsift._cli.options import (
    INPUT_HELP,
    CsvFormulasOption,
    DebugOption,
    ExternalAccessOption,
    JsonOption,
    QuietOption,
    formula_policy,
)

if TYPE_CHECKING:
    from typer._click import Command, Context, HelpFormatter

#: Every command, in the order `rowsift --help` lists them: its name, the module and the name
#: in it of its function (or, for a group of commands, its Typer application), and the first
#: paragraph of its help, which `rowsift --help` shows without importing the module
#: (tests/cli/test_startup.py checks that it is the command's own).
COMMANDS: dict[str, tuple[str, str, str]] = {
    "run": (
        "rowsift._cli.recipe",
        "run_command",
        "Run a recipe on a file: write clean rows, quarantined rows with reasons, and a summary.",
    ),
    "check": (
        "rowsift._cli.recipe",
        "check_command",
        "Lint a recipe without data: structure, references, patterns and literals.",
    ),
    "explain": (
        "rowsift._cli.recipe",
        "explain_command",
        "Print the compiled plan: each column's steps and every rule with its id.",
    ),
    "export": (
        "rowsift._cli.export",
        "export_command",
        "Export a recipe: a readable program that cleans like `rowsift run`, or a contract.",
    ),
    "demo": (
        "rowsift._cli.app",
        "demo_command",
        "Run the whole loop on a bundled messy orders table and show what was quarantined, "
        "and why.",
    ),
    "profile": (
        "rowsift._cli.profile",
        "profile_command",
        "Profile a table: types, classes, nulls, shapes, values, keys, dependencies.",
    ),
    "suggest": (
        "rowsift._cli.suggest",
        "suggest_command",
        "Suggest a cleaning recipe for a table; every rule carries its evidence.",
    ),
    "review": (
        "rowsift._cli.review",
        "review_command",
        "Review repairs and rules one by one: [a]ccept, [r]eject, [e]dit, [v]iew, [s]kip, [q]uit.",
    ),
    "import": (
        "rowsift._cli.importing",
        "import_command",
        "Read a suite or contract into a recipe, listing every check it could not map.",
    ),
    "diff": (
        "rowsift._cli.diff",
        "diff_command",
        "Rules added, removed and changed between two recipes; with --input, the rows they move.",
    ),
    "history": (
        "rowsift._cli.store",
        "history_command",
        "List the runs recorded in the metric store, newest first.",
    ),
    "drift": (
        "rowsift._cli.store",
        "drift_command",
        "Compare a batch (a recorded run or a file) with a baseline run; exit 4 when it drifted.",
    ),
    "alerts": (
        "rowsift._cli.store",
        "alerts_command",
        "List incidents: alerts of one kind about one subject in consecutive batches, grouped.",
    ),
    "report": (
        "rowsift._cli.report",
        "report_command",
        "Write a self-contained HTML report of a run, or of a dataset's history (--store).",
    ),
    "show": (
        "rowsift._cli.show",
        "show_command",
        "Print a run's quarantined rows by reason, as read, with the failing cell marked ✗.",
    ),
    "dashboard": (
        "rowsift._cli.dashboard",
        "dashboard_command",
        "Serve a read-only dashboard of the metric store: datasets, timelines, alerts, drift.",
    ),
    "sniff": (
        "rowsift._cli.app",
        "sniff_command",
        "Detect a file's encoding, delimiter, quote, header, preamble and footer.",
    ),
    "convert": (
        "rowsift._cli.app",
        "convert_command",
        "Load a messy file with detection and write it as standard CSV or Parquet.",
    ),
    "version": ("rowsift._cli.app", "version_command", "Print the rowsift version."),
    "monitor": (
        "rowsift._cli.monitor",
        "monitor_app",
        "Watch a model in production: drift and quality over time.",
    ),
    "baseline": (
        "rowsift._cli.baseline",
        "baseline_app",
        "Accept a change as the new normal, or pin the run batches are compared with.",
    ),
}


def load_command(name: str) -> Command:
    """The command `name` as Click runs it: its module imported, its options built."""
    home, attribute, _ = COMMANDS[name]
    target = getattr(import_module(home), attribute)
    if isinstance(target, typer.Typer):
        return typer.main.get_group(target)
    single = typer.Typer(add_completion=False, rich_markup_mode=None)
    single.command(name)(guarded(target))
    return typer.main.get_command(single)


class _LazyCommands(MutableMapping[str, "Command"]):
    """The group's commands by name: every name is known at once, a command is made when it is
    first looked up (Typer's group reads its names for `Did you mean …?` without making any)."""

    def __init__(self) -> None:
        self._made: dict[str, Command] = {}

    def __getitem__(self, name: str) -> Command:
        if name not in self._made:
            if name not in COMMANDS:
                raise KeyError(name)
            self._made[name] = load_command(name)
        return self._made[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self._made[name] = command

    def __delitem__(self, name: str) -> None:
        raise TypeError("the commands of rowsift are fixed")

    def __iter__(self) -> Iterator[str]:
        return iter({**dict.fromkeys(COMMANDS), **dict.fromkeys(self._made)})

    def __len__(self) -> int:
        return len({*COMMANDS, *self._made})


class _LazyGroup(TyperGroup):
    """The `rowsift` group: a command is imported only when it runs or shows its own help."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _LazyCommands()

    def list_commands(self, ctx: Context) -> list[str]:
        return list(self.commands)

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        """The commands and their one-line help, as Typer lists them, from `COMMANDS` alone."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [
            (name, TyperCommand(name=name, help=COMMANDS[name][2]).get_short_help_str(limit))
            for name in names
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


app = typer.Typer(
    name="rowsift",
    cls=_LazyGroup,
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
    delimiter: Annotated[
        str | None,
        typer.Option(
            "--delimiter",
            help="One to four characters (';', ', ', '\\t'), or 'whitespace' for a table "
            "aligned in columns.",
        ),
    ] = None,
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


def version_command() -> int:
    """Print the rowsift version."""
    from rowsift._version import __version__

    sys.stdout.write(f"{__version__}\n")
    return 0


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
