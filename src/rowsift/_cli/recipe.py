"""`rowsift run`, `check` and `explain`: a recipe on a file, a recipe alone, a recipe's plan."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rowsift._cli.options import (
    EXIT_ALERT,
    EXIT_FAILED_DATASET_RULE,
    EXIT_INPUT,
    INPUT_HELP,
    CsvFormulasOption,
    DebugOption,
    ExternalAccessOption,
    JsonOption,
    QuietOption,
    formula_policy,
)

if TYPE_CHECKING:
    from rowsift.summary import RunSummary


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
    audit_repairs: Annotated[
        bool,
        typer.Option(
            "--audit-repairs",
            help="Add to the clean output the columns a transform changed on each row "
            "(_rowsift_repaired) and their values as read (_rowsift_read_<column>).",
        ),
    ] = False,
    allow_external_access: ExternalAccessOption = False,
    report: Annotated[
        bool, typer.Option("--report", help="Also write the run's HTML report, report.html.")
    ] = False,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
    debug: DebugOption = False,
) -> int:
    """Run a recipe on a file: write clean rows, quarantined rows with reasons, and a summary.

    Exit codes: 0 ok, 1 a dataset rule failed, 2 bad usage or recipe, 3 bad input, or the
    store could not record the run (outputs and summary.json are written), 4 the data is
    valid but the store raised a drift or anomaly alert.
    """
    from rowsift.api import run_file
    from rowsift.io.database import external_access
    from rowsift.monitor.config import Monitoring

    formulas = formula_policy(csv_formulas)
    shown = not (quiet or json_output)  # only then is the console (Rich) imported
    with (
        _stages(enabled=shown) as stage,
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
            audit_repairs=audit_repairs,
        )
    if report:
        from rowsift.report import write_run_report

        written = write_run_report(out_dir)
    if json_output:
        from rowsift._cli.plain import print_json

        print_json(summary.to_dict())
    elif not quiet:
        from rowsift._cli.console import out
        from rowsift._cli.render import (
            alerts_lines,
            dataset_table,
            loading_line,
            rules_table,
            status_line,
        )

        out.print(status_line(summary))
        loading = loading_line(summary)
        if loading is not None:
            out.print(loading)
        out.print(rules_table(summary))
        if summary.dataset:
            out.print(dataset_table(summary))
        for line in alerts_lines(summary):
            out.print(line)
        out.print(
            f"outputs in {out_dir}/: clean.{output_format}, quarantine.{output_format}, "
            "summary.json, details.json" + (f"; report: {written}" if report else "")
        )
    return _run_exit_code(summary)


def _stages(*, enabled: bool) -> AbstractContextManager[Callable[[str], None]]:
    """The console's spinner of a long run's stages where output is shown; else a stage
    callback that does nothing, and no console (Rich) imported for it."""
    if not enabled:
        return nullcontext(_unshown)
    from rowsift._cli.console import stages

    return stages(enabled=True)


def _unshown(stage: str) -> None:
    """A stage of a run whose progress is not shown."""


def _run_exit_code(summary: RunSummary) -> int:
    """Warn about monitoring that failed, and choose the exit code of `run` (docs/cli.md)."""
    monitor = summary.monitor
    if monitor is not None and monitor.error is not None:
        _say_on_stderr(
            ("error: ", "bold red"),
            "the outputs and summary.json are written, but the run was not recorded: ",
            monitor.error,
        )
        return EXIT_INPUT
    delivery = monitor.webhook if monitor is not None else None
    if delivery and not delivery.get("delivered"):
        _say_on_stderr(
            f"warning: the alerts were not delivered to {delivery['url']}: "
            f"{delivery.get('error') or delivery.get('status')}; they are in summary.json"
        )
    if summary.status == "fail":
        return EXIT_FAILED_DATASET_RULE
    return EXIT_ALERT if summary.alerts else 0


def _say_on_stderr(*parts: str | tuple[str, str]) -> None:
    """Print text (plain, or with a style) on standard error; the console (Rich) is imported
    only when there is something to say."""
    from rich.text import Text

    from rowsift._cli.console import err

    err.print(Text.assemble(*parts))


def check_command(
    recipe: Annotated[Path, typer.Argument(help="The recipe YAML file.")],
    json_output: JsonOption = False,
    quiet: QuietOption = False,
    debug: DebugOption = False,
) -> int:
    """Lint a recipe without data: structure, references, patterns and literals."""
    # plain output: a valid recipe is said in one line, with no console to start
    from rowsift._cli.plain import print_json, print_line
    from rowsift.engine import compile_recipe
    from rowsift.recipe import load_recipe

    plan = compile_recipe(load_recipe(recipe))
    if json_output:
        print_json({"recipe": str(recipe), "valid": True, "rules": plan.rule_ids()})
    elif not quiet:
        counts = (
            (len(plan.columns), "column"),
            (len(plan.rule_ids()), "row rule"),
            (len(plan.dataset), "dataset rule"),
        )
        said = ", ".join(f"{n} {noun}{'' if n == 1 else 's'}" for n, noun in counts)
        print_line(f"ok: {recipe} is a valid recipe: {said}")
    return 0


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
