"""Golden cases in tests/conformance/cases run on every engine as written, and after a YAML trip."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

import pytest
import yaml
from tests.conftest import ENGINES, Engine

import rowsift
from rowsift.exceptions import UsageError
from rowsift.recipe.entries import (
    COLUMN_RULE_NAMES,
    DATASET_RULE_NAMES,
    ROW_RULE_NAMES,
    TRANSFORM_NAMES,
)
from rowsift.recipe.formats import DIRECTIVES, Directive, tokens
from rowsift.recipe.values import ColumnType
from rowsift.recipe.yaml_text import dump_yaml, parse_yaml

CASES_DIR = Path(__file__).parent / "cases"
CASE_KEYS = {"description", "input", "recipe", "expected", "refused"}
EXPECTED_KEYS = {"clean_rows", "quarantine", "clean_values", "failures", "status", "dataset"}
OPTIONAL_KEYS = ("clean_values", "failures", "status", "dataset")
ENGINE_NAMES = set(ENGINES)  # the `engine` fixture's params

# The vocabulary, read from the registries: every word must be exercised by some case.
RULES = set(COLUMN_RULE_NAMES)
ROW_RULES = set(ROW_RULE_NAMES)
DATASET_RULES = set(DATASET_RULE_NAMES)
TRANSFORMS = set(TRANSFORM_NAMES)
TYPES = set(get_args(ColumnType))

Table = dict[str, list[str | None]]


@dataclass(frozen=True)
class Case:
    """One golden case: a table of text, a recipe, and the outcome worked out by hand."""

    name: str
    description: str
    table: Table
    recipe: dict[str, Any]
    expected: dict[str, Any]
    refused: dict[str, Any] | None

    def refused_by(self, engine: str) -> str | None:
        """Why `engine` refuses this case with a usage error (documented), if it does."""
        if self.refused is None or engine not in self.refused["engines"]:
            return None
        return str(self.refused["reason"])


def table_of(rows: list[dict[str, Any]], where: str) -> Table:
    """Row mappings → columns; every row names the same columns, every value is text or null."""
    names = list(rows[0])
    for index, row in enumerate(rows):
        if list(row) != names:
            raise ValueError(f"{where}: input[{index}] has columns {list(row)}, expected {names}")
        for name, value in row.items():
            if value is not None and not isinstance(value, str):
                raise ValueError(f"{where}: input[{index}].{name} is {value!r}; quote it")
    return {name: [row[name] for row in rows] for name in names}


def load_case(path: Path) -> Case:
    """Read and check one case file; its recipe is read as rowsift reads recipes (YAML 1.2)."""
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    where = path.name
    if set(data) - CASE_KEYS or not {"description", "input", "recipe", "expected"} <= set(data):
        raise ValueError(f"{where}: keys {sorted(data)}, allowed {sorted(CASE_KEYS)}")
    expected = data["expected"]
    if set(expected) - EXPECTED_KEYS or not {"clean_rows", "quarantine"} <= set(expected):
        raise ValueError(f"{where}: expected keys {sorted(expected)}, allowed {EXPECTED_KEYS}")
    expected["quarantine"] = expected["quarantine"] or {}
    refused = data.get("refused")
    if refused is not None and (
        set(refused) != {"reason", "engines"} or set(refused["engines"]) - ENGINE_NAMES
    ):
        raise ValueError(f"{where}: refused needs a reason and engines of {ENGINE_NAMES}")
    return Case(
        name=path.stem,
        description=data["description"],
        table=table_of(data["input"], where),
        recipe=parse_yaml(text)[0]["recipe"],
        expected=expected,
        refused=refused,
    )


CASES = [load_case(path) for path in sorted(CASES_DIR.glob("*.yaml"))]


def as_yaml(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None)


def observed(case: Case, outcome: Any) -> dict[str, Any]:
    """The outcome in the shape of the case's `expected` block."""
    got: dict[str, Any] = {
        "clean_rows": sorted(outcome.clean),
        "quarantine": dict(sorted(outcome.quarantine.items())),
    }
    if "clean_values" in case.expected:
        got["clean_values"] = {
            row: {
                name: str(outcome.clean[row][name]) if row in outcome.clean else "<not clean>"
                for name in columns
            }
            for row, columns in case.expected["clean_values"].items()
        }
    if "failures" in case.expected:
        got["failures"] = dict(sorted(outcome.summary.failures.items()))
    if "status" in case.expected:
        got["status"] = outcome.summary.status
    if "dataset" in case.expected:
        got["dataset"] = {
            verdict.id: {"observed": verdict.observed, "passed": verdict.passed}
            for verdict in outcome.summary.dataset
        }
    return got


def wanted(case: Case) -> dict[str, Any]:
    """The case's `expected` block in a canonical order."""
    expected = dict(case.expected)
    expected["clean_rows"] = sorted(expected["clean_rows"])
    expected["quarantine"] = dict(sorted(expected["quarantine"].items()))
    if "failures" in expected:
        expected["failures"] = dict(sorted(expected["failures"].items()))
    keys = ("clean_rows", "quarantine", *OPTIONAL_KEYS)
    return {key: expected[key] for key in keys if key in expected}


def load_recipe(case: Case, route: str) -> rowsift.Recipe:
    """The case's recipe as YAML text; on the round-trip route, saved and loaded once more."""
    recipe = rowsift.load_recipe_text(dump_yaml(case.recipe), file=f"{case.name}.yaml")
    if route == "round-trip":
        again = rowsift.load_recipe_text(recipe.to_yaml())
        assert again == recipe
        recipe = again
    return recipe


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case(case: Case, engine: Any, request: pytest.FixtureRequest) -> None:
    check_case(case, "as-written", engine, request)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case_after_a_yaml_round_trip(case: Case, request: pytest.FixtureRequest) -> None:
    """The recipe saved and loaded again runs as written: the trip is engine-independent
    (`load_recipe` asserts the recipe comes back equal), so one engine runs it."""
    check_case(case, "round-trip", Engine(ROUND_TRIP_ENGINE), request)


ROUND_TRIP_ENGINE = "polars-eager"


def check_case(case: Case, route: str, engine: Any, request: pytest.FixtureRequest) -> None:
    """Run the case on `engine` by `route` and compare with what it expects."""
    recipe = load_recipe(case, route)
    if case.refused_by(engine.name):
        # the engine cannot run these names and says so: a usage error naming the column
        with pytest.raises(UsageError, match="engine cannot run a"):
            engine.run(recipe, case.table)
        return
    outcome = engine.run(recipe, case.table)

    rows = len(next(iter(case.table.values())))
    assert sorted(outcome.order) == list(range(rows)), "every row lands exactly once"
    for row, values in outcome.originals.items():
        given = {name: column[row] for name, column in case.table.items()}
        assert values == given, f"row {row}: the quarantine keeps the values as given"

    got, expected = observed(case, outcome), wanted(case)
    diff = "\n".join(
        difflib.unified_diff(
            as_yaml(expected).splitlines(),
            as_yaml(got).splitlines(),
            fromfile=f"{case.name}: expected",
            tofile=f"{case.name}: {engine.name}, {route}",
            lineterm="",
        )
    )
    assert got == expected, f"{case.description}\n{diff}"
    if case.name not in REPAIRS:
        REPAIRS[case.name] = repairs_by_prefixes(case)
    assert outcome.summary.repairs == REPAIRS[case.name], "rows each transform changed"


REPAIRS: dict[str, dict[str, dict[str, int]]] = {}
"""Each case's repair counts, worked out once (by `repairs_by_prefixes`) for every engine."""


def repairs_by_prefixes(case: Case) -> dict[str, dict[str, int]]:
    """Rows each transform of the case changed, worked out apart from the run's own counting.

    The case's columns are run once per chain length k with only their first k transforms
    (as text, no rules; Polars), and transform k counted on the rows whose value differs
    between the runs with k - 1 and k transforms (a null on one side only differs).
    """
    chains = {
        name: list((spec or {}).get("transforms", []))
        for name, spec in (case.recipe.get("columns") or {}).items()
    }
    grouped = {
        name
        for chain in chains.values()
        for entry in chain
        if isinstance(entry, dict) and "majority" in entry
        for name in entry["majority"]["by"]
    }
    # a `majority` reads its `by` columns: they stay declared (as text) when they have no chain
    chains = {name: chain for name, chain in chains.items() if chain or name in grouped}
    if not chains:
        return {}
    required = {name: (case.recipe["columns"][name] or {}).get("required", True) for name in chains}
    values: list[dict[str, list[Any]]] = []
    for length in range(max(len(chain) for chain in chains.values()) + 1):
        recipe = {
            "version": 1,
            **({"source": case.recipe["source"]} if "source" in case.recipe else {}),
            "columns": {
                name: {"transforms": chain[:length], "required": required[name]}
                for name, chain in chains.items()
            },
        }
        outcome = Engine(ROUND_TRIP_ENGINE).run(
            rowsift.load_recipe_text(dump_yaml(recipe)), case.table
        )
        assert not outcome.quarantine
        rows = sorted(outcome.clean)
        values.append({name: [outcome.clean[row][name] for row in rows] for name in chains})
    counts: dict[str, dict[str, int]] = {}
    for name, chain in chains.items():
        names = [next(iter(entry)) if isinstance(entry, dict) else entry for entry in chain]
        for step, word in enumerate(names, start=1):
            key = f"{word}#{names[:step].count(word)}" if names.count(word) > 1 else word
            before, after = values[step - 1][name], values[step][name]
            counts.setdefault(name, {})[key] = sum(
                a != b for a, b in zip(before, after, strict=True)
            )
    return counts


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 40


def kinds(entries: list[Any]) -> set[str]:
    """The names of rule or transform entries (``not_null`` or ``{between: {...}}``)."""
    return {next(iter(entry)) if isinstance(entry, dict) else entry for entry in entries}


def test_every_word_of_the_vocabulary_has_a_case() -> None:
    rules: set[str] = set()
    row_rules: set[str] = set()
    dataset_rules: set[str] = set()
    transforms: set[str] = set()
    types: set[str] = set()
    for case in CASES:
        for written in (case.recipe.get("columns") or {}).values():
            spec = written or {}
            types.add(spec.get("type", "string"))
            rules |= kinds(spec.get("rules", []))
            transforms |= kinds(spec.get("transforms", []))
        row_rules |= kinds(case.recipe.get("rows", []))
        dataset_rules |= kinds(case.recipe.get("dataset", []))
    assert (rules, row_rules, dataset_rules, transforms, types) == (
        RULES,
        ROW_RULES,
        DATASET_RULES,
        TRANSFORMS,
        TYPES,
    )


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_expected_rows_are_the_input_rows(case: Case) -> None:
    rows = len(next(iter(case.table.values())))
    clean, quarantined = set(case.expected["clean_rows"]), set(case.expected["quarantine"])
    assert not clean & quarantined
    assert clean | quarantined == set(range(rows))
    assert all(case.expected["quarantine"].values()), "a quarantined row has a reason"


def test_every_format_directive_has_a_case() -> None:
    written = {
        token.letter
        for case in CASES
        for spec in (case.recipe.get("columns") or {}).values()
        if spec and spec.get("format")
        for token in tokens(spec["format"])
        if isinstance(token, Directive)
    }
    assert written == set(DIRECTIVES)
