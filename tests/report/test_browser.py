"""What a person sees: the report and the dashboard in Debian's chromium, driven by Playwright.

Screenshots in light and dark mode are kept in test-artifacts/ (not versioned).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from dashboard_server import free_port, served
from hostile_runs import HostileRun, hostile_frame
from playwright.sync_api import expect

import rowsift
from rowsift.demo import orders_csv_path, orders_recipe_path
from rowsift.report import write_run_report
from rowsift.report.dashboard import DashboardSettings

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "report"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Debian's chromium (scripts/test-services.sh installs it), a fresh profile each session."""
    from playwright.sync_api import sync_playwright

    binary = os.environ.get("ROWSIFT_CHROMIUM") or shutil.which("chromium")
    assert binary, "chromium is missing: run scripts/test-services.sh (installs Debian's chromium)"
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=binary, args=CHROMIUM_ARGS, headless=True
        )
        context.set_default_timeout(10_000)
        yield context
        context.close()


class Watched:
    """A page whose console errors, page errors and dialogs are collected."""

    def __init__(self, context: Any, scheme: str = "light") -> None:
        self.page = context.new_page()
        self.page.emulate_media(color_scheme=scheme)
        self.page.set_viewport_size({"width": 1280, "height": 900})
        self.errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        self.page.on("dialog", self._dialog)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def _dialog(self, dialog: Any) -> None:
        self.errors.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def assert_quiet(self) -> None:
        assert self.errors == []
        assert self.page.evaluate("typeof window.__pwned") == "undefined"

    def shoot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "out"
    rowsift.run_file(orders_recipe_path(), orders_csv_path(), out, monitor=False)
    return write_run_report(out)


def numbers(page: Any, selector: str) -> list[float]:
    cells = page.locator(selector).all_inner_texts()
    return [float(text.replace(",", "").rstrip("%")) for text in cells]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_demo_report_sorts_filters_and_reads(
    browser: Any, demo_report: Path, scheme: str
) -> None:
    watched = Watched(browser, scheme)
    page = watched.page
    page.goto(demo_report.as_uri())
    assert page.locator("#verdict").inner_text() == "WARN"
    assert page.locator("#rows-in").is_visible()
    assert page.locator("figure svg[role=img]").first.is_visible()
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (background == "rgb(13, 17, 23)") == (scheme == "dark")
    watched.shoot(f"run-report-{scheme}")
    # sorting: "rows failed" descending after two clicks
    header = page.locator("#rules-table th", has_text="rows failed").locator("button")
    header.click()
    ascending = numbers(page, "#rules-table tbody tr td:nth-child(3)")
    assert ascending == sorted(ascending)
    header.click()
    descending = numbers(page, "#rules-table tbody tr td:nth-child(3)")
    assert descending == sorted(ascending, reverse=True)
    assert (
        page.locator("#rules-table th", has_text="rows failed").get_attribute("aria-sort")
        == "descending"
    )
    # filtering the quarantine explorer
    page.locator("#example-filter").fill("EUR")
    visible = page.locator("table.examples tbody tr:visible")
    assert visible.count() >= 1
    assert all("EUR" in text for text in visible.all_inner_texts())
    page.locator("#example-filter").fill("")
    # the profile's columns, filtered
    page.locator("input[data-filter='#profile-table tbody tr']").fill("amount")
    assert page.locator("#profile-table tbody tr:visible").count() == 1
    watched.assert_quiet()


def test_hostile_report_runs_no_script(browser: Any, hostile_run: HostileRun) -> None:
    report = write_run_report(hostile_run.out)
    watched = Watched(browser)
    watched.page.goto(report.as_uri())
    assert "<script>window.__pwned=1</script>" in watched.page.locator("h1").inner_text()
    watched.page.locator("input[type=search]").first.fill("pwned")
    watched.shoot("hostile-report")
    watched.assert_quiet()


def _click_through(watched: Watched, base: str, dataset: str, name: str) -> None:
    page = watched.page
    page.goto(base + "/")
    link = page.get_by_role("link", name=dataset)
    assert link.is_visible()
    watched.shoot(f"{name}-datasets")
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith("/dataset?name=" + quote(dataset, safe=""))
    assert page.locator("#heatmap").is_visible()
    watched.shoot(f"{name}-dataset")
    page.locator("figure svg a").last.click()  # a point of a timeline: the newest run
    page.wait_for_load_state()
    assert "/run/" in page.url
    assert page.locator("#verdict").is_visible()
    watched.shoot(f"{name}-run")
    page.goto(base + "/alerts")
    assert page.locator("#alerts-table tbody tr").count() >= 1
    watched.assert_quiet()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_dashboard_on_duckdb(browser: Any, hostile_run: HostileRun, scheme: str) -> None:
    settings = DashboardSettings(store=str(hostile_run.store), port=free_port())
    with served(settings) as base:
        _click_through(Watched(browser, scheme), base, hostile_run.dataset, f"duckdb-{scheme}")


def test_dashboard_on_postgresql(browser: Any, postgres_hostile_run: HostileRun) -> None:
    settings = DashboardSettings(store=str(postgres_hostile_run.store), port=free_port())
    with served(settings) as base:
        _click_through(Watched(browser), base, postgres_hostile_run.dataset, "postgresql")


def test_a_notebook_frame_runs_only_the_reports_script(
    browser: Any, hostile_run: HostileRun, tmp_path: Path
) -> None:
    """A profile as a notebook shows it: its sandboxed frame sorts, and no payload runs."""
    frame = hostile_frame(tmp_path)
    cell = rowsift.profile_table(frame)._repr_html_()
    notebook = tmp_path / "notebook.html"
    notebook.write_text(f"<!DOCTYPE html><html><body>{cell}</body></html>", encoding="utf-8")
    watched = Watched(browser)
    watched.page.goto(notebook.as_uri())
    # the report's frame has loaded (its script has run) before its button is clicked, and the
    # sorted state is awaited: the sandboxed frame may live in a process of its own
    report = next(f for f in watched.page.frames if f is not watched.page.main_frame)
    report.wait_for_load_state("load")
    inner = watched.page.frame_locator("iframe")
    header = inner.locator("#profile-columns-table th", has_text="distinct")
    # the frame's document may still be the blank one it starts with when "load" is reported:
    # a click before the report's script has bound its buttons is lost, so click until sorted
    for _ in range(20):
        header.locator("button").click()
        if header.get_attribute("aria-sort") == "ascending":
            break
        watched.page.wait_for_timeout(250)
    expect(header).to_have_attribute("aria-sort", "ascending")  # the report's script ran
    assert inner.locator("#profile-columns-table tbody tr").count() == len(frame.columns)
    watched.assert_quiet()
    watched.shoot("notebook-profile")
