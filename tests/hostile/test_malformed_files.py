"""Every malformed file of the corpus through `run`, `convert` and `sniff`: a documented exit
code, no traceback, every record once, and no partial output (corpus: `corpus_files.py`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from corpus_files import FileCase, malformed_files
from hostile_checks import (
    Outcome,
    assert_clean_exit,
    assert_conserved,
    assert_no_outputs,
    read_output,
)

CASES = malformed_files()
ANY_COLUMNS = "version: 1\nname: hostile\ncolumns:\n  zz_absent: {required: false}\n"
"""A recipe that applies to any table: one optional column the files do not have. It leaves
the source to the defaults, as most recipes do."""
TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".weird", ""}


def _allowed(case: FileCase) -> tuple[int, ...]:
    return {"read": (0,), "refuse": (3,), "either": (0, 3)}[case.expect]


def _run(cli: Callable[..., Outcome], case: FileCase, data: Path, folder: Path) -> None:
    recipe = folder / "any.yaml"
    recipe.write_text(ANY_COLUMNS)
    out = folder / "out"
    outcome = cli("run", recipe, data, "--out", out, "--output-format", "csv", "-q")
    assert_clean_exit(outcome, allowed=_allowed(case))
    if outcome.code == 0:
        assert_conserved(out, case.records, fmt="csv")
    else:
        assert_no_outputs(out)


def _convert(cli: Callable[..., Outcome], case: FileCase, data: Path, folder: Path) -> None:
    target = folder / "converted" / "tidy.csv"
    outcome = cli("convert", data, target, "--json")
    assert_clean_exit(outcome, allowed=_allowed(case))
    if outcome.code:
        assert_no_outputs(target.parent)
        return
    report = json.loads(outcome.stdout)
    assert report["rows"] == read_output(target).height
    if case.records is not None:
        assert report["rows"] + report["parse_failures"] == case.records, report
    if report["quarantine"]:
        assert read_output(Path(report["quarantine"])).height == report["parse_failures"]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_malformed_file(cli: Callable[..., Outcome], tmp_path: Path, case: FileCase) -> None:
    data = tmp_path / f"input{case.suffix}"
    data.write_bytes(case.data)
    _run(cli, case, data, tmp_path)
    _convert(cli, case, data, tmp_path)
    if case.suffix in TEXT_SUFFIXES:
        assert_clean_exit(cli("sniff", data, "--json"), allowed=(0, 3))
    assert data.read_bytes() == case.data, "the input is never touched"
