"""Review from Python: every rule in full, a decision from any function, the same recipe as
the command line writes."""

from __future__ import annotations

import polars as pl
import pytest

import rowsift
from rowsift.recipe.model import TransformSpec
from rowsift.suggest import decide
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


def test_repairs_come_first_and_a_rejection_keeps_each_decision_on_its_own_transform() -> None:
    """Two maps on one column have keys ``map#1``, ``map#2``; rejecting the first renumbers the
    second to ``map``, and its acceptance follows it."""
    recipe = rowsift.load_recipe_text(
        "version: 1\ncolumns:\n"
        "  v:\n    transforms: [strip, {map: {Bostn: Boston}}, {map: {NYk: NYC}}]\n"
        "    rules: [not_null]\n"
    )
    frame = pl.DataFrame({"v": ["Bostn", "NYk", "NYk", None]})
    items = review_items(recipe, frame)
    assert [(i.rule_id, i.repair, i.failed) for i in items] == [
        ("v.map#1", True, 1),
        ("v.map#2", True, 2),
        ("v.not_null", False, 1),
    ]
    decisions = {"v.map#1": "rejected", "v.map#2": "accepted", "v.not_null": "accepted"}
    reviewed, decided = review_recipe(
        recipe, frame, lambda item: Answer(decision=decisions[item.rule_id]), by="ana"
    )
    assert decided == 3
    column = reviewed.columns["v"]
    assert [t.compact() for t in column.transforms] == ["strip", {"map": {"NYk": "NYC"}}]
    assert list(column.reviews) == ["map"]
    assert [(r.id, r.rule) for r in reviewed.rejected] == [
        ("v.map#1", {"map": {"Bostn": "Boston"}})
    ]
    assert review_items(reviewed, frame) == []
    assert [i.rule_id for i in review_items(reviewed, frame, all_rules=True)] == [
        "v.map",
        "v.not_null",
    ]


def test_suggesting_again_keeps_decided_repairs_and_leaves_rejected_ones_out() -> None:
    ids = [f"ORD-{i:05d}" for i in range(400)]
    status = ["paid", "new"] * 198 + ["pqid", "Paid", "nwe", "paid"]
    frame = pl.DataFrame({"id": ids, "status": status})
    suggested = rowsift.suggest_recipe(frame)
    kinds = [t.kind for t in suggested.columns["status"].transforms]
    assert kinds == ["canonical", "map"]
    edited = TransformSpec.model_validate({"map": {"pqid": "paid", "pajd": "paid"}})
    reviewed = decide(suggested, "status.map", "edited", by="ana", edited=edited)
    reviewed = decide(reviewed, "status.canonical", "rejected", by="ana")
    again = rowsift.suggest_recipe(frame, previous=reviewed)
    column = again.columns["status"]
    assert [t.compact() for t in column.transforms] == [{"map": {"pqid": "paid", "pajd": "paid"}}]
    assert column.reviews["map"].decision == "edited"
    assert "canonical" not in column.evidence
    assert [r.id for r in again.rejected] == ["status.canonical"]
    with pytest.raises(ValueError, match="must be a map"):
        decide(suggested, "status.map", "edited", edited=TransformSpec.model_validate("strip"))


def test_a_long_map_is_summarised_and_whole_on_request() -> None:
    typos = ", ".join(f"t{i:03d}: v{i:03d}" for i in range(45))
    recipe = rowsift.load_recipe_text(
        f"version: 1\ncolumns:\n  v: {{transforms: [{{map: {{{typos}}}}}]}}\n"
    )
    (item,) = review_items(recipe, pl.DataFrame({"v": ["t001", "x"]}))
    assert (item.rule_id, item.failed, item.rows) == ("v.map", 1, 2)
    assert item.summarised
    assert "and 25 more" in item.summary
    assert "t044" not in item.summary
    assert "t044: v044" in item.written
