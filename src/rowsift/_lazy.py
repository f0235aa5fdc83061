"""Public names of a package loaded from their modules the first time they are asked for."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_names(
    namespace: dict[str, Any], homes: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A package's ``__getattr__`` and ``__dir__``: each name of `homes` is imported from its
    module on first use and kept in the package's `namespace` (its ``globals()``), so later
    lookups do not come back here; ``dir()`` lists the loaded names and ``__all__``.

    >>> space = {"__name__": "pkg", "__all__": ["join"]}
    >>> getattr_, dir_ = lazy_names(space, {"join": "os.path"})
    >>> getattr_("join").__name__, "join" in space, dir_()[-1]
    ('join', True, 'join')
    """

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
        value = getattr(import_module(home), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *namespace.get("__all__", ())})

    return __getattr__, __dir__
