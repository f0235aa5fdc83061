"""`rowsift baseline accept|pin|unpin|show`: a person's decisions about a dataset's baseline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from rowsift._cli.guard import guarded
from rowsift._cli.store import DebugFlag, JsonFlag, StoreOption

if TYPE_CHECKING:
    from rich.text import Text

    from rowsift.monitor.decisions import Decision
    from rowsift.monitor.records import MarkAction

baseline_app = typer.Typer(
    name="baseline",
    help="Accept a change as the new normal, or pin the run batches are compared with.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

RunArgument = Annotated[
    str | None,
    typer.Argument(
        help="The run: its id, a unique part of it (`rowsift history` shows one), "
        "latest or previous.",
        show_default=False,
    ),
]
BatchOption = Annotated[
    str | None, typer.Option("--batch", help="Name the run by its batch instead.")
]
DatasetOption = Annotated[
    str | None,
    typer.Option("--dataset", help="The dataset (needed when the store holds several)."),
]
ByOption = Annotated[
    str | None, typer.Option("--by", help="Who decides (default: your login name).")
]


def accept_command(
    run: RunArgument = None,
    batch: BatchOption = None,
    dataset: DatasetOption = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why the change is the new normal (kept).")
    ] = None,
    by: ByOption = None,
    store: StoreOption = None,
    json_output: JsonFlag = False,
    debug: DebugFlag = False,
) -> int:
    """Accept a run's change as the new normal: later batches are compared with it, not before.

    The open incidents the run raised are resolved. Who accepted it, when and why are kept in
    the store.
    """
    return _decide("accept", run, batch, dataset, reason, by, store, json_output)


def pin_command(
    run: RunArgument = None,
    batch: BatchOption = None,
    dataset: DatasetOption = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why (kept).")] = None,
    by: ByOption = None,
    store: StoreOption = None,
    json_output: JsonFlag = False,
    debug: DebugFlag = False,
) -> int:
    """Compare every later batch of the run's dataset with this run alone, until unpinned."""
    return _decide("pin", run, batch, dataset, reason, by, store, json_output)


def unpin_command(
    dataset: DatasetOption = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why (kept).")] = None,
    by: ByOption = None,
    store: StoreOption = None,
    json_output: JsonFlag = False,
    debug: DebugFlag = False,
) -> int:
    """Go back to the window of recent clean runs as the dataset's baseline."""
    return _decide("unpin", None, None, dataset, reason, by, store, json_output)


def show_command(
    dataset: DatasetOption = None,
    store: StoreOption = None,
    json_output: JsonFlag = False,
    debug: DebugFlag = False,
) -> int:
    """The decisions taken about a dataset's baseline, oldest first, and the pinned run."""
    from rich.table import Table
    from rich.text import Text

    from rowsift._cli.console import out, print_json
    from rowsift.monitor.config import project_store
    from rowsift.monitor.decisions import baseline_state

    state = baseline_state(project_store(store, existing=True), dataset=dataset)
    if json_output:
        print_json(state.to_dict())
        return 0
    pinned = f"run {state.pinned} is pinned" if state.pinned else "no run is pinned"
    out.print(Text(f"{state.dataset}: {pinned}"))
    if not state.marks:
        out.print("no decisions yet")
        return 0
    table = Table(show_edge=False, pad_edge=False)
    for name in ("when", "decision", "run", "by", "why"):
        table.add_column(name, overflow="fold")
    for mark in state.marks:
        table.add_row(
            mark.marked_at[:16].replace("T", " "),
            mark.action,
            Text(mark.run_id),
            Text(mark.marked_by),
            Text(mark.reason or ""),
        )
    out.print(table)
    return 0


def _decide(
    action: MarkAction,
    run: str | None,
    batch: str | None,
    dataset: str | None,
    reason: str | None,
    by: str | None,
    store: str | None,
    json_output: bool,
) -> int:
    from rowsift._cli.console import out, print_json
    from rowsift.monitor.config import project_store
    from rowsift.monitor.decisions import decide

    decision = decide(
        project_store(store, existing=True),
        action,
        run=run,
        batch=batch,
        dataset=dataset,
        by=by,
        reason=reason,
    )
    if json_output:
        print_json(decision.to_dict())
    else:
        out.print(_sentence(decision))
    return 0


def _sentence(decision: Decision) -> Text:
    from rich.text import Text

    mark, run = decision.mark, decision.run
    where = f"run {run.run_id} (dataset {run.dataset}, batch {run.batch})"
    if mark.action == "accept":
        text = f"accepted {where} as the new normal"
        if decision.resolved:
            text += f"; resolved {len(decision.resolved)} incident(s)"
    elif mark.action == "pin":
        text = f"pinned {where}: later batches are compared with it alone"
    else:
        text = f"unpinned {where}: batches are compared with recent clean runs again"
    return Text(f"{text}; recorded as decided by {mark.marked_by}")


baseline_app.command("accept")(guarded(accept_command))
baseline_app.command("pin")(guarded(pin_command))
baseline_app.command("unpin")(guarded(unpin_command))
baseline_app.command("show")(guarded(show_command))
