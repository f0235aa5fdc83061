"""`rowsift diff OLD NEW [--input FILE]`: what changed between two recipes, for code review."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer


def diff_command(
    old: Annotated[Path, typer.Argument(help="The recipe before the change.")],
    new: Annotated[Path, typer.Argument(help="The recipe after the change.")],
    input: Annotated[
        str | None,
        typer.Option(
            "--input",
            "-i",
            help="A table to run both recipes on: how many rows each change moves between "
            "clean and quarantine.",
        ),
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print machine-readable JSON only.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
) -> int:
    """Rules added, removed and changed between two recipes; with --input, the rows they move."""
    from dataclasses import asdict

    from rowsift._cli.console import out, print_json, safe_text
    from rowsift.export.diff import diff_recipes, moved_rows
    from rowsift.recipe import load_recipe

    before, after = load_recipe(old), load_recipe(new)
    changes = diff_recipes(before, after)
    moves = moved_rows(before, after, input) if input is not None else None
    if json_output:
        print_json(
            {
                "rules": [asdict(change) for change in changes.rules],
                "settings": [asdict(change) for change in changes.settings],
                "rows": None if moves is None else asdict(moves),
            }
        )
        return 0
    counts = {
        kind: sum(c.kind == kind for c in changes.rules) for kind in ("added", "removed", "changed")
    }
    out.print(
        safe_text(
            f"rules: {counts['added']} added, {counts['removed']} removed, "
            f"{counts['changed']} changed"
        )
    )
    marks = {"added": "+", "removed": "-", "changed": "~"}
    for change in changes.rules:
        shown = _entry(change.after) if change.kind == "added" else _entry(change.before)
        if change.kind == "changed":
            shown = f"{_entry(change.before)} -> {_entry(change.after)}"
        out.print(safe_text(f"  {marks[change.kind]} {change.id}: {shown}"))
    if changes.settings:
        out.print(safe_text("settings:"))
        for setting in changes.settings:
            out.print(
                safe_text(
                    f"  ~ {setting.path}: {_entry(setting.before)} -> {_entry(setting.after)}"
                )
            )
    if moves is not None:
        out.print(
            safe_text(
                f"on {input} ({moves.rows:,} rows): {moves.to_quarantine:,} move to "
                f"the quarantine, {moves.to_clean:,} to clean"
            )
        )
        for rule_id in dict.fromkeys([*moves.newly_failing, *moves.no_longer_failing]):
            gained = moves.newly_failing.get(rule_id, 0)
            lost = moves.no_longer_failing.get(rule_id, 0)
            moved = moves.moved_by.get(rule_id, 0)
            out.print(
                safe_text(
                    f"  {rule_id}: +{gained:,} failing, -{lost:,} failing, "
                    f"{moved:,} of them changed side"
                )
            )
    return 0


def _entry(value: Any) -> str:
    """An entry as one line of YAML flow text."""
    import json

    if value is None:
        return "(none)"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
