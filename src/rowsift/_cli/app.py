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
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from rowsift.exceptions import RowsiftError

if TYPE_CHECKING:
    from rowsift.summary import RunSummary

app = typer.Typer(
    name="rowsift",
    help="Turn any messy table into clean rows plus a quarantine with reasons.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

EXIT_FAILED_DATASET_RULE = 1
EXIT_INPUT = 3
EXIT_ALERT = 4


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


JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON only.")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")]
DebugOption = Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")]
INPUT_HELP = (
    "The table to read: CSV, TSV or other delimited text (any encoding, also .gz, .bz2, .xz, "
    ".zst, .zip), Excel (.xlsx, .xlsm, .xls, .xlsb, .ods), JSON, NDJSON, Parquet, SQLite, "
    "DuckDB, or a postgresql:// URL."
)
CsvFormulasOption = Annotated[
    str,
    typer.Option(
        "--csv-formulas",
        help="escape (default): in CSV outputs, prefix with ' any text a spreadsheet would run "
        "as a formula (=, +, -, @ ...); keep: write values exactly as they are.",
    ),
]
ExternalAccessOption = Annotated[
    bool,
    typer.Option(
        "--allow-external-access",
        help="Let a recipe's source.query on a DuckDB file read other files and load "
        "extensions (off by default: a recipe is a file people pass around).",
    ),
]


def formula_policy(given: str) -> Literal["escape", "keep"]:
    """The --csv-formulas choice, checked."""
    from rowsift.exceptions import UsageError

    if given not in ("escape", "keep"):
        raise UsageError(f"unknown --csv-formulas {given!r}", hint="use escape or keep")
    return "keep" if given == "keep" else "escape"


def _guarded(command: Callable[..., int]) -> Callable[..., None]:
    """Run a command; turn a rowsift error into its message and exit code, never a traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        debug = bool(kwargs.get("debug"))
        from rich.markup import escape

        from rowsift._cli.console import err

        try:
            code = command(*args, **kwargs)
        except RowsiftError as exc:
            if debug:
                raise
            # the message is plain text: brackets in it (`[store]`) are not markup
            err.print(f"[bold red]error:[/] {escape(exc.render())}", markup=True, highlight=False)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err.print("interrupted; no partial output was left behind")
            raise typer.Exit(130) from None
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


@app.command("run")
@_guarded
def run_command(
    recipe: Annotated[Path, typer.Argument(help="The recipe YAML file.")],
    input: Annotated[str, typer.Argument(help=INPUT_HELP, show_default=False)],
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for clean, quarantine and summary.json.")
    ] = Path("out"),
    output_format: Annotated[
        str, typer.Option("--output-format", help="parquet (default) or csv.")
    ] = "parquet",
    engine: Annotated[
        str,
        typer.Option(
            "--engine", help="polars (default), pandas, duckdb, spark or dask: who does the work."
        ),
    ] = "polars",
    store: Annotated[
        str | None,
        typer.Option(
            "--store",
            help="Record the run in this metric store (a DuckDB file, duckdb:///path or "
            "postgresql://…) and compare it with its baseline; default: [store] url in "
            "rowsift.toml.",
        ),
    ] = None,
    dataset: Annotated[
        str | None,
        typer.Option("--dataset", help="The dataset the batch belongs to (default: recipe name)."),
    ] = None,
    batch: Annotated[
        str | None, typer.Option("--batch", help="The batch id (default: today's date).")
    ] = None,
    webhook: Annotated[
        str | None,
        typer.Option("--webhook", help="POST alerts to this URL (default: monitor.webhook)."),
    ] = None,
    csv_formulas: CsvFormulasOption = "escape",
    allow_external_access: ExternalAccessOption = False,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
    debug: DebugOption = False,
) -> int:
    """Run a recipe on a file: write clean rows, quarantined rows with reasons, and a summary.

    Exit codes: 0 ok, 1 a dataset rule failed, 2 bad usage or recipe, 3 bad input, or the
    store could not record the run (outputs and summary.json are written), 4 the data is
    valid but the store raised a drift or anomaly alert.
    """
    from rowsift._cli.console import out, print_json, stages
    from rowsift._cli.render import alerts_lines, dataset_table, rules_table, status_line
    from rowsift.api import run_file
    from rowsift.io.database import external_access
    from rowsift.monitor.config import Monitoring

    formulas = formula_policy(csv_formulas)
    with (
        stages(enabled=not (quiet or json_output)) as stage,
        external_access(enabled=allow_external_access),
    ):
        summary = run_file(
            recipe,
            input,
            out_dir,
            output_format=output_format,  # type: ignore[arg-type]  # run_file checks it
            engine=engine,  # type: ignore[arg-type]  # run_file checks it
            monitor=Monitoring(store=store, dataset=dataset, batch=batch, webhook=webhook),
            on_stage=stage,
            csv_formulas=formulas,
        )
    if json_output:
        print_json(summary.to_dict())
    elif not quiet:
        out.print(status_line(summary))
        out.print(rules_table(summary))
        if summary.dataset:
            out.print(dataset_table(summary))
        for line in alerts_lines(summary):
            out.print(line)
        out.print(
            f"outputs in {out_dir}/: clean.{output_format}, quarantine.{output_format}, "
            "summary.json"
        )
    return _run_exit_code(summary)


def _run_exit_code(summary: RunSummary) -> int:
    """Warn about monitoring that failed, and choose the exit code of `run` (docs/cli.md)."""
    from rich.text import Text

    from rowsift._cli.console import err

    monitor = summary.monitor
    if monitor is not None and monitor.error is not None:
        err.print(
            Text.assemble(
                ("error: ", "bold red"),
                "the outputs and summary.json are written, but the run was not recorded: ",
                monitor.error,
            )
        )
        return EXIT_INPUT
    delivery = monitor.webhook if monitor is not None else None
    if delivery and not delivery.get("delivered"):
        err.print(
            Text(
                f"warning: the alerts were not delivered to {delivery['url']}: "
                f"{delivery.get('error') or delivery.get('status')}; they are in summary.json"
            )
        )
    if summary.status == "fail":
        return EXIT_FAILED_DATASET_RULE
    return EXIT_ALERT if summary.alerts else 0


@app.command("check")
@_guarded
def check_command(
    recipe: Annotated[Path, typer.Argument(help="The recipe YAML file.")],
    json_output: JsonOption = False,
    quiet: QuietOption = False,
    debug: DebugOption = False,
) -> int:
    """Lint a recipe without data: structure, references, patterns and literals."""
    from rowsift._cli.console import out, print_json
    from rowsift.engine import compile_recipe
    from rowsift.recipe import load_recipe

    plan = compile_recipe(load_recipe(recipe))
    if json_output:
        print_json({"recipe": str(recipe), "valid": True, "rules": plan.rule_ids()})
    elif not quiet:
        out.print(
            f"ok: {recipe} is a valid recipe: {len(plan.columns)} columns, "
            f"{len(plan.rule_ids())} row rules, {len(plan.dataset)} dataset rules"
        )
    return 0


@app.command("explain")
@_guarded
def explain_command(
    recipe: Annotated[Path, typer.Argument(help="The recipe YAML file.")],
    json_output: JsonOption = False,
    debug: DebugOption = False,
) -> int:
    """Print the compiled plan: each column's steps and every rule with its id."""
    from rowsift._cli.console import out, print_json
    from rowsift._cli.render import plan_tables
    from rowsift.engine import compile_recipe
    from rowsift.engine.plan import plan_to_dict
    from rowsift.recipe import load_recipe

    plan = compile_recipe(load_recipe(recipe))
    if json_output:
        print_json(plan_to_dict(plan))
        return 0
    out.print(f"plan of {plan.name or recipe} (recipe sha256 {plan.recipe_fingerprint[:12]})")
    source = plan.source
    out.print(
        f"source: format {source.format or 'from the file extension'}, encoding "
        f"{source.encoding}, delimiter {source.delimiter or 'by format'!r}, header row "
        f"{source.header_row}, null tokens {source.null_tokens}"
    )
    out.print(
        "order of work: read as text → source null tokens → transforms → cast → row rules "
        "→ row-set rules → split → dataset rules"
    )
    for table in plan_tables(plan):
        if table.rows:
            out.print(table)
    return 0


@app.command("demo")
@_guarded
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
    """Commands that live in their own modules."""
    from rowsift._cli.monitor import model_command, monitor_app
    from rowsift._cli.profile import profile_command
    from rowsift._cli.review import review_command
    from rowsift._cli.store import alerts_command, drift_command, history_command
    from rowsift._cli.suggest import suggest_command

    app.command("profile")(_guarded(profile_command))
    app.command("suggest")(_guarded(suggest_command))
    app.command("review")(_guarded(review_command))
    monitor_app.command("model")(_guarded(model_command))
    app.add_typer(monitor_app)
    app.command("history")(_guarded(history_command))
    app.command("drift")(_guarded(drift_command))
    app.command("alerts")(_guarded(alerts_command))


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
        # click reports bad usage with exit code 2 already; keep every code as it is
        sys.exit(exc.code)
