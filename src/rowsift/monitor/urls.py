"""Store and webhook addresses: which are allowed, and how they are shown without credentials.

Everything rowsift prints, writes to ``summary.json``, posts to a webhook or keeps in the store
shows an address through `shown_store` or `shown_webhook`, never as given.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from rowsift.exceptions import UsageError

#: query parameters whose value is a secret (compared without case, `_` and `-`)
_SECRET_PARAMETERS = frozenset(
    {"password", "pass", "pwd", "token", "accesstoken", "secret", "key", "apikey", "sig"}
    | {"signature", "auth", "authorization", "code", "sslpassword", "credentials"}
)
_MASK = "***"
#: ``scheme://user:password@`` anywhere in a text, for messages that quote an address (with
#: one slash as a path makes of it, or a password holding an ``@``: up to the last ``@``
#: before the host)
_USERINFO = re.compile(
    r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*:/{1,3})(?P<user>[^:/@\s]*):[^/\s]*@(?=[^@/\s]*(?:[/\s:]|$))"
)
#: ``password=…`` (a libpq connection string's key and value), ``pwd=``, ``secret=``
_SECRET_PAIR = re.compile(r"(?i)\b(?P<key>password|passwd|pwd|secret|token)=(?:'[^']*'|\S+)")


def shown_store(url: str) -> str:
    """A store address fit to print: the password and secret query values masked.

    >>> shown_store("postgresql://ana:s3cret@db:5432/metrics?sslmode=require&password=x")
    'postgresql://ana:***@db:5432/metrics?sslmode=require&password=***'
    >>> shown_store("metrics/store.duckdb")
    'metrics/store.duckdb'
    """
    if "://" not in url:
        return url
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}:{_MASK}@{host}" if ":" in userinfo else f"{user}@{host}"
    query = urlencode(
        [
            (name, _MASK if _secret(name) else value)
            for name, value in parse_qsl(parts.query, keep_blank_values=True)
        ],
        safe="*",
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def shown_webhook(url: str) -> str:
    """A webhook address fit to print: its origin only.

    The path and query of a webhook are usually its secret (a chat service's incoming-webhook
    URL is a bearer token), so they are replaced by an ellipsis.

    >>> shown_webhook("https://hooks.example.com/services/T0/B0/abcdef")
    'https://hooks.example.com/…'
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if _port(url) is not None else ""
    return f"{parts.scheme}://{host}{port}/…"


def masked_text(text: str) -> str:
    """`text` with the password of every ``scheme://user:password@`` in it masked.

    >>> masked_text("cannot reach postgresql://ana:pw@db/m: timeout")
    'cannot reach postgresql://ana:***@db/m: timeout'
    >>> masked_text("postgresql:/ana:p@ss@db/m: file not found; host=db password=s3cret")
    'postgresql:/ana:***@db/m: file not found; host=db password=***'
    """
    text = _USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:{_MASK}@", text)
    return _SECRET_PAIR.sub(lambda m: f"{m['key']}={_MASK}", text)


def check_webhook(url: str, *, where: str) -> str:
    """`url` if it is an http(s) address; a usage error naming `where` it came from otherwise.

    >>> check_webhook("file:///etc/passwd", where="the webhook")
    Traceback (most recent call last):
    ...
    rowsift.exceptions.UsageError: the webhook must be an http or https URL, got 'file'
      Hint: e.g. https://hooks.example.com/rowsift
    """
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        got = repr(parts.scheme) if parts.scheme else "no scheme"
        raise UsageError(
            f"{where} must be an http or https URL, got {got}",
            hint="e.g. https://hooks.example.com/rowsift",
        )
    try:
        parts.port  # noqa: B018 - reading it checks it
    except ValueError:
        raise UsageError(
            f"{where}: the webhook's port is not a number", hint="e.g. :8080"
        ) from None
    return url.strip()


def _port(url: str) -> int | None:
    try:
        return urlsplit(url).port
    except ValueError:
        return None


def _secret(name: str) -> bool:
    return name.lower().replace("_", "").replace("-", "") in _SECRET_PARAMETERS
