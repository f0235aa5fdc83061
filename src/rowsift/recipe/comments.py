"""Evidence as comments: a readable line above each rule (and column) that carries evidence."""

from __future__ import annotations

from typing import Any

from rowsift.recipe.model import Evidence, Recipe

_WIDTH = 160


def describe(evidence: Evidence) -> str:
    """One line that says why a rule is there and what it does to the data.

    >>> describe(Evidence(statistic="null share", observed=0.001, threshold=0.005, quarantined=2))
    'null share 0.001 (threshold 0.005); quarantines 2 rows now'
    """
    text = f"{evidence.statistic} {evidence.observed:g}"
    if evidence.threshold is not None:
        text += f" (threshold {evidence.threshold:g})"
    if evidence.note:
        text += f"; {evidence.note}"
    if evidence.quarantined is not None:
        text += f"; quarantines {evidence.quarantined} rows now"
    if evidence.examples:
        text += ", e.g. " + " | ".join(evidence.examples[:3])
    text = " ".join(text.split())  # one line, whatever the values hold
    return text if len(text) <= _WIDTH else text[: _WIDTH - 1] + "…"


def _located(recipe: Recipe) -> list[tuple[tuple[str | int, ...], str]]:
    found: list[tuple[tuple[str | int, ...], str]] = []
    for name, column in recipe.columns.items():
        for about, evidence in column.evidence.items():
            found.append((("columns", name), f"{about}: {describe(evidence)}"))
        for index, entry in enumerate(column.rules):
            found.extend(_entry_comment(("columns", name, "rules", index), entry.args))
    tables: tuple[tuple[str, list[Any]], ...] = (("rows", recipe.rows), ("dataset", recipe.dataset))
    for key, entries in tables:
        for index, row_entry in enumerate(entries):
            found.extend(_entry_comment((key, index), row_entry.args))
    return found


def _entry_comment(
    location: tuple[str | int, ...], args: Any
) -> list[tuple[tuple[str | int, ...], str]]:
    lines = []
    evidence = getattr(args, "evidence", None)
    if evidence is not None:
        lines.append((location, describe(evidence)))
    review = getattr(args, "review", None)
    if review is not None:
        who = f" by {review.by}" if review.by else ""
        lines.append((location, f"reviewed: {review.decision}{who}"))
    return lines


def with_evidence_comments(recipe: Recipe, text: str) -> str:
    """The YAML text with a comment line above every entry that carries evidence."""
    wanted = _located(recipe)
    if not wanted:
        return text
    from rowsift.recipe.yaml_io import parse_yaml

    _, lines = parse_yaml(text)
    source = text.splitlines()
    above: dict[int, list[str]] = {}
    for location, comment in wanted:
        line = lines.get(location)
        if line is None:
            continue
        above.setdefault(line, []).append(comment)
    out: list[str] = []
    for number, content in enumerate(source, start=1):
        for comment in above.get(number, []):
            indent = len(content) - len(content.lstrip(" "))
            out.append(" " * indent + "# " + comment)
        out.append(content)
    return "\n".join(out) + "\n"
