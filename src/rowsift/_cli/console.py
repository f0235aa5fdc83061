"""Where the CLI writes: results to stdout, errors and progress to stderr.

Table values and names come from files that rowsift does not control, so the terminal is
treated like any other output: a string printed here is text, never Rich markup (``[/]``,
``[link=…]``), emoji codes or terminal control sequences. Control characters (C0, C1, DEL)
and the Unicode controls that reorder text (bidi overrides and isolates) are shown as visible
escapes such as ``\\x1b`` and ``\\u202e``. Styled output is built from `rich.text.Text` objects
with styles, or with `safe_text`, never from markup strings with data in them. JSON and lines of
plain text need no Rich: `rowsift._cli.plain` writes them (and this module passes them on).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from rowsift._cli.plain import UNSAFE, print_json, visible

__all__ = [
    "DISPLAY_LIMIT",
    "SafeConsole",
    "err",
    "out",
    "print_json",
    "safe_text",
    "stages",
    "visible",
]

DISPLAY_LIMIT = 200
"""How many characters of one value `safe_text` shows by default before it shortens it."""


def safe_text(value: object, *, style: str | Style = "", limit: int | None = DISPLAY_LIMIT) -> Text:
    """A value from a table or a recipe as a `Text` to print: never markup, controls visible,
    shortened to `limit` characters (with the full length said) so a huge field cannot flood
    or slow the terminal.

    >>> safe_text("[b]x[/b]").plain
    '[b]x[/b]'
    >>> safe_text("x" * 10, limit=4).plain
    'xxxx… (10 chars)'
    """
    text = value if isinstance(value, str) else str(value)
    if limit is not None and len(text) > limit:
        text = f"{text[:limit]}… ({len(text):,} chars)"
    return Text(visible(text), style=style, end="")


class SafeConsole(Console):
    """A Rich console on which no string is markup and no control character gets through.

    Unless a width is given, the width is measured at each print (``COLUMNS``, or the
    terminal's), not fixed when the console is made: the consoles are made when rowsift is
    imported, which can be long before a command runs in the same process."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("markup", False)
        kwargs.setdefault("emoji", False)
        kwargs.setdefault("highlight", False)
        super().__init__(**kwargs)
        if kwargs.get("width") is None and not self.is_jupyter:
            self._width = None

    def render_str(self, text: str, **kwargs: Any) -> Text:
        """Turn a string into `Text` after making its control characters visible.

        Markup is parsed only where a caller asks for it with ``markup=True`` (and escapes
        every value it puts in).
        """
        return super().render_str(visible(text), **kwargs)

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterable[Segment]:
        """Render as Rich does; text that reached a segment unsanitised (a `Text` built
        directly from a value) still has its control characters made visible."""
        for segment in super().render(renderable, options):
            if segment.control or not UNSAFE.search(segment.text):
                yield segment
            else:
                yield Segment(visible(segment.text), segment.style)


out = SafeConsole(soft_wrap=True)
err = SafeConsole(stderr=True, soft_wrap=True)


@contextmanager
def stages(*, enabled: bool) -> Iterator[Callable[[str], None]]:
    """A transient spinner with the current stage of a long run, on an interactive stderr."""
    if not enabled or not err.is_terminal:
        yield lambda _stage: None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}", markup=False),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task("starting", total=None)
        yield lambda stage: progress.update(task, description=stage)
