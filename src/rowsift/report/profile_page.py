"""A table's profile as plain data for its HTML report (`rowsift profile INPUT --html`).

Everything comes from the `TableProfile` the profiler already computed: no table is read here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rowsift.report.charts import Chart, density, number, top_values
from rowsift.report.visible import visible

if TYPE_CHECKING:
    from rowsift.profile import ColumnProfile, TableProfile

#: the charts show this many top values
TOP_SHOWN = 8
#: the report lists this many dependencies, the strongest first
DEPENDENCIES_SHOWN = 50


def column_chart(column: ColumnProfile) -> Chart | None:
    """The column's distribution (from its quantiles) or its most frequent values."""
    name = visible(column.name, limit=60)
    numeric = column.numeric
    if numeric is not None and column.inferred_type in ("int", "float", "decimal"):
        inner = {q: v for q, v in numeric.quantiles.items() if 0.01 <= q <= 0.99}
        chart = density(
            f"Distribution of {name} (1% to 99% quantiles; bar height is the share per unit)",
            inner,
        )
        if chart is not None:
            return chart
    top = column.top(TOP_SHOWN)
    if not top:
        return None
    return top_values(
        f"Most frequent values of {name} (share of present values)",
        [dict(top)],
        [column.present or 1],
        limit=TOP_SHOWN,
    )


def column_row(column: ColumnProfile) -> dict[str, Any]:
    """One column of a profile, ready to show."""
    numeric = column.numeric
    quantiles = numeric.quantiles if numeric is not None else {}
    null_like = sum(column.null_like.values())
    present = column.present or 1
    return {
        "name": visible(column.name, limit=80),
        "type": column.inferred_type + (f" {column.format}" if column.format else ""),
        "parse_share": column.parse_share,
        "semantic": column.semantic,
        "semantic_reason": visible(column.semantic_reason, limit=200),
        "nulls": column.nulls,
        "null_like": null_like,
        "null_tokens": ", ".join(visible(t, limit=20) for t in column.null_like),
        "null_rate": (column.nulls + null_like) / column.rows if column.rows else 0.0,
        "distinct": column.distinct,
        "shapes": [
            {"shape": visible(s.shape, limit=40), "share": s.count / present}
            for s in column.shapes[:3]
        ],
        "min": number(numeric.min) if numeric is not None else "",
        "median": number(quantiles.get(0.5)) if quantiles else "",
        "max": number(numeric.max) if numeric is not None else "",
        "lengths": f"{column.min_length}–{column.max_length}"
        if column.min_length is not None
        else "",
        "chart": column_chart(column),
    }


def profile_page(prof: TableProfile, *, source: str) -> dict[str, Any]:
    """Everything the profile report shows, as plain data."""
    sampled = prof.sampled_rows < prof.rows
    notes = []
    if sampled:
        notes.append(
            f"Shares were measured on {prof.sampled_rows:,} sampled rows "
            f"(about ±{prof.margin:.1%})."
        )
    if prof.parse_failures:
        notes.append(
            f"{prof.parse_failures:,} records could not be split into the header's fields: they "
            "are not profiled (a run quarantines them as row.parse)."
        )
    title = f"rowsift profile: {visible(source, limit=80)}"
    return {
        "title": title,
        "source": visible(source, limit=300),
        "counts": {
            "rows": f"{prof.rows:,}",
            "columns": f"{len(prof.columns):,}",
            "duplicates": f"{prof.duplicate_rows:,}",
            "examined": f"{prof.sampled_rows:,}",
        },
        "notes": notes,
        "columns": [column_row(column) for column in prof.columns],
        "keys": [" + ".join(visible(name, limit=60) for name in key) for key in prof.keys],
        "dependencies": [
            {
                "determinant": visible(d.determinant, limit=60),
                "dependent": visible(d.dependent, limit=60),
                "share": d.share,
                "support": d.support,
                "groups": d.groups,
                "mu": d.mu,
            }
            for d in prof.dependencies[:DEPENDENCIES_SHOWN]
        ],
        "more_dependencies": max(0, len(prof.dependencies) - DEPENDENCIES_SHOWN),
        "data": {"rows": prof.rows, "columns": len(prof.columns)},
        "footer": "Made by rowsift from the table's profile; this file needs no network.",
    }
