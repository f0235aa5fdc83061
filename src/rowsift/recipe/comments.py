"""Evidence as comments: a readable line above each rule (and column) that carries evidence.

Works on the recipe's plain data (`Recipe.compact()`) and the text written from it, so the
recipe model can write itself without this module knowing the model.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rowsift.recipe.annotations import Evidence
from rowsift.recipe.yaml_text import Location, parse_yaml

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


def _located(data: dict[str, Any]) -> Iterator[tuple[Location, str]]:
    for name, written in (data.get("columns") or {}).items():
        column = written or {}
        for about, evidence in (column.get("evidence") or {}).items():
            yield ("columns", name), f"{about}: {describe(Evidence.model_validate(evidence))}"
        for index, entry in enumerate(column.get("rules") or []):
            yield from _entry_comments(("columns", name, "rules", index), entry)
    for key in ("rows", "dataset"):
        for index, entry in enumerate(data.get(key) or []):
            yield from _entry_comments((key, index), entry)


def _entry_comments(location: Location, entry: Any) -> Iterator[tuple[Location, str]]:
    if not isinstance(entry, dict):
        return
    body = next(iter(entry.values()))
    if not isinstance(body, dict):
        return
    if body.get("evidence") is not None:
        yield location, describe(Evidence.model_validate(body["evidence"]))
    review = body.get("review")
    if review is not None:
        who = f" by {review['by']}" if review.get("by") else ""
        yield location, f"reviewed: {review['decision']}{who}"


def with_evidence_comments(data: dict[str, Any], text: str) -> str:
    """The YAML `text` written from `data`, with a comment line above every entry that carries
    evidence or a review."""
    wanted = list(_located(data))
    if not wanted:
        return text
    _, lines = parse_yaml(text)
    above: dict[int, list[str]] = {}
    for location, comment in wanted:
        line = lines.get(location)
        if line is not None:
            above.setdefault(line, []).append(comment)
    out: list[str] = []
    for number, content in enumerate(text.splitlines(), start=1):
        for comment in above.get(number, []):
            indent = len(content) - len(content.lstrip(" "))
            out.append(" " * indent + "# " + comment)
        out.append(content)
    return "\n".join(out) + "\n"
