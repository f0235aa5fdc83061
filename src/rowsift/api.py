"""The public functions: run a recipe on a frame or a file, and describe the result."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from rowsift._atomic import remove_partials
from rowsift.engine import build, compile_recipe, conclude, repairs_of
from rowsift.engine.execute import execute
from rowsift.exceptions import InputError, RowsiftError, UsageError
from rowsift.io import OutputFormat, from_evaluated, stays_lazy, to_table, write_json
from rowsift.io.engine_files import EngineName, evaluate_and_write, read_with
from rowsift.io.formulas import FormulaPolicy
from rowsift.io.output_folder import claim_folder, csv_refusal, write_failure
from rowsift.io.records import LoadingCounts
from rowsift.io.write import prepare_outputs
from rowsift.recipe import Recipe, load_recipe
from rowsift.report.details import DETAILS_NAME
from rowsift.summary import RunSummary, summarise

if TYPE_CHECKING:
    from rowsift.monitor.config import Monitoring
    from rowsift.monitor.record import Recorded


@dataclass(frozen=True, kw_only=True)
class RunResult:
    """Clean rows and quarantined rows, as the same kind of frame as the input, and a summary."""

    clean: Any
    quarantine: Any
    summary: RunSummary

    def _repr_html_(self) -> str:
        """Notebooks show the result as its HTML report, in a sandboxed frame."""
        from rowsift.report.notebook import framed_run

        return framed_run(self)


def _as_recipe(recipe: Recipe | str | os.PathLike[str]) -> Recipe:
    if isinstance(recipe, Recipe):
        return recipe
    if isinstance(recipe, str | os.PathLike):
        return load_recipe(recipe)
    raise UsageError(
        f"expected a Recipe or the path of a recipe file, got {type(recipe).__name__}",
        hint="use rowsift.load_recipe(path)",
    )


def run(
    recipe: Recipe | str | os.PathLike[str], frame: Any, *, audit_repairs: bool = False
) -> RunResult:
    """Run a recipe on a frame; clean and quarantine come back as the same kind of frame.

    With `audit_repairs`, the clean output also has ``_rowsift_repaired`` (the columns a
    transform changed on the row) and ``_rowsift_read_<column>`` (their values as read); see
    docs/cli.md "Auditing repairs".

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
    evaluation = execute(plan, table, collect=not stays_lazy(kind), audit=audit_repairs)
    summary = summarise(
        plan, evaluation.stats, evaluation.failures, evaluation.flags, evaluation.repairs
    )
    summary = summary.but(engine=kind.split("-")[0], audited=audit_repairs)
    durations = {"execute": time.perf_counter() - started}
    return RunResult(
        clean=from_evaluated(evaluation.clean, kind),
        quarantine=from_evaluated(evaluation.quarantine, kind),
        summary=summary.but(durations=durations, started_at=_now()),
    )


READING_ERRORS = frozenset(
    {"ComputeError", "NoDataError", "ArrowInvalid", "ParserError", "EmptyDataError"}
)
"""The errors by which a frame library says that it could not decode, split or parse the
input (Polars, pyarrow, pandas). Any other error of theirs is rowsift asking something wrong:
an internal error, not a damaged file."""


def _from_frame_library(exc: BaseException) -> bool:
    """Whether a frame library could not read the input (`READING_ERRORS`)."""
    library = type(exc).__module__.split(".")[0]
    return library in ("polars", "pyarrow", "pandas") and type(exc).__name__ in READING_ERRORS


def _beyond_duckdb_line_size(exc: BaseException) -> bool:
    """Whether DuckDB's CSV reader stopped at a line longer than it takes (raising its limit
    costs every DuckDB read a third more time: 0.74 against 1.11 s for 1M rows of 40 columns)."""
    return "duckdb" in type(exc).__module__ and "Maximum line size" in str(exc)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class _Sha256(threading.Thread):
    """Hashes a file beside the run (hashlib releases the GIL on large blocks)."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.digest = ""

    def run(self) -> None:
        if not self.path.is_file():  # a database URL
            return
        digest = hashlib.sha256()
        try:
            with open(self.path, "rb") as handle:
                while block := handle.read(1 << 22):
                    digest.update(block)
        except OSError:  # the reader, in the run's own thread, says what is wrong
            return
        self.digest = digest.hexdigest()


#: an input larger than this, or compressed or columnar (whose size does not tell its rows),
#: has its row-set rules' key hashes written to disk and counted in parts rather than in one
#: hash table, so that the run's memory does not grow with the rows; a smaller text file has
#: its distinct keys held in memory (`SeenBeforeJob.memory`)
SPILLED_KEYS_BYTES = 256 << 20


def _spills_keys(path: Path, loaded: Recipe) -> bool:
    """Whether the row-set rules spill the input's key hashes: anything but a text file of at
    most `SPILLED_KEYS_BYTES`."""
    from rowsift.io.compressed import detect_compression
    from rowsift.io.read import detect_format

    if not path.is_file() or path.stat().st_size > SPILLED_KEYS_BYTES:
        return True
    try:
        text = detect_format(path, loaded.source) in ("csv", "tsv", "json", "ndjson")
    except RowsiftError:
        return True
    return not text or detect_compression(path) != "none"


def _described(source: str | os.PathLike[str], hasher: _Sha256) -> dict[str, Any]:
    """The input as summary.json tells it: a file's path, digest and size, or a database
    URL without its credentials."""
    text = os.fspath(source)
    if "://" in text:
        from rowsift.monitor.urls import shown_store

        return {"path": shown_store(text)}
    path = Path(text)
    return {"path": str(path), "sha256": hasher.digest, "bytes": path.stat().st_size}


def run_file(
    recipe: Recipe | str | os.PathLike[str],
    input_path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    output_format: OutputFormat = "parquet",
    engine: EngineName = "polars",
    monitor: Monitoring | Literal[False] | None = None,
    on_stage: Callable[[str], None] | None = None,
    csv_formulas: FormulaPolicy = "escape",
    audit_repairs: bool = False,
) -> RunSummary:
    """Read a file, run the recipe, write ``clean``, ``quarantine`` and ``summary.json``.

    Each output is written atomically (Spark and Dask write a folder of parts), and
    ``summary.json`` after both. `engine` chooses whose readers, planner and writers do the
    work; `on_stage` hears what the run is doing, for a progress display.

    The output folder is locked for the run (a second run into it is refused), and an output
    that would replace the input or the recipe is refused. In CSV outputs, text that a
    spreadsheet would run as a formula is prefixed with ``'`` unless `csv_formulas` is
    ``"keep"`` (see docs/security.md). `audit_repairs` adds the repair audit to the clean
    output, as `run` does.

    Then, when there is a metric store (`monitor`, else ``[store] url`` in `rowsift.toml`;
    ``monitor=False`` turns it off), the run is recorded, compared with its baseline and
    history, and ``summary.json`` is written again with the alerts and `summary.monitor`.
    Monitoring never costs the run its result: a store or webhook that fails leaves every
    output written and says why in ``summary.monitor.error`` (see docs/monitoring.md).

    >>> import rowsift, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "in.csv").write_text("id,n\\na,1\\n,2\\n")
    >>> recipe = rowsift.load_recipe_text("version: 1\\ncolumns:\\n  id: {rules: [not_null]}\\n")
    >>> summary = rowsift.run_file(recipe, folder / "in.csv", folder / "out", monitor=False)
    >>> summary.rows_in, summary.rows_quarantined, summary.monitor
    (2, 1, None)
    """
    from rowsift.monitor.config import resolve_monitoring

    stage = on_stage or (lambda _stage: None)
    loaded = _as_recipe(recipe)
    _check_options(output_format, engine)
    target = resolve_monitoring(monitor, recipe=loaded, input_name=Path(input_path).stem)
    out = Path(out_dir)
    names = [f"clean.{output_format}", f"quarantine.{output_format}", DETAILS_NAME, "summary.json"]
    inputs = [input_path, *([recipe] if isinstance(recipe, str | os.PathLike) else [])]
    with claim_folder(out, outputs=names, inputs=inputs):
        (out / DETAILS_NAME).unlink(missing_ok=True)
        remove_partials(out, [DETAILS_NAME])  # a run killed while writing it left this
        summary = _run_file(
            loaded,
            input_path,
            out,
            output_format,
            engine,
            stage,
            csv_formulas,
            audit=audit_repairs,
        )
        return _summarised(summary, out, loaded, output_format, target, stage)


def _summarised(
    summary: RunSummary,
    out: Path,
    loaded: Recipe,
    output_format: OutputFormat,
    target: Any,
    stage: Callable[[str], None],
) -> RunSummary:
    """Write summary.json, recording the run in the metric store first when there is one."""
    if target is None:
        stage("keeping examples of the quarantine for the report")
        summary = _with_details(summary, out, loaded, output_format, None)
        write_json(summary.to_dict(), out / "summary.json")
        return summary
    from rowsift.monitor.record import monitor_written, pending

    # the data's result first: a run killed while recording still leaves a complete summary
    summary = summary.but(monitor=pending(target))
    write_json(summary.to_dict(), out / "summary.json")
    stage("recording the run and comparing it with its baseline")
    kept: list[Recorded] = []
    summary = monitor_written(
        summary,
        out,
        recipe=loaded,
        output_format=output_format,
        target=target,
        on_recorded=kept.append,
    )
    summary = _with_details(summary, out, loaded, output_format, kept[0] if kept else None)
    write_json(summary.to_dict(), out / "summary.json")
    return summary


def _with_details(
    summary: RunSummary,
    out: Path,
    recipe: Recipe,
    output_format: OutputFormat,
    recorded: Recorded | None,
) -> RunSummary:
    """Write ``details.json`` (what the run's report shows: examples of the quarantine, and
    the store's profile of the clean output when it was recorded) and add its time to the
    summary.

    Recording for the report never costs the run its result: a failure is written into
    ``details.json`` for the report to show.
    """
    from rowsift.report.details import record_details

    clock = time.perf_counter()
    try:
        record_details(out, recipe=recipe, output_format=output_format, recorded=recorded)
    except Exception as exc:  # the data's outputs are complete; the report says what failed
        write_json({"error": f"{type(exc).__name__}: {_first_line(exc)}"}, out / DETAILS_NAME)
    return summary.but(durations={**summary.durations, "details": time.perf_counter() - clock})


def _check_options(output_format: str, engine: str) -> None:
    from rowsift.io.engine_files import ENGINES

    if output_format not in ("parquet", "csv"):
        raise UsageError(
            f"unknown output format {output_format!r}", hint="use --output-format parquet or csv"
        )
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}", hint=f"use one of {', '.join(ENGINES)}")


def _run_file(
    loaded: Recipe,
    input_path: str | os.PathLike[str],
    out: Path,
    output_format: OutputFormat,
    engine: EngineName,
    stage: Callable[[str], None],
    formulas: FormulaPolicy,
    *,
    audit: bool = False,
) -> RunSummary:
    started_at = _now()
    clock = time.perf_counter()
    stage("compiling the recipe")
    plan = compile_recipe(loaded)
    compiled = time.perf_counter()
    path = Path(input_path)
    stage(f"reading {path.name} with {engine}, running every rule, writing to {out}")
    hasher = _Sha256(path)
    hasher.start()
    paths = prepare_outputs(out, output_format)
    loading: list[LoadingCounts] = []  # what reading did with a text file's lines, once read
    try:
        # a query engine would run every step again for the totals and for each output: the
        # judged rows are held (or every result computed together) until both are written
        with ExitStack() as hold:
            table = read_with(
                engine, input_path, plan.source, on_loaded=loading.append, hold=hold
            ).table()
            outputs = build(
                plan,
                table,
                hold=hold,
                key_memory="spilled" if _spills_keys(path, loaded) else "held",
                audit=audit,
            )
            totals, rows_clean, rows_quarantined = evaluate_and_write(
                engine,
                outputs.clean,
                outputs.quarantine,
                outputs.totals,
                paths,
                output_format,
                formulas=formulas,
            )
    except InputError as exc:
        if exc.file or "://" in os.fspath(input_path):
            raise
        raise InputError(exc.message, hint=exc.hint, file=str(path), line=exc.line) from None
    except RowsiftError:
        raise
    except Exception as exc:
        failed_write = write_failure(exc, out) or csv_refusal(exc)
        if failed_write is not None:
            raise failed_write from None
        if _beyond_duckdb_line_size(exc):
            raise InputError(
                "a line is longer than DuckDB's CSV reader takes (2,000,000 bytes)",
                file=str(path),
                hint="run it with --engine polars (or pandas), which read lines of any length",
            ) from None
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
    return summarise(plan, stats, failures, outputs.flags, repairs_of(outputs, totals)).but(
        started_at=started_at,
        input=_described(input_path, hasher)
        | (
            {"loading": loading[-1].settle(rows_clean + rows_quarantined).to_dict()}
            if loading
            else {}
        ),
        engine=engine,
        audited=audit,
        durations={
            "compile": compiled - clock,
            "run": finished - compiled,
            "total": time.perf_counter() - clock,
        },
    )
