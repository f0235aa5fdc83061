"""What a run records for its report, beside ``summary.json``: ``details.json``.

A report is drawn from what was measured, never by reading the input again. The run keeps a
few quarantined rows per reason, maps each rule id to the columns it judges, and, when it was
recorded in a store, keeps the store's measurement of its clean output (type, nulls, distinct,
quantiles, histogram or top values) and the drift comparison with the baseline's histograms.
A run without a store leaves that measurement to the first report that needs it
(`completed_details`): it reads the written clean output once, and keeps what it measured in
``details.json``, so the run itself pays nothing for a report nobody asks for.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rowsift._atomic import atomic_path
from rowsift._names import LINE, PARSE_RULE_ID, RAW, REASONS, ROW
from rowsift.io.formulas import written_names
from rowsift.io.records import named
from rowsift.io.write import OutputFormat, scan_written

if TYPE_CHECKING:
    from rowsift.engine import Plan
    from rowsift.monitor.metrics import BatchMetrics
    from rowsift.monitor.record import Recorded
    from rowsift.recipe import Recipe

DETAILS_NAME = "details.json"
DETAILS_VERSION = 2
"""2: ``profile`` may be null until a report measures it (`completed_details`); ``types`` and
``output_format`` say how to read the clean output for it."""
#: quarantined rows kept per reason
EXAMPLES_PER_REASON = 20
#: besides the columns a reason blames, an example keeps this many of the row's other columns
CONTEXT_COLUMNS = 8
#: the quarantine's row numbers and reasons are read this many rows at a time for the examples
EXAMPLES_BATCH_ROWS = 1_000_000
#: an example's values are cut to this many characters
VALUE_CHARS = 200
#: a clean output of at most this many cells is measured in memory (about 100-200 MB at most)
HELD_CELLS = 10_000_000


def rule_columns(plan: Plan) -> dict[str, list[str]]:
    """Rule id → the declared columns whose values it judges (the failing cells of a row)."""
    found: dict[str, list[str]] = {}
    for column in plan.columns:
        found[column.type_rule_id] = [column.name]
        for step in column.rules:
            found[step.id] = [column.name]
    for rowset in plan.rowset:
        owner = rowset.id.rsplit(".", 1)[0]
        found[rowset.id] = [owner] if owner in rowset.columns else list(rowset.columns)
    return found


def record_details(
    out_dir: Path,
    *,
    recipe: Recipe,
    output_format: OutputFormat,
    recorded: Recorded | None = None,
) -> dict[str, Any]:
    """Keep the report's examples of the run's quarantine in `out_dir` and write
    ``details.json`` atomically.

    With `recorded` (the run as a metric store holds it) the store's measurement of the clean
    output is kept, on the baseline's bins, with the drift comparison. Without it the profile
    is left null, for `completed_details` to measure when a report first needs it.
    """
    from rowsift.engine import compile_recipe

    clock = time.perf_counter()
    plan = compile_recipe(recipe)
    blamed = rule_columns(plan)
    metrics = recorded.run.metrics if recorded is not None else None
    examples = quarantine_examples(out_dir / f"quarantine.{output_format}", output_format, blamed)
    details: dict[str, Any] = {
        "version": DETAILS_VERSION,
        "recipe": {"name": recipe.name, "version": recipe.version},
        "columns": list(recipe.columns),
        "types": {name: spec.type for name, spec in recipe.columns.items()},
        "output_format": output_format,
        "rule_columns": blamed,
        "profile": metrics.to_dict() if metrics is not None else None,
        "examples": examples,
        "drift": drift_details(recorded) if recorded is not None else None,
        "durations_s": {"examples": round(time.perf_counter() - clock, 4)},
    }
    write_details(details, out_dir)
    return details


def completed_details(run_dir: Path) -> dict[str, Any] | None:
    """``details.json`` of a run folder with the profile of its clean output: measured now,
    from the written clean output, when the run left it to its first report, and kept in
    ``details.json`` for the next one (unless the folder cannot be written). When the clean
    output is gone or cannot be read, ``profile_error`` says so and the profile stays null.
    """
    details = read_details(run_dir)
    if details is None or "error" in details or details.get("profile") is not None:
        return details
    if "types" not in details or details.get("output_format") not in ("parquet", "csv"):
        return details  # written by an older rowsift, which measured the profile at once
    output_format: OutputFormat = details["output_format"]
    clean = run_dir / f"clean.{output_format}"
    if not clean.is_file():
        return {**details, "profile_error": f"the clean output {clean.name} is gone"}
    from rowsift.monitor.measure import measure_batch

    clock = time.perf_counter()
    try:
        clean_scan = scan_written(clean, output_format, details["types"])
        metrics = measure_batch(_held_if_small(clean_scan))
    except Exception as exc:  # the report still shows everything else
        first_line = (str(exc).splitlines() or [""])[0]
        return {**details, "profile_error": f"{type(exc).__name__}: {first_line}"}
    durations = {**details.get("durations_s", {}), "profile": round(time.perf_counter() - clock, 4)}
    details = {**details, "profile": metrics.to_dict(), "durations_s": durations}
    # a folder that cannot be written: this report is drawn from the measurement all the same
    with contextlib.suppress(OSError):
        write_details(details, run_dir)
    return details


def write_details(details: Mapping[str, Any], out_dir: Path) -> None:
    """Write ``details.json`` atomically, compact: it is read by rowsift, not by people, and
    an indented dump of a wide run's profile took longer than measuring it."""
    with atomic_path(out_dir / DETAILS_NAME) as tmp:
        tmp.write_text(
            json.dumps(details, separators=(",", ":"), default=str),
            encoding="utf-8",
        )


def _held_if_small(scan: Any) -> Any:
    """The measured columns of the written clean output (not rowsift's row and line numbers),
    in memory when they are small (the measurement's many queries then share one read: about
    a quarter less CPU), else the lazy scan itself."""
    import polars as pl

    from rowsift.monitor.metrics import measured_columns

    rows = int(scan.select(pl.len()).collect().item())
    measured = scan.select(named(measured_columns(scan.collect_schema().names())))
    return measured.collect() if rows * len(measured.collect_schema()) <= HELD_CELLS else measured


def quarantine_examples(
    target: Path, fmt: OutputFormat, blamed: Mapping[str, list[str]]
) -> dict[str, Any]:
    """Per reason: how many rows failed it and the first few of them (lowest ``_rowsift_row``).

    Two narrow reads: the row numbers and reasons of every quarantined row (counted and the
    first rows chosen per reason), then only the chosen rows, with only the columns shown.
    """
    if not target.exists():
        return {"reasons": {}}
    # row and line numbers as numbers: a CSV is read as text, and "10" sorts before "9"
    return examples_of(scan_written(target, fmt, {ROW: "int", LINE: "int"}), blamed)


def examples_of(scan: Any, blamed: Mapping[str, list[str]]) -> dict[str, Any]:
    """`quarantine_examples` of a Polars LazyFrame of quarantined rows."""
    import polars as pl

    schema = scan.collect_schema()
    names = schema.names()
    if REASONS not in names or ROW not in names:
        return {"reasons": {}}
    reasons = pl.col(REASONS)
    if schema[REASONS] == pl.String:
        reasons = reasons.str.json_decode(pl.List(pl.String))
    chosen = _counted_and_firsts(scan.select(pl.col(ROW), reasons.alias("__reason")))
    # a CSV output may have written a blamed column's name neutralised (`'@timestamp`)
    blamed = {reason: written_names(columns, names) for reason, columns in blamed.items()}
    shown = {
        reason: _shown_columns(blamed.get(reason, []), names, parse=reason == PARSE_RULE_ID)
        for reason in chosen["__reason"].to_list()
    }
    wanted = sorted({row for firsts in chosen["firsts"].to_list() for row in firsts})
    needed = [ROW, *([LINE] if LINE in names else []), REASONS]
    needed += sorted({name for columns in shown.values() for name in columns} - set(needed))
    # by name, literally: `select` of a name reads ``*`` and ``^…$`` as patterns
    picked = scan.select(named(needed)).filter(pl.col(ROW).is_in(wanted)).collect()
    records = {record[ROW]: record for record in picked.iter_rows(named=True)}
    found: dict[str, Any] = {}
    for reason, rows, firsts in chosen.iter_rows():
        columns = shown[reason]
        found[reason] = {
            "rows": int(rows),
            "columns": columns,
            "blamed": [RAW]
            if reason == PARSE_RULE_ID and RAW in names
            else [name for name in blamed.get(reason, []) if name in names],
            "examples": [
                {
                    "row": record.get(ROW),
                    "line": record.get(LINE),
                    "reasons": list(_as_list(record.get(REASONS))),
                    "values": [_cut(record.get(name)) for name in columns],
                }
                for record in (records[row] for row in sorted(firsts) if row in records)
            ],
        }
    return {"reasons": found, "data_columns": len(_data_columns(names))}


def _counted_and_firsts(pairs: Any) -> Any:
    """Per reason (sorted): its rows (``rows``) and its `EXAMPLES_PER_REASON` lowest row numbers
    (``firsts``), from a LazyFrame of row numbers and their reasons.

    One streaming pass in batches of `EXAMPLES_BATCH_ROWS` rows: each batch is counted and cut
    to its own lowest row numbers per reason, merged into the lowest so far. A bottom-k inside
    a group-by by reason, or one per reason over the whole frame, held every quarantined row's
    number and reasons (24M quarantined rows of 100M orders: 2.5 GB on either engine).
    """
    import polars as pl

    counts: Any = None
    kept: Any = None
    exploded = pairs.explode("__reason").drop_nulls("__reason")
    for batch in exploded.collect_batches(chunk_size=EXAMPLES_BATCH_ROWS, maintain_order=False):
        counted = batch.group_by("__reason").agg(pl.len().alias("rows"))
        counts = counted if counts is None else pl.concat([counts, counted])
        kept = _lowest(batch if kept is None else pl.concat([kept, batch]))
        counts = counts.group_by("__reason").agg(pl.col("rows").sum())
    if counts is None or kept is None:
        return pl.DataFrame(
            {"__reason": [], "rows": [], "firsts": []},
            schema={"__reason": pl.String, "rows": pl.UInt32, "firsts": pl.List(pl.Int64)},
        )
    firsts = kept.group_by("__reason").agg(pl.col(ROW).alias("firsts"))
    return (
        counts.join(firsts, on="__reason", how="left")
        .select("__reason", "rows", "firsts")
        .sort("__reason")
    )


def _lowest(pairs: Any) -> Any:
    """The `EXAMPLES_PER_REASON` lowest distinct row numbers of each reason of `pairs`."""
    import polars as pl

    return (
        pairs.group_by("__reason")
        .agg(pl.col(ROW).unique().bottom_k(EXAMPLES_PER_REASON))
        .explode(ROW)
        .select(ROW, "__reason")
    )


def _data_columns(names: Iterable[str]) -> list[str]:
    return [name for name in names if not name.startswith("_rowsift_") and name != "__reason"]


def _shown_columns(blamed: list[str], names: list[str], *, parse: bool) -> list[str]:
    """The blamed columns first, then a few others; a record that could not be split shows
    its raw text first."""
    data = _data_columns(names)
    first = [RAW] if parse and RAW in names else [name for name in blamed if name in data]
    rest = [name for name in data if name not in first][: max(0, CONTEXT_COLUMNS - len(first))]
    return [*first, *rest]


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        try:
            loaded = json.loads(value)
        except ValueError:
            return [value]
        return [str(item) for item in loaded] if isinstance(loaded, list) else [value]
    return [str(item) for item in value]


def _cut(value: Any) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= VALUE_CHARS else text[:VALUE_CHARS] + "…"


def drift_details(recorded: Recorded) -> dict[str, Any] | None:
    """The drift comparison of a recorded run, with the baseline's metrics for the charts."""
    assessment = recorded.assessment
    baseline: BatchMetrics | None = assessment.baseline.metrics
    return {
        "baseline": assessment.baseline.described,
        "baseline_runs": list(assessment.baseline.run_ids),
        "run_id": recorded.run.run_id,
        "findings": [asdict(f) for f in assessment.drift.findings]
        if assessment.drift is not None
        else [],
        "baseline_profile": baseline.to_dict() if baseline is not None else None,
    }


def read_details(run_dir: Path) -> dict[str, Any] | None:
    """``details.json`` of a run folder, or None when the run did not write one."""
    path = run_dir / DETAILS_NAME
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else None
