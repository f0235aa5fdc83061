"""Quarantined rows by reason for the terminal, as Rich objects built from text, never markup."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.table import Table
from rich.text import Text

from rowsift._names import JOINED_RULE_ID, LINE, PARSE_RULE_ID, RAW, REASONS, ROW
from rowsift.exceptions import InputError, UsageError
from rowsift.report.run_page import read_summary
from rowsift.report.visible import visible

#: cells are cut to this many characters in the terminal
CELL_CHARS = 60


@dataclass(frozen=True, kw_only=True)
class ReasonRows:
    """The quarantined rows of one reason, as read: the first `limit` of `total`."""

    reason: str
    total: int
    columns: list[str]
    blamed: list[str]
    rows: list[dict[str, Any]]


JOINED_HINT = (
    "to list them, read the input with rowsift.io.read_table and keep the records with a raw "
    "text and no parse failure (docs/loading.md)"
)
"""How to find the records read back (``row.joined``), which stay in the clean output."""
WARNED_HINT = "give the rule severity: error to quarantine its rows, and show lists them"
"""How to see the rows of another warn-severity rule, which `show` cannot list."""


def quarantined_by_reason(
    run_dir: Path, *, reason: str | None = None, limit: int = 10
) -> list[ReasonRows]:
    """The run's quarantined rows grouped by reason (every reason, or one), lowest row first."""
    import polars as pl

    from rowsift.io.formulas import written_names
    from rowsift.io.write import OutputFormat, scan_written
    from rowsift.report.details import read_details

    if limit < 1:
        raise UsageError(f"--limit must be at least 1, got {limit}", hint="e.g. --limit 10")
    summary = read_summary(run_dir)
    target = next(
        (
            run_dir / f"quarantine.{fmt}"
            for fmt in ("parquet", "csv")
            if (run_dir / f"quarantine.{fmt}").exists()
        ),
        None,
    )
    if target is None:
        raise InputError(f"{run_dir} holds no quarantine output", hint="run the recipe again")
    fmt: OutputFormat = "parquet" if target.suffix == ".parquet" else "csv"
    # row and line numbers as numbers: a CSV is read as text, and "10" sorts before "9"
    scan = scan_written(target, fmt, {ROW: "int", LINE: "int"})
    schema = scan.collect_schema()
    reasons = pl.col(REASONS)
    if schema[REASONS] == pl.String:
        reasons = reasons.str.json_decode(pl.List(pl.String))
    scan = scan.with_columns(reasons.alias(REASONS))
    rules = summary.get("rules", [])
    failing = [rule["id"] for rule in rules if rule.get("failed")]
    if reason is not None and reason not in failing:
        raise UsageError(
            f"no row of this run was quarantined for {reason!r}",
            hint=f"reasons of this run: {', '.join(failing) or 'none'}",
        )
    details = read_details(run_dir) or {}
    blamed_of: dict[str, list[str]] = details.get("rule_columns", {})
    data = [n for n in schema.names() if not n.startswith("_rowsift_")]
    found = []
    for rule_id in [reason] if reason is not None else failing:
        chosen = scan.filter(pl.col(REASONS).list.contains(rule_id))
        total = int(chosen.select(pl.len()).collect().item())
        if not total:
            continue
        blamed = (
            [RAW]
            if rule_id == PARSE_RULE_ID
            else blamed_of.get(rule_id, [rule_id.rsplit(".", 1)[0]])
        )
        # a CSV output may have written the name neutralised (`'@timestamp`)
        blamed = written_names(blamed, schema.names())
        columns = [*blamed, *[n for n in data if n not in blamed]]
        rows = chosen.sort(ROW).head(limit).collect().to_dicts()
        found.append(
            ReasonRows(reason=rule_id, total=total, columns=columns, blamed=blamed, rows=rows)
        )
    warned = next((r for r in rules if r["id"] == reason and r.get("severity") == "warn"), None)
    if warned is not None and not found:
        raise UsageError(
            f"no row of this run was quarantined for {reason!r}: a warn-severity rule, the "
            f"{warned['failed']:,} rows it failed stay in the clean output",
            hint=JOINED_HINT if reason == JOINED_RULE_ID else WARNED_HINT,
        )
    return found


def reason_table(group: ReasonRows, width: int | None = None) -> Table:
    """One reason's rows: line, the failing cell marked with ✗, the other values, every reason.

    Given the terminal's `width`, the other values are the columns that fit beside the line,
    the failing cells and the reasons; the caption counts those left out.
    """
    title = Text(f"{visible(group.reason, limit=80)}: {group.total:,} rows")
    if group.total > len(group.rows):
        title.append(f" (first {len(group.rows)})")
    columns = group.columns if width is None else _fitting(group, width)
    left_out = len(group.columns) - len(columns)
    caption = (
        Text(
            f"{left_out} more column(s) not shown: widen the terminal, or see them with --json "
            "or in `rowsift report`"
        )
        if left_out
        else None
    )
    table = Table(
        title=title, title_justify="left", show_edge=False, caption=caption, caption_justify="left"
    )
    table.add_column(Text("line"), justify="right")
    for name in columns:
        header = Text(visible(name, limit=30))
        if name in group.blamed:
            header.append(" ✗", style="bold red")
        table.add_column(header)
    table.add_column(Text("reasons"))
    for row in group.rows:
        cells: list[Text] = [
            Text(str(row.get(LINE) if row.get(LINE) is not None else row.get(ROW)))
        ]
        for name in columns:
            value = row.get(name)
            if name in group.blamed:
                cell = Text("✗ ", style="bold red")
                cell.append(_cell(value), style="bold")
            else:
                cell = Text(_cell(value), style="dim" if value is None else "")
            cells.append(cell)
        reasons = row.get(REASONS) or []
        cells.append(Text(", ".join(visible(r, limit=60) for r in reasons)))
        table.add_row(*cells)
    return table


def _fitting(group: ReasonRows, width: int) -> list[str]:
    """The failing columns, then the others in order while their widths fit in `width`.

    A column needs the wider of its header and its longest shown cell, plus 3 characters of
    padding and rule; the line number and the reasons always have their room.
    """

    def needed(name: str, header_extra: int = 0) -> int:
        cells = [len(_cell(row.get(name))) for row in group.rows]
        header = min(len(visible(name, limit=30)), 30) + header_extra
        return max([header, *cells]) + 3

    line = max([4, *(len(str(row.get(LINE) or row.get(ROW))) for row in group.rows)]) + 3
    reasons = max([7, *(len(", ".join(row.get(REASONS) or [])) for row in group.rows)]) + 3
    used = line + min(reasons, 40) + sum(needed(name, 2) for name in group.blamed)
    chosen = list(group.blamed)
    for name in group.columns:
        if name in group.blamed:
            continue
        cost = needed(name)
        if used + cost > width:
            break
        chosen.append(name)
        used += cost
    return chosen


def _cell(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, list):
        return visible(json.dumps(value), limit=CELL_CHARS)
    return visible(value, limit=CELL_CHARS)
