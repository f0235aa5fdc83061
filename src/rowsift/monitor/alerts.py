"""Alerts: one sentence each, printed, kept in the summary; incidents posted to a webhook."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

from rowsift.monitor.incidents import IncidentChanges
from rowsift.monitor.urls import masked_text, shown_webhook

AlertKind = Literal["drift", "schema", "volume", "anomaly", "performance"]


@dataclass(frozen=True, kw_only=True)
class Alert:
    """Something about a batch that a person should look at.

    >>> Alert(kind="drift", subject="amount", message="amount drifted").to_dict()["kind"]
    'drift'
    """

    kind: AlertKind
    subject: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "kind": self.kind,
            "subject": self.subject,
            "message": self.message,
            "details": self.details,
        }


def incident_payload(
    changes: IncidentChanges, alerts: Sequence[Alert], *, context: dict[str, Any]
) -> dict[str, Any]:
    """The JSON a webhook receives: the run, the incidents it opened and resolved, its alerts.

    >>> incident_payload(IncidentChanges(), [], context={"dataset": "orders"})["opened"]
    []
    """
    return {
        **context,
        "opened": [incident.to_dict() for incident in changes.opened],
        "resolved": [incident.to_dict() for incident in changes.resolved],
        "alerts": [alert.to_dict() for alert in alerts],
    }


def slack_payload(changes: IncidentChanges, *, context: dict[str, Any]) -> dict[str, Any]:
    """A Slack-compatible message (incoming webhooks): one line per incident opened or resolved.

    Values from the data are sent as plain text: Slack's formatting is off (``mrkdwn: false``)
    and ``&``, ``<``, ``>`` are escaped, so a column name cannot mention or link anyone.

    >>> from rowsift.monitor.incidents import Incident
    >>> opened = Incident(incident_id="i-1", dataset="orders", kind="drift", subject="<!here>",
    ...                   first_run="r", first_batch="b", first_seen="t", message="<!here> drifted")
    >>> slack_payload(IncidentChanges(opened=(opened,)), context={"dataset": "orders",
    ...     "batch": "b"})["text"].splitlines()[1]
    'opened: drift &lt;!here&gt; drifted (i-1)'
    """
    lines = [
        f"rowsift: dataset {context.get('dataset')}, batch {context.get('batch')}: "
        f"{len(changes.opened)} incident(s) opened, {len(changes.resolved)} resolved"
    ]
    for incident in changes.opened:
        lines.append(f"opened: {incident.kind} {incident.message} ({incident.incident_id})")
    for incident in changes.resolved:
        lines.append(
            f"resolved: {incident.kind} {incident.subject} after {incident.count} batch(es), "
            f"first seen in batch {incident.first_batch} ({incident.incident_id})"
        )
    text = "\n".join(lines)
    for raw, escaped in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        text = text.replace(raw, escaped)
    return {"text": text, "mrkdwn": False}


def deliver(url: str, payload: dict[str, Any], *, timeout: float = 10.0) -> dict[str, Any]:
    """POST `payload` as JSON to `url`; say whether it was delivered.

    A webhook that is down must not lose the run: the outcome is reported, never raised.
    Only http and https are posted to; the outcome shows the address without its path.

    >>> deliver("file:///etc/passwd", {})["error"]
    'not an http or https URL'
    """
    shown = shown_webhook(url)
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        return {"url": shown, "delivered": False, "error": "not an http or https URL"}
    body = json.dumps(payload, default=str).encode()
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        return {"url": shown, "delivered": False, "error": f"HTTP {exc.code}"}
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return {"url": shown, "delivered": False, "error": masked_text(str(reason))}
    return {"url": shown, "delivered": 200 <= status < 300, "status": status}
