"""Pollock's measures: success, and precision, recall and F1 of header, records and cells.

A file's score is the sum of those ten numbers (0 to 10). The simple score is their mean over
files; the weighted score weighs each file by how common its pollution is in real files (the
weights below are this benchmark's estimate, written down so the figure can be reproduced).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

# How often each pollution is met in real files, relative (an estimate, not Pollock's figures):
# changed row terminators, delimiters and encodings are everywhere; two tables in one file rare.
WEIGHTS = {
    "delimiter": 15.0,
    "terminator": 15.0,
    "encoding": 10.0,
    "preamble": 10.0,
    "footnote": 6.0,
    "empty_rows": 8.0,
    "ragged": 8.0,
    "header": 5.0,
    "quote": 4.0,
    "escape": 3.0,
    "tables": 3.0,
    "combined": 10.0,
}


@dataclass(frozen=True)
class Loaded:
    """What a loader returned: a header (None: it found none) and records, or an error."""

    header: list[str] | None
    records: list[list[str]]
    error: str | None = None


def _prf(found: Counter[object], truth: Counter[object]) -> tuple[float, float, float]:
    if not found and not truth:
        return 1.0, 1.0, 1.0
    hits = sum((found & truth).values())
    precision = hits / sum(found.values()) if found else 0.0
    recall = hits / sum(truth.values()) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def measures(
    loaded: Loaded, header: Sequence[str] | None, records: Sequence[Sequence[str]]
) -> dict[str, float]:
    """The ten measures of one file."""
    if loaded.error is not None:
        return {"success": 0.0} | {
            f"{p}_{m}": 0.0 for p in ("header", "record", "cell") for m in "prf"
        }
    result = {"success": 1.0}
    head_found = Counter(enumerate(loaded.header or []))
    head_truth = Counter(enumerate(header or []))
    rec_found = Counter(tuple(r) for r in loaded.records)
    rec_truth = Counter(tuple(r) for r in records)
    cell_found = Counter((i, v) for r in loaded.records for i, v in enumerate(r))
    cell_truth = Counter((i, v) for r in records for i, v in enumerate(r))
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
    per_kind: dict[str, list[float]] = {}
    for kind, m in rows:
        per_kind.setdefault(kind.split(".")[0], []).append(total(m))
    weight_sum = sum(WEIGHTS.get(k, 1.0) for k in per_kind)
    weighted = (
        sum(WEIGHTS.get(k, 1.0) * sum(scores) / len(scores) for k, scores in per_kind.items())
        / weight_sum
    )
    return {"simple": simple, "weighted": weighted, "files": len(rows)}
