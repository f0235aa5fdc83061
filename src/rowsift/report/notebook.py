"""Reports in notebooks: ``_repr_html_`` of a run result, a profile and a drift comparison.

A notebook shows the same self-contained report as the command line, inside an ``<iframe>``
whose ``srcdoc`` holds the escaped page and whose ``sandbox`` lets only the page's own script
run, in an origin of its own: the report cannot reach the notebook, its cookies or its kernel,
and nothing from the data can leave the frame as markup.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from rowsift.monitor.watch import Comparison
    from rowsift.profile import TableProfile
    from rowsift.summary import RunSummary


class RunResult(Protocol):
    """What `rowsift.run` returns (`rowsift.api.RunResult`, a layer above reports)."""

    @property
    def clean(self) -> Any: ...
    @property
    def quarantine(self) -> Any: ...
    @property
    def summary(self) -> RunSummary: ...


#: the frame's height in pixels; the report scrolls inside it
HEIGHT = 640


def framed(page: str, *, title: str) -> str:
    """`page` (a whole HTML document) in a sandboxed frame, for a notebook's output cell.

    >>> framed('<p title="a">x & y</p>', title="r").split(" style=")[0][42:]
    'srcdoc="&lt;p title=&quot;a&quot;&gt;x &amp; y&lt;/p&gt;"'
    """
    return (
        f'<iframe sandbox="allow-scripts" title="{html.escape(title, quote=True)}" '
        f'srcdoc="{html.escape(page, quote=True)}" '
        f'style="width:100%;height:{HEIGHT}px;border:1px solid #d0d7de"></iframe>'
    )


def framed_profile(prof: TableProfile) -> str:
    """A table's profile report, framed."""
    from rowsift.report import render_profile_report

    return framed(render_profile_report(prof), title="rowsift profile")


def framed_drift(comparison: Comparison) -> str:
    """A drift comparison's report, framed."""
    from rowsift.report import render_drift_report

    return framed(render_drift_report(comparison), title="rowsift drift")


def _blamed(rule_ids: list[str], names: list[str]) -> dict[str, list[str]]:
    """Rule id → its column, read from the id (a frame's run keeps no recipe to ask)."""
    found: dict[str, list[str]] = {}
    for rule_id in rule_ids:
        owner = rule_id.rsplit(".", 1)[0]
        owner = owner.removeprefix("columns.") if owner not in names else owner
        found[rule_id] = [owner] if owner in names else []
    return found


def run_result_page(result: RunResult) -> dict[str, Any]:
    """A `rowsift.run` result's report data: its summary, its clean frame measured, and the
    first quarantined rows per reason."""
    import narwhals.stable.v2 as nw

    from rowsift.monitor.measure import measure_batch
    from rowsift.report.details import examples_of
    from rowsift.report.run_page import page_from

    summary = result.summary.to_dict()
    quarantine = nw.from_native(result.quarantine)
    if isinstance(quarantine, nw.LazyFrame):
        quarantine = quarantine.collect()
    polars_frame = quarantine.to_polars()
    blamed = _blamed([rule["id"] for rule in summary.get("rules", [])], polars_frame.columns)
    details = {
        "profile": measure_batch(result.clean).to_dict(),
        "examples": examples_of(polars_frame.lazy(), blamed),
    }
    return page_from(summary, details, source="a frame in memory (rowsift.run)")


def framed_run(result: RunResult) -> str:
    """A run result's report, framed."""
    from rowsift.report.html import render

    return framed(render("run.html.j2", run_result_page(result)), title="rowsift run report")
