"""The mapping table covers every registered rule and transform, and docs/export.md shows it."""

from __future__ import annotations

from pathlib import Path

from rowsift.export.contracts.mapping import FORMAT_NAMES, MAPPING, mapping_table
from rowsift.rules import COLUMN_RULES, DATASET_RULES, ROWSET_RULES
from rowsift.transforms import TRANSFORMS

DOCS = Path(__file__).resolve().parents[3] / "docs" / "export.md"


def test_every_registered_kind_has_a_row_for_every_format() -> None:
    registered = {*COLUMN_RULES, *ROWSET_RULES, *DATASET_RULES, *TRANSFORMS}
    assert registered - set(MAPPING) == set(), "give the new rule or transform a row in MAPPING"
    assert set(MAPPING) - registered == {"type", "severity"}
    for kind, row in MAPPING.items():
        assert set(row) == set(FORMAT_NAMES), kind
        for fmt, cell in row.items():
            assert cell.how.strip(), (kind, fmt)


def test_docs_show_the_table_as_the_code_holds_it() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert mapping_table() in text, "docs/export.md's mapping table is stale: paste mapping_table()"
