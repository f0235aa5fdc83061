"""`rowsift run --store`, `history`, `alerts`, `drift`: a series of batches, one of them changed."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import polars as pl
import pytest

from rowsift.demo import orders_recipe_path
from rowsift.demo.generate import generate_orders

ROWS = 2_000
UNCHANGED = 6


def _batch(folder: Path, seed: int) -> Path:
    path = folder / f"batch-{seed}.csv"
    path.write_text(generate_orders(ROWS, seed))
    return path


def _shifted(folder: Path, source: Path) -> Path:
    """The same batch with every amount 40% higher: a shifted mean, nothing else."""
    table = pl.read_csv(source, infer_schema=False)
    amount = pl.col("amount").cast(pl.Float64, strict=False)
    shifted = table.with_columns(
        pl.when(amount.is_not_null())
        .then((amount * 1.4).round(2).cast(pl.String))
        .otherwise(pl.col("amount"))
        .alias("amount")
    )
    path = folder / "shifted.csv"
    shifted.write_csv(path)
    return path


@pytest.fixture
def series(cli: Callable[..., Any], tmp_path: Path) -> dict[str, Any]:
    """A store holding UNCHANGED runs of the same distribution, and the exit code of each."""
    store = tmp_path / "metrics.duckdb"
    codes = []
    for seed in range(1, UNCHANGED + 1):
        outcome = cli(
            "run",
            str(orders_recipe_path()),
            str(_batch(tmp_path, seed)),
            "--out",
            str(tmp_path / "out"),
            "--store",
            str(store),
            "--batch",
            f"2026-11-{seed:02d}",
            "-q",
        )
        codes.append(outcome.code)
    return {"store": store, "codes": codes, "folder": tmp_path}


def _summary(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "out" / "summary.json").read_text())


def test_unchanged_batches_raise_nothing_and_are_recorded(
    cli: Callable[..., Any], series: dict[str, Any]
) -> None:
    assert series["codes"] == [0] * UNCHANGED
    summary = _summary(series["folder"])
    assert summary["alerts"] == []
    assert summary["monitor"]["dataset"] == "orders"
    assert summary["monitor"]["batch"] == f"2026-11-{UNCHANGED:02d}"
    assert len(summary["monitor"]["baseline_runs"]) == UNCHANGED - 1
    listed = json.loads(cli("history", "--store", str(series["store"]), "--json").stdout)
    assert [run["batch"] for run in listed["runs"]] == [
        f"2026-11-{seed:02d}" for seed in range(UNCHANGED, 0, -1)
    ]
    assert all(run["rows_in"] == ROWS for run in listed["runs"])
    assert listed["runs"][0]["run_id"] == summary["monitor"]["run_id"]
    table = cli("history", "--store", str(series["store"]))
    assert table.code == 0
    assert "2026-11-06" in table.stdout
    assert cli("alerts", "--store", str(series["store"])).stdout.strip() == "no incidents"


def test_a_shifted_batch_exits_4_and_names_the_column(
    cli: Callable[..., Any], series: dict[str, Any]
) -> None:
    folder = series["folder"]
    shifted = _shifted(folder, _batch(folder, 99))
    outcome = cli(
        "run",
        str(orders_recipe_path()),
        str(shifted),
        "--out",
        str(folder / "out"),
        "--store",
        str(series["store"]),
    )
    assert outcome.code == 4, outcome.stdout + outcome.stderr
    assert "ALERT drift  amount drifted" in outcome.stdout
    alerts = _summary(folder)["alerts"]
    assert [(alert["kind"], alert["subject"]) for alert in alerts] == [("drift", "amount")]
    listed = json.loads(cli("alerts", "--store", str(series["store"]), "--json").stdout)
    assert [(i["kind"], i["subject"], i["status"]) for i in listed["incidents"]] == [
        ("drift", "amount", "open")
    ]


def test_drift_command_compares_a_run_or_a_file_with_a_baseline_run(
    cli: Callable[..., Any], series: dict[str, Any]
) -> None:
    store = str(series["store"])
    runs = json.loads(cli("history", "--store", store, "--json").stdout)["runs"]
    first, newest = runs[-1]["run_id"], runs[0]["run_id"]
    # a run is named by a prefix of its id too: the shortest no other run's id starts with (two
    # runs of one second can share the first characters of their random suffix)
    others = [run["run_id"] for run in runs[:-1]]
    prefix = next(
        first[:size]
        for size in range(20, len(first) + 1)
        if not any(other.startswith(first[:size]) for other in others)
    )
    same = cli("drift", "--store", store, "--baseline", prefix, "--current", newest, "--json")
    assert same.code == 0, same.stdout
    report = json.loads(same.stdout)
    assert report["drifted"] is False
    checks = {(f["column"], f["check"]) for f in report["findings"]}
    assert {("amount", "psi"), ("amount", "ks"), ("status", "chi2")} <= checks
    folder = series["folder"]
    shifted = _shifted(folder, _batch(folder, 77))
    page = folder / "drift.html"
    changed = cli(
        "drift", "--store", store, "--baseline", first, "--current", str(shifted),
        "--html", str(page),
    )  # fmt: skip
    assert changed.code == 4
    assert "amount drifted" in changed.stdout
    # no recipe given: the file is cleaned with the baseline run's recipe, as the store keeps
    # it, and the output says so (the HTML report too)
    assert (report["as_read"], report["stored_recipe"]) == (False, False)
    said = " ".join(changed.stdout.split())
    assert f"note: {shifted} was cleaned with the recipe 'orders' of run {first}" in said
    assert 'id="note">Note: ' in page.read_text()
    # so the very file of the baseline run does not drift from it
    own = cli("drift", "--store", store, "--baseline", first, "--current",
              str(_batch(folder, 1)), "--json")  # fmt: skip
    assert own.code == 0, own.stdout
    assert (json.loads(own.stdout)["stored_recipe"], json.loads(own.stdout)["alerts"]) == (True, [])
    cleaned = cli(
        "drift", "--store", store, "--baseline", first, "--current", str(shifted),
        "--recipe", str(orders_recipe_path()), "--json",
    )  # fmt: skip
    assert cleaned.code == 4
    assert (json.loads(cleaned.stdout)["as_read"], json.loads(cleaned.stdout)["stored_recipe"]) == (
        False,
        False,
    )
    # a store that keeps no recipe (one written before store version 3): the file is measured
    # as read, and the output says how to clean it first
    import duckdb

    with duckdb.connect(store) as connection:
        connection.execute("DELETE FROM rowsift_recipes")
    as_read = cli("drift", "--store", store, "--baseline", first, "--current", str(shifted))
    assert as_read.code == 4
    said = " ".join(as_read.stdout.split())
    assert f"note: {shifted} was measured as read" in said
    assert "the store keeps no readable copy of it" in said
    assert "--recipe" in as_read.stdout


def test_drift_without_a_baseline_compares_with_the_run_recorded_before(
    cli: Callable[..., Any], series: dict[str, Any]
) -> None:
    store = str(series["store"])
    ids = [
        run["run_id"]
        for run in json.loads(cli("history", "--store", store, "--json").stdout)["runs"]
    ]
    newest = json.loads(cli("drift", "--store", store, "--json").stdout)
    assert (newest["current"], newest["baseline"]) == (ids[0], ids[1])
    named = json.loads(cli("drift", "--store", store, "--current", ids[2], "--json").stdout)
    assert (named["current"], named["baseline"]) == (ids[2], ids[3])
    batch = _batch(series["folder"], 41)
    on_file = json.loads(cli("drift", "--store", store, "--current", str(batch), "--json").stdout)
    assert (on_file["current"], on_file["baseline"]) == (str(batch), ids[0])
    first = cli("drift", "--store", store, "--current", ids[-1])
    assert first.code == 2
    assert f"the run {ids[-1]} is the first of dataset 'orders'" in first.stderr
    assert "--baseline" in first.stderr
    # a path that is not there is a missing file, not an unknown run
    missing = cli("drift", "--store", store, "--current", str(series["folder"] / "nope.csv"))
    assert missing.code == 3
    assert "nope.csv: file not found, nor is it the name of a recorded run" in missing.stderr
    unknown = cli("drift", "--store", store, "--current", "2026-12-31")
    assert unknown.code == 2
    assert "no run '2026-12-31'" in unknown.stderr


def test_a_file_whose_rows_the_recipe_quarantines_is_an_anomaly_not_a_quiet_batch(
    cli: Callable[..., Any], series: dict[str, Any]
) -> None:
    """Cleaned by the baseline run's recipe, a batch whose every status is new has no clean
    row left for the drift tests to compare: the quarantine rate says it."""
    store = str(series["store"])
    table = pl.read_csv(_batch(series["folder"], 56), infer_schema=False)
    renamed = series["folder"] / "renamed.csv"
    table.with_columns(pl.lit("zzz").alias("status")).write_csv(renamed)
    outcome = cli("drift", "--store", store, "--current", str(renamed), "--json")
    assert outcome.code == 4, outcome.stdout
    [alert] = json.loads(outcome.stdout)["alerts"]
    assert (alert["kind"], alert["subject"]) == ("anomaly", "quarantine_rate")
    assert alert["details"]["quarantined"] == alert["details"]["rows"] == ROWS
    assert "rows fail the recipe" in alert["message"]


def test_a_retyped_column_in_a_file_is_a_schema_alert(
    cli: Callable[..., Any], series: dict[str, Any]
) -> None:
    store = str(series["store"])
    first = json.loads(cli("history", "--store", store, "--json").stdout)["runs"][-1]["run_id"]
    table = pl.read_csv(_batch(series["folder"], 55), infer_schema=False)
    retyped = series["folder"] / "retyped.csv"
    table.with_columns((pl.lit("qty ") + pl.col("quantity")).alias("quantity")).write_csv(retyped)
    outcome = cli(
        "drift", "--store", store, "--baseline", first, "--current", str(retyped), "--json"
    )
    assert outcome.code == 4
    alerts = json.loads(outcome.stdout)["alerts"]
    assert ("schema", "quantity") in {(alert["kind"], alert["subject"]) for alert in alerts}


class _Hook(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        type(self).received.append(json.loads(self.rfile.read(length)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        """Quiet."""


@pytest.fixture
def webhook() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    _Hook.received = []
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", _Hook.received
    server.shutdown()


def test_alerts_are_posted_to_the_webhook(
    cli: Callable[..., Any],
    series: dict[str, Any],
    webhook: tuple[str, list[dict[str, Any]]],
) -> None:
    url, received = webhook
    folder = series["folder"]
    small = folder / "small.csv"
    # 1,100 of the usual 2,000 rows: enough for the recipe's row_count rule, too few for history
    small.write_text("\n".join(generate_orders(ROWS, 31).splitlines()[:1_101]) + "\n")
    outcome = cli(
        "run",
        str(orders_recipe_path()),
        str(small),
        "--out",
        str(folder / "out"),
        "--store",
        str(series["store"]),
        "--webhook",
        url,
        "-q",
    )
    assert outcome.code == 4
    assert len(received) == 1
    posted = received[0]
    assert posted["dataset"] == "orders"
    assert posted["run_id"] == _summary(folder)["monitor"]["run_id"]
    assert [alert["kind"] for alert in posted["alerts"]] == ["volume"]
    assert [(i["kind"], i["subject"]) for i in posted["opened"]] == [("volume", "rows_in")]
    assert posted["resolved"] == []
    assert posted["alerts"][0]["message"].startswith("rows in 1,100 vs usual 2,000")
    assert _summary(folder)["monitor"]["webhook"]["delivered"] is True


def test_an_unreachable_webhook_warns_and_keeps_the_run(
    cli: Callable[..., Any], series: dict[str, Any]
) -> None:
    folder = series["folder"]
    shifted = _shifted(folder, _batch(folder, 98))
    outcome = cli(
        "run",
        str(orders_recipe_path()),
        str(shifted),
        "--out",
        str(folder / "out"),
        "--store",
        str(series["store"]),
        "--webhook",
        "http://127.0.0.1:1/nothing",
        "-q",
    )
    assert outcome.code == 4
    assert "the alerts were not delivered to http://127.0.0.1:1/…" in outcome.stderr
    assert _summary(folder)["monitor"]["webhook"]["delivered"] is False


def test_a_store_that_cannot_record_exits_3_with_every_output_written(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    store = tmp_path / "no-such-folder" / "store.duckdb"
    outcome = cli(
        "run",
        str(orders_recipe_path()),
        str(_batch(tmp_path, 5)),
        "--out",
        str(out),
        "--store",
        str(store),
    )
    assert outcome.code == 3, outcome.stdout + outcome.stderr
    assert "the outputs and summary.json are written, but the run was not recorded" in (
        outcome.stderr
    )
    assert "Traceback" not in outcome.stderr
    assert {p.name for p in out.iterdir()} == {
        "clean.parquet",
        "details.json",
        "quarantine.parquet",
        "summary.json",
    }
    written = json.loads((out / "summary.json").read_text())
    assert written["rows_in"] == ROWS
    assert written["monitor"]["recorded"] is False
    assert "does not exist" in written["monitor"]["error"]


def test_a_webhook_that_is_not_http_is_refused_before_the_run(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    outcome = cli(
        "run",
        str(orders_recipe_path()),
        str(_batch(tmp_path, 6)),
        "--out",
        str(out),
        "--store",
        str(tmp_path / "s.duckdb"),
        "--webhook",
        "file:///etc/passwd",
    )
    assert outcome.code == 2
    assert "the webhook must be an http or https URL, got 'file'" in outcome.stderr
    assert not out.exists()


def test_the_store_comes_from_rowsift_toml(
    cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    (project / "metrics").mkdir(parents=True)
    (project / "rowsift.toml").write_text('[store]\nurl = "metrics/store.duckdb"\n')
    work = project / "sub"
    work.mkdir()
    monkeypatch.chdir(work)
    batch = _batch(tmp_path, 3)
    assert cli("run", str(orders_recipe_path()), str(batch), "-q").code == 0
    assert (project / "metrics" / "store.duckdb").is_file()
    listed = json.loads(cli("history", "--json").stdout)
    assert len(listed["runs"]) == 1


def test_bad_store_and_config_are_usage_errors(
    cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch = _batch(tmp_path, 4)
    out = tmp_path / "out"
    wrong = cli(
        "run", str(orders_recipe_path()), str(batch), "--store", "mysql://x/y", "-o", str(out)
    )
    assert wrong.code == 2
    assert not out.exists()
    assert "unknown store URL scheme 'mysql'" in wrong.stderr
    assert "Traceback" not in wrong.stderr
    monkeypatch.chdir(tmp_path)
    missing = cli("history")
    assert missing.code == 2
    assert "no metric store given" in missing.stderr
    (tmp_path / "rowsift.toml").write_text('[store]\npath = "x.duckdb"\n')
    typo = cli("history")
    assert typo.code == 2
    assert "unknown key 'path' in [store]" in typo.stderr
    (tmp_path / "rowsift.toml").unlink()
    # a command that reads a store never creates one: a mistyped path is no empty store
    absent = tmp_path / "s.duckdb"
    for command in (
        ["history"],
        ["alerts"],
        ["baseline", "show"],
        ["baseline", "accept", "--reason", "r"],
        ["drift", "--baseline", "nope"],
    ):
        nowhere = cli(*command, "--store", str(absent))
        assert nowhere.code == 3, command
        assert f"there is no store at {absent}" in nowhere.stderr
    assert list(tmp_path.glob("s.duckdb*")) == []
    recorded = cli(
        "run", str(orders_recipe_path()), str(batch), "--store", str(absent), "-o", str(out)
    )
    assert recorded.code == 0, recorded.stderr
    unknown = cli("drift", "--store", str(absent), "--baseline", "nope")
    assert unknown.code == 2
    assert "no run 'nope'" in unknown.stderr


def test_names_from_the_data_are_shown_as_text_not_markup(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    store = str(tmp_path / "s.duckdb")
    batch = _batch(tmp_path, 8)
    name = "[b]orders[/b][/]"
    ran = cli(
        "run",
        str(orders_recipe_path()),
        str(batch),
        "-o",
        str(tmp_path / "out"),
        "--store",
        store,
        "--dataset",
        name,
        "-q",
    )
    assert ran.code == 0, ran.stderr
    listed = cli("history", "--store", store)
    assert listed.code == 0, listed.stderr
    assert name in listed.stdout


def test_no_password_is_printed_by_run_or_history(cli: Callable[..., Any], tmp_path: Path) -> None:
    secret = "s3cret-pw"
    url = f"postgresql://ana:{secret}@127.0.0.1:1/metrics?connect_timeout=2"
    out = tmp_path / "out"
    ran = cli(
        "run", str(orders_recipe_path()), str(_batch(tmp_path, 9)), "-o", str(out), "--store", url
    )
    assert ran.code == 3
    assert "postgresql://ana:***@127.0.0.1:1/metrics" in ran.stderr
    listed = cli("history", "--store", url)
    assert listed.code == 3
    assert "postgresql://ana:***@127.0.0.1:1/metrics" in listed.stderr
    for outcome in (ran, listed):
        assert secret not in outcome.stdout + outcome.stderr
    assert secret not in (out / "summary.json").read_text()


def test_history_fits_80_columns_and_its_ids_name_runs(
    cli: Callable[..., Any], series: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rowsift._cli.console import out

    store = str(series["store"])
    monkeypatch.setattr(out, "_width", 80)  # restored as it was (None: read from COLUMNS)
    table = cli("history", "--store", store)
    assert table.code == 0
    title, *lines = table.stdout.splitlines()
    assert title == f"Runs in {store}"  # a path is printed whole, to be copied
    assert max(len(line) for line in lines) <= 80
    runs = json.loads(cli("history", "--store", store, "--json").stdout)["runs"]
    short = runs[-1]["run_id"].rsplit("-", 1)[1]
    row = next(line for line in lines if line.startswith(short))
    assert "2026-11-01" in row
    by_short = cli("drift", "--store", store, "--baseline", short, "--json")
    by_batch = cli("drift", "--store", store, "--baseline", "2026-11-01", "--current", "latest")
    assert by_short.code == 0
    assert by_batch.code == 0
    assert json.loads(by_short.stdout)["baseline"] == runs[-1]["run_id"]
    assert json.loads(by_short.stdout)["current"] == runs[0]["run_id"]
    previous = cli("drift", "--store", store, "--baseline", "previous", "--json")
    assert json.loads(previous.stdout)["baseline"] == runs[1]["run_id"]


def test_an_accepted_change_is_quiet_from_then_on(
    cli: Callable[..., Any], series: dict[str, Any]
) -> None:
    folder, store = series["folder"], str(series["store"])

    def run(path: Path, batch: str) -> int:
        return int(
            cli(
                "run",
                str(orders_recipe_path()),
                str(path),
                "--out",
                str(folder / "out"),
                "--store",
                store,
                "--batch",
                batch,
                "-q",
            ).code
        )

    assert run(_shifted(folder, _batch(folder, 40)), "step") == 4
    assert run(_shifted(folder, _batch(folder, 41)), "after-1") == 4
    incidents = json.loads(cli("alerts", "--store", store, "--open", "--json").stdout)
    [incident] = incidents["incidents"]
    assert (incident["subject"], incident["count"], incident["first_batch"]) == (
        "amount",
        2,
        "step",
    )
    missing = cli("baseline", "accept", "--batch", "step", "--store", store)
    assert missing.code == 2
    assert "say why" in missing.stderr
    accepted = cli(
        "baseline",
        "accept",
        "--batch",
        "step",
        "--store",
        store,
        "--reason",
        "prices rose 40%",
        "--by",
        "ana",
    )
    assert accepted.code == 0, accepted.stderr
    assert "accepted run" in accepted.stdout
    assert "resolved 1 incident(s)" in accepted.stdout
    assert [run(_shifted(folder, _batch(folder, seed)), f"new-{seed}") for seed in (42, 43)] == [
        0,
        0,
    ]
    assert cli("alerts", "--store", store, "--open").stdout.strip() == "no open incidents"
    listed = cli("alerts", "--store", store)
    assert "accepted" in listed.stdout
    assert "step … after-1" in listed.stdout
    shown = json.loads(cli("baseline", "show", "--store", store, "--json").stdout)
    assert [(m["action"], m["marked_by"], m["reason"]) for m in shown["marks"]] == [
        ("accept", "ana", "prices rose 40%")
    ]
    summary = _summary(folder)["monitor"]
    assert summary["baseline"].startswith("the 3 previous clean run(s) since accepted run")
    pinned = cli("baseline", "pin", "previous", "--store", store)
    assert pinned.code == 0
    assert "pinned run" in pinned.stdout
    assert json.loads(cli("baseline", "show", "--store", store, "--json").stdout)["pinned"]
    assert cli("baseline", "unpin", "--store", store).code == 0
