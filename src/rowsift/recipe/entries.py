"""The one-key entries of a recipe's lists, made from the registries.

A rule or transform is written as a bare name (``- not_null``) or as a one-key mapping
(``- between: {min: 0}``). Each entry model has one optional field per name that may be written
in its place, made from the tuples of arguments classes (`COLUMN_RULE_ARGS`, ...); the
registries of `rowsift.rules` and `rowsift.transforms` are checked against those tuples when
this module is imported, so a rule without arguments, or arguments of an unregistered rule, fail
at once rather than compile into something else.

>>> ColumnRuleSpec.model_validate({"between": {"min": 0}}).kind
'between'
>>> TransformSpec.model_validate({"map": {"yes": "Y"}}).compact()
{'map': {'yes': 'Y'}}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Self, TypeVar, cast

from pydantic import PrivateAttr, create_model, model_validator

from rowsift.recipe._base import Strict
from rowsift.recipe.arguments import (
    ColumnRuleArgs,
    DatasetRuleArgs,
    RowRuleArgs,
    TransformArgs,
)
from rowsift.recipe.column_rule_args import COLUMN_RULE_ARGS
from rowsift.recipe.table_rule_args import DATASET_RULE_ARGS, ROW_RULE_ARGS
from rowsift.recipe.transform_args import TRANSFORM_ARGS
from rowsift.rules import COLUMN_RULES, DATASET_RULES, ROWSET_RULES
from rowsift.transforms import TRANSFORMS

Args = TypeVar("Args")

RESERVED_NAMES = frozenset({"type", "parse", "joined"})
"""Rule names the engine's own rules take (`<column>.type`, `row.parse`, `row.joined`)."""


class OneKey(Strict, Generic[Args]):
    """An entry that sets exactly one of its fields: the name written, holding its arguments."""

    arguments: ClassVar[Mapping[str, type[Any]]] = MappingProxyType({})
    """The arguments class of each name that may be written here."""
    _kind: str = PrivateAttr(default="")

    @model_validator(mode="before")
    @classmethod
    def _expand(cls, data: Any) -> Any:
        if isinstance(data, str):
            data = {data: None}
        if isinstance(data, dict) and len(data) == 1:
            ((key, value),) = data.items()
            arguments = cls.arguments.get(key) if isinstance(key, str) else None
            if arguments is not None:
                return {key: arguments.expand(value)}
        return data

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        chosen = self.chosen_keys()
        if len(chosen) != 1:
            names = ", ".join(type(self).model_fields)
            got = ", ".join(chosen) or "nothing"
            msg = f"each entry names exactly one of: {names}; got {got}"
            raise ValueError(msg)
        self._kind = chosen[0]  # asked for often: once per entry, not once per question
        return self

    def chosen_keys(self) -> list[str]:
        """The names of the fields that are set."""
        return [name for name, value in self.__dict__.items() if value is not None]

    @property
    def kind(self) -> str:
        """The one name this entry sets (``between``, ``strip``…)."""
        return self._kind or self.chosen_keys()[0]

    @property
    def args(self) -> Args:
        """The arguments of the one name this entry sets."""
        return cast(Args, getattr(self, self.kind))

    def compact(self) -> Any:
        """The entry in the shortest form that loads back to it (``- strip``, shorthands)."""
        value = cast(Any, self.args).compact()
        return self.kind if value is None else {self.kind: value}


def _entry_model(
    name: str, doc: str, arguments: Mapping[str, type[Any]], base: type[Any]
) -> type[Any]:
    fields: dict[str, Any] = {key: (args | None, None) for key, args in arguments.items()}
    model: type[Any] = create_model(name, __base__=base, __doc__=doc, __module__=__name__, **fields)
    model.arguments = MappingProxyType(dict(arguments))
    return model


def _keyed(arguments: Sequence[type[Any]], attribute: str) -> dict[str, type[Any]]:
    keyed: dict[str, type[Any]] = {}
    for args in arguments:
        name = getattr(args, attribute).name
        if name in keyed:
            msg = f"{args.__name__} and {keyed[name].__name__} are both written {name!r}"
            raise TypeError(msg)
        keyed[name] = args
    return keyed


COLUMN_RULE_NAMES = _keyed(COLUMN_RULE_ARGS, "rule")
ROW_RULE_NAMES = _keyed(ROW_RULE_ARGS, "rule")
DATASET_RULE_NAMES = _keyed(DATASET_RULE_ARGS, "rule")
TRANSFORM_NAMES = _keyed(TRANSFORM_ARGS, "transform")


def _check_vocabulary() -> None:
    """Every registered class has arguments, and every arguments class builds a registered one."""
    written: list[tuple[dict[str, type[Any]], Mapping[str, type[Any]], str]] = [
        (COLUMN_RULE_NAMES, {**COLUMN_RULES, **ROWSET_RULES}, "rule"),
        (ROW_RULE_NAMES, ROWSET_RULES, "rule"),
        (DATASET_RULE_NAMES, DATASET_RULES, "rule"),
        (TRANSFORM_NAMES, TRANSFORMS, "transform"),
    ]
    built: set[type[Any]] = set()
    for names, registry, attribute in written:
        for name, args in names.items():
            target: type[Any] = getattr(args, attribute)
            if target is not registry.get(name):
                msg = f"{args.__name__} builds {target.__name__}, which is not registered here"
                raise TypeError(msg)
            built.add(target)
    every: dict[str, type[Any]] = {**COLUMN_RULES, **ROWSET_RULES, **DATASET_RULES, **TRANSFORMS}
    for name, cls in every.items():
        if cls not in built:
            msg = f"{cls.__name__} ({name!r}) has no arguments class in rowsift.recipe"
            raise TypeError(msg)
    reserved = RESERVED_NAMES & {*COLUMN_RULE_NAMES, *ROW_RULE_NAMES}
    if reserved:
        raise TypeError(f"rule names {sorted(reserved)} are taken by the engine's own rules")


_check_vocabulary()

if TYPE_CHECKING:

    class ColumnRuleSpec(OneKey[ColumnRuleArgs]):
        """One entry of a column's ``rules:`` list."""

    class TransformSpec(OneKey[TransformArgs]):
        """One entry of a column's ``transforms:`` list."""

    class RowRuleSpec(OneKey[RowRuleArgs]):
        """One entry of the ``rows:`` list."""

    class DatasetRuleSpec(OneKey[DatasetRuleArgs]):
        """One entry of the ``dataset:`` list."""

else:
    ColumnRuleSpec = _entry_model(
        "ColumnRuleSpec",
        "One entry of a column's ``rules:`` list.",
        COLUMN_RULE_NAMES,
        OneKey[ColumnRuleArgs],
    )
    TransformSpec = _entry_model(
        "TransformSpec",
        "One entry of a column's ``transforms:`` list.",
        TRANSFORM_NAMES,
        OneKey[TransformArgs],
    )
    RowRuleSpec = _entry_model(
        "RowRuleSpec", "One entry of the ``rows:`` list.", ROW_RULE_NAMES, OneKey[RowRuleArgs]
    )
    DatasetRuleSpec = _entry_model(
        "DatasetRuleSpec",
        "One entry of the ``dataset:`` list.",
        DATASET_RULE_NAMES,
        OneKey[DatasetRuleArgs],
    )
