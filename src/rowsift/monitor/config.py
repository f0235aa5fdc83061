"""The project file `rowsift.toml`: defaults for the store and the webhook, found upward from here.

```toml
[store]
url = "metrics/store.duckdb"     # relative paths are relative to this file
[monitor]
webhook = "https://hooks.example.com/rowsift"
```
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from rowsift.exceptions import UsageError

CONFIG_NAME = "rowsift.toml"


@dataclass(frozen=True, kw_only=True)
class ProjectConfig:
    """What `rowsift.toml` sets; every field is optional."""

    path: Path | None = None
    store: str | None = None
    webhook: str | None = None


def find_config(start: Path | None = None) -> ProjectConfig:
    """The nearest `rowsift.toml` in `start` or a parent folder; empty when there is none."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        path = candidate / CONFIG_NAME
        if path.is_file():
            return read_config(path)
    return ProjectConfig()


def read_config(path: Path) -> ProjectConfig:
    """Read one `rowsift.toml`; unknown sections and keys are errors, as in a recipe."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the project file: {exc}") from None
    known = {"store": {"url"}, "monitor": {"webhook"}}
    for section, body in data.items():
        if section not in known or not isinstance(body, dict):
            raise UsageError(
                f"{path}: unknown section [{section}]",
                hint=f"rowsift.toml knows {', '.join(f'[{s}]' for s in known)}",
            )
        for key in body:
            if key not in known[section]:
                raise UsageError(
                    f"{path}: unknown key {key!r} in [{section}]",
                    hint=f"[{section}] knows {', '.join(sorted(known[section]))}",
                )
    store = data.get("store", {}).get("url")
    if isinstance(store, str) and "://" not in store and not Path(store).is_absolute():
        store = str((path.parent / store).resolve())
    return ProjectConfig(path=path, store=store, webhook=data.get("monitor", {}).get("webhook"))
