"""The dashboard over a real DuckDB store: read-only, token off loopback, bounded history."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from dashboard_server import fetch, free_port, served
from hostile_runs import HostileRun
from report_payloads import assert_inert

from rowsift.exceptions import UsageError
from rowsift.monitor.store import RunRecord, open_store
from rowsift.report.dashboard import DashboardSettings, is_loopback


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_pages_answer_with_escaped_hostile_names(hostile_run: HostileRun) -> None:
    settings = DashboardSettings(store=str(hostile_run.store), port=free_port())
    with served(settings) as base:
        home = fetch(base + "/")
        assert home.status == 200
        assert_inert(home.body)
        assert "default-src 'none'" in home.headers["content-security-policy"]
        page = fetch(base + "/dataset?name=" + quote(hostile_run.dataset))
        assert page.status == 200
        assert_inert(page.body)
        assert "Drift heatmap" in page.body
        assert page.body.count('href="/run/') >= 3  # click-through from the timeline and table
        run_id = page.body.split('href="/run/')[1].split('"')[0]
        run = fetch(f"{base}/run/{run_id}")
        assert run.status == 200
        assert_inert(run.body)
        assert "Rendered from the metric store" in run.body
        alerts = fetch(base + "/alerts")
        assert alerts.status == 200
        assert "drifted" in alerts.body
        assert fetch(base + "/dataset?name=nope").status == 404


def test_the_dashboard_only_reads(hostile_run: HostileRun) -> None:
    before = digest(Path(hostile_run.store))
    settings = DashboardSettings(store=str(hostile_run.store), port=free_port())
    with served(settings) as base:
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            answer = fetch(base + "/", method=method)
            assert answer.status == 405
            assert answer.headers["allow"] == "GET, HEAD"
        assert fetch(base + "/").status == 200
    assert digest(Path(hostile_run.store)) == before
    store = open_store(hostile_run.store, read_only=True)
    with pytest.raises(Exception, match="read-only"):
        store.record(
            RunRecord(
                run_id="x",
                dataset="d",
                batch="b",
                started_at="",
                finished_at="",
                status="pass",
                rows_in=0,
                rows_clean=0,
                rows_quarantined=0,
            )
        )


def test_a_token_is_required_off_loopback(hostile_run: HostileRun) -> None:
    assert is_loopback("127.0.0.1")
    assert is_loopback("::1")
    assert not is_loopback("0.0.0.0")
    elsewhere = DashboardSettings(store=str(hostile_run.store), host="0.0.0.0").checked()
    assert elsewhere.token is not None
    assert len(elsewhere.token) >= 24
    assert elsewhere.token in elsewhere.url
    assert DashboardSettings(store="s", host="127.0.0.1").checked().token is None
    with pytest.raises(UsageError, match="too short"):
        DashboardSettings(store="s", host="0.0.0.0", token="abc").checked()
    # the same guard, served on loopback for the test
    guarded = replace(elsewhere, host="127.0.0.1", port=free_port())
    with served(guarded) as base:
        assert fetch(base + "/").status == 401
        assert fetch(base + "/?token=wrong").status == 401
        assert fetch(base + "/alerts", headers={"Authorization": "Bearer wrong"}).status == 401
        bearer = {"Authorization": f"Bearer {guarded.token}"}
        assert fetch(base + "/alerts", headers=bearer).status == 200
        entry = fetch(f"{base}/?token={guarded.token}")
        assert entry.status == 303
        assert entry.headers["location"] == "/"
        cookie = entry.headers["set-cookie"].split(";")[0]
        assert "HttpOnly" in entry.headers["set-cookie"]
        assert fetch(base + "/", headers={"Cookie": cookie}).status == 200


def test_history_is_bounded_by_days(tmp_path: Path) -> None:
    store_path = tmp_path / "store.duckdb"
    store = open_store(store_path)
    now = datetime.now(UTC)
    for age, batch in ((1, "recent"), (30, "month"), (200, "ancient")):
        when = (now - timedelta(days=age)).isoformat(timespec="microseconds")
        store.record(
            RunRecord(
                run_id=f"r{age}",
                dataset="orders",
                batch=batch,
                started_at=when,
                finished_at=when,
                status="pass",
                rows_in=10,
                rows_clean=9,
                rows_quarantined=1,
            )
        )
    settings = DashboardSettings(store=str(store_path), port=free_port(), days=90)
    with served(settings) as base:
        page = fetch(base + "/dataset?name=orders").body
        assert "recent" in page
        assert "month" in page
        assert "ancient" not in page
        data = page.split('id="rowsift-data">')[1].split("</script>")[0]
        assert json.loads(data) == {"dataset": "orders", "runs": 2, "days": 90}
    with served(replace(settings, days=7, port=free_port())) as base:
        page = fetch(base + "/dataset?name=orders").body
        assert "recent" in page
        assert "month" not in page
    with pytest.raises(UsageError, match="--days"):
        DashboardSettings(store=str(store_path), days=0).checked()


def test_the_runs_table_comes_in_pages_while_timelines_cover_every_run(
    hostile_run: HostileRun,
) -> None:
    from rowsift.report.history import Window, dataset_page

    store = open_store(hostile_run.store, read_only=True)
    every = store.runs(dataset=hostile_run.dataset)
    first = dataset_page(
        store, hostile_run.dataset, Window(), lambda run_id: f"/run/{run_id}", listed=2
    )
    assert [row["id"] for row in first["runs"]] == [run.run_id for run in every[:2]]
    assert first["listing"] == {"first": 1, "last": 2, "total": 3, "newer": None, "older": 2}
    assert all(len(chart.lines) == 3 for chart in first["charts"]), "a dot per run"
    second = dataset_page(
        store, hostile_run.dataset, Window(), lambda run_id: f"/run/{run_id}", listed=2, start=2
    )
    assert [row["id"] for row in second["runs"]] == [every[2].run_id]
    assert second["listing"]["newer"] == 0
    assert second["listing"]["older"] is None
    settings = DashboardSettings(store=str(hostile_run.store), port=free_port())
    with served(settings) as base:
        page = fetch(f"{base}/dataset?name={quote(hostile_run.dataset)}&start=1")
        assert page.status == 200
        assert "Runs 2–3 of 3" in page.body
