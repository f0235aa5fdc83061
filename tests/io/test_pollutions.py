"""Every pollution kind of the loading benchmark loads with detection alone, nothing lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.loading.generate import POLLUTIONS, cases
from bench.loading.run import load_rowsift
from bench.loading.score import measures, total
from loading_helpers import detected

CASES = list(cases(2, seed=7))
KINDS = sorted({case.kinds[0] for case in CASES})


def test_every_pollution_kind_is_generated() -> None:
    assert {kind.split(".")[0] for kind in KINDS} == set(POLLUTIONS)


@pytest.mark.parametrize("kind", KINDS)
def test_pollution_loads_with_detection_only(tmp_path: Path, kind: str) -> None:
    for case in (c for c in CASES if c.kinds[0] == kind):
        path = tmp_path / f"{case.name}.csv"
        path.write_bytes(case.data)
        loaded = load_rowsift(path)
        found = measures(loaded, case.header, case.records)
        # ragged rows are quarantined, not guessed at: they cost record recall, nothing else
        floor = 9.5 if kind.startswith("ragged") else 9.95
        assert total(found) >= floor, (case.name, found)
        frame = detected(path)
        rows = len(frame)
        table = len(loaded.records)
        assert rows >= table  # every record is in the table or in the quarantine
        assert frame["_rowsift_row"].to_list() == list(range(rows))
