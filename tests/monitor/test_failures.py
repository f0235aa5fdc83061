"""Monitoring never costs a run its result, and never shows a credential."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

import rowsift
from rowsift.demo import orders_recipe_path
from rowsift.demo.generate import generate_orders
from rowsift.exceptions import UsageError
from rowsift.monitor import Monitoring, open_store
from rowsift.monitor.alerts import deliver
from rowsift.monitor.urls import shown_store, shown_webhook
from rowsift.recipe.model import MonitorSpec

SECRET = "hunter2-s3cret"


def _batch(folder: Path, seed: int, rows: int = 2_000) -> Path:
    path = folder / f"batch-{seed}.csv"
    path.write_text(generate_orders(rows, seed))
    return path


def _written(out: Path) -> dict[str, Any]:
    return dict(json.loads((out / "summary.json").read_text()))


def test_a_store_folder_that_does_not_exist_leaves_every_output_and_the_error(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    store = tmp_path / "missing" / "store.duckdb"
    summary = rowsift.run_file(
        orders_recipe_path(), _batch(tmp_path, 1), out, monitor=Monitoring(store=str(store))
    )
    assert sorted(p.name for p in out.iterdir()) == [
        "clean.parquet",
        "details.json",
        "quarantine.parquet",
        "summary.json",
    ]
    written = _written(out)
    assert written["rows_in"] == 2_000
    assert written["monitor"]["recorded"] is False
    assert "the folder of the store" in written["monitor"]["error"]
    assert "does not exist" in written["monitor"]["error"]
    assert summary.monitor is not None
    assert summary.monitor.error == written["monitor"]["error"]
    assert not store.parent.exists()


def test_an_unreachable_store_is_recorded_with_its_password_masked(tmp_path: Path) -> None:
    out = tmp_path / "out"
    url = f"postgresql://ana:{SECRET}@127.0.0.1:1/metrics?connect_timeout=2"
    summary = rowsift.run_file(
        orders_recipe_path(), _batch(tmp_path, 2, 300), out, monitor=Monitoring(store=url)
    )
    text = (out / "summary.json").read_text()
    assert SECRET not in text
    written = _written(out)
    assert (
        written["monitor"]["store"] == "postgresql://ana:***@127.0.0.1:1/metrics?connect_timeout=2"
    )
    assert written["monitor"]["recorded"] is False
    assert "cannot reach the store postgresql://ana:***@127.0.0.1:1/metrics" in text
    assert summary.monitor is not None
    assert SECRET not in repr(summary)
    assert SECRET not in repr(open_store(url))


def test_bad_addresses_are_usage_errors_before_anything_is_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    batch = _batch(tmp_path, 3, 100)
    for monitor, message in (
        (Monitoring(store=f"mysql://ana:{SECRET}@db/m"), "unknown store URL scheme 'mysql'"),
        (
            Monitoring(store=str(tmp_path / "s.duckdb"), webhook="file:///etc/passwd"),
            "the webhook must be an http or https URL, got 'file'",
        ),
        (Monitoring(batch="b1"), "no metric store to record the run in"),
    ):
        with pytest.raises(UsageError) as caught:
            rowsift.run_file(orders_recipe_path(), batch, out, monitor=monitor)
        assert message in caught.value.render()
        assert SECRET not in caught.value.render()
        assert not out.exists()


def test_deliver_refuses_what_is_not_http() -> None:
    for url in ("file:///etc/passwd", "ftp://example.com/x", "gopher://h/"):
        outcome = deliver(url, {})
        assert outcome["delivered"] is False
        assert outcome["error"] == "not an http or https URL"


def test_addresses_are_shown_without_credentials() -> None:
    assert shown_store(f"postgres://ana:{SECRET}@db/m") == "postgres://ana:***@db/m"
    assert shown_store(f"postgresql://db/m?user=ana&password={SECRET}") == (
        "postgresql://db/m?user=ana&password=***"
    )
    assert shown_store("postgresql://ana@db/m") == "postgresql://ana@db/m"
    assert shown_store("/tmp/metrics.duckdb") == "/tmp/metrics.duckdb"
    assert shown_webhook(f"https://ana:{SECRET}@hooks.example.com:8443/T0/{SECRET}?k=1") == (
        "https://hooks.example.com:8443/…"
    )


class _Hook(BaseHTTPRequestHandler):
    received: ClassVar[list[bytes]] = []

    def do_POST(self) -> None:
        type(self).received.append(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        """Quiet."""


@pytest.fixture
def webhook() -> Iterator[tuple[str, list[bytes]]]:
    _Hook.received = []
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook/{SECRET}", _Hook.received
    server.shutdown()


@pytest.fixture
def secret_store(fresh_postgres: str) -> str:
    """A database of its own, its URL with a password (the test server trusts, ignores it)."""
    return fresh_postgres.replace("postgresql://postgres@", f"postgresql://postgres:{SECRET}@")


def test_no_credential_reaches_summary_webhook_or_store(
    tmp_path: Path, secret_store: str, webhook: tuple[str, list[bytes]]
) -> None:
    import psycopg

    url, received = webhook
    out = tmp_path / "out"
    monitor = Monitoring(store=secret_store, webhook=url)
    for seed in range(1, 6):
        rowsift.run_file(orders_recipe_path(), _batch(tmp_path, seed), out, monitor=monitor)
    small = tmp_path / "small.csv"
    small.write_text("\n".join(generate_orders(2_000, 9).splitlines()[:1_101]) + "\n")
    # the recipe's own webhook is a credential too: the store keeps the recipe without it
    hooked = rowsift.load_recipe(orders_recipe_path()).model_copy(
        update={"monitor": MonitorSpec(webhook=f"http://127.0.0.1:9/T0/{SECRET}")}
    )
    rowsift.run_file(hooked, _batch(tmp_path, 7), out, monitor=Monitoring(store=secret_store))
    summary = rowsift.run_file(orders_recipe_path(), small, out, monitor=monitor)
    assert summary.alerts, "the small batch raises a volume alert, so the webhook is posted"
    assert len(received) == 1
    posted = received[0].decode()
    assert SECRET not in posted
    assert json.loads(posted)["store"].startswith("postgresql://postgres:***@")
    assert [i["subject"] for i in json.loads(posted)["opened"]] == ["rows_in"]
    assert SECRET not in (out / "summary.json").read_text()
    assert _written(out)["monitor"]["webhook"]["url"].endswith("/…")
    with psycopg.connect(secret_store) as connection:
        dumped = [
            str(row)
            for table in (
                "rowsift_runs",
                "rowsift_rule_failures",
                "rowsift_column_metrics",
                "rowsift_incidents",
                "rowsift_baseline_marks",
                "rowsift_schema",
                "rowsift_recipes",
            )
            for row in connection.execute(f"SELECT * FROM {table}").fetchall()
        ]
    assert dumped
    assert not [row for row in dumped if SECRET in row]


def test_a_recipe_webhook_that_is_not_http_is_a_recipe_error_at_load() -> None:
    from rowsift.exceptions import RecipeError

    for url in ("file:///etc/passwd", "ftp://example.com/x", "hooks.example.com/x"):
        with pytest.raises(RecipeError) as caught:
            rowsift.load_recipe_text(
                f"version: 1\ncolumns:\n  a: {{}}\nmonitor:\n  webhook: {url}\n"
            )
        assert "monitor.webhook: a webhook must be an http or https URL" in caught.value.render()
    loaded = rowsift.load_recipe_text(
        "version: 1\ncolumns:\n  a: {}\nmonitor:\n  webhook: https://hooks.example.com/x\n"
    )
    assert loaded.monitor is not None
    assert loaded.monitor.webhook == "https://hooks.example.com/x"


def test_the_webhook_format_comes_from_the_project_file(tmp_path: Path) -> None:
    from rowsift.monitor.config import resolve_monitoring
    from rowsift.recipe import load_recipe

    recipe = load_recipe(orders_recipe_path())
    (tmp_path / "rowsift.toml").write_text(
        '[store]\nurl = "m.duckdb"\n[monitor]\nwebhook = "https://hooks.example.com/x"\n'
        'webhook_format = "slack"\n'
    )
    target = resolve_monitoring(None, recipe=recipe, start=tmp_path)
    assert target is not None
    assert target.webhook_format == "slack"
    (tmp_path / "rowsift.toml").write_text(
        '[store]\nurl = "m.duckdb"\n[monitor]\nwebhook_format = "xml"\n'
    )
    with pytest.raises(UsageError, match="webhook_format must be json or slack"):
        resolve_monitoring(None, recipe=recipe, start=tmp_path)
