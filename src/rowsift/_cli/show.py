"""`rowsift show`: the quarantined rows of a run by reason, the failing cell marked."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rowsift._cli.options import MAX_LIMIT


def show_command(
    run_dir: Annotated[Path, typer.Argument(help="The folder a run wrote (rowsift run --out).")],
    reason: Annotated[
        str | None, typer.Option("--reason", "-r", help="Only rows that failed this rule id.")
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", help="Rows per reason.", min=1, max=MAX_LIMIT)
    ] = 10,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print machine-readable JSON only.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
) -> int:
    """Print a run's quarantined rows by reason, as read, with the failing cell marked ✗."""
    from rich.text import Text

    from rowsift._cli.console import out, print_json
    from rowsift.report.terminal import quarantined_by_reason, reason_table

    groups = quarantined_by_reason(run_dir, reason=reason, limit=limit)
    if json_output:
        print_json(
            {
                "reasons": [
                    {"reason": g.reason, "rows": g.total, "blamed": g.blamed, "examples": g.rows}
                    for g in groups
                ]
            }
        )
        return 0
    if not groups:
        out.print(Text("no row was quarantined"))
    for group in groups:
        out.print(reason_table(group, width=out.width))
    return 0
