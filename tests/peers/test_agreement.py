"""rowsift's rules against the published definitions of Great Expectations and pandera.

Every file in tests/peers/cases holds tables of text and, for each table, cases: one peer check
with its arguments, the rowsift rule it maps to, and the rows the peer finds unexpected (and, for
GX, its `success`). A case with `differs` is a deliberate difference, explained in docs/peers.md
under its reason; rowsift's own outcome is pinned there instead.

- Each peer, run live (GX on pandas, pandera with its Polars backend), gives the outcome its cases
  state, so the files say what the peers do, not what we remember of them.
- rowsift, on every engine, gives the live peer's outcome, or the documented one where it differs.
  All the cases of a table run as one recipe, so each engine runs once per table.
- On generated tables, rowsift agrees with pandera's own checks on every engine.

The table of figures printed at the end of the run comes from tests/peers/agreement_log.py.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rowsift

CASES_DIR = Path(__file__).parent / "cases"
PEERS_DOC = Path(__file__).resolve().parents[2] / "docs" / "peers.md"
PEERS = ("gx", "pandera")
SLOW_ENGINES = frozenset({"dask", "spark"})

FILE_KEYS = {"check", "tables"}
TABLE_KEYS = {"name", "description", "source", "columns", "cases"}
COLUMN_KEYS = {"type", "values", "transforms"}
CASE_KEYS = {"id", "about", "peer", "check", "args", "column", "columns", "rowsift"}
CASE_KEYS |= {"unexpected", "success", "differs"}
ROWSIFT_KEYS = {"column", "rule", "row", "dataset"}
TYPES = ("string", "int", "float")

# The checks in scope, by peer (docs/peers.md has the table); pandera has no row-count check.
GX_CHECKS = {
    "expect_column_values_to_not_be_null",
    "expect_column_values_to_match_regex",
    "expect_column_values_to_be_between",
    "expect_column_values_to_be_in_set",
    "expect_column_values_to_be_unique",
    "expect_column_value_lengths_to_be_between",
    "expect_column_value_lengths_to_equal",
    "expect_compound_columns_to_be_unique",
    "expect_table_row_count_to_be_between",
    "expect_table_row_count_to_equal",
}
PANDERA_CHECKS = {"nullable", "str_matches", "str_contains", "in_range", "ge", "gt", "le", "lt"}
PANDERA_CHECKS |= {"isin", "unique", "str_length", "unique_columns"}


# -- the case files ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """A check's outcome: the rows it finds unexpected and whether the table passes."""

    unexpected: tuple[int, ...]
    success: bool


@dataclass(frozen=True)
class Column:
    """One column of a table: its type, rowsift transforms (if any) and values as text."""

    name: str
    type: str
    values: tuple[str | None, ...]
    transforms: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Case:
    """One peer check on a table, the rowsift rule it maps to, and both outcomes."""

    key: str
    peer: str
    check: str
    args: dict[str, Any]
    columns: tuple[str, ...]
    rowsift: dict[str, Any]
    peer_verdict: Verdict
    rowsift_verdict: Verdict
    reason: str | None
    """The deliberate difference, an anchor in docs/peers.md; None where rowsift agrees."""


@dataclass(frozen=True)
class Table:
    """Columns of text and the cases judged on them: one recipe, one run per engine."""

    name: str
    columns: tuple[Column, ...]
    cases: tuple[Case, ...]
    source: dict[str, Any] = field(default_factory=lambda: {"null_tokens": []})

    def text(self) -> dict[str, list[str | None]]:
        """The input of a rowsift run: every column as text or null."""
        return {column.name: list(column.values) for column in self.columns}


def _keys(data: dict[str, Any], allowed: set[str], where: str) -> None:
    if set(data) - allowed:
        raise ValueError(f"{where}: unknown keys {sorted(set(data) - allowed)}")


def _verdict(data: dict[str, Any], where: str) -> Verdict:
    rows = tuple(data.get("unexpected", []))
    success = data.get("success", not rows)
    if rows != tuple(sorted(set(rows))) or not isinstance(success, bool):
        raise ValueError(f"{where}: unexpected rows are sorted and distinct, success a boolean")
    return Verdict(unexpected=rows, success=success)


def _column(name: str, data: dict[str, Any], where: str) -> Column:
    _keys(data, COLUMN_KEYS, where)
    if data["type"] not in TYPES:
        raise ValueError(f"{where}: type is one of {TYPES}")
    values = tuple(data["values"])
    if not all(value is None or isinstance(value, str) for value in values):
        raise ValueError(f"{where}: every value is quoted text or null")
    return Column(name, data["type"], values, tuple(data.get("transforms", [])))


def _case(data: dict[str, Any], prefix: str) -> Case:
    where = f"{prefix}/{data.get('id')}"
    _keys(data, CASE_KEYS, where)
    _keys(data["rowsift"], ROWSIFT_KEYS, where)
    peer = data["peer"]
    if peer == "gx" and ("success" not in data or {"column", "columns"} & set(data)):
        raise ValueError(f"{where}: a GX case states success; its column is in args")
    if peer == "pandera" and ("success" in data or not {"column", "columns"} & set(data)):
        raise ValueError(f"{where}: a pandera case names column or columns, and no success")
    if peer not in PEERS or data["check"] not in (GX_CHECKS if peer == "gx" else PANDERA_CHECKS):
        raise ValueError(f"{where}: {peer} {data['check']} is not a check in scope")
    peer_verdict = _verdict(data, where)
    differs = data.get("differs")
    columns = data.get("columns", [data["column"]] if "column" in data else [])
    return Case(
        key=where,
        peer=peer,
        check=data["check"],
        args=data.get("args", {}),
        columns=tuple(columns),
        rowsift=data["rowsift"],
        peer_verdict=peer_verdict,
        rowsift_verdict=_verdict(differs["rowsift"], where) if differs else peer_verdict,
        reason=differs["reason"] if differs else None,
    )


def _table(data: dict[str, Any], stem: str) -> Table:
    where = f"{stem}/{data.get('name')}"
    _keys(data, TABLE_KEYS, where)
    columns = tuple(_column(n, spec, f"{where}.{n}") for n, spec in data["columns"].items())
    if len({len(column.values) for column in columns}) != 1:
        raise ValueError(f"{where}: every column has the same number of values")
    return Table(
        name=where,
        columns=columns,
        cases=tuple(_case(case, where) for case in data["cases"]),
        source=data.get("source", {"null_tokens": []}),
    )


def load_tables() -> list[Table]:
    """Every table of every case file, in file order."""
    tables = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        _keys(data, FILE_KEYS, path.name)
        tables += [_table(table, path.stem) for table in data["tables"]]
    return tables


TABLES = load_tables()
CASES = [case for table in TABLES for case in table.cases]
TABLE_OF = {case.key: table for table in TABLES for case in table.cases}


# -- rowsift's side ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    """Where a case's verdict is read: its rule's id, and its dataset rule's position."""

    rule_id: str | None
    dataset_index: int | None


def _kind(entry: Any) -> str:
    return entry if isinstance(entry, str) else next(iter(entry))


def _numbered(prefix: str, entries: list[Any]) -> str:
    """The id of the last of `entries` (``i.between``, ``i.between_2``, ``row.unique``)."""
    kind = _kind(entries[-1])
    count = sum(1 for entry in entries if _kind(entry) == kind)
    return f"{prefix}.{kind}" + (f"_{count}" if count > 1 else "")


def recipe_of(table: Table) -> tuple[dict[str, Any], dict[str, Placement]]:
    """One recipe holding every case's rule, and where each case's verdict is read."""
    columns: dict[str, dict[str, Any]] = {
        column.name: {"type": column.type, "transforms": list(column.transforms), "rules": []}
        for column in table.columns
    }
    rows: list[Any] = []
    dataset: list[Any] = []
    placements = {}
    for case in table.cases:
        rule_id = None
        if "rule" in case.rowsift:
            rules = columns[case.rowsift["column"]]["rules"]
            rules.append(case.rowsift["rule"])
            rule_id = _numbered(case.rowsift["column"], rules)
        if "row" in case.rowsift:
            rows.append(case.rowsift["row"])
            rule_id = _numbered("row", rows)
        if "dataset" in case.rowsift:
            dataset.append(case.rowsift["dataset"])
        index = len(dataset) - 1 if "dataset" in case.rowsift else None
        placements[case.key] = Placement(rule_id=rule_id, dataset_index=index)
    recipe = {"version": 1, "source": table.source, "columns": columns}
    return {**recipe, "rows": rows, "dataset": dataset}, placements


def rowsift_verdict(outcome: Any, placement: Placement) -> Verdict:
    """The rows a case's rule quarantined; the verdict of its dataset rule, or of the rule."""
    rows = tuple(
        sorted(row for row, reasons in outcome.quarantine.items() if placement.rule_id in reasons)
    )
    if placement.dataset_index is None:
        return Verdict(unexpected=rows, success=not rows)
    return Verdict(rows, success=outcome.summary.dataset[placement.dataset_index].passed)


# -- the peers' side -----------------------------------------------------------------------------


def typed(column: Column) -> list[Any]:
    """The values as a peer gets them: integers, floats (NaN, infinities) or text."""
    parse: dict[str, Callable[[str], Any]] = {"int": int, "float": float, "string": str}
    return [None if value is None else parse[column.type](value) for value in column.values]


PANDAS_DTYPES = {"string": "object", "int": "Int64", "float": "float64"}
POLARS_DTYPES = {"string": pl.String, "int": pl.Int64, "float": pl.Float64}


def pandas_frame(table: Table) -> pd.DataFrame:
    """The typed table for GX: text as objects, nullable integers, floats (a null is NaN)."""
    return pd.DataFrame(
        {c.name: pd.Series(typed(c), dtype=PANDAS_DTYPES[c.type]) for c in table.columns}
    )


def polars_frame(table: Table) -> pl.DataFrame:
    """The typed table for pandera (a DataFrame: pandera runs data checks on it by default)."""
    return pl.DataFrame(
        [pl.Series(c.name, typed(c), dtype=POLARS_DTYPES[c.type]) for c in table.columns]
    )


_GX: list[Any] = []


def gx_batches() -> Any:
    """A GX batch definition over in-memory pandas frames (one ephemeral context per run)."""
    if not _GX:
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        import great_expectations as gx

        context = gx.get_context(mode="ephemeral")
        asset = context.data_sources.add_pandas("peers").add_dataframe_asset("table")
        _GX.append(asset.add_batch_definition_whole_dataframe("whole table"))
    return _GX[0]


def gx_verdict(table: Table, case: Case) -> Verdict:
    """Run the GX expectation on the typed table, with the complete result format."""
    import great_expectations.expectations as gxe

    name = "".join(part.title() for part in case.check.split("_"))
    expectation = getattr(gxe, name)(**case.args)
    batch = gx_batches().get_batch(batch_parameters={"dataframe": pandas_frame(table)})
    result = batch.validate(expectation, result_format="COMPLETE")
    assert not result.exception_info["raised_exception"], result.exception_info
    rows = result.result.get("unexpected_index_list") or []
    return Verdict(unexpected=tuple(sorted(rows)), success=bool(result.success))


def pandera_schema(table: Table, case: Case) -> Any:
    """The pandera schema of one check; every other check of the column lets nulls pass."""
    import pandera.polars as pa

    dtypes = {column.name: POLARS_DTYPES[column.type] for column in table.columns}
    if case.check == "unique_columns":
        columns = {name: pa.Column(dtypes[name], nullable=True) for name in case.columns}
        return pa.DataFrameSchema(columns, unique=list(case.columns))
    (name,) = case.columns
    if case.check == "nullable":
        return pa.DataFrameSchema({name: pa.Column(dtypes[name], nullable=False)})
    if case.check == "unique":
        return pa.DataFrameSchema({name: pa.Column(dtypes[name], nullable=True, unique=True)})
    check = getattr(pa.Check, case.check)(**case.args)
    return pa.DataFrameSchema({name: pa.Column(dtypes[name], check, nullable=True)})


def pandera_verdict(table: Table, case: Case) -> Verdict:
    """Validate the typed table with pandera's Polars backend, every failure collected."""
    import pandera.polars as pa

    failures = pl.DataFrame({"index": []}, schema={"index": pl.Int64})
    try:
        pandera_schema(table, case).validate(polars_frame(table), lazy=True)
    except pa.errors.SchemaErrors as errors:
        failures = errors.failure_cases
    index = failures["index"].to_list()
    assert None not in index, f"a failure not tied to a row:\n{failures}"
    return Verdict(unexpected=tuple(sorted(set(index))), success=not index)


_LIVE: dict[str, Verdict] = {}


def live_verdict(table: Table, case: Case) -> Verdict:
    """The peer's own outcome for a case, computed once per test run."""
    if case.key not in _LIVE:
        run = gx_verdict if case.peer == "gx" else pandera_verdict
        _LIVE[case.key] = run(table, case)
    return _LIVE[case.key]


# -- comparing -----------------------------------------------------------------------------------


def judge(table: Table, case: Case, got: Verdict) -> tuple[str, str | None]:
    """The case's result on one engine, and what is wrong if the outcome is not the expected one.

    The expected outcome is the live peer's, or the documented one where rowsift differs.
    """
    peer = live_verdict(table, case)
    wanted = case.rowsift_verdict if case.reason else peer
    if got != wanted:
        return "", f"{case.key}: rowsift gave {got}, expected {wanted} (peer: {peer})"
    if case.reason is not None:
        if got == peer:
            return "", f"{case.key}: documented as differing ({case.reason}) but agrees"
        return "differs", None
    return "agrees", None


def run_table(engine: Any, table: Table) -> tuple[Any, dict[str, Placement]]:
    """Run every case of a table as one recipe; return the outcome and the placements."""
    recipe, placements = recipe_of(table)
    return engine.run(rowsift.Recipe.model_validate(recipe), table.text()), placements


# -- the tests -----------------------------------------------------------------------------------


def test_the_cases_cover_every_check_in_scope() -> None:
    checks = {peer: {case.check for case in CASES if case.peer == peer} for peer in PEERS}
    assert checks == {"gx": GX_CHECKS, "pandera": PANDERA_CHECKS}
    assert len({case.key for case in CASES}) == len(CASES), "case ids are unique in a table"


def test_every_difference_is_documented() -> None:
    doc = PEERS_DOC.read_text(encoding="utf-8")
    reasons = {case.reason for case in CASES if case.reason}
    missing = sorted(reason for reason in reasons if f'<a id="{reason}"></a>' not in doc)
    assert not missing, f"differences without a section in docs/peers.md: {missing}"


@pytest.mark.parametrize("case", CASES, ids=[case.key for case in CASES])
def test_the_peer_gives_the_outcome_its_case_states(case: Case) -> None:
    assert live_verdict(TABLE_OF[case.key], case) == case.peer_verdict


@pytest.mark.parametrize("table", TABLES, ids=[table.name for table in TABLES])
def test_rowsift_agrees_with_the_peers(table: Table, engine: Any, agreement_log: Any) -> None:
    outcome, placements = run_table(engine, table)
    problems = []
    for case in table.cases:
        got = rowsift_verdict(outcome, placements[case.key])
        result, problem = judge(table, case, got)
        if problem:
            problems.append(problem)
        else:
            agreement_log.record((case.peer, case.check, engine.name), case.key, result)
    assert not problems, "\n".join(problems)


# -- generated tables, judged by pandera itself --------------------------------------------------

TEXTS = (None, "", " a", "a", "A", "ab", "ba", "abc", "cab", "axb", "a\nb", "é", "e\u0301")
PATTERNS = ("abc", "^a", "b$", "^[a-c]+$", "(?i)^a", "a|c", "^a.b$", "x*", "[é]")
INTS = (None, "-3", "0", "1", "2", "3", "5", "007")
KEYS = (None, "x", "y")


@st.composite
def pandera_checks(draw: st.DrawFn) -> list[dict[str, Any]]:
    """One of each pandera check in scope, on columns s (text), i (int), a and b (keys)."""
    pattern = st.sampled_from(PATTERNS)
    low, high = sorted(draw(st.lists(st.integers(-4, 6), min_size=2, max_size=2, unique=True)))
    short, long = sorted(draw(st.lists(st.integers(0, 4), min_size=2, max_size=2)))
    return [
        {"check": "nullable", "column": "s"},
        {"check": "nullable", "column": "i"},
        {"check": "str_contains", "column": "s", "args": {"pattern": draw(pattern)}},
        {"check": "str_matches", "column": "s", "args": {"pattern": draw(pattern)}},
        {
            "check": "in_range",
            "column": "i",
            "args": {
                "min_value": low,
                "max_value": high,
                "include_min": draw(st.booleans()),
                "include_max": draw(st.booleans()),
            },
        },
        {"check": draw(st.sampled_from(("ge", "gt"))), "column": "i", "args": {"min_value": low}},
        {"check": draw(st.sampled_from(("le", "lt"))), "column": "i", "args": {"max_value": high}},
        {"check": "isin", "column": "s", "args": {"allowed_values": draw(members(TEXTS))}},
        {"check": "isin", "column": "i", "args": {"allowed_values": draw(members(INTS, int))}},
        {"check": "str_length", "column": "s", "args": {"min_value": short, "max_value": long}},
        {"check": "str_length", "column": "s", "args": {"exact_value": short}},
        {"check": "unique", "column": draw(st.sampled_from(("s", "i")))},
        {"check": "unique_columns", "columns": ["a", "b"]},
    ]


def members(values: tuple[str | None, ...], convert: Callable[[str], Any] = str) -> Any:
    """A non-empty set of members drawn from the non-null values."""
    present = sorted({convert(value) for value in values if value is not None}, key=repr)
    return st.lists(st.sampled_from(present), min_size=1, max_size=4, unique=True)


def rowsift_spelling(check: dict[str, Any]) -> dict[str, Any]:
    """The rowsift rule of a pandera check, as docs/peers.md maps it."""
    name, args = check["check"], check.get("args", {})
    column = check.get("column")
    open_ends = {
        f"include_{end}": False for end in ("min", "max") if not args.get(f"include_{end}", True)
    }
    bounds = {
        "in_range": lambda: {"min": args["min_value"], "max": args["max_value"], **open_ends},
        "ge": lambda: {"min": args["min_value"]},
        "gt": lambda: {"min": args["min_value"], "include_min": False},
        "le": lambda: {"max": args["max_value"]},
        "lt": lambda: {"max": args["max_value"], "include_max": False},
    }
    if name in bounds:
        return {"column": column, "rule": {"between": bounds[name]()}}
    if name in ("unique", "unique_columns"):
        columns = check.get("columns", [column])
        return {"row": {"duplicate": {"columns": columns, "keep": "none"}}}
    if name == "str_length":
        exact = args.get("exact_value")
        low, high = (
            (exact, exact) if exact is not None else (args.get("min_value"), args.get("max_value"))
        )
        length = {key: value for key, value in (("min", low), ("max", high)) if value is not None}
        return {"column": column, "rule": {"length": length}}
    rules = {
        "nullable": lambda: "not_null",
        "str_contains": lambda: {"matches": args["pattern"]},
        "str_matches": lambda: {"matches": "^" + args["pattern"]},
        "isin": lambda: {"in_set": args["allowed_values"]},
    }
    return {"column": column, "rule": rules[name]()}


@st.composite
def generated_tables(draw: st.DrawFn) -> Table:
    """A small table of text, integers and key pairs, with every pandera check on it.

    At least one row: an empty table is `test_an_empty_table_runs_an_end_anchor`'s.
    """
    rows = draw(st.integers(1, 7))

    def column(name: str, kind: str, values: tuple[str | None, ...]) -> Column:
        drawn = draw(st.lists(st.sampled_from(values), min_size=rows, max_size=rows))
        return Column(name, kind, tuple(drawn))

    columns = (column("s", "string", TEXTS), column("i", "int", INTS))
    columns += (column("a", "string", KEYS), column("b", "string", KEYS))
    cases = []
    for number, check in enumerate(draw(pandera_checks())):
        verdict = Verdict(unexpected=(), success=True)  # not used: pandera judges live
        cases.append(
            Case(
                key=f"generated/{number}/{check['check']}",
                peer="pandera",
                check=check["check"],
                args=check.get("args", {}),
                columns=tuple(check.get("columns", [check.get("column")])),
                rowsift=rowsift_spelling(check),
                peer_verdict=verdict,
                rowsift_verdict=verdict,
                reason=None,
            )
        )
    return Table(name="generated", columns=columns, cases=tuple(cases))


def test_an_empty_table_runs_an_end_anchor(engine: Any) -> None:
    """Found by the generated tables: no rows, and `$` in a pattern (rowsift writes it `\\z`);
    on pandas an empty column was left as objects, whose patterns Python's `re` compiles."""
    recipe = {"version": 1, "columns": {"s": {"rules": [{"matches": "b$"}]}}}
    outcome = engine.run(rowsift.Recipe.model_validate(recipe), {"s": []})
    assert (outcome.clean, outcome.quarantine, outcome.summary.rows_in) == ({}, {}, 0)


def test_rowsift_agrees_with_pandera_on_generated_tables(engine: Any) -> None:
    examples = 2 if engine.name in SLOW_ENGINES else 25

    slow = [HealthCheck.too_slow, HealthCheck.data_too_large]

    @settings(max_examples=examples, deadline=None, suppress_health_check=slow)
    @given(table=generated_tables())
    def agrees(table: Table) -> None:
        outcome, placements = run_table(engine, table)
        for case in table.cases:
            peer = pandera_verdict(table, case)
            got = rowsift_verdict(outcome, placements[case.key])
            assert got == peer, (case.key, case.args, table.text())

    agrees()


def test_the_pandera_cases_are_spelled_as_the_generated_ones() -> None:
    """The mapping the generated tables use is the one the case files (and docs) use; cases that
    differ, or show another spelling on purpose, are left out."""
    for case in CASES:
        if case.peer != "pandera" or case.reason or case.key.endswith("-spelled-for-rowsift"):
            continue
        check = {"check": case.check, "args": case.args}
        check |= {"columns": list(case.columns)} if len(case.columns) > 1 else {}
        check |= {"column": case.columns[0]} if len(case.columns) == 1 else {}
        assert rowsift_spelling(check) == case.rowsift, case.key
