"""The recipe model, its JSON Schema and the docs speak exactly the registries' vocabulary."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest

from rowsift._registry import by_name
from rowsift.recipe import entries
from rowsift.recipe.entries import (
    COLUMN_RULE_NAMES,
    DATASET_RULE_NAMES,
    ROW_RULE_NAMES,
    TRANSFORM_NAMES,
    ColumnRuleSpec,
    DatasetRuleSpec,
    RowRuleSpec,
    TransformSpec,
)
from rowsift.recipe.schema import committed_schema_text
from rowsift.rules import COLUMN_RULES, DATASET_RULES, ROWSET_RULES, NotNull
from rowsift.transforms import TRANSFORMS

DOCS = Path(__file__).parents[2] / "docs" / "recipe.md"


def test_the_model_writes_every_registered_rule_and_transform_and_nothing_else() -> None:
    column_rules = set(ColumnRuleSpec.model_fields)
    row_rules = set(RowRuleSpec.model_fields)
    dataset_rules = set(DatasetRuleSpec.model_fields)
    transforms = set(TransformSpec.model_fields)
    assert column_rules | row_rules == set(COLUMN_RULES) | set(ROWSET_RULES)
    assert column_rules >= set(COLUMN_RULES)
    assert dataset_rules == set(DATASET_RULES)
    assert transforms == set(TRANSFORMS)


def test_each_name_builds_the_class_registered_under_it() -> None:
    for name, args in COLUMN_RULE_NAMES.items():
        assert args.rule is {**COLUMN_RULES, **ROWSET_RULES}[name]
    for name, args in ROW_RULE_NAMES.items():
        assert args.rule is ROWSET_RULES[name]
    for name, args in DATASET_RULE_NAMES.items():
        assert args.rule is DATASET_RULES[name]
    for name, args in TRANSFORM_NAMES.items():
        assert args.transform is TRANSFORMS[name]


def test_the_schema_lists_the_registries() -> None:
    definitions = json.loads(committed_schema_text())["$defs"]
    assert set(definitions["ColumnRuleSpec"]["properties"]) == set(COLUMN_RULE_NAMES)
    assert set(definitions["RowRuleSpec"]["properties"]) == set(ROW_RULE_NAMES)
    assert set(definitions["DatasetRuleSpec"]["properties"]) == set(DATASET_RULE_NAMES)
    assert set(definitions["TransformSpec"]["properties"]) == set(TRANSFORM_NAMES)


@pytest.mark.parametrize(
    "name",
    sorted({*COLUMN_RULE_NAMES, *ROW_RULE_NAMES, *DATASET_RULE_NAMES, *TRANSFORM_NAMES}),
)
def test_every_name_has_a_row_in_the_recipe_docs(name: str) -> None:
    assert re.search(rf"^\| [^|]*`{name}\b", DOCS.read_text(encoding="utf-8"), re.MULTILINE), (
        f"docs/recipe.md has no table row for `{name}`"
    )


@dataclass(frozen=True)
class Unwritten:
    """A rule registered without arguments in the recipe."""

    name: ClassVar[str] = "unwritten"


def test_a_registered_rule_without_arguments_fails_loudly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(entries, "DATASET_RULES", {**DATASET_RULES, "unwritten": Unwritten})
    with pytest.raises(TypeError, match=r"Unwritten \('unwritten'\) has no arguments class"):
        entries._check_vocabulary()


def test_arguments_of_an_unregistered_rule_fail_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    without = {name: cls for name, cls in COLUMN_RULES.items() if cls is not NotNull}
    monkeypatch.setattr(entries, "COLUMN_RULES", without)
    with pytest.raises(TypeError, match="NotNullArgs builds NotNull, which is not registered"):
        entries._check_vocabulary()


def test_two_arguments_classes_for_one_name_fail_loudly() -> None:
    first = COLUMN_RULE_NAMES["not_null"]
    with pytest.raises(TypeError, match="are both written 'not_null'"):
        entries._keyed([first, first], "rule")


@pytest.mark.parametrize("bad", ["NotNull", "not-null", "between_2", "", None])
def test_a_registry_refuses_names_that_ids_could_not_tell_apart(bad: Any) -> None:
    @dataclass(frozen=True)
    class Odd:
        name: ClassVar[Any] = bad

    with pytest.raises(TypeError, match="must be lower-case words"):
        by_name(Odd)


def test_a_registry_refuses_two_classes_of_one_name() -> None:
    @dataclass(frozen=True)
    class One:
        name: ClassVar[str] = "same"

    @dataclass(frozen=True)
    class Other:
        name: ClassVar[str] = "same"

    with pytest.raises(TypeError, match="are both named 'same'"):
        by_name(One | Other)
