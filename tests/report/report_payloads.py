"""Hostile text placed in names and values: each must come out of a report as text."""

from __future__ import annotations

PAYLOADS = (
    "<script>window.__pwned=1</script>",
    "</script><script>window.__pwned=2</script>",
    '"><img src=x onerror="window.__pwned=3">',
    "<!--",
    "(?<!x)",
    "{{7*7}}",
    '=HYPERLINK("http://example.invalid","x")',
    "a\u202eb\u2066c\u200fd",
)
"""Markup, a comment opener, a regex look-behind, template syntax, a spreadsheet formula and
Unicode bidi controls."""

MARKERS = ("<script>window.__pwned", "<img src=x", "<!--")
"""Substrings that must never appear in a page as they were written."""

BIDI = ("\u202e", "\u2066", "\u200f")


def assert_inert(html: str) -> None:
    """No payload survives as markup: the page holds only its own two scripts and no bidi."""
    from html.parser import HTMLParser

    for marker in MARKERS:
        assert marker not in html.replace("<!DOCTYPE html>", ""), marker
    for control in BIDI:
        assert control not in html, repr(control)
    assert "49" not in html.split("{{7*7}}", maxsplit=1)[0][-20:]

    class Tags(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.scripts: list[dict[str, str | None]] = []
            self.handlers: list[tuple[str, str]] = []
            self.tags: set[str] = set()

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.tags.add(tag)
            if tag == "script":
                self.scripts.append(dict(attrs))
            self.handlers += [(tag, name) for name, _ in attrs if name.startswith("on")]

    parser = Tags()
    parser.feed(html)
    assert parser.handlers == []
    assert [s.get("type") for s in parser.scripts] == ["application/json", None]
    assert not parser.tags & {"img", "iframe", "object", "embed", "base", "form"}
