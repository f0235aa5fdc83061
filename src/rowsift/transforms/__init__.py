"""Transforms: frozen declarative data, each with one pure method mapping a value expression.

They run in recipe order on the value as read, before the type cast. `TRANSFORMS` is the
registry, keyed by name and read from the `Transform` union that mypy checks: adding a transform
is adding its class to that union (see docs/architecture.md, "Adding a rule or a transform").

>>> list(TRANSFORMS)[:3]
['strip', 'lower', 'upper']
"""

from __future__ import annotations

from collections.abc import Mapping

from rowsift._registry import by_name
from rowsift.transforms.canonical import Canonical, CanonicalTransform
from rowsift.transforms.dates import DateTransform, NormalizeDatetime
from rowsift.transforms.majority import Majority, MajorityTransform
from rowsift.transforms.numbers import NormalizeNumber, NumberTransform
from rowsift.transforms.text import (
    CollapseSpaces,
    FillNull,
    Lower,
    Map,
    NullTokens,
    Replace,
    Strip,
    TextTransform,
    Upper,
)

Transform = TextTransform | NumberTransform | CanonicalTransform | DateTransform | MajorityTransform
"""Every transform: the union of each module's (the registry is read from it)."""

TRANSFORMS: Mapping[str, type[Transform]] = by_name(Transform)
"""Every transform, by name."""

__all__ = [
    "TRANSFORMS",
    "Canonical",
    "CollapseSpaces",
    "FillNull",
    "Lower",
    "Majority",
    "Map",
    "NormalizeDatetime",
    "NormalizeNumber",
    "NullTokens",
    "Replace",
    "Strip",
    "Transform",
    "Upper",
]
