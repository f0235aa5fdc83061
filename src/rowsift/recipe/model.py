"""The recipe, version 1: pydantic models of the YAML file (DESIGN.md section 3).

Unknown keys are errors. The entries of the ``transforms:``, ``rules:``, ``rows:`` and
``dataset:`` lists are made from the registries (`rowsift.recipe.entries`); this module holds
the rest of the file: the source, the columns, the monitor section and the recipe itself.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    Field,
    field_validator,
    model_validator,
)

from rowsift._atomic import atomic_path
from rowsift.recipe._base import Strict, is_empty, is_none
from rowsift.recipe.annotations import Decision, Evidence, Review
from rowsift.recipe.comments import with_evidence_comments
from rowsift.recipe.context import DEFAULT_PRECISION, DEFAULT_SCALE, ColumnInfo, Context
from rowsift.recipe.entries import ColumnRuleSpec, DatasetRuleSpec, RowRuleSpec, TransformSpec
from rowsift.recipe.source import Compression, SourceFormat, SourceSpec
from rowsift.recipe.values import ColumnType, Scalar
from rowsift.recipe.yaml_text import dump_yaml
from rowsift.rules import Severity

__all__ = [
    "CURRENT_VERSION",
    "AnomalySpec",
    "BaselineSpec",
    "ColumnRuleSpec",
    "ColumnSpec",
    "ColumnType",
    "Compression",
    "DatasetRuleSpec",
    "Decision",
    "DriftSpec",
    "Evidence",
    "MonitorSpec",
    "Recipe",
    "RejectedRule",
    "Review",
    "RowRuleSpec",
    "Scalar",
    "Severity",
    "SourceFormat",
    "SourceSpec",
    "TransformSpec",
]

CURRENT_VERSION = 1


def _json(data: Any, *, sort_keys: bool = False) -> str:
    return json.dumps(data, separators=(",", ":"), default=str, sort_keys=sort_keys)


# -- the recipe -----------------------------------------------------------------------------------


class ColumnSpec(Strict):
    """One declared column: its type, transforms and rules."""

    type: ColumnType = "string"
    format: str | None = None
    precision: int | None = Field(default=None, ge=1, le=38)
    scale: int | None = Field(default=None, ge=0, le=38)
    required: bool = True
    description: str | None = None
    transforms: list[TransformSpec] = Field(default_factory=list)
    rules: list[ColumnRuleSpec] = Field(default_factory=list)
    reviews: dict[str, Review] = Field(default_factory=dict, exclude_if=is_empty)
    """Decisions on this column's repairs (`rowsift review`), by the transform's key (its name,
    or ``name#n`` when the name occurs twice, as `summary.json` counts repairs); no run reads
    them."""
    evidence: dict[str, Evidence] = Field(default_factory=dict, exclude_if=is_empty)
    """Why the type and transforms were suggested, by what they justify; no run reads it."""

    @model_validator(mode="before")
    @classmethod
    def _empty(cls, data: Any) -> Any:
        return {} if data is None else data

    def compact(self) -> dict[str, Any] | None:
        """The column as plain data in its shortest form; None when everything is default."""
        body = self.model_dump(
            mode="python", by_alias=True, exclude_defaults=True, exclude={"transforms", "rules"}
        )
        if self.transforms:
            body["transforms"] = [entry.compact() for entry in self.transforms]
        if self.rules:
            body["rules"] = [entry.compact() for entry in self.rules]
        for key in ("reviews", "evidence"):  # who decided and why, after what
            if key in body:
                body[key] = body.pop(key)
        return body or None


_WRITTEN_ORDER = (
    "version",
    "name",
    "description",
    "source",
    "columns",
    "rows",
    "dataset",
    "monitor",
    "rejected",
)


class RejectedRule(Strict):
    """A suggested rule or repair a person rejected, kept so that suggesting again does not
    bring it back.

    `id` is the rule id the rule would have (``city.in_set``), or for a repair its column and
    transform key (``city.map``); `rule` is the entry as written. Rejected entries are never
    run.
    """

    id: str
    rule: dict[str, Any] | str
    review: Review


class BaselineSpec(Strict):
    """What a batch is compared with: a pinned run, or a window of the most recent runs."""

    run: str | None = None
    window: int = Field(default=7, ge=1)
    exclude_alerted: bool = True
    """Leave batches that raised an alert or failed out of later baselines until accepted."""


class DriftSpec(Strict):
    """Thresholds of drift tests (see docs/monitoring.md for each statistic)."""

    alpha: float = Field(default=0.01, gt=0, lt=1)
    """False discovery rate over every test of one comparison (Benjamini–Hochberg)."""
    psi: float | None = Field(default=None, gt=0)
    wasserstein: float | None = Field(default=None, gt=0)
    jensen_shannon: float | None = Field(default=None, gt=0, le=1)
    null_rate: float | None = Field(default=None, gt=0, le=1)
    category_share: float | None = Field(default=None, gt=0, le=1)
    columns: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)


class AnomalySpec(Strict):
    """When the latest value of a metric series is unusual for its history."""

    history: int | None = Field(default=None, ge=2)
    min_history: int | None = Field(default=None, ge=2)
    threshold: float | None = Field(default=None, gt=0)
    min_relative_change: float | None = Field(default=None, ge=0)
    seasonality: Literal["none", "weekly"] | None = None


class IncidentSpec(Strict):
    """How alerts group into incidents."""

    resolve_after: int = Field(default=3, ge=1)
    """An open incident resolves after this many batches in a row without its alert."""


class MonitorSpec(Strict):
    """The `monitor:` section: the baseline, drift and anomaly thresholds, and a webhook."""

    baseline: BaselineSpec = Field(default_factory=BaselineSpec)
    drift: DriftSpec = Field(default_factory=DriftSpec)
    anomalies: AnomalySpec = Field(default_factory=AnomalySpec)
    incidents: IncidentSpec = Field(default_factory=IncidentSpec)
    webhook: str | None = None
    webhook_format: Literal["json", "slack"] | None = None
    """`slack`: a Slack-compatible message; default: `json`, or `slack` for Slack's hooks."""

    @field_validator("webhook")
    @classmethod
    def _http_only(cls, url: str | None) -> str | None:
        """A webhook is posted to over http or https; any other scheme is refused at load."""
        scheme = (url or "http:").split(":", 1)[0].strip().lower()
        if scheme not in ("http", "https") or "://" not in (url or "http://"):
            raise ValueError("a webhook must be an http or https URL (https://host/path)")
        return url


class Recipe(Strict):
    """A cleaning recipe: how to read a table, what each column must be, what the rows must be.

    >>> recipe = Recipe.model_validate({"version": 1, "columns": {"id": {"rules": ["not_null"]}}})
    >>> recipe.columns["id"].rules[0].kind
    'not_null'
    """

    version: int
    name: str | None = None
    description: str | None = None
    source: SourceSpec = Field(default_factory=SourceSpec)
    columns: dict[str, ColumnSpec] = Field(default_factory=dict)
    """May be left out: a recipe of dataset rules alone judges any table (a row count)."""
    rows: list[RowRuleSpec] = Field(default_factory=list)
    dataset: list[DatasetRuleSpec] = Field(default_factory=list)
    rejected: list[RejectedRule] = Field(default_factory=list, exclude_if=is_empty)
    """Suggested rules and repairs a person rejected (`rowsift review`); never run."""
    monitor: MonitorSpec | None = Field(default=None, exclude_if=is_none)
    """How runs recorded in a store are judged (`rowsift run --store`); no cleaning reads it."""

    def context(self) -> Context:
        """The declared columns, as the arguments of rules and transforms see them."""
        return Context(
            columns={
                name: ColumnInfo(
                    name=name,
                    type=spec.type,
                    precision=spec.precision or DEFAULT_PRECISION,
                    scale=DEFAULT_SCALE if spec.scale is None else spec.scale,
                )
                for name, spec in self.columns.items()
            }
        )

    def compact(self) -> dict[str, Any]:
        """The recipe as plain data in the shortest form that loads back to the same recipe."""
        data = self.model_dump(mode="python", by_alias=True, exclude_defaults=True)
        data["version"] = self.version
        if self.columns:
            # a column with nothing but defaults is written `{}`, as people write it
            data["columns"] = {
                name: column.compact() or {} for name, column in self.columns.items()
            }
        for key, entries in (("rows", self.rows), ("dataset", self.dataset)):
            if entries:
                data[key] = [entry.compact() for entry in entries]
        return {key: data[key] for key in _WRITTEN_ORDER if key in data}

    def to_yaml(self) -> str:
        """The recipe as YAML text, in the compact form people write; a rule's evidence is
        repeated as a comment above it."""
        data = self.compact()
        return with_evidence_comments(data, dump_yaml(data))

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the recipe YAML atomically: a temporary file in the same folder, then a
        rename."""
        text = self.to_yaml()
        with atomic_path(Path(path)) as tmp:
            tmp.write_text(text, encoding="utf-8")

    def fingerprint(self) -> str:
        """A sha256 of the recipe's canonical JSON form: equal recipes, equal fingerprints.

        Columns keep their order, which decides the order of reasons; other mappings (such
        as a `map` transform) are hashed with sorted keys, since their order means nothing.
        A setting left at its default is left out, so a value written as its default hashes
        as if left unwritten, and a new optional setting of a later rowsift leaves every
        existing recipe's fingerprint as it was.
        """
        data = self.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        parts = []
        for key, value in data.items():
            if key == "columns":  # each column's mappings sorted, the columns in order
                text = ",".join(
                    f"{_json(name)}:{_json(spec, sort_keys=True)}" for name, spec in value.items()
                )
                parts.append(f'"columns":{{{text}}}')
            else:
                parts.append(f"{_json(key)}:{_json(value)}")
        canonical = "{" + ",".join(parts) + "}"
        return hashlib.sha256(canonical.encode()).hexdigest()


def dump_recipe(recipe: Recipe) -> str:
    """The recipe as YAML text (`Recipe.to_yaml`)."""
    return recipe.to_yaml()


def save_recipe(recipe: Recipe, path: str | os.PathLike[str]) -> None:
    """Write the recipe YAML atomically (`Recipe.save`)."""
    recipe.save(path)
