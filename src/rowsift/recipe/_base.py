"""The pydantic base of every recipe model: unknown keys are errors, models are frozen."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """A recipe model: unknown keys are errors (a typo must not be a silent no-op)."""

    # defer_build: a model's validator is built when it is first used, not when its class is
    # made; `rowsift check` builds the recipe's once, not one per model and nested model
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


def drop_unset(data: Any, names: tuple[str, ...], empty: Any) -> Any:
    """Leave out keys at their empty value, so a recipe written before they existed keeps its
    fingerprint and its saved form."""
    if isinstance(data, dict):
        for name in names:
            if name in data and data[name] == empty:
                del data[name]
    return data


def is_none(value: Any) -> bool:
    """`exclude_if` of an annotation added after version 0.1: left out of the saved form and
    the fingerprint while unset, so older recipes keep theirs."""
    return value is None


def is_empty(value: Any) -> bool:
    """`exclude_if` of a collection added after version 0.1 (see `is_none`)."""
    return not value
