"""Do exported GX suites and pandera schemas fail the rows rowsift quarantines?

Over the conformance cases (tests/conformance/cases), each recipe is exported, run by the
library itself on the values rowsift typed (transforms applied, rows that fail a cast left out:
the contracts judge typed values), and compared rule by rule with rowsift's reasons:

- ``exact`` kinds (mapping table): the same rows must fail;
- ``verdict`` kinds: the check must fail exactly when rowsift's rule fails some row;
- warn rules and dataset rules are not compared (rowsift's reasons list error rules only).

A pair that differs is "documented" when the case holds what docs/peers.md names as a deliberate
difference (NaN in a float column, which GX counts as missing and pandera orders above every
number); anything else is a disagreement.

    python -m bench.export.peer_agreement            # every case, both libraries
    python -m bench.export.peer_agreement gx 20      # GX on the first 20 cases
"""

from __future__ import annotations

import json
import math
import os
import sys
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

import rowsift
from rowsift._names import REASONS, ROW
from rowsift.export.contracts.mapping import cell
from rowsift.recipe import Recipe

CASES = Path(__file__).resolve().parents[2] / "tests" / "conformance" / "cases"


@dataclass
class Tally:
    """Rule-by-case comparisons and their outcomes."""

    outcomes: Counter[str] = field(default_factory=Counter)
    disagreements: list[str] = field(default_factory=list)

    def add(self, outcome: str, detail: str = "") -> None:
        self.outcomes[outcome] += 1
        if outcome == "disagree":
            self.disagreements.append(detail)


@dataclass(frozen=True)
class Judged:
    """A case run by rowsift: its typed rows and the rows each error rule failed."""

    recipe: Recipe
    typed: pl.DataFrame
    failed: dict[str, set[int]]
    has_nan: bool
    complete: bool
    """No row left out for a failed cast: row-set rules compare only then."""
    decimal: bool
    null_keys: bool
    empty_text: bool = False
    """Some text column holds an empty text after transforms."""
    """Some declared column holds a null (pandera's `unique` counts null as a value)."""


def load_cases(limit: int | None = None) -> list[tuple[str, dict[str, Any], list[dict[str, Any]]]]:
    """(name, recipe data, input rows) of each conformance case that runs as written."""
    import yaml

    found = []
    for path in sorted(CASES.glob("*.yaml"))[:limit]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "refused" not in data:
            found.append((path.stem, data["recipe"], data["input"]))
    return found


def judge(recipe_data: dict[str, Any], rows: list[dict[str, Any]]) -> Judged | None:
    """rowsift's outcome, and its typed values; None when the recipe is not valid."""
    from rowsift.recipe.yaml_text import dump_yaml

    try:
        recipe = rowsift.load_recipe_text(dump_yaml(recipe_data))
    except rowsift.RecipeError:
        return None
    names = list(rows[0])
    frame = pl.DataFrame(
        {n: [row[n] for row in rows] for n in names}, schema=dict.fromkeys(names, pl.String)
    )
    result = rowsift.run(recipe, frame)
    failed: dict[str, set[int]] = {}
    for row, reasons in zip(result.quarantine[ROW], result.quarantine[REASONS], strict=True):
        for reason in reasons:
            failed.setdefault(reason, set()).add(row)
    types_only = recipe.model_copy(
        update={
            "columns": {
                name: spec.model_copy(update={"rules": []}) for name, spec in recipe.columns.items()
            },
            "rows": [],
            "dataset": [],
        }
    )
    typed = rowsift.run(types_only, frame).clean
    has_nan = any(
        typed[name].dtype.is_float() and typed[name].is_nan().any()
        for name in typed.columns
        if name in recipe.columns
    )
    decimal = any(spec.type == "decimal" for spec in recipe.columns.values())
    return Judged(
        recipe=recipe,
        typed=typed,
        failed=failed,
        has_nan=has_nan,
        complete=typed.height == len(rows),
        decimal=decimal,
        null_keys=any(typed[n].null_count() > 0 for n in recipe.columns if n in typed.columns),
        empty_text=any(
            typed[n].dtype == pl.String and (typed[n] == "").any()
            for n in recipe.columns
            if n in typed.columns
        ),
    )


def compare(
    peer: str, rule_id: str, kind: str, found: set[int], judged: Judged, tally: Tally, case: str
) -> None:
    """One rule of one case: the peer's failing rows against rowsift's."""
    fidelity = cell(kind, peer).fidelity  # type: ignore[arg-type]
    if kind in ("unique", "duplicate") and not judged.complete:
        tally.add("not comparable")  # rows that failed a cast are not in the peer's table
        return
    expected = {row for row in judged.failed.get(rule_id, set()) if row in set(judged.typed[ROW])}
    same = found == expected if fidelity == "exact" else bool(found) == bool(expected)
    if same:
        tally.add("agree")
    elif judged.has_nan or (peer == "gx" and judged.decimal):
        tally.add("documented")
    elif peer == "frictionless" and judged.empty_text:
        tally.add("documented")  # an empty text is a value in rowsift, missing in Table Schema
    elif peer == "pandera" and kind == "unique" and judged.null_keys:
        tally.add("documented")  # pandera counts two nulls as a repeated value
    else:
        tally.add(
            "disagree", f"{case} {rule_id}: {peer} {sorted(found)}, rowsift {sorted(expected)}"
        )


# -- Great Expectations ------------------------------------------------------------------------

_GX: list[Any] = []


def gx_batch(frame: Any) -> Any:
    """A GX batch of a pandas frame (one ephemeral context)."""
    if not _GX:
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        import great_expectations as gx

        context = gx.get_context(mode="ephemeral")
        asset = context.data_sources.add_pandas("rowsift").add_dataframe_asset("table")
        _GX.append(asset.add_batch_definition_whole_dataframe("whole"))
    return _GX[0].get_batch(batch_parameters={"dataframe": frame})


def gx_case(case: str, judged: Judged, tally: Tally) -> None:
    """Run the exported suite with GX and compare each rule-level expectation."""
    import great_expectations as gx

    from rowsift.export.contracts.gx import to_gx

    suite_data = json.loads(to_gx(judged.recipe))
    try:
        suite = gx.ExpectationSuite(**suite_data)
    except Exception as error:
        tally.add("disagree", f"{case}: GX refused the suite: {str(error).splitlines()[0]}")
        return
    frame = judged.typed.to_pandas()
    rows = list(judged.typed[ROW])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = gx_batch(frame).validate(suite, result_format="COMPLETE")
    for outcome in result.results:
        config = outcome.expectation_config
        rule_id = (config.meta or {}).get("rowsift_rule_id")
        kind = rule_kind(judged.recipe, rule_id)
        if (
            rule_id is None
            or kind is None
            or rule_id.startswith("dataset.")
            or config.severity != "critical"
        ):
            continue
        if outcome.exception_info.get("raised_exception"):
            tally.add(
                "disagree",
                f"{case} {rule_id}: GX raised {outcome.exception_info.get('exception_message')}",
            )
            continue
        index = outcome.result.get("unexpected_index_list") or []
        found = {rows[int(position)] for position in index if not _is_nan(position)}
        if not index and not outcome.success:
            found = {-1}  # failed, tied to no row
        compare("gx", rule_id, kind, found, judged, tally, case)


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def rule_kind(recipe: Recipe, rule_id: str | None) -> str | None:
    from rowsift.recipe.ids import rule_ids

    for location, found in rule_ids(recipe):
        if found == rule_id:
            if location[0] == "columns":
                return recipe.columns[str(location[1])].rules[int(location[3])].kind
            entries = recipe.rows if location[0] == "rows" else recipe.dataset
            return entries[int(location[1])].kind
    return None


def run(peers: list[str], limit: int | None = None, every: int = 1) -> dict[str, Tally]:
    """Every case (or every `every`-th), every peer asked for."""
    tallies = {peer: Tally() for peer in peers}
    for name, recipe_data, rows in load_cases(limit)[::every]:
        judged = judge(recipe_data, rows)
        if judged is None or judged.typed.height == 0:
            continue
        for peer in peers:
            if peer == "gx":
                gx_case(name, judged, tallies[peer])
            elif peer == "frictionless":
                from bench.export.frictionless_agreement import frictionless_case

                frictionless_case(name, judged, tallies[peer])
            else:
                from bench.export.pandera_agreement import pandera_case

                pandera_case(name, judged, tallies[peer])
    return tallies


def main() -> None:
    peers = [sys.argv[1]] if len(sys.argv) > 1 else ["gx", "pandera"]
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else None
    for peer, tally in run(peers, limit).items():
        print(peer, dict(tally.outcomes))
        for line in tally.disagreements:
            print("  ", line)


if __name__ == "__main__":
    main()
