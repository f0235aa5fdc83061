"""Transforms: frozen declarative data, each with one pure method mapping a value expression.

They run in recipe order on the value as read, before the type cast.
"""

from __future__ import annotations

from rowsift.transforms.text import (
    TRANSFORMS,
    CollapseSpaces,
    FillNull,
    Lower,
    Map,
    NullTokens,
    Replace,
    Strip,
    Transform,
    Upper,
)

__all__ = [
    "TRANSFORMS",
    "CollapseSpaces",
    "FillNull",
    "Lower",
    "Map",
    "NullTokens",
    "Replace",
    "Strip",
    "Transform",
    "Upper",
]
