"""Text from a table made visible: control and bidi characters shown as escapes, long text cut.

Every value or name that reaches a report, a page or the terminal passes through `visible`
first; the template engine then escapes it for HTML. A right-to-left override in a column name
must not reorder the text around it, and a control character must not reach a terminal.
"""

from __future__ import annotations

import re

#: C0 controls but tab and line feed, DEL, C1 controls, and the Unicode bidi formatting
#: characters (embeddings, overrides, isolates, marks), plus zero-width and BOM characters
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)

#: values longer than this are cut, and say by how much
MAX_CHARS = 200


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(value: object, *, limit: int | None = MAX_CHARS) -> str:
    r"""`value` as text with invisible characters escaped, cut after `limit` characters.

    >>> visible("a\u202eb\x00")
    'a\\u202eb\\x00'
    >>> visible("x" * 10, limit=4)
    'xxxx… (10 characters)'
    >>> visible(None)
    'null'
    """
    if value is None:
        return "null"
    text = value if isinstance(value, str) else str(value)
    if limit is not None and len(text) > limit:
        return f"{_INVISIBLE.sub(_escape, text[:limit])}… ({len(text):,} characters)"
    return _INVISIBLE.sub(_escape, text)
