"""Where a run is recorded: store, dataset, batch and webhook, from the caller or `rowsift.toml`.

The project file `rowsift.toml` is found in the current folder or a parent folder:

```toml
[store]
url = "metrics/store.duckdb"     # relative paths are relative to this file
[monitor]
webhook = "https://hooks.example.com/rowsift"
webhook_format = "json"          # or "slack" (the default for hooks.slack.com)
```

`rowsift.run_file` and `rowsift run` resolve their monitoring here, the same way, so the
command and the API record to the same store.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from rowsift.exceptions import UsageError
from rowsift.monitor.urls import check_webhook

if TYPE_CHECKING:
    from rowsift.monitor.settings import WebhookFormat
    from rowsift.monitor.store import SqlStore
    from rowsift.recipe import Recipe

CONFIG_NAME = "rowsift.toml"


@dataclass(frozen=True, kw_only=True)
class ProjectConfig:
    """What `rowsift.toml` sets; every field is optional."""

    path: Path | None = None
    store: str | None = None
    webhook: str | None = None
    webhook_format: str | None = None


@dataclass(frozen=True, kw_only=True)
class Monitoring:
    """How a run is monitored; every field left unset takes its default.

    `store` defaults to ``[store] url`` of `rowsift.toml` (no store: no monitoring), `dataset`
    to the recipe's name, `batch` to today's date (UTC), `webhook` to the recipe's
    ``monitor.webhook``, then to ``[monitor] webhook`` of `rowsift.toml`.

    >>> Monitoring(store="metrics.duckdb", batch="2026-11-26").batch
    '2026-11-26'
    """

    store: str | None = None
    dataset: str | None = None
    batch: str | None = None
    webhook: str | None = None


@dataclass(frozen=True, kw_only=True)
class MonitorTarget:
    """A `Monitoring` with every default filled in and every address checked."""

    store: str
    dataset: str
    batch: str
    webhook: str | None = None
    webhook_format: WebhookFormat = "json"


def resolve_monitoring(
    monitor: Monitoring | Literal[False] | None,
    *,
    recipe: Recipe,
    input_name: str = "batch",
    start: Path | None = None,
) -> MonitorTarget | None:
    """The store, dataset, batch and webhook of a run, or None when it is not monitored.

    `None` means "as the project says" (`rowsift.toml`, found upward from `start`), `False`
    "not at all". Bad addresses are usage errors here, before any data is read.
    """
    if monitor is False:
        return None
    asked = monitor or Monitoring()
    config = find_config(start)
    store = asked.store or config.store
    if store is None:
        given = [name for name in ("dataset", "batch", "webhook") if getattr(asked, name)]
        if given:
            raise UsageError(
                f"{', '.join(given)} given, but no metric store to record the run in",
                hint="pass a store (--store PATH), or set [store] url in rowsift.toml",
            )
        return None
    _check_store(store)
    webhook, where = asked.webhook, "the webhook"
    if webhook is None and recipe.monitor is not None and recipe.monitor.webhook is not None:
        webhook, where = recipe.monitor.webhook, "monitor.webhook in the recipe"
    if webhook is None and config.webhook is not None:
        webhook, where = config.webhook, f"[monitor] webhook in {config.path}"
    spec = recipe.monitor
    chosen = (spec.webhook_format if spec is not None else None) or config.webhook_format
    if chosen not in (None, "json", "slack"):
        raise UsageError(
            f"{config.path}: [monitor] webhook_format must be json or slack, got {chosen!r}"
        )
    return MonitorTarget(
        store=store,
        dataset=asked.dataset or recipe.name or input_name,
        batch=asked.batch or datetime.now(UTC).date().isoformat(),
        webhook=None if webhook is None else check_webhook(webhook, where=where),
        webhook_format=webhook_format(webhook, chosen),
    )


def webhook_format(url: str | None, chosen: str | None) -> WebhookFormat:
    """The payload a webhook gets: as chosen, else Slack's for Slack's incoming webhooks.

    >>> webhook_format("https://hooks.slack.com/services/T0/B0/x", None)
    'slack'
    >>> webhook_format("https://hooks.example.com/rowsift", None)
    'json'
    """
    if chosen == "slack":
        return "slack"
    if chosen == "json":
        return "json"
    host = (urlsplit(url).hostname or "") if url else ""
    return "slack" if host == "hooks.slack.com" else "json"


def project_store(url: str | None = None, *, existing: bool = False) -> SqlStore:
    """The store at `url`, else the one `rowsift.toml` names; a usage error when neither. With
    `existing` (a command that reads the store), a DuckDB file that is not there is an input
    error, rather than an empty store created to answer "no runs"."""
    from rowsift.monitor._database import require_store_file
    from rowsift.monitor.store import open_store

    chosen = url or find_config().store
    if chosen is None:
        raise UsageError(
            "no metric store given",
            hint="pass --store PATH, or set [store] url in rowsift.toml",
        )
    opened = open_store(chosen)
    if existing and opened.dialect == "duckdb":
        require_store_file(Path(opened.target))
    return opened


def _check_store(url: str) -> None:
    from rowsift.monitor.store import open_store

    open_store(url)  # parses the address only; nothing is opened


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
    known = {"store": {"url"}, "monitor": {"webhook", "webhook_format"}}
    for section, body in data.items():
        if section not in known or not isinstance(body, dict):
            raise UsageError(
                f"{path}: unknown section [{section}]",
                hint=f"rowsift.toml knows {', '.join(f'[{s}]' for s in known)}",
            )
        for key, value in body.items():
            if key not in known[section]:
                raise UsageError(
                    f"{path}: unknown key {key!r} in [{section}]",
                    hint=f"[{section}] knows {', '.join(sorted(known[section]))}",
                )
            if not isinstance(value, str):
                raise UsageError(
                    f"{path}: [{section}] {key} must be a string, got {type(value).__name__}",
                    hint='quote it: url = "metrics/store.duckdb"',
                )
    store = data.get("store", {}).get("url")
    if isinstance(store, str) and "://" not in store and not Path(store).is_absolute():
        store = str((path.parent / store).resolve())
    monitor = data.get("monitor", {})
    return ProjectConfig(
        path=path,
        store=store,
        webhook=monitor.get("webhook"),
        webhook_format=monitor.get("webhook_format"),
    )
