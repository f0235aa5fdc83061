"""How far an entity's majority could go on the real dirty tables: a ceiling, not a method.

For every column with errors of each pair in ``../shared/data/realdirty/`` (read as in
`realdirty`), every determinant of one or two other columns is tried: within each group of
equal determinant values, every value other than the group's strict majority is flagged and
repaired to it (a group of one row, or a tie, flags nothing). The best determinant of each
column is chosen **by looking at the hand-cleaned version**, so the figures are an upper
bound for anything that judges a cell by the majority of its entity's other rows (a
``determined_by`` rule, a majority repair), however its thresholds are set. A cell is an error
when ``dirty.strip() != clean.strip()``; a repair is right when the majority equals the clean
text.

    .venv/bin/python -m bench.suggest.ceiling
    .venv/bin/python -m bench.suggest.ceiling --only population
"""

from __future__ import annotations

import argparse
import itertools
from collections import Counter, defaultdict
from typing import Any

from bench.suggest.realdirty import CORPUS, INJECTED, REAL, read, score


def majority(
    dirty: list[list[str]], clean: list[list[str]], key: tuple[int, ...], column: int
) -> tuple[set[int], int, int]:
    """Rows whose value is not their group's strict majority, how many are errors, and how
    many of those the majority repairs to the clean text."""
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for row, values in enumerate(dirty):
        groups[tuple(values[i] for i in key)].append(row)
    flagged: set[int] = set()
    hits = repaired = 0
    for rows in groups.values():
        counts = Counter(dirty[row][column] for row in rows).most_common(2)
        if len(rows) < 2 or (len(counts) > 1 and counts[0][1] == counts[1][1]):
            continue
        top = counts[0][0]
        for row in rows:
            if dirty[row][column] == top:
                continue
            flagged.add(row)
            if dirty[row][column].strip() != clean[row][column].strip():
                hits += 1
                repaired += top.strip() == clean[row][column].strip()
    return flagged, hits, repaired


def ceiling(name: str) -> dict[str, Any]:
    """Per column its best determinant (by detection F1), and the table's pooled figures."""
    dirty_frame = read(CORPUS / name / "dirty.csv").fill_null("")
    clean_frame = read(CORPUS / name / "clean.csv").fill_null("")
    header = dirty_frame.columns
    dirty, clean = [list(r) for r in dirty_frame.rows()], [list(r) for r in clean_frame.rows()]
    errors_of = {
        j: sum(1 for d, c in zip(dirty, clean, strict=True) if d[j].strip() != c[j].strip())
        for j in range(len(header))
    }
    total = sum(errors_of.values())
    keys: list[tuple[int, ...]] = [(i,) for i in range(len(header))]
    keys += list(itertools.combinations(range(len(header)), 2))
    columns: dict[str, dict[str, Any]] = {}
    flagged = hits = repaired = 0
    for j, errors in errors_of.items():
        if not errors:
            continue
        best: tuple[float, tuple[int, ...], int, int, int] | None = None
        for key in keys:
            if j in key:
                continue
            rows, found, fixed = majority(dirty, clean, key, j)
            f1 = score(found, len(rows), errors)["f1"]
            if best is None or f1 > best[0]:
                best = (f1, key, len(rows), found, fixed)
        assert best is not None
        f1, key, count, found, fixed = best
        flagged, hits, repaired = flagged + count, hits + found, repaired + fixed
        columns[header[j]] = {
            "determinant": [header[i] for i in key],
            "errors": errors,
            "detection": score(found, count, errors),
            "correction": score(fixed, count, errors),
        }
    return {
        "table": name,
        "errors": total,
        "columns": columns,
        "detection": score(hits, flagged, total),
        "correction": score(repaired, flagged, total),
    }


def main() -> None:
    """Print each table's ceiling and its columns' best determinants."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", action="append", choices=[*REAL, *INJECTED])
    args = parser.parse_args()
    print("| table | column | best determinant | errors | detection P / R / F1 | correction F1 |")
    print("|---|---|---|---|---|---|")
    for name in (*REAL, *INJECTED):
        if args.only and name not in args.only:
            continue
        found = ceiling(name)
        for column, seen in found["columns"].items():
            d, c = seen["detection"], seen["correction"]
            print(
                f"| {name} | {column} | {' + '.join(seen['determinant'])} | {seen['errors']:,} "
                f"| {d['precision']:.2f} / {d['recall']:.2f} / {d['f1']:.2f} | {c['f1']:.2f} |"
            )
        d, c = found["detection"], found["correction"]
        print(
            f"| **{name}** | all | | {found['errors']:,} "
            f"| {d['precision']:.2f} / {d['recall']:.2f} / **{d['f1']:.2f}** | **{c['f1']:.2f}** |",
            flush=True,
        )


if __name__ == "__main__":
    main()
