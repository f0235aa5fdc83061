"""Faults: killed and interrupted runs, conversions and store writes; a disk that fills up or a
file size limit half-way; two runs into one folder. Real subprocesses, real signals, a real
full file system where the machine lets us mount one.

Nothing is ever torn: every visible output is complete, summary.json (when present) agrees
with the outputs, the store still opens, and the next run is clean.
"""

from __future__ import annotations

import json
import os
import random
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from hostile_checks import Outcome, assert_clean_exit, read_output

from rowsift._atomic import remove
from rowsift.demo import orders_recipe_path
from rowsift.demo.generate import generate_orders

pytestmark = pytest.mark.slow  # processes killed at random points: seconds each

ROWSIFT = [sys.executable, "-m", "rowsift._cli"]
OUTPUTS = ["clean.csv", "details.json", "quarantine.csv", "summary.json"]
ROWS = 15_000
ATTEMPTS = 3
"""Kills per scenario, each at a random moment (seeded)."""


@pytest.fixture(scope="module")
def orders(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("orders") / "orders.csv"
    path.write_text(generate_orders(rows=ROWS, seed=18))
    return path


def _rowsift(*args: str | Path, **options: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ROWSIFT, *map(str, args)], capture_output=True, text=True, check=False, **options
    )  # type: ignore[call-overload]


def _outcome(done: subprocess.CompletedProcess[str]) -> Outcome:
    return Outcome(done.returncode, done.stdout, done.stderr)


def _visible(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def _untorn(out: Path) -> None:
    """Every visible output parses; a summary.json agrees with the outputs beside it."""
    frames = {name: read_output(out / name) for name in _visible(out) if name.endswith(".csv")}
    if (out / "summary.json").exists():
        summary = json.loads((out / "summary.json").read_text())
        assert frames["clean.csv"].height == summary["rows_clean"]
        assert frames["quarantine.csv"].height == summary["rows_quarantined"]


def _timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


_START_UP: list[float] = []


def _start_up() -> float:
    """How long the command takes to import itself: a Ctrl-C before that is Python's own."""
    if not _START_UP:
        _START_UP.append(_timed([*ROWSIFT, "--version"]))
    return _START_UP[0]


def _interrupt_at_random(command: list[str], sig: int, duration: float, rng: random.Random) -> int:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    earliest = _start_up() if sig == signal.SIGINT else 0.0
    time.sleep(earliest + max(duration - earliest, 0.1) * rng.uniform(0.05, 1.1))
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=120)
    if sig == signal.SIGINT and process.returncode not in (0, 1):
        # a shell sees both as status 130; Python ends itself with SIGINT when the interrupt
        # reaches it as it exits, after the work (and the message) is done
        assert process.returncode in (130, -signal.SIGINT), stderr
        assert b"Traceback" not in stderr
        if process.returncode == 130:
            assert b"interrupted" in stderr
    return process.returncode


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "sigint"])
def test_run_killed_or_interrupted_at_random_points_is_never_torn(
    orders: Path, tmp_path: Path, sig: int
) -> None:
    out = tmp_path / "out"
    command = [
        *ROWSIFT,
        "run",
        str(orders_recipe_path()),
        str(orders),
        "--out",
        str(out),
        "--output-format",
        "csv",
        "-q",
    ]
    duration = _timed(command)
    rng = random.Random(sig)
    for _ in range(ATTEMPTS):
        _interrupt_at_random(command, sig, duration, rng)
        _untorn(out)
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert_clean_exit(_outcome(done), allowed=(0, 1))
    assert sorted(os.listdir(out)) == OUTPUTS  # leftovers of the killed runs are gone
    _untorn(out)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "sigint"])
def test_convert_killed_at_random_points_leaves_the_old_file_or_the_new(
    orders: Path, tmp_path: Path, sig: int
) -> None:
    target = tmp_path / "tidy.csv"
    command = [*ROWSIFT, "convert", str(orders), str(target), "-q"]
    duration = _timed(command) * 1.2
    expected = read_output(target).height  # the records that split; the rest go aside
    target.write_text("old\n1\n")
    rng = random.Random(100 + sig)
    for _ in range(ATTEMPTS):
        _interrupt_at_random(command, sig, duration, rng)
        written = read_output(target)
        assert written.columns == ["old"] or written.height == expected
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert_clean_exit(_outcome(done), allowed=(0,))
    assert read_output(target).height == expected


def test_store_writes_killed_at_random_points_leave_a_store_that_opens(
    orders: Path, tmp_path: Path
) -> None:
    store = tmp_path / "metrics.duckdb"
    rng = random.Random(7)

    def command(batch: str) -> list[str]:
        return [
            *ROWSIFT,
            "run",
            str(orders_recipe_path()),
            str(orders),
            "--out",
            str(tmp_path / batch),
            "--store",
            str(store),
            "--batch",
            batch,
            "-q",
        ]

    duration = _timed(command("b0"))
    for attempt in range(1, ATTEMPTS + 1):
        _interrupt_at_random(command(f"b{attempt}"), signal.SIGKILL, duration, rng)
    done = subprocess.run(command("last"), capture_output=True, text=True, check=False)
    assert_clean_exit(_outcome(done), allowed=(0, 1, 4))
    history = _rowsift("history", "--store", store, "--json", "-n", "50")
    assert_clean_exit(_outcome(history), allowed=(0,))
    runs = json.loads(history.stdout)
    batches = [run["batch"] for run in (runs["runs"] if isinstance(runs, dict) else runs)]
    assert batches.count("b0") == 1
    assert batches.count("last") == 1
    assert len(batches) == len(set(batches)), "no run was recorded twice"


# -- a write that fails half-way ---------------------------------------------------------------


def _can_mount() -> bool:
    if os.geteuid() != 0:
        return False
    probe = Path("/tmp") / f"rowsift-mount-probe-{os.getpid()}"
    probe.mkdir(exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode == 0:
        subprocess.run(["umount", str(probe)], check=False)
    probe.rmdir()
    return mounted.returncode == 0


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 512 kB file system (tmpfs), so a write fills it half-way."""
    folder = tmp_path / "disk"
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _file_size_limit() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))


FULL_DISK_WAYS = ["file-size-limit", *(["full-file-system"] if _can_mount() else [])]


@pytest.mark.parametrize("way", FULL_DISK_WAYS)
def test_a_write_that_fails_half_way_is_a_clear_error_and_leaves_nothing(
    orders: Path, tmp_path: Path, way: str, request: pytest.FixtureRequest
) -> None:
    folder = request.getfixturevalue("small_disk") if way == "full-file-system" else tmp_path
    limit = _file_size_limit if way == "file-size-limit" else None
    out = folder / "out"
    out.mkdir()
    (out / "clean.csv").write_text("old\n")
    run = _rowsift(
        "run",
        orders_recipe_path(),
        orders,
        "--out",
        out,
        "--output-format",
        "csv",
        preexec_fn=limit,
    )
    assert_clean_exit(_outcome(run), allowed=(3,))
    assert "cannot write" in run.stderr or "No space" in run.stderr or "too large" in run.stderr
    assert _visible(out) == ["clean.csv"]
    assert (out / "clean.csv").read_text() == "old\n"  # the old output is untouched
    target = folder / "tidy.csv"
    converted = _rowsift("convert", orders, target, preexec_fn=limit)
    assert_clean_exit(_outcome(converted), allowed=(3,))
    assert not target.exists()
    assert not [p for p in folder.iterdir() if p.name.endswith(".partial")]


def _when_writing_starts(process: subprocess.Popen[str], out: Path) -> bool:
    """Wait until the run's first hidden temporary output appears (True) or the run ends."""
    while process.poll() is None:
        if out.is_dir() and any(p.name.endswith(".partial") for p in out.iterdir()):
            return True
        time.sleep(0.005)
    return False


def _turn_read_only(disk: Path, process: subprocess.Popen[str]) -> bool:
    """Remount `disk` read-only while `process` runs. Linux refuses (busy) while a file is
    open for writing on it, so try again until it takes or the process has ended."""
    while process.poll() is None:
        remount = ["mount", "-o", "remount,ro", str(disk)]
        if subprocess.run(remount, capture_output=True, check=False).returncode == 0:
            return True
        time.sleep(0.005)
    return False


def test_a_file_system_turned_read_only_mid_write_is_a_clear_error(
    orders: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Permission lost half-way: the output's file system becomes read-only while the run is
    writing its outputs (where the machine lets us mount one; else a read-only file system
    from the start is what the read-only folder test covers)."""
    if not _can_mount():
        return
    disk = request.getfixturevalue("small_disk")
    subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)
    out = disk / "out"
    command = [
        *ROWSIFT,
        "run",
        str(orders_recipe_path()),
        str(orders),
        "--out",
        str(out),
        "--output-format",
        "csv",
        "-q",
    ]
    caught = []
    for _ in range(3):
        remove(out)  # each try starts empty, so what is visible afterwards is this run's
        process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
        writing = _when_writing_starts(process, out) and _turn_read_only(disk, process)
        _, stderr = process.communicate(timeout=300)
        subprocess.run(["mount", "-o", "remount,rw", str(disk)], check=True)
        assert_clean_exit(Outcome(process.returncode, "", stderr), allowed=(0, 1, 3))
        if writing and process.returncode == 3:
            caught.append(stderr)
            assert "read-only" in stderr.lower()  # ours, or the system's "Read-only file system"
            # each output appears whole or not at all, and summary.json, which marks a complete
            # set of outputs, does not appear: a failed run may have published clean.csv alone
            assert "summary.json" not in _visible(out), _visible(out)
        _untorn(out)
    assert caught, "no run was caught writing"


# -- two runs into one folder ------------------------------------------------------------------


def test_two_runs_into_one_folder_one_refuses_and_neither_corrupts(
    orders: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    for _ in range(2):
        command = [
            *ROWSIFT,
            "run",
            str(orders_recipe_path()),
            str(orders),
            "--out",
            str(out),
            "--output-format",
            "csv",
            "-q",
        ]
        first = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
        second = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
        results = [
            (p.wait(timeout=300), p.stderr.read() if p.stderr else "") for p in (first, second)
        ]
        codes = sorted(code for code, _ in results)
        assert codes in ([0, 0], [0, 3]), results  # the second may start after the first ends
        for code, stderr in results:
            assert "Traceback" not in stderr
            if code == 3:
                assert "another rowsift run is writing into this folder" in stderr
        assert sorted(os.listdir(out)) == OUTPUTS
        _untorn(out)
        assert pl.read_csv(out / "clean.csv", infer_schema=False).height > 0
