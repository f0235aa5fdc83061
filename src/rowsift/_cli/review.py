"""`rowsift review RECIPE INPUT`: accept, reject or edit each repair that guesses a value and each
rule, seeing what it changes or quarantines.

The loop itself is `rowsift.suggest.session.review_recipe`; this module only asks the questions.
Everything from the recipe or the table is printed as plain text, never as Rich markup.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from rowsift._cli.profile import shown

if TYPE_CHECKING:
    from rowsift.recipe.model import ColumnRuleSpec, RowRuleSpec, TransformSpec
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
    """Review repairs and rules one by one: [a]ccept, [r]eject, [e]dit, [v]iew, [s]kip, [q]uit."""
    from rich.text import Text

    from rowsift._cli.console import out
    from rowsift.io import read_table
    from rowsift.recipe import load_recipe
    from rowsift.suggest.session import review_recipe

    recipe = load_recipe(recipe_path)
    reviewer = by or getpass.getuser()
    table = read_table(input, recipe.source)
    ended: list[bool] = []
    ask = _ask(Path(input).name, ended)
    recipe, decided = review_recipe(recipe, table, ask, by=reviewer, all_rules=all_rules)
    recipe.save(recipe_path)
    if ended:
        out.print(Text("\nno answer could be read (the input ended, or Ctrl-C): stopped there"))
    out.print(Text(f"\nsaved {recipe_path}: {decided} decision(s) recorded"))
    return 0


def _prompt(text: str, ended: list[bool], **options: Any) -> str | None:
    """The answer typed, or None when there is none to read (the input ended, or Ctrl-C at the
    question): the review then stops as with [q], keeping the decisions made."""
    try:
        return str(typer.prompt(text, **options))
    except typer.Abort:
        ended.append(True)
        return None


def _ask(table_name: str, ended: list[bool]) -> Callable[[ReviewItem], Answer]:
    from rich.text import Text

    from rowsift._cli.console import out
    from rowsift.suggest.session import Answer

    def answer(item: ReviewItem) -> Answer:
        heading = Text("\n")
        heading.append(shown(item.rule_id, 200), style="bold")  # a name may hold a newline
        out.print(heading)
        out.print(Text(_indented(item.summary)))
        if item.summarised:
            out.print(Text("  (long list cut; [v] shows the whole rule)"))
        if item.why is not None:
            out.print(Text(f"  why: {shown(item.why, 400)}"))
        if item.repair:
            done = f"changes {item.failed:,} of {item.rows:,} rows ({item.share:.2%})"
        else:
            examples = ", ".join(shown(e) for e in item.examples) or "-"
            done = (
                f"quarantines {item.failed:,} of {item.rows:,} rows ({item.share:.2%}), "
                f"e.g. {examples}"
            )
        out.print(Text(f"  on {shown(table_name, 80)}: {done}"))
        while True:
            typed = _prompt(
                "  [a]ccept, [r]eject, [e]dit, [v]iew whole, [s]kip, [q]uit", ended, default="a"
            )
            reply = "q" if typed is None else _choice(typed)
            if reply == "v":
                out.print(Text(_indented(item.written)))
                continue
            if reply is None:
                out.print(
                    Text(f"  not an answer: {shown(typed or '', 40)}; type a, r, e, v, s or q")
                )
                continue
            break
        if reply.startswith("q"):
            return Answer(decision="quit")
        if reply.startswith("s"):
            return Answer(decision="skip")
        typed = _prompt("  note (optional)", ended, default="", show_default=False)
        if typed is None:
            return Answer(decision="quit")
        note = typed.strip() or None
        if reply.startswith("r"):
            return Answer(decision="rejected", note=note)
        if reply.startswith("e"):
            edited = _edited(item, ended)
            if edited is None:
                return Answer(decision="quit")
            return Answer(decision="edited", note=note, edited=edited)
        return Answer(decision="accepted", note=note)

    return answer


CHOICES = {"a": "accept", "r": "reject", "e": "edit", "v": "view", "s": "skip", "q": "quit"}
"""The answers to a review question, by their first letter."""


def _choice(typed: str) -> str | None:
    """The answer's letter, when what was typed starts an answer's word (``r``, ``rej``,
    ``Reject``); None for anything else (``no`` is not an answer).

    >>> _choice(" Rej "), _choice("a"), _choice("no"), _choice("accepts")
    ('r', 'a', None, None)
    """
    reply = typed.strip().lower()
    return next((key for key, word in CHOICES.items() if reply and word.startswith(reply)), None)


def _edited(
    item: ReviewItem, ended: list[bool]
) -> ColumnRuleSpec | RowRuleSpec | TransformSpec | None:
    from pydantic import ValidationError
    from rich.text import Text

    from rowsift._cli.console import out
    from rowsift.exceptions import RecipeError
    from rowsift.recipe.model import ColumnRuleSpec, RowRuleSpec, TransformSpec
    from rowsift.recipe.yaml_text import parse_yaml

    kind = "transform" if item.repair else "rule"
    example = "{map: {pqid: paid}}" if item.repair else "{between: {min: 0, max: 500}}"
    while True:
        text = _prompt(f"  new {kind} as YAML, e.g. {example}", ended)
        if text is None:
            return None
        try:
            data = parse_yaml(text)[0]
            if item.repair:
                transform = TransformSpec.model_validate(data)
                if transform.kind == item.kind:
                    return transform
                out.print(Text(f"  an edit keeps the repair a {item.kind}: reject it to drop it"))
                continue
            if item.rule_id.startswith("row."):
                return RowRuleSpec.model_validate(data)
            return ColumnRuleSpec.model_validate(data)
        except (ValidationError, RecipeError) as exc:
            why = exc.problems[0].render() if isinstance(exc, RecipeError) else str(exc)
            out.print(Text(f"  not a valid {kind}: {why.splitlines()[0]}"))


def _indented(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())
