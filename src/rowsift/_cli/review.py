"""`rowsift review RECIPE INPUT`: accept, reject or edit each rule, seeing what it quarantines.

The loop itself is `rowsift.suggest.session.review_recipe`; this module only asks the questions.
Everything from the recipe or the table is printed as plain text, never as Rich markup.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rowsift._cli.profile import shown

if TYPE_CHECKING:
    from rowsift.recipe.model import ColumnRuleSpec, RowRuleSpec
    from rowsift.suggest.session import Answer, ReviewItem


def review_command(
    recipe_path: Annotated[Path, typer.Argument(metavar="RECIPE", help="The recipe YAML file.")],
    input: Annotated[str, typer.Argument(help="A table to show what each rule would do.")],
    by: Annotated[
        str | None, typer.Option("--by", help="Who reviews (default: the user name).")
    ] = None,
    all_rules: Annotated[
        bool, typer.Option("--all", help="Also ask about rules reviewed before.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
) -> int:
    """Review a recipe rule by rule: [a]ccept, [r]eject, [e]dit, [v]iew whole, [s]kip, [q]uit."""
    from rich.text import Text

    from rowsift._cli.console import out
    from rowsift.io import read_table
    from rowsift.recipe import load_recipe
    from rowsift.suggest.session import review_recipe

    recipe = load_recipe(recipe_path)
    reviewer = by or getpass.getuser()
    table = read_table(input, recipe.source)
    ask = _ask(Path(input).name)
    recipe, decided = review_recipe(recipe, table, ask, by=reviewer, all_rules=all_rules)
    recipe.save(recipe_path)
    out.print(Text(f"\nsaved {recipe_path}: {decided} decision(s) recorded"))
    return 0


def _ask(table_name: str) -> Callable[[ReviewItem], Answer]:
    from rich.text import Text

    from rowsift._cli.console import out
    from rowsift.suggest.session import Answer

    def answer(item: ReviewItem) -> Answer:
        heading = Text("\n")
        heading.append(item.rule_id, style="bold")
        out.print(heading)
        out.print(Text(_indented(item.summary)))
        if item.summarised:
            out.print(Text("  (long list cut; [v] shows the whole rule)"))
        if item.why is not None:
            out.print(Text(f"  why: {shown(item.why, 400)}"))
        examples = ", ".join(shown(e) for e in item.examples) or "-"
        out.print(
            Text(
                f"  on {shown(table_name, 80)}: quarantines {item.failed:,} of {item.rows:,} "
                f"rows ({item.share:.2%}), e.g. {examples}"
            )
        )
        while True:
            reply = (
                typer.prompt(
                    "  [a]ccept, [r]eject, [e]dit, [v]iew whole, [s]kip, [q]uit", default="a"
                )
                .strip()
                .lower()
            )
            if reply.startswith("v"):
                out.print(Text(_indented(item.written)))
                continue
            break
        if reply.startswith("q"):
            return Answer(decision="quit")
        if reply.startswith("s"):
            return Answer(decision="skip")
        note = typer.prompt("  note (optional)", default="", show_default=False).strip() or None
        if reply.startswith("r"):
            return Answer(decision="rejected", note=note)
        if reply.startswith("e"):
            return Answer(decision="edited", note=note, edited=_edited(item.rule_id))
        return Answer(decision="accepted", note=note)

    return answer


def _edited(rule_id: str) -> ColumnRuleSpec | RowRuleSpec:
    from pydantic import ValidationError
    from rich.text import Text

    from rowsift._cli.console import out
    from rowsift.exceptions import RecipeError
    from rowsift.recipe.model import ColumnRuleSpec, RowRuleSpec
    from rowsift.recipe.yaml_text import parse_yaml

    while True:
        text = typer.prompt("  new rule as YAML, e.g. {between: {min: 0, max: 500}}")
        try:
            data = parse_yaml(text)[0]
            if rule_id.startswith("row."):
                return RowRuleSpec.model_validate(data)
            return ColumnRuleSpec.model_validate(data)
        except (ValidationError, RecipeError) as exc:
            why = exc.problems[0].render() if isinstance(exc, RecipeError) else str(exc)
            out.print(Text(f"  not a valid rule: {why.splitlines()[0]}"))


def _indented(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())
