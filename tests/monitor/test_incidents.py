"""Alerts in consecutive batches become one incident; quiet batches resolve it."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from rowsift.monitor.alerts import slack_payload
from rowsift.monitor.incidents import Incident, IncidentChanges, RunAlerts, accepted, advance

FEE = {"kind": "drift", "subject": "fee", "message": "fee drifted: mean 10 → 14"}
ROWS = {"kind": "volume", "subject": "rows_in", "message": "rows in 900 vs usual 2,000"}


def _run(t: int, *alerts: dict[str, Any]) -> RunAlerts:
    return RunAlerts(
        run_id=f"r{t}", dataset="orders", batch=f"b{t}", seen=f"t{t:03d}", alerts=list(alerts)
    )


def _feed(pattern: list[list[dict[str, Any]]], resolve_after: int) -> list[IncidentChanges]:
    open_now: dict[str, Incident] = {}
    changes = []
    for t, alerts in enumerate(pattern):
        step = advance(open_now.values(), _run(t, *alerts), resolve_after=resolve_after)
        for incident in step.changed:
            if incident.status == "open":
                open_now[incident.incident_id] = incident
            else:
                open_now.pop(incident.incident_id, None)
        changes.append(step)
    return changes


def test_a_storm_of_alerts_is_one_incident_announced_twice() -> None:
    pattern = [[FEE]] * 5 + [[]] * 3
    changes = _feed(pattern, resolve_after=3)
    assert [len(c.opened) for c in changes] == [1, 0, 0, 0, 0, 0, 0, 0]
    assert [len(c.continued) for c in changes] == [0, 1, 1, 1, 1, 0, 0, 0]
    assert [len(c.resolved) for c in changes] == [0] * 7 + [1]
    assert [c.announced for c in changes] == [True] + [False] * 6 + [True]
    resolved = changes[-1].resolved[0]
    assert resolved.count == 5
    assert (resolved.first_batch, resolved.last_batch) == ("b0", "b4")
    assert (resolved.resolution, resolved.resolved_at) == ("quiet", "t007")
    assert resolved.incident_id == changes[0].opened[0].incident_id


def test_a_gap_shorter_than_the_quiet_batches_continues_the_incident() -> None:
    changes = _feed([[FEE], [], [], [FEE], [], [], [], [FEE]], resolve_after=3)
    assert sum(len(c.opened) for c in changes) == 2
    assert changes[3].continued[0].count == 2
    assert changes[6].resolved[0].count == 2


def test_kinds_and_subjects_are_separate_incidents() -> None:
    changes = _feed([[FEE, ROWS], [ROWS], [FEE]], resolve_after=5)
    assert {i.subject for i in changes[0].opened} == {"fee", "rows_in"}
    assert [i.subject for i in changes[1].continued] == ["rows_in"]
    assert [i.subject for i in changes[1].waiting] == ["fee"]
    assert [i.subject for i in changes[2].continued] == ["fee"]


def test_accepting_resolves_the_open_incidents_of_what_was_accepted() -> None:
    opened = _feed([[FEE, ROWS]], resolve_after=3)[0].opened
    done = accepted(opened, {("drift", "fee")}, at="t9")
    assert [(i.subject, i.status, i.resolution) for i in done] == [("fee", "resolved", "accepted")]


@given(
    st.lists(st.lists(st.sampled_from(["fee", "city", "rows"]), max_size=3), max_size=40),
    st.integers(min_value=1, max_value=5),
)
def test_every_alert_belongs_to_exactly_one_incident(
    pattern: list[list[str]], resolve_after: int
) -> None:
    alerts = [
        [{"kind": "drift", "subject": s, "message": s} for s in dict.fromkeys(subjects)]
        for subjects in pattern
    ]
    changes = _feed(alerts, resolve_after)
    final: dict[str, Incident] = {}
    for step in changes:
        for incident in step.changed:
            final[incident.incident_id] = incident
        # at most one open incident per subject at any time
        subjects = [i.subject for i in step.opened + step.continued + step.waiting]
        assert len(subjects) == len(set(subjects))
    assert sum(i.count for i in final.values()) == sum(len(a) for a in alerts)
    for incident in final.values():
        if incident.status == "resolved":
            assert incident.quiet == resolve_after


def test_the_slack_message_is_plain_text_that_mentions_nobody() -> None:
    hostile = {"kind": "drift", "subject": "<!channel>", "message": "<!channel> & <@U1> *bold*"}
    changes = _feed([[hostile]], resolve_after=1)[0]
    payload = slack_payload(changes, context={"dataset": "orders", "batch": "b0"})
    assert payload["mrkdwn"] is False
    assert "<" not in payload["text"]
    assert ">" not in payload["text"]
    assert "&lt;!channel&gt; &amp; &lt;@U1&gt;" in payload["text"]
    assert payload["text"].startswith("rowsift: dataset orders, batch b0: 1 incident(s) opened")
