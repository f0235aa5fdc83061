"""Profile, suggest and drift reports (`--html`), and reports in notebooks (`_repr_html_`)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from hostile_runs import HostileRun, hostile_batch, read_hostile
from markupsafe import escape
from report_payloads import PAYLOADS, assert_inert
from typer.testing import CliRunner

import rowsift
from rowsift._cli.app import app
from rowsift.monitor.store import open_store
from rowsift.monitor.watch import compare_with_run
from rowsift.recipe import load_recipe
from rowsift.recipe.ids import rule_ids
from rowsift.report.visible import visible


def cli(*args: object) -> str:
    result = CliRunner().invoke(app, [str(a) for a in args], env={"NO_COLOR": "1"})
    assert result.exit_code in (0, 4), result.output
    return result.output


@pytest.fixture(scope="module")
def hostile_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hostile_batch(
        tmp_path_factory.mktemp("pages") / "hostile.csv", rows=120, seed=1, shifted=False
    )


def test_profile_html_shows_every_column_and_payloads_as_text(
    hostile_csv: Path, tmp_path: Path
) -> None:
    target = tmp_path / "profile.html"
    cli("profile", hostile_csv, "--html", target)
    page = target.read_text(encoding="utf-8")
    assert_inert(page)
    for name in [*PAYLOADS, "amount"]:
        assert escape(visible(name, limit=80)) in page, name
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert page.count("<svg") >= len(PAYLOADS) + 1, "a chart per column"


def test_suggest_html_shows_every_rule_with_its_evidence(hostile_csv: Path, tmp_path: Path) -> None:
    target, recipe_path = tmp_path / "suggest.html", tmp_path / "recipe.yaml"
    cli("suggest", hostile_csv, "-o", recipe_path, "--html", target)
    page = target.read_text(encoding="utf-8")
    assert_inert(page)
    recipe = load_recipe(recipe_path)
    ids = [rule_id for _, rule_id in rule_ids(recipe)]
    assert ids, "the table gets rules"
    for rule_id in ids:
        assert escape(visible(rule_id, limit=120)) in page, rule_id
    statistics = {
        entry.args.evidence.statistic
        for spec in recipe.columns.values()
        for entry in spec.rules
        if entry.args.evidence is not None
    }
    assert statistics
    for statistic in statistics:
        assert escape(statistic) in page


def test_an_html_report_never_replaces_the_input(hostile_csv: Path) -> None:
    result = CliRunner().invoke(app, ["profile", str(hostile_csv), "--html", str(hostile_csv)])
    assert result.exit_code == 2
    assert "destroy the input" in result.output
    assert hostile_csv.read_text(encoding="utf-8").startswith("<script>window.__pwned=1")


def test_drift_html_shows_the_two_batches_side_by_side(
    hostile_run: HostileRun, tmp_path: Path
) -> None:
    target = tmp_path / "drift.html"
    cli(
        "drift",
        "--store",
        hostile_run.store,
        "--dataset",
        hostile_run.dataset,
        "--baseline",
        "previous",
        "--html",
        target,
    )
    page = target.read_text(encoding="utf-8")
    assert_inert(page)
    assert '<strong id="verdict">DRIFT</strong>' in page
    assert 'class="b1"' in page, "the batch is drawn beside the baseline"
    assert "amount" in page
    assert "drifted</span>" in page


class Frames(HTMLParser):
    """The iframes of a notebook cell."""

    def __init__(self) -> None:
        super().__init__()
        self.frames: list[dict[str, str | None]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "iframe":
            self.frames.append(dict(attrs))


def inner_page(cell: str) -> str:
    """The page a notebook cell frames; the cell is one sandboxed iframe and nothing else."""
    parser = Frames()
    parser.feed(cell)
    assert parser.tags == ["iframe"]
    (frame,) = parser.frames
    assert frame["sandbox"] == "allow-scripts", "scripts run, but in an origin of their own"
    assert "<" not in cell.split("srcdoc=", 1)[1].split(">", 1)[0], "the page is escaped"
    srcdoc = frame["srcdoc"]
    assert srcdoc is not None
    assert srcdoc.startswith("<!DOCTYPE html>")
    return srcdoc


def test_notebooks_show_runs_profiles_and_drift_in_a_sandboxed_frame(
    hostile_csv: Path, hostile_run: HostileRun
) -> None:
    frame = read_hostile(hostile_csv)
    result = rowsift.run(hostile_run.recipe, frame)
    page = inner_page(result._repr_html_())
    assert_inert(page)
    assert f"{result.summary.rows_quarantined:,}" in page
    assert "Quarantine explorer" in page
    assert "Clean output profile" in page

    page = inner_page(rowsift.profile_table(frame)._repr_html_())
    assert_inert(page)
    assert "rowsift profile" in page

    store = open_store(hostile_run.store, read_only=True)
    comparison = compare_with_run(
        store, baseline="previous", current=None, dataset=hostile_run.dataset
    )
    page = inner_page(comparison._repr_html_())
    assert_inert(page)
    assert "side by side" in page
