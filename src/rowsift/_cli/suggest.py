"""`rowsift suggest INPUT -o RECIPE`: a recipe with evidence for every rule."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rowsift._cli.options import QueryOption, SheetOption, TableOption
from rowsift._cli.report import HtmlOption


def suggest_command(
    input: Annotated[
        str,
        typer.Argument(
            help="The table to learn from: a file (CSV in any dialect, TSV, Parquet, JSON, "
            "Excel, SQLite, DuckDB) or a postgresql:// URL."
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="Where to write the recipe; a reviewed recipe already there keeps its decisions.",
            dir_okay=False,
        ),
    ],
    strictness: Annotated[
        str, typer.Option("--strictness", help="conservative, balanced (default) or aggressive.")
    ] = "balanced",
    repair: Annotated[
        bool,
        typer.Option(
            "--repair/--no-repair",
            help="Map likely typos and case or spacing variants of a category to its frequent "
            "spelling, and fill nulls that the rest of an entity's rows agree on (default), "
            "instead of quarantining them.",
        ),
    ] = True,
    repairs: Annotated[
        list[str] | None,
        typer.Option(
            "--repairs",
            metavar="REPAIR",
            help="An opt-in repair to suggest as well, where the evidence is strong: majority "
            "(a dependent column's value becomes its group's most frequent one). Repeatable.",
        ),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="The recipe's name.")] = None,
    sheet: SheetOption = None,
    table: TableOption = None,
    query: QueryOption = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print machine-readable JSON only.")
    ] = False,
    html: HtmlOption = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
) -> int:
    """Suggest a cleaning recipe for a table; every rule carries its evidence."""
    from rich.text import Text

    from rowsift._cli.console import err, out, print_json
    from rowsift.exceptions import UsageError
    from rowsift.io import read_table
    from rowsift.io.output_folder import refuse_overwrite
    from rowsift.profile import profile_table
    from rowsift.profile.reading import read_detected, with_chosen
    from rowsift.recipe import load_recipe
    from rowsift.suggest import suggest_recipe

    levels = ("conservative", "balanced", "aggressive")
    if strictness not in levels:
        raise UsageError(
            f"unknown strictness {strictness!r}", hint="use conservative, balanced or aggressive"
        )
    from rowsift.suggest.build import OPT_IN_REPAIRS

    unknown = sorted(set(repairs or ()) - set(OPT_IN_REPAIRS))
    if unknown:
        raise UsageError(
            f"unknown opt-in repair {unknown[0]!r}", hint=f"use {', '.join(OPT_IN_REPAIRS)}"
        )
    refuse_overwrite([input], [output])
    previous = load_recipe(output) if output.is_file() else None
    chosen = {"sheet": sheet, "table": table, "query": query}
    if previous is not None:  # the reviewed recipe says how its input is read
        source = with_chosen(previous.source, chosen)
        read = read_table(input, source)
    else:
        read, source = read_detected(input, chosen=chosen)
    prof = profile_table(read, null_tokens=tuple(source.null_tokens))
    stem = Path(input).stem if not input.startswith(("postgresql:", "postgres:")) else "table"
    recipe = suggest_recipe(
        read,
        strictness=strictness,  # type: ignore[arg-type]
        repair=repair,
        name=name or (previous.name if previous else None) or stem,
        source=source,
        previous=previous,
        profile=prof,
        repairs=tuple(repairs or ()),
    )
    recipe.save(output)
    if html is not None:
        from rowsift._cli.report import write_html_report
        from rowsift.report import render_suggest_report

        page = render_suggest_report(recipe, prof, source=input, target=str(output))
        write_html_report(page, html, inputs=[input, str(output)], quiet=json_output)
    rules = sum(len(spec.rules) for spec in recipe.columns.values()) + len(recipe.rows)
    budget = next((d.args for d in recipe.dataset if d.kind == "quarantine_rate"), None)
    rate = None if budget is None or budget.evidence is None else budget.evidence.observed
    if json_output:
        print_json(
            {
                "recipe": str(output),
                "rules": rules,
                "quarantine_rate_now": rate,
                "rows": prof.rows,
                "parse_failures": prof.parse_failures,
            }
        )
        return 0
    if prof.rows == 0:
        err.print(Text("the table has no rows: the recipe only names its columns"))
    if prof.parse_failures:
        err.print(
            Text(f"{prof.parse_failures:,} records could not be split and were not learned from")
        )
    now = "" if rate is None else f"; it would quarantine {rate:.2%} of these rows"
    kept = " (reviewed decisions kept)" if previous else ""
    out.print(Text(f"wrote {output}: {len(recipe.columns)} columns, {rules} rules{now}{kept}"))
    out.print(Text(f"review it with: rowsift review {output} {input}"))
    return 0
