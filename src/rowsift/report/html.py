"""Render report data as one self-contained HTML file: inline CSS, SVG and a few lines of JS.

Every template is autoescaped, and every value passes through `visible` on its way out, so a
value or a name from a table is text on the page, never markup or script. The page allows only
its own script (a Content-Security-Policy with that script's hash): an event handler or a
script that got in some other way would not run.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from rowsift._atomic import atomic_path
from rowsift._version import __version__
from rowsift.report.visible import visible


def _finalize(value: Any) -> Any:
    """Every value written by a template: invisible characters shown as escapes."""
    from markupsafe import Markup

    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return visible(value, limit=None)


@cache
def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader("rowsift.report", "templates"),
        autoescape=True,  # every template, whatever its name
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _asset(name: str) -> str:
    return files("rowsift.report").joinpath("templates", name).read_text(encoding="utf-8")


@cache
def _assets() -> tuple[str, str, str]:
    """The page's style, its script, and the script's hash for the Content-Security-Policy."""
    script = _asset("page.js")
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    return _asset("page.css"), script, f"sha256-{digest}"


def script_hash() -> str:
    """The Content-Security-Policy source that allows the pages' one script."""
    return _assets()[2]


def render(template: str, page: Mapping[str, Any]) -> str:
    """The HTML of `template` for `page` (plain data from one of the page modules)."""
    from markupsafe import Markup

    css, script, script_hash = _assets()
    counter = itertools.count(1)
    return str(
        _environment()
        .get_template(template)
        .render(
            page=page,
            css=Markup(css),
            script=Markup(script),
            script_hash=script_hash,
            version=__version__,
            next_id=lambda: f"c{next(counter)}",
        )
    )


def write_html(html: str, target: Path) -> Path:
    """Write a page atomically; the file appears complete or not at all."""
    with atomic_path(target) as tmp:
        tmp.write_text(html, encoding="utf-8")
    return target
