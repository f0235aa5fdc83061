"""Review from Python: every rule in full, a decision from any function, the same recipe as
the command line writes."""

from __future__ import annotations

import polars as pl

import rowsift
from rowsift.suggest.session import Answer, ReviewItem, review_items, review_recipe


def _recipe() -> rowsift.Recipe:
    values = ", ".join(f"v{i:03d}" for i in range(60))
    return rowsift.load_recipe_text(
        "version: 1\ncolumns:\n"
        f"  code: {{rules: [not_null, {{in_set: [{values}]}}]}}\n"
        "  n: {type: int, rules: [{between: {min: 0, max: 5}}]}\n"
    )


def test_every_rule_is_shown_whole_and_long_lists_summarised() -> None:
    frame = pl.DataFrame({"code": ["v001", "x", None], "n": ["1", "9", "2"]})
    items = {item.rule_id: item for item in review_items(_recipe(), frame)}
    assert list(items) == ["code.not_null", "code.in_set", "n.between"]
    in_set = items["code.in_set"]
    assert all(f"v{i:03d}" in in_set.written for i in range(60))
    assert in_set.summarised
    assert "... and 40 more" in in_set.summary
    assert "v059" not in in_set.summary
    assert not items["n.between"].summarised
    assert (in_set.failed, in_set.rows) == (1, 3)
    assert items["n.between"].examples == ["9"]


def test_answers_become_decisions_and_quit_stops() -> None:
    seen: list[str] = []

    def answer(item: ReviewItem) -> Answer:
        seen.append(item.rule_id)
        if item.rule_id == "code.not_null":
            return Answer(decision="rejected", note="nulls are fine")
        if item.rule_id == "code.in_set":
            return Answer(decision="accepted")
        return Answer(decision="quit")

    frame = pl.DataFrame({"code": ["v001"], "n": ["1"]})
    reviewed, decided = review_recipe(_recipe(), frame, answer, by="ana")
    assert decided == 2
    assert seen == ["code.not_null", "code.in_set", "n.between"]
    assert [r.id for r in reviewed.rejected] == ["code.not_null"]
    accepted = reviewed.columns["code"].rules[0]
    assert accepted.args.review is not None
    assert accepted.args.review.by == "ana"
    again = review_items(reviewed, frame)
    assert [item.rule_id for item in again] == ["n.between"]
