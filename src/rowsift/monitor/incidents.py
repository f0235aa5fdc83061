"""Incidents: the alerts of one subject and kind in consecutive batches, grouped into one.

A batch's alert opens an incident, or continues the open incident of the same dataset, kind
and subject. An open incident resolves once ``resolve_after`` batches in a row have not raised
its alert (or when a person accepts the change); the next such alert opens a new incident. The
webhook hears of an incident when it opens and when it resolves, not on every batch.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

IncidentStatus = Literal["open", "resolved"]
Resolution = Literal["quiet", "accepted"]

#: the columns of ``rowsift_incidents``, in order
INCIDENT_COLUMNS = (
    "incident_id",
    "dataset",
    "kind",
    "subject",
    "status",
    "first_run",
    "first_batch",
    "first_seen",
    "last_run",
    "last_batch",
    "last_seen",
    "count",
    "quiet",
    "message",
    "resolved_at",
    "resolution",
)


@dataclass(frozen=True, kw_only=True)
class Incident:
    """One problem as people follow it: when it was first and last seen, in how many batches.

    >>> i = Incident(incident_id="i-1", dataset="orders", kind="drift", subject="fee",
    ...              first_run="r1", first_batch="b1", first_seen="t1", message="fee drifted")
    >>> i.key, i.status, i.count
    (('orders', 'drift', 'fee'), 'open', 1)
    """

    incident_id: str
    dataset: str
    kind: str
    subject: str
    first_run: str
    first_batch: str
    first_seen: str
    message: str
    status: IncidentStatus = "open"
    last_run: str = ""
    last_batch: str = ""
    last_seen: str = ""
    #: how many batches raised the alert
    count: int = 1
    #: batches in a row since the last one that raised it
    quiet: int = 0
    resolved_at: str | None = None
    resolution: Resolution | None = None

    def __post_init__(self) -> None:
        for name, first in (
            ("last_run", self.first_run),
            ("last_batch", self.first_batch),
            ("last_seen", self.first_seen),
        ):
            if not getattr(self, name):
                object.__setattr__(self, name, first)

    @property
    def key(self) -> tuple[str, str, str]:
        """What makes two alerts the same problem: dataset, kind and subject."""
        return (self.dataset, self.kind, self.subject)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {name: getattr(self, name) for name in INCIDENT_COLUMNS}

    def row(self) -> list[Any]:
        """The values of its row in ``rowsift_incidents``."""
        return [getattr(self, name) for name in INCIDENT_COLUMNS]


def incident_from_row(row: Sequence[Any]) -> Incident:
    """An incident from its row in ``rowsift_incidents``."""
    values = dict(zip(INCIDENT_COLUMNS, row, strict=True))
    values["count"], values["quiet"] = int(values["count"]), int(values["quiet"])
    return Incident(**values)


@dataclass(frozen=True, kw_only=True)
class RunAlerts:
    """What `advance` needs of a run: where it is in the feed and the alerts it raised."""

    run_id: str
    dataset: str
    batch: str
    seen: str
    alerts: Sequence[dict[str, Any]]


@dataclass(frozen=True, kw_only=True)
class IncidentChanges:
    """What one batch did to the incidents of its dataset."""

    opened: tuple[Incident, ...] = ()
    continued: tuple[Incident, ...] = ()
    resolved: tuple[Incident, ...] = ()
    #: open incidents this batch was quiet on, not yet resolved
    waiting: tuple[Incident, ...] = ()

    @property
    def changed(self) -> tuple[Incident, ...]:
        """Every incident whose row must be written."""
        return (*self.opened, *self.continued, *self.resolved, *self.waiting)

    @property
    def announced(self) -> bool:
        """True when the webhook has something to say: an incident opened or resolved."""
        return bool(self.opened or self.resolved)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: the incidents this batch opened, continued and resolved."""
        return {
            "opened": [incident.to_dict() for incident in self.opened],
            "continued": [incident.to_dict() for incident in self.continued],
            "resolved": [incident.to_dict() for incident in self.resolved],
        }


def advance(open_now: Iterable[Incident], run: RunAlerts, *, resolve_after: int) -> IncidentChanges:
    """The incidents of `run`'s dataset after it: opened, continued, resolved, still waiting.

    >>> run = RunAlerts(run_id="r1", dataset="d", batch="b1", seen="t1",
    ...                 alerts=[{"kind": "drift", "subject": "fee", "message": "fee drifted"}])
    >>> first = advance([], run, resolve_after=2)
    >>> [i.subject for i in first.opened]
    ['fee']
    >>> quiet = replace(run, run_id="r2", batch="b2", seen="t2", alerts=[])
    >>> advance(first.opened, quiet, resolve_after=2).waiting[0].quiet
    1
    """
    by_key = {incident.key: incident for incident in open_now if incident.status == "open"}
    opened: list[Incident] = []
    continued: list[Incident] = []
    seen_keys: set[tuple[str, str, str]] = set()
    for alert in run.alerts:
        key = (run.dataset, str(alert["kind"]), str(alert["subject"]))
        if key in seen_keys:
            continue
        seen_keys.add(key)
        known = by_key.get(key)
        if known is None:
            opened.append(
                Incident(
                    incident_id=new_incident_id(),
                    dataset=run.dataset,
                    kind=key[1],
                    subject=key[2],
                    first_run=run.run_id,
                    first_batch=run.batch,
                    first_seen=run.seen,
                    message=str(alert.get("message", "")),
                )
            )
        else:
            continued.append(
                replace(
                    known,
                    last_run=run.run_id,
                    last_batch=run.batch,
                    last_seen=run.seen,
                    count=known.count + 1,
                    quiet=0,
                    message=str(alert.get("message", known.message)),
                )
            )
    resolved: list[Incident] = []
    waiting: list[Incident] = []
    for key, incident in by_key.items():
        if key in seen_keys:
            continue
        later = replace(incident, quiet=incident.quiet + 1)
        if later.quiet >= resolve_after:
            resolved.append(
                replace(later, status="resolved", resolved_at=run.seen, resolution="quiet")
            )
        else:
            waiting.append(later)
    return IncidentChanges(
        opened=tuple(opened),
        continued=tuple(continued),
        resolved=tuple(resolved),
        waiting=tuple(waiting),
    )


def accepted(
    open_now: Iterable[Incident], keys: set[tuple[str, str]], *, at: str
) -> list[Incident]:
    """The open incidents whose (kind, subject) a person accepted as the new normal, resolved."""
    return [
        replace(incident, status="resolved", resolved_at=at, resolution="accepted")
        for incident in open_now
        if incident.status == "open" and (incident.kind, incident.subject) in keys
    ]


def new_incident_id() -> str:
    """A short id that does not collide: ``i-3fa2c1d0``."""
    return f"i-{secrets.token_hex(4)}"
