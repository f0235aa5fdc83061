"""Hostile values and names through every output: terminal, JSON, CSV, Parquet, the metric
store, the webhook and the HTML report. Nothing is interpreted, nothing is lost, every output
says exactly what the data said (CSV neutralises formulas, as documented).

`assert_html_escapes(html, PAYLOADS)` is the check for any HTML page rowsift writes.
"""

from __future__ import annotations

import html
import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import duckdb
import polars as pl
import pytest
from hostile_checks import Outcome, assert_clean_exit, assert_conserved
from payloads import NAMES, PAYLOADS

from rowsift.io.formulas import neutral_text


def _table(folder: Path) -> tuple[Path, Path]:
    rows = len(PAYLOADS)
    frame = pl.DataFrame(
        {
            "id": [str(i) for i in range(rows)],
            "payload": PAYLOADS,
            **{name: PAYLOADS[i:] + PAYLOADS[:i] for i, name in enumerate(NAMES)},
        }
    )
    data = folder / "payloads.csv"
    frame.write_csv(data)
    kept = json.dumps(PAYLOADS[::2], ensure_ascii=False)
    columns = "".join(f"  {json.dumps(name)}: {{rules: [not_null]}}\n" for name in NAMES)
    recipe = folder / "r.yaml"
    recipe.write_text(
        "version: 1\nname: payloads\ncolumns:\n  id: {type: int}\n"
        f"  payload: {{rules: [{{in_set: {kept}}}]}}\n{columns}",
        encoding="utf-8",
    )
    return recipe, data


@pytest.fixture
def payload_files(tmp_path: Path) -> tuple[Path, Path]:
    return _table(tmp_path)


def _by_id(frame: pl.DataFrame) -> dict[int, str]:
    return {int(i): v for i, v in zip(frame["id"], frame["payload"], strict=True)}


def test_parquet_and_csv_keep_every_payload_exactly(
    cli: Callable[..., Outcome], payload_files: tuple[Path, Path], tmp_path: Path
) -> None:
    recipe, data = payload_files
    for fmt, expected in (("parquet", lambda v: v), ("csv", neutral_text)):
        out = tmp_path / fmt
        outcome = cli("run", recipe, data, "--out", out, "--output-format", fmt, "-q")
        assert_clean_exit(outcome, allowed=(0,))
        written = assert_conserved(out, len(PAYLOADS), fmt=fmt)
        clean, quarantine = _by_id(written.clean), _by_id(written.quarantine)
        assert set(clean) == set(range(0, len(PAYLOADS), 2))
        for index, value in enumerate(PAYLOADS):
            assert {**clean, **quarantine}[index] == expected(value), (fmt, value)
        names = {expected(name) for name in NAMES}
        assert names <= set(written.clean.columns), (fmt, written.clean.columns)


def test_json_outputs_are_valid_and_exact(
    cli: Callable[..., Outcome], payload_files: tuple[Path, Path], tmp_path: Path
) -> None:
    recipe, data = payload_files
    outcome = cli("run", recipe, data, "--out", tmp_path / "out", "--json")
    assert_clean_exit(outcome, allowed=(0,))
    printed = json.loads(outcome.stdout)
    stored = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert printed["failures"] == stored["failures"] == {"payload.in_set": len(PAYLOADS) // 2}
    rule_ids = {rule["id"] for rule in stored["rules"]}
    scoped = {"row", "dataset"}  # a column named like a scope is written columns.<name>
    expected = {f"columns.{n}.not_null" if n in scoped else f"{n}.not_null" for n in NAMES}
    assert expected <= rule_ids, rule_ids
    for text in (outcome.stdout, (tmp_path / "out" / "summary.json").read_text()):
        assert "\x1b" not in text
        assert "\u202e" not in text


def test_the_terminal_shows_names_as_text(
    cli: Callable[..., Outcome], payload_files: tuple[Path, Path], tmp_path: Path
) -> None:
    recipe, data = payload_files
    for args in (
        ["run", recipe, data, "--out", tmp_path / "out"],
        ["explain", recipe],
        ["check", recipe],
        ["sniff", data],
        ["profile", data],
    ):
        outcome = cli(*args)
        assert_clean_exit(outcome, allowed=(0,))
        assert "\x1b" not in outcome.text
        assert "\u202e" not in outcome.text
    explained = cli("explain", recipe).stdout
    assert "[/].not_null" in explained
    assert "=cmd|x.not_null" in explained


class _Hook(BaseHTTPRequestHandler):
    bodies: ClassVar[list[bytes]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        type(self).bodies.append(self.rfile.read(length))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def webhook() -> Iterator[tuple[str, list[bytes]]]:
    _Hook.bodies = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/hook", _Hook.bodies
    finally:
        server.shutdown()
        server.server_close()


def test_store_and_webhook_carry_payloads_as_data(
    cli: Callable[..., Outcome],
    payload_files: tuple[Path, Path],
    tmp_path: Path,
    webhook: tuple[str, list[bytes]],
) -> None:
    url, bodies = webhook
    recipe = tmp_path / "monitored.yaml"
    names = "".join(f"  {json.dumps(name)}: {{}}\n" for name in NAMES)
    recipe.write_text(f"version: 1\nname: payloads\ncolumns:\n  id: {{}}\n  payload: {{}}\n{names}")
    store = tmp_path / "metrics.duckdb"
    rows = 240

    def batch_file(name: str, values: list[str]) -> Path:
        frame = pl.DataFrame(
            {
                "id": [str(i) for i in range(rows)],
                "payload": [values[i % len(values)] for i in range(rows)],
            }
        ).with_columns(pl.lit("v").alias(name) for name in NAMES)
        frame.write_csv(tmp_path / name)
        return tmp_path / name

    baseline = batch_file("plain.csv", ["x", "y"])
    data = batch_file("hostile.csv", PAYLOADS[:12])
    for batch in ("b1", "b2"):
        outcome = cli(
            "run",
            recipe,
            baseline,
            "--out",
            tmp_path / batch,
            "--store",
            store,
            "--batch",
            batch,
            "-q",
        )
        assert_clean_exit(outcome, allowed=(0, 1))
    outcome = cli(
        "run",
        recipe,
        data,
        "--out",
        tmp_path / "b3",
        "--store",
        store,
        "--batch",
        "b3",
        "--webhook",
        url,
    )
    assert_clean_exit(outcome, allowed=(0, 1, 4))
    assert outcome.code == 4, outcome.text
    assert "\x1b" not in outcome.text
    assert bodies, "the alerts were posted"
    posted = json.loads(bodies[-1])
    assert posted["alerts"]
    assert b"\x1b" not in bodies[-1]
    with duckdb.connect(str(store), read_only=True) as connection:
        tables = {row[0] for row in connection.execute("SHOW TABLES").fetchall()}
        assert tables  # the store survived every payload: no statement was cut short
        runs = connection.execute("SELECT count(*) FROM rowsift_runs").fetchone()
        assert runs == (3,)
    for command in (["history"], ["alerts"]):
        shown = cli(*command, "--store", store)
        assert_clean_exit(shown, allowed=(0,))
        assert "\x1b" not in shown.text
        assert "\u202e" not in shown.text


def assert_html_escapes(document: str, payloads: list[str]) -> None:
    """An HTML output shows payloads as text: none of them appears as live markup, and the
    ones it shows are escaped (at least one is shown)."""
    for payload in payloads:
        if "<" in payload and "alert" in payload:  # "<b>" alone is the page's own markup too
            assert payload not in document, f"live markup in the page: {payload!r}"
    assert "\x1b" not in document
    shown = [p for p in payloads if p.strip() and html.escape(p) in document]
    assert shown, "no payload is shown at all"


def test_the_html_check_itself_tells_escaped_from_live_markup() -> None:
    safe = "<p>" + "".join(html.escape(p) for p in PAYLOADS[:8]) + "</p>"
    assert_html_escapes(safe, PAYLOADS[:8])
    with pytest.raises(AssertionError):
        assert_html_escapes("<p><script>alert(1)</script></p>", PAYLOADS[:8])


def test_the_html_report_shows_payloads_as_text(
    cli: Callable[..., Outcome], payload_files: tuple[Path, Path], tmp_path: Path
) -> None:
    recipe, data = payload_files
    out = tmp_path / "out"
    assert_clean_exit(cli("run", recipe, data, "--out", out, "-q"), allowed=(0,))
    assert_clean_exit(cli("report", out, "--json"), allowed=(0,))
    page = (out / "report.html").read_text(encoding="utf-8")
    assert_html_escapes(page, PAYLOADS + NAMES)
