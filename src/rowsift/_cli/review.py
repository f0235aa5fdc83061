"""`rowsift review RECIPE INPUT`: accept, reject or edit each rule, seeing what it quarantines."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer

from rowsift._cli.console import out


def review_command(
    recipe_path: Annotated[Path, typer.Argument(metavar="RECIPE", help="The recipe YAML file.")],
    input: Annotated[Path, typer.Argument(help="A table to show what each rule would do.")],
    by: Annotated[
        str | None, typer.Option("--by", help="Who reviews (default: the user name).")
    ] = None,
    all_rules: Annotated[
        bool, typer.Option("--all", help="Also ask about rules reviewed before.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
) -> int:
    """Review a recipe rule by rule: [a]ccept, [r]eject, [e]dit, [s]kip or [q]uit and save."""
    import yaml
    from pydantic import ValidationError

    from rowsift.io import read_table
    from rowsift.recipe import load_recipe
    from rowsift.recipe.comments import describe
    from rowsift.recipe.model import ColumnRuleSpec, RowRuleSpec
    from rowsift.suggest import decide, measure, review_ids, rule_entry
    from rowsift.suggest.review import compact_entry

    recipe = load_recipe(recipe_path)
    reviewer = by or getpass.getuser()
    failures, examples, _, rows = measure(recipe, read_table(input, recipe.source))
    decided = 0
    for rule_id in review_ids(recipe):
        entry = rule_entry(recipe, rule_id)
        if entry.args.review is not None and not all_rules:
            continue
        failed = failures.get(rule_id, 0)
        written = yaml.safe_dump(compact_entry(entry), default_flow_style=True).strip()
        out.print(f"\n[bold]{rule_id}[/]  {written}", markup=True)
        if entry.args.evidence is not None:
            out.print(f"  why: {describe(entry.args.evidence)}")
        share = failed / rows if rows else 0.0
        shown = ", ".join(examples.get(rule_id, [])) or "-"
        out.print(
            f"  on {input.name}: quarantines {failed:,} of {rows:,} rows ({share:.2%}), "
            f"e.g. {shown}"
        )
        answer = (
            typer.prompt("  [a]ccept, [r]eject, [e]dit, [s]kip, [q]uit", default="a")
            .strip()
            .lower()
        )
        if answer.startswith("q"):
            break
        if answer.startswith("s"):
            continue
        note = typer.prompt("  note (optional)", default="", show_default=False).strip() or None
        if answer.startswith("r"):
            recipe = decide(recipe, rule_id, "rejected", by=reviewer, note=note)
        elif answer.startswith("e"):
            model = RowRuleSpec if rule_id.startswith("row.") else ColumnRuleSpec
            while True:
                text = typer.prompt("  new rule as YAML, e.g. {between: {min: 0, max: 500}}")
                try:
                    edited = model.model_validate(yaml.safe_load(text))
                except (ValidationError, yaml.YAMLError) as exc:
                    out.print(f"  not a valid rule: {str(exc).splitlines()[0]}")
                    continue
                break
            recipe = decide(recipe, rule_id, "edited", by=reviewer, note=note, edited=edited)
        else:
            recipe = decide(recipe, rule_id, "accepted", by=reviewer, note=note)
        decided += 1
    recipe.save(recipe_path)
    out.print(f"\nsaved {recipe_path}: {decided} decision(s) recorded")
    return 0
