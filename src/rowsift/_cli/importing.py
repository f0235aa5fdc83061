"""`rowsift import SUITE_OR_CONTRACT -o RECIPE`: a recipe from another tool's checks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def import_command(
    source: Annotated[
        Path,
        typer.Argument(
            help="A Great Expectations 1.x suite, an ODCS v3 contract, a Frictionless Table "
            "Schema or a pandera YAML schema (told from the content)."
        ),
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Where to write the recipe.", dir_okay=False)
    ],
    json_output: Annotated[
        bool, typer.Option("--json", help="Print machine-readable JSON only.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
) -> int:
    """Read a suite or contract into a recipe, listing every check it could not map."""
    from rich.text import Text

    from rowsift._cli.console import err, out, print_json
    from rowsift.exceptions import InputError, UsageError
    from rowsift.export.contracts import import_contract

    if not source.is_file():
        raise InputError(f"no such file: {source}", hint="give the path of a suite or contract")
    if output.resolve() == source.resolve():
        raise UsageError(
            "the recipe would replace the file it is read from",
            hint="write the recipe to another path with -o",
        )
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read {source}: {error}", hint="give a UTF-8 text file") from None
    recipe, notes = import_contract(text, file=str(source))
    recipe.save(output)
    rules = sum(len(spec.rules) for spec in recipe.columns.values())
    rules += len(recipe.rows) + len(recipe.dataset)
    if json_output:
        print_json({"recipe": str(output), "rules": rules, "not_mapped": notes})
        return 0
    out.print(Text(f"wrote {output}: {len(recipe.columns)} columns, {rules} rules"))
    if notes:
        checks = "check" if len(notes) == 1 else "checks"
        err.print(Text(f"{len(notes)} {checks} could not be mapped:"))
        for note in notes:
            err.print(Text(f"  {note}"))
    return 0
