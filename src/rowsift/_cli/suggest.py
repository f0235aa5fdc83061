"""`rowsift suggest INPUT -o RECIPE`: a recipe with evidence for every rule."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rowsift._cli.console import out, print_json


def suggest_command(
    input: Annotated[
        Path, typer.Argument(help="The table to learn from (CSV, TSV, Parquet, NDJSON).")
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="Where to write the recipe; a reviewed recipe already there keeps its decisions.",
        ),
    ],
    strictness: Annotated[
        str, typer.Option("--strictness", help="conservative, balanced (default) or aggressive.")
    ] = "balanced",
    repair: Annotated[
        bool,
        typer.Option(
            "--repair", help="Map likely typos to the frequent value instead of quarantining them."
        ),
    ] = False,
    name: Annotated[str | None, typer.Option("--name", help="The recipe's name.")] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print machine-readable JSON only.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
) -> int:
    """Suggest a cleaning recipe for a table; every rule carries its evidence."""
    from rowsift.exceptions import UsageError
    from rowsift.io import detect_format, read_table
    from rowsift.recipe import SourceSpec, load_recipe
    from rowsift.suggest import suggest_recipe

    levels = ("conservative", "balanced", "aggressive")
    if strictness not in levels:
        raise UsageError(
            f"unknown strictness {strictness!r}", hint="use conservative, balanced or aggressive"
        )
    source = SourceSpec(format=detect_format(input, SourceSpec()))
    previous = load_recipe(output) if output.is_file() else None
    recipe = suggest_recipe(
        read_table(input, source),
        strictness=strictness,  # type: ignore[arg-type]
        repair=repair,
        name=name or (previous.name if previous else None) or input.stem,
        source=previous.source if previous else source,
        previous=previous,
    )
    recipe.save(output)
    rules = sum(len(spec.rules) for spec in recipe.columns.values()) + len(recipe.rows)
    budget = next((d.args for d in recipe.dataset if d.kind == "quarantine_rate"), None)
    rate = None if budget is None or budget.evidence is None else budget.evidence.observed
    if json_output:
        print_json({"recipe": str(output), "rules": rules, "quarantine_rate_now": rate})
    else:
        now = "" if rate is None else f"; it would quarantine {rate:.2%} of these rows"
        kept = " (reviewed decisions kept)" if previous else ""
        out.print(f"wrote {output}: {len(recipe.columns)} columns, {rules} rules{now}{kept}")
        out.print(f"review it with: rowsift review {output} {input}")
    return 0
