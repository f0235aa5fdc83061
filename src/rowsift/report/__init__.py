"""Reports: what runs, profiles and drift measured, as self-contained HTML and in the terminal.

Each report is made in two steps: summarise results into plain data (no table is read again),
then render that data (HTML with inline SVG charts, or Rich text for the terminal).

>>> import rowsift.report
>>> sorted(rowsift.report.__all__)[:2]
['render_drift_report', 'render_profile_report']
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rowsift.monitor.watch import Comparison
    from rowsift.profile import TableProfile
    from rowsift.recipe import Recipe

__all__ = [
    "render_drift_report",
    "render_profile_report",
    "render_run_report",
    "render_suggest_report",
    "write_html",
    "write_run_report",
]


def render_run_report(run_dir: str | Path) -> str:
    """The HTML report of the run whose outputs are in `run_dir` (from its summary and details)."""
    from rowsift.report.html import render
    from rowsift.report.run_page import run_page

    return render("run.html.j2", run_page(Path(run_dir)))


def write_run_report(run_dir: str | Path, target: str | Path | None = None) -> Path:
    """Write the run's report, by default as ``report.html`` in the run folder; return its path."""
    from rowsift.report.html import write_html

    folder = Path(run_dir)
    return write_html(render_run_report(folder), Path(target) if target else folder / "report.html")


def render_profile_report(prof: TableProfile, *, source: str = "a table") -> str:
    """The HTML report of a table's profile (from `rowsift.profile_table`; nothing is re-read).

    >>> import polars as pl, rowsift
    >>> html = render_profile_report(rowsift.profile_table(pl.DataFrame({"x": ["<x-y>", "2"]})))
    >>> "&lt;x-y&gt;" in html and "<x-y>" not in html
    True
    """
    from rowsift.report.html import render
    from rowsift.report.profile_page import profile_page

    return render("profile.html.j2", profile_page(prof, source=source))


def render_suggest_report(
    recipe: Recipe, prof: TableProfile, *, source: str = "a table", target: str = ""
) -> str:
    """The HTML report of a suggested recipe: every rule with its evidence and its chart."""
    from rowsift.report.html import render
    from rowsift.report.suggest_page import suggest_page

    return render("suggest.html.j2", suggest_page(recipe, prof, source=source, target=target))


def render_drift_report(comparison: Comparison) -> str:
    """The HTML report of a drift comparison (`rowsift.monitor.watch.compare_with_run`): the
    two batches side by side, every test, both distributions in one chart per column."""
    from rowsift.report.drift_page import drift_page
    from rowsift.report.html import render

    return render("drift.html.j2", drift_page(comparison))


def write_html(page: str, target: str | Path) -> Path:
    """Write a rendered report atomically (it appears whole or not at all); return its path."""
    from rowsift.report.html import write_html as written

    return written(page, Path(target))
