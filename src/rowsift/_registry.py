"""Registries: the classes of a closed union, keyed by each class's `name`.

A registry is read from the union that mypy checks, so the two cannot disagree: a class left
out of the union is not registered, and every ``match`` over the union ends in `assert_never`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, get_args

_NAME = re.compile(r"[a-z]+(?:_[a-z]+)*")
"""Lower-case words joined by ``_``, no digits: the id suffix ``_2`` can never be part of one."""


def by_name(union: Any) -> Mapping[str, type[Any]]:
    """The classes of `union` keyed by their `name`; a bad or repeated name fails at import.

    >>> from dataclasses import dataclass
    >>> from typing import ClassVar
    >>> @dataclass
    ... class Strip:
    ...     name: ClassVar[str] = "strip"
    >>> list(by_name(Strip))
    ['strip']
    """
    classes: tuple[type[Any], ...] = get_args(union) or (union,)
    found: dict[str, type[Any]] = {}
    for cls in classes:
        name = getattr(cls, "name", None)
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            msg = f"{cls.__qualname__}.name must be lower-case words joined by '_', got {name!r}"
            raise TypeError(msg)
        if name in found:
            msg = f"{cls.__qualname__} and {found[name].__qualname__} are both named {name!r}"
            raise TypeError(msg)
        found[name] = cls
    return MappingProxyType(found)
