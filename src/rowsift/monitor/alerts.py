"""Alerts: one sentence each, printed, kept in the summary, and posted to a webhook."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

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


def deliver(
    url: str, alerts: Sequence[Alert], *, context: dict[str, Any], timeout: float = 10.0
) -> dict[str, Any]:
    """POST the alerts as one JSON document to `url`; say whether it was delivered.

    A webhook that is down must not lose the run: the outcome is reported, never raised.
    Only http and https are posted to; the outcome shows the address without its path.

    >>> deliver("file:///etc/passwd", [], context={})["error"]
    'not an http or https URL'
    """
    shown = shown_webhook(url)
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        return {"url": shown, "delivered": False, "error": "not an http or https URL"}
    body = json.dumps(
        {**context, "alerts": [alert.to_dict() for alert in alerts]}, default=str
    ).encode()
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
