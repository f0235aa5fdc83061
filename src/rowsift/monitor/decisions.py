"""What a person decides about a dataset's baseline: accept a change, pin a run, unpin it.

`rowsift baseline accept|pin|unpin|show` call these; every decision is kept in the store with
who made it, when and why, so the rule in `rowsift.monitor.baseline` can be replayed.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from typing import Any

from rowsift.exceptions import UsageError
from rowsift.monitor.baseline import pinned_run
from rowsift.monitor.incidents import Incident
from rowsift.monitor.records import Mark, MarkAction, RunRecord
from rowsift.monitor.store import SqlStore


@dataclass(frozen=True, kw_only=True)
class Decision:
    """A recorded decision, the run it is about, and the incidents accepting it resolved."""

    mark: Mark
    run: RunRecord
    resolved: tuple[Incident, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            **self.mark.to_dict(),
            "batch": self.run.batch,
            "resolved": [incident.to_dict() for incident in self.resolved],
        }


def decide(
    store: SqlStore,
    action: MarkAction,
    *,
    run: str | None = None,
    batch: str | None = None,
    dataset: str | None = None,
    by: str | None = None,
    reason: str | None = None,
) -> Decision:
    """Accept, pin or unpin a run named by id, unique part of an id, `latest`, `previous`,
    or its batch.

    Accepting makes the run's change the new normal: later batches are compared with the
    accepted run and the clean runs after it, and the open incidents it raised are resolved.
    Pinning makes the run the dataset's baseline until it is unpinned; unpinning needs no run.
    """
    if run is not None and batch is not None:
        raise UsageError("give a run or --batch, not both")
    chosen = run or batch
    if chosen is None and action == "unpin":
        chosen = _pinned(store, dataset)
    if chosen is None:
        raise UsageError(
            f"which run do you want to {action}?",
            hint="name it by id, by --batch, or as latest / previous (`rowsift history`)",
        )
    record = store.get(chosen, dataset=dataset)
    if action == "accept" and not (reason or "").strip():
        raise UsageError(
            "say why the change is the new normal",
            hint='--reason "new product category launched" (it is kept in the store)',
        )
    mark, resolved = store.mark(record, action, by=by or _who(), reason=reason)
    return Decision(mark=mark, run=record, resolved=tuple(resolved))


@dataclass(frozen=True, kw_only=True)
class BaselineState:
    """A dataset's decisions, newest last, and the run pinned now (if any)."""

    dataset: str
    marks: tuple[Mark, ...]
    pinned: str | None

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "dataset": self.dataset,
            "pinned": self.pinned,
            "marks": [mark.to_dict() for mark in self.marks],
        }


def baseline_state(store: SqlStore, *, dataset: str | None = None) -> BaselineState:
    """The decisions taken about `dataset`'s baseline (the store's only dataset by default)."""
    name = dataset or _only_dataset(store)
    marks = tuple(store.marks(name))
    return BaselineState(dataset=name, marks=marks, pinned=pinned_run(marks))


def _pinned(store: SqlStore, dataset: str | None) -> str:
    state = baseline_state(store, dataset=dataset)
    if state.pinned is None:
        raise UsageError(f"no run of {state.dataset!r} is pinned")
    return state.pinned


def _only_dataset(store: SqlStore) -> str:
    datasets = sorted({run.dataset for run in store.runs()})
    if len(datasets) == 1:
        return datasets[0]
    if not datasets:
        raise UsageError(f"no run in the store {store.url}")
    raise UsageError(
        f"the store holds {len(datasets)} datasets ({', '.join(datasets[:5])})",
        hint="say which with --dataset",
    )


def _who() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        return "unknown"
