"""Pollock's measures: success, and precision, recall and F1 of header, records and cells.

A file's score is the sum of those ten numbers (0 to 10). As in Pollock, cells are compared
normalised (numbers by value, text in lower case), a record is the concatenation of its
normalised cells (an empty one counts as ``null``), and a file with no header scores full marks
on the header. The simple score is the mean over files; the weighted score weighs each
pollution by how often Pollock's survey of 3,712 open-data files met it (`WEIGHTS`, the
benchmark's published per-file weights summed per pollution; a pollution Pollock does not weigh
counts 1).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

# Pollock's weight of each pollution (its `pollock_weights.json`, summed per pollution); the
# row-level ones are spread over their files. Keys are this generator's kinds or kind prefixes.
WEIGHTS = {
    "file.source": 1.0,
    "file.no_payload": 15.0,
    "file.no_trailing_newline": 184.0,
    "file.double_trailing_newline": 5.0,
    "file.no_header": 470.0,
    "file.header_only": 3.0,
    "file.one_data_row": 4.0,
    "file.record_delimiter_lf": 1691.0,
    "file.record_delimiter_cr": 7.0,
    "header.multirow_2": 47.0,
    "header.multirow_3": 47.0,
    "preamble": 282.0,
    "tables.same": 62.67,
    "tables.less": 62.67,
    "tables.more": 62.67,
    "delimiter.tab": 4.0,
    "delimiter.semicolon": 834.0,
    "delimiter.space": 4.0,
    "delimiter.comma_space": 101.0,
    "quote.single": 11.0,
    "escape.backslash": 1.0,
    "row.more_sep": 338.3,
    "row.less_sep": 338.3,
    "row.extra_quote": 8.5,
}


def weight_group(kind: str) -> str:
    """The `WEIGHTS` key a file's pollution kind counts under (the longest matching prefix)."""
    found = [key for key in WEIGHTS if kind == key or kind.startswith((key + "_", key + "."))]
    return max(found, key=len) if found else kind


@dataclass(frozen=True)
class Loaded:
    """What a loader returned: a header (None: it found none) and records, or an error."""

    header: list[str] | None
    records: list[list[str]]
    error: str | None = None


def normalise(cell: str) -> str:
    """A cell as Pollock compares it: numbers by value, other text in lower case."""
    text = cell.strip()
    if not text:
        return ""
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return cell.lower()
    return repr(number)


def _prf(found: Counter[object], truth: Counter[object]) -> tuple[float, float, float]:
    if not truth:
        return 1.0, 1.0, 1.0
    hits = sum((found & truth).values())
    if not hits:
        return 0.0, 0.0, 0.0
    precision = hits / sum(found.values())
    recall = hits / sum(truth.values())
    return precision, recall, 2 * precision * recall / (precision + recall)


def measures(
    loaded: Loaded, header: Sequence[str] | None, records: Sequence[Sequence[str]]
) -> dict[str, float]:
    """The ten measures of one file."""
    if loaded.error is not None:
        return {"success": 0.0} | {
            f"{p}_{m}": 0.0 for p in ("header", "record", "cell") for m in "prf"
        }
    result = {"success": 1.0}
    head_found = Counter(normalise(c) for c in loaded.header or [])
    head_truth = Counter(normalise(c) for c in header or [])

    def joined(row: Sequence[str]) -> str:
        return "".join(normalise(c) or "null" for c in row)

    rec_found = Counter(joined(r) for r in loaded.records)
    rec_truth = Counter(joined(r) for r in records)
    cell_found = Counter(normalise(v) for r in loaded.records for v in r)
    cell_truth = Counter(normalise(v) for r in records for v in r)
    for part, found, truth in (
        ("header", head_found, head_truth),
        ("record", rec_found, rec_truth),
        ("cell", cell_found, cell_truth),
    ):
        p, r, f = _prf(found, truth)  # type: ignore[arg-type]
        result |= {f"{part}_p": p, f"{part}_r": r, f"{part}_f": f}
    return result


def total(values: dict[str, float]) -> float:
    """A file's score out of 10."""
    return sum(values.values())


def summarise(rows: Sequence[tuple[str, dict[str, float]]]) -> dict[str, float]:
    """Simple and weighted scores over (pollution kind, measures) of every file."""
    if not rows:
        return {"simple": 0.0, "weighted": 0.0, "files": 0}
    simple = sum(total(m) for _, m in rows) / len(rows)
    groups: dict[str, list[float]] = {}
    for kind, m in rows:
        groups.setdefault(weight_group(kind), []).append(total(m))
    weight_sum = sum(WEIGHTS.get(k, 1.0) for k in groups)
    weighted = (
        sum(WEIGHTS.get(k, 1.0) * sum(scores) / len(scores) for k, scores in groups.items())
        / weight_sum
    )
    return {"simple": simple, "weighted": weighted, "files": len(rows)}
