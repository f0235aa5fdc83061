"""Reports: what runs, profiles and drift measured, as self-contained HTML and in the terminal.

Each report is made in two steps: summarise results into plain data (no table is read again),
then render that data (HTML with inline SVG charts, or Rich text for the terminal).

>>> import rowsift.report
>>> sorted(rowsift.report.__all__)[:2]
['render_run_report', 'write_run_report']
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["render_run_report", "write_run_report"]


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
