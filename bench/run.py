"""Time rowsift against hand-written Polars, pandera and Great Expectations on one messy file.

Each contender runs in a fresh subprocess, `--repeat` times, round-robin (so drift of the machine is
spread over all of them), after one untimed warm-up run each (so every timed run reads the CSV from
the page cache); rowsift's modules are compiled to bytecode first (`bench.bytecode`). Wall time is
measured around the child's whole life, interpreter start-up included. Peak memory is the child's
`ru_maxrss` as returned by `os.wait4`: the kernel's high-water mark of the child's resident set
(exact, no sampling; on Linux it also covers any grandchildren the child waited for). The same call
gives the child's CPU time. Processes the child starts and leaves running (Spark's JVM) are sampled
every 0.1 s: their CPU time is added, and the tree's peak resident set counts when it is higher. The
machine-wide busy time minus the child's is recorded as other load, and a warning is printed when
other processes disturbed the timings.

    python -m bench.run [--rows 10000000] [--repeat 3]
    python -m bench.run --rows 100000000 --repeat 1 --no-warmup --only rowsift --scratch
    python -m bench.run --shape wide --rows 1000000 --repeat 3

`--shape` runs one of the table shapes of `bench.shapes` (multi-line text, wide, narrow, many
row-set rules) instead of the orders file: rowsift with that shape's recipe against the
hand-written Polars program of that shape (`bench/shapes/handwritten.py`).

`--scratch` generates the input in a temporary folder under /tmp, writes the outputs there and
deletes the folder afterwards: the 100M-row file is about 9 GB, its outputs several more.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import polars as pl
import psutil

from bench.bytecode import compile_trees
from bench.shapes import SHAPES, recipe_path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RECIPE = BENCH / "orders.recipe.yaml"
DATA = BENCH / "data"
RESULTS = BENCH / "results"
BASELINE = "hand-written Polars"
TARGET_RATIO = 1.2  # rowsift may take at most 1.2x the baseline's time and memory
PANDERA_SPEEDUP = 2.0  # and must be at least 2x faster than pandera
PANDERA = "pandera (Polars backend)"
GX = "Great Expectations (pandas)"
NOISE_SHARE = 0.05  # warn when other processes used more than this share of the CPUs
CPUS = os.cpu_count() or 1

Command = Callable[[Path, Path], list[str]]


def _rowsift_executable() -> str:
    """The `rowsift` script next to this interpreter, else the one on PATH."""
    beside = Path(sys.executable).parent / "rowsift"
    if beside.exists():
        return str(beside)
    found = shutil.which("rowsift")
    if found is None:
        message = "cannot find the `rowsift` command; install the project into this venv"
        raise SystemExit(message)
    return found


def _rowsift(source: Path, out: Path) -> list[str]:
    return [_rowsift_executable(), "run", str(RECIPE), str(source), "--out", str(out), "--quiet"]


def _handwritten(source: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "bench.handwritten_polars", str(source), str(out)]


def _pandera(source: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "bench.pandera_polars", str(source), str(out)]


def _gx(source: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "bench.gx_pandas", str(source), str(out)]


def _handwritten_in(module: str) -> Command:
    def command(source: Path, out: Path) -> list[str]:
        return [sys.executable, "-m", f"bench.{module}", str(source), str(out)]

    return command


def _rowsift_on(engine: str) -> Command:
    def command(source: Path, out: Path) -> list[str]:
        return [*_rowsift(source, out), "--engine", engine]

    return command


ENGINES = ("pandas", "duckdb", "dask", "spark")
OWN_BASELINES = {  # engine: (contender, module) of the program written by hand for it
    "duckdb": ("hand-written DuckDB SQL", "handwritten_duckdb"),
    "pandas": ("hand-written pandas", "handwritten_pandas"),
    "spark": ("hand-written PySpark", "handwritten_pyspark"),
    "dask": ("hand-written Dask", "handwritten_dask"),
}
CONTENDERS: dict[str, Command] = {
    "rowsift": _rowsift,
    BASELINE: _handwritten,
    PANDERA: _pandera,
    GX: _gx,
    **{f"rowsift --engine {engine}": _rowsift_on(engine) for engine in ENGINES},
    **{name: _handwritten_in(module) for name, module in OWN_BASELINES.values()},
}
SLUGS = {
    "rowsift": "rowsift",
    BASELINE: "handwritten",
    PANDERA: "pandera",
    GX: "gx",
    **{f"rowsift --engine {engine}": f"rowsift-{engine}" for engine in ENGINES},
    **{name: f"handwritten-{engine}" for engine, (name, _) in OWN_BASELINES.items()},
}
DEFAULT = ("rowsift", BASELINE, PANDERA, GX)
BASELINE_OF = {
    "rowsift": BASELINE,
    **{f"rowsift --engine {engine}": name for engine, (name, _) in OWN_BASELINES.items()},
}
"""Each rowsift engine and the program written by hand for its library (target: ≤ 1.3×)."""
OWN_TARGET = 1.3
MEMORY_TARGETS_MIB = {10_000_000: 1024, 100_000_000: 2048}
"""Peak RSS rowsift's default engine may reach on the orders file of this many rows."""


@dataclass(frozen=True)
class Measurement:
    """One run of one contender."""

    wall_s: float
    cpu_s: float
    peak_rss_mib: float
    exit_code: int
    other_cpu_s: float  # CPU time the rest of the machine used meanwhile: noise, ideally ~0


@dataclass
class Result:
    """Every run of one contender, and what it wrote."""

    contender: str
    command: list[str]
    runs: list[Measurement] = field(default_factory=list)
    rows_clean: int | None = None
    rows_quarantined: int | None = None
    fingerprint: str | None = None

    @property
    def ok(self) -> bool:
        """Every timed run exited with 0."""
        return bool(self.runs) and all(run.exit_code == 0 for run in self.runs)

    @property
    def wall_s(self) -> float:
        """Median wall time in seconds."""
        return statistics.median(run.wall_s for run in self.runs)

    @property
    def cpu_s(self) -> float:
        """Median CPU time (user + system) in seconds."""
        return statistics.median(run.cpu_s for run in self.runs)

    @property
    def peak_rss_mib(self) -> float:
        """Median (over runs) of each run's peak resident set, in MiB."""
        return statistics.median(run.peak_rss_mib for run in self.runs)


def _busy_cpu_s() -> float:
    """CPU seconds the whole machine has spent busy (all cores) since boot."""
    times = psutil.cpu_times()
    return float(sum(times) - times.idle - getattr(times, "iowait", 0.0))


class _Descendants(threading.Thread):
    """Samples, every 0.1 s, the processes a contender starts and does not wait for (Spark's
    JVM): their CPU time as last seen, and the peak resident set of the whole tree."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.cpu_s: dict[int, float] = {}
        self.alive: set[int] = set()
        self.peak_tree_rss = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.1):
            try:
                rss = self.root.memory_info().rss
                children = self.root.children(recursive=True)
            except psutil.Error:
                continue
            alive = set()
            for process in children:
                try:
                    with process.oneshot():
                        times = process.cpu_times()
                        rss += process.memory_info().rss
                except psutil.Error:
                    continue
                self.cpu_s[process.pid] = times.user + times.system
                alive.add(process.pid)
            self.alive = alive
            self.peak_tree_rss = max(self.peak_tree_rss, rss)

    def unreaped_cpu_s(self) -> float:
        """CPU of the descendants still running when the contender ended: the kernel's figures
        for the contender cannot include them, since it never waited for them."""
        return sum(self.cpu_s[pid] for pid in self.alive)


def measure(argv: Sequence[str], log: Path) -> Measurement:
    """Run `argv` in a fresh process; return its wall and CPU time, peak RSS and exit code.

    CPU and memory include the processes it starts and leaves running (Spark's JVM), sampled.
    """
    with log.open("wb") as sink:
        busy = _busy_cpu_s()
        start = time.perf_counter()
        child = subprocess.Popen(argv, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT)
        descendants = _Descendants(child.pid)
        descendants.start()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        busy = _busy_cpu_s() - busy
        descendants.done.set()
        descendants.join()
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    cpu = usage.ru_utime + usage.ru_stime + descendants.unreaped_cpu_s()
    peak = max(usage.ru_maxrss * 1024, descendants.peak_tree_rss)  # ru_maxrss is in KiB
    return Measurement(
        wall_s=wall,
        cpu_s=cpu,
        peak_rss_mib=peak / 2**20,
        exit_code=child.returncode,
        other_cpu_s=max(busy - cpu, 0.0),
    )


def output_counts(out: Path) -> tuple[int, int] | None:
    """(rows in clean.parquet, rows in quarantine.parquet), or None if either is missing."""
    paths = out / "clean.parquet", out / "quarantine.parquet"
    if not all(path.exists() for path in paths):
        return None
    clean, quarantine = (
        pl.scan_parquet(path / "*.parquet" if path.is_dir() else path)
        .select(pl.len())
        .collect()
        .item()
        for path in paths
    )  # Spark and Dask write a folder of parts
    return clean, quarantine


def output_fingerprint(out: Path) -> str | None:
    """A digest of which rows went to each output and the reasons of each quarantined row,
    independent of row order and file layout: equal digests, equal splits and reasons."""
    paths = out / "clean.parquet", out / "quarantine.parquet"
    if not all(path.exists() for path in paths):
        return None
    clean, quarantine = (
        pl.scan_parquet(path / "*.parquet" if path.is_dir() else path) for path in paths
    )
    rows = clean.select(pl.col("_rowsift_row").cast(pl.Int64).hash(seed=7).sum()).collect().item()
    judged = (
        quarantine.select(
            pl.struct(
                pl.col("_rowsift_row").cast(pl.Int64),
                pl.col("_rowsift_reasons").cast(pl.List(pl.String)).list.join("|"),
            )
            .hash(seed=7)
            .sum()
        )
        .collect()
        .item()
    )
    return f"{rows:016x}-{judged:016x}"


def _outputs_in_child(out: Path) -> tuple[tuple[int, int] | None, str | None]:
    """`output_counts` and `output_fingerprint` of `out`, computed in a process of its own:
    on Linux a child's peak RSS starts at its parent's (ru_maxrss survives fork and exec), so
    reading a 10M-row output here would inflate the peak of every contender measured next."""
    code = (
        "import json, sys; from pathlib import Path; from bench.run import output_counts, "
        "output_fingerprint; out = Path(sys.argv[1]); "
        "print(json.dumps([output_counts(out), output_fingerprint(out)]))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code, str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    counts, fingerprint = json.loads(completed.stdout)
    return (tuple(counts) if counts is not None else None), fingerprint  # type: ignore[return-value]


def data_path(rows: int, folder: Path = DATA, shape: str = "orders") -> Path:
    """bench/data/orders_10m.csv for 10,000,000 rows, orders_5000.csv for 5,000; for another
    shape its name instead of `orders` (wide_1m.csv)."""
    label = f"{rows // 1_000_000}m" if rows >= 1_000_000 and rows % 1_000_000 == 0 else str(rows)
    return folder / f"{shape}_{label}.csv"


def command_of(contender: str, shape: str, source: Path, out: Path) -> list[str]:
    """The command line of `contender` on `source`: on the orders file every contender, on
    another shape rowsift (with the shape's recipe) and the shape's hand-written program."""
    if shape == "orders":
        return CONTENDERS[contender](source, out)
    if contender == "rowsift":
        recipe = str(recipe_path(shape))
        return [_rowsift_executable(), "run", recipe, str(source), "--out", str(out), "--quiet"]
    if contender == BASELINE:
        handwritten = [sys.executable, "-m", "bench.shapes.handwritten", shape]
        return [*handwritten, str(source), str(out)]
    raise SystemExit(f"--shape {shape} runs rowsift and the hand-written program only")


def _machine() -> dict[str, object]:
    """What the numbers were measured on."""
    versions: dict[str, str | None] = {}
    for package in (
        "rowsift",
        "polars",
        "pandera",
        "great_expectations",
        "pandas",
        "pyarrow",
        "narwhals",
        "numpy",
    ):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "load_average_at_start": os.getloadavg(),
        "versions": versions,
    }


def markdown_table(results: Sequence[Result]) -> str:
    """The results as a Markdown table, with ratios to the hand-written Polars pipeline."""
    baseline = next((r for r in results if r.contender == BASELINE and r.ok), None)
    lines = [
        "| contender | median wall (s) | median CPU (s) | peak RSS (MiB)"
        " | wall vs hand-written | RSS vs hand-written |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        if not result.ok:
            lines.append(f"| {result.contender} | failed | failed | failed | – | – |")
            continue
        wall, rss = "–", "–"
        if baseline is not None:
            wall = f"{result.wall_s / baseline.wall_s:.2f}×"
            rss = f"{result.peak_rss_mib / baseline.peak_rss_mib:.2f}×"
        lines.append(
            f"| {result.contender} | {result.wall_s:.2f} | {result.cpu_s:.2f}"
            f" | {result.peak_rss_mib:,.0f}"
            f" | {wall} | {rss} |"
        )
    return "\n".join(lines)


def verdicts(results: Sequence[Result]) -> list[str]:
    """The project's three targets, each judged from the measurements, and rowsift against GX."""
    by_name = {result.contender: result for result in results if result.ok}
    rowsift, baseline = by_name.get("rowsift"), by_name.get(BASELINE)
    pandera, gx = by_name.get(PANDERA), by_name.get(GX)
    lines = []
    if rowsift and baseline:
        wall = rowsift.wall_s / baseline.wall_s
        rss = rowsift.peak_rss_mib / baseline.peak_rss_mib
        lines.append(
            f"{'PASS' if wall <= TARGET_RATIO else 'MISS'}  wall time ≤ {TARGET_RATIO}× "
            f"hand-written Polars: {wall:.2f}×"
        )
        lines.append(
            f"{'PASS' if rss <= TARGET_RATIO else 'MISS'}  peak memory ≤ {TARGET_RATIO}× "
            f"hand-written Polars: {rss:.2f}×"
        )
    if rowsift and pandera:
        speedup = pandera.wall_s / rowsift.wall_s
        lines.append(
            f"{'PASS' if speedup >= PANDERA_SPEEDUP else 'MISS'}  ≥ {PANDERA_SPEEDUP:g}× faster "
            f"than pandera: {speedup:.2f}×"
        )
    if rowsift and gx:  # no target: reported beside the others
        speedup = gx.wall_s / rowsift.wall_s
        pace = f"{speedup:.2f}× faster" if speedup >= 1 else f"{1 / speedup:.2f}× slower"
        lines.append(
            f"INFO  rowsift vs Great Expectations: {pace} (GX takes "
            f"{gx.cpu_s / rowsift.cpu_s:.2f}× the CPU time and "
            f"{gx.peak_rss_mib / rowsift.peak_rss_mib:.2f}× the peak memory)"
        )
    return lines


def memory_verdict(rows: int, results: Sequence[Result]) -> list[str]:
    """Whether rowsift's default engine stayed under the peak RSS its file size allows."""
    target = MEMORY_TARGETS_MIB.get(rows)
    rowsift = next((r for r in results if r.contender == "rowsift" and r.ok), None)
    if target is None or rowsift is None:
        return []
    peak = rowsift.peak_rss_mib
    return [
        f"{'PASS' if peak <= target else 'MISS'}  peak RSS ≤ {target:,} MiB at {rows:,} rows: "
        f"{peak:,.0f} MiB (the whole process tree)"
    ]


def own_baselines_table(results: Sequence[Result]) -> str:
    """Each rowsift engine against the program written by hand for its library, with whether
    both wrote the same rows with the same reasons."""
    by_name = {result.contender: result for result in results if result.ok}
    lines = [
        "| engine | rowsift wall (s) | hand-written wall (s) | wall ratio | rowsift CPU (s)"
        " | hand-written CPU (s) | rowsift peak RSS (MiB) | hand-written peak RSS (MiB)"
        f" | ≤ {OWN_TARGET}× | same outputs |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for contender, baseline_name in BASELINE_OF.items():
        ours, theirs = by_name.get(contender), by_name.get(baseline_name)
        if ours is None or theirs is None:
            continue
        ratio = ours.wall_s / theirs.wall_s
        same = ours.fingerprint is not None and ours.fingerprint == theirs.fingerprint
        lines.append(
            f"| {contender} vs {baseline_name} | {ours.wall_s:.2f} | {theirs.wall_s:.2f}"
            f" | {ratio:.2f}× | {ours.cpu_s:.2f} | {theirs.cpu_s:.2f}"
            f" | {ours.peak_rss_mib:,.0f} | {theirs.peak_rss_mib:,.0f}"
            f" | {'met' if ratio <= OWN_TARGET else 'missed'} | {'yes' if same else 'NO'} |"
        )
    return "\n".join(lines) if len(lines) > 2 else ""


def noise(results: Sequence[Result]) -> list[str]:
    """A warning if other processes used a noticeable share of the CPUs during the timed runs."""
    runs = [run for result in results for run in result.runs]
    if not runs:
        return []
    share = sum(run.other_cpu_s for run in runs) / sum(run.wall_s * CPUS for run in runs)
    if share < NOISE_SHARE:
        return []
    return [
        f"WARNING: other processes used {share:.0%} of the machine's CPU time during the timed "
        "runs; wall times are inflated and ratios less reliable (see other_cpu_s in the JSON)"
    ]


def agreement(results: Sequence[Result]) -> list[str]:
    """Warnings where a contender's clean/quarantine counts differ from the hand-written ones."""
    by_name = {result.contender: result for result in results}
    baseline = by_name.get(BASELINE)
    if baseline is None or baseline.rows_clean is None:
        return []
    warnings = []
    for result in results:
        if result is baseline:
            continue
        ours = (result.rows_clean, result.rows_quarantined)
        theirs = (baseline.rows_clean, baseline.rows_quarantined)
        if ours != theirs:
            warnings.append(
                f"WARNING: {result.contender} and {BASELINE} disagree: "
                f"{result.contender} rows_clean={result.rows_clean} "
                f"rows_quarantined={result.rows_quarantined}; {BASELINE} "
                f"rows_clean={baseline.rows_clean} rows_quarantined={baseline.rows_quarantined}"
            )
    return warnings


def _generate(rows: int, seed: int, source: Path, shape: str = "orders") -> Measurement:
    """Write the orders file, in a process of its own: Linux carries a parent's peak RSS into
    every child it forks (ru_maxrss survives exec), so generating here would inflate every
    contender's peak."""
    print(f"generating {source} ({rows:,} rows, seed {seed}) ...", flush=True)
    source.parent.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "bench.generate", "--rows", str(rows), "--seed", str(seed)]
    if shape != "orders":
        argv[2:3] = ["bench.shapes.generate", "--shape", shape]
    generated = measure([*argv, "--out", str(source)], source.with_suffix(".log"))
    if generated.exit_code != 0:
        log = source.with_suffix(".log").read_text(errors="replace")[-2000:]
        raise SystemExit(f"bench.generate failed:\n{log}")
    print(
        f"generated in {generated.wall_s:.1f} s wall, {generated.cpu_s:.1f} s CPU, "
        f"{source.stat().st_size / 2**30:.2f} GiB",
        flush=True,
    )
    return generated


def run(
    rows: int,
    *,
    repeat: int,
    seed: int,
    warmup: bool,
    contenders: Sequence[str],
    scratch: Path | None = None,
    shape: str = "orders",
) -> dict[str, object]:
    """Generate the file if missing, measure every contender, print and save the results.

    With `scratch` (a folder), the input is generated and the outputs written in a new
    temporary folder inside it, deleted at the end whatever happens.
    """
    if scratch is None:
        work = RESULTS / "out"
        return _run_in(rows, DATA, work, repeat, seed, warmup, contenders, False, shape)
    folder = Path(tempfile.mkdtemp(prefix="rowsift-bench-", dir=scratch))
    try:
        work = folder / "out"
        return _run_in(rows, folder, work, repeat, seed, warmup, contenders, True, shape)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        print(f"deleted {folder}", flush=True)


def _run_in(
    rows: int,
    data: Path,
    work: Path,
    repeat: int,
    seed: int,
    warmup: bool,
    contenders: Sequence[str],
    scratch: bool,
    shape: str = "orders",
) -> dict[str, object]:
    source = data_path(rows, data, shape)
    generated = _generate(rows, seed, source, shape) if not source.exists() else None
    work.mkdir(parents=True, exist_ok=True)
    results = [
        Result(contender=name, command=command_of(name, shape, source, work / SLUGS[name]))
        for name in contenders
    ]
    rounds = ([None] if warmup else []) + list(range(1, repeat + 1))
    for round_number in rounds:
        for result in results:
            out = work / SLUGS[result.contender]
            shutil.rmtree(out, ignore_errors=True)
            log = work / f"{SLUGS[result.contender]}.log"
            measurement = measure(result.command, log)
            what = "warm-up" if round_number is None else f"run {round_number}/{repeat}"
            print(
                f"{result.contender:<27} {what:<10} {measurement.wall_s:8.2f} s wall "
                f"{measurement.cpu_s:8.2f} s CPU {measurement.peak_rss_mib:9,.0f} MiB "
                f" exit {measurement.exit_code}  (other load {measurement.other_cpu_s:.1f} CPU s)",
                flush=True,
            )
            if measurement.exit_code != 0:
                tail = log.read_text(errors="replace")[-2000:]
                print(f"  {result.contender} failed; end of {log}:\n{tail}", flush=True)
            if round_number is not None:
                result.runs.append(measurement)
            counts, fingerprint = _outputs_in_child(out)
            if counts is not None:
                result.rows_clean, result.rows_quarantined = counts
                result.fingerprint = fingerprint
                print(f"  {counts[0]:,} clean, {counts[1]:,} quarantined, digest {fingerprint}")
            if scratch:  # the outputs of a large file are not kept
                shutil.rmtree(out, ignore_errors=True)

    table = markdown_table(results)
    print()
    size = source.stat().st_size / 2**20
    print(f"{shape}: {rows:,} rows, {size:,.0f} MiB CSV, median of {repeat} runs")
    print()
    print(table)
    print()
    own = own_baselines_table(results)
    if own:
        print(own)
        print()
    judged = verdicts(results) + memory_verdict(rows, results)
    for line in judged + agreement(results) + noise(results):
        print(line)

    report: dict[str, object] = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "shape": shape,
        "rows": rows,
        "input": str(source.relative_to(ROOT)) if source.is_relative_to(ROOT) else str(source),
        "input_bytes": source.stat().st_size,
        "input_deleted_after": scratch,
        "generated": asdict(generated) if generated is not None else None,
        "repeat": repeat,
        "warmup": warmup,
        "memory_measure": (
            "os.wait4 ru_maxrss of the child process, or the sampled peak RSS of its process "
            "tree when higher; CPU includes descendants left running (sampled every 0.1 s)"
        ),
        "machine": _machine(),
        "results": [
            {
                "contender": result.contender,
                "command": result.command,
                "ok": result.ok,
                "median_wall_s": result.wall_s if result.ok else None,
                "median_cpu_s": result.cpu_s if result.ok else None,
                "median_peak_rss_mib": result.peak_rss_mib if result.ok else None,
                "rows_clean": result.rows_clean,
                "rows_quarantined": result.rows_quarantined,
                "outputs_fingerprint": result.fingerprint,
                "runs": [asdict(run) for run in result.runs],
            }
            for result in results
        ],
        "markdown": table,
        "own_baselines_markdown": own,
        "verdicts": judged,
        "agreement_warnings": agreement(results),
        "noise_warnings": noise(results),
    }
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    RESULTS.mkdir(parents=True, exist_ok=True)
    label = "" if shape == "orders" else f"{shape}-"
    path = RESULTS / f"bench-{label}{rows}-{stamp}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"\nresults written to {path.relative_to(ROOT)}")
    return report


def main(argv: list[str] | None = None) -> None:
    """Command line: `python -m bench.run [--rows N] [--repeat 3]`."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000_000, help="rows of the orders file")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each contender")
    parser.add_argument("--seed", type=int, default=42, help="seed, if the file is generated")
    parser.add_argument("--no-warmup", action="store_true", help="skip the untimed first round")
    parser.add_argument(
        "--only",
        choices=sorted(SLUGS.values()),
        action="append",
        help="run only this contender (repeatable)",
    )
    parser.add_argument(
        "--baselines",
        action="store_true",
        help="run rowsift on Polars, DuckDB, pandas, Spark and Dask, each beside the program "
        "written by hand for its library (hand-written Polars, DuckDB SQL, pandas, PySpark, Dask)",
    )
    parser.add_argument(
        "--engines",
        action="store_true",
        help="also run rowsift on pandas, DuckDB, Dask and Spark (local mode)",
    )
    parser.add_argument(
        "--scratch",
        nargs="?",
        const=Path(tempfile.gettempdir()),
        type=Path,
        metavar="DIR",
        help="generate the input and write the outputs in a new temporary folder inside DIR "
        "(default: the system's, /tmp), deleted afterwards; for the 100M-row (~9 GB) file",
    )
    parser.add_argument(
        "--shape",
        choices=("orders", *SHAPES),
        default="orders",
        help="the table: the orders file (default), or a shape of bench.shapes (multi-line "
        "text, wide, narrow, many row-set rules), run by rowsift and its hand-written program",
    )
    args = parser.parse_args(argv)
    if args.shape != "orders" and args.only is None:
        args.only = ["rowsift", "handwritten"]
    if args.only is not None:
        chosen = [name for name in CONTENDERS if SLUGS[name] in args.only]
    elif args.baselines:
        chosen = [name for pair in BASELINE_OF.items() for name in pair]
    else:
        chosen = [name for name in CONTENDERS if name in DEFAULT or args.engines]
    compile_trees()
    run(
        args.rows,
        repeat=args.repeat,
        seed=args.seed,
        warmup=not args.no_warmup,
        contenders=chosen,
        scratch=args.scratch,
        shape=args.shape,
    )


if __name__ == "__main__":
    main()
