"""The public functions: load a recipe, run it on a frame or a file, and describe the result."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from rowsift.engine import Flag, Plan, build, compile_recipe, conclude, execute
from rowsift.exceptions import InputError, RowsiftError, UsageError
from rowsift.io import (
    LAZY_KINDS,
    OutputFormat,
    from_evaluated,
    read_table,
    stream_outputs,
    to_table,
    write_json,
)
from rowsift.io.engine_files import EngineName, evaluate_and_write, read_with
from rowsift.io.write import prepare_outputs, scan_written
from rowsift.recipe import Recipe, load_recipe
from rowsift.rules import DatasetRule, RunStats

Status = Literal["pass", "warn", "fail"]


@dataclass(frozen=True, kw_only=True)
class RuleOutcome:
    """How often one rule failed."""

    id: str
    severity: Literal["error", "warn"]
    failed: int


@dataclass(frozen=True, kw_only=True)
class DatasetOutcome:
    """A dataset rule's verdict."""

    id: str
    severity: Literal["error", "warn"]
    observed: float
    passed: bool
    rule: DatasetRule


@dataclass(frozen=True, kw_only=True)
class RunSummary:
    """Counts, verdicts and timings of one run; `to_dict()` is what summary.json holds."""

    rows_in: int
    rows_clean: int
    rows_quarantined: int
    status: Status
    rules: tuple[RuleOutcome, ...]
    dataset: tuple[DatasetOutcome, ...]
    recipe_name: str | None
    recipe_fingerprint: str
    durations: dict[str, float] = field(default_factory=dict)
    input: dict[str, Any] = field(default_factory=dict)
    started_at: str = ""
    engine: str = "polars"
    alerts: tuple[dict[str, Any], ...] = ()
    monitor: dict[str, Any] | None = None

    @property
    def failures(self) -> dict[str, int]:
        """Failures per rule id, for rules that failed at least once."""
        return {rule.id: rule.failed for rule in self.rules if rule.failed}

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        from rowsift import __version__

        return {
            "rowsift_version": __version__,
            "status": self.status,
            "rows_in": self.rows_in,
            "rows_clean": self.rows_clean,
            "rows_quarantined": self.rows_quarantined,
            "failures": self.failures,
            "rules": [{"id": r.id, "severity": r.severity, "failed": r.failed} for r in self.rules],
            "dataset": [
                {
                    "id": d.id,
                    "severity": d.severity,
                    "observed": d.observed,
                    "passed": d.passed,
                    "bounds": {
                        k: v
                        for k, v in vars(d.rule).items()
                        if k in ("min", "max", "of") and v is not None
                    },
                }
                for d in self.dataset
            ],
            "recipe": {"name": self.recipe_name, "sha256": self.recipe_fingerprint},
            "input": self.input,
            "started_at": self.started_at,
            "engine": self.engine,
            "durations_s": {key: round(value, 4) for key, value in self.durations.items()},
            "alerts": list(self.alerts),
            **({"monitor": self.monitor} if self.monitor is not None else {}),
        }


@dataclass(frozen=True, kw_only=True)
class RunResult:
    """Clean rows and quarantined rows, as the same kind of frame as the input, and a summary."""

    clean: Any
    quarantine: Any
    summary: RunSummary


def _as_recipe(recipe: Recipe | str | os.PathLike[str]) -> Recipe:
    if isinstance(recipe, Recipe):
        return recipe
    if isinstance(recipe, str | os.PathLike):
        return load_recipe(recipe)
    raise UsageError(
        f"expected a Recipe or the path of a recipe file, got {type(recipe).__name__}",
        hint="use rowsift.load_recipe(path)",
    )


def _summarise(
    plan: Plan, stats: RunStats, failures: dict[str, int], flags: tuple[Flag, ...]
) -> RunSummary:
    rules = tuple(
        RuleOutcome(id=flag.id, severity=flag.severity, failed=failures[flag.id]) for flag in flags
    )
    dataset = []
    for step in plan.dataset:
        verdict = step.rule.judge(stats)
        dataset.append(
            DatasetOutcome(
                id=step.id,
                severity=step.rule.severity,
                observed=verdict.observed,
                passed=verdict.passed,
                rule=step.rule,
            )
        )
    status: Status = "pass"
    if any(r.severity == "warn" and r.failed for r in rules) or any(
        d.severity == "warn" and not d.passed for d in dataset
    ):
        status = "warn"
    if any(d.severity == "error" and not d.passed for d in dataset):
        status = "fail"
    return RunSummary(
        rows_in=stats.rows_in,
        rows_clean=stats.rows_clean,
        rows_quarantined=stats.rows_quarantined,
        status=status,
        rules=rules,
        dataset=tuple(dataset),
        recipe_name=plan.name,
        recipe_fingerprint=plan.recipe_fingerprint,
    )


def run(recipe: Recipe | str | os.PathLike[str], frame: Any) -> RunResult:
    """Run a recipe on a frame; clean and quarantine come back as the same kind of frame.

    >>> import polars as pl
    >>> import rowsift
    >>> recipe = rowsift.load_recipe_text('''
    ... version: 1
    ... columns:
    ...   id: {transforms: [strip], rules: [not_null, unique]}
    ...   amount: {type: float, rules: [{between: {min: 0}}]}
    ... ''')
    >>> frame = pl.DataFrame({"id": ["a", " a", None, "b"], "amount": ["1", "2", "x", "-1"]})
    >>> result = rowsift.run(recipe, frame)
    >>> result.clean["id"].to_list(), result.summary.rows_quarantined
    (['a'], 3)
    >>> result.quarantine["_rowsift_reasons"].to_list()
    [['id.unique'], ['id.not_null', 'amount.type'], ['amount.between']]
    """
    started = time.perf_counter()
    plan = compile_recipe(_as_recipe(recipe))
    table, kind = to_table(frame)
    evaluation = execute(plan, table, collect=kind not in LAZY_KINDS)
    summary = _summarise(plan, evaluation.stats, evaluation.failures, evaluation.flags)
    summary = _with(summary, engine=kind.split("-")[0])
    durations = {"execute": time.perf_counter() - started}
    return RunResult(
        clean=from_evaluated(evaluation.clean, kind),
        quarantine=from_evaluated(evaluation.quarantine, kind),
        summary=_with(summary, durations=durations, started_at=_now()),
    )


def _run_file_on(
    engine: EngineName,
    recipe: Recipe,
    path: Path,
    out: Path,
    output_format: OutputFormat,
    started_at: str,
    clock: float,
    stage: Callable[[str], None],
) -> RunSummary:
    """`run_file` through another engine's own reader, planner and writer."""
    stage(f"reading {path.name} with {engine}")
    read = read_with(engine, path, recipe.source)
    hasher = _Sha256(path)
    hasher.start()
    stage(f"running every rule on {engine}, writing outputs to {out}")
    plan = compile_recipe(recipe)
    table = read.table()
    paths = prepare_outputs(out, output_format)
    # a query engine would run every step again for the totals and for each output: the
    # judged rows are held (or, on Dask, every result computed together) until both are written
    with ExitStack() as hold:
        outputs = build(plan, table, hold=hold)
        totals, rows_clean, rows_quarantined = evaluate_and_write(
            engine, outputs.clean, outputs.quarantine, outputs.totals, paths, output_format
        )
    stats, failures = conclude(
        outputs, totals, rows_clean=rows_clean, rows_quarantined=rows_quarantined
    )
    hasher.join()
    return _with(
        _summarise(plan, stats, failures, outputs.flags),
        started_at=started_at,
        input={"path": str(path), "sha256": hasher.digest, "bytes": path.stat().st_size},
        durations={"run": time.perf_counter() - clock, "total": time.perf_counter() - clock},
        engine=engine,
    )


def _from_frame_library(exc: BaseException) -> bool:
    return type(exc).__module__.split(".")[0] in ("polars", "pyarrow", "pandas", "narwhals")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _with(summary: RunSummary, **changes: Any) -> RunSummary:
    from dataclasses import replace

    return replace(summary, **changes)


class _Sha256(threading.Thread):
    """Hashes a file beside the run (hashlib releases the GIL on large blocks)."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.digest = ""

    def run(self) -> None:
        digest = hashlib.sha256()
        with open(self.path, "rb") as handle:
            while block := handle.read(1 << 22):
                digest.update(block)
        self.digest = digest.hexdigest()


def run_file(
    recipe: Recipe | str | os.PathLike[str],
    input_path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    output_format: OutputFormat = "parquet",
    engine: EngineName = "polars",
    on_stage: Callable[[str], None] | None = None,
    store: str | os.PathLike[str] | None = None,
    dataset: str | None = None,
    batch: str | None = None,
    webhook: str | None = None,
) -> RunSummary:
    """Read a file, run the recipe, write ``clean``, ``quarantine`` and ``summary.json``.

    Each output is written atomically (Spark and Dask write a folder of parts); summary.json
    is written last. `engine` chooses whose readers, planner and writers do the work.

    With a `store` (a DuckDB file, ``duckdb:///path`` or ``postgresql://…``) the run, its rule
    failures and the clean output's column metrics are recorded under `dataset` (default: the
    recipe's name) and `batch` (default: today's date), the batch is compared with its baseline
    and its history, and every alert goes into ``summary.alerts`` and to the `webhook`
    (default: the recipe's ``monitor.webhook``).
    """
    summary = _run_file(recipe, input_path, out_dir, output_format, engine, on_stage)
    if store is not None:
        stage = on_stage or (lambda _stage: None)
        stage("recording the run and comparing it with its baseline")
        summary = _monitored(
            summary,
            _as_recipe(recipe),
            Path(out_dir),
            output_format,
            store=os.fspath(store),
            dataset=dataset,
            batch=batch,
            webhook=webhook,
        )
    write_json(summary.to_dict(), Path(out_dir) / "summary.json")
    return summary


def _monitored(
    summary: RunSummary,
    recipe: Recipe,
    out: Path,
    output_format: OutputFormat,
    *,
    store: str,
    dataset: str | None,
    batch: str | None,
    webhook: str | None,
) -> RunSummary:
    """Record the run in the store, judge it, and deliver its alerts."""
    from rowsift.monitor.alerts import deliver
    from rowsift.monitor.record import new_run_id, record_run
    from rowsift.monitor.settings import settings_from
    from rowsift.monitor.store import RuleFailures, RunRecord, open_store

    clock = time.perf_counter()
    settings = settings_from(recipe.monitor)
    name = dataset or recipe.name or Path(str(summary.input.get("path", "batch"))).stem
    run = RunRecord(
        run_id=new_run_id(),
        dataset=name,
        batch=batch or datetime.now(UTC).date().isoformat(),
        started_at=summary.started_at,
        # microseconds: runs recorded within one second still come back in order
        finished_at=datetime.now(UTC).isoformat(timespec="microseconds"),
        status=summary.status,
        rows_in=summary.rows_in,
        rows_clean=summary.rows_clean,
        rows_quarantined=summary.rows_quarantined,
        recipe_name=recipe.name,
        recipe_version=recipe.version,
        recipe_sha256=summary.recipe_fingerprint,
        input_path=summary.input.get("path"),
        input_sha256=summary.input.get("sha256"),
        engine=summary.engine,
        rules=tuple(
            RuleFailures(rule_id=r.id, severity=r.severity, failed=r.failed) for r in summary.rules
        ),
    )
    types = {column: spec.type for column, spec in recipe.columns.items()}
    clean = scan_written(out / f"clean.{output_format}", output_format, types)
    recorded = record_run(open_store(store), run, clean, settings=settings)
    alerts = tuple(alert.to_dict() for alert in recorded.assessment.alerts)
    monitor: dict[str, Any] = {
        "store": store,
        "run_id": run.run_id,
        "dataset": run.dataset,
        "batch": run.batch,
        "baseline": recorded.assessment.baseline.described,
        "baseline_runs": list(recorded.assessment.baseline.run_ids),
    }
    target = webhook or settings.webhook
    if target and alerts:
        monitor["webhook"] = deliver(
            target, recorded.assessment.alerts, context={"run_id": run.run_id, **monitor}
        )
    durations = {**summary.durations, "monitor": time.perf_counter() - clock}
    return _with(summary, alerts=alerts, monitor=monitor, durations=durations)


def _run_file(
    recipe: Recipe | str | os.PathLike[str],
    input_path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    output_format: OutputFormat,
    engine: EngineName,
    on_stage: Callable[[str], None] | None,
) -> RunSummary:
    stage = on_stage or (lambda _stage: None)
    started_at = _now()
    clock = time.perf_counter()
    stage("compiling the recipe")
    loaded = _as_recipe(recipe)
    plan = compile_recipe(loaded)
    compiled = time.perf_counter()
    path = Path(input_path)
    out = Path(out_dir)
    if engine != "polars":
        return _run_file_on(engine, loaded, path, out, output_format, started_at, clock, stage)
    stage(f"reading {path.name}, running every rule, writing to {out}")
    table = read_table(path, plan.source)
    hasher = _Sha256(path)
    hasher.start()
    try:
        outputs = build(plan, table)
        totals, rows_clean, rows_quarantined = stream_outputs(
            outputs.clean, outputs.quarantine, outputs.totals, out, output_format
        )
    except RowsiftError:
        raise
    except Exception as exc:
        if not _from_frame_library(exc):
            raise
        # reading is lazy: a file that cannot be decoded or split fails here, not at open
        raise InputError(
            f"cannot read the file: {_first_line(exc)}",
            file=str(path),
            hint="check source.encoding, source.delimiter and source.quote in the recipe",
        ) from None
    stats, failures = conclude(
        outputs, totals, rows_clean=rows_clean, rows_quarantined=rows_quarantined
    )
    finished = time.perf_counter()
    hasher.join()
    return _with(
        _summarise(plan, stats, failures, outputs.flags),
        started_at=started_at,
        input={"path": str(path), "sha256": hasher.digest, "bytes": path.stat().st_size},
        durations={
            "compile": compiled - clock,
            "run": finished - compiled,
            "total": time.perf_counter() - clock,
        },
    )
