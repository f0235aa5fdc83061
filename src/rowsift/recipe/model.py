"""The recipe, version 1: pydantic models of the YAML file (DESIGN.md section 3).

Unknown keys are errors. A rule or transform is written as a bare name (``- not_null``) or as a
one-key mapping (``- between: {min: 0}``); `_shorthand` turns both into the one-key mapping form
that these models validate, and `compact` turns it back for saving.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import date, datetime
from typing import Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

ColumnType = Literal["string", "int", "float", "bool", "date", "datetime", "decimal"]
Severity = Literal["error", "warn"]
Scalar = bool | int | float | str | date | datetime
SourceFormat = Literal[
    "csv", "tsv", "parquet", "ndjson", "json", "excel", "sqlite", "duckdb", "postgres"
]
Compression = Literal["none", "gzip", "bz2", "zstd"]

CURRENT_VERSION = 1


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Evidence(_Strict):
    """Why a rule was suggested: the statistic, its threshold, and what the rule does to the data.

    Optional on every rule and column; the engine ignores it. `rowsift suggest` writes it and
    the saved YAML repeats it as a comment above the rule.
    """

    statistic: str
    observed: float
    threshold: float | None = None
    quarantined: int | None = None
    examples: list[str] = Field(default_factory=list)
    note: str | None = None


Decision = Literal["accepted", "rejected", "edited"]


class Review(_Strict):
    """A person's decision on a suggested rule (``rowsift review``); the engine ignores it."""

    decision: Decision
    by: str | None = None
    note: str | None = None
    at: str | None = None


def _drop_unset(data: Any, names: tuple[str, ...], empty: Any) -> Any:
    """Leave out annotation keys at their empty value, so a recipe written before they existed
    keeps its fingerprint and its saved form."""
    if isinstance(data, dict):
        for name in names:
            if name in data and data[name] == empty:
                del data[name]
    return data


class _Rule(_Strict):
    severity: Severity = "error"
    evidence: Evidence | None = None
    """Why the rule was suggested (`rowsift suggest`); no run reads it."""
    review: Review | None = None
    """A person's decision on the rule (`rowsift review`); no run reads it."""

    @model_serializer(mode="wrap")
    def _without_unset_annotations(self, handler: SerializerFunctionWrapHandler) -> Any:
        return _drop_unset(_drop_unset(handler(self), ("evidence",), None), ("review",), None)


# -- column rules -------------------------------------------------------------------------------


class NotNullArgs(_Rule):
    """``not_null``: fails on null."""


class MatchesArgs(_Rule):
    """``matches: PATTERN``: the pattern is searched in the value."""

    pattern: str


class BetweenArgs(_Rule):
    """``between: {min, max, include_min, include_max}``."""

    min: Scalar | None = None
    max: Scalar | None = None
    include_min: bool = True
    include_max: bool = True


class InSetArgs(_Rule):
    """``in_set: [...]``: membership."""

    values: list[Scalar] = Field(min_length=1)


class LengthArgs(_Rule):
    """``length: {min, max}``: string length in characters."""

    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)


class CompareArgs(_Rule):
    """``compare: {op, column}``: compares with another column of the same row."""

    op: Literal["==", "!=", "<", "<=", ">", ">="]
    column: str


class UniqueArgs(_Rule):
    """``unique: {blame}``: no two rows share a value; nulls are ignored."""

    blame: Literal["all_but_first", "all"] = "all_but_first"


class DeterminedByArgs(_Rule):
    """``determined_by: {columns, min_support}``: a functional dependency."""

    columns: list[str] = Field(min_length=1)
    min_support: int = Field(default=3, ge=1)


# -- row-set and dataset rules --------------------------------------------------------------------


class DuplicateArgs(_Rule):
    """``duplicate: {keep, columns}``: rows equal on `columns` (default: every declared column)."""

    keep: Literal["first", "last", "none"] = "first"
    columns: list[str] | None = None


class RowUniqueArgs(_Rule):
    """``unique: {columns, blame, ignore_if_null}``: no two rows share the combination of values.

    `ignore_if_null` says which rows are left out: those with a null in `any` key column (the
    default), or only those whose key is null in `all` of them (then null equals null).
    """

    columns: list[str] = Field(min_length=1)
    blame: Literal["all_but_first", "all"] = "all_but_first"
    ignore_if_null: Literal["any", "all"] = "any"

    @model_serializer(mode="wrap")
    def _without_unset_annotations(self, handler: SerializerFunctionWrapHandler) -> Any:
        # `ignore_if_null` came after version 0.1: left out at its default, so a recipe written
        # before it keeps its fingerprint and its saved form
        data = _drop_unset(handler(self), ("evidence", "review"), None)
        return _drop_unset(data, ("ignore_if_null",), "any")


class RowCountArgs(_Rule):
    """``row_count: {min, max, of}``: the number of input (or clean) rows."""

    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)
    of: Literal["input", "clean"] = "input"


class QuarantineRateArgs(_Rule):
    """``quarantine_rate: {max}``: the share of rows quarantined."""

    max: float = Field(ge=0, le=1)


class NullRateArgs(_Rule):
    """``null_rate: {column, max}``: the share of nulls in a column after transforms."""

    column: str
    max: float = Field(ge=0, le=1)


# -- transforms -----------------------------------------------------------------------------------


class NoArgs(_Strict):
    """A transform that takes no argument."""


class ReplaceArgs(_Strict):
    """``replace: {pattern, with}``: every regex match becomes the literal `with` text."""

    pattern: str
    with_: str = Field(alias="with")


# -- the one-key entries -------------------------------------------------------------------------

_BARE_SCALAR_ARG = {"matches": "pattern"}
_BARE_LIST_ARG = {"in_set": "values"}


def _shorthand(data: Any) -> Any:
    """Turn ``name`` and ``{name: scalar-or-list}`` into ``{name: {arg: value}}``."""
    if isinstance(data, str):
        return {data: {}}
    if isinstance(data, dict) and len(data) == 1:
        ((key, value),) = data.items()
        if value is None:
            return {key: {}}
        if key in _BARE_SCALAR_ARG and not isinstance(value, dict):
            return {key: {_BARE_SCALAR_ARG[key]: value}}
        if key in _BARE_LIST_ARG and isinstance(value, list):
            return {key: {_BARE_LIST_ARG[key]: value}}
    return data


class _OneKey(_Strict):
    """An entry that sets exactly one of its fields."""

    @model_validator(mode="before")
    @classmethod
    def _expand(cls, data: Any) -> Any:
        return _shorthand(data)

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        chosen = self.chosen_keys()
        if len(chosen) != 1:
            names = ", ".join(type(self).model_fields)
            got = ", ".join(chosen) or "nothing"
            msg = f"each entry names exactly one of: {names}; got {got}"
            raise ValueError(msg)
        return self

    def chosen_keys(self) -> list[str]:
        """The names of the fields that are set."""
        return [name for name in type(self).model_fields if getattr(self, name) is not None]

    @property
    def kind(self) -> str:
        """The one key this entry sets (``between``, ``strip``…)."""
        field = self.chosen_keys()[0]
        return type(self).model_fields[field].alias or field

    @property
    def args(self) -> Any:
        """The arguments of the one key this entry sets."""
        return getattr(self, self.chosen_keys()[0])


class ColumnRuleSpec(_OneKey):
    """One entry of a column's ``rules:`` list."""

    not_null: NotNullArgs | None = None
    matches: MatchesArgs | None = None
    between: BetweenArgs | None = None
    in_set: InSetArgs | None = None
    length: LengthArgs | None = None
    compare: CompareArgs | None = None
    unique: UniqueArgs | None = None
    determined_by: DeterminedByArgs | None = None


class TransformSpec(_OneKey):
    """One entry of a column's ``transforms:`` list."""

    strip: NoArgs | None = None
    lower: NoArgs | None = None
    upper: NoArgs | None = None
    collapse_spaces: NoArgs | None = None
    null_tokens: list[str] | None = None
    map: dict[str, str] | None = None
    replace: ReplaceArgs | None = None
    fill_null: Scalar | None = None


class RowRuleSpec(_OneKey):
    """One entry of the ``rows:`` list."""

    duplicate: DuplicateArgs | None = None
    unique: RowUniqueArgs | None = None


class DatasetRuleSpec(_OneKey):
    """One entry of the ``dataset:`` list."""

    row_count: RowCountArgs | None = None
    quarantine_rate: QuarantineRateArgs | None = None
    null_rate: NullRateArgs | None = None


def _sorted_keys(data: Any) -> Any:
    if isinstance(data, dict):
        return {key: _sorted_keys(data[key]) for key in sorted(data)}
    if isinstance(data, list):
        return [_sorted_keys(item) for item in data]
    return data


# -- the recipe -----------------------------------------------------------------------------------


class SourceSpec(_Strict):
    """How the bytes are read, so that reading is reproducible."""

    format: SourceFormat | None = None
    encoding: str = "utf-8"
    delimiter: str | None = Field(default=None, min_length=1, max_length=1)
    quote: str = Field(default='"', min_length=1, max_length=1)
    header_row: int = Field(default=0, ge=0)
    null_tokens: list[str] = Field(default_factory=lambda: [""])
    detect: bool = False
    """Sniff the file for every key this section does not write (`rowsift sniff` does the same)."""
    header: bool = True
    """False: the file has no header line; columns are named column_1, column_2, ..."""
    quoting: bool = True
    """False: `quote` has no special meaning (fields are never quoted)."""
    escape: str | None = Field(default=None, min_length=1, max_length=1)
    """A character that makes the next one literal inside a field (e.g. a backslash)."""
    footer_rows: int = Field(default=0, ge=0)
    """Non-blank lines at the end of the file that are notes, not records."""
    compression: Compression | None = None
    """gzip, bz2, zstd or none; by default told from the file's first bytes."""
    sheet: str | int | None = None
    """Excel: the sheet's name or 0-based index (default: the first sheet)."""
    cells: Literal["text", "typed"] = "text"
    """Excel: cells as the text they display (default) or as typed values."""
    table: str | None = None
    """Databases: the table to read (or give `query`)."""
    query: str | None = None
    """Databases: a SELECT whose result is the table."""

    @model_serializer(mode="wrap")
    def _without_unset_additions(self, handler: SerializerFunctionWrapHandler) -> Any:
        # keys added after version 0.1 are left out while at their default, so a recipe written
        # before them keeps its fingerprint and its saved form
        data = handler(self)
        if isinstance(data, dict):
            for name in _SOURCE_ADDITIONS:
                if name in data and data[name] == type(self).model_fields[name].default:
                    del data[name]
        return data


_SOURCE_ADDITIONS = (
    "detect",
    "header",
    "quoting",
    "escape",
    "footer_rows",
    "compression",
    "sheet",
    "cells",
    "table",
    "query",
)


class ColumnSpec(_Strict):
    """One declared column: its type, transforms and rules."""

    type: ColumnType = "string"
    format: str | None = None
    precision: int | None = Field(default=None, ge=1, le=38)
    scale: int | None = Field(default=None, ge=0, le=38)
    required: bool = True
    description: str | None = None
    transforms: list[TransformSpec] = Field(default_factory=list)
    rules: list[ColumnRuleSpec] = Field(default_factory=list)
    evidence: dict[str, Evidence] = Field(default_factory=dict)
    """Why the type and transforms were suggested, by what they justify; no run reads it."""

    @model_serializer(mode="wrap")
    def _without_unset_evidence(self, handler: SerializerFunctionWrapHandler) -> Any:
        return _drop_unset(handler(self), ("evidence",), {})

    @model_validator(mode="before")
    @classmethod
    def _empty(cls, data: Any) -> Any:
        return {} if data is None else data


class RejectedRule(_Strict):
    """A suggested rule a person rejected, kept so that suggesting again does not bring it back.

    `id` is the rule id the rule would have (``city.in_set``); `rule` is the entry as written.
    Rejected rules are never run.
    """

    id: str
    rule: dict[str, Any] | str
    review: Review


class BaselineSpec(_Strict):
    """What a batch is compared with: a pinned run, or a window of the most recent runs."""

    run: str | None = None
    window: int = Field(default=7, ge=1)


class DriftSpec(_Strict):
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


class AnomalySpec(_Strict):
    """When the latest value of a metric series is unusual for its history."""

    history: int | None = Field(default=None, ge=2)
    min_history: int | None = Field(default=None, ge=2)
    threshold: float | None = Field(default=None, gt=0)
    min_relative_change: float | None = Field(default=None, ge=0)
    seasonality: Literal["none", "weekly"] | None = None


class MonitorSpec(_Strict):
    """The `monitor:` section: the baseline, drift and anomaly thresholds, and a webhook."""

    baseline: BaselineSpec = Field(default_factory=BaselineSpec)
    drift: DriftSpec = Field(default_factory=DriftSpec)
    anomalies: AnomalySpec = Field(default_factory=AnomalySpec)
    webhook: str | None = None


class Recipe(_Strict):
    """A cleaning recipe: how to read a table, what each column must be, what the rows must be.

    >>> recipe = Recipe.model_validate({"version": 1, "columns": {"id": {"rules": ["not_null"]}}})
    >>> recipe.columns["id"].rules[0].kind
    'not_null'
    """

    version: int
    name: str | None = None
    description: str | None = None
    source: SourceSpec = Field(default_factory=SourceSpec)
    columns: dict[str, ColumnSpec] = Field(min_length=1)
    rows: list[RowRuleSpec] = Field(default_factory=list)
    dataset: list[DatasetRuleSpec] = Field(default_factory=list)
    rejected: list[RejectedRule] = Field(default_factory=list)
    """Suggested rules a person rejected (`rowsift review`); never run."""
    monitor: MonitorSpec | None = None
    """How runs recorded in a store are judged (`rowsift run --store`); no cleaning reads it."""

    @model_serializer(mode="wrap")
    def _without_unset_rejected(self, handler: SerializerFunctionWrapHandler) -> Any:
        return _drop_unset(_drop_unset(handler(self), ("rejected",), []), ("monitor",), None)

    def to_yaml(self) -> str:
        """The recipe as YAML text, in the compact form people write."""
        from rowsift.recipe.yaml_io import dump_recipe

        return dump_recipe(self)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the recipe to a YAML file, atomically."""
        from rowsift.recipe.yaml_io import save_recipe

        save_recipe(self, path)

    def fingerprint(self) -> str:
        """A sha256 of the recipe's canonical JSON form: equal recipes, equal fingerprints.

        Columns keep their order, which decides the order of reasons; other mappings (such
        as a `map` transform) are hashed with sorted keys, since their order means nothing.
        """
        data = self.model_dump(mode="json", by_alias=True)
        data["columns"] = {name: _sorted_keys(spec) for name, spec in data["columns"].items()}
        canonical = json.dumps(data, separators=(",", ":"), default=str)
        return hashlib.sha256(canonical.encode()).hexdigest()
